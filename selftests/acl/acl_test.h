/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the libascendcl selftests, which use the public CANN API
 * only (plus fork/pipes to build multi-process cases).
 */
#ifndef ACL_TEST_H
#define ACL_TEST_H

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "acl/acl.h"

#define KEY_BUF 65

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* fork() a child bound to its parent (see the kernel selftests). */
static inline pid_t fork_child(void)
{
	pid_t parent = getpid();
	pid_t pid = fork();

	if (pid == 0 && (prctl(PR_SET_PDEATHSIG, SIGKILL) ||
			 getppid() != parent))
		_exit(99);
	return pid;
}

static inline int reap(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
}

static inline bool xsend(int fd, const void *buf, size_t len)
{
	return write(fd, buf, len) == (ssize_t)len;
}

static inline bool xrecv(int fd, void *buf, size_t len)
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

/* In a child: fail with a distinct exit code when an ACL call fails. */
#define CHILD_CHECK(code, call) do {					\
		aclError r_ = (call);					\
		if (r_ != ACL_SUCCESS) {				\
			fprintf(stderr, "child: %s = %d\n", #call, r_);	\
			_exit(code);					\
		}							\
	} while (0)

#endif
