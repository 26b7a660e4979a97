// SPDX-License-Identifier: GPL-2.0
/*
 * Events through the CANN API: creation flags, record/wait/reset as stream
 * tasks, one record releasing every waiting stream and process, query and
 * synchronize (a never-recorded event is complete), timeouts, destroy, and
 * IPC events opened in other processes, on one device and across devices.
 */
#include "acl_test.h"
#include "kselftest_harness.h"

FIXTURE(event) {
	aclrtStream stream;
	aclrtEvent event;
	int gate[2];
	int to_child[2];
	int to_parent[2];
};

FIXTURE_SETUP(event)
{
	ASSERT_EQ(0, pipe(self->gate));
	ASSERT_EQ(0, pipe(self->to_child));
	ASSERT_EQ(0, pipe(self->to_parent));
	ASSERT_EQ(ACL_SUCCESS, aclInit(NULL));
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(0));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateEvent(&self->event));
}

FIXTURE_TEARDOWN(event)
{
	aclFinalize();
	EXPECT_EQ(0, module_live_objects());
}

TEST_F(event, create_flags)
{
	static const uint32_t good[] = {
		ACL_EVENT_SYNC, ACL_EVENT_TIME_LINE,
		ACL_EVENT_SYNC | ACL_EVENT_TIME_LINE |
			ACL_EVENT_CAPTURE_STREAM_PROGRESS,
		ACL_EVENT_DEVICE_USE_ONLY, ACL_EVENT_EXTERNAL, 0,
	};
	aclrtEvent e;
	size_t i;

	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtCreateEvent(NULL));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtCreateEventWithFlag(NULL, ACL_EVENT_SYNC));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtCreateEventExWithFlag(NULL, ACL_EVENT_IPC));
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		ASSERT_EQ(ACL_SUCCESS, aclrtCreateEventWithFlag(&e, good[i]));
		EXPECT_EQ(ACL_SUCCESS, aclrtDestroyEvent(e));
		ASSERT_EQ(ACL_SUCCESS, aclrtCreateEventExWithFlag(&e, good[i]));
		EXPECT_EQ(ACL_SUCCESS, aclrtDestroyEvent(e));
	}
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateEventExWithFlag(&e, ACL_EVENT_IPC));
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyEvent(e));
	/* IPC only through the Ex call, and alone; EXTERNAL alone. */
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtCreateEventWithFlag(&e, ACL_EVENT_IPC));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtCreateEventExWithFlag(&e, ACL_EVENT_IPC | ACL_EVENT_SYNC));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtCreateEventWithFlag(&e, ACL_EVENT_EXTERNAL |
					   ACL_EVENT_SYNC));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtCreateEventExWithFlag(&e, 0x80));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtCreateEventWithFlag(&e, 0x4));
	ASSERT_EQ(ACL_SUCCESS, aclrtResetDeviceForce(0));
	EXPECT_EQ(ACL_ERROR_RT_CONTEXT_NULL, aclrtCreateEvent(&e));
}

TEST_F(event, record_before_wait_passes_and_wait_does_not_reset)
{
	ASSERT_EQ(ACL_SUCCESS, aclrtRecordEvent(self->event, self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtStreamWaitEvent(self->stream, self->event));
	ASSERT_EQ(ACL_SUCCESS, aclrtStreamWaitEventWithTimeout(self->stream,
							       self->event,
							       1));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
	/* Reset: the next wait times out. */
	ASSERT_EQ(ACL_SUCCESS, aclrtResetEvent(self->event, self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtStreamWaitEventWithTimeout(self->stream,
							       self->event,
							       1));
	EXPECT_EQ(ACL_ERROR_RT_TASK_TIMEOUT,
		  aclrtSynchronizeStream(self->stream));
}

TEST_F(event, one_record_releases_every_waiting_stream)
{
	aclrtStream w[3];
	atomic_int ran = 0;
	aclrtStreamStatus st;
	int i;

	for (i = 0; i < 3; i++) {
		ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&w[i]));
		ASSERT_EQ(ACL_SUCCESS, aclrtStreamWaitEvent(w[i], self->event));
		ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(w[i], count_fn,
							   &ran));
	}
	EXPECT_EQ(ACL_ERROR_RT_STREAM_SYNC_TIMEOUT,
		  aclrtSynchronizeStreamWithTimeout(w[0], 100));
	ASSERT_EQ(ACL_SUCCESS, aclrtStreamQuery(w[2], &st));
	EXPECT_EQ(ACL_STREAM_STATUS_NOT_READY, st);
	EXPECT_EQ(0, atomic_load(&ran));
	ASSERT_EQ(ACL_SUCCESS, aclrtRecordEvent(self->event, self->stream));
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(w[i]));
		EXPECT_EQ(ACL_SUCCESS, aclrtDestroyStream(w[i]));
	}
	EXPECT_EQ(3, atomic_load(&ran));
}

