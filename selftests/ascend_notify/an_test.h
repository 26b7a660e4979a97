/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the ascend_notify selftests: one thin wrapper per ioctl
 * (returning 0 or -errno, so tests compare against the documented errno),
 * child processes bound to their parent, and pipe messages.
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

#define AN_KEY_BUF	(ASCEND_NOTIFY_KEY_LEN + 1)

static inline int an_open(void)
{
	return open(ASCEND_NOTIFY_DEVICE_PATH, O_RDWR | O_CLOEXEC);
}

static inline int an_ioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

static inline uint64_t an_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static inline int an_create(int fd, uint32_t dev, uint32_t flags,
			    uint32_t *handle)
{
	struct ascend_notify_create c = { .dev = dev, .flags = flags };
	int ret = an_ioctl(fd, ASCEND_NOTIFY_IOC_CREATE, &c);

	if (!ret && handle)
		*handle = c.handle;
	return ret;
}

static inline int an_destroy(int fd, uint32_t handle)
{
	struct ascend_notify_handle_arg a = { .handle = handle };

	return an_ioctl(fd, ASCEND_NOTIFY_IOC_DESTROY, &a);
}

static inline int an_record(int fd, uint32_t handle)
{
	struct ascend_notify_handle_arg a = { .handle = handle };

	return an_ioctl(fd, ASCEND_NOTIFY_IOC_RECORD, &a);
}

static inline int an_wait(int fd, uint32_t handle, uint64_t deadline_ns)
{
	struct ascend_notify_wait w = {
		.handle = handle, .deadline_ns = deadline_ns,
	};

	return an_ioctl(fd, ASCEND_NOTIFY_IOC_WAIT, &w);
}

/* Wait with a deadline @ns from now. */
static inline int an_wait_for(int fd, uint32_t handle, uint64_t ns)
{
	return an_wait(fd, handle, an_now_ns() + ns);
}

static inline int an_batch_reset(int fd, const uint32_t *handles,
				 uint32_t count)
{
	struct ascend_notify_batch b = {
		.handles = (uintptr_t)handles, .count = count,
	};

	return an_ioctl(fd, ASCEND_NOTIFY_IOC_BATCH_RESET, &b);
}

static inline int an_info(int fd, uint32_t handle,
			  struct ascend_notify_info *info)
{
	memset(info, 0, sizeof(*info));
	info->handle = handle;
	return an_ioctl(fd, ASCEND_NOTIFY_IOC_INFO, info);
}

/* Is the notify's bit set? -errno on error. */
static inline int an_is_set(int fd, uint32_t handle)
{
	struct ascend_notify_info info;
	int ret = an_info(fd, handle, &info);

	return ret ? ret : !!(info.info_flags & ASCEND_NOTIFY_INFO_SET);
}

/* Exports and writes the key, NUL-terminated, to @key. */
static inline int an_export(int fd, uint32_t handle, uint32_t flags,
			    char key[AN_KEY_BUF])
{
	struct ascend_notify_export e = { .handle = handle, .flags = flags };
	int ret = an_ioctl(fd, ASCEND_NOTIFY_IOC_EXPORT, &e);

	if (!ret && key) {
		memcpy(key, e.key, ASCEND_NOTIFY_KEY_LEN);
		key[ASCEND_NOTIFY_KEY_LEN] = '\0';
	}
	return ret;
}

static inline int an_set_pids(int fd, uint32_t handle, const int32_t *pids,
			      uint32_t count)
{
	struct ascend_notify_trust t = {
		.pids = (uintptr_t)pids, .handle = handle, .count = count,
	};

	return an_ioctl(fd, ASCEND_NOTIFY_IOC_SET_PIDS, &t);
}

static inline int an_import(int fd, const char *key, uint32_t dev,
			    uint32_t flags, uint32_t *handle)
{
	struct ascend_notify_import im = { .dev = dev, .flags = flags };
	int ret;

	memcpy(im.key, key, ASCEND_NOTIFY_KEY_LEN);
	ret = an_ioctl(fd, ASCEND_NOTIFY_IOC_IMPORT, &im);
	if (!ret && handle)
		*handle = im.handle;
	return ret;
}

/* Import expecting an object of @kind (ASCEND_NOTIFY_KIND_*). */
static inline int an_import_kind(int fd, const char *key, uint32_t dev,
				 uint32_t flags, uint32_t kind,
				 uint32_t *handle)
{
	struct ascend_notify_import im = {
		.dev = dev, .flags = flags, .kind = kind,
	};
	int ret;

	memcpy(im.key, key, ASCEND_NOTIFY_KEY_LEN);
	ret = an_ioctl(fd, ASCEND_NOTIFY_IOC_IMPORT, &im);
	if (!ret && handle)
		*handle = im.handle;
	return ret;
}

