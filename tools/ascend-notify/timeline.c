// SPDX-License-Identifier: GPL-2.0
/*
 * ascend-notify timeline - run a command while the ascend_notify
 * tracepoints are recorded, then draw them.
 *
 * Recording goes through tracefs alone, in an instance of its own
 * (instances/ascend_notify_timeline.PID), so that it neither disturbs nor
 * is disturbed by perf, trace-cmd or another timeline: the instance gets
 * the "mono" clock (CLOCK_MONOTONIC, as the examples and the monitor
 * print time), a larger buffer and only the ascend_notify events. Once
 * the command has exited, the instance's "trace" file - the text output,
 * which the kernel formats from the events' own print formats - is read
 * and parsed: that format is part of each event's definition (kmod/trace.h)
 * and is what the tests check. The instance is removed afterwards, also
 * when the command fails.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "print.h"
#include "timeline.h"

static const char *const tracefs_roots[] = {
	"/sys/kernel/tracing", "/sys/kernel/debug/tracing",
};

/* Writes @val to @dir/@file: 0 or -errno. */
static int put(const char *dir, const char *file, const char *val)
{
	char path[PATH_MAX + 64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	if (n < 0)
		n = -errno;
	close(fd);
	return n < 0 ? (int)n : 0;
}

/* The tracefs mount with the ascend_notify events, mounting it if need be. */
static const char *tracefs(void)
{
	char path[PATH_MAX];
	size_t i;

	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/events/ascend_notify",
			 tracefs_roots[i]);
		if (!access(path, F_OK))
			return tracefs_roots[i];
	}
	/* Not mounted where it belongs: mount it (needs CAP_SYS_ADMIN). */
	if (mount("tracefs", tracefs_roots[0], "tracefs", 0, NULL))
		return NULL;
	snprintf(path, sizeof(path), "%s/events/ascend_notify",
		 tracefs_roots[0]);
	return access(path, F_OK) ? NULL : tracefs_roots[0];
}

/* Creates and configures the instance: 0 or -errno (and a message). */
static int instance_start(const char *root, char *inst, size_t len)
{
	static const char *const steps[][2] = {
		{ "tracing_on", "0" },
		{ "trace_clock", "mono" },
		{ "buffer_size_kb", "8192" },
		{ "events/ascend_notify/enable", "1" },
		{ "tracing_on", "1" },
	};
	size_t i;
	int ret;

	snprintf(inst, len, "%s/instances/ascend_notify_timeline.%d", root,
		 (int)getpid());
	if (mkdir(inst, 0700))
		return -errno;
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		ret = put(inst, steps[i][0], steps[i][1]);
		if (ret) {
			fprintf(stderr, "ascend-notify: timeline: %s/%s: %s\n",
				inst, steps[i][0], strerror(-ret));
			rmdir(inst);
			return ret;
		}
	}
	return 0;
}

static void instance_stop(const char *inst)
{
	put(inst, "tracing_on", "0");
	put(inst, "events/ascend_notify/enable", "0");
}

