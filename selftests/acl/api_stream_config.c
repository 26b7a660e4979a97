// SPDX-License-Identifier: GPL-2.0
/*
 * aclrtCreateStreamWithConfig and the stream queries:
 * priorities in aclrtDeviceGetStreamPriorityRange's range, the flags,
 * ids unique in the process, and the stream configuration handle
 * (aclrtCreateStreamConfigHandle, aclrtSetStreamConfigOpt,
 * aclrtCreateStreamV2), aclrtStreamAbort, aclrtStreamStop and
 * aclrtGetThreadLastTaskId.
 */
#include "acl_test.h"
#include "kselftest_harness.h"

FIXTURE(cfg) {
	aclrtStream stream;
	aclrtNotify never;	/* hold_behind_a_wait()'s */
	atomic_int ran;
};

FIXTURE_SETUP(cfg)
{
	ASSERT_EQ(ACL_SUCCESS, aclInit(NULL));
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(0));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&self->stream));
}

FIXTURE_TEARDOWN(cfg)
{
	EXPECT_EQ(ACL_SUCCESS, aclFinalize());
}

TEST(flag_values)
{
	EXPECT_EQ(0x1u, ACL_STREAM_FAST_LAUNCH);
	EXPECT_EQ(0x2u, ACL_STREAM_FAST_SYNC);
	EXPECT_EQ(0x4u, ACL_STREAM_PERSISTENT);
	EXPECT_EQ(0x8u, ACL_STREAM_HUGE);
	EXPECT_EQ(0x10u, ACL_STREAM_CPU_SCHEDULE);
	EXPECT_EQ(0x20u, ACL_STREAM_DEVICE_USE_ONLY);
}

TEST_F(cfg, create_rejects)
{
	aclrtStream s;

	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtCreateStreamWithConfig(NULL, 0, 0));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtCreateStreamWithConfig(&s, 8, 0));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtCreateStreamWithConfig(&s, 0, 0x40));
	EXPECT_EQ(ACL_ERROR_RT_FEATURE_NOT_SUPPORT,
		  aclrtCreateStreamWithConfig(&s, 0, ACL_STREAM_PERSISTENT));
	EXPECT_EQ(ACL_ERROR_RT_FEATURE_NOT_SUPPORT,
		  aclrtCreateStreamWithConfig(&s, 0, ACL_STREAM_CPU_SCHEDULE));
	EXPECT_EQ(ACL_ERROR_RT_FEATURE_NOT_SUPPORT,
		  aclrtCreateStreamWithConfig(&s, 0,
					      ACL_STREAM_DEVICE_USE_ONLY));
	ASSERT_EQ(ACL_SUCCESS, aclrtResetDeviceForce(0));
	EXPECT_EQ(ACL_ERROR_RT_CONTEXT_NULL,
		  aclrtCreateStreamWithConfig(&s, 0, 0));
	ASSERT_EQ(ACL_SUCCESS, aclFinalize());
	EXPECT_EQ(ACL_ERROR_UNINITIALIZE,
		  aclrtCreateStreamWithConfig(&s, 0, 0));
	ASSERT_EQ(ACL_SUCCESS, aclInit(NULL));
}

/* What a stream was created with is what the queries return; it runs. */
TEST_F(cfg, create_and_query)
{
	const uint32_t flags = ACL_STREAM_FAST_LAUNCH | ACL_STREAM_FAST_SYNC |
			       ACL_STREAM_HUGE;
	int32_t least, greatest;
	uint32_t f = 99, p = 99;
	atomic_int ran;
	aclrtStream s;

	atomic_init(&ran, 0);
	ASSERT_EQ(ACL_SUCCESS,
		  aclrtDeviceGetStreamPriorityRange(&least, &greatest));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStreamWithConfig(&s, least, flags));
	ASSERT_EQ(ACL_SUCCESS, aclrtStreamGetFlags(s, &f));
	EXPECT_EQ(flags, f);
	ASSERT_EQ(ACL_SUCCESS, aclrtStreamGetPriority(s, &p));
	EXPECT_EQ((uint32_t)least, p);
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(s, count_fn, &ran));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(s));
	EXPECT_EQ(1, atomic_load(&ran));
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyStream(s));

	ASSERT_EQ(ACL_SUCCESS,
		  aclrtCreateStreamWithConfig(&s, greatest, 0));
	ASSERT_EQ(ACL_SUCCESS, aclrtStreamGetPriority(s, &p));
	EXPECT_EQ((uint32_t)greatest, p);
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyStream(s));

	/* aclrtCreateStream's and the default stream's: 0 and 0. */
	ASSERT_EQ(ACL_SUCCESS, aclrtStreamGetFlags(self->stream, &f));
	EXPECT_EQ(0u, f);
	ASSERT_EQ(ACL_SUCCESS, aclrtStreamGetPriority(NULL, &p));
	EXPECT_EQ(0u, p);
}

