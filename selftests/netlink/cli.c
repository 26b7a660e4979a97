// SPDX-License-Identifier: GPL-2.0
/*
 * The ascend-notify CLI against state the test built: its tables and its
 * JSON (read back with python3's json module) say what the kernel says,
 * notify lists every kind, device memory with its size and mappings,
 * monitor prints one timestamped line per event, dev set changes the
 * topology, and a caller without privilege or without the module gets a
 * message that says so.
 *
 * The CLI is build/tools/ascend-notify next to this program's build
 * folder, or $ASCEND_NOTIFY_CLI.
 */
#include <sys/mman.h>
#include <sys/stat.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>

#include "nl_test.h"

#include "kselftest_harness.h"

/* A finished CLI run: exit status and what it printed. */
struct run {
	int rc;
	char out[1 << 16];
	char err[4096];
};

/* A started one. */
struct proc {
	pid_t pid;
	int out, err;
};

static char cli[PATH_MAX];
/*
 * A copy of the CLI that user nobody can run: the build tree may sit in a
 * directory only root can enter (a mktemp -d clone, say).
 */
static char cli_dir[] = "/tmp/ascend-notify-cli.XXXXXX";
static char cli_pub[PATH_MAX];

static bool publish_cli(void)
{
	char buf[65536];
	int in, out = -1;
	ssize_t n = -1;

	if (!mkdtemp(cli_dir) || chmod(cli_dir, 0755))
		return false;
	snprintf(cli_pub, sizeof(cli_pub), "%s/ascend-notify", cli_dir);
	in = open(cli, O_RDONLY | O_CLOEXEC);
	if (in >= 0)
		out = open(cli_pub, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
			   0755);
	while (out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			n = -1;
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return n == 0 && chmod(cli_pub, 0755) == 0;
}

static void unpublish_cli(void)
{
	unlink(cli_pub);
	rmdir(cli_dir);
}

static bool find_cli(void)
{
	const char *env = getenv("ASCEND_NOTIFY_CLI");
	char self[PATH_MAX];
	ssize_t n;

	if (env) {
		snprintf(cli, sizeof(cli), "%s", env);
	} else {
		n = readlink("/proc/self/exe", self, sizeof(self) - 1);
		if (n < 0)
			return false;
		self[n] = '\0';
		/* build/selftests/netlink/cli -> build/tools/ascend-notify */
		snprintf(cli, sizeof(cli), "%s/../../tools/ascend-notify",
			 dirname(self));
	}
	return access(cli, X_OK) == 0;
}

/*
 * Starts "sh -c CMD" (the CLI's path substituted for every "%C"), as user
 * nobody when @nobody, with stdout and stderr on pipes.
 */
static int start(struct proc *p, bool nobody, const char *fmt, ...)
{
	char tmpl[2048], cmd[2048 + 2 * PATH_MAX], *at;
	size_t len = 0;
	int o[2], e[2];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmpl, sizeof(tmpl), fmt, ap);
	va_end(ap);
	for (at = tmpl; *at && len < sizeof(cmd) - PATH_MAX; at++) {
		if (at[0] == '%' && at[1] == 'C') {
			len += snprintf(cmd + len, sizeof(cmd) - len, "%s",
					nobody ? cli_pub : cli);
			at++;
		} else {
			cmd[len++] = *at;
		}
	}
	cmd[len] = '\0';
	if (pipe2(o, O_CLOEXEC) || pipe2(e, O_CLOEXEC))
		return -errno;
	p->pid = an_fork();
	if (p->pid < 0)
		return -errno;
	if (p->pid == 0) {
		dup2(o[1], STDOUT_FILENO);
		dup2(e[1], STDERR_FILENO);
		if (nobody && nlt_become_nobody())
			_exit(126);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(o[1]);
	close(e[1]);
	p->out = o[0];
	p->err = e[0];
	return 0;
}

/* Reads both pipes to their end and reaps the process. */
static void finish(struct proc *p, struct run *r)
{
	struct pollfd fds[2] = {
		{ .fd = p->out, .events = POLLIN },
		{ .fd = p->err, .events = POLLIN },
	};
	size_t len[2] = { 0 }, cap[2] = { sizeof(r->out), sizeof(r->err) };
	char *buf[2] = { r->out, r->err };
	int open = 2, i;

	while (open) {
		if (poll(fds, 2, -1) < 0 && errno != EINTR)
			break;
		for (i = 0; i < 2; i++) {
			ssize_t n;

			if (fds[i].fd < 0 || !fds[i].revents)
				continue;
			n = read(fds[i].fd, buf[i] + len[i], cap[i] - 1 - len[i]);
			if (n <= 0) {
				close(fds[i].fd);
				fds[i].fd = -1;
				open--;
				continue;
			}
			len[i] += n;
		}
	}
	r->out[len[0]] = '\0';
	r->err[len[1]] = '\0';
	r->rc = an_reap(p->pid);
}

static int run(struct run *r, bool nobody, const char *fmt, ...)
{
	char cmd[2048];
	struct proc p;
	va_list ap;
	int ret;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	ret = start(&p, nobody, "%s", cmd);
	if (ret)
		return ret;
	finish(&p, r);
	return r->rc;
}

/* ---- the table --------------------------------------------------------- */

#define MAX_ROWS 64
#define MAX_COLS 20

/* A table the CLI printed, split at blanks (cells have none). */
struct table {
	char text[1 << 16];
	int nrows, ncols;
	char *head[MAX_COLS];
	char *cell[MAX_ROWS][MAX_COLS];
};

/* Splits @out; false if a row has another number of cells. */
static bool parse_table(struct table *t, const char *out)
{
	char *line, *save, *tok, *save2;
	int row = -1, col;

	snprintf(t->text, sizeof(t->text), "%s", out);
	t->nrows = t->ncols = 0;
	for (line = strtok_r(t->text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save), row++) {
		if (row == MAX_ROWS)
			return false;
		col = 0;
		for (tok = strtok_r(line, " ", &save2); tok && col < MAX_COLS;
		     tok = strtok_r(NULL, " ", &save2), col++) {
			if (row < 0)
				t->head[col] = tok;
			else
				t->cell[row][col] = tok;
		}
		if (row < 0)
			t->ncols = col;
		else if (col != t->ncols)
			return false;
	}
	t->nrows = row < 0 ? 0 : row;
	return true;
}

/* Cell of @row under heading @col, or "?" */
static const char *cell(const struct table *t, int row, const char *col)
{
	int c;

	for (c = 0; c < t->ncols; c++) {
		if (!strcmp(t->head[c], col))
			return t->cell[row][c];
	}
	return "?";
}

/* The row whose @col reads @val, or -1. */
static int row_where(const struct table *t, const char *col, uint64_t val)
{
	char want[24];
	int r;

	snprintf(want, sizeof(want), "%llu", (unsigned long long)val);
	for (r = 0; r < t->nrows; r++) {
		if (!strcmp(cell(t, r, col), want))
			return r;
	}
	return -1;
}

/* @v as decimal text, in a rotating static buffer. */
static const char *num(uint64_t v)
{
	static char buf[8][24];
	static int i;

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof(buf[i]), "%llu", (unsigned long long)v);
	return buf[i];
}

