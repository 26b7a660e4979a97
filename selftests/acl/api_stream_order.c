// SPDX-License-Identifier: GPL-2.0
/*
 * Stream order under concurrency: the tasks of a stream run strictly in
 * order whichever thread executes them (a synchronising thread runs a
 * parked wait itself); a synchronisation covers the tasks queued before
 * it, not those queued while it waits; work dropped by a forced teardown
 * is reported as an abort; a full queue holds its caller back, and a
 * stream that is going away refuses new work instead of losing it.
 *
 * "Blocked" is observed, never guessed: a thread's system call in /proc
 * (wait_in_syscall). Where a test shows that something does NOT happen,
 * it gives it a bounded window (NOT_BEFORE_MS) in which the defect it
 * guards against reliably shows.
 */
#include "acl_test.h"
#include "kselftest_harness.h"

/* How long a task that must not run yet is given to (wrongly) run. */
#define NOT_BEFORE_MS	500
/* Generous bound for something that must happen. */
#define WITHIN_MS	20000
/* More tasks than a stream queues before its caller blocks. */
#define MANY_TASKS	3000

FIXTURE(order) {
	struct two_streams s;
	aclrtNotify n1, n2;
};

FIXTURE_SETUP(order)
{
	ASSERT_TRUE(two_streams_open(&self->s));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateNotify(&self->n1, 0));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateNotify(&self->n2, 0));
}

FIXTURE_TEARDOWN(order)
{
	two_streams_close(&self->s);
}

/*
 * Issue 20, item 1: a synchronising thread runs the parked wait; a host
 * function queued meanwhile must wait for it, and so must a record.
 */
TEST_F(order, task_behind_a_parked_wait_waits_for_it)
{
	aclrtEventRecordedStatus st;
	struct stream_syncer y;
	aclrtEvent e;

	ASSERT_EQ(ACL_SUCCESS, aclrtCreateEvent(&e));
	ASSERT_EQ(ACL_SUCCESS, aclrtWaitAndResetNotify(self->n1,
						       self->s.stream, 0));
	ASSERT_EQ(0, stream_syncer_start(&y, self->s.stream, SYS_ioctl));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(self->s.stream, signal_fn,
						   &self->s.ran[1]));
	ASSERT_EQ(ACL_SUCCESS, aclrtRecordEvent(e, self->s.stream));
	/* n1 was never recorded: nothing behind its wait may run. */
	EXPECT_FALSE(readable_within(self->s.ran[0], NOT_BEFORE_MS));
	ASSERT_EQ(ACL_SUCCESS, aclrtQueryEventStatus(e, &st));
	EXPECT_EQ(ACL_EVENT_RECORDED_STATUS_NOT_READY, st);

	ASSERT_EQ(ACL_SUCCESS, aclrtRecordNotify(self->n1, self->s.other));
	EXPECT_EQ(ACL_SUCCESS, stream_syncer_join(&y));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->s.stream));
	EXPECT_TRUE(readable_within(self->s.ran[0], 0));
	ASSERT_EQ(ACL_SUCCESS, aclrtQueryEventStatus(e, &st));
	EXPECT_EQ(ACL_EVENT_RECORDED_STATUS_COMPLETE, st);
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyEvent(e));
}

/*
 * Issue 20, item 2: a synchronisation that began while a host function ran
 * returns when that function ends, although a wait queued after the
 * synchronisation began still blocks the stream (it is released only
 * after the synchronisation returned: waiting for it would deadlock).
 */
TEST_F(order, sync_covers_only_tasks_queued_before_it)
{
	struct stream_syncer y;

	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(self->s.stream, block_fn,
						   &self->s.gate[0]));
	/* The stream thread sits in read(), so y's futex is the wait. */
	ASSERT_EQ(0, stream_syncer_start(&y, self->s.stream, SYS_futex));
	ASSERT_EQ(ACL_SUCCESS, aclrtWaitAndResetNotify(self->n2,
						       self->s.stream, 0));
	ASSERT_EQ(1, write(self->s.gate[1], "g", 1));
	EXPECT_TRUE(readable_within(y.done[0], WITHIN_MS));

	ASSERT_EQ(ACL_SUCCESS, aclrtRecordNotify(self->n2, self->s.other));
	EXPECT_EQ(ACL_SUCCESS, stream_syncer_join(&y));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->s.stream));
}

/*
 * Issue 20, item 8: a thread synchronising a stream (here running its
 * parked wait) when @teardown drops the stream's work learns of the abort.
 */
static void abort_reaches_a_blocked_sync(struct __test_metadata *_metadata,
					 FIXTURE_DATA(order) *self,
					 aclrtStream s,
					 void (*teardown)(aclrtStream s))
{
	struct stream_syncer y;

	ASSERT_EQ(ACL_SUCCESS, aclrtWaitAndResetNotify(self->n1, s, 0));
	ASSERT_EQ(0, stream_syncer_start(&y, s, SYS_ioctl));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(s, signal_fn,
						   &self->s.ran[1]));
	teardown(s);
	EXPECT_EQ(ACL_ERROR_RT_STREAM_ABORT, stream_syncer_join(&y));
	/* The dropped host function never ran. */
	EXPECT_FALSE(readable_within(self->s.ran[0], 0));
}

