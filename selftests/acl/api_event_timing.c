// SPDX-License-Identifier: GPL-2.0
/*
 * Event timing through the CANN API: the timestamp is taken
 * when the record task executes on its stream; aclrtEventGetTimestamp and
 * aclrtEventElapsedTime report it and refuse events without one; and the
 * record/wait calls with an operation flag.
 */
#include "acl_test.h"
#include "kselftest_harness.h"

FIXTURE(timing) {
	aclrtStream stream;
	aclrtEvent start, end;
	int gate[2];
};

FIXTURE_SETUP(timing)
{
	ASSERT_EQ(0, pipe(self->gate));
	ASSERT_EQ(ACL_SUCCESS, aclInit(NULL));
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(0));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateEvent(&self->start));
	ASSERT_EQ(ACL_SUCCESS,
		  aclrtCreateEventWithFlag(&self->end, ACL_EVENT_TIME_LINE));
}

FIXTURE_TEARDOWN(timing)
{
	close(self->gate[1]);	/* releases a held stream */
	aclFinalize();
	close(self->gate[0]);
}

TEST_F(timing, rejections)
{
	aclrtEvent ipc;
	uint64_t ts;
	float ms;

	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtEventGetTimestamp(self->start, NULL));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtEventGetTimestamp(NULL, &ts));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtEventElapsedTime(NULL, self->start, self->end));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtEventElapsedTime(&ms, NULL, self->end));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtEventElapsedTime(&ms, self->start, NULL));
	/* Never recorded: CANN's "event recorder null", an internal error. */
	EXPECT_EQ(ACL_ERROR_RT_INTERNAL_ERROR,
		  aclrtEventGetTimestamp(self->start, &ts));
	EXPECT_EQ(ACL_ERROR_RT_INTERNAL_ERROR,
		  aclrtEventElapsedTime(&ms, self->start, self->end));
	/* IPC events have no timestamps. */
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateEventExWithFlag(&ipc, ACL_EVENT_IPC));
	ASSERT_EQ(ACL_SUCCESS, aclrtRecordEvent(ipc, self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
	EXPECT_EQ(ACL_ERROR_RT_FEATURE_NOT_SUPPORT,
		  aclrtEventGetTimestamp(ipc, &ts));
	EXPECT_EQ(ACL_ERROR_RT_FEATURE_NOT_SUPPORT,
		  aclrtEventElapsedTime(&ms, ipc, ipc));
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyEvent(ipc));
	/* A destroyed event. */
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateEvent(&ipc));
	ASSERT_EQ(ACL_SUCCESS, aclrtDestroyEvent(ipc));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE, aclrtEventGetTimestamp(ipc, &ts));
}

/* A record queued behind a held task has no timestamp until it executes. */
TEST_F(timing, timestamp_is_taken_when_the_record_executes)
{
	uint64_t before, queued, ts, ts_end;
	double diff_ms;
	float ms;

	before = now_ns() / 1000;
	ASSERT_EQ(ACL_SUCCESS, aclrtRecordEvent(self->start, self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(self->stream, block_fn,
						   &self->gate[0]));
	ASSERT_EQ(ACL_SUCCESS, aclrtRecordEvent(self->end, self->stream));
	queued = now_ns() / 1000;
	EXPECT_EQ(ACL_ERROR_RT_EVENT_TIMESTAMP_INVALID,
		  aclrtEventGetTimestamp(self->end, &ts));
	EXPECT_EQ(ACL_ERROR_RT_EVENT_TIMESTAMP_INVALID,
		  aclrtEventElapsedTime(&ms, self->start, self->end));
	/* The stream is held for at least 20 ms after the end was queued. */
	usleep(20000);
	ASSERT_EQ(1, write(self->gate[1], "g", 1));
	ASSERT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtEventGetTimestamp(self->start, &ts));
	ASSERT_EQ(ACL_SUCCESS, aclrtEventGetTimestamp(self->end, &ts_end));
	EXPECT_LE(before, ts);
	EXPECT_LE(ts, queued);
	EXPECT_LE(queued + 20000, ts_end);
	EXPECT_LE(ts_end, now_ns() / 1000);
	ASSERT_EQ(ACL_SUCCESS,
		  aclrtEventElapsedTime(&ms, self->start, self->end));
	EXPECT_LE(20.0f, ms);
	/* The timestamps' difference, to their microsecond resolution. */
	diff_ms = (double)(ts_end - ts) / 1000.0;
	EXPECT_LE(diff_ms - 0.002, ms);
	EXPECT_GE(diff_ms + 0.002, ms);
	ASSERT_EQ(ACL_SUCCESS,
		  aclrtEventElapsedTime(&ms, self->end, self->start));
	EXPECT_GE(-20.0f, ms);
}

