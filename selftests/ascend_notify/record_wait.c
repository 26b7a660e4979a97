// SPDX-License-Identifier: GPL-2.0
/*
 * The one-bit semantics: record sets the bit, wait-and-reset consumes it,
 * records coalesce, one record releases exactly one wait, reset clears.
 */
#include <pthread.h>
#include <stdatomic.h>

#include "an_test.h"
#include "kselftest_harness.h"

#define SEC	1000000000ull

FIXTURE(notify) {
	int fd;
	uint32_t h;
};

FIXTURE_SETUP(notify)
{
	self->fd = an_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, an_create(self->fd, 0, 0, &self->h));
}

FIXTURE_TEARDOWN(notify)
{
	close(self->fd);
	EXPECT_EQ(0, an_live_objects());
}

TEST_F(notify, new_notify_is_clear)
{
	ASSERT_EQ(0, an_is_set(self->fd, self->h));
	EXPECT_EQ(-ETIMEDOUT, an_wait(self->fd, self->h, 0));
}

TEST_F(notify, record_before_wait_passes_at_once)
{
	ASSERT_EQ(0, an_record(self->fd, self->h));
	ASSERT_EQ(1, an_is_set(self->fd, self->h));
	/* Even a deadline already in the past: the bit is there. */
	EXPECT_EQ(0, an_wait(self->fd, self->h, 0));
	EXPECT_EQ(0, an_is_set(self->fd, self->h));
}

TEST_F(notify, records_coalesce)
{
	int i;

	for (i = 0; i < 5; i++)
		ASSERT_EQ(0, an_record(self->fd, self->h));
	EXPECT_EQ(0, an_wait(self->fd, self->h, 0));
	/* Five records, one bit: the second wait finds nothing. */
	EXPECT_EQ(-ETIMEDOUT, an_wait(self->fd, self->h, 0));
}

TEST_F(notify, wait_resets_so_next_wait_needs_new_record)
{
	ASSERT_EQ(0, an_record(self->fd, self->h));
	ASSERT_EQ(0, an_wait(self->fd, self->h, 0));
	ASSERT_EQ(-ETIMEDOUT, an_wait(self->fd, self->h, 0));
	ASSERT_EQ(0, an_record(self->fd, self->h));
	EXPECT_EQ(0, an_wait(self->fd, self->h, 0));
}

TEST_F(notify, explicit_reset_clears_bit)
{
	ASSERT_EQ(0, an_record(self->fd, self->h));
	ASSERT_EQ(0, an_batch_reset(self->fd, &self->h, 1));
	EXPECT_EQ(0, an_is_set(self->fd, self->h));
	EXPECT_EQ(-ETIMEDOUT, an_wait(self->fd, self->h, 0));
	/* Resetting a clear bit is not an error. */
	EXPECT_EQ(0, an_batch_reset(self->fd, &self->h, 1));
}

TEST_F(notify, batch_reset_clears_every_bit)
{
	uint32_t hs[4];
	int i;

	hs[0] = self->h;
	for (i = 1; i < 4; i++)
		ASSERT_EQ(0, an_create(self->fd, i, 0, &hs[i]));
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, an_record(self->fd, hs[i]));
	ASSERT_EQ(0, an_batch_reset(self->fd, hs, 4));
	for (i = 0; i < 4; i++)
		EXPECT_EQ(0, an_is_set(self->fd, hs[i]));
}

TEST_F(notify, batch_reset_with_one_bad_handle_changes_nothing)
{
	uint32_t hs[4], gone;
	int i;

	ASSERT_EQ(0, an_create(self->fd, 0, 0, &gone));
	ASSERT_EQ(0, an_destroy(self->fd, gone));
	hs[0] = self->h;
	ASSERT_EQ(0, an_create(self->fd, 1, 0, &hs[1]));
	ASSERT_EQ(0, an_create(self->fd, 2, 0, &hs[3]));
	hs[2] = gone;
	for (i = 0; i < 4; i++) {
		if (i != 2)
			ASSERT_EQ(0, an_record(self->fd, hs[i]));
	}
	EXPECT_EQ(-ENOENT, an_batch_reset(self->fd, hs, 4));
	for (i = 0; i < 4; i++) {
		if (i != 2)
			EXPECT_EQ(1, an_is_set(self->fd, hs[i]));
	}
	/* The bad handle last, too. */
	hs[2] = hs[3];
	hs[3] = 0;
	EXPECT_EQ(-ENOENT, an_batch_reset(self->fd, hs, 4));
	EXPECT_EQ(1, an_is_set(self->fd, hs[0]));
}

TEST_F(notify, batch_reset_repeated_handle)
{
	uint32_t hs[3] = { self->h, self->h, self->h };

	ASSERT_EQ(0, an_record(self->fd, self->h));
	EXPECT_EQ(0, an_batch_reset(self->fd, hs, 3));
	EXPECT_EQ(0, an_is_set(self->fd, self->h));
}

