// SPDX-License-Identifier: GPL-2.0
/*
 * ascend-notify - inspect and configure the ascend_notify kernel module
 * through its generic netlink family, in the style of ip(8) and devlink(8).
 * One function per command; --help is the manual.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

#include "genl.h"
#include "print.h"
#include "timeline.h"

static const char manual[] =
"ASCEND-NOTIFY(8)                 ascend-notify                 ASCEND-NOTIFY(8)\n"
"\n"
"NAME\n"
"       ascend-notify - inspect and configure the ascend_notify kernel module\n"
"\n"
"SYNOPSIS\n"
"       ascend-notify [-j|--json] dev [show [DEV]]\n"
"       ascend-notify dev set DEV [peers MASK] [virtual on|off]\n"
"                         [user-notifies N] [user-handles N] [user-mem BYTES]\n"
"       ascend-notify [-j|--json] notify [show] [--dev N] [--pid P] [--exported]\n"
"       ascend-notify [-j|--json] proc\n"
"       ascend-notify [-j|--json] stats\n"
"       ascend-notify [-j|--json] user [show [UID]]\n"
"       ascend-notify [-j|--json] user limits\n"
"       ascend-notify [-j|--json] monitor [--count N]\n"
"       ascend-notify timeline [-o FILE.json] [--svg FILE.svg] -- CMD [ARGS...]\n"
"       ascend-notify -h|--help\n"
"\n"
"DESCRIPTION\n"
"       ascend-notify talks to the generic netlink family \"ascend_notify\" of\n"
"       the ascend_notify module (/dev/ascend_notify), which emulates the IPC\n"
"       notifies of Huawei Ascend NPUs. It lists the emulated devices, every\n"
"       live notify, every open context and the module's totals, follows what\n"
"       happens to notifies as it happens, and changes the emulated topology.\n"
"       Export keys never leave the kernel: an export is shown by the\n"
"       fingerprint of its key, the first 32 bits of the SHA-256 of its 64\n"
"       characters.\n"
"\n"
"       PIDs in listings are as the caller's PID namespace sees them: 0 for a\n"
"       process it cannot see (or one that exited). PIDs in events are bare\n"
"       TGIDs, the numbers of the initial PID namespace.\n"
"\n"
"COMMANDS\n"
"       dev [show [DEV]]\n"
"              One line per emulated device, or only DEV:\n"
"              DEV       device id\n"
"              SDID      super-pod device id\n"
"              LIVE      live notifies and events on it\n"
"              LIMIT     most live notifies and events it can hold\n"
"              CREATED   notifies and events ever created on it\n"
"              IMPORTS   live imported handles bound to it\n"
"              VIRTUAL   yes for a virtual instance (vNPU)\n"
"              PEERS     devices the topology connects it to\n"
"\n"
"       dev set DEV [peers MASK] [virtual on|off]\n"
"                   [user-notifies N] [user-handles N] [user-mem BYTES]\n"
"              Changes device DEV. MASK is a bit mask of devices, in C\n"
"              syntax (0x6: devices 1 and 2), or \"none\"; the topology stays\n"
"              symmetric. The kernel refuses (EBUSY) to cut a link a live\n"
"              import crosses, and to make a device virtual while it has\n"
"              exports or imports. user-notifies, user-handles and user-mem\n"
"              set the most one user may hold on DEV: notifies and events,\n"
"              handles bound to it, bytes of device memory (a number with\n"
"              an optional K, M or G suffix, powers of 1024). A limit below\n"
"              what a user holds takes nothing away; its next requests fail.\n"
"              Needs CAP_SYS_ADMIN.\n"
"\n"
"       notify [show] [--dev N] [--pid P] [--exported]\n"
"              One line per live object - notify, event or device memory -;\n"
"              only those on device N, those created by process P, or\n"
"              exported ones:\n"
"              DEV ID       its device and its id there (- for memory)\n"
"              KIND         notify, event or mem (device memory)\n"
"              SET          its bit (- for memory)\n"
"              FLAGS        device-only (ACL_NOTIFY_DEVICE_USE_ONLY) or -\n"
"              CREATOR      PID of the process that created it\n"
"              IMPORTERS    PIDs of the imported handles, one per handle\n"
"              WAITERS      tasks sleeping in a wait on it\n"
"              RECORDS WAITS TIMEOUTS\n"
"                           records, completed waits, expired waits\n"
"              DENIED       refused imports\n"
"              EXPORT       - (not exported), trust (importers must be on the\n"
"                           trustlist) or open (no PID validation);\n"
"                           withdrawn once the creator destroyed its handle\n"
"              TRUSTED      processes on the trustlist\n"
"              FINGERPRINT  fingerprint of the export key\n"
"              SIZE         bytes of device memory (- for a notify)\n"
"              MAPPINGS     its mappings, in any process\n"
"              WAITERS, RECORDS, WAITS and TIMEOUTS are - for memory.\n"
"\n"
"       proc   One line per open context of /dev/ascend_notify: PID, HANDLES\n"
"              (CREATED plus IMPORTED) and PEER-ACCESS, the device pairs\n"
"              DEV->PEER it enabled.\n"
"\n"
"       stats  The module's totals: open contexts, live objects (and of them\n"
"              notifies, events and memory objects), handles and importable\n"
"              keys, the kernel memory they take, and the size of one notify\n"
"              or event, of one memory object (its pages apart), of one\n"
"              handle and of one export.\n"
"\n"
"       user [show [UID]]\n"
"              What each user holds, one line per user and device where it\n"
"              holds something (or only user UID), against its limits:\n"
"              UID          the real uid, as the initial user namespace\n"
"                           sees it\n"
"              DEV          the device\n"
"              NOTIFIES     its live notifies and events there, and\n"
"              USER-LIMIT   the most one user may hold\n"
"              HANDLES      its handles bound to the device, and\n"
"              HANDLE-LIMIT the most one user may hold\n"
"              MEM          its bytes of device memory there, and\n"
"              MEM-LIMIT    the most one user may hold\n"
"              A user with CAP_SYS_RESOURCE may hold more than its limits.\n"
"\n"
"       user limits\n"
"              The per-user limits of each device, whoever holds what:\n"
"              DEV, USER-LIMIT (notifies and events), HANDLE-LIMIT and\n"
"              MEM-LIMIT.\n"
"\n"
"       monitor [--count N]\n"
"              Prints events as they happen, one line each, until interrupted\n"
"              or after N events. A line starts with the time it arrived,\n"
"              in seconds since boot (CLOCK_MONOTONIC, as dmesg and the\n"
"              examples print it), and the event, then what it is about:\n"
"              create    dev D id I pid P\n"
"              export    dev D id I pid P fingerprint F check trust|open\n"
"              trust     dev D id I pid P trusted N\n"
"              import    dev D id I pid P (P imported)\n"
"              denied    dev D id I pid P reason ERRNO (import refused)\n"
"              timeout   dev D id I pid P (P's wait expired)\n"
"              destroy   dev D id I pid P handle creator|importer\n"
"              unexport  dev D id I pid P (P withdrew the export key)\n"
"              exit      pid P handles N (released when P exited)\n"
"              limit     dev D pid P kind K uid U limit L (a create,\n"
"                        import or allocation refused; L says which\n"
"                        limit: device-notifies or device-mem, the\n"
"                        device's own; user-notifies, user-handles or\n"
"                        user-mem, the user's share of it)\n"
"              \"listening\" goes to standard error once it is subscribed.\n"
"              Needs CAP_NET_ADMIN.\n"
"\n"
"       timeline [-o FILE.json] [--svg FILE.svg] -- CMD [ARGS...]\n"
"              Runs CMD while the module's tracepoints (tracefs events\n"
"              ascend_notify:*) are recorded in a tracefs instance of its\n"
"              own, then writes what happened: FILE.json, a Chrome/Perfetto\n"
"              trace (open it in ui.perfetto.dev or chrome://tracing), and\n"
"              FILE.svg, the same as a picture. One lane per process, one\n"
"              track per thread; each wait is a slice from its start to its\n"
"              end named after the object and how it ended (recorded,\n"
"              timeout, interrupted, destroyed); a context's life is a\n"
"              slice; records, resets, exports, imports and the other\n"
"              changes are instants; an arrow goes from each record to the\n"
"              wait it released (the last record of the object at or before\n"
"              the wait's end), across processes. Times are CLOCK_MONOTONIC\n"
"              microseconds. Without -o and --svg, the trace goes to\n"
"              timeline.json. The exit status is CMD's. Needs root (tracefs;\n"
"              it is mounted on /sys/kernel/tracing if it is not).\n"
"\n"
"OPTIONS\n"
"       -j, --json\n"
"              JSON instead of tables: see JSON below.\n"
"\n"
"       -h, --help\n"
"              This manual.\n"
"\n"
"JSON\n"
"       Lists are an array with one object per line, stats one object,\n"
"       monitor one object per line (JSON Lines). Keys:\n"
"       dev      dev sdid live limit created imports virtual peers (an array\n"
"                of device ids) peer_mask\n"
"       notify   dev id kind set device_only flags creator importers (an\n"
"                array of PIDs) nr_importers waiters records waits timeouts\n"
"                denied export (null, \"trust\", \"open\" or \"withdrawn\")\n"
"                exported withdrawn no_pid_check trusted fingerprint size\n"
"                mappings mapped (null but for memory)\n"
"       proc     pid handles created imported peer_access (an array of\n"
"                [dev, peer] pairs)\n"
"       stats    contexts objects notifies events mems handles keys memory\n"
"                notify_size mem_size handle_size export_size\n"
"       user     uid dev notifies max_notifies handles max_handles mem\n"
"                max_mem (user limits: dev max_notifies max_handles\n"
"                max_mem)\n"
"       monitor  time (seconds, a number) event dev id pid, and as the event\n"
"                has them: fingerprint no_pid_check trusted reason (the errno\n"
"                name) errno creator (true for the creator's handle) handles\n"
"                kind uid limit\n"
"       A value the kernel does not report is null.\n"
"\n"
"EXIT STATUS\n"
"       0 on success, 1 when the request failed (the kernel's error and its\n"
"       message are printed), 2 on a usage error.\n"
"\n"
"PERMISSIONS\n"
"       Listing, what each user holds included, needs no privilege.\n"
"       dev set needs CAP_SYS_ADMIN; monitor needs\n"
"       CAP_NET_ADMIN, because events name every process using notifies;\n"
"       timeline needs root, as tracefs does.\n"
"\n"
"EXAMPLES\n"
"       ascend-notify notify --dev 0\n"
"       ascend-notify --json notify --exported\n"
"       ascend-notify dev set 3 peers 0x4        # device 3 reaches device 2 only\n"
"       ascend-notify dev set 5 virtual on\n"
"       ascend-notify dev set 0 user-notifies 1024 user-mem 256M\n"
"       ascend-notify user show 1000\n"
"       ascend-notify monitor\n"
"       ascend-notify timeline -o t.json --svg t.svg -- ./run_pair .\n"
"\n"
"SEE ALSO\n"
"       include/uapi/linux/ascend_notify.h (the family, its commands and\n"
"       attributes), ip(8), devlink(8)\n";

static bool json;

static int __attribute__((format(printf, 1, 2))) usage(const char *fmt, ...)
{
	va_list ap;

	fputs("ascend-notify: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("; see ascend-notify --help\n", stderr);
	return 2;
}

/* Prints a failed request: errno, the kernel's message, a hint for EPERM. */
static int fail(const char *what, int err, const struct an_reply *r,
		const char *eperm_hint)
{
	fprintf(stderr, "ascend-notify: %s: %s", what, strerror(-err));
	if (r && r->msg[0])
		fprintf(stderr, ": %s", r->msg);
	if (err == -EPERM && eperm_hint)
		fprintf(stderr, " (%s)", eperm_hint);
	fputc('\n', stderr);
	return 1;
}

