// SPDX-License-Identifier: GPL-2.0
/*
 * Events keep CANN's meaning: each aclrtRecordEvent captures the tasks
 * queued before it and replaces the previous capture, so a query or a
 * synchronisation concerns the latest record; a record its stream
 * discarded ends the synchronisations waiting for it with the stream's
 * error; an event (or notify) may be destroyed while its record is still
 * queued; aclrtStreamWaitEventWithTimeout counts seconds, 0 = forever.
 */
#include "acl_test.h"
#include "kselftest_harness.h"

#define WITHIN_MS	20000

/* Live kernel objects (notifies, events, memory), module-wide. */
static long live_objects(void)
{
	struct an_stats st;

	return module_stats(&st) ? (long)st.objects : -1;
}

FIXTURE(sem) {
	struct two_streams s;
	aclrtEvent event;
};

FIXTURE_SETUP(sem)
{
	ASSERT_TRUE(two_streams_open(&self->s));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateEvent(&self->event));
}

FIXTURE_TEARDOWN(sem)
{
	two_streams_close(&self->s);
	EXPECT_EQ(0, live_objects());
}

static aclrtEventRecordedStatus status(struct __test_metadata *_metadata,
				       aclrtEvent e)
{
	aclrtEventRecordedStatus st = -1;

	EXPECT_EQ(ACL_SUCCESS, aclrtQueryEventStatus(e, &st));
	return st;
}

/* Synchronises @e on another thread; the result comes through @done. */
struct event_syncer {
	pthread_t thread;
	aclrtEvent event;
	aclError ret;
	int done[2];
};

static void *event_syncer_main(void *arg)
{
	struct event_syncer *y = arg;

	y->ret = aclrtSynchronizeEvent(y->event);
	if (write(y->done[1], "e", 1) != 1)
		abort();
	return NULL;
}

/*
 * Issue 20, item 4: recording again makes the event "not ready" until the
 * new record ran, for query and for synchronisation alike.
 */
TEST_F(sem, record_again_makes_the_event_not_ready)
{
	ASSERT_EQ(ACL_SUCCESS, aclrtRecordEvent(self->event, self->s.stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->s.stream));
	EXPECT_EQ(ACL_EVENT_RECORDED_STATUS_COMPLETE,
		  status(_metadata, self->event));

	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(self->s.stream, block_fn,
						   &self->s.gate[0]));
	ASSERT_EQ(ACL_SUCCESS, aclrtRecordEvent(self->event, self->s.stream));
	EXPECT_EQ(ACL_EVENT_RECORDED_STATUS_NOT_READY,
		  status(_metadata, self->event));
	EXPECT_EQ(ACL_ERROR_RT_EVENT_SYNC_TIMEOUT,
		  aclrtSynchronizeEventWithTimeout(self->event, 100));

	ASSERT_EQ(1, write(self->s.gate[1], "g", 1));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeEvent(self->event));
	EXPECT_EQ(ACL_EVENT_RECORDED_STATUS_COMPLETE,
		  status(_metadata, self->event));
	/* The latest capture counts: a reset makes it "never recorded". */
	ASSERT_EQ(ACL_SUCCESS, aclrtResetEvent(self->event, self->s.stream));
	EXPECT_EQ(ACL_EVENT_RECORDED_STATUS_COMPLETE,
		  status(_metadata, self->event));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->s.stream));
}

/*
 * Issue 20, item 4, for stream waits: a wait queued after a second record
 * waits for that record, not for the bit the first one left set; with a
 * timeout, it expires while the second record is held up.
 */
TEST_F(sem, stream_wait_concerns_the_latest_record)
{
	ASSERT_EQ(ACL_SUCCESS, aclrtRecordEvent(self->event, self->s.stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->s.stream));

	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(self->s.stream, block_fn,
						   &self->s.gate[0]));
	ASSERT_EQ(ACL_SUCCESS, aclrtRecordEvent(self->event, self->s.stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtStreamWaitEvent(self->s.other,
						    self->event));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(self->s.other, signal_fn,
						   &self->s.ran[1]));
	EXPECT_EQ(ACL_ERROR_RT_STREAM_SYNC_TIMEOUT,
		  aclrtSynchronizeStreamWithTimeout(self->s.other, 200));
	EXPECT_FALSE(readable_within(self->s.ran[0], 0));

	ASSERT_EQ(1, write(self->s.gate[1], "g", 1));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->s.other));
	EXPECT_TRUE(readable_within(self->s.ran[0], 0));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->s.stream));

	/* The same with a timeout of 1 s: the held-up record makes it expire. */
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(self->s.stream, block_fn,
						   &self->s.gate[0]));
	ASSERT_EQ(ACL_SUCCESS, aclrtRecordEvent(self->event, self->s.stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtStreamWaitEventWithTimeout(self->s.other,
							       self->event,
							       1));
	EXPECT_EQ(ACL_ERROR_RT_TASK_TIMEOUT,
		  aclrtSynchronizeStream(self->s.other));
	ASSERT_EQ(1, write(self->s.gate[1], "g", 1));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->s.stream));
}

static void *destroy_force_main(void *arg)
{
	return (void *)(intptr_t)aclrtDestroyStreamForce(arg);
}