TEST_F(event, query_and_synchronize)
{
	aclrtEventRecordedStatus st = 99;

	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtQueryEventStatus(self->event, NULL));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtQueryEventStatus(NULL, &st));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtSynchronizeEvent(NULL));
	/* Never recorded: nothing captured, so complete (CANN). */
	ASSERT_EQ(ACL_SUCCESS, aclrtQueryEventStatus(self->event, &st));
	EXPECT_EQ(ACL_EVENT_RECORDED_STATUS_COMPLETE, st);
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeEvent(self->event));
	EXPECT_EQ(ACL_SUCCESS,
		  aclrtSynchronizeEventWithTimeout(self->event, 10));
	/* A record queued behind a blocked stream: not yet. */
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(self->stream, block_fn,
						   &self->gate[0]));
	ASSERT_EQ(ACL_SUCCESS, aclrtRecordEvent(self->event, self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtQueryEventStatus(self->event, &st));
	EXPECT_EQ(ACL_EVENT_RECORDED_STATUS_NOT_READY, st);
	EXPECT_EQ(ACL_ERROR_RT_EVENT_SYNC_TIMEOUT,
		  aclrtSynchronizeEventWithTimeout(self->event, 100));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtSynchronizeEventWithTimeout(self->event, 0));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtSynchronizeEventWithTimeout(self->event, -2));
	ASSERT_EQ(1, write(self->gate[1], "x", 1));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeEvent(self->event));
	ASSERT_EQ(ACL_SUCCESS, aclrtQueryEventStatus(self->event, &st));
	EXPECT_EQ(ACL_EVENT_RECORDED_STATUS_COMPLETE, st);
	EXPECT_EQ(ACL_SUCCESS,
		  aclrtSynchronizeEventWithTimeout(self->event, -1));
}

TEST_F(event, wait_arguments)
{
	aclrtStream other;

	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtStreamWaitEvent(self->stream, NULL));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtRecordEvent(NULL, NULL));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtResetEvent(NULL, NULL));
	/* Seconds; 0 never times out (see api_event_semantics). */
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtStreamWaitEventWithTimeout(self->stream, self->event,
						  -1));
	/* A stream is not an event, and the reverse. */
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE,
		  aclrtRecordEvent(self->stream, self->stream));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE,
		  aclrtStreamWaitEvent(self->event, self->event));
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(1));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&other));
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(0));
	EXPECT_EQ(ACL_ERROR_RT_STREAM_CONTEXT,
		  aclrtRecordEvent(self->event, other));
}

TEST_F(event, destroyed_event_is_refused)
{
	aclrtEventRecordedStatus st;
	aclrtIpcEventHandle h;

	ASSERT_EQ(ACL_SUCCESS, aclrtDestroyEvent(self->event));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE, aclrtDestroyEvent(self->event));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE,
		  aclrtRecordEvent(self->event, self->stream));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE,
		  aclrtResetEvent(self->event, self->stream));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE,
		  aclrtStreamWaitEvent(self->stream, self->event));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE,
		  aclrtQueryEventStatus(self->event, &st));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE,
		  aclrtSynchronizeEvent(self->event));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE,
		  aclrtIpcGetEventHandle(self->event, &h));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtDestroyEvent(NULL));
}

struct syncer {
	aclrtEvent e;
	aclError ret;
};