static int open_family(struct an_genl *g)
{
	int ret = an_genl_open(g);

	if (ret == -ENOENT && access("/sys/module/ascend_notify", F_OK))
		fputs("ascend-notify: the ascend_notify module is not loaded (no generic netlink family \"ascend_notify\"); load it first, e.g. insmod kmod/ascend_notify.ko\n",
		      stderr);
	else if (ret == -ENOENT)
		fputs("ascend-notify: the loaded ascend_notify module has no generic netlink family \"ascend_notify\": it is too old for this tool\n",
		      stderr);
	else if (ret)
		return fail("netlink", ret, NULL, NULL);
	return ret ? 1 : 0;
}

/* Parses a whole unsigned number (C syntax); false if it is not one. */
static bool parse_u64(const char *s, uint64_t max, uint64_t *v)
{
	char *end;

	if (!*s || *s == '-')
		return false;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return !errno && !*end && *v <= max;
}

/* An attribute as a number, whatever its width; 0 when absent. */
static uint64_t get(struct nlattr **tb, int type)
{
	struct nlattr *a = tb[type];

	if (!a)
		return 0;
	switch (nla_len(a)) {
	case 1:
		return nla_get_u8(a);
	case 4:
		return nla_get_u32(a);
	default:
		return nla_get_u64(a);
	}
}