/* A re-record moves the timestamp; a reset removes it. */
TEST_F(timing, re_record_and_reset)
{
	uint64_t t1, t2;

	ASSERT_EQ(ACL_SUCCESS, aclrtRecordEvent(self->start, self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtEventGetTimestamp(self->start, &t1));
	usleep(2000);
	ASSERT_EQ(ACL_SUCCESS, aclrtRecordEvent(self->start, self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtEventGetTimestamp(self->start, &t2));
	EXPECT_LE(t1 + 2000, t2);
	ASSERT_EQ(ACL_SUCCESS, aclrtResetEvent(self->start, self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
	EXPECT_EQ(ACL_ERROR_RT_INTERNAL_ERROR,
		  aclrtEventGetTimestamp(self->start, &t1));
}

/* A record a stop-on-failure stream discarded never executed. */
TEST_F(timing, discarded_record_has_no_timestamp)
{
	aclrtNotify n;
	uint64_t ts;

	ASSERT_EQ(ACL_SUCCESS, aclrtCreateNotify(&n, 0));
	ASSERT_EQ(ACL_SUCCESS,
		  aclrtSetStreamFailureMode(self->stream, ACL_STOP_ON_FAILURE));
	ASSERT_EQ(ACL_SUCCESS, aclrtWaitAndResetNotify(n, self->stream, 1));
	ASSERT_EQ(ACL_SUCCESS, aclrtRecordEvent(self->end, self->stream));
	EXPECT_EQ(ACL_ERROR_RT_TASK_TIMEOUT,
		  aclrtSynchronizeStream(self->stream));
	EXPECT_EQ(ACL_ERROR_RT_EVENT_TIMESTAMP_INVALID,
		  aclrtEventGetTimestamp(self->end, &ts));
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyNotify(n));
}

TEST_F(timing, record_with_flag)
{
	aclrtEventRecordedStatus st;

	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtRecordEventWithFlag(NULL, self->stream,
					   ACL_EVENT_RECORD_DEFAULT));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtRecordEventWithFlag(self->start, self->stream, 2));
	EXPECT_EQ(ACL_ERROR_RT_FEATURE_NOT_SUPPORT,
		  aclrtRecordEventWithFlag(self->start, self->stream,
					   ACL_EVENT_RECORD_EXTERNAL));
	/* Nothing was recorded by the refused calls. */
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(self->stream, block_fn,
						   &self->gate[0]));
	ASSERT_EQ(ACL_SUCCESS,
		  aclrtRecordEventWithFlag(self->start, self->stream,
					   ACL_EVENT_RECORD_DEFAULT));
	ASSERT_EQ(ACL_SUCCESS, aclrtQueryEventStatus(self->start, &st));
	EXPECT_EQ(ACL_EVENT_RECORDED_STATUS_NOT_READY, st);
	ASSERT_EQ(1, write(self->gate[1], "g", 1));
	ASSERT_EQ(ACL_SUCCESS, aclrtSynchronizeEvent(self->start));
	ASSERT_EQ(ACL_SUCCESS, aclrtQueryEventStatus(self->start, &st));
	EXPECT_EQ(ACL_EVENT_RECORDED_STATUS_COMPLETE, st);
}

TEST_F(timing, stream_wait_event_with_flag)
{
	aclrtStream other;

	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtStreamWaitEventWithFlag(self->stream, NULL, 0,
					       ACL_EVENT_WAIT_DEFAULT));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtStreamWaitEventWithFlag(self->stream, self->start, 0,
					       7));
	EXPECT_EQ(ACL_ERROR_RT_FEATURE_NOT_SUPPORT,
		  aclrtStreamWaitEventWithFlag(self->stream, self->start, 0,
					       ACL_EVENT_WAIT_EXTERNAL));
	/* A wait with a timeout in seconds fails the stream when it expires. */
	ASSERT_EQ(ACL_SUCCESS,
		  aclrtStreamWaitEventWithFlag(self->stream, self->start, 1,
					       ACL_EVENT_WAIT_DEFAULT));
	EXPECT_EQ(ACL_ERROR_RT_TASK_TIMEOUT,
		  aclrtSynchronizeStream(self->stream));
	/* Without timeout it waits for the record on another stream. */
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&other));
	ASSERT_EQ(ACL_SUCCESS,
		  aclrtStreamWaitEventWithFlag(self->stream, self->start, 0,
					       ACL_EVENT_WAIT_DEFAULT));
	ASSERT_EQ(ACL_SUCCESS, aclrtRecordEvent(self->end, self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtRecordEvent(self->start, other));
	ASSERT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(other));
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyStream(other));
}

TEST_HARNESS_MAIN
