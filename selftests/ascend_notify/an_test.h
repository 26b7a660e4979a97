/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the ascend_notify selftests: the ioctl wrappers
 * (selftests/common/an_ioctl.h), child processes bound to their parent and
 * pipe messages (selftests/common/proc.h), and what only tests need.
 */
#ifndef AN_TEST_H
#define AN_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/ascend_notify.h>

#include "an_ioctl.h"
#include "proc.h"

static inline uint64_t an_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* Wait with a deadline @ns from now. */
static inline int an_wait_for(int fd, uint32_t handle, uint64_t ns)
{
	return an_wait(fd, handle, an_now_ns() + ns);
}

/*
 * Module-wide live objects as seen from a fresh context (which counts one
 * context itself): objects + handles + keys + (contexts - 1).
 */
static inline long an_live_objects(void)
{
	struct an_stats st;
	int fd = an_open();
	long live;

	if (fd < 0)
		return -errno;
	if (an_stats(&st)) {
		close(fd);
		return -1;
	}
	close(fd);
	live = (long)st.objects + st.handles + st.keys + st.contexts - 1;
	return live;
}

/* The caller's usage of @dev's per-user limits (ABI 1.3): 0 or -errno. */
static inline int an_user_info(int fd, uint32_t dev,
			       struct ascend_notify_user_info *ui)
{
	memset(ui, 0, sizeof(*ui));
	ui->dev = dev;
	return an_ioctl(fd, ASCEND_NOTIFY_IOC_USER_INFO, ui);
}

/* ---- processes ---------------------------------------------------------- */

/* Is task @tid (a process or a thread) asleep inside ioctl(@cmd)? */
static inline bool an_in_ioctl(pid_t tid, unsigned long cmd)
{
	return an_in_syscall(tid, SYS_ioctl, (long)cmd) == 1;
}

/*
 * Polls (yielding the CPU) until @tid sleeps in ioctl(@cmd); false if it
 * does not within @timeout_ns.
 */
static inline bool an_wait_in_ioctl(pid_t tid, unsigned long cmd,
				    uint64_t timeout_ns)
{
	uint64_t end = an_now_ns() + timeout_ns;

	while (an_now_ns() < end) {
		if (an_in_ioctl(tid, cmd))
			return true;
		sched_yield();
	}
	return false;
}

/* Until @tid sleeps in ASCEND_NOTIFY_IOC_WAIT (10 s at most). */
static inline bool an_waiting(pid_t tid)
{
	return an_wait_in_ioctl(tid, ASCEND_NOTIFY_IOC_WAIT, 10000000000ull);
}

/* ---- the module ---------------------------------------------------------- */

/*
 * Reloads the module with @params (the tests that need another topology
 * use this). Requires that nothing has the device open. The module path
 * comes from $ASCEND_NOTIFY_KO, set by scripts/vmtest.
 */
static inline int an_module_reload(const char *params)
{
	const char *ko = getenv("ASCEND_NOTIFY_KO");
	int fd, ret;

	if (!ko)
		return -ENOENT;
	if (syscall(SYS_delete_module, "ascend_notify", O_NONBLOCK) &&
	    errno != ENOENT)
		return -errno;
	fd = open(ko, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, params, 0) ? -errno : 0;
	close(fd);
	return ret;
}

/* Reloads the module with the parameters scripts/vmtest gave it. */
static inline int an_module_restore(void)
{
	const char *params = getenv("ASCEND_NOTIFY_MODPARAMS");

	return an_module_reload(params ? params : "");
}

#endif /* AN_TEST_H */