struct waiter {
	pthread_t thread;
	int fd;
	uint32_t h;
	atomic_int tid;
	atomic_int done;
	int ret;
	atomic_int *woken;
};

static void *waiter_fn(void *arg)
{
	struct waiter *w = arg;

	atomic_store(&w->tid, gettid());
	w->ret = an_wait(w->fd, w->h, ASCEND_NOTIFY_FOREVER);
	if (w->woken)
		atomic_fetch_add(w->woken, 1);
	atomic_store(&w->done, 1);
	return NULL;
}

static void start_waiter(struct waiter *w, int fd, uint32_t h,
			 atomic_int *woken)
{
	memset(w, 0, sizeof(*w));
	w->fd = fd;
	w->h = h;
	w->woken = woken;
	pthread_create(&w->thread, NULL, waiter_fn, w);
	while (!atomic_load(&w->tid))
		sched_yield();
}

/* Yields until @count reaches @want; false after 10 s. */
static bool reaches(atomic_int *count, int want)
{
	uint64_t end = an_now_ns() + 10 * SEC;

	while (atomic_load(count) < want) {
		if (an_now_ns() > end)
			return false;
		sched_yield();
	}
	return true;
}

TEST_F(notify, infinite_wait_is_woken_by_record)
{
	struct waiter w;

	start_waiter(&w, self->fd, self->h, NULL);
	ASSERT_TRUE(an_waiting(atomic_load(&w.tid)));
	ASSERT_EQ(0, atomic_load(&w.done));
	ASSERT_EQ(0, an_record(self->fd, self->h));
	pthread_join(w.thread, NULL);
	EXPECT_EQ(0, w.ret);
	EXPECT_EQ(0, an_is_set(self->fd, self->h));
}

TEST_F(notify, one_record_wakes_exactly_one_of_two_waiters)
{
	atomic_int woken = 0;
	struct waiter w[2];
	int i, still;

	for (i = 0; i < 2; i++) {
		start_waiter(&w[i], self->fd, self->h, &woken);
		ASSERT_TRUE(an_waiting(atomic_load(&w[i].tid)));
	}
	ASSERT_EQ(0, an_record(self->fd, self->h));
	ASSERT_TRUE(reaches(&woken, 1));

	/* The other one still sleeps in its wait, and the bit is spent. */
	still = atomic_load(&w[0].done) ? 1 : 0;
	EXPECT_TRUE(an_waiting(atomic_load(&w[still].tid)));
	EXPECT_EQ(1, atomic_load(&woken));
	EXPECT_EQ(0, an_is_set(self->fd, self->h));

	ASSERT_EQ(0, an_record(self->fd, self->h));
	ASSERT_TRUE(reaches(&woken, 2));
	for (i = 0; i < 2; i++) {
		pthread_join(w[i].thread, NULL);
		EXPECT_EQ(0, w[i].ret);
	}
}

TEST_F(notify, destroy_wakes_waiter_with_eidrm)
{
	struct waiter w;

	start_waiter(&w, self->fd, self->h, NULL);
	ASSERT_TRUE(an_waiting(atomic_load(&w.tid)));
	ASSERT_EQ(0, an_destroy(self->fd, self->h));
	pthread_join(w.thread, NULL);
	EXPECT_EQ(-EIDRM, w.ret);
	EXPECT_EQ(-ENOENT, an_record(self->fd, self->h));
}

TEST_F(notify, destroying_one_handle_leaves_other_waiters_waiting)
{
	char key[AN_KEY_BUF];
	struct waiter w[2];
	uint32_t imp;
	int fd2;

	/* A second handle of the same notify, on the same device. */
	fd2 = an_open();
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, an_export(self->fd, self->h,
			       ASCEND_NOTIFY_EXPORT_NO_PID_CHECK, key));
	ASSERT_EQ(0, an_import(fd2, key, 0, 0, &imp));

	start_waiter(&w[0], self->fd, self->h, NULL);
	start_waiter(&w[1], fd2, imp, NULL);
	ASSERT_TRUE(an_waiting(atomic_load(&w[0].tid)));
	ASSERT_TRUE(an_waiting(atomic_load(&w[1].tid)));

	ASSERT_EQ(0, an_destroy(fd2, imp));
	pthread_join(w[1].thread, NULL);
	EXPECT_EQ(-EIDRM, w[1].ret);
	/* The creator's waiter was woken too, and went back to sleep. */
	EXPECT_TRUE(an_waiting(atomic_load(&w[0].tid)));
	EXPECT_EQ(0, atomic_load(&w[0].done));

	ASSERT_EQ(0, an_record(self->fd, self->h));
	pthread_join(w[0].thread, NULL);
	EXPECT_EQ(0, w[0].ret);
	close(fd2);
}

TEST_HARNESS_MAIN