TEST_F(cfg, ids_are_unique)
{
	int32_t a = -1, b = -1, d = -1, d2 = -1;
	aclrtStream s;

	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&s));
	ASSERT_EQ(ACL_SUCCESS, aclrtStreamGetId(self->stream, &a));
	ASSERT_EQ(ACL_SUCCESS, aclrtStreamGetId(s, &b));
	ASSERT_EQ(ACL_SUCCESS, aclrtStreamGetId(NULL, &d));
	ASSERT_EQ(ACL_SUCCESS, aclrtStreamGetId(NULL, &d2));
	EXPECT_LE(0, a);
	EXPECT_NE(a, b);
	EXPECT_NE(a, d);
	EXPECT_NE(b, d);
	EXPECT_EQ(d, d2);
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyStream(s));
}

TEST_F(cfg, query_rejects)
{
	aclrtStream bogus = (aclrtStream)(uintptr_t)0x1234;
	uint32_t v;
	int32_t id;

	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtStreamGetId(self->stream, NULL));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtStreamGetFlags(self->stream, NULL));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtStreamGetPriority(self->stream, NULL));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE, aclrtStreamGetId(bogus, &id));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE, aclrtStreamGetFlags(bogus, &v));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE,
		  aclrtStreamGetPriority(bogus, &v));
	ASSERT_EQ(ACL_SUCCESS, aclFinalize());
	EXPECT_EQ(ACL_ERROR_UNINITIALIZE, aclrtStreamGetId(self->stream, &id));
	ASSERT_EQ(ACL_SUCCESS, aclInit(NULL));
}

TEST_F(cfg, config_handle)
{
	aclrtStreamConfigHandle *h = aclrtCreateStreamConfigHandle();
	size_t flag = ACL_STREAM_FAST_SYNC;
	uint32_t prio = 3, u32 = ACL_STREAM_HUGE, f, p;
	aclrtStream s;

	ASSERT_NE(NULL, h);
	EXPECT_EQ(NULL, h->workptr);
	EXPECT_EQ(0u, h->workSize);
	EXPECT_EQ(0u, h->flag);
	EXPECT_EQ(0u, h->priority);
	ASSERT_EQ(ACL_SUCCESS, aclrtSetStreamConfigOpt(h, ACL_RT_STREAM_FLAG,
						       &flag, sizeof(flag)));
	ASSERT_EQ(ACL_SUCCESS,
		  aclrtSetStreamConfigOpt(h, ACL_RT_STREAM_PRIORITY, &prio,
					  sizeof(prio)));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStreamV2(&s, h));
	ASSERT_EQ(ACL_SUCCESS, aclrtStreamGetFlags(s, &f));
	EXPECT_EQ(ACL_STREAM_FAST_SYNC, f);
	ASSERT_EQ(ACL_SUCCESS, aclrtStreamGetPriority(s, &p));
	EXPECT_EQ(3u, p);
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(s));
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyStream(s));

	/* A uint32_t flag, as CANN's sample passes it. */
	ASSERT_EQ(ACL_SUCCESS, aclrtSetStreamConfigOpt(h, ACL_RT_STREAM_FLAG,
						       &u32, sizeof(u32)));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStreamV2(&s, h));
	ASSERT_EQ(ACL_SUCCESS, aclrtStreamGetFlags(s, &f));
	EXPECT_EQ(ACL_STREAM_HUGE, f);
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyStream(s));

	/* NULL: the defaults. */
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStreamV2(&s, NULL));
	ASSERT_EQ(ACL_SUCCESS, aclrtStreamGetPriority(s, &p));
	EXPECT_EQ(0u, p);
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyStream(s));
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyStreamConfigHandle(h));
}