/* A device set as the CLI lists it: "0,2-7", "-" when empty. */
static const char *mask_text(uint64_t mask)
{
	static char buf[256];
	int i, end, len = 0;

	buf[0] = '\0';
	for (i = 0; i < 64; i++) {
		if (!(mask >> i & 1))
			continue;
		for (end = i; end < 63 && mask >> (end + 1) & 1; end++)
			;
		len += snprintf(buf + len, sizeof(buf) - len, "%s%d",
				len ? "," : "", i);
		if (end > i)
			len += snprintf(buf + len, sizeof(buf) - len, "%c%d",
					end > i + 1 ? '-' : ',', end);
		i = end;
	}
	return len ? buf : "-";
}

/* Lines in @s. */
static int lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* Does a line of @out start with @prefix? */
static bool has_line_start(const char *out, const char *prefix)
{
	const char *p = out;

	for (;;) {
		if (!strncmp(p, prefix, strlen(prefix)))
			return true;
		p = strchr(p, '\n');
		if (!p++)
			return false;
	}
}

/* ---- the fixture --------------------------------------------------------- */

FIXTURE(cli) {
	struct nlt nl;
	struct nlt_reply r;
	struct nlt_topology topo;
	struct run run;
	struct table t;
	int fd;
};

FIXTURE_SETUP(cli)
{
	ASSERT_TRUE(find_cli()) {
		TH_LOG("no executable CLI at %s", cli);
	}
	ASSERT_TRUE(publish_cli());
	ASSERT_EQ(0, nlt_open(&self->nl));
	ASSERT_EQ(0, nlt_topology_save(&self->nl, &self->topo));
	ASSERT_LE(4, self->topo.n);
	self->fd = an_open();
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(cli)
{
	struct nlt nl;

	unpublish_cli();
	if (self->fd >= 0)
		close(self->fd);
	nlt_reply_free(&self->r);
	nlt_close(&self->nl);
	/* A fresh socket: a test may have reloaded the module. */
	if (!nlt_open(&nl)) {
		EXPECT_EQ(0, nlt_topology_restore(&nl, &self->topo));
		nlt_close(&nl);
	}
}

static uint32_t notify_id(int fd, uint32_t h)
{
	struct ascend_notify_info info;

	return an_info(fd, h, &info) ? UINT32_MAX : info.id;
}

TEST_F(cli, help_is_a_manual_and_bad_usage_exits_2)
{
	static const char *const sections[] = {
		"NAME\n", "SYNOPSIS\n", "DESCRIPTION\n", "COMMANDS\n",
		"OPTIONS\n", "JSON\n", "EXIT STATUS\n", "PERMISSIONS\n",
		"EXAMPLES\n",
		"ascend-notify [-j|--json] dev [show [DEV]]",
		"ascend-notify dev set DEV [peers MASK] [virtual on|off]",
		"notify [show] [--dev N] [--pid P] [--exported]",
		"ascend-notify [-j|--json] proc", "ascend-notify [-j|--json] stats",
		"ascend-notify [-j|--json] monitor", "CAP_SYS_ADMIN",
		"ascend-notify [-j|--json] user [show [UID]]",
		"[user-notifies N] [user-handles N] [user-mem BYTES]",
		"CAP_NET_ADMIN",
		"ascend-notify timeline [-o FILE.json] [--svg FILE.svg] -- CMD [ARGS...]",
	};
	size_t i;

	ASSERT_EQ(0, run(&self->run, false, "%%C --help"));
	for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		EXPECT_NE(NULL, strstr(self->run.out, sections[i])) {
			TH_LOG("no '%s' in --help", sections[i]);
		}
	EXPECT_EQ(0, run(&self->run, false, "%%C help"));

	EXPECT_EQ(2, run(&self->run, false, "%%C"));
	EXPECT_EQ(2, run(&self->run, false, "%%C bogus"));
	EXPECT_NE(NULL, strstr(self->run.err, "unknown command 'bogus'"));
	EXPECT_NE(NULL, strstr(self->run.err, "--help"));
	EXPECT_EQ(2, run(&self->run, false, "%%C dev set 1"));
	EXPECT_NE(NULL, strstr(self->run.err, "nothing to change"));
	EXPECT_EQ(2, run(&self->run, false, "%%C dev set 1 virtual maybe"));
	EXPECT_EQ(2, run(&self->run, false, "%%C notify --dev x"));
	EXPECT_EQ(2, run(&self->run, false, "%%C notify --pid 0"));
	EXPECT_EQ(2, run(&self->run, false, "%%C stats extra"));
	EXPECT_EQ(2, run(&self->run, false, "%%C monitor --count 0"));
	/* Usage errors print nothing on stdout. */
	EXPECT_STREQ("", self->run.out);
}

TEST_F(cli, dev_table_says_what_the_kernel_says)
{
	static const char *const heads[] = {
		"DEV", "SDID", "LIVE", "LIMIT", "CREATED", "IMPORTS",
		"VIRTUAL", "PEERS",
	};
	struct nlt_rec *d;
	unsigned int i;
	int row;

	ASSERT_EQ(0, an_create(self->fd, 3, 0, NULL));
	ASSERT_EQ(0, an_create(self->fd, 3, 0, NULL));
	ASSERT_EQ(0, run(&self->run, false, "%%C dev"));
	ASSERT_EQ(0, nlt_dump(&self->nl, ASCEND_NOTIFY_CMD_DEVICE_GET,
			      &self->r));
	ASSERT_TRUE(parse_table(&self->t, self->run.out));
	ASSERT_EQ(8, self->t.ncols);
	for (i = 0; i < 8; i++)
		EXPECT_STREQ(heads[i], self->t.head[i]);
	ASSERT_EQ(self->r.n, self->t.nrows);
	for (i = 0; i < self->r.n; i++) {
		d = &self->r.recs[i];
		row = row_where(&self->t, "DEV", d->v[ASCEND_NOTIFY_A_DEV]);
		ASSERT_LE(0, row);
		EXPECT_STREQ(num(d->v[ASCEND_NOTIFY_A_DEV_SDID]),
			     cell(&self->t, row, "SDID"));
		EXPECT_STREQ(num(d->v[ASCEND_NOTIFY_A_DEV_LIVE_NOTIFIES] +
				 d->v[ASCEND_NOTIFY_A_DEV_LIVE_EVENTS]),
			     cell(&self->t, row, "LIVE"));
		EXPECT_STREQ(num(d->v[ASCEND_NOTIFY_A_DEV_LIMIT]),
			     cell(&self->t, row, "LIMIT"));
		EXPECT_STREQ(num(d->v[ASCEND_NOTIFY_A_DEV_CREATED]),
			     cell(&self->t, row, "CREATED"));
		EXPECT_STREQ(num(d->v[ASCEND_NOTIFY_A_DEV_IMPORTS]),
			     cell(&self->t, row, "IMPORTS"));
		EXPECT_STREQ("no", cell(&self->t, row, "VIRTUAL"));
		EXPECT_STREQ(mask_text(d->v[ASCEND_NOTIFY_A_DEV_PEERS]),
			     cell(&self->t, row, "PEERS"));
	}
	row = row_where(&self->t, "DEV", 3);
	ASSERT_LE(0, row);
	EXPECT_LE(2, atoi(cell(&self->t, row, "LIVE")));
	if (self->topo.n == 8) {
		EXPECT_STREQ("0-2,4-7", cell(&self->t, row, "PEERS"));
		EXPECT_STREQ("1-7", cell(&self->t, row_where(&self->t, "DEV", 0),
					 "PEERS"));
	}

	/* One device, and a device that does not exist. */
	ASSERT_EQ(0, run(&self->run, false, "%%C dev show 3"));
	ASSERT_TRUE(parse_table(&self->t, self->run.out));
	ASSERT_EQ(1, self->t.nrows);
	EXPECT_STREQ("3", cell(&self->t, 0, "DEV"));
	EXPECT_EQ(1, run(&self->run, false, "%%C dev show 99"));
	EXPECT_NE(NULL, strstr(self->run.err, "no device 99"));
}

/* Python that prints each JSON object's @keys on a line, lists joined. */
#define PY_FIELDS(keys)							\
	"python3 -c 'import json, sys\n"				\
	"def f(v):\n"							\
	"    if isinstance(v, list): return \",\".join(map(f, v)) or \"-\"\n" \
	"    if isinstance(v, bool): return str(int(v))\n"		\
	"    return \"-\" if v is None else str(v)\n"			\
	"d = json.load(sys.stdin)\n"					\
	"for o in (d if isinstance(d, list) else [d]):\n"		\
	"    print(\" \".join(f(o[k]) for k in \"" keys "\".split()))'"

TEST_F(cli, dev_json_says_what_the_kernel_says)
{
	struct nlt_rec *d;
	unsigned int i;

	ASSERT_EQ(0, an_create(self->fd, 1, 0, NULL));
	ASSERT_EQ(0, run(&self->run, false, "%%C --json dev | " PY_FIELDS(
		"dev sdid live limit created imports virtual peer_mask peers")));
	ASSERT_EQ(0, nlt_dump(&self->nl, ASCEND_NOTIFY_CMD_DEVICE_GET,
			      &self->r));
	/* One line per device, each starting as the kernel's record. */
	ASSERT_EQ(self->r.n, lines(self->run.out));
	for (i = 0; i < self->r.n; i++) {
		char line[256];

		d = &self->r.recs[i];
		snprintf(line, sizeof(line), "\n%s %s %s %s %s %s %d %s ",
			 num(d->v[ASCEND_NOTIFY_A_DEV]),
			 num(d->v[ASCEND_NOTIFY_A_DEV_SDID]),
			 num(d->v[ASCEND_NOTIFY_A_DEV_LIVE_NOTIFIES] +
			     d->v[ASCEND_NOTIFY_A_DEV_LIVE_EVENTS]),
			 num(d->v[ASCEND_NOTIFY_A_DEV_LIMIT]),
			 num(d->v[ASCEND_NOTIFY_A_DEV_CREATED]),
			 num(d->v[ASCEND_NOTIFY_A_DEV_IMPORTS]),
			 (int)d->v[ASCEND_NOTIFY_A_DEV_VIRTUAL],
			 num(d->v[ASCEND_NOTIFY_A_DEV_PEERS]));
		EXPECT_TRUE(has_line_start(self->run.out, line + 1)) {
			TH_LOG("no '%s' in:\n%s", line + 1, self->run.out);
		}
	}
	EXPECT_STREQ("", self->run.err);
}

/*
 * The state the notify tests look at: on device 1, recorded twice,
 * exported with a trustlist of one child that imported it; on device 2,
 * device-only, not exported. The child waits to be told to exit.
 */
struct state {
	struct nlt_link l;
	pid_t child;
	uint32_t id1, id2, fp;
};

static int importer(struct nlt_link *l)
{
	char key[AN_KEY_BUF];
	int fd = an_open();

	if (fd < 0)
		return 10;
	an_send_u32(NLT_CHILD_OUT(l), an_bare_tgid(fd));
	if (!an_recv(NLT_CHILD_IN(l), key, ASCEND_NOTIFY_KEY_LEN) ||
	    an_import(fd, key, 1, 0, NULL))
		return 11;
	an_send_u32(NLT_CHILD_OUT(l), 1);
	an_recv_u32(NLT_CHILD_IN(l));
	return 0;
}

static int build_state(int fd, struct state *s)
{
	char key[AN_KEY_BUF];
	int32_t tgid;
	uint32_t h1, h2;

	if (an_create(fd, 1, 0, &h1) ||
	    an_create(fd, 2, ASCEND_NOTIFY_CREATE_DEVICE_ONLY, &h2) ||
	    an_record(fd, h1) || an_record(fd, h1) ||
	    an_export(fd, h1, 0, key) || nlt_link_open(&s->l))
		return -1;
	s->id1 = notify_id(fd, h1);
	s->id2 = notify_id(fd, h2);
	s->fp = nlt_fingerprint(key);
	s->child = an_fork();
	if (s->child < 0)
		return -1;
	if (s->child == 0)
		_exit(importer(&s->l));
	tgid = an_recv_u32(NLT_FROM_CHILD(&s->l));
	if (an_set_pids(fd, h1, &tgid, 1) ||
	    !an_send(NLT_TO_CHILD(&s->l), key, ASCEND_NOTIFY_KEY_LEN) ||
	    an_recv_u32(NLT_FROM_CHILD(&s->l)) != 1)
		return -1;
	return 0;
}

static int end_state(struct state *s)
{
	an_send_u32(NLT_TO_CHILD(&s->l), 0);
	return an_reap(s->child);
}

TEST_F(cli, notify_table_shows_the_state_the_test_built)
{
	static const char *const heads[] = {
		"DEV", "ID", "KIND", "SET", "FLAGS", "CREATOR", "IMPORTERS",
		"WAITERS", "RECORDS", "WAITS", "TIMEOUTS", "DENIED", "EXPORT",
		"TRUSTED", "FINGERPRINT", "SIZE", "MAPPINGS",
	};
	struct table *t = &self->t;
	struct state s;
	char fp[16];
	unsigned int i;
	int r;

	ASSERT_EQ(0, build_state(self->fd, &s));
	ASSERT_EQ(0, run(&self->run, false, "%%C notify --pid %d", getpid()));
	ASSERT_TRUE(parse_table(t, self->run.out));
	ASSERT_EQ(17, t->ncols);
	for (i = 0; i < 17; i++)
		EXPECT_STREQ(heads[i], t->head[i]);
	ASSERT_EQ(2, t->nrows);

	r = row_where(t, "DEV", 1);
	ASSERT_LE(0, r);
	snprintf(fp, sizeof(fp), "%08x", s.fp);
	EXPECT_STREQ(num(s.id1), cell(t, r, "ID"));
	EXPECT_STREQ("notify", cell(t, r, "KIND"));
	EXPECT_STREQ("yes", cell(t, r, "SET"));
	EXPECT_STREQ("-", cell(t, r, "FLAGS"));
	EXPECT_STREQ(num(getpid()), cell(t, r, "CREATOR"));
	EXPECT_STREQ(num(s.child), cell(t, r, "IMPORTERS"));
	EXPECT_STREQ("0", cell(t, r, "WAITERS"));
	EXPECT_STREQ("2", cell(t, r, "RECORDS"));
	EXPECT_STREQ("0", cell(t, r, "WAITS"));
	EXPECT_STREQ("0", cell(t, r, "TIMEOUTS"));
	EXPECT_STREQ("0", cell(t, r, "DENIED"));
	EXPECT_STREQ("trust", cell(t, r, "EXPORT"));
	EXPECT_STREQ("1", cell(t, r, "TRUSTED"));
	EXPECT_STREQ(fp, cell(t, r, "FINGERPRINT"));
	EXPECT_STREQ("-", cell(t, r, "SIZE"));
	EXPECT_STREQ("-", cell(t, r, "MAPPINGS"));

	r = row_where(t, "DEV", 2);
	ASSERT_LE(0, r);
	EXPECT_STREQ(num(s.id2), cell(t, r, "ID"));
	EXPECT_STREQ("no", cell(t, r, "SET"));
	EXPECT_STREQ("device-only", cell(t, r, "FLAGS"));
	EXPECT_STREQ("-", cell(t, r, "IMPORTERS"));
	EXPECT_STREQ("-", cell(t, r, "EXPORT"));
	EXPECT_STREQ("-", cell(t, r, "TRUSTED"));
	EXPECT_STREQ("-", cell(t, r, "FINGERPRINT"));

	/* Filters: device, exported, a PID with nothing, a PID of nobody. */
	ASSERT_EQ(0, run(&self->run, false, "%%C notify --dev 2"));
	ASSERT_TRUE(parse_table(t, self->run.out));
	ASSERT_EQ(1, t->nrows);
	EXPECT_STREQ(num(s.id2), cell(t, 0, "ID"));
	ASSERT_EQ(0, run(&self->run, false, "%%C notify show --exported"));
	ASSERT_TRUE(parse_table(t, self->run.out));
	ASSERT_EQ(1, t->nrows);
	EXPECT_STREQ("1", cell(t, 0, "DEV"));
	ASSERT_EQ(0, run(&self->run, false, "%%C notify --pid=%d", s.child));
	EXPECT_STREQ("", self->run.out);
	EXPECT_EQ(1, run(&self->run, false, "%%C notify --pid 2147483647"));
	EXPECT_NE(NULL, strstr(self->run.err, "No such process"));

	EXPECT_EQ(0, end_state(&s));
}

TEST_F(cli, notify_json_shows_the_state_the_test_built)
{
	char want[2][256];
	struct state s;
	int i;

	ASSERT_EQ(0, build_state(self->fd, &s));
	ASSERT_EQ(0, run(&self->run, false, "%%C notify --json --pid %d | "
			 PY_FIELDS("dev id set device_only creator importers "
				   "nr_importers waiters records waits timeouts "
				   "denied export exported withdrawn "
				   "no_pid_check trusted fingerprint flags kind "
				   "size mappings mapped"),
			 getpid()));
	snprintf(want[0], sizeof(want[0]),
		 "1 %u 1 0 %d %d 1 0 2 0 0 0 trust 1 0 0 1 %08x 0 notify - - -\n",
		 s.id1, getpid(), s.child, s.fp);
	snprintf(want[1], sizeof(want[1]),
		 "2 %u 0 1 %d - 0 0 0 0 0 0 - 0 0 0 - - 1 notify - - -\n",
		 s.id2, getpid());
	ASSERT_EQ(2, lines(self->run.out));
	for (i = 0; i < 2; i++)
		EXPECT_TRUE(has_line_start(self->run.out, want[i])) {
			TH_LOG("no '%s' in:\n%s", want[i], self->run.out);
		}
	EXPECT_STREQ("", self->run.err);

	/* An empty listing is an empty array. */
	ASSERT_EQ(0, run(&self->run, false, "%%C -j notify --pid %d",
			 s.child));
	EXPECT_STREQ("[]\n", self->run.out);
	EXPECT_EQ(0, end_state(&s));
}

TEST_F(cli, notify_shows_the_kind_of_every_object_and_device_memory)
{
	struct ascend_notify_mem m;
	struct table *t = &self->t;
	char want[256];
	uint32_t n, e;
	void *a;
	int r;

	ASSERT_EQ(0, an_create(self->fd, 1, 0, &n));
	ASSERT_EQ(0, an_create(self->fd, 1, ASCEND_NOTIFY_CREATE_EVENT, &e));
	ASSERT_EQ(0, an_mem_alloc(self->fd, 3, 5000, &m));
	a = mmap(NULL, m.size, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd,
		 m.mmap_offset);
	ASSERT_NE(MAP_FAILED, a);

	ASSERT_EQ(0, run(&self->run, false, "%%C notify --pid %d", getpid()));
	ASSERT_TRUE(parse_table(t, self->run.out));
	ASSERT_EQ(3, t->nrows);
	r = row_where(t, "ID", notify_id(self->fd, n));
	ASSERT_LE(0, r);
	EXPECT_STREQ("notify", cell(t, r, "KIND"));
	r = row_where(t, "ID", notify_id(self->fd, e));
	ASSERT_LE(0, r);
	EXPECT_STREQ("event", cell(t, r, "KIND"));
	r = row_where(t, "DEV", 3);
	ASSERT_LE(0, r);
	EXPECT_STREQ("mem", cell(t, r, "KIND"));
	EXPECT_STREQ("-", cell(t, r, "ID"));
	EXPECT_STREQ("-", cell(t, r, "SET"));
	EXPECT_STREQ("-", cell(t, r, "RECORDS"));
	EXPECT_STREQ(num(getpid()), cell(t, r, "CREATOR"));
	EXPECT_STREQ(num(m.size), cell(t, r, "SIZE"));
	EXPECT_STREQ("1", cell(t, r, "MAPPINGS"));

	/* The same in JSON; unmapped, it says so. */
	ASSERT_EQ(0, munmap(a, m.size));
	ASSERT_EQ(0, run(&self->run, false, "%%C -j notify --dev 3 | "
			 PY_FIELDS("dev id kind set records size mappings "
				   "mapped creator")));
	snprintf(want, sizeof(want), "3 - mem - - %llu 0 0 %d\n",
		 (unsigned long long)m.size, getpid());
	EXPECT_STREQ(want, self->run.out) {
		TH_LOG("stderr: %s", self->run.err);
	}
}

TEST_F(cli, proc_lists_contexts_as_table_and_json)
{
	char want[128];
	int r;

	ASSERT_EQ(0, an_create(self->fd, 0, 0, NULL));
	ASSERT_EQ(0, an_create(self->fd, 1, 0, NULL));
	ASSERT_EQ(0, an_peer(self->fd, true, 1, 3));
	ASSERT_EQ(0, run(&self->run, false, "%%C proc"));
	ASSERT_TRUE(parse_table(&self->t, self->run.out));
	EXPECT_STREQ("PID", self->t.head[0]);
	EXPECT_STREQ("PEER-ACCESS", self->t.head[4]);
	r = row_where(&self->t, "PID", getpid());
	ASSERT_LE(0, r);
	EXPECT_STREQ("2", cell(&self->t, r, "HANDLES"));
	EXPECT_STREQ("2", cell(&self->t, r, "CREATED"));
	EXPECT_STREQ("0", cell(&self->t, r, "IMPORTED"));
	EXPECT_STREQ("1->3", cell(&self->t, r, "PEER-ACCESS"));

	ASSERT_EQ(0, run(&self->run, false, "%%C proc --json | " PY_FIELDS(
		"pid handles created imported peer_access")));
	snprintf(want, sizeof(want), "%d 2 2 0 1,3\n", getpid());
	EXPECT_TRUE(has_line_start(self->run.out, want)) {
		TH_LOG("no '%s' in:\n%s", want, self->run.out);
	}
}

TEST_F(cli, stats_are_the_kernels_totals)
{
	static const char *const keys[] = {
		"contexts", "objects", "handles", "keys", "memory",
		"notify_size", "handle_size", "notifies", "events", "mems",
		"mem_size", "export_size",
	};
	static const int attrs[] = {
		ASCEND_NOTIFY_A_STAT_CONTEXTS, ASCEND_NOTIFY_A_STAT_OBJECTS,
		ASCEND_NOTIFY_A_STAT_HANDLES, ASCEND_NOTIFY_A_STAT_KEYS,
		ASCEND_NOTIFY_A_STAT_MEMORY, ASCEND_NOTIFY_A_STAT_NOTIFY_SIZE,
		ASCEND_NOTIFY_A_STAT_HANDLE_SIZE, ASCEND_NOTIFY_A_STAT_NOTIFIES,
		ASCEND_NOTIFY_A_STAT_EVENTS, ASCEND_NOTIFY_A_STAT_MEMS,
		ASCEND_NOTIFY_A_STAT_MEM_SIZE, ASCEND_NOTIFY_A_STAT_EXPORT_SIZE,
	};
	const size_t nr = sizeof(keys) / sizeof(keys[0]);
	char want[256] = "", line[64];
	uint32_t h;
	size_t i;

	ASSERT_EQ(0, an_create(self->fd, 0, 0, &h));
	ASSERT_EQ(0, an_export(self->fd, h, 0, NULL));
	ASSERT_EQ(0, nlt_stats(&self->nl, &self->r));
	ASSERT_EQ(1, self->r.n);

	ASSERT_EQ(0, run(&self->run, false, "%%C stats"));
	for (i = 0; i < 4; i++) {
		snprintf(line, sizeof(line), "%-19s  %llu\n", keys[i],
			 (unsigned long long)self->r.recs[0].v[attrs[i]]);
		EXPECT_NE(NULL, strstr(self->run.out, line)) {
			TH_LOG("no '%s' in:\n%s", line, self->run.out);
		}
	}
	EXPECT_NE(NULL, strstr(self->run.out, "notify size (bytes)"));

	ASSERT_EQ(0, run(&self->run, false, "%%C -j stats | " PY_FIELDS(
		"contexts objects handles keys memory notify_size handle_size "
		"notifies events mems mem_size export_size")));
	for (i = 0; i < nr; i++)
		snprintf(want + strlen(want), sizeof(want) - strlen(want),
			 "%llu%s",
			 (unsigned long long)self->r.recs[0].v[attrs[i]],
			 i < nr - 1 ? " " : "\n");
	EXPECT_STREQ(want, self->run.out);
}

/* Reads @fd until @what has been seen (or the end); true if seen. */
static bool read_until(int fd, const char *what, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;

	while (len < size - 1) {
		n = read(fd, buf + len, size - 1 - len);
		if (n <= 0)
			break;
		len += n;
		buf[len] = '\0';
		if (strstr(buf, what))
			return true;
	}
	return false;
}

TEST_F(cli, monitor_prints_one_timestamped_line_per_event)
{
	char err[256], name[3][16], extra[3][64];
	unsigned int dev[3], id[3], pid[3], n = 0;
	double when[3], t0, t1;
	char *line, *save;
	struct proc p;
	uint32_t h, nid;

	ASSERT_EQ(0, start(&p, false, "%%C monitor --count 3"));
	ASSERT_TRUE(read_until(p.err, "listening", err, sizeof(err))) {
		TH_LOG("monitor said: %s", err);
	}
	t0 = an_now_ns() / 1e9;
	ASSERT_EQ(0, an_create(self->fd, 0, 0, &h));
	nid = notify_id(self->fd, h);
	ASSERT_EQ(0, an_export(self->fd, h, 0, NULL));
	ASSERT_EQ(0, an_destroy(self->fd, h));
	finish(&p, &self->run);
	t1 = an_now_ns() / 1e9;
	ASSERT_EQ(0, self->run.rc);

	for (line = strtok_r(self->run.out, "\n", &save); line && n < 3;
	     line = strtok_r(NULL, "\n", &save), n++) {
		extra[n][0] = '\0';
		ASSERT_LE(5, sscanf(line, "[ %lf] %15s dev %u id %u pid %u %63[^\n]",
				    &when[n], name[n], &dev[n], &id[n], &pid[n],
				    extra[n])) {
			TH_LOG("line: '%s'", line);
		}
		EXPECT_EQ(0, dev[n]);
		EXPECT_EQ(nid, id[n]);
		EXPECT_EQ(getpid(), pid[n]);
		/* Seconds since boot, as CLOCK_MONOTONIC, in event order. */
		EXPECT_TRUE(when[n] >= t0 - 0.001 && when[n] <= t1 + 0.001);
		if (n)
			EXPECT_TRUE(when[n] >= when[n - 1]);
	}
	ASSERT_EQ(3, n);
	EXPECT_STREQ("create", name[0]);
	EXPECT_STREQ("export", name[1]);
	EXPECT_EQ(0, strncmp(extra[1], "fingerprint ", 12));
	EXPECT_NE(NULL, strstr(extra[1], "check trust"));
	EXPECT_STREQ("destroy", name[2]);
	EXPECT_STREQ("handle creator", extra[2]);
}

TEST_F(cli, monitor_json_is_one_object_per_line)
{
	char err[256], want[128];
	struct proc p;
	uint32_t h, id;
	FILE *f;

	ASSERT_EQ(0, start(&p, false, "%%C monitor --json --count 2"));
	ASSERT_TRUE(read_until(p.err, "listening", err, sizeof(err)));
	ASSERT_EQ(0, an_create(self->fd, 2, 0, &h));
	id = notify_id(self->fd, h);
	ASSERT_EQ(0, an_destroy(self->fd, h));
	finish(&p, &self->run);
	ASSERT_EQ(0, self->run.rc);

	/* Each line alone is a JSON object. */
	f = fopen("/tmp/an-monitor.json", "w");
	ASSERT_NE(NULL, f);
	fputs(self->run.out, f);
	fclose(f);
	ASSERT_EQ(0, run(&self->run, false,
			 "python3 -c 'import json, sys\n"
			 "for l in sys.stdin:\n"
			 "    o = json.loads(l)\n"
			 "    assert isinstance(o[\"time\"], float)\n"
			 "    print(o[\"event\"], o[\"dev\"], o[\"id\"], o[\"pid\"],"
			 " o.get(\"creator\"))' < /tmp/an-monitor.json"));
	snprintf(want, sizeof(want), "create 2 %u %d None\ndestroy 2 %u %d True\n",
		 id, getpid(), id, getpid());
	EXPECT_STREQ(want, self->run.out) {
		TH_LOG("stderr: %s", self->run.err);
	}
	unlink("/tmp/an-monitor.json");
}

TEST_F(cli, monitor_shows_unexport)
{
	char err[256], want[128];
	struct proc p;
	uint32_t h;

	ASSERT_EQ(0, an_create(self->fd, 2, 0, &h));
	ASSERT_EQ(0, an_export(self->fd, h, 0, NULL));
	ASSERT_EQ(0, start(&p, false, "%%C monitor --count 1"));
	ASSERT_TRUE(read_until(p.err, "listening", err, sizeof(err)));
	ASSERT_EQ(0, an_unexport(self->fd, h));
	finish(&p, &self->run);
	ASSERT_EQ(0, self->run.rc);
	snprintf(want, sizeof(want), " unexport   dev 2 id %u pid %d\n",
		 notify_id(self->fd, h), getpid());
	EXPECT_NE(NULL, strstr(self->run.out, want)) {
		TH_LOG("no '%s' in '%s'", want, self->run.out);
	}
}

TEST_F(cli, dev_set_changes_the_topology_and_relays_kernel_errors)
{
	struct nlt_topology now;
	uint32_t h;

	ASSERT_EQ(0, run(&self->run, false, "%%C dev set 2 peers 0x1"));
	EXPECT_STREQ("", self->run.out);
	ASSERT_EQ(0, nlt_topology_save(&self->nl, &now));
	EXPECT_EQ(1, now.peers[2]);
	EXPECT_EQ(0, now.peers[3] & 1ull << 2);

	ASSERT_EQ(0, run(&self->run, false, "%%C dev set 2 virtual on"));
	ASSERT_EQ(0, nlt_topology_save(&self->nl, &now));
	EXPECT_EQ(1, now.virt[2]);
	ASSERT_EQ(0, run(&self->run, false,
			 "%%C dev set 2 peers none virtual off"));
	ASSERT_EQ(0, nlt_topology_save(&self->nl, &now));
	EXPECT_EQ(0, now.peers[2]);
	EXPECT_EQ(0, now.virt[2]);

	/* The kernel's errno and its extended ACK message. */
	EXPECT_EQ(1, run(&self->run, false, "%%C dev set 2 peers 0x4"));
	EXPECT_STREQ("ascend-notify: dev set: Invalid argument: peer mask names the device itself or no device\n",
		     self->run.err);
	EXPECT_EQ(1, run(&self->run, false, "%%C dev set 64 virtual off"));
	EXPECT_NE(NULL, strstr(self->run.err, "integer out of range"));
	ASSERT_EQ(0, an_create(self->fd, 3, 0, &h));
	ASSERT_EQ(0, an_export(self->fd, h, 0, NULL));
	EXPECT_EQ(1, run(&self->run, false, "%%C dev set 3 virtual on"));
	EXPECT_NE(NULL, strstr(self->run.err,
			       "Device or resource busy: a live import or export depends on it"));
}

TEST_F(cli, unprivileged_caller_is_told_what_it_lacks)
{
	EXPECT_EQ(1, run(&self->run, true, "%%C dev set 1 virtual off"));
	EXPECT_NE(NULL, strstr(self->run.err, "Operation not permitted"));
	EXPECT_NE(NULL, strstr(self->run.err, "CAP_SYS_ADMIN")) {
		TH_LOG("stderr: %s", self->run.err);
	}
	EXPECT_EQ(1, run(&self->run, true, "%%C monitor"));
	EXPECT_NE(NULL, strstr(self->run.err, "Operation not permitted"));
	EXPECT_NE(NULL, strstr(self->run.err, "CAP_NET_ADMIN")) {
		TH_LOG("stderr: %s", self->run.err);
	}
	/* Listing needs no privilege. */
	EXPECT_EQ(0, run(&self->run, true, "%%C dev"));
	EXPECT_EQ(0, run(&self->run, true, "%%C stats"));
}

/* user: what each user holds against its limits, as a table and JSON. */
TEST_F(cli, user_shows_usage_against_the_limits)
{
	static const char *const heads[] = {
		"UID", "DEV", "NOTIFIES", "USER-LIMIT", "HANDLES",
		"HANDLE-LIMIT", "MEM", "MEM-LIMIT",
	};
	struct ascend_notify_user_info ui;
	struct ascend_notify_mem m;
	char key[AN_KEY_BUF], want[256];
	uint32_t h;
	int row, i;

	ASSERT_EQ(0, an_create(self->fd, 1, 0, &h));
	ASSERT_EQ(0, an_create(self->fd, 1, ASCEND_NOTIFY_CREATE_EVENT, NULL));
	ASSERT_EQ(0, an_mem_alloc(self->fd, 1, 1 << 20, &m));
	ASSERT_EQ(0, an_export(self->fd, h, ASCEND_NOTIFY_EXPORT_NO_PID_CHECK,
			       key));
	ASSERT_EQ(0, an_import(self->fd, key, 1, 0, NULL));
	ASSERT_EQ(0, an_user_info(self->fd, 1, &ui));
	ASSERT_EQ(2, ui.notifies);
	ASSERT_EQ(4, ui.handles);

	ASSERT_EQ(0, run(&self->run, false, "%%C user show 0"));
	ASSERT_TRUE(parse_table(&self->t, self->run.out)) {
		TH_LOG("output:\n%s", self->run.out);
	}
	ASSERT_EQ(8, self->t.ncols);
	for (i = 0; i < 8; i++)
		EXPECT_STREQ(heads[i], self->t.head[i]);
	/* Root holds things on device 1 only. */
	ASSERT_EQ(1, self->t.nrows);
	row = row_where(&self->t, "DEV", 1);
	ASSERT_EQ(0, row);
	EXPECT_STREQ("0", cell(&self->t, row, "UID"));
	EXPECT_STREQ(num(ui.notifies), cell(&self->t, row, "NOTIFIES"));
	EXPECT_STREQ(num(ui.max_notifies), cell(&self->t, row, "USER-LIMIT"));
	EXPECT_STREQ(num(ui.handles), cell(&self->t, row, "HANDLES"));
	EXPECT_STREQ(num(ui.max_handles), cell(&self->t, row, "HANDLE-LIMIT"));
	EXPECT_STREQ(num(ui.mem), cell(&self->t, row, "MEM"));
	EXPECT_STREQ(num(ui.max_mem), cell(&self->t, row, "MEM-LIMIT"));

	ASSERT_EQ(0, run(&self->run, false, "%%C -j user show 0 | " PY_FIELDS(
		"uid dev notifies max_notifies handles max_handles mem max_mem")));
	snprintf(want, sizeof(want), "0 1 %u %u %u %u %llu %llu\n",
		 ui.notifies, ui.max_notifies, ui.handles, ui.max_handles,
		 (unsigned long long)ui.mem, (unsigned long long)ui.max_mem);
	EXPECT_STREQ(want, self->run.out) {
		TH_LOG("stderr: %s", self->run.err);
	}

	/* Anyone may list; a uid that holds nothing has no line. */
	EXPECT_EQ(0, run(&self->run, true, "%%C user"));
	ASSERT_TRUE(parse_table(&self->t, self->run.out));
	EXPECT_LE(0, row_where(&self->t, "UID", 0));
	EXPECT_EQ(0, run(&self->run, false, "%%C user show 4242"));
	EXPECT_STREQ("", self->run.out);

	/* Every device's limits, whoever holds what. */
	ASSERT_EQ(0, run(&self->run, false, "%%C user limits"));
	ASSERT_TRUE(parse_table(&self->t, self->run.out));
	EXPECT_EQ((int)self->topo.n, self->t.nrows);
	row = row_where(&self->t, "DEV", 1);
	ASSERT_LE(0, row);
	EXPECT_STREQ(num(ui.max_notifies), cell(&self->t, row, "USER-LIMIT"));
	EXPECT_STREQ(num(ui.max_handles), cell(&self->t, row, "HANDLE-LIMIT"));
	EXPECT_STREQ(num(ui.max_mem), cell(&self->t, row, "MEM-LIMIT"));

	EXPECT_EQ(2, run(&self->run, false, "%%C user show x"));
	EXPECT_EQ(2, run(&self->run, false, "%%C user show 1 2"));
	EXPECT_EQ(2, run(&self->run, false, "%%C user limits extra"));
}

TEST_F(cli, dev_set_changes_per_user_limits)
{
	struct ascend_notify_user_info before, ui;

	ASSERT_EQ(0, an_user_info(self->fd, 2, &before));
	ASSERT_EQ(0, run(&self->run, false,
			 "%%C dev set 2 user-notifies 3 user-handles 9 user-mem 2M"));
	EXPECT_STREQ("", self->run.out);
	ASSERT_EQ(0, an_user_info(self->fd, 2, &ui));
	EXPECT_EQ(3, ui.max_notifies);
	EXPECT_EQ(9, ui.max_handles);
	EXPECT_EQ(2 << 20, ui.max_mem);
	ASSERT_EQ(0, run(&self->run, false, "%%C dev set 2 user-mem 4096"));
	ASSERT_EQ(0, an_user_info(self->fd, 2, &ui));
	EXPECT_EQ(4096, ui.max_mem);
	EXPECT_EQ(3, ui.max_notifies);

	/* The kernel's refusal, and the CLI's own. */
	EXPECT_EQ(1, run(&self->run, false,
			 "%%C dev set 2 user-notifies 100000"));
	EXPECT_NE(NULL, strstr(self->run.err,
			       "a user's share exceeds the device")) {
		TH_LOG("stderr: %s", self->run.err);
	}
	EXPECT_EQ(2, run(&self->run, false, "%%C dev set 2 user-mem 3X"));
	EXPECT_EQ(2, run(&self->run, false, "%%C dev set 2 user-notifies -1"));
	EXPECT_EQ(2, run(&self->run, false, "%%C dev set 2 user-handles"));
	EXPECT_EQ(1, run(&self->run, true, "%%C dev set 2 user-notifies 1"));
	EXPECT_NE(NULL, strstr(self->run.err, "CAP_SYS_ADMIN"));

	EXPECT_EQ(0, run(&self->run, false,
			 "%%C dev set 2 user-notifies %u user-handles %u user-mem %llu",
			 before.max_notifies, before.max_handles,
			 (unsigned long long)before.max_mem));
	ASSERT_EQ(0, an_user_info(self->fd, 2, &ui));
	EXPECT_EQ(before.max_notifies, ui.max_notifies);
	EXPECT_EQ(before.max_mem, ui.max_mem);
}

/* A request a limit refused: monitor says which limit, and whose. */
TEST_F(cli, monitor_names_the_limit_that_refused)
{
	char err[256], name[16], kind[16], limit[32];
	unsigned int dev, pid, uid;
	struct ascend_notify_user_info before;
	struct proc p;
	double when;
	pid_t child;

	ASSERT_EQ(0, an_user_info(self->fd, 3, &before));
	ASSERT_EQ(0, run(&self->run, false, "%%C dev set 3 user-notifies 0"));
	ASSERT_EQ(0, start(&p, false, "%%C monitor --count 1"));
	ASSERT_TRUE(read_until(p.err, "listening", err, sizeof(err)));
	child = an_fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		int fd;

		if (nlt_become_nobody())
			_exit(10);
		fd = an_open();
		_exit(fd < 0 || an_create(fd, 3, 0, NULL) != -ENOSPC);
	}
	EXPECT_EQ(0, an_reap(child));
	finish(&p, &self->run);
	ASSERT_EQ(0, self->run.rc);
	ASSERT_EQ(7, sscanf(self->run.out,
			    "[ %lf] %15s dev %u pid %u kind %15s uid %u limit %31s",
			    &when, name, &dev, &pid, kind, &uid, limit)) {
		TH_LOG("line: '%s'", self->run.out);
	}
	EXPECT_STREQ("limit", name);
	EXPECT_EQ(3, dev);
	EXPECT_EQ(child, pid);
	EXPECT_STREQ("notify", kind);
	EXPECT_EQ(65534, uid);
	EXPECT_STREQ("user-notifies", limit);
	EXPECT_EQ(0, run(&self->run, false, "%%C dev set 3 user-notifies %u",
			 before.max_notifies));
}