static void *sync_thread(void *arg)
{
	struct syncer *s = arg;

	s->ret = aclrtSynchronizeEvent(s->e);
	return NULL;
}

TEST_F(event, destroy_interrupts_a_host_synchronize)
{
	struct syncer s = { self->event, -1 };
	pthread_t t;

	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(self->stream, block_fn,
						   &self->gate[0]));
	ASSERT_EQ(ACL_SUCCESS, aclrtRecordEvent(self->event, self->stream));
	ASSERT_EQ(0, pthread_create(&t, NULL, sync_thread, &s));
	/* Let the thread block (there is no signal to wait for). */
	EXPECT_EQ(ACL_ERROR_RT_EVENT_SYNC_TIMEOUT,
		  aclrtSynchronizeEventWithTimeout(self->event, 200));
	ASSERT_EQ(ACL_SUCCESS, aclrtDestroyEvent(self->event));
	pthread_join(t, NULL);
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE, s.ret);
	ASSERT_EQ(1, write(self->gate[1], "x", 1));
	/* CANN lets the event go first: its queued record still runs. */
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
}

/* ---- IPC events ------------------------------------------------------------ */

TEST_F(event, ipc_handle_arguments_and_forbidden_calls)
{
	aclrtIpcEventHandle h, h2, bad;
	aclrtEvent ipc, opened;

	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtIpcGetEventHandle(self->event, &h));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateEventExWithFlag(&ipc, ACL_EVENT_IPC));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtIpcGetEventHandle(ipc, NULL));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtIpcGetEventHandle(NULL, &h));
	ASSERT_EQ(ACL_SUCCESS, aclrtIpcGetEventHandle(ipc, &h));
	ASSERT_EQ(ACL_SUCCESS, aclrtIpcGetEventHandle(ipc, &h2));
	EXPECT_EQ(0, memcmp(&h, &h2, sizeof(h)));
	/* CANN: no reset of an IPC event. */
	EXPECT_EQ(ACL_ERROR_RT_FEATURE_NOT_SUPPORT,
		  aclrtResetEvent(ipc, self->stream));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtIpcOpenEventHandle(h, NULL));
	ASSERT_EQ(ACL_SUCCESS, aclrtIpcOpenEventHandle(h, &opened));
	EXPECT_EQ(ACL_ERROR_RT_FEATURE_NOT_SUPPORT,
		  aclrtResetEvent(opened, self->stream));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtIpcGetEventHandle(opened, &h2));
	memset(&bad, 'c', sizeof(bad));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtIpcOpenEventHandle(bad, &opened));
	/* Record through the creator, wait through the opened handle. */
	ASSERT_EQ(ACL_SUCCESS, aclrtRecordEvent(ipc, self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtStreamWaitEventWithTimeout(self->stream,
							       opened, 10));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeEvent(opened));
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyEvent(opened));
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyEvent(ipc));
	/* The creator's destroy withdrew the handle. */
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtIpcOpenEventHandle(h, &opened));
}

/*
 * A waiter process on @dev: open the handle, queue a wait and a host
 * function on its stream, report "queued", synchronise, report the result.
 */
static int waiter(int in, int out, int dev)
{
	aclrtIpcEventHandle h;
	aclrtEventRecordedStatus st;
	atomic_int ran = 0;
	aclrtEvent e;
	aclrtStream s;
	aclError ret;

	CHILD_CHECK(10, aclInit(NULL));
	CHILD_CHECK(11, aclrtSetDevice(dev));
	CHILD_CHECK(12, aclrtCreateStream(&s));
	if (!an_recv(in, &h, sizeof(h)))
		return 13;
	CHILD_CHECK(14, aclrtIpcOpenEventHandle(h, &e));
	CHILD_CHECK(15, aclrtStreamWaitEvent(s, e));
	CHILD_CHECK(16, aclrtLaunchHostFunc(s, count_fn, &ran));
	/* An opened event reports the exporter's bit: not yet recorded. */
	CHILD_CHECK(17, aclrtQueryEventStatus(e, &st));
	if (st != ACL_EVENT_RECORDED_STATUS_NOT_READY)
		return 18;
	ret = ACL_SUCCESS;
	if (!an_send(out, &ret, sizeof(ret)))
		return 19;
	ret = aclrtSynchronizeStream(s);
	if (!ret && atomic_load(&ran) != 1)
		ret = -1;
	if (!an_send(out, &ret, sizeof(ret)))
		return 20;
	CHILD_CHECK(21, aclrtDestroyEvent(e));
	CHILD_CHECK(22, aclFinalize());
	return 0;
}

