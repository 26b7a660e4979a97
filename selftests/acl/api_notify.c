// SPDX-License-Identifier: GPL-2.0
/*
 * Notify semantics through the CANN API: record and wait-and-reset are
 * stream tasks; one record releases one wait; records coalesce; a timeout
 * surfaces at the next synchronisation; batch reset is all-or-nothing.
 */
#include "acl_test.h"
#include "kselftest_harness.h"

FIXTURE(notify) {
	aclrtStream stream;
	aclrtNotify notify;
};

FIXTURE_SETUP(notify)
{
	ASSERT_EQ(ACL_SUCCESS, aclInit(NULL));
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(0));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateNotify(&self->notify, 0));
}

FIXTURE_TEARDOWN(notify)
{
	aclFinalize();
}

/* Host functions append their tag to a log, in execution order. */
struct order {
	pthread_mutex_t lock;
	char log[64];
	int n;
};

struct mark {
	struct order *o;
	char tag;
};

static void mark_fn(void *arg)
{
	struct mark *m = arg;

	pthread_mutex_lock(&m->o->lock);
	m->o->log[m->o->n++] = m->tag;
	pthread_mutex_unlock(&m->o->lock);
}

TEST_F(notify, record_before_wait_passes_at_once)
{
	ASSERT_EQ(ACL_SUCCESS, aclrtRecordNotify(self->notify, self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtWaitAndResetNotify(self->notify,
						       self->stream, 1));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
}

TEST_F(notify, records_coalesce_and_wait_resets)
{
	int i;

	for (i = 0; i < 3; i++)
		ASSERT_EQ(ACL_SUCCESS, aclrtRecordNotify(self->notify,
							 self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtWaitAndResetNotify(self->notify,
						       self->stream, 1));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
	/* Three records, one bit: the next wait times out. */
	ASSERT_EQ(ACL_SUCCESS, aclrtWaitAndResetNotify(self->notify,
						       self->stream, 1));
	EXPECT_EQ(ACL_ERROR_RT_TASK_TIMEOUT,
		  aclrtSynchronizeStream(self->stream));
}

TEST_F(notify, timeout_is_reported_at_sync_and_stream_recovers)
{
	struct order o = { .lock = PTHREAD_MUTEX_INITIALIZER };
	struct mark after = { &o, 'x' }, later = { &o, 'y' };
	uint64_t start = now_ns();

	ASSERT_EQ(ACL_SUCCESS, aclrtWaitAndResetNotify(self->notify,
						       self->stream, 1));
	/* Behind a failed wait: runs (CANN's ACL_CONTINUE_ON_FAILURE). */
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(self->stream, mark_fn,
						   &after));
	/* The enqueue returned at once; the error comes at sync. */
	EXPECT_GT(start + 500000000ull, now_ns());
	EXPECT_EQ(ACL_ERROR_RT_TASK_TIMEOUT,
		  aclrtSynchronizeStream(self->stream));
	EXPECT_LE(start + 1000000000ull, now_ns());
	EXPECT_EQ(1, o.n);
	/* Reported once; the stream runs new work. */
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtRecordNotify(self->notify, self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtWaitAndResetNotify(self->notify,
						       self->stream, 1));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(self->stream, mark_fn,
						   &later));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
	EXPECT_EQ(2, o.n);
	EXPECT_EQ(0, memcmp(o.log, "xy", 2));
}

TEST_F(notify, host_functions_run_in_stream_order)
{
	struct order o = { .lock = PTHREAD_MUTEX_INITIALIZER };
	struct mark m[26];
	int i;

	for (i = 0; i < 26; i++) {
		m[i].o = &o;
		m[i].tag = 'a' + i;
		ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(self->stream,
							   mark_fn, &m[i]));
		/* Interleave notify tasks; they keep their place too. */
		ASSERT_EQ(ACL_SUCCESS, aclrtRecordNotify(self->notify,
							 self->stream));
		ASSERT_EQ(ACL_SUCCESS, aclrtWaitAndResetNotify(self->notify,
							       self->stream,
							       1));
	}
	ASSERT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
	EXPECT_EQ(26, o.n);
	EXPECT_EQ(0, memcmp(o.log, "abcdefghijklmnopqrstuvwxyz", 26));
}

static void block_on_pipe(void *arg)
{
	int fd = *(int *)arg;
	char c;

	if (read(fd, &c, 1) < 0)
		abort();
}

