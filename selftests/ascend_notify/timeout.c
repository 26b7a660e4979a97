// SPDX-License-Identifier: GPL-2.0
/*
 * Deadlines: absolute CLOCK_MONOTONIC nanoseconds, -ETIMEDOUT on expiry,
 * a set bit wins over an expired deadline, and a wait interrupted by a
 * signal keeps its original deadline when it restarts.
 */
#include <pthread.h>
#include <stdatomic.h>

#include "an_test.h"
#include "kselftest_harness.h"

#define MSEC	1000000ull
#define SEC	1000000000ull

FIXTURE(deadline) {
	int fd;
	uint32_t h;
};

FIXTURE_SETUP(deadline)
{
	self->fd = an_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, an_create(self->fd, 0, 0, &self->h));
}

FIXTURE_TEARDOWN(deadline)
{
	close(self->fd);
	EXPECT_EQ(0, an_live_objects());
}

TEST_F(deadline, expired_deadline_with_bit_set_succeeds)
{
	uint64_t past = an_now_ns() - 1;

	ASSERT_EQ(0, an_record(self->fd, self->h));
	EXPECT_EQ(0, an_wait(self->fd, self->h, past));
	ASSERT_EQ(0, an_record(self->fd, self->h));
	EXPECT_EQ(0, an_wait(self->fd, self->h, 0));
}

TEST_F(deadline, expired_deadline_without_bit_times_out_at_once)
{
	uint64_t start = an_now_ns();

	EXPECT_EQ(-ETIMEDOUT, an_wait(self->fd, self->h, 0));
	EXPECT_EQ(-ETIMEDOUT, an_wait(self->fd, self->h, start - 1));
	/* "At once": well under the shortest timed wait below. */
	EXPECT_GT(start + SEC, an_now_ns());
}

TEST_F(deadline, unset_bit_times_out_at_deadline)
{
	uint64_t deadline = an_now_ns() + 100 * MSEC;

	EXPECT_EQ(-ETIMEDOUT, an_wait(self->fd, self->h, deadline));
	/* Never before the deadline. */
	EXPECT_LE(deadline, an_now_ns());
}

TEST_F(deadline, record_after_timeout_is_kept)
{
	EXPECT_EQ(-ETIMEDOUT, an_wait_for(self->fd, self->h, 10 * MSEC));
	ASSERT_EQ(0, an_record(self->fd, self->h));
	EXPECT_EQ(0, an_wait(self->fd, self->h, 0));
}

static atomic_int signals_seen;

static void on_signal(int sig)
{
	atomic_fetch_add(&signals_seen, 1);
}

struct timed_waiter {
	int fd;
	uint32_t h;
	uint64_t deadline;
	atomic_int tid;
	atomic_int done;
	int ret;
	uint64_t returned_ns;
};

static void *timed_wait_fn(void *arg)
{
	struct timed_waiter *w = arg;

	atomic_store(&w->tid, gettid());
	w->ret = an_wait(w->fd, w->h, w->deadline);
	w->returned_ns = an_now_ns();
	atomic_store(&w->done, 1);
	return NULL;
}

/*
 * Signals a thread blocked in a wait until the wait returns, so the wait is
 * interrupted and restarted again and again. Were the deadline relative
 * and re-armed on each restart, the wait would end long after it.
 */
static void storm(struct __test_metadata *_metadata, int fd, uint32_t h,
		  int sa_flags, int expect)
{
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = sa_flags };
	struct timed_waiter w = { .fd = fd, .h = h };
	uint64_t give_up;
	pthread_t t;
	int sent = 0;

	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	atomic_store(&signals_seen, 0);
	w.deadline = an_now_ns() + 500 * MSEC;
	give_up = w.deadline + 10 * SEC;
	ASSERT_EQ(0, pthread_create(&t, NULL, timed_wait_fn, &w));
	while (!atomic_load(&w.tid))
		sched_yield();

	while (!atomic_load(&w.done) && an_now_ns() < give_up) {
		/* Each signal lands in the wait, not before it. */
		if (!an_in_ioctl(atomic_load(&w.tid), ASCEND_NOTIFY_IOC_WAIT)) {
			sched_yield();
			continue;
		}
		pthread_kill(t, SIGUSR1);
		sent++;
		while (atomic_load(&signals_seen) < sent &&
		       an_now_ns() < give_up)
			sched_yield();
	}
	pthread_join(t, NULL);

	EXPECT_EQ(expect, w.ret);
	EXPECT_LE(1, atomic_load(&signals_seen));
	if (expect == -ETIMEDOUT) {
		EXPECT_LE(w.deadline, w.returned_ns);
		/* Generous for emulation, far below one re-armed period. */
		EXPECT_GT(w.deadline + 300 * MSEC, w.returned_ns);
		TH_LOG("%d signals, returned %llu us after the deadline",
		       atomic_load(&signals_seen),
		       (unsigned long long)(w.returned_ns - w.deadline) / 1000);
	}
}

TEST_F(deadline, restarted_wait_keeps_its_deadline)
{
	storm(_metadata, self->fd, self->h, SA_RESTART, -ETIMEDOUT);
}

TEST_F(deadline, signal_without_restart_interrupts_wait)
{
	storm(_metadata, self->fd, self->h, 0, -EINTR);
	/* The interrupted wait consumed nothing. */
	ASSERT_EQ(0, an_record(self->fd, self->h));
	EXPECT_EQ(0, an_wait(self->fd, self->h, 0));
}

TEST_F(deadline, record_during_signal_storm_is_not_lost)
{
	struct sigaction sa = { .sa_handler = on_signal,
				.sa_flags = SA_RESTART };
	struct timed_waiter w = { .fd = self->fd, .h = self->h,
				  .deadline = ASCEND_NOTIFY_FOREVER };
	pthread_t t;
	int i;

	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	atomic_store(&signals_seen, 0);
	ASSERT_EQ(0, pthread_create(&t, NULL, timed_wait_fn, &w));
	while (!atomic_load(&w.tid))
		sched_yield();
	for (i = 0; i < 20; i++) {
		ASSERT_TRUE(an_waiting(atomic_load(&w.tid)));
		pthread_kill(t, SIGUSR1);
		while (atomic_load(&signals_seen) <= i)
			sched_yield();
	}
	ASSERT_EQ(0, atomic_load(&w.done));
	ASSERT_EQ(0, an_record(self->fd, self->h));
	pthread_join(t, NULL);
	EXPECT_EQ(0, w.ret);
	EXPECT_EQ(0, an_is_set(self->fd, self->h));
}

TEST_F(deadline, huge_deadline_means_forever)
{
	struct timed_waiter w = { .fd = self->fd, .h = self->h,
				  .deadline = ASCEND_NOTIFY_FOREVER - 1 };
	pthread_t t;

	ASSERT_EQ(0, pthread_create(&t, NULL, timed_wait_fn, &w));
	while (!atomic_load(&w.tid))
		sched_yield();
	ASSERT_TRUE(an_waiting(atomic_load(&w.tid)));
	ASSERT_EQ(0, an_record(self->fd, self->h));
	pthread_join(t, NULL);
	EXPECT_EQ(0, w.ret);
}

TEST_HARNESS_MAIN