static void ipc_release(struct __test_metadata *_metadata,
			FIXTURE_DATA(event) *self, const int *devs, int n)
{
	aclrtIpcEventHandle h;
	aclError ret;
	aclrtEvent e;
	pid_t c[4];
	int i;

	ASSERT_EQ(ACL_SUCCESS, aclrtCreateEventExWithFlag(&e, ACL_EVENT_IPC));
	ASSERT_EQ(ACL_SUCCESS, aclrtIpcGetEventHandle(e, &h));
	for (i = 0; i < n; i++) {
		c[i] = an_fork();
		ASSERT_LE(0, c[i]);
		if (c[i] == 0)
			_exit(waiter(self->to_child[0], self->to_parent[1],
				     devs[i]));
	}
	for (i = 0; i < n; i++)
		ASSERT_TRUE(an_send(self->to_child[1], &h, sizeof(h)));
	/* Every waiter has queued its wait before the record. */
	for (i = 0; i < n; i++) {
		ASSERT_TRUE(an_recv(self->to_parent[0], &ret, sizeof(ret)));
		EXPECT_EQ(ACL_SUCCESS, ret);
	}
	ASSERT_EQ(ACL_SUCCESS, aclrtRecordEvent(e, self->stream));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
	for (i = 0; i < n; i++) {
		ASSERT_TRUE(an_recv(self->to_parent[0], &ret, sizeof(ret)));
		EXPECT_EQ(ACL_SUCCESS, ret);
	}
	for (i = 0; i < n; i++)
		EXPECT_EQ(0, an_reap(c[i]));
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyEvent(e));
}

TEST_F(event, ipc_event_releases_a_process_on_the_same_device)
{
	const int devs[] = { 0 };

	ipc_release(_metadata, self, devs, 1);
}

TEST_F(event, ipc_event_releases_several_processes)
{
	const int devs[] = { 0, 0, 0 };

	ipc_release(_metadata, self, devs, 3);
}

TEST_F(event, ipc_event_across_devices)
{
	const int devs[] = { 1, 2 };

	ipc_release(_metadata, self, devs, 2);
}

TEST_F(event, opened_event_survives_its_creator)
{
	aclrtIpcEventHandle h;
	aclrtEvent e;
	pid_t a;

	a = an_fork();
	ASSERT_LE(0, a);
	if (a == 0) {
		aclrtEvent mine;
		char c;

		CHILD_CHECK(10, aclInit(NULL));
		CHILD_CHECK(11, aclrtSetDevice(0));
		CHILD_CHECK(12, aclrtCreateEventExWithFlag(&mine,
							   ACL_EVENT_IPC));
		CHILD_CHECK(13, aclrtIpcGetEventHandle(mine, &h));
		CHILD_CHECK(14, aclrtRecordEvent(mine, NULL));
		CHILD_CHECK(15, aclrtSynchronizeStream(NULL));
		if (!an_send(self->to_parent[1], &h, sizeof(h)) ||
		    !an_recv(self->to_child[0], &c, 1))
			_exit(16);
		_exit(0);	/* exits holding everything */
	}
	ASSERT_TRUE(an_recv(self->to_parent[0], &h, sizeof(h)));
	ASSERT_EQ(ACL_SUCCESS, aclrtIpcOpenEventHandle(h, &e));
	ASSERT_TRUE(an_send(self->to_child[1], "x", 1));
	EXPECT_EQ(0, an_reap(a));
	/* Still recorded; still usable. */
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeEventWithTimeout(e, 1000));
	ASSERT_EQ(ACL_SUCCESS, aclrtStreamWaitEvent(self->stream, e));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtIpcOpenEventHandle(h, &self->event));
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyEvent(e));
}

TEST_HARNESS_MAIN