TEST_F(cfg, config_handle_rejects)
{
	aclrtStreamConfigHandle *h = aclrtCreateStreamConfigHandle();
	uint32_t big = 8, u32 = 0;
	size_t persistent = ACL_STREAM_PERSISTENT, sz = 4096;
	uint16_t small = 0;
	void *ptr = &sz;
	aclrtStream s;

	ASSERT_NE(NULL, h);
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtSetStreamConfigOpt(NULL, ACL_RT_STREAM_FLAG, &u32, 4));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtSetStreamConfigOpt(h, ACL_RT_STREAM_FLAG, NULL, 4));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtSetStreamConfigOpt(h, (aclrtStreamConfigAttr)4, &u32, 4));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtSetStreamConfigOpt(h, ACL_RT_STREAM_PRIORITY, &big,
					  sizeof(big)));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtSetStreamConfigOpt(h, ACL_RT_STREAM_PRIORITY, &small,
					  sizeof(small)));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtSetStreamConfigOpt(h, ACL_RT_STREAM_FLAG, &small,
					  sizeof(small)));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtSetStreamConfigOpt(h, ACL_RT_STREAM_WORK_SIZE, &u32,
					  sizeof(u32)));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtSetStreamConfigOpt(h, ACL_RT_STREAM_WORK_ADDR_PTR, &u32,
					  sizeof(u32)));
	EXPECT_EQ(0u, h->priority);
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtCreateStreamV2(NULL, h));

	/* Flags are judged as aclrtCreateStreamWithConfig judges them. */
	ASSERT_EQ(ACL_SUCCESS,
		  aclrtSetStreamConfigOpt(h, ACL_RT_STREAM_FLAG, &persistent,
					  sizeof(persistent)));
	EXPECT_EQ(ACL_ERROR_RT_FEATURE_NOT_SUPPORT, aclrtCreateStreamV2(&s, h));
	h->flag = 0;
	/* Work memory is for model streams, which are not emulated. */
	ASSERT_EQ(ACL_SUCCESS,
		  aclrtSetStreamConfigOpt(h, ACL_RT_STREAM_WORK_SIZE, &sz,
					  sizeof(sz)));
	EXPECT_EQ(4096u, h->workSize);
	EXPECT_EQ(ACL_ERROR_RT_FEATURE_NOT_SUPPORT, aclrtCreateStreamV2(&s, h));
	h->workSize = 0;
	ASSERT_EQ(ACL_SUCCESS,
		  aclrtSetStreamConfigOpt(h, ACL_RT_STREAM_WORK_ADDR_PTR, &ptr,
					  sizeof(ptr)));
	EXPECT_EQ(ptr, h->workptr);
	EXPECT_EQ(ACL_ERROR_RT_FEATURE_NOT_SUPPORT, aclrtCreateStreamV2(&s, h));
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyStreamConfigHandle(h));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtDestroyStreamConfigHandle(NULL));
}

TEST_F(cfg, abort_rejects)
{
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtStreamAbort(NULL));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE,
		  aclrtStreamAbort((aclrtStream)(uintptr_t)0x1234));
	ASSERT_EQ(ACL_SUCCESS, aclFinalize());
	EXPECT_EQ(ACL_ERROR_UNINITIALIZE, aclrtStreamAbort(self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclInit(NULL));
}

/* An idle stream has nothing to abort: no error is left behind. */
TEST_F(cfg, abort_of_an_idle_stream)
{
	ASSERT_EQ(ACL_SUCCESS, aclrtStreamAbort(self->stream));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
}

/*
 * Queues on the fixture's stream a host function, a wait on a notify that
 * nobody records (@secs seconds, 0: forever) and two counting host
 * functions; returns once the first ran: the wait is queued or blocking.
 */
static void hold_behind_a_wait(struct __test_metadata *_metadata,
			       FIXTURE_DATA(cfg) *self, int32_t secs)
{
	int first[2];
	char c;

	atomic_init(&self->ran, 0);
	ASSERT_EQ(0, pipe(first));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateNotify(&self->never, 0));
	ASSERT_EQ(ACL_SUCCESS,
		  aclrtLaunchHostFunc(self->stream, signal_fn, &first[1]));
	ASSERT_EQ(ACL_SUCCESS,
		  aclrtWaitAndResetNotify(self->never, self->stream, secs));
	ASSERT_EQ(ACL_SUCCESS,
		  aclrtLaunchHostFunc(self->stream, count_fn, &self->ran));
	ASSERT_EQ(ACL_SUCCESS,
		  aclrtLaunchHostFunc(self->stream, count_fn, &self->ran));
	ASSERT_EQ(1, read(first[0], &c, 1));
	close(first[0]);
	close(first[1]);
}

/*
 * Aborts the stream hold_behind_a_wait() held: the next synchronisation
 * reports 107023, nothing that was held ran, and new work runs again.
 */
static void abort_then_new_work_runs(struct __test_metadata *_metadata,
				     FIXTURE_DATA(cfg) *self)
{
	ASSERT_EQ(ACL_SUCCESS, aclrtStreamAbort(self->stream));
	EXPECT_EQ(ACL_ERROR_RT_STREAM_ABORT,
		  aclrtSynchronizeStream(self->stream));
	EXPECT_EQ(0, atomic_load(&self->ran));
	ASSERT_EQ(ACL_SUCCESS,
		  aclrtLaunchHostFunc(self->stream, count_fn, &self->ran));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
	EXPECT_EQ(1, atomic_load(&self->ran));
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyNotify(self->never));
}

/*
 * A wait that nobody records holds the stream; abort abandons it and
 * discards what is queued behind it, the next synchronisation reports
 * 107023, and the stream runs new work again.
 */