TEST_F(notify, wait_blocks_the_stream_not_the_host)
{
	struct order o = { .lock = PTHREAD_MUTEX_INITIALIZER };
	struct mark m = { &o, 'w' };
	aclrtStreamStatus st;
	aclrtStream other;

	ASSERT_EQ(ACL_SUCCESS, aclrtWaitAndResetNotify(self->notify,
						       self->stream, 0));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(self->stream, mark_fn, &m));
	/* The host thread is free; the stream is not. */
	ASSERT_EQ(ACL_SUCCESS, aclrtStreamQuery(self->stream, &st));
	EXPECT_EQ(ACL_STREAM_STATUS_NOT_READY, st);
	EXPECT_EQ(ACL_ERROR_RT_STREAM_SYNC_TIMEOUT,
		  aclrtSynchronizeStreamWithTimeout(self->stream, 100));
	EXPECT_EQ(0, o.n);
	/* Another stream records it: the wait and the function complete. */
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&other));
	ASSERT_EQ(ACL_SUCCESS, aclrtRecordNotify(self->notify, other));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
	EXPECT_EQ(1, o.n);
	ASSERT_EQ(ACL_SUCCESS, aclrtStreamQuery(self->stream, &st));
	EXPECT_EQ(ACL_STREAM_STATUS_COMPLETE, st);
}

TEST_F(notify, one_record_releases_one_wait)
{
	struct order o = { .lock = PTHREAD_MUTEX_INITIALIZER };
	struct mark ma = { &o, 'a' }, mb = { &o, 'b' };
	aclrtStream s2, rec;

	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&s2));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&rec));
	ASSERT_EQ(ACL_SUCCESS, aclrtWaitAndResetNotify(self->notify,
						       self->stream, 0));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(self->stream, mark_fn, &ma));
	ASSERT_EQ(ACL_SUCCESS, aclrtWaitAndResetNotify(self->notify, s2, 0));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(s2, mark_fn, &mb));

	ASSERT_EQ(ACL_SUCCESS, aclrtRecordNotify(self->notify, rec));
	/* Exactly one of the two streams gets through. */
	while (1) {
		pthread_mutex_lock(&o.lock);
		if (o.n) {
			pthread_mutex_unlock(&o.lock);
			break;
		}
		pthread_mutex_unlock(&o.lock);
		sched_yield();
	}
	EXPECT_EQ(ACL_ERROR_RT_STREAM_SYNC_TIMEOUT,
		  aclrtSynchronizeStreamWithTimeout(o.log[0] == 'a' ? s2 :
						    self->stream, 200));
	EXPECT_EQ(1, o.n);
	ASSERT_EQ(ACL_SUCCESS, aclrtRecordNotify(self->notify, rec));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(s2));
	EXPECT_EQ(2, o.n);
}

TEST_F(notify, batch_reset_is_all_or_nothing)
{
	aclrtNotify ns[3], dead;
	int i;

	ASSERT_EQ(ACL_SUCCESS, aclrtCreateNotify(&ns[1], 0));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateNotify(&dead, 0));
	ASSERT_EQ(ACL_SUCCESS, aclrtDestroyNotify(dead));
	ns[0] = self->notify;
	ns[2] = dead;
	for (i = 0; i < 2; i++)
		ASSERT_EQ(ACL_SUCCESS, aclrtRecordNotify(ns[i], self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE, aclrtNotifyBatchReset(ns, 3));
	/* Still set: waits pass. */
	for (i = 0; i < 2; i++)
		ASSERT_EQ(ACL_SUCCESS, aclrtWaitAndResetNotify(ns[i],
							       self->stream,
							       1));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
	/* Now a good batch clears both. */
	for (i = 0; i < 2; i++)
		ASSERT_EQ(ACL_SUCCESS, aclrtRecordNotify(ns[i], self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
	EXPECT_EQ(ACL_SUCCESS, aclrtNotifyBatchReset(ns, 2));
	ASSERT_EQ(ACL_SUCCESS, aclrtWaitAndResetNotify(ns[1], self->stream, 1));
	EXPECT_EQ(ACL_ERROR_RT_TASK_TIMEOUT,
		  aclrtSynchronizeStream(self->stream));
}

TEST_F(notify, destroy_force_discards_pending_tasks)
{
	struct order o = { .lock = PTHREAD_MUTEX_INITIALIZER };
	struct mark m = { &o, 'z' };
	aclrtStream s;

	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&s));
	/* A wait that would never end, and work behind it. */
	ASSERT_EQ(ACL_SUCCESS, aclrtWaitAndResetNotify(self->notify, s, 0));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(s, mark_fn, &m));
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyStreamForce(s));
	EXPECT_EQ(0, o.n);
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE, aclrtSynchronizeStream(s));
	/* The abandoned wait consumed nothing. */
	ASSERT_EQ(ACL_SUCCESS, aclrtRecordNotify(self->notify, self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtWaitAndResetNotify(self->notify,
						       self->stream, 1));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
}

