// SPDX-License-Identifier: GPL-2.0
/*
 * aclrtSetStreamFailureMode: by default (ACL_CONTINUE_ON_FAILURE, as in
 * CANN) the tasks behind a failed task still run; ACL_STOP_ON_FAILURE
 * discards them until a synchronisation reported the failure, and a
 * discarded event record ends the event's synchronisations with it.
 * Either way the next synchronisation reports the first failure, once.
 */
#include "acl_test.h"
#include "kselftest_harness.h"

FIXTURE(mode) {
	aclrtStream stream;
	aclrtNotify notify;	/* never recorded: its timed wait fails */
	atomic_int ran;
};

FIXTURE_SETUP(mode)
{
	ASSERT_EQ(ACL_SUCCESS, aclInit(NULL));
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(0));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateNotify(&self->notify, 0));
	atomic_init(&self->ran, 0);
}

FIXTURE_TEARDOWN(mode)
{
	EXPECT_EQ(ACL_SUCCESS, aclFinalize());
}

/* Queues a wait that times out after a second, and a host function. */
static void fail_then_count(struct __test_metadata *_metadata,
			    FIXTURE_DATA(mode) *self, aclrtStream s)
{
	ASSERT_EQ(ACL_SUCCESS, aclrtWaitAndResetNotify(self->notify, s, 1));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(s, count_fn, &self->ran));
}

TEST_F(mode, arguments)
{
	EXPECT_EQ(0u, ACL_CONTINUE_ON_FAILURE);
	EXPECT_EQ(1u, ACL_STOP_ON_FAILURE);
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtSetStreamFailureMode(self->stream, 2));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE,
		  aclrtSetStreamFailureMode((aclrtStream)(uintptr_t)0x1234,
					    ACL_STOP_ON_FAILURE));
	/* NULL is the default stream. */
	EXPECT_EQ(ACL_SUCCESS, aclrtSetStreamFailureMode(NULL,
							 ACL_CONTINUE_ON_FAILURE));
	ASSERT_EQ(ACL_SUCCESS, aclFinalize());
	EXPECT_EQ(ACL_ERROR_UNINITIALIZE,
		  aclrtSetStreamFailureMode(self->stream, ACL_STOP_ON_FAILURE));
	ASSERT_EQ(ACL_SUCCESS, aclInit(NULL));
}

/* Issue 20, item 9: CANN's default is to continue after a failure. */
TEST_F(mode, default_continues_after_a_failure)
{
	fail_then_count(_metadata, self, self->stream);
	EXPECT_EQ(ACL_ERROR_RT_TASK_TIMEOUT,
		  aclrtSynchronizeStream(self->stream));
	EXPECT_EQ(1, atomic_load(&self->ran));
	/* Reported once. */
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
}

/* aclrtSynchronizeDevice reports a stream's failure, once, as its sync. */
TEST_F(mode, device_sync_reports_a_stream_failure)
{
	fail_then_count(_metadata, self, self->stream);
	EXPECT_EQ(ACL_ERROR_RT_TASK_TIMEOUT, aclrtSynchronizeDevice());
	EXPECT_EQ(1, atomic_load(&self->ran));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeDevice());
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
}

TEST_F(mode, stop_on_failure_discards_until_reported)
{
	ASSERT_EQ(ACL_SUCCESS, aclrtSetStreamFailureMode(self->stream,
							 ACL_STOP_ON_FAILURE));
	fail_then_count(_metadata, self, self->stream);
	EXPECT_EQ(ACL_ERROR_RT_TASK_TIMEOUT,
		  aclrtSynchronizeStream(self->stream));
	EXPECT_EQ(0, atomic_load(&self->ran));
	/* Reported: the stream runs new work. */
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(self->stream, count_fn,
						   &self->ran));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
	EXPECT_EQ(1, atomic_load(&self->ran));
	/* Back to the default. */
	ASSERT_EQ(ACL_SUCCESS, aclrtSetStreamFailureMode(self->stream,
							 ACL_CONTINUE_ON_FAILURE));
	fail_then_count(_metadata, self, self->stream);
	EXPECT_EQ(ACL_ERROR_RT_TASK_TIMEOUT,
		  aclrtSynchronizeStream(self->stream));
	EXPECT_EQ(2, atomic_load(&self->ran));
}

/*
 * Issue 20, item 3: an event whose record a stopped stream discarded is
 * not left "pending" forever: synchronising it returns the stream's error.
 */
TEST_F(mode, discarded_record_reports_the_stream_error)
{
	aclrtEventRecordedStatus st;
	aclrtEvent e;

	ASSERT_EQ(ACL_SUCCESS, aclrtCreateEvent(&e));
	ASSERT_EQ(ACL_SUCCESS, aclrtSetStreamFailureMode(self->stream,
							 ACL_STOP_ON_FAILURE));
	ASSERT_EQ(ACL_SUCCESS, aclrtWaitAndResetNotify(self->notify,
						       self->stream, 1));
	ASSERT_EQ(ACL_SUCCESS, aclrtRecordEvent(e, self->stream));
	EXPECT_EQ(ACL_ERROR_RT_TASK_TIMEOUT,
		  aclrtSynchronizeEventWithTimeout(e, 20000));
	ASSERT_EQ(ACL_SUCCESS, aclrtQueryEventStatus(e, &st));
	EXPECT_EQ(ACL_EVENT_RECORDED_STATUS_COMPLETE, st);
	EXPECT_EQ(ACL_ERROR_RT_TASK_TIMEOUT,
		  aclrtSynchronizeStream(self->stream));
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyEvent(e));
}

TEST_HARNESS_MAIN
