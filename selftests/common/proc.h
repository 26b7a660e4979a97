/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Child processes and the messages they exchange with their parent, for
 * the selftests that build multi-process cases (the ascend_notify and
 * netlink selftests through an_test.h, the acl selftests through
 * acl_test.h).
 */
#ifndef SELFTESTS_PROC_H
#define SELFTESTS_PROC_H

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

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

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/* an_fork_timens()'s exit status when time namespaces are not there. */
#define AN_NO_TIMENS	77

/*
 * an_fork() into a new time namespace whose CLOCK_MONOTONIC runs
 * @offset_s seconds off the caller's. A namespace applies to the children
 * of the process that unshares it, so this forks twice: it returns 0 in
 * the grandchild, and in the caller the pid of the middle process, whose
 * exit status is the grandchild's (AN_NO_TIMENS when the kernel has no
 * time namespaces). -1 if the first fork failed.
 */
static inline pid_t an_fork_timens(long offset_s)
{
	pid_t mid = an_fork(), in;
	char buf[64];
	int fd, n, status;

	if (mid != 0)
		return mid;
	if (unshare(CLONE_NEWTIME))
		_exit(AN_NO_TIMENS);
	fd = open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
	n = snprintf(buf, sizeof(buf), "monotonic %ld 0", offset_s);
	if (fd < 0 || write(fd, buf, n) != n)
		_exit(AN_NO_TIMENS + 1);
	close(fd);
	in = an_fork();
	if (in == 0)
		return 0;
	if (in < 0 || waitpid(in, &status, 0) != in)
		_exit(AN_NO_TIMENS + 2);
	_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}

/*
 * Is task @tid (a process or a thread) in system call @nr, and, unless
 * @arg1 is -1, with @arg1 as its second argument (an ioctl's command)?
 * Read from /proc/<tid>/syscall, which names the system call a blocked
 * task is in ("running" otherwise): a test knows that a waiter really
 * sleeps in the kernel instead of guessing with a sleep. 1 yes, 0 no, -1
 * the task is gone.
 */
static inline int an_in_syscall(pid_t tid, long nr, long arg1)
{
	unsigned long a0, a1;
	char path[64], buf[256];
	ssize_t n;
	long got;
	int fd, k;

	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	k = sscanf(buf, "%ld %lx %lx", &got, &a0, &a1);
	if (k < 1 || got != nr)
		return 0;
	return arg1 == -1 || (k == 3 && a1 == (unsigned long)arg1);
}

/*
 * Writes @val to @path in one write(), the file opened with O_WRONLY and
 * @oflags (O_TRUNC: tracefs's trace clears its buffer only so). 0, -errno,
 * or -EIO when the write was short.
 */
static inline int an_write_file(const char *path, const char *val, int oflags)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC | oflags);
	ssize_t n;
	int err;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	err = errno;
	close(fd);
	if (n < 0)
		return -err;
	return n == (ssize_t)strlen(val) ? 0 : -EIO;
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

/* What a timed call in another process returned, and how long it took. */
struct an_timed {
	int32_t ret;
	uint64_t took_ns;
};

/*
 * Runs @body in a new time namespace @offset_s seconds off this one
 * (an_fork_timens()) and gives back what it filled in. The call must end
 * within 20 s. Returns 0, AN_NO_TIMENS, or -errno (-ETIMEDOUT when it did
 * not end, -EIO when the child failed).
 */
static inline int an_timed_in_timens(long offset_s,
				     void (*body)(struct an_timed *r),
				     struct an_timed *r)
{
	struct pollfd pfd;
	pid_t pid;
	int p[2], ret;

	if (pipe2(p, O_CLOEXEC))
		return -errno;
	pid = an_fork_timens(offset_s);
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		struct an_timed mine = { .ret = -1 };

		body(&mine);
		_exit(an_send(p[1], &mine, sizeof(mine)) ? 0 : 4);
	}
	close(p[1]);
	pfd = (struct pollfd){ .fd = p[0], .events = POLLIN };
	ret = poll(&pfd, 1, 20000) == 1 && an_recv(p[0], r, sizeof(*r)) ?
	      0 : -ETIMEDOUT;
	close(p[0]);
	if (ret) {
		kill(pid, SIGKILL);
		an_reap(pid);
		return ret;
	}
	ret = an_reap(pid);
	return ret == 0 || ret == AN_NO_TIMENS ? ret : -EIO;
}

#endif /* SELFTESTS_PROC_H */