/* ---- timeline ------------------------------------------------------------ */

/*
 * Checks a timeline's JSON (argv[1]) of the example pair: slices from both
 * processes, a wait slice of A's, and a flow from a record of B's into a
 * wait of A's that ended "recorded", its start on the record and its end
 * inside the wait. Prints "ok".
 */
static const char timeline_json_check[] =
	"import json, sys\n"
	"ev = json.load(open(sys.argv[1]))['traceEvents']\n"
	"names = {e['pid']: e['args']['name'] for e in ev\n"
	"         if e['ph'] == 'M' and e['name'] == 'process_name'}\n"
	"a = [p for p, n in names.items() if n.startswith('notify_a ')]\n"
	"b = [p for p, n in names.items() if n.startswith('notify_b ')]\n"
	"assert len(a) == 1 and len(b) == 1, names\n"
	"a, b = a[0], b[0]\n"
	"xs = [e for e in ev if e['ph'] == 'X']\n"
	"assert {a, b} <= {e['pid'] for e in xs}, 'slices of both'\n"
	"waits = [e for e in xs if e['cat'] == 'wait' and e['pid'] == a]\n"
	"assert waits, 'no wait slice of A'\n"
	"recs = [e for e in ev if e['ph'] == 'i' and e['cat'] == 'record'\n"
	"        and e['pid'] == b]\n"
	"assert recs, 'no record of B'\n"
	"starts = {e['id']: e for e in ev if e['ph'] == 's'}\n"
	"flows = 0\n"
	"for f in (e for e in ev if e['ph'] == 'f'):\n"
	"    s = starts[f['id']]\n"
	"    if s['pid'] != b or f['pid'] != a:\n"
	"        continue\n"
	"    assert f['bp'] == 'e'\n"
	"    assert any(r['tid'] == s['tid'] and abs(r['ts'] - s['ts']) <= 1\n"
	"               for r in recs), 'flow not from a record'\n"
	"    assert any(w['tid'] == f['tid'] and w['name'].endswith(' recorded')\n"
	"               and w['ts'] <= f['ts'] <= w['ts'] + w['dur']\n"
	"               for w in waits), 'flow not into a recorded wait'\n"
	"    assert s['ts'] <= f['ts'] + 1, 'flow back in time'\n"
	"    flows += 1\n"
	"assert flows >= 1, 'no flow from B to A'\n"
	"print('ok')\n";

