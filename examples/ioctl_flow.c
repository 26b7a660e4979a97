// SPDX-License-Identifier: GPL-2.0
/*
 * The IPC-notify flow through the raw ioctls of /dev/ascend_notify: process
 * A on device 0 creates a notify, exports it, trusts B and waits; process
 * B on device 1 imports it, sleeps a little and records; A's wait returns
 * only then. Prints each step with a timestamp.
 *
 *   ioctl_flow [--no-pid-check]
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <linux/ascend_notify.h>

static uint64_t t0;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void say(const char *who, const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	n = snprintf(line, sizeof(line), "[%8.3f ms] %s: ",
		     (now_ns() - t0) / 1e6, who);
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	/* One write per line, so the two processes' lines never mix. */
	if (write(STDOUT_FILENO, line, strlen(line)) < 0)
		exit(1);
}

static void die(const char *who, const char *what)
{
	say(who, "%s failed: %s\n", what, strerror(errno));
	exit(1);
}

static int run_b(int from_a, int to_a)
{
	struct ascend_notify_bare_tgid me = { 0 };
	struct ascend_notify_import im = { .dev = 1 };
	struct ascend_notify_handle_arg rec = { 0 };
	int fd;

	fd = open(ASCEND_NOTIFY_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die("B", "open");
	if (ioctl(fd, ASCEND_NOTIFY_IOC_BARE_TGID, &me))
		die("B", "BARE_TGID");
	say("B", "device 1, bare TGID %d, sent to A\n", me.tgid);
	if (write(to_a, &me.tgid, sizeof(me.tgid)) != sizeof(me.tgid) ||
	    read(from_a, im.key, sizeof(im.key)) != sizeof(im.key))
		die("B", "pipe");
	im.flags = ASCEND_NOTIFY_IMPORT_PEER_ACCESS;
	if (ioctl(fd, ASCEND_NOTIFY_IOC_IMPORT, &im))
		die("B", "IMPORT");
	say("B", "imported the key onto device 1 (handle %u)\n", im.handle);
	say("B", "working for 500 ms before recording\n");
	usleep(500000);
	rec.handle = im.handle;
	say("B", "RECORD\n");
	if (ioctl(fd, ASCEND_NOTIFY_IOC_RECORD, &rec))
		die("B", "RECORD");
	if (ioctl(fd, ASCEND_NOTIFY_IOC_DESTROY, &rec))
		die("B", "DESTROY");
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	struct ascend_notify_create cr = { .dev = 0 };
	struct ascend_notify_export ex = { 0 };
	struct ascend_notify_trust tr = { 0 };
	struct ascend_notify_handle_arg des = { 0 };
	struct ascend_notify_wait w = { 0 };
	int to_b[2], to_a[2], fd, status;
	int32_t b_tgid;
	uint64_t start;
	pid_t b;

	if (argc > 1 && strcmp(argv[1], "--no-pid-check")) {
		fprintf(stderr, "usage: %s [--no-pid-check]\n", argv[0]);
		return 2;
	}
	if (argc > 1)
		ex.flags = ASCEND_NOTIFY_EXPORT_NO_PID_CHECK;
	t0 = now_ns();
	if (pipe(to_b) || pipe(to_a))
		die("A", "pipe");
	b = fork();
	if (b == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		return run_b(to_b[0], to_a[1]);
	}

	fd = open(ASCEND_NOTIFY_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die("A", "open " ASCEND_NOTIFY_DEVICE_PATH);
	if (ioctl(fd, ASCEND_NOTIFY_IOC_CREATE, &cr))
		die("A", "CREATE");
	say("A", "device 0, created notify id %u (handle %u)\n", cr.id,
	    cr.handle);
	ex.handle = cr.handle;
	if (ioctl(fd, ASCEND_NOTIFY_IOC_EXPORT, &ex))
		die("A", "EXPORT");
	say("A", "exported%s, key %.8s... (%d characters)\n",
	    ex.flags ? " without PID check" : "", ex.key,
	    ASCEND_NOTIFY_KEY_LEN);
	if (read(to_a[0], &b_tgid, sizeof(b_tgid)) != sizeof(b_tgid))
		die("A", "pipe");
	if (!ex.flags) {
		tr.handle = cr.handle;
		tr.pids = (uintptr_t)&b_tgid;
		tr.count = 1;
		if (ioctl(fd, ASCEND_NOTIFY_IOC_SET_PIDS, &tr))
			die("A", "SET_PIDS");
		say("A", "trusted B's bare TGID %d\n", b_tgid);
	}
	if (write(to_b[1], ex.key, sizeof(ex.key)) != sizeof(ex.key))
		die("A", "pipe");

	say("A", "WAIT on device 0 (no deadline)...\n");
	w.handle = cr.handle;
	w.deadline_ns = ASCEND_NOTIFY_FOREVER;
	start = now_ns();
	if (ioctl(fd, ASCEND_NOTIFY_IOC_WAIT, &w))
		die("A", "WAIT");
	say("A", "wait returned after %.1f ms: B recorded\n",
	    (now_ns() - start) / 1e6);

	if (waitpid(b, &status, 0) != b || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		say("A", "B failed\n");
		return 1;
	}
	des.handle = cr.handle;
	if (ioctl(fd, ASCEND_NOTIFY_IOC_DESTROY, &des))
		die("A", "DESTROY");
	say("A", "destroyed; done\n");
	close(fd);
	return 0;
}