/*
 * Issue 20, item 3: a synchronisation waiting for a record that its
 * stream then drops (a forced destroy) returns the abort instead of
 * blocking forever; one that starts afterwards returns it too.
 */
TEST_F(sem, discarded_record_ends_its_synchronisations)
{
	struct event_syncer y = { .event = self->event, .ret = -1 };
	pthread_t d;
	aclrtStream s;
	void *dret;

	ASSERT_EQ(0, pipe(y.done));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&s));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(s, block_fn,
						   &self->s.gate[0]));
	ASSERT_EQ(ACL_SUCCESS, aclrtRecordEvent(self->event, s));
	ASSERT_EQ(0, pthread_create(&y.thread, NULL, event_syncer_main, &y));
	/*
	 * The forced destroy drops the record at once, then waits for the
	 * host function, which is released once the synchroniser returned.
	 */
	ASSERT_EQ(0, pthread_create(&d, NULL, destroy_force_main, s));
	EXPECT_TRUE(readable_within(y.done[0], WITHIN_MS));
	if (!readable_within(y.done[0], 0))	/* let the test end */
		ASSERT_EQ(ACL_SUCCESS, aclrtRecordEvent(self->event,
							self->s.other));
	ASSERT_EQ(1, write(self->s.gate[1], "g", 1));
	pthread_join(d, &dret);
	pthread_join(y.thread, NULL);
	EXPECT_EQ(ACL_SUCCESS, (aclError)(intptr_t)dret);
	EXPECT_EQ(ACL_ERROR_RT_STREAM_ABORT, y.ret);
	EXPECT_EQ(ACL_ERROR_RT_STREAM_ABORT,
		  aclrtSynchronizeEventWithTimeout(self->event, 1000));
	close(y.done[0]);
	close(y.done[1]);
}

/*
 * Queues, behind a blocked host function, a record of @obj and a host
 * function; destroys @obj: the stream does not fail, both tasks run, and
 * @obj's kernel object goes only once its record ran.
 */
static void destroy_before_record_ran(struct __test_metadata *_metadata,
				      FIXTURE_DATA(sem) *self, void *obj,
				      aclError (*record)(void *, aclrtStream),
				      aclError (*destroy)(void *))
{
	long before;

	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(self->s.stream, block_fn,
						   &self->s.gate[0]));
	ASSERT_EQ(ACL_SUCCESS, record(obj, self->s.stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(self->s.stream, signal_fn,
						   &self->s.ran[1]));
	before = live_objects();
	EXPECT_EQ(ACL_SUCCESS, destroy(obj));
	EXPECT_EQ(before, live_objects());
	ASSERT_EQ(1, write(self->s.gate[1], "g", 1));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->s.stream));
	EXPECT_TRUE(readable_within(self->s.ran[0], 0));
	EXPECT_EQ(before - 1, live_objects());
}

/*
 * Issue 20, item 5: CANN allows destroying an event before it completed,
 * its resources going when it does.
 */
TEST_F(sem, destroy_event_before_its_record_ran)
{
	destroy_before_record_ran(_metadata, self, self->event,
				  aclrtRecordEvent, aclrtDestroyEvent);
}

/* Issue 20, item 5, for notifies (notify.c had the same defect). */
TEST_F(sem, destroy_notify_before_its_record_ran)
{
	aclrtNotify n;

	ASSERT_EQ(ACL_SUCCESS, aclrtCreateNotify(&n, 0));
	destroy_before_record_ran(_metadata, self, n, aclrtRecordNotify,
				  aclrtDestroyNotify);
}

/*
 * Issue 20, item 6: the timeout of aclrtStreamWaitEventWithTimeout is in
 * seconds, 0 never times out, a negative one is refused.
 */
TEST_F(sem, stream_wait_timeout_is_seconds_and_0_is_forever)
{
	uint64_t start;

	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtStreamWaitEventWithTimeout(self->s.stream, self->event,
						  -1));
	/* Not recorded yet: 0 waits until the record, however late. */
	ASSERT_EQ(ACL_SUCCESS, aclrtStreamWaitEventWithTimeout(self->s.stream,
							       self->event,
							       0));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(self->s.stream, signal_fn,
						   &self->s.ran[1]));
	EXPECT_EQ(ACL_ERROR_RT_STREAM_SYNC_TIMEOUT,
		  aclrtSynchronizeStreamWithTimeout(self->s.stream, 200));
	EXPECT_FALSE(readable_within(self->s.ran[0], 0));
	ASSERT_EQ(ACL_SUCCESS, aclrtRecordEvent(self->event, self->s.other));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->s.stream));
	EXPECT_TRUE(readable_within(self->s.ran[0], 0));

	/* 1 is a second, not a millisecond. */
	ASSERT_EQ(ACL_SUCCESS, aclrtResetEvent(self->event, self->s.other));
	ASSERT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->s.other));
	start = now_ns();
	ASSERT_EQ(ACL_SUCCESS, aclrtStreamWaitEventWithTimeout(self->s.stream,
							       self->event,
							       1));
	EXPECT_EQ(ACL_ERROR_RT_TASK_TIMEOUT,
		  aclrtSynchronizeStream(self->s.stream));
	EXPECT_LE(start + 1000000000ull, now_ns());
}

TEST_HARNESS_MAIN