/* Well-formed XML, lanes of both, a wait bar, an arrow. Prints "ok". */
static const char timeline_svg_check[] =
	"import sys, xml.etree.ElementTree as et\n"
	"ns = '{http://www.w3.org/2000/svg}'\n"
	"root = et.parse(sys.argv[1]).getroot()\n"
	"assert root.tag == ns + 'svg'\n"
	"text = ' '.join(t.text or '' for t in root.iter(ns + 'text'))\n"
	"assert 'process notify_a' in text and 'process notify_b' in text\n"
	"titles = [t.text for t in root.iter(ns + 'title')]\n"
	"assert any(t.startswith('wait notify ') and ': recorded' in t\n"
	"           for t in titles), titles\n"
	"assert any(l.get('marker-end') == 'url(#arrow)'\n"
	"           for l in root.iter(ns + 'line')), 'no arrow'\n"
	"print('ok')\n";

/* Writes @text to @dir/@name; false on failure. */
static bool write_file(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return false;
	fputs(text, f);
	return !fclose(f);
}

/* No instance of a timeline is left in tracefs. */
static bool no_timeline_instance(void)
{
	struct run r;

	return run(&r, false, "ls /sys/kernel/tracing/instances | "
		   "grep -c ascend_notify_timeline") == 1 &&
	       !strcmp(r.out, "0\n");
}