TEST_F(notify, destroy_stream_drains_its_tasks)
{
	struct order o = { .lock = PTHREAD_MUTEX_INITIALIZER };
	struct mark m = { &o, 'd' };
	aclrtStream s;
	int p[2];

	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&s));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(s, block_on_pipe, &p[0]));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(s, mark_fn, &m));
	ASSERT_EQ(1, write(p[1], "x", 1));
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyStream(s));
	EXPECT_EQ(1, o.n);
}

TEST_F(notify, destroyed_notify_fails_its_queued_wait)
{
	ASSERT_EQ(ACL_SUCCESS, aclrtWaitAndResetNotify(self->notify,
						       self->stream, 0));
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyNotify(self->notify));
	/* The waiting task wakes with an error instead of hanging. */
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE,
		  aclrtSynchronizeStream(self->stream));
}

struct other_thread {
	struct mark *m;
	aclError ret;
};

/* On a second thread: set device 0 and queue on its default stream. */
static void *queue_on_default(void *arg)
{
	struct other_thread *o = arg;

	o->ret = aclrtSetDevice(0);
	if (!o->ret)
		o->ret = aclrtLaunchHostFunc(NULL, mark_fn, o->m);
	return NULL;
}

TEST_F(notify, default_stream_is_shared_by_threads_of_a_device)
{
	struct order o = { .lock = PTHREAD_MUTEX_INITIALIZER };
	struct mark m = { &o, 'q' };
	struct other_thread other = { &m, -1 };
	pthread_t t;

	/* This thread blocks the default stream (NULL) with a wait... */
	ASSERT_EQ(ACL_SUCCESS, aclrtWaitAndResetNotify(self->notify, NULL, 0));
	/* ...so what another thread queues there waits behind it. */
	ASSERT_EQ(0, pthread_create(&t, NULL, queue_on_default, &other));
	pthread_join(t, NULL);
	ASSERT_EQ(ACL_SUCCESS, other.ret);
	EXPECT_EQ(ACL_ERROR_RT_STREAM_SYNC_TIMEOUT,
		  aclrtSynchronizeStreamWithTimeout(NULL, 50));
	EXPECT_EQ(0, o.n);
	ASSERT_EQ(ACL_SUCCESS, aclrtRecordNotify(self->notify, self->stream));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeDevice());
	EXPECT_EQ(1, o.n);
}

TEST_F(notify, peer_access_governs_cross_device_import)
{
	char key[KEY_BUF];
	aclrtNotify imp;

	ASSERT_EQ(ACL_SUCCESS, aclrtNotifyGetExportKey(self->notify, key,
			KEY_BUF, ACL_RT_NOTIFY_EXPORT_FLAG_DISABLE_PID_VALIDATION));
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(2));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtNotifyImportByKey(&imp, key, 0));
	ASSERT_EQ(ACL_SUCCESS, aclrtDeviceEnablePeerAccess(0, 0));
	ASSERT_EQ(ACL_SUCCESS, aclrtNotifyImportByKey(&imp, key, 0));
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyNotify(imp));
	ASSERT_EQ(ACL_SUCCESS, aclrtDeviceDisablePeerAccess(0));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtNotifyImportByKey(&imp, key, 0));
}

TEST_F(notify, inter_server_trust_allows_import)
{
	int32_t me;
	aclrtServerPid sp = { .sdid = 3, .pid = &me, .num = 1 };
	char key[KEY_BUF];
	aclrtNotify imp;

	ASSERT_EQ(ACL_SUCCESS, aclrtDeviceGetBareTgid(&me));
	ASSERT_EQ(ACL_SUCCESS, aclrtNotifyGetExportKey(self->notify, key,
						       KEY_BUF, 0));
	EXPECT_EQ(ACL_ERROR_RT_NO_PERMISSION,
		  aclrtNotifyImportByKey(&imp, key, 0));
	ASSERT_EQ(ACL_SUCCESS,
		  aclrtNotifySetImportPidInterServer(self->notify, &sp, 1));
	EXPECT_EQ(ACL_SUCCESS, aclrtNotifyImportByKey(&imp, key, 0));
}

