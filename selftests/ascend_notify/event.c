// SPDX-License-Identifier: GPL-2.0
/*
 * Events (ASCEND_NOTIFY_CREATE_EVENT): one record releases every waiter,
 * a wait does not consume the bit, a reset does; they are shared with the
 * same keys as notifies and waited on from any device.
 */
#include <pthread.h>
#include <sched.h>

#include "an_test.h"
#include "kselftest_harness.h"

#define SEC	1000000000ull

FIXTURE(event) {
	int fd;
	uint32_t h;
	char key[AN_KEY_BUF];
};

FIXTURE_SETUP(event)
{
	self->fd = an_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, an_create(self->fd, 0, ASCEND_NOTIFY_CREATE_EVENT,
			       &self->h));
	ASSERT_EQ(0, an_export(self->fd, self->h,
			       ASCEND_NOTIFY_EXPORT_NO_PID_CHECK, self->key));
}

FIXTURE_TEARDOWN(event)
{
	close(self->fd);
	EXPECT_EQ(0, an_live_objects());
}

/*
 * A child that imports the event on @dev, reports on @ready, then does
 * @what: 'w' waits (10 s), 'r' records. Exits 0 on success.
 */
static pid_t event_child(const char *key, uint32_t dev, char what,
			 int ready)
{
	pid_t pid = an_fork();
	uint32_t h;
	int fd, ret;

	if (pid)
		return pid;
	fd = an_open();
	if (fd < 0)
		_exit(10);
	if (an_import_kind(fd, key, dev, ASCEND_NOTIFY_IMPORT_PEER_ACCESS,
			   ASCEND_NOTIFY_KIND_EVENT, &h))
		_exit(11);
	if (!an_send_u32(ready, h))
		_exit(12);
	if (what == 'w')
		ret = an_wait_for(fd, h, 10 * SEC);
	else
		ret = an_record(fd, h);
	_exit(ret ? 20 + (-ret & 0x3f) : 0);
}

struct waiter {
	pthread_t thread;
	int fd;
	uint32_t h;
	int ready;	/* pipe: the thread's tid */
	int ret;
};

static void *waiter_main(void *arg)
{
	struct waiter *w = arg;

	an_send_u32(w->ready, syscall(SYS_gettid));
	w->ret = an_wait_for(w->fd, w->h, 10 * SEC);
	return NULL;
}

/* Starts @w waiting on @h and returns once it sleeps in WAIT. */
static bool waiter_start(struct waiter *w, int fd, uint32_t h, int p[2])
{
	*w = (struct waiter){ .fd = fd, .h = h, .ready = p[1], .ret = 1 };
	return !pthread_create(&w->thread, NULL, waiter_main, w) &&
	       an_waiting(an_recv_u32(p[0]));
}

TEST_F(event, info_says_event)
{
	struct ascend_notify_info info;

	ASSERT_EQ(0, an_info(self->fd, self->h, &info));
	EXPECT_TRUE(info.info_flags & ASCEND_NOTIFY_INFO_EVENT);
	EXPECT_FALSE(info.info_flags & ASCEND_NOTIFY_INFO_MEM);
	EXPECT_TRUE(info.info_flags & ASCEND_NOTIFY_INFO_EXPORTED);
}

TEST_F_TIMEOUT(event, one_record_releases_every_waiter, 60)
{
	enum { PROCS = 3, THREADS = 2 };
	struct waiter w[THREADS];
	pid_t pids[PROCS];
	int p[2], i;

	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	for (i = 0; i < PROCS; i++) {
		pids[i] = event_child(self->key, 0, 'w', p[1]);
		ASSERT_LT(0, pids[i]);
		ASSERT_NE(UINT32_MAX, an_recv_u32(p[0]));
	}
	for (i = 0; i < THREADS; i++)
		ASSERT_TRUE(waiter_start(&w[i], self->fd, self->h, p));
	for (i = 0; i < PROCS; i++)
		ASSERT_TRUE(an_waiting(pids[i]));

	ASSERT_EQ(0, an_record(self->fd, self->h));
	for (i = 0; i < THREADS; i++) {
		pthread_join(w[i].thread, NULL);
		EXPECT_EQ(0, w[i].ret);
	}
	for (i = 0; i < PROCS; i++)
		EXPECT_EQ(0, an_reap(pids[i]));
	/* Nobody consumed it. */
	EXPECT_EQ(1, an_is_set(self->fd, self->h));
	close(p[0]);
	close(p[1]);
}