static void destroy_force(aclrtStream s)
{
	if (aclrtDestroyStreamForce(s))
		abort();
}

static void reset_device_force(aclrtStream s)
{
	if (aclrtResetDeviceForce(0))
		abort();
}

static void finalize(aclrtStream s)
{
	if (aclFinalize())
		abort();
}

TEST_F(order, destroy_force_reports_an_abort_to_a_blocked_sync)
{
	aclrtStream s;

	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&s));
	abort_reaches_a_blocked_sync(_metadata, self, s, destroy_force);
}

TEST_F(order, reset_device_force_reports_an_abort_to_a_blocked_sync)
{
	abort_reaches_a_blocked_sync(_metadata, self, self->s.stream,
				     reset_device_force);
}

TEST_F(order, finalize_reports_an_abort_to_a_blocked_sync)
{
	abort_reaches_a_blocked_sync(_metadata, self, self->s.stream, finalize);
}

/* Queues count_fn on a stream of device 0 until MANY_TASKS or a refusal. */
struct pusher {
	pthread_t thread;
	aclrtStream stream;
	atomic_int tid;
	atomic_int *count;
	int queued;
	aclError ret;
	int done[2];
};

static void *pusher_main(void *arg)
{
	struct pusher *p = arg;

	p->ret = aclrtSetDevice(0);
	atomic_store(&p->tid, (int)syscall(SYS_gettid));
	for (p->queued = 0; !p->ret && p->queued < MANY_TASKS; p->queued++) {
		p->ret = aclrtLaunchHostFunc(p->stream, count_fn, p->count);
		if (p->ret)
			break;
	}
	if (write(p->done[1], "p", 1) != 1)
		abort();
	return NULL;
}

static int pusher_start(struct pusher *p, aclrtStream s, atomic_int *count)
{
	p->stream = s;
	p->count = count;
	atomic_init(&p->tid, 0);
	if (pipe(p->done) || pthread_create(&p->thread, NULL, pusher_main, p))
		return -1;
	while (!atomic_load(&p->tid))
		sched_yield();
	return 0;
}

static void pusher_join(struct pusher *p)
{
	pthread_join(p->thread, NULL);
	close(p->done[0]);
	close(p->done[1]);
}

/*
 * Issue 20, item 13: a stream's queue is bounded; behind a blocked task
 * the caller queuing more waits until the stream catches up, and every
 * task queued runs.
 */
TEST_F(order, full_queue_holds_the_caller_back)
{
	atomic_int count = 0;
	struct pusher p;

	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(self->s.stream, block_fn,
						   &self->s.gate[0]));
	ASSERT_EQ(0, pusher_start(&p, self->s.stream, &count));
	/* Blocked on the full queue, not done queuing. */
	EXPECT_TRUE(wait_in_syscall(atomic_load(&p.tid), SYS_futex));
	EXPECT_FALSE(readable_within(p.done[0], NOT_BEFORE_MS));
	ASSERT_EQ(1, write(self->s.gate[1], "g", 1));
	EXPECT_TRUE(readable_within(p.done[0], WITHIN_MS));
	pusher_join(&p);
	EXPECT_EQ(ACL_SUCCESS, p.ret);
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->s.stream));
	EXPECT_EQ(MANY_TASKS, atomic_load(&count));
}

static void *destroy_main(void *arg)
{
	return (void *)(intptr_t)aclrtDestroyStream(arg);
}

/*
 * Issue 20, item 10: a caller whose task reaches a stream that is being
 * destroyed is refused; it is not told success for a task that never
 * runs. Every task that was accepted ran (a draining destroy).
 */
TEST_F(order, stream_going_away_refuses_new_tasks)
{
	atomic_int count = 0;
	struct pusher p;
	pthread_t d;
	void *dret;
	aclrtStream s;

	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&s));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(s, block_fn,
						   &self->s.gate[0]));
	ASSERT_EQ(0, pusher_start(&p, s, &count));
	/* The pusher holds the stream, blocked on its full queue. */
	ASSERT_TRUE(wait_in_syscall(atomic_load(&p.tid), SYS_futex));
	ASSERT_EQ(0, pthread_create(&d, NULL, destroy_main, s));
	/* The destroy refuses the blocked task at once ... */
	EXPECT_TRUE(readable_within(p.done[0], WITHIN_MS));
	/* ... and drains what was accepted once the stream moves. */
	ASSERT_EQ(1, write(self->s.gate[1], "g", 1));
	pthread_join(d, &dret);
	pusher_join(&p);
	EXPECT_EQ(ACL_SUCCESS, (aclError)(intptr_t)dret);
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE, p.ret);
	EXPECT_LT(p.queued, MANY_TASKS);
	EXPECT_EQ(p.queued, atomic_load(&count));
}

TEST_HARNESS_MAIN
