// SPDX-License-Identifier: GPL-2.0
/*
 * Ending waits early (ABI 2): a wait's cancel word and
 * ASCEND_NOTIFY_IOC_CANCEL. A wait whose word is set ends with ECANCELED
 * when CANCEL wakes it (or at once, when the word was set before it
 * slept); a waiter of the same object whose word is clear sleeps on and
 * still gets the next record; a record that races with a cancel is never
 * lost; CANCEL reaches only its own context's waits.
 *
 * Threads and processes synchronise through pipes and by looking at
 * /proc/TID/syscall (an_waiting()); nothing sleeps for a guessed time.
 */
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>

#include "an_test.h"
#include "kselftest_harness.h"

#define FOREVER	ASCEND_NOTIFY_FOREVER
/* A bound on how long a result may take to arrive: a failure detector. */
#define LATE_MS	10000

/**
 * struct waiter - a thread that waits on @h of @fd with cancel word @word
 * whenever it reads a byte from @go[0], and writes the result to @res[1];
 * a 'q' ends it.
 */
struct waiter {
	int fd;
	uint32_t h;
	_Atomic uint32_t word;
	bool no_word;
	_Atomic pid_t tid;
	int go[2], res[2];
	pthread_t th;
};

static void *waiter_main(void *arg)
{
	struct waiter *w = arg;
	char c;

	atomic_store(&w->tid, (pid_t)syscall(SYS_gettid));
	while (read(w->go[0], &c, 1) == 1 && c != 'q') {
		int32_t ret = an_wait_cancel(w->fd, w->h, FOREVER,
					     w->no_word ? NULL :
					     (const uint32_t *)&w->word);

		if (!an_send(w->res[1], &ret, sizeof(ret)))
			break;
	}
	return NULL;
}

static int waiter_start(struct waiter *w, int fd, uint32_t h)
{
	w->fd = fd;
	w->h = h;
	atomic_store(&w->word, 0);
	if (pipe2(w->go, O_CLOEXEC) || pipe2(w->res, O_CLOEXEC))
		return -1;
	return pthread_create(&w->th, NULL, waiter_main, w) ? -1 : 0;
}

/* Starts one wait; with @asleep, returns once the thread sleeps in it. */
static bool waiter_go(struct waiter *w, bool asleep)
{
	if (write(w->go[1], "g", 1) != 1)
		return false;
	if (!asleep)
		return true;
	while (!atomic_load(&w->tid))
		sched_yield();
	return an_waiting(atomic_load(&w->tid));
}

/* The wait's result, or 1 when none came within @ms. */
static int32_t waiter_result(struct waiter *w, int ms)
{
	struct pollfd p = { .fd = w->res[0], .events = POLLIN };
	int32_t ret = 1;

	if (poll(&p, 1, ms) == 1 && !an_recv(w->res[0], &ret, sizeof(ret)))
		ret = 2;
	return ret;
}

static void waiter_stop(struct waiter *w)
{
	if (write(w->go[1], "q", 1) == 1)
		pthread_join(w->th, NULL);
	close(w->go[0]);
	close(w->go[1]);
	close(w->res[0]);
	close(w->res[1]);
}

/* Sets @w's word, then CANCEL on @fd. */
static int cancel_one(struct waiter *w, int fd)
{
	atomic_store(&w->word, 1);
	return an_cancel(fd);
}

FIXTURE(cancel) {
	int fd;
	uint32_t n, e;
	struct waiter a, b;
};

FIXTURE_SETUP(cancel)
{
	self->fd = an_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, an_create(self->fd, 0, 0, &self->n));
	ASSERT_EQ(0, an_create(self->fd, 0, ASCEND_NOTIFY_CREATE_EVENT,
			       &self->e));
	memset(&self->a, 0, sizeof(self->a));
	memset(&self->b, 0, sizeof(self->b));
}

FIXTURE_TEARDOWN(cancel)
{
	close(self->fd);
}