TEST_F(cli, timeline_of_the_demo_shows_a_flow_from_b_to_a)
{
	char dir[] = "/tmp/an-timeline.XXXXXX", ex[PATH_MAX];

	snprintf(ex, sizeof(ex), "%s/../examples", dirname(strdupa(cli)));
	ASSERT_EQ(0, access(ex, X_OK)) {
		TH_LOG("no examples at %s (make examples-build)", ex);
	}
	ASSERT_NE(NULL, mkdtemp(dir));
	ASSERT_TRUE(write_file(dir, "check_json.py", timeline_json_check));
	ASSERT_TRUE(write_file(dir, "check_svg.py", timeline_svg_check));
	ASSERT_EQ(0, run(&self->run, false,
			 "%%C timeline -o %s/t.json --svg %s/t.svg -- "
			 "%s/run_pair %s", dir, dir, ex, ex)) {
		TH_LOG("stderr: %s", self->run.err);
	}
	/* The command's own output passes through. */
	EXPECT_NE(NULL, strstr(self->run.out, "A: done"));
	EXPECT_NE(NULL, strstr(self->run.err, "ascend-notify: timeline: "));
	EXPECT_EQ(0, run(&self->run, false, "python3 %s/check_json.py %s/t.json",
			 dir, dir));
	EXPECT_STREQ("ok\n", self->run.out) {
		TH_LOG("json: %s", self->run.err);
	}
	EXPECT_EQ(0, run(&self->run, false, "python3 %s/check_svg.py %s/t.svg",
			 dir, dir));
	EXPECT_STREQ("ok\n", self->run.out) {
		TH_LOG("svg: %s", self->run.err);
	}
	EXPECT_TRUE(no_timeline_instance());
	run(&self->run, false, "rm -rf %s", dir);
}