/* A number, or null when the kernel did not send it. */
static void tab_opt(struct an_table *t, struct nlattr **tb, int type,
		    const char *key, const char *head)
{
	if (tb[type])
		tab_u64(t, key, head, get(tb, type));
	else
		tab_null(t, key, head);
}

static const char *const kind_names[] = {
	[ASCEND_NOTIFY_KIND_NOTIFY] = "notify",
	[ASCEND_NOTIFY_KIND_EVENT] = "event",
	[ASCEND_NOTIFY_KIND_MEM] = "mem",
};

/* @names[@v], or @v as a number when it has no name. */
static void tab_name(struct an_table *t, const char *key, const char *head,
		     const char *const *names, size_t n, uint64_t v)
{
	char buf[24];

	if (v < n && names[v]) {
		tab_str(t, key, head, names[v]);
	} else {
		snprintf(buf, sizeof(buf), "%" PRIu64, v);
		tab_str(t, key, head, buf);
	}
}

/* Builds a dump request with its filters. */
typedef struct nl_msg *(*an_req_fn)(struct an_genl *g, const void *filter);

/*
 * Runs the dump @req builds, passing each message to @fn with @arg; @t is
 * the table @fn fills. A dump the kernel flags as interrupted (the objects
 * changed meanwhile) is run again, up to three times.
 */
static int dump(struct an_genl *g, const char *what, an_req_fn req,
		const void *filter, an_msg_fn fn, struct an_table *t, void *arg)
{
	struct an_reply r;
	int tries, ret;

	for (tries = 1;; tries++) {
		struct nl_msg *msg = req(g, filter);

		if (!msg)
			return fail(what, -ENOMEM, NULL, NULL);
		ret = an_genl_call(g, msg, fn, arg, &r);
		if (ret)
			return fail(what, ret, &r, NULL);
		if (!r.intr)
			return 0;
		if (tries == 3)
			break;
		tab_free(t);
	}
	fprintf(stderr, "ascend-notify: %s: the objects kept changing while they were listed; this listing may be inconsistent\n",
		what);
	return 0;
}

/* ---- dev ------------------------------------------------------------------ */

struct dev_ctx {
	struct an_table t;
	int64_t only;		/* the device to show, or -1 */
};

/* "1-3,5" for the devices of @mask; the JSON array in @j. */
static void mask_list(uint64_t mask, struct an_buf *text, struct an_buf *j)
{
	int i, end;

	buf_printf(j, "[");
	for (i = 0; i < 64; i++) {
		if (!(mask >> i & 1))
			continue;
		buf_printf(j, "%s%d", j->len > 1 ? "," : "", i);
		for (end = i; end < 63 && mask >> (end + 1) & 1; end++)
			buf_printf(j, ",%d", end + 1);
		buf_printf(text, "%s%d", text->len ? "," : "", i);
		if (end > i)
			buf_printf(text, "%c%d", end > i + 1 ? '-' : ',', end);
		i = end;
	}
	buf_printf(j, "]");
	if (!text->len)
		buf_printf(text, "-");
}

static int dev_row(struct nlattr **tb, void *arg)
{
	struct dev_ctx *c = arg;
	struct an_table *t = &c->t;
	struct an_buf text = { 0 }, j = { 0 };
	uint64_t peers = get(tb, ASCEND_NOTIFY_A_DEV_PEERS);
	char mask[24];

	if (c->only >= 0 && get(tb, ASCEND_NOTIFY_A_DEV) != (uint64_t)c->only)
		return 0;
	tab_row(t);
	tab_u64(t, "dev", "DEV", get(tb, ASCEND_NOTIFY_A_DEV));
	tab_u64(t, "sdid", "SDID", get(tb, ASCEND_NOTIFY_A_DEV_SDID));
	/* What LIMIT limits: notifies and events share the device's ids. */
	tab_u64(t, "live", "LIVE", get(tb, ASCEND_NOTIFY_A_DEV_LIVE_NOTIFIES) +
		get(tb, ASCEND_NOTIFY_A_DEV_LIVE_EVENTS));
	tab_u64(t, "limit", "LIMIT", get(tb, ASCEND_NOTIFY_A_DEV_LIMIT));
	tab_u64(t, "created", "CREATED", get(tb, ASCEND_NOTIFY_A_DEV_CREATED));
	tab_u64(t, "imports", "IMPORTS", get(tb, ASCEND_NOTIFY_A_DEV_IMPORTS));
	tab_bool(t, "virtual", "VIRTUAL", get(tb, ASCEND_NOTIFY_A_DEV_VIRTUAL),
		 "yes", "no");
	mask_list(peers, &text, &j);
	tab_raw(t, "peers", "PEERS", text.s, j.s);
	if (json) {
		snprintf(mask, sizeof(mask), "%" PRIu64, peers);
		tab_raw(t, "peer_mask", "", "", mask);
	}
	buf_free(&text);
	buf_free(&j);
	return 0;
}