/* Copies @s up to a blank (at most @len - 1 bytes) into @dst. */
static void word(char *dst, size_t len, const char *s)
{
	size_t n = strcspn(s, " \n");

	if (n >= len)
		n = len - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* The "key=value" fields after the event's name. */
static void parse_fields(struct tl_ev *e, const char *p)
{
	char key[24], *eq;
	const char *v;

	for (; *p; p += strcspn(p, " "), p += strspn(p, " ")) {
		word(key, sizeof(key), p);
		eq = strchr(key, '=');
		if (!eq)
			continue;
		*eq = '\0';
		v = p + (eq - key) + 1;
		if (!strcmp(key, "dev")) {
			e->dev = strtoul(v, NULL, 10);
			e->has_obj = true;
		} else if (!strcmp(key, "id")) {
			e->id = strtoul(v, NULL, 10);
		} else if (!strcmp(key, "kind")) {
			word(e->kind, sizeof(e->kind), v);
		} else if (!strcmp(key, "tgid") || !strcmp(key, "owner")) {
			e->tgid = atoi(v);
		} else if (!strcmp(key, "tid")) {
			e->tid = atoi(v);
		} else if (!strcmp(key, "result")) {
			word(e->result, sizeof(e->result), v);
		} else if (!strcmp(key, "waited_ns")) {
			e->waited_ns = strtoull(v, NULL, 10);
		} else if (!strcmp(key, "size")) {
			e->size = strtoull(v, NULL, 10);
		} else if (!strcmp(key, "handles")) {
			e->handles = strtoull(v, NULL, 10);
		}
	}
}

/*
 * One line of the text output:
 *   COMM-PID [CPU] FLAGS SECS.USECS: EVENT: key=value ...
 * COMM may hold blanks and dashes; "[CPU]" is the first bracket after it
 * that the timestamp follows. False for anything else (headers).
 */
static bool parse_line(const char *line, struct tl_ev *e)
{
	const char *cpu, *ts, *name, *dash;
	size_t n, len;
	char *end;

	if (line[0] == '#')
		return false;
	cpu = strstr(line, "] ");
	if (!cpu)
		return false;
	ts = strstr(cpu, ": ");
	if (!ts)
		return false;
	/* The timestamp is the last word before ": ". */
	for (name = ts; name > cpu && name[-1] != ' '; name--)
		;
	memset(e, 0, sizeof(*e));
	e->ts = strtod(name, &end) * 1e6;
	if (end != ts)
		return false;
	name = ts + 2;
	n = strcspn(name, ":");
	if (!name[n] || n >= sizeof(e->name))
		return false;
	memcpy(e->name, name, n);
	/* COMM-PID, before the " [CPU]" (the last '[' before cpu). */
	for (dash = cpu; dash > line && *dash != '['; dash--)
		;
	while (dash > line && dash[-1] == ' ')
		dash--;
	for (end = (char *)dash; end > line && end[-1] != '-'; end--)
		;
	if (end > line) {
		const char *c = line + strspn(line, " ");

		len = end - 1 > c ? (size_t)(end - 1 - c) : 0;
		if (len >= sizeof(e->comm))
			len = sizeof(e->comm) - 1;
		memcpy(e->comm, c, len);
	}
	e->match = e->flow = -1;
	parse_fields(e, name + n + 1);
	return true;
}

/* Reads @inst/trace into @t: 0 or -errno. */
static int read_trace(const char *inst, struct tl_trace *t)
{
	char path[PATH_MAX + 16], *line = NULL;
	unsigned long long in, written;
	size_t cap = 0, size = 0;
	struct tl_ev e;
	FILE *f;

	snprintf(path, sizeof(path), "%s/trace", inst);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (getline(&line, &size, f) > 0) {
		if (sscanf(line, "# entries-in-buffer/entries-written: %llu/%llu",
			   &in, &written) == 2 && written > in)
			t->lost = written - in;
		if (!parse_line(line, &e))
			continue;
		if (t->n == cap) {
			cap = cap ? cap * 2 : 256;
			t->ev = xrealloc(t->ev, cap * sizeof(*t->ev));
		}
		t->ev[t->n++] = e;
	}
	free(line);
	fclose(f);
	return 0;
}

/* Runs @argv, the signals of a terminal going to it: its exit status. */
static int run(char **argv)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, oint, oquit;
	int status;
	pid_t pid;

	sigaction(SIGINT, &ign, &oint);
	sigaction(SIGQUIT, &ign, &oquit);
	pid = fork();
	if (pid == 0) {
		sigaction(SIGINT, &oint, NULL);
		sigaction(SIGQUIT, &oquit, NULL);
		execvp(argv[0], argv);
		fprintf(stderr, "ascend-notify: timeline: %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	sigaction(SIGINT, &oint, NULL);
	sigaction(SIGQUIT, &oquit, NULL);
	if (pid < 0) {
		fprintf(stderr, "ascend-notify: timeline: fork: %s\n",
			strerror(errno));
		return 1;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) :
				   128 + WTERMSIG(status);
}

/* Writes one output with @fn; false (and a message) on failure. */
static bool output(const char *path, const struct tl_trace *t,
		   int (*fn)(const struct tl_trace *, FILE *))
{
	FILE *f = fopen(path, "we");
	int ret;

	if (!f) {
		fprintf(stderr, "ascend-notify: timeline: %s: %s\n", path,
			strerror(errno));
		return false;
	}
	ret = fn(t, f);
	if (fclose(f) && !ret)
		ret = -errno;
	if (ret)
		fprintf(stderr, "ascend-notify: timeline: %s: %s\n", path,
			strerror(-ret));
	return !ret;
}

static int timeline_usage(const char *what)
{
	fprintf(stderr, "ascend-notify: timeline: %s; usage: ascend-notify timeline [-o FILE.json] [--svg FILE.svg] -- CMD [ARGS...]\n",
		what);
	return 2;
}

int cmd_timeline(int argc, char **argv)
{
	const char *json = NULL, *svg = NULL, *root;
	struct tl_trace t = { 0 };
	char inst[PATH_MAX];
	int i, rc, ret;

	for (i = 0; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc)
			json = argv[++i];
		else if (!strcmp(argv[i], "--svg") && i + 1 < argc)
			svg = argv[++i];
		else
			return timeline_usage("unexpected option");
	}
	if (i + 1 >= argc)
		return timeline_usage("no command after --");
	if (!json && !svg)
		json = "timeline.json";

	root = tracefs();
	if (!root) {
		fputs("ascend-notify: timeline: no ascend_notify events in tracefs (is the module loaded, tracefs mountable, and are you root?)\n",
		      stderr);
		return 1;
	}
	ret = instance_start(root, inst, sizeof(inst));
	if (ret) {
		if (ret != -EACCES && ret != -EPERM)
			return 1;
		fprintf(stderr, "ascend-notify: timeline: %s: %s (tracefs needs root)\n",
			inst, strerror(-ret));
		return 1;
	}
	rc = run(argv + i + 1);
	instance_stop(inst);
	ret = read_trace(inst, &t);
	if (rmdir(inst))
		fprintf(stderr, "ascend-notify: timeline: cannot remove %s: %s\n",
			inst, strerror(errno));
	if (ret) {
		fprintf(stderr, "ascend-notify: timeline: %s/trace: %s\n", inst,
			strerror(-ret));
		free(t.ev);
		return 1;
	}
	if (t.lost)
		fprintf(stderr, "ascend-notify: timeline: %llu events were lost (the buffer overflowed)\n",
			(unsigned long long)t.lost);
	tl_link(&t);
	if ((json && !output(json, &t, tl_write_json)) ||
	    (svg && !output(svg, &t, tl_write_svg)))
		rc = rc ? rc : 1;
	fprintf(stderr, "ascend-notify: timeline: %zu events%s%s%s%s\n", t.n,
		json ? ", " : "", json ? json : "", svg ? ", " : "",
		svg ? svg : "");
	free(t.ev);
	return rc;
}