TEST_F(cli, timeline_exits_with_the_commands_status)
{
	ASSERT_EQ(3, run(&self->run, false,
			 "%%C timeline -o /tmp/an-tl-exit.json -- sh -c 'exit 3'"));
	/* Nothing happened, and that is a valid, empty trace. */
	EXPECT_EQ(0, run(&self->run, false,
			 "python3 -c 'import json; "
			 "print(len(json.load(open(\"/tmp/an-tl-exit.json\"))"
			 "[\"traceEvents\"]))'"));
	EXPECT_STREQ("0\n", self->run.out);
	EXPECT_TRUE(no_timeline_instance());
	unlink("/tmp/an-tl-exit.json");
	EXPECT_EQ(127, run(&self->run, false,
			   "%%C timeline -o /tmp/an-tl-exit.json -- /nonexistent"));
	EXPECT_NE(NULL, strstr(self->run.err, "/nonexistent: No such file"));
	unlink("/tmp/an-tl-exit.json");
}

TEST_F(cli, timeline_usage_errors_exit_2)
{
	EXPECT_EQ(2, run(&self->run, false, "%%C timeline"));
	EXPECT_NE(NULL, strstr(self->run.err, "no command after --"));
	EXPECT_EQ(2, run(&self->run, false, "%%C timeline -o x.json true"));
	EXPECT_EQ(2, run(&self->run, false, "%%C timeline -o x.json --"));
	EXPECT_EQ(2, run(&self->run, false, "%%C timeline --bogus -- true"));
	EXPECT_NE(NULL, strstr(self->run.err, "unexpected option"));
	EXPECT_EQ(2, run(&self->run, false, "%%C timeline -o"));
	EXPECT_EQ(-1, access("x.json", F_OK));
}