static struct nl_msg *dev_req(struct an_genl *g, const void *filter)
{
	(void)filter;
	return an_genl_msg(g, ASCEND_NOTIFY_CMD_DEVICE_GET, true);
}

static int cmd_dev_show(struct an_genl *g, int argc, char **argv)
{
	struct dev_ctx c = { .only = -1 };
	uint64_t dev;
	int ret;

	if (argc > 1)
		return usage("dev show: unexpected '%s'", argv[1]);
	if (argc == 1) {
		if (!parse_u64(argv[0], UINT32_MAX, &dev))
			return usage("dev show: '%s' is not a device id",
				     argv[0]);
		c.only = dev;
	}
	ret = dump(g, "dev", dev_req, NULL, dev_row, &c.t, &c);
	if (!ret && c.only >= 0 && !c.t.n) {
		fprintf(stderr, "ascend-notify: dev: no device %" PRId64 "\n",
			c.only);
		ret = 1;
	}
	if (!ret)
		tab_print(&c.t, json);
	tab_free(&c.t);
	return ret;
}

/* The per-user limits "dev set" takes, by name. */
enum { LIM_NOTIFIES, LIM_HANDLES, LIM_MEM };

static int user_limit(const char *name)
{
	if (!strcmp(name, "user-notifies"))
		return LIM_NOTIFIES;
	if (!strcmp(name, "user-handles"))
		return LIM_HANDLES;
	if (!strcmp(name, "user-mem"))
		return LIM_MEM;
	return -1;
}

/* Bytes, with an optional K, M or G (powers of 1024); false if not. */
static bool parse_size(const char *s, uint64_t *v)
{
	static const char units[] = "KMG";
	char num[32];
	size_t len = strlen(s);
	const char *u;

	if (!len || len >= sizeof(num))
		return false;
	u = strchr(units, s[len - 1]);
	if (!u)
		return parse_u64(s, UINT64_MAX, v);
	memcpy(num, s, len - 1);
	num[len - 1] = '\0';
	if (!parse_u64(num, UINT64_MAX >> (10 * (u - units + 1)), v))
		return false;
	*v <<= 10 * (u - units + 1);
	return true;
}

static int cmd_dev_set(struct an_genl *g, int argc, char **argv)
{
	uint64_t dev, peers = 0, lim[3];
	int i, virt = -1, has_peers = 0;
	bool has_lim[3] = { false };
	struct an_reply r;
	struct nl_msg *msg;
	int ret, l;

	if (argc < 1 || !parse_u64(argv[0], UINT32_MAX, &dev))
		return usage("dev set: expected a device id, got '%s'",
			     argc ? argv[0] : "nothing");
	for (i = 1; i < argc; i += 2) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(argv[i], "peers") && v && !has_peers) {
			has_peers = !strcmp(v, "none") ||
				    parse_u64(v, UINT64_MAX, &peers);
			if (!has_peers)
				return usage("dev set: '%s' is not a peer mask",
					     v);
		} else if (!strcmp(argv[i], "virtual") && v && virt < 0) {
			virt = !strcmp(v, "on") ? 1 : !strcmp(v, "off") ? 0 : -1;
			if (virt < 0)
				return usage("dev set: virtual takes on or off, not '%s'",
					     v);
		} else if ((l = user_limit(argv[i])) >= 0 && v && !has_lim[l]) {
			if (!(l == LIM_MEM ? parse_size(v, &lim[l]) :
			      parse_u64(v, UINT32_MAX, &lim[l])))
				return usage("dev set: '%s' is no %s", v,
					     l == LIM_MEM ? "size" : "count");
			has_lim[l] = true;
		} else {
			return usage("dev set: unexpected '%s'", argv[i]);
		}
	}
	if (!has_peers && virt < 0 && !has_lim[0] && !has_lim[1] && !has_lim[2])
		return usage("dev set: nothing to change");

	msg = an_genl_msg(g, ASCEND_NOTIFY_CMD_DEVICE_SET, false);
	if (!msg || nla_put_u32(msg, ASCEND_NOTIFY_A_DEV, dev) ||
	    (has_peers && nla_put_u64(msg, ASCEND_NOTIFY_A_DEV_PEERS, peers)) ||
	    (virt >= 0 && nla_put_u8(msg, ASCEND_NOTIFY_A_DEV_VIRTUAL, virt)) ||
	    (has_lim[LIM_NOTIFIES] &&
	     nla_put_u32(msg, ASCEND_NOTIFY_A_USER_MAX_NOTIFIES,
			 lim[LIM_NOTIFIES])) ||
	    (has_lim[LIM_HANDLES] &&
	     nla_put_u32(msg, ASCEND_NOTIFY_A_USER_MAX_HANDLES,
			 lim[LIM_HANDLES])) ||
	    (has_lim[LIM_MEM] &&
	     nla_put_u64(msg, ASCEND_NOTIFY_A_USER_MAX_MEM, lim[LIM_MEM]))) {
		nlmsg_free(msg);
		return fail("dev set", -ENOMEM, NULL, NULL);
	}
	ret = an_genl_call(g, msg, NULL, NULL, &r);
	if (ret)
		return fail("dev set", ret, &r,
			    "changing devices needs CAP_SYS_ADMIN");
	return 0;
}

/* ---- notify ---------------------------------------------------------------- */

struct notify_filter {
	int64_t dev, pid;	/* -1: any */
	bool exported;
};

static struct nl_msg *notify_req(struct an_genl *g, const void *filter)
{
	const struct notify_filter *f = filter;
	struct nl_msg *msg = an_genl_msg(g, ASCEND_NOTIFY_CMD_NOTIFY_GET, true);

