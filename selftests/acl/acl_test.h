/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the libascendcl selftests, which use the public CANN API
 * only (plus fork/pipes to build multi-process cases, with the helpers of
 * selftests/common/proc.h).
 */
#ifndef ACL_TEST_H
#define ACL_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "acl/acl.h"
#include <linux/ascend_notify.h>
#include <sys/ioctl.h>

#include "an_genl.h"
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

/* Host functions. block_fn(&fd) holds its stream until a byte arrives. */
static inline void block_fn(void *arg)
{
	char c;

	if (read(*(int *)arg, &c, 1) != 1)
		return;
}

/* signal_fn(&fd) writes a byte: the test sees that it ran. */
static inline void signal_fn(void *arg)
{
	if (write(*(int *)arg, "h", 1) != 1)
		abort();
}

static inline void count_fn(void *arg)
{
	atomic_fetch_add((atomic_int *)arg, 1);
}

/* The module's counters (netlink STATS_GET); false if unavailable. */
static inline bool module_stats(struct an_stats *st)
{
	return !an_stats(st);
}

/* Live kernel objects of every kind + handles + keys, or -1. */
static inline long module_live_objects(void)
{
	struct an_stats st;

	if (!module_stats(&st))
		return -1;
	return (long)st.objects + st.handles + st.keys;
}

/*
 * What the stream-order and event-semantics tests share: aclInit, device
 * 0, a stream under test and another whose records release it, and two
 * pipes: block_fn(&gate[0]) holds a stream until a byte is written to
 * gate[1]; signal_fn(&ran[1]) tells ran[0] that it ran.
 */
struct two_streams {
	aclrtStream stream;
	aclrtStream other;
	int gate[2];
	int ran[2];
};

static inline bool two_streams_open(struct two_streams *t)
{
	return !pipe(t->gate) && !pipe(t->ran) && !aclInit(NULL) &&
	       !aclrtSetDevice(0) && !aclrtCreateStream(&t->stream) &&
	       !aclrtCreateStream(&t->other);
}

/* Finalizes (some tests did already) and closes the pipes. */
static inline void two_streams_close(struct two_streams *t)
{
	aclFinalize();
	close(t->gate[0]);
	close(t->gate[1]);
	close(t->ran[0]);
	close(t->ran[1]);
}

/* Is @fd readable within @ms milliseconds? */
static inline bool readable_within(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) == 1;
}

/*
 * Waits until thread @tid of this process sits in system call @nr, as
 * /proc shows it: a deterministic point after which the thread is blocked
 * (a synchronising thread running a stream wait sits in ioctl; one waiting
 * for a stream's progress, in futex). False if the thread ended first.
 */
static inline bool wait_in_syscall(pid_t tid, long nr)
{
	int in;

	while (!(in = an_in_syscall(tid, nr, -1)))
		sched_yield();
	return in > 0;
}

/*
 * A thread that synchronises a stream of device 0: it makes device 0
 * current, publishes its thread id, then calls aclrtSynchronizeStream and
 * writes the result to @done.
 */
struct stream_syncer {
	pthread_t thread;
	aclrtStream stream;
	atomic_int tid;
	aclError ret;
	int done[2];
};

static inline void *stream_syncer_main(void *arg)
{
	struct stream_syncer *y = arg;

	y->ret = aclrtSetDevice(0);
	atomic_store(&y->tid, (int)syscall(SYS_gettid));
	if (!y->ret)
		y->ret = aclrtSynchronizeStream(y->stream);
	if (write(y->done[1], "s", 1) != 1)
		abort();
	return NULL;
}

/* Starts @y on @stream and returns once it is blocked in system call @nr. */
static inline int stream_syncer_start(struct stream_syncer *y, aclrtStream stream, long nr)
{
	y->stream = stream;
	atomic_init(&y->tid, 0);
	y->ret = -1;
	if (pipe(y->done) || pthread_create(&y->thread, NULL, stream_syncer_main, y))
		return -1;
	while (!atomic_load(&y->tid))
		sched_yield();
	return wait_in_syscall(atomic_load(&y->tid), nr) ? 0 : -1;
}

/* Joins @y; its result. */
static inline aclError stream_syncer_join(struct stream_syncer *y)
{
	pthread_join(y->thread, NULL);
	close(y->done[0]);
	close(y->done[1]);
	return y->ret;
}

#endif