TEST_F(cli, timeline_needs_root)
{
	EXPECT_EQ(1, run(&self->run, true,
			 "%%C timeline -o /tmp/an-tl-nobody.json -- true"));
	EXPECT_NE(NULL, strstr(self->run.err, "root")) {
		TH_LOG("stderr: %s", self->run.err);
	}
	EXPECT_EQ(-1, access("/tmp/an-tl-nobody.json", F_OK));
	EXPECT_TRUE(no_timeline_instance());
}

/* ---- perf and trace-cmd ------------------------------------------------- */

/*
 * Records the example pair with @record (a command line ending where the
 * command goes, or one that starts recording and ends with "&&") into
 * @dir and reads it back with @report: prints how many
 * records there were and how many waits ended "recorded" in a process
 * that made none, i.e. A's waits that B's record ended. By TGID: a tool
 * may print a process's name as <...> once the kernel forgot it.
 */
static int record_the_demo(struct run *r, const char *dir, const char *record,
			   const char *report)
{
	char ex[PATH_MAX];

	snprintf(ex, sizeof(ex), "%s/../examples", dirname(strdupa(cli)));
	if (access(ex, X_OK))
		return -1;
	return run(r, false,
		   "%s %s/run_pair %s >%s/out 2>&1 && { %s; } | awk '"
		   "{ t = \"\"; for (i = 1; i <= NF; i++) "
		   "if ($i ~ /^tgid=/) t = $i } "
		   "/notify_record:/ { rec[t] = 1; r++ } "
		   "/notify_wait_end:/ && /result=recorded/ { end[n++] = t } "
		   "END { for (i in end) if (!(end[i] in rec)) w++; "
		   "print r + 0, w + 0 }'",
		   record, ex, ex, dir, report);
}