TEST_F(cancel, ends_a_sleeping_wait_whose_word_is_set)
{
	ASSERT_EQ(0, waiter_start(&self->a, self->fd, self->n));
	ASSERT_TRUE(waiter_go(&self->a, true));
	ASSERT_EQ(0, cancel_one(&self->a, self->fd));
	EXPECT_EQ(-ECANCELED, waiter_result(&self->a, LATE_MS));
	waiter_stop(&self->a);
	/* Nothing was consumed, and the notify works as before. */
	EXPECT_EQ(0, an_record(self->fd, self->n));
	EXPECT_EQ(0, an_wait(self->fd, self->n, 0));
}

TEST_F(cancel, a_clear_word_keeps_sleeping_and_gets_the_record)
{
	uint32_t hs[2] = { self->n, self->e };
	int i;

	for (i = 0; i < 2; i++) {
		memset(&self->a, 0, sizeof(self->a));
		memset(&self->b, 0, sizeof(self->b));
		ASSERT_EQ(0, waiter_start(&self->a, self->fd, hs[i]));
		ASSERT_EQ(0, waiter_start(&self->b, self->fd, hs[i]));
		ASSERT_TRUE(waiter_go(&self->a, true));
		ASSERT_TRUE(waiter_go(&self->b, true));
		ASSERT_EQ(0, cancel_one(&self->a, self->fd));
		ASSERT_EQ(-ECANCELED, waiter_result(&self->a, LATE_MS));
		/* b saw the wake-up, read its clear word and slept again. */
		EXPECT_TRUE(an_waiting(atomic_load(&self->b.tid)));
		EXPECT_EQ(1, waiter_result(&self->b, 0));
		ASSERT_EQ(0, an_record(self->fd, hs[i]));
		EXPECT_EQ(0, waiter_result(&self->b, LATE_MS));
		waiter_stop(&self->a);
		waiter_stop(&self->b);
	}
	/* b's wait consumed the notify's record. */
	EXPECT_EQ(-ETIMEDOUT, an_wait(self->fd, self->n, 0));
}

TEST_F(cancel, a_word_set_before_the_wait_ends_it_at_once)
{
	uint32_t word = 7;

	EXPECT_EQ(-ECANCELED, an_wait_cancel(self->fd, self->n, FOREVER,
					     &word));
	EXPECT_EQ(-ECANCELED, an_wait_cancel(self->fd, self->e, FOREVER,
					     &word));
}

TEST_F(cancel, a_set_bit_wins_over_a_set_word)
{
	uint32_t word = 1;

	ASSERT_EQ(0, an_record(self->fd, self->n));
	EXPECT_EQ(0, an_wait_cancel(self->fd, self->n, FOREVER, &word));
	ASSERT_EQ(0, an_record(self->fd, self->e));
	EXPECT_EQ(0, an_wait_cancel(self->fd, self->e, FOREVER, &word));
	/* The event's bit stays; the notify's was consumed. */
	EXPECT_EQ(1, an_is_set(self->fd, self->e));
	EXPECT_EQ(0, an_is_set(self->fd, self->n));
}

TEST_F(cancel, a_clear_word_and_no_word_wait_on)
{
	uint32_t word = 0;

	/* A clear word changes nothing: the deadline still ends it. */
	EXPECT_EQ(-ETIMEDOUT, an_wait_cancel(self->fd, self->n,
					     an_now_ns() + 1000000, &word));
	/* CANCEL with no wait under way is harmless. */
	EXPECT_EQ(0, an_cancel(self->fd));
	/* A wait without a word cannot be cancelled. */
	self->a.no_word = true;
	ASSERT_EQ(0, waiter_start(&self->a, self->fd, self->n));
	ASSERT_TRUE(waiter_go(&self->a, true));
	ASSERT_EQ(0, cancel_one(&self->a, self->fd));
	EXPECT_TRUE(an_waiting(atomic_load(&self->a.tid)));
	ASSERT_EQ(0, an_record(self->fd, self->n));
	EXPECT_EQ(0, waiter_result(&self->a, LATE_MS));
	waiter_stop(&self->a);
}