TEST_F(cfg, abort_discards_and_abandons)
{
	hold_behind_a_wait(_metadata, self, 0);
	abort_then_new_work_runs(_metadata, self);
}

TEST_F(cfg, stop_rejects)
{
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtStreamStop(NULL));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE,
		  aclrtStreamStop((aclrtStream)(uintptr_t)0x1234));
	ASSERT_EQ(ACL_SUCCESS, aclFinalize());
	EXPECT_EQ(ACL_ERROR_UNINITIALIZE, aclrtStreamStop(self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclInit(NULL));
}

/*
 * A stopped stream starts nothing, not even a record on an idle stream
 * (which otherwise runs inline): the query says NOT_READY, and a
 * synchronisation fails at once instead of waiting. Abort discards what
 * was kept and the stream runs new work again.
 */
TEST_F(cfg, stopped_idle_stream_starts_nothing_until_abort)
{
	aclrtStreamStatus status;
	aclrtNotify n;
	atomic_int ran;

	atomic_init(&ran, 0);
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateNotify(&n, 0));
	ASSERT_EQ(ACL_SUCCESS, aclrtStreamStop(self->stream));
	/* Nothing queued: nothing to wait for. */
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtRecordNotify(n, self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(self->stream, count_fn, &ran));
	ASSERT_EQ(ACL_SUCCESS, aclrtStreamQuery(self->stream, &status));
	EXPECT_EQ(ACL_STREAM_STATUS_NOT_READY, status);
	EXPECT_EQ(ACL_ERROR_RT_INTERNAL_ERROR,
		  aclrtSynchronizeStream(self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtStreamAbort(self->stream));
	EXPECT_EQ(ACL_ERROR_RT_STREAM_ABORT,
		  aclrtSynchronizeStream(self->stream));
	EXPECT_EQ(0, atomic_load(&ran));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(self->stream, count_fn, &ran));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
	EXPECT_EQ(1, atomic_load(&ran));
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyNotify(n));
}

/*
 * Stop abandons a blocked wait (a minute long) at once and keeps the
 * tasks behind it: they do not run even once the notify is recorded,
 * until abort discards them.
 */
TEST_F(cfg, stop_abandons_the_running_wait_and_keeps_the_queue)
{
	aclrtStreamStatus status;
	uint64_t start;

	hold_behind_a_wait(_metadata, self, 60);
	start = now_ns();
	ASSERT_EQ(ACL_SUCCESS, aclrtStreamStop(self->stream));
	EXPECT_GT(30000000000ull, now_ns() - start);
	EXPECT_EQ(ACL_ERROR_RT_INTERNAL_ERROR,
		  aclrtSynchronizeStream(self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtRecordNotify(self->never, NULL));
	ASSERT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(NULL));
	ASSERT_EQ(ACL_SUCCESS, aclrtStreamQuery(self->stream, &status));
	EXPECT_EQ(ACL_STREAM_STATUS_NOT_READY, status);
	EXPECT_EQ(0, atomic_load(&self->ran));
	abort_then_new_work_runs(_metadata, self);
}

static void *last_task_thread(void *arg)
{
	uint32_t id = 99;

	return (void *)(intptr_t)(aclrtGetThreadLastTaskId(&id) ?: id);
}

/* Numbered within the stream, from 1; default-stream tasks do not count. */
TEST_F(cfg, thread_last_task_id)
{
	atomic_int ran;
	uint32_t id = 99;
	aclrtStream s;
	pthread_t t;
	void *other = (void *)-1;

	atomic_init(&ran, 0);
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtGetThreadLastTaskId(NULL));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&s));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(s, count_fn, &ran));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(s, count_fn, &ran));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(s, count_fn, &ran));
	ASSERT_EQ(ACL_SUCCESS, aclrtGetThreadLastTaskId(&id));
	EXPECT_EQ(3u, id);
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(NULL, count_fn, &ran));
	ASSERT_EQ(ACL_SUCCESS, aclrtGetThreadLastTaskId(&id));
	EXPECT_EQ(3u, id);
	ASSERT_EQ(ACL_SUCCESS,
		  aclrtLaunchHostFunc(self->stream, count_fn, &ran));
	ASSERT_EQ(ACL_SUCCESS, aclrtGetThreadLastTaskId(&id));
	EXPECT_EQ(1u, id);
	/* Another thread queued nothing. */
	ASSERT_EQ(0, pthread_create(&t, NULL, last_task_thread, NULL));
	ASSERT_EQ(0, pthread_join(t, &other));
	EXPECT_EQ(NULL, other);
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeDevice());
	EXPECT_EQ(5, atomic_load(&ran));
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyStream(s));
}

TEST_HARNESS_MAIN