/* At least one record, and a wait in another process that it ended. */
static bool demo_was_recorded(const char *counts)
{
	unsigned int records, waits;

	if (sscanf(counts, "%u %u", &records, &waits) != 2)
		return false;
	return records >= 1 && waits >= 1;
}

/*
 * perf and trace-cmd from Debian read the module's events by their names.
 * On the debug kernel a recording takes well over the default 30 s.
 */
TEST_F_TIMEOUT(cli, trace_cmd_records_the_demo, 300)
{
	char dir[] = "/tmp/an-tracecmd.XXXXXX", record[512], report[512];

	ASSERT_NE(NULL, mkdtemp(dir));
	/*
	 * Not "trace-cmd record": under TCG its recorders now and then
	 * stopped before they had read the last, partial page, and the
	 * file held no event. The ring buffer keeps them until extracted.
	 */
	snprintf(record, sizeof(record), "trace-cmd reset && "
		 "trace-cmd start -e ascend_notify >/dev/null &&");
	snprintf(report, sizeof(report), "trace-cmd stop && "
		 "trace-cmd extract -o %s/trace.dat >/dev/null 2>&1 && "
		 "trace-cmd report -i %s/trace.dat; trace-cmd reset", dir, dir);
	ASSERT_EQ(0, record_the_demo(&self->run, dir, record, report)) {
		TH_LOG("stderr: %s", self->run.err);
	}
	EXPECT_TRUE(demo_was_recorded(self->run.out));
	run(&self->run, false, "rm -rf %s", dir);
}

TEST_F_TIMEOUT(cli, perf_records_the_demo, 300)
{
	char dir[] = "/tmp/an-perf.XXXXXX", record[512], report[512];

	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(record, sizeof(record),
		 "perf record -q -e 'ascend_notify:*' -o %s/perf.data --", dir);
	snprintf(report, sizeof(report), "perf script -i %s/perf.data", dir);
	ASSERT_EQ(0, record_the_demo(&self->run, dir, record, report)) {
		TH_LOG("stderr: %s", self->run.err);
	}
	EXPECT_TRUE(demo_was_recorded(self->run.out));
	run(&self->run, false, "rm -rf %s", dir);
}

/* Last: it unloads the module and loads it again. */
TEST_F(cli, missing_module_is_reported_as_such)
{
	close(self->fd);
	self->fd = -1;
	nlt_close(&self->nl);
	ASSERT_EQ(0, syscall(SYS_delete_module, "ascend_notify", O_NONBLOCK)) {
		TH_LOG("cannot unload the module: %s", strerror(errno));
	}
	EXPECT_EQ(1, run(&self->run, false, "%%C dev"));
	EXPECT_NE(NULL, strstr(self->run.err,
			       "the ascend_notify module is not loaded")) {
		TH_LOG("stderr: %s", self->run.err);
	}
	EXPECT_STREQ("", self->run.out);
	ASSERT_EQ(0, an_module_restore());
	EXPECT_EQ(0, run(&self->run, false, "%%C stats"));
}

TEST_HARNESS_MAIN