TEST_F(cancel, bad_flags_or_pad_are_einval)
{
	struct ascend_notify_cancel c = { .flags = 1 };

	EXPECT_EQ(-EINVAL, an_ioctl(self->fd, ASCEND_NOTIFY_IOC_CANCEL, &c));
	c.flags = 1u << 31;
	EXPECT_EQ(-EINVAL, an_ioctl(self->fd, ASCEND_NOTIFY_IOC_CANCEL, &c));
	c.flags = 0;
	c.pad = 1;
	EXPECT_EQ(-EINVAL, an_ioctl(self->fd, ASCEND_NOTIFY_IOC_CANCEL, &c));
	c.pad = 0;
	EXPECT_EQ(0, an_ioctl(self->fd, ASCEND_NOTIFY_IOC_CANCEL, &c));
	EXPECT_EQ(-EFAULT, an_ioctl(self->fd, ASCEND_NOTIFY_IOC_CANCEL, NULL));
}

TEST_F(cancel, the_old_slice_flag_is_einval)
{
	struct ascend_notify_wait w = {
		.handle = self->n, .flags = 1, .deadline_ns = 0,
	};

	ASSERT_EQ(0, an_record(self->fd, self->n));
	EXPECT_EQ(-EINVAL, an_ioctl(self->fd, ASCEND_NOTIFY_IOC_WAIT, &w));
	/* Refused before it touched the bit. */
	w.flags = 0;
	EXPECT_EQ(0, an_ioctl(self->fd, ASCEND_NOTIFY_IOC_WAIT, &w));
}