static inline int an_unexport(int fd, uint32_t handle)
{
	struct ascend_notify_handle_arg a = { .handle = handle };

	return an_ioctl(fd, ASCEND_NOTIFY_IOC_UNEXPORT, &a);
}

/* Allocates device memory; the reply (handle, size, offset) in @m. */
static inline int an_mem_alloc(int fd, uint32_t dev, uint64_t size,
			       struct ascend_notify_mem *m)
{
	memset(m, 0, sizeof(*m));
	m->dev = dev;
	m->size = size;
	return an_ioctl(fd, ASCEND_NOTIFY_IOC_MEM_ALLOC, m);
}

static inline int an_mem_info(int fd, uint32_t handle,
			      struct ascend_notify_mem *m)
{
	memset(m, 0, sizeof(*m));
	m->handle = handle;
	return an_ioctl(fd, ASCEND_NOTIFY_IOC_MEM_INFO, m);
}

/* Bytes of device memory @dev has in use, or -errno. */
static inline long long an_mem_used(int fd, uint32_t dev)
{
	struct ascend_notify_device_mem dm = { .dev = dev };
	int ret = an_ioctl(fd, ASCEND_NOTIFY_IOC_DEVICE_MEM, &dm);

	return ret ? ret : (long long)dm.used;
}

/* The caller's bare TGID, or -errno. */
static inline int an_bare_tgid(int fd)
{
	struct ascend_notify_bare_tgid t = { 0 };
	int ret = an_ioctl(fd, ASCEND_NOTIFY_IOC_BARE_TGID, &t);

	return ret ? ret : t.tgid;
}

static inline int an_peer(int fd, bool enable, uint32_t dev, uint32_t peer)
{
	struct ascend_notify_peer p = { .dev = dev, .peer = peer };

	return an_ioctl(fd, enable ? ASCEND_NOTIFY_IOC_PEER_ENABLE :
				     ASCEND_NOTIFY_IOC_PEER_DISABLE, &p);
}

static inline int an_stats(int fd, struct ascend_notify_stats *st)
{
	memset(st, 0, sizeof(*st));
	return an_ioctl(fd, ASCEND_NOTIFY_IOC_STATS, st);
}

/*
 * Module-wide live objects as seen from a fresh context (which counts one
 * context itself): notifies + handles + keys + (contexts - 1).
 */
static inline long an_live_objects(void)
{
	struct ascend_notify_stats st;
	int fd = an_open();
	long live;

	if (fd < 0)
		return -errno;
	if (an_stats(fd, &st)) {
		close(fd);
		return -1;
	}
	close(fd);
	live = (long)st.notifies + st.handles + st.keys + st.contexts - 1;
	return live;
}

/* ---- processes ---------------------------------------------------------- */

/*
 * fork() a child that dies with its parent, so a failing test never leaves
 * processes behind. (getppid() is 0 in a child that is the first process
 * of a new PID namespace: its parent lives outside it.)
 */
static inline pid_t an_fork(void)
{
	pid_t parent = getpid();
	pid_t pid = fork();

	if (pid == 0) {
		pid_t now = getppid();

		if (prctl(PR_SET_PDEATHSIG, SIGKILL) ||
		    (now != parent && now != 0))
			_exit(99);
	}
	return pid;
}

/* Exit status of @pid: its exit code, 128 + signal, or -1. */
static inline int an_reap(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return -1;
}

/* Fixed-size messages over a pipe or socket; false on a short transfer. */
static inline bool an_send(int fd, const void *buf, size_t len)
{
	return write(fd, buf, len) == (ssize_t)len;
}

static inline bool an_recv(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t r = read(fd, (char *)buf + got, len - got);

		if (r <= 0)
			return false;
		got += r;
	}
	return true;
}

static inline bool an_send_u32(int fd, uint32_t v)
{
	return an_send(fd, &v, sizeof(v));
}

static inline uint32_t an_recv_u32(int fd)
{
	uint32_t v = UINT32_MAX;

	an_recv(fd, &v, sizeof(v));
	return v;
}

/*
 * Is task @tid (a process or a thread) asleep inside ioctl(@cmd)? Read
 * from /proc/<tid>/syscall, which names the syscall a blocked task is in
 * and its arguments ("running" otherwise). This lets a test know that a
 * waiter really sleeps in the kernel, instead of guessing with a sleep.
 */
static inline bool an_in_ioctl(pid_t tid, unsigned long cmd)
{
	unsigned long nr, a0, a1;
	char path[64], buf[256];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/syscall", tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	if (sscanf(buf, "%lu %lx %lx", &nr, &a0, &a1) != 3)
		return false;
	return nr == SYS_ioctl && a1 == cmd;
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