	if (msg && ((f->dev >= 0 &&
		     nla_put_u32(msg, ASCEND_NOTIFY_A_DEV, f->dev)) ||
		    (f->pid >= 0 &&
		     nla_put_u32(msg, ASCEND_NOTIFY_A_PID, f->pid)) ||
		    (f->exported &&
		     nla_put_flag(msg, ASCEND_NOTIFY_A_EXPORTED_ONLY)) ||
		    nla_put_flag(msg, ASCEND_NOTIFY_A_WITH_MEM))) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

/* The u32 PIDs nested in @nest: "1,2" (or "-") and [1,2]. */
static void pid_list(struct nlattr *nest, struct an_buf *text,
		     struct an_buf *j)
{
	struct nlattr *a;
	int rem;

	buf_printf(j, "[");
	if (nest) {
		nla_for_each_nested(a, nest, rem) {
			if (nla_type(a) != ASCEND_NOTIFY_A_PID ||
			    nla_len(a) != 4)
				continue;
			buf_printf(text, "%s%u", text->len ? "," : "",
				   nla_get_u32(a));
			buf_printf(j, "%s%u", j->len > 1 ? "," : "",
				   nla_get_u32(a));
		}
	}
	buf_printf(j, "]");
	if (!text->len)
		buf_printf(text, "-");
}

static int notify_row(struct nlattr **tb, void *arg)
{
	struct an_table *t = arg;
	struct an_buf text = { 0 }, j = { 0 };
	bool exported = get(tb, ASCEND_NOTIFY_A_EXPORTED);
	uint32_t flags = get(tb, ASCEND_NOTIFY_A_FLAGS);
	bool mem = get(tb, ASCEND_NOTIFY_A_KIND) == ASCEND_NOTIFY_KIND_MEM;
	char fp[12];

	tab_row(t);
	tab_u64(t, "dev", "DEV", get(tb, ASCEND_NOTIFY_A_DEV));
	tab_opt(t, tb, ASCEND_NOTIFY_A_ID, "id", "ID");
	tab_name(t, "kind", "KIND", kind_names,
		 sizeof(kind_names) / sizeof(kind_names[0]),
		 get(tb, ASCEND_NOTIFY_A_KIND));
	if (mem) {	/* no bit, no flags */
		tab_null(t, "set", "SET");
		tab_null(t, "device_only", "FLAGS");
	} else {
		tab_bool(t, "set", "SET", get(tb, ASCEND_NOTIFY_A_SET), "yes",
			 "no");
		tab_bool(t, "device_only", "FLAGS",
			 flags & ASCEND_NOTIFY_CREATE_DEVICE_ONLY,
			 "device-only", "-");
	}
	tab_u64(t, "creator", "CREATOR", get(tb, ASCEND_NOTIFY_A_CREATOR_PID));
	pid_list(tb[ASCEND_NOTIFY_A_IMPORTERS], &text, &j);
	tab_raw(t, "importers", "IMPORTERS", text.s, j.s);
	if (json)
		tab_u64(t, "nr_importers", "",
			get(tb, ASCEND_NOTIFY_A_NR_IMPORTERS));
	tab_opt(t, tb, ASCEND_NOTIFY_A_WAITERS, "waiters", "WAITERS");
	tab_opt(t, tb, ASCEND_NOTIFY_A_RECORDS, "records", "RECORDS");
	tab_opt(t, tb, ASCEND_NOTIFY_A_WAITS, "waits", "WAITS");
	tab_opt(t, tb, ASCEND_NOTIFY_A_TIMEOUTS, "timeouts", "TIMEOUTS");
	tab_u64(t, "denied", "DENIED", get(tb, ASCEND_NOTIFY_A_DENIED));
	if (!exported)
		tab_raw(t, "export", "EXPORT", "-", "null");
	else if (get(tb, ASCEND_NOTIFY_A_WITHDRAWN))
		tab_str(t, "export", "EXPORT", "withdrawn");
	else
		tab_str(t, "export", "EXPORT",
			get(tb, ASCEND_NOTIFY_A_NO_PID_CHECK) ? "open" : "trust");
	tab_opt(t, tb, ASCEND_NOTIFY_A_NR_TRUSTED, "trusted", "TRUSTED");
	if (tb[ASCEND_NOTIFY_A_FINGERPRINT]) {
		snprintf(fp, sizeof(fp), "%08" PRIx64,
			 get(tb, ASCEND_NOTIFY_A_FINGERPRINT));
		tab_str(t, "fingerprint", "FINGERPRINT", fp);
	} else {
		tab_null(t, "fingerprint", "FINGERPRINT");
	}
	/* Device memory: its size and how it is mapped. */
	tab_opt(t, tb, ASCEND_NOTIFY_A_MEM_SIZE, "size", "SIZE");
	if (mem)
		tab_u64(t, "mappings", "MAPPINGS",
			get(tb, ASCEND_NOTIFY_A_MEM_MAPPINGS));
	else
		tab_null(t, "mappings", "MAPPINGS");
	if (json) {
		if (mem)
			tab_bool(t, "mapped", "",
				 get(tb, ASCEND_NOTIFY_A_MEM_MAPPED), "", "");
		else
			tab_null(t, "mapped", "");
		tab_bool(t, "exported", "", exported, "", "");
		tab_bool(t, "withdrawn", "", get(tb, ASCEND_NOTIFY_A_WITHDRAWN),
			 "", "");
		tab_bool(t, "no_pid_check", "",
			 get(tb, ASCEND_NOTIFY_A_NO_PID_CHECK), "", "");
		tab_u64(t, "flags", "", flags);
	}
	buf_free(&text);
	buf_free(&j);
	return 0;
}

/* "--name VALUE" or "--name=VALUE" at argv[*i]; NULL if not @name. */
static const char *opt_arg(int argc, char **argv, int *i, const char *name)
{
	size_t len = strlen(name);

	if (strncmp(argv[*i], name, len))
		return NULL;
	if (argv[*i][len] == '=')
		return argv[*i] + len + 1;
	if (argv[*i][len] || *i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

static int cmd_notify(struct an_genl *g, int argc, char **argv)
{
	struct notify_filter f = { .dev = -1, .pid = -1 };
	struct an_table t = { 0 };
	const char *v;
	uint64_t n;
	int i, ret;

	for (i = argc && !strcmp(argv[0], "show"); i < argc; i++) {
		if (!strcmp(argv[i], "--exported")) {
			f.exported = true;
		} else if ((v = opt_arg(argc, argv, &i, "--dev"))) {
			if (!parse_u64(v, UINT32_MAX, &n))
				return usage("notify: '%s' is not a device id", v);
			f.dev = n;
		} else if ((v = opt_arg(argc, argv, &i, "--pid"))) {
			if (!parse_u64(v, INT32_MAX, &n) || !n)
				return usage("notify: '%s' is not a PID", v);
			f.pid = n;
		} else {
			return usage("notify: unexpected '%s'", argv[i]);
		}
	}
	ret = dump(g, "notify", notify_req, &f, notify_row, &t, &t);
	if (!ret)
		tab_print(&t, json);
	tab_free(&t);
	return ret;
}

/* ---- proc, stats ------------------------------------------------------------- */

static int proc_row(struct nlattr **tb, void *arg)
{
	struct an_table *t = arg;
	struct an_buf text = { 0 }, j = { 0 };
	struct nlattr *a;
	int rem;

	tab_row(t);
	tab_u64(t, "pid", "PID", get(tb, ASCEND_NOTIFY_A_PID));
	tab_u64(t, "handles", "HANDLES", get(tb, ASCEND_NOTIFY_A_HANDLES));
	tab_u64(t, "created", "CREATED", get(tb, ASCEND_NOTIFY_A_CREATED));
	tab_u64(t, "imported", "IMPORTED", get(tb, ASCEND_NOTIFY_A_IMPORTED));
	buf_printf(&j, "[");
	if (tb[ASCEND_NOTIFY_A_PEER_ACCESS]) {
		nla_for_each_nested(a, tb[ASCEND_NOTIFY_A_PEER_ACCESS], rem) {
			uint64_t pair;

			if (nla_type(a) != ASCEND_NOTIFY_A_PEER_PAIR ||
			    nla_len(a) != 8)
				continue;
			pair = nla_get_u64(a);
			buf_printf(&text, "%s%u->%u", text.len ? "," : "",
				   (uint32_t)(pair >> 32), (uint32_t)pair);
			buf_printf(&j, "%s[%u,%u]", j.len > 1 ? "," : "",
				   (uint32_t)(pair >> 32), (uint32_t)pair);
		}
	}
	buf_printf(&j, "]");
	tab_raw(t, "peer_access", "PEER-ACCESS", text.len ? text.s : "-", j.s);
	buf_free(&text);
	buf_free(&j);
	return 0;
}

static struct nl_msg *proc_req(struct an_genl *g, const void *filter)
{
	(void)filter;
	return an_genl_msg(g, ASCEND_NOTIFY_CMD_PROC_GET, true);
}

static int cmd_proc(struct an_genl *g, int argc, char **argv)
{
	struct an_table t = { 0 };
	int ret;

	if (argc)
		return usage("proc: unexpected '%s'", argv[0]);
	ret = dump(g, "proc", proc_req, NULL, proc_row, &t, &t);
	if (!ret)
		tab_print(&t, json);
	tab_free(&t);
	return ret;
}

static int stats_row(struct nlattr **tb, void *arg)
{
	struct an_table *t = arg;

	tab_row(t);
	tab_u64(t, "contexts", "contexts",
		get(tb, ASCEND_NOTIFY_A_STAT_CONTEXTS));
	tab_u64(t, "objects", "objects",
		get(tb, ASCEND_NOTIFY_A_STAT_OBJECTS));
	tab_u64(t, "notifies", "  notifies",
		get(tb, ASCEND_NOTIFY_A_STAT_NOTIFIES));
	tab_u64(t, "events", "  events", get(tb, ASCEND_NOTIFY_A_STAT_EVENTS));
	tab_u64(t, "mems", "  memory objects", get(tb, ASCEND_NOTIFY_A_STAT_MEMS));
	tab_u64(t, "handles", "handles", get(tb, ASCEND_NOTIFY_A_STAT_HANDLES));
	tab_u64(t, "keys", "keys", get(tb, ASCEND_NOTIFY_A_STAT_KEYS));
	tab_u64(t, "memory", "memory (bytes)",
		get(tb, ASCEND_NOTIFY_A_STAT_MEMORY));
	tab_u64(t, "notify_size", "notify size (bytes)",
		get(tb, ASCEND_NOTIFY_A_STAT_NOTIFY_SIZE));
	tab_u64(t, "mem_size", "mem size (bytes)",
		get(tb, ASCEND_NOTIFY_A_STAT_MEM_SIZE));
	tab_u64(t, "handle_size", "handle size (bytes)",
		get(tb, ASCEND_NOTIFY_A_STAT_HANDLE_SIZE));
	tab_u64(t, "export_size", "export size (bytes)",
		get(tb, ASCEND_NOTIFY_A_STAT_EXPORT_SIZE));
	return 0;
}

static int cmd_stats(struct an_genl *g, int argc, char **argv)
{
	struct an_table t = { 0 };
	struct an_reply r;
	struct nl_msg *msg;
	int ret;

	if (argc)
		return usage("stats: unexpected '%s'", argv[0]);
	msg = an_genl_msg(g, ASCEND_NOTIFY_CMD_STATS_GET, false);
	if (!msg)
		return fail("stats", -ENOMEM, NULL, NULL);
	ret = an_genl_call(g, msg, stats_row, &t, &r);
	if (ret)
		ret = fail("stats", ret, &r, NULL);
	else if (t.n)
		tab_print_object(&t, json);
	tab_free(&t);
	return ret;
}

/* ---- user ------------------------------------------------------------------------ */

struct user_ctx {
	struct an_table t;
	int64_t only;		/* the uid to show, or -1 */
};

/* The per-user limits of a device, as columns. */
static void limit_cells(struct an_table *t, struct nlattr **tb)
{
	tab_u64(t, "max_notifies", "USER-LIMIT",
		get(tb, ASCEND_NOTIFY_A_USER_MAX_NOTIFIES));
	tab_u64(t, "max_handles", "HANDLE-LIMIT",
		get(tb, ASCEND_NOTIFY_A_USER_MAX_HANDLES));
	tab_u64(t, "max_mem", "MEM-LIMIT",
		get(tb, ASCEND_NOTIFY_A_USER_MAX_MEM));
}

static int user_row(struct nlattr **tb, void *arg)
{
	struct user_ctx *c = arg;
	struct an_table *t = &c->t;

	if (c->only >= 0 && get(tb, ASCEND_NOTIFY_A_UID) != (uint64_t)c->only)
		return 0;
	tab_row(t);
	tab_u64(t, "uid", "UID", get(tb, ASCEND_NOTIFY_A_UID));
	tab_u64(t, "dev", "DEV", get(tb, ASCEND_NOTIFY_A_DEV));
	tab_u64(t, "notifies", "NOTIFIES",
		get(tb, ASCEND_NOTIFY_A_USER_NOTIFIES));
	tab_u64(t, "max_notifies", "USER-LIMIT",
		get(tb, ASCEND_NOTIFY_A_USER_MAX_NOTIFIES));
	tab_u64(t, "handles", "HANDLES", get(tb, ASCEND_NOTIFY_A_USER_HANDLES));
	tab_u64(t, "max_handles", "HANDLE-LIMIT",
		get(tb, ASCEND_NOTIFY_A_USER_MAX_HANDLES));
	tab_u64(t, "mem", "MEM", get(tb, ASCEND_NOTIFY_A_USER_MEM));
	tab_u64(t, "max_mem", "MEM-LIMIT",
		get(tb, ASCEND_NOTIFY_A_USER_MAX_MEM));
	return 0;
}

static struct nl_msg *user_req(struct an_genl *g, const void *filter)
{
	(void)filter;
	return an_genl_msg(g, ASCEND_NOTIFY_CMD_USER_GET, true);
}

static int limits_row(struct nlattr **tb, void *arg)
{
	struct an_table *t = arg;

	tab_row(t);
	tab_u64(t, "dev", "DEV", get(tb, ASCEND_NOTIFY_A_DEV));
	limit_cells(t, tb);
	return 0;
}

static int cmd_user(struct an_genl *g, int argc, char **argv)
{
	struct user_ctx c = { .only = -1 };
	uint64_t uid;
	int ret;

	if (argc && !strcmp(argv[0], "limits")) {
		if (argc > 1)
			return usage("user limits: unexpected '%s'", argv[1]);
		ret = dump(g, "user limits", dev_req, NULL, limits_row, &c.t,
			   &c.t);
		if (!ret)
			tab_print(&c.t, json);
		tab_free(&c.t);
		return ret;
	}
	if (argc && !strcmp(argv[0], "show")) {
		argc--;
		argv++;
	}
	if (argc > 1)
		return usage("user show: unexpected '%s'", argv[1]);
	if (argc == 1) {
		if (!parse_u64(argv[0], UINT32_MAX, &uid))
			return usage("user show: '%s' is not a uid", argv[0]);
		c.only = uid;
	}
	ret = dump(g, "user", user_req, NULL, user_row, &c.t, &c);
	if (!ret)
		tab_print(&c.t, json);
	tab_free(&c.t);
	return ret;
}

/* ---- monitor --------------------------------------------------------------------- */

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

struct monitor {
	struct an_table t;
	uint64_t count, seen;
};

static const char *const event_names[] = {
	[ASCEND_NOTIFY_EVENT_CREATE] = "create",
	[ASCEND_NOTIFY_EVENT_EXPORT] = "export",
	[ASCEND_NOTIFY_EVENT_TRUST] = "trust",
	[ASCEND_NOTIFY_EVENT_IMPORT] = "import",
	[ASCEND_NOTIFY_EVENT_DENIED] = "denied",
	[ASCEND_NOTIFY_EVENT_TIMEOUT] = "timeout",
	[ASCEND_NOTIFY_EVENT_DESTROY] = "destroy",
	[ASCEND_NOTIFY_EVENT_OWNER_EXIT] = "exit",
	[ASCEND_NOTIFY_EVENT_LIMIT] = "limit",
	[ASCEND_NOTIFY_EVENT_UNEXPORT] = "unexport",
};

static const char *const limit_names[] = {
	[ASCEND_NOTIFY_LIMIT_DEV_NOTIFIES] = "device-notifies",
	[ASCEND_NOTIFY_LIMIT_DEV_MEM] = "device-mem",
	[ASCEND_NOTIFY_LIMIT_USER_NOTIFIES] = "user-notifies",
	[ASCEND_NOTIFY_LIMIT_USER_MEM] = "user-mem",
	[ASCEND_NOTIFY_LIMIT_USER_HANDLES] = "user-handles",
};


static int event_line(struct nlattr **tb, void *arg)
{
	struct monitor *m = arg;
	struct an_table *t = &m->t;
	uint32_t ev = get(tb, ASCEND_NOTIFY_A_EVENT);
	char time[48], secs[32], name[16], fp[12];
	const char *reason;
	struct timespec ts;

	if (!tb[ASCEND_NOTIFY_A_EVENT])
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	snprintf(secs, sizeof(secs), "%ld.%06ld", (long)ts.tv_sec,
		 ts.tv_nsec / 1000);
	snprintf(time, sizeof(time), "[%12s]", secs);
	if (ev < sizeof(event_names) / sizeof(event_names[0]) &&
	    event_names[ev])
		snprintf(name, sizeof(name), "%s", event_names[ev]);
	else
		snprintf(name, sizeof(name), "event-%u", ev);

	tab_free(t);
	tab_row(t);
	tab_raw(t, "time", "time", time, secs);
	tab_str(t, "event", "event", name);
	tab_opt(t, tb, ASCEND_NOTIFY_A_DEV, "dev", "dev");
	tab_opt(t, tb, ASCEND_NOTIFY_A_ID, "id", "id");
	tab_opt(t, tb, ASCEND_NOTIFY_A_PID, "pid", "pid");
	switch (ev) {
	case ASCEND_NOTIFY_EVENT_EXPORT:
		snprintf(fp, sizeof(fp), "%08" PRIx64,
			 get(tb, ASCEND_NOTIFY_A_FINGERPRINT));
		tab_str(t, "fingerprint", "fingerprint", fp);
		tab_bool(t, "no_pid_check", "check",
			 get(tb, ASCEND_NOTIFY_A_NO_PID_CHECK), "open", "trust");
		break;
	case ASCEND_NOTIFY_EVENT_TRUST:
		tab_opt(t, tb, ASCEND_NOTIFY_A_NR_TRUSTED, "trusted", "trusted");
		break;
	case ASCEND_NOTIFY_EVENT_DENIED:
		reason = strerrorname_np(get(tb, ASCEND_NOTIFY_A_REASON));
		tab_str(t, "reason", "reason", reason ? reason : "?");
		if (json)	/* the name says it in a line */
			tab_u64(t, "errno", "", get(tb, ASCEND_NOTIFY_A_REASON));
		break;
	case ASCEND_NOTIFY_EVENT_DESTROY:
		tab_bool(t, "creator", "handle",
			 get(tb, ASCEND_NOTIFY_A_IS_CREATOR), "creator",
			 "importer");
		break;
	case ASCEND_NOTIFY_EVENT_OWNER_EXIT:
		tab_opt(t, tb, ASCEND_NOTIFY_A_HANDLES, "handles", "handles");
		break;
	case ASCEND_NOTIFY_EVENT_LIMIT:
		tab_name(t, "kind", "kind", kind_names,
			 sizeof(kind_names) / sizeof(kind_names[0]),
			 get(tb, ASCEND_NOTIFY_A_KIND));
		tab_opt(t, tb, ASCEND_NOTIFY_A_UID, "uid", "uid");
		tab_name(t, "limit", "limit", limit_names,
			 sizeof(limit_names) / sizeof(limit_names[0]),
			 get(tb, ASCEND_NOTIFY_A_LIMIT));
		break;
	}
	tab_print_line(t, json);
	fflush(stdout);
	return ++m->seen == m->count;
}

static int cmd_monitor(struct an_genl *g, int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct monitor m = { 0 };
	const char *v;
	int i, ret;

	for (i = 0; i < argc; i++) {
		v = opt_arg(argc, argv, &i, "--count");
		if (!v || !parse_u64(v, UINT64_MAX, &m.count) || !m.count)
			return usage("monitor: unexpected '%s'", argv[i]);
	}
	ret = an_genl_subscribe(g);
	if (ret)
		return fail("monitor", ret, NULL,
			    "joining the events group needs CAP_NET_ADMIN");
	/* No SA_RESTART: a signal ends the wait for the next event. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	fputs("ascend-notify: listening for events (^C to stop)\n", stderr);
	do {
		ret = an_genl_listen(g, event_line, &m, &stop);
		if (ret == -ENOBUFS)
			fputs("ascend-notify: monitor: events were lost (the socket buffer overflowed)\n",
			      stderr);
	} while (ret == -ENOBUFS);
	tab_free(&m.t);
	return ret < 0 ? fail("monitor", ret, NULL, NULL) : 0;
}

/* ---- main ------------------------------------------------------------------------ */

int main(int argc, char **argv)
{
	char **args = calloc(argc + 1, sizeof(*args));
	struct an_genl g;
	int i, n = 0, ret;
	const char *obj;

	if (!args)
		return 1;
	/* Global options may come anywhere before a "--". */
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			while (i < argc)
				args[n++] = argv[i++];
			break;
		}
		if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json"))
			json = true;
		else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help") ||
			 (!n && !strcmp(argv[i], "help")))
			return fputs(manual, stdout) == EOF;
		else
			args[n++] = argv[i];
	}
	if (!n)
		return usage("a command is needed");
	obj = args[0];
	/* Reads tracefs, not the netlink family. */
	if (!strcmp(obj, "timeline")) {
		ret = cmd_timeline(n - 1, args + 1);
		free(args);
		return ret;
	}
	if (strcmp(obj, "dev") && strcmp(obj, "notify") &&
	    strcmp(obj, "proc") && strcmp(obj, "stats") &&
	    strcmp(obj, "user") && strcmp(obj, "monitor"))
		return usage("unknown command '%s'", obj);

	ret = open_family(&g);
	if (ret)
		return ret;
	if (!strcmp(obj, "dev") && n > 1 && !strcmp(args[1], "set"))
		ret = cmd_dev_set(&g, n - 2, args + 2);
	else if (!strcmp(obj, "dev") && n > 1 && !strcmp(args[1], "show"))
		ret = cmd_dev_show(&g, n - 2, args + 2);
	else if (!strcmp(obj, "dev"))
		ret = cmd_dev_show(&g, n - 1, args + 1);
	else if (!strcmp(obj, "notify"))
		ret = cmd_notify(&g, n - 1, args + 1);
	else if (!strcmp(obj, "proc"))
		ret = cmd_proc(&g, n - 1, args + 1);
	else if (!strcmp(obj, "stats"))
		ret = cmd_stats(&g, n - 1, args + 1);
	else if (!strcmp(obj, "user"))
		ret = cmd_user(&g, n - 1, args + 1);
	else
		ret = cmd_monitor(&g, n - 1, args + 1);
	an_genl_close(&g);
	free(args);
	return ret;
}