TEST_F(notify, device_limit_is_no_notify_resource)
{
	aclrtNotify *ns = calloc(8192, sizeof(*ns));
	aclError ret = ACL_SUCCESS;
	int n = 0;

	ASSERT_NE(NULL, ns);
	/* One exists already (the fixture's). */
	while (n < 8192 && !(ret = aclrtCreateNotify(&ns[n], 0)))
		n++;
	EXPECT_EQ(ACL_ERROR_RT_NO_NOTIFY_RESOURCE, ret);
	EXPECT_EQ(8191, n);
	ASSERT_EQ(ACL_SUCCESS, aclrtDestroyNotify(ns[0]));
	EXPECT_EQ(ACL_SUCCESS, aclrtCreateNotify(&ns[0], 0));
	free(ns);
}

TEST_F(notify, reset_device_force_abandons_a_blocked_wait)
{
	uint64_t start = now_ns();
	uint32_t id;

	ASSERT_EQ(ACL_SUCCESS, aclrtWaitAndResetNotify(self->notify,
						       self->stream, 0));
	EXPECT_EQ(ACL_SUCCESS, aclrtResetDeviceForce(0));
	/* Promptly, although nothing ever records. */
	EXPECT_GT(start + 5000000000ull, now_ns());
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE, aclrtGetNotifyId(self->notify,
								&id));
	EXPECT_EQ(ACL_ERROR_RT_CONTEXT_NULL, aclrtCreateNotify(&self->notify,
							       0));
}

static void reset_from_host_func(void *arg)
{
	__atomic_store_n((aclError *)arg, aclrtResetDeviceForce(0),
			 __ATOMIC_RELEASE);
}

TEST_F(notify, host_function_may_reset_its_own_device)
{
	aclError ret = -1;

	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(self->stream,
						   reset_from_host_func, &ret));
	/*
	 * The stream goes with the device, so it cannot be synchronised:
	 * wait for the host function's answer instead.
	 */
	while (__atomic_load_n(&ret, __ATOMIC_ACQUIRE) == -1)
		sched_yield();
	EXPECT_EQ(ACL_SUCCESS, ret);
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE,
		  aclrtSynchronizeStream(self->stream));
}

TEST_F(notify, reset_device_releases_its_notifies)
{
	uint32_t id;

	ASSERT_EQ(ACL_SUCCESS, aclrtResetDevice(0));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE, aclrtGetNotifyId(self->notify,
								&id));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE, aclrtSynchronizeStream(
							self->stream));
}

/*
 * A wait queued on an idle stream stands at its head: its timeout runs
 * from then, even when nothing executes it until the synchronisation (the
 * library may run it in the synchronising thread). A record arriving after
 * the timeout must not rescue it.
 */
TEST_F(notify, wait_timeout_runs_from_enqueue_not_from_sync)
{
	aclrtStream other;
	uint64_t start;

	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&other));
	start = now_ns();
	ASSERT_EQ(ACL_SUCCESS, aclrtWaitAndResetNotify(self->notify,
						       self->stream, 1));
	/* Past the 1 s timeout, without synchronising the waiting stream. */
	while (now_ns() - start < 1300000000ull)
		sched_yield();
	ASSERT_EQ(ACL_SUCCESS, aclrtRecordNotify(self->notify, other));
	ASSERT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(other));
	EXPECT_EQ(ACL_ERROR_RT_TASK_TIMEOUT,
		  aclrtSynchronizeStream(self->stream));
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyStream(other));
}

/* Polling with aclrtStreamQuery alone drives a waiting stream to the end. */
TEST_F(notify, query_alone_sees_a_released_wait_complete)
{
	aclrtStreamStatus st = ACL_STREAM_STATUS_NOT_READY;
	aclrtStream other;
	uint64_t start;

	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&other));
	ASSERT_EQ(ACL_SUCCESS, aclrtWaitAndResetNotify(self->notify,
						       self->stream, 0));
	ASSERT_EQ(ACL_SUCCESS, aclrtStreamQuery(self->stream, &st));
	EXPECT_EQ(ACL_STREAM_STATUS_NOT_READY, st);
	ASSERT_EQ(ACL_SUCCESS, aclrtRecordNotify(self->notify, other));
	start = now_ns();
	do {
		ASSERT_EQ(ACL_SUCCESS, aclrtStreamQuery(self->stream, &st));
		ASSERT_GT(start + 10000000000ull, now_ns());
		sched_yield();
	} while (st != ACL_STREAM_STATUS_COMPLETE);
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyStream(other));
}

TEST_HARNESS_MAIN
