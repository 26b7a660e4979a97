/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the libascendcl selftests, which use the public CANN API
 * only (plus fork/pipes to build multi-process cases, with the helpers of
 * selftests/common/proc.h).
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

#include "proc.h"

#define KEY_BUF 65

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
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