TEST_F(cancel, a_bad_cancel_pointer_is_efault)
{
	long page = sysconf(_SC_PAGESIZE);
	void *gone = mmap(NULL, page, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct ascend_notify_wait w = {
		.handle = self->n, .deadline_ns = FOREVER,
		.cancel = 0xffff888000000000ull,	/* the kernel's */
	};

	ASSERT_NE(MAP_FAILED, gone);
	ASSERT_EQ(0, munmap(gone, page));
	EXPECT_EQ(-EFAULT, an_ioctl(self->fd, ASCEND_NOTIFY_IOC_WAIT, &w));
	/* Unmapped: found when the word is read, before any sleep. */
	EXPECT_EQ(-EFAULT, an_wait_cancel(self->fd, self->n, FOREVER, gone));
	EXPECT_EQ(-EFAULT, an_wait_cancel(self->fd, self->e, FOREVER, gone));
	/* A refused wait takes no record. */
	ASSERT_EQ(0, an_record(self->fd, self->n));
	EXPECT_EQ(-EFAULT, an_ioctl(self->fd, ASCEND_NOTIFY_IOC_WAIT, &w));
	EXPECT_EQ(1, an_is_set(self->fd, self->n));
}

/* CANCEL on one open file leaves the waits of another alone. */
TEST_F(cancel, reaches_only_its_own_context)
{
	int other = an_open();

	ASSERT_LE(0, other);
	ASSERT_EQ(0, waiter_start(&self->a, self->fd, self->n));
	ASSERT_TRUE(waiter_go(&self->a, true));
	ASSERT_EQ(0, cancel_one(&self->a, other));
	EXPECT_TRUE(an_waiting(atomic_load(&self->a.tid)));
	EXPECT_EQ(1, waiter_result(&self->a, 0));
	ASSERT_EQ(0, an_cancel(self->fd));
	EXPECT_EQ(-ECANCELED, waiter_result(&self->a, LATE_MS));
	waiter_stop(&self->a);
	close(other);
}

/*
 * A record racing with a cancel is consumed by the cancelled waiter (0) or
 * left set (ECANCELED): one or the other, every time.
 */
TEST_F(cancel, a_record_racing_a_cancel_is_never_lost)
{
	int i, consumed = 0, left = 0;

	ASSERT_EQ(0, waiter_start(&self->a, self->fd, self->n));
	for (i = 0; i < 400; i++) {
		int32_t ret;

		atomic_store(&self->a.word, 0);
		ASSERT_TRUE(waiter_go(&self->a, false));
		if (i & 1) {
			ASSERT_EQ(0, an_record(self->fd, self->n));
			ASSERT_EQ(0, cancel_one(&self->a, self->fd));
		} else {
			ASSERT_EQ(0, cancel_one(&self->a, self->fd));
			ASSERT_EQ(0, an_record(self->fd, self->n));
		}
		ret = waiter_result(&self->a, LATE_MS);
		if (ret == 0) {
			consumed++;
			ASSERT_EQ(0, an_is_set(self->fd, self->n));
		} else {
			ASSERT_EQ(-ECANCELED, ret);
			left++;
			ASSERT_EQ(0, an_wait(self->fd, self->n, 0));
		}
	}
	waiter_stop(&self->a);
	TH_LOG("%d consumed, %d left set", consumed, left);
}

/*
 * Two waiters of one notify, a cancelled and a clear one, and a record
 * racing the cancel: the record goes to one of them, never to neither.
 */
TEST_F(cancel, a_shared_handle_loses_no_record)
{
	int i;

	ASSERT_EQ(0, waiter_start(&self->a, self->fd, self->n));
	ASSERT_EQ(0, waiter_start(&self->b, self->fd, self->n));
	for (i = 0; i < 200; i++) {
		int32_t ra, rb;

		atomic_store(&self->a.word, 0);
		ASSERT_TRUE(waiter_go(&self->a, i & 2));
		ASSERT_TRUE(waiter_go(&self->b, i & 2));
		if (i & 1) {
			ASSERT_EQ(0, an_record(self->fd, self->n));
			ASSERT_EQ(0, cancel_one(&self->a, self->fd));
		} else {
			ASSERT_EQ(0, cancel_one(&self->a, self->fd));
			ASSERT_EQ(0, an_record(self->fd, self->n));
		}
		ra = waiter_result(&self->a, LATE_MS);
		if (ra == 0) {
			/* a took it: b sleeps until the next record. */
			ASSERT_EQ(0, an_record(self->fd, self->n));
		} else {
			ASSERT_EQ(-ECANCELED, ra);
		}
		rb = waiter_result(&self->b, LATE_MS);
		ASSERT_EQ(0, rb);
		ASSERT_EQ(0, an_is_set(self->fd, self->n));
	}
	waiter_stop(&self->a);
	waiter_stop(&self->b);
}

/*
 * An imported notify: the parent's CANCEL wakes the child's waiter of the
 * shared object, which reads its own clear word and sleeps on, then gets
 * the parent's record.
 */
TEST_F(cancel, leaves_another_process_alone)
{
	char key[AN_KEY_BUF];
	int up[2];
	pid_t pid;

	ASSERT_EQ(0, an_export(self->fd, self->n,
			       ASCEND_NOTIFY_EXPORT_NO_PID_CHECK, key));
	ASSERT_EQ(0, pipe2(up, O_CLOEXEC));
	pid = an_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		uint32_t h, word = 0;
		int fd = an_open();
		int32_t ret;

		if (fd < 0 || an_import(fd, key, 0, 0, &h))
			_exit(1);
		an_send_u32(up[1], (uint32_t)syscall(SYS_gettid));
		ret = an_wait_cancel(fd, h, FOREVER, &word);
		an_send(up[1], &ret, sizeof(ret));
		_exit(0);
	}
	{
		pid_t tid = (pid_t)an_recv_u32(up[0]);
		struct waiter dummy = { 0 };
		int32_t ret = 1;

		ASSERT_TRUE(an_waiting(tid));
		ASSERT_EQ(0, cancel_one(&dummy, self->fd));
		EXPECT_TRUE(an_waiting(tid));
		ASSERT_EQ(0, an_record(self->fd, self->n));
		ASSERT_TRUE(an_recv(up[0], &ret, sizeof(ret)));
		EXPECT_EQ(0, ret);
		EXPECT_EQ(0, an_reap(pid));
	}
	close(up[0]);
	close(up[1]);
}

TEST_HARNESS_MAIN