/*
 * A record completes every wait already asleep, even when a reset clears
 * the bit before the woken waiters run (a "pulse": record, then reset at
 * once). They must not go back to sleep until their deadline. To make
 * sure that the reset comes first, everything runs on one CPU and the
 * recorder is SCHED_FIFO while it records and resets: the woken waiters
 * cannot run in between.
 */
TEST_F_TIMEOUT(event, pulse_releases_every_sleeping_waiter, 60)
{
	enum { THREADS = 2 };
	struct sched_param fifo = { .sched_priority = 1 }, other = { 0 };
	struct waiter w[THREADS];
	cpu_set_t one;
	int p[2], i;

	CPU_ZERO(&one);
	CPU_SET(0, &one);
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(one), &one));
	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	for (i = 0; i < THREADS; i++)
		ASSERT_TRUE(waiter_start(&w[i], self->fd, self->h, p));
	ASSERT_EQ(0, pthread_setschedparam(pthread_self(), SCHED_FIFO, &fifo));
	ASSERT_EQ(0, an_record(self->fd, self->h));
	ASSERT_EQ(0, an_batch_reset(self->fd, &self->h, 1));
	ASSERT_EQ(0, pthread_setschedparam(pthread_self(), SCHED_OTHER, &other));
	for (i = 0; i < THREADS; i++) {
		pthread_join(w[i].thread, NULL);
		EXPECT_EQ(0, w[i].ret);
	}
	/* The reset still holds: a new wait does not pass. */
	EXPECT_EQ(0, an_is_set(self->fd, self->h));
	EXPECT_EQ(-ETIMEDOUT, an_wait(self->fd, self->h, an_now_ns()));
	close(p[0]);
	close(p[1]);
}

TEST_F(event, record_before_wait_is_seen)
{
	ASSERT_EQ(0, an_record(self->fd, self->h));
	/* Even with a deadline in the past. */
	EXPECT_EQ(0, an_wait(self->fd, self->h, 0));
}

TEST_F(event, wait_does_not_reset)
{
	ASSERT_EQ(0, an_record(self->fd, self->h));
	EXPECT_EQ(0, an_wait(self->fd, self->h, 0));
	EXPECT_EQ(0, an_wait(self->fd, self->h, 0));
	EXPECT_EQ(0, an_wait_for(self->fd, self->h, SEC));
	EXPECT_EQ(1, an_is_set(self->fd, self->h));
}

TEST_F(event, reset_then_wait_times_out)
{
	ASSERT_EQ(0, an_record(self->fd, self->h));
	ASSERT_EQ(0, an_batch_reset(self->fd, &self->h, 1));
	EXPECT_EQ(0, an_is_set(self->fd, self->h));
	EXPECT_EQ(-ETIMEDOUT, an_wait(self->fd, self->h, 0));
	EXPECT_EQ(-ETIMEDOUT, an_wait_for(self->fd, self->h, SEC / 20));
}

/* The importer waits on device 1 for a record of the creator on device 0. */
TEST_F(event, wait_across_processes_and_devices)
{
	pid_t pid;
	int p[2];

	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	pid = event_child(self->key, 1, 'w', p[1]);
	ASSERT_LT(0, pid);
	ASSERT_NE(UINT32_MAX, an_recv_u32(p[0]));
	ASSERT_TRUE(an_waiting(pid));
	ASSERT_EQ(0, an_record(self->fd, self->h));
	EXPECT_EQ(0, an_reap(pid));
	close(p[0]);
	close(p[1]);
}

/* An importer on another device records; the creator's waiter wakes. */
TEST_F(event, record_on_imported_event)
{
	pid_t pid;
	int p[2];

	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	pid = event_child(self->key, 2, 'r', p[1]);
	ASSERT_LT(0, pid);
	ASSERT_NE(UINT32_MAX, an_recv_u32(p[0]));
	EXPECT_EQ(0, an_wait_for(self->fd, self->h, 10 * SEC));
	EXPECT_EQ(0, an_reap(pid));
	close(p[0]);
	close(p[1]);
}

/* An imported event is waited on from another device of the same process. */
TEST_F(event, imported_event_waits_on_any_device)
{
	uint32_t ev, nt;
	char nkey[AN_KEY_BUF];

	ASSERT_EQ(0, an_import_kind(self->fd, self->key, 3,
				    ASCEND_NOTIFY_IMPORT_PEER_ACCESS,
				    ASCEND_NOTIFY_KIND_EVENT, &ev));
	EXPECT_EQ(-ETIMEDOUT, an_wait(self->fd, ev, 0));
	ASSERT_EQ(0, an_record(self->fd, ev));
	EXPECT_EQ(0, an_wait(self->fd, ev, 0));
	EXPECT_EQ(0, an_wait(self->fd, self->h, 0));
	/* A notify keeps its rule: only its own device waits. */
	ASSERT_EQ(0, an_create(self->fd, 0, 0, &nt));
	ASSERT_EQ(0, an_export(self->fd, nt, ASCEND_NOTIFY_EXPORT_NO_PID_CHECK,
			       nkey));
	ASSERT_EQ(0, an_import(self->fd, nkey, 3,
			       ASCEND_NOTIFY_IMPORT_PEER_ACCESS, &nt));
	EXPECT_EQ(-EXDEV, an_wait(self->fd, nt, 0));
}

TEST_F(event, destroy_under_waiter_is_eidrm)
{
	struct waiter w = { .fd = self->fd, .h = self->h, .ret = 1 };
	int p[2];

	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	w.ready = p[1];
	ASSERT_EQ(0, pthread_create(&w.thread, NULL, waiter_main, &w));
	ASSERT_TRUE(an_waiting(an_recv_u32(p[0])));
	ASSERT_EQ(0, an_destroy(self->fd, self->h));
	pthread_join(w.thread, NULL);
	EXPECT_EQ(-EIDRM, w.ret);
	close(p[0]);
	close(p[1]);
}

TEST_F(event, kind_mismatch_on_import_is_enokey)
{
	char nkey[AN_KEY_BUF];
	uint32_t n, h;

	EXPECT_EQ(-ENOKEY, an_import_kind(self->fd, self->key, 0, 0,
					  ASCEND_NOTIFY_KIND_NOTIFY, &h));
	EXPECT_EQ(-ENOKEY, an_import_kind(self->fd, self->key, 0, 0,
					  ASCEND_NOTIFY_KIND_MEM, &h));
	EXPECT_EQ(-EINVAL, an_import_kind(self->fd, self->key, 0, 0, 3, &h));
	EXPECT_EQ(0, an_import_kind(self->fd, self->key, 0, 0,
				    ASCEND_NOTIFY_KIND_EVENT, &h));

	ASSERT_EQ(0, an_create(self->fd, 0, 0, &n));
	ASSERT_EQ(0, an_export(self->fd, n, ASCEND_NOTIFY_EXPORT_NO_PID_CHECK,
			       nkey));
	EXPECT_EQ(-ENOKEY, an_import_kind(self->fd, nkey, 0, 0,
					  ASCEND_NOTIFY_KIND_EVENT, &h));
	EXPECT_EQ(0, an_import_kind(self->fd, nkey, 0, 0,
				    ASCEND_NOTIFY_KIND_NOTIFY, &h));
}

TEST_F(event, mem_ioctls_refuse_an_event)
{
	struct ascend_notify_mem m;

	EXPECT_EQ(-ENOENT, an_mem_info(self->fd, self->h, &m));
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 4096, PROT_READ, MAP_SHARED,
				   self->fd, (off_t)self->h << 12));
	EXPECT_EQ(EINVAL, errno);
}

/* Events and notifies share the device's id space and limit. */
TEST_F(event, shares_the_id_space)
{
	struct ascend_notify_info a, b;
	uint32_t n;

	ASSERT_EQ(0, an_create(self->fd, 0, 0, &n));
	ASSERT_EQ(0, an_info(self->fd, self->h, &a));
	ASSERT_EQ(0, an_info(self->fd, n, &b));
	EXPECT_NE(a.id, b.id);
	EXPECT_EQ(0, an_destroy(self->fd, n));
}

TEST_HARNESS_MAIN
