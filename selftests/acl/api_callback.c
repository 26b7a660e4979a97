// SPDX-License-Identifier: GPL-2.0
/*
 * Callbacks through the CANN API: aclrtLaunchCallback runs in
 * the thread subscribed with aclrtSubscribeReport when that thread calls
 * aclrtProcessReport; a blocking callback holds its stream, a non-blocking
 * one does not; aclrtSubscribeHostFunc hands aclrtLaunchHostFunc tasks to
 * a user thread the same way.
 */
#include "acl_test.h"
#include "kselftest_harness.h"

#define SELF_TID ((uint64_t)pthread_self())

/* What a callback saw: which thread ran it, and in which order. */
struct seen {
	atomic_int count;
	uint64_t tid[8];
	int order[8];
	int id;
};

struct cb_arg {
	struct seen *seen;
	int id;
};

static void record_cb(void *p)
{
	struct cb_arg *a = p;
	int n = atomic_fetch_add(&a->seen->count, 1);

	if (n < 8) {
		a->seen->tid[n] = (uint64_t)pthread_self();
		a->seen->order[n] = a->id;
	}
}

/* The calling thread takes @stream's reports; @a's callback is queued. */
static bool subscribe_and_launch(aclrtStream stream, struct cb_arg *a,
				 aclrtCallbackBlockType type)
{
	return aclrtSubscribeReport(SELF_TID, stream) == ACL_SUCCESS &&
	       aclrtLaunchCallback(record_cb, a, type, stream) == ACL_SUCCESS;
}

FIXTURE(cb) {
	aclrtStream stream;
	struct seen seen;
	int gate[2];
};

FIXTURE_SETUP(cb)
{
	memset(&self->seen, 0, sizeof(self->seen));
	ASSERT_EQ(0, pipe(self->gate));
	ASSERT_EQ(ACL_SUCCESS, aclInit(NULL));
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(0));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&self->stream));
}

FIXTURE_TEARDOWN(cb)
{
	close(self->gate[1]);
	aclFinalize();
	close(self->gate[0]);
}

TEST_F(cb, launch_rejections)
{
	struct cb_arg a = { &self->seen, 0 };

	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtLaunchCallback(NULL, &a, ACL_CALLBACK_BLOCK,
				      self->stream));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtLaunchCallback(record_cb, &a,
				      (aclrtCallbackBlockType)2,
				      self->stream));
	/* No thread takes the stream's callbacks. */
	EXPECT_EQ(ACL_ERROR_RT_STREAM_NO_CB_REG,
		  aclrtLaunchCallback(record_cb, &a, ACL_CALLBACK_BLOCK,
				      self->stream));
	EXPECT_EQ(ACL_ERROR_RT_STREAM_NO_CB_REG,
		  aclrtLaunchCallback(record_cb, &a, ACL_CALLBACK_NO_BLOCK,
				      NULL));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE,
		  aclrtLaunchCallback(record_cb, &a, ACL_CALLBACK_BLOCK,
				      (aclrtStream)&a));
	EXPECT_EQ(0, atomic_load(&self->seen.count));
}

TEST_F(cb, subscribe_rejections)
{
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE,
		  aclrtSubscribeReport(SELF_TID, (aclrtStream)&self->seen));
	ASSERT_EQ(ACL_SUCCESS, aclrtSubscribeReport(SELF_TID, self->stream));
	/* One thread per stream. */
	EXPECT_EQ(ACL_ERROR_RT_STREAM_SUBSCRIBE,
		  aclrtSubscribeReport(SELF_TID, self->stream));
	EXPECT_EQ(ACL_ERROR_RT_STREAM_SUBSCRIBE,
		  aclrtSubscribeReport(SELF_TID + 1, self->stream));
	EXPECT_EQ(ACL_ERROR_RT_STREAM_SUBSCRIBE,
		  aclrtUnSubscribeReport(SELF_TID + 1, self->stream));
	EXPECT_EQ(ACL_ERROR_RT_STREAM_SUBSCRIBE,
		  aclrtUnSubscribeReport(SELF_TID, NULL));
	/* A thread serves the streams of one device (CANN). */
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(1));
	EXPECT_EQ(ACL_ERROR_RT_THREAD_SUBSCRIBE,
		  aclrtSubscribeReport(SELF_TID, NULL));
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(0));
	EXPECT_EQ(ACL_SUCCESS, aclrtUnSubscribeReport(SELF_TID, self->stream));
	EXPECT_EQ(ACL_ERROR_RT_STREAM_SUBSCRIBE,
		  aclrtUnSubscribeReport(SELF_TID, self->stream));
}

TEST_F(cb, process_rejections)
{
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtProcessReport(0));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtProcessReport(-2));
	/* The calling thread is subscribed to no stream. */
	EXPECT_EQ(ACL_ERROR_RT_THREAD_SUBSCRIBE, aclrtProcessReport(10));
	ASSERT_EQ(ACL_SUCCESS, aclrtSubscribeReport(SELF_TID, self->stream));
	/* Subscribed, and nothing comes: a timeout, in milliseconds. */
	uint64_t t0 = now_ns();

	EXPECT_EQ(ACL_ERROR_RT_REPORT_TIMEOUT, aclrtProcessReport(50));
	EXPECT_LE(t0 + 50000000ull, now_ns());
	/* Reports and host functions are separate subscriptions. */
	EXPECT_EQ(ACL_ERROR_RT_THREAD_SUBSCRIBE, aclrtProcessHostFunc(10));
	EXPECT_EQ(ACL_SUCCESS, aclrtUnSubscribeReport(SELF_TID, self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclFinalize());
	EXPECT_EQ(ACL_ERROR_UNINITIALIZE, aclrtProcessReport(10));
}

static void count_after_cb(void *p)
{
	struct seen *s = p;

	s->id = atomic_load(&s->count);
}

/* A blocking callback holds its stream until the report thread ran it. */
TEST_F(cb, block_holds_the_stream)
{
	struct cb_arg a = { &self->seen, 1 };
	aclrtStreamStatus st;

	ASSERT_TRUE(subscribe_and_launch(self->stream, &a, ACL_CALLBACK_BLOCK));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(self->stream,
						   count_after_cb,
						   &self->seen));
	self->seen.id = -1;
	ASSERT_EQ(ACL_SUCCESS, aclrtStreamQuery(self->stream, &st));
	EXPECT_EQ(ACL_STREAM_STATUS_NOT_READY, st);
	ASSERT_EQ(ACL_SUCCESS, aclrtProcessReport(-1));
	ASSERT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
	EXPECT_EQ(1, atomic_load(&self->seen.count));
	EXPECT_EQ(SELF_TID, self->seen.tid[0]);
	/* The host function behind it saw the callback done. */
	EXPECT_EQ(1, self->seen.id);
	EXPECT_EQ(ACL_SUCCESS, aclrtUnSubscribeReport(SELF_TID, self->stream));
}

/* A non-blocking callback lets the stream go on without the report thread. */
TEST_F(cb, no_block_does_not_hold_the_stream)
{
	struct cb_arg a = { &self->seen, 1 };

	ASSERT_TRUE(subscribe_and_launch(self->stream, &a, ACL_CALLBACK_NO_BLOCK));
	ASSERT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
	EXPECT_EQ(0, atomic_load(&self->seen.count));
	ASSERT_EQ(ACL_SUCCESS, aclrtProcessReport(1000));
	EXPECT_EQ(1, atomic_load(&self->seen.count));
	EXPECT_EQ(ACL_SUCCESS, aclrtUnSubscribeReport(SELF_TID, self->stream));
}

struct reporter {
	pthread_t thread;
	atomic_bool stop;
	int ran;
};

static void *reporter_main(void *p)
{
	struct reporter *r = p;

	while (!atomic_load(&r->stop))
		if (aclrtProcessReport(20) == ACL_SUCCESS)
			r->ran++;
	return NULL;
}

/* One report thread serves two streams, each in its own order. */
TEST_F(cb, one_report_thread_two_streams)
{
	struct cb_arg a[6];
	struct reporter r = { .ran = 0 };
	aclrtStream other;
	int i, last[2] = { -1, -1 };

	atomic_init(&r.stop, false);
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&other));
	ASSERT_EQ(0, pthread_create(&r.thread, NULL, reporter_main, &r));
	ASSERT_EQ(ACL_SUCCESS,
		  aclrtSubscribeReport((uint64_t)r.thread, self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtSubscribeReport((uint64_t)r.thread, other));
	for (i = 0; i < 6; i++) {
		a[i].seen = &self->seen;
		a[i].id = i;
		ASSERT_EQ(ACL_SUCCESS,
			  aclrtLaunchCallback(record_cb, &a[i],
					      i % 3 == 1 ? ACL_CALLBACK_NO_BLOCK :
							   ACL_CALLBACK_BLOCK,
					      i < 3 ? self->stream : other));
	}
	ASSERT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(other));
	/*
	 * Each stream ends with a blocking callback, which the reporter ran
	 * after the non-blocking ones queued before it: all six ran.
	 */
	EXPECT_EQ(6, atomic_load(&self->seen.count));
	atomic_store(&r.stop, true);
	pthread_join(r.thread, NULL);
	EXPECT_LE(1, r.ran);
	for (i = 0; i < 6; i++) {
		int id = self->seen.order[i], st = id >= 3;

		EXPECT_EQ((uint64_t)r.thread, self->seen.tid[i]);
		EXPECT_LT(last[st], id);
		last[st] = id;
	}
	EXPECT_EQ(ACL_SUCCESS,
		  aclrtUnSubscribeReport((uint64_t)r.thread, self->stream));
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyStream(other));
}

/*
 * Unsubscribing while a callback is still queued behind other work: when
 * the stream reaches it, no thread takes it, and the stream reports
 * ACL_ERROR_RT_STREAM_NO_CB_REG; the callback never runs.
 */
TEST_F(cb, unsubscribe_while_a_callback_is_pending)
{
	struct cb_arg a = { &self->seen, 1 };

	ASSERT_EQ(ACL_SUCCESS, aclrtSubscribeReport(SELF_TID, self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(self->stream, block_fn,
						   &self->gate[0]));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchCallback(record_cb, &a,
						   ACL_CALLBACK_BLOCK,
						   self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtUnSubscribeReport(SELF_TID, self->stream));
	ASSERT_EQ(1, write(self->gate[1], "g", 1));
	EXPECT_EQ(ACL_ERROR_RT_STREAM_NO_CB_REG,
		  aclrtSynchronizeStream(self->stream));
	EXPECT_EQ(0, atomic_load(&self->seen.count));
	/* The error was reported once; the stream works on. */
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
}

/* Destroying a stream by force abandons a blocking callback nobody runs. */
TEST_F(cb, destroy_force_abandons_a_blocked_callback)
{
	struct cb_arg a = { &self->seen, 1 };

	ASSERT_TRUE(subscribe_and_launch(self->stream, &a, ACL_CALLBACK_BLOCK));
	ASSERT_EQ(ACL_SUCCESS, aclrtDestroyStreamForce(self->stream));
	/* Its subscription ended with it. */
	EXPECT_EQ(ACL_ERROR_RT_THREAD_SUBSCRIBE, aclrtProcessReport(10));
}

struct nested {
	aclrtStream stream, other;
	aclrtEvent event;
	struct cb_arg inner;
	aclError launch, record;
};

static void nested_cb(void *p)
{
	struct nested *n = p;

	n->record = aclrtRecordEvent(n->event, n->other);
	n->launch = aclrtLaunchCallback(record_cb, &n->inner,
					ACL_CALLBACK_NO_BLOCK, n->stream);
}

/* A callback may call the API, including to queue another callback. */
TEST_F(cb, callback_calls_back_into_acl)
{
	struct nested n = { .stream = self->stream,
			    .inner = { &self->seen, 7 },
			    .launch = -1, .record = -1 };

	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&n.other));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateEvent(&n.event));
	ASSERT_EQ(ACL_SUCCESS, aclrtSubscribeReport(SELF_TID, self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchCallback(nested_cb, &n,
						   ACL_CALLBACK_BLOCK,
						   self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtProcessReport(-1));
	EXPECT_EQ(ACL_SUCCESS, n.record);
	EXPECT_EQ(ACL_SUCCESS, n.launch);
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeEvent(n.event));
	ASSERT_EQ(ACL_SUCCESS, aclrtProcessReport(-1));
	EXPECT_EQ(1, atomic_load(&self->seen.count));
	EXPECT_EQ(7, self->seen.order[0]);
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyEvent(n.event));
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyStream(n.other));
}

static void tid_fn(void *p)
{
	*(uint64_t *)p = (uint64_t)pthread_self();
}

/* A stream with a host-function thread runs aclrtLaunchHostFunc there. */
TEST_F(cb, host_func_subscription)
{
	uint64_t ran_in = 0;

	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtProcessHostFunc(0));
	EXPECT_EQ(ACL_ERROR_RT_THREAD_SUBSCRIBE, aclrtProcessHostFunc(10));
	ASSERT_EQ(ACL_SUCCESS,
		  aclrtSubscribeHostFunc(SELF_TID, self->stream));
	EXPECT_EQ(ACL_ERROR_RT_STREAM_SUBSCRIBE,
		  aclrtSubscribeHostFunc(SELF_TID, self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(self->stream, tid_fn,
						   &ran_in));
	/* Not a report. */
	EXPECT_EQ(ACL_ERROR_RT_THREAD_SUBSCRIBE, aclrtProcessReport(10));
	ASSERT_EQ(ACL_SUCCESS, aclrtProcessHostFunc(-1));
	ASSERT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
	EXPECT_EQ(SELF_TID, ran_in);
	ASSERT_EQ(ACL_SUCCESS,
		  aclrtUnSubscribeHostFunc(SELF_TID, self->stream));
	EXPECT_EQ(ACL_ERROR_RT_STREAM_SUBSCRIBE,
		  aclrtUnSubscribeHostFunc(SELF_TID, self->stream));
	/* Back on the library's stream thread. */
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(self->stream, tid_fn,
						   &ran_in));
	ASSERT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
	EXPECT_NE(SELF_TID, ran_in);
	EXPECT_NE(0, ran_in);
}

/* ---- task failures through the exception callbacks ---------------------------- */

static struct {
	pthread_mutex_t lock;
	int calls[2];
	uint32_t task, stream, tid, dev, code;
	aclError args, func, null_out;
} exc = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void exc_note(int which, aclrtExceptionInfo *info)
{
	aclrtFuncHandle f;
	uint32_t len;
	void *args;

	pthread_mutex_lock(&exc.lock);
	exc.calls[which]++;
	exc.task = aclrtGetTaskIdFromExceptionInfo(info);
	exc.stream = aclrtGetStreamIdFromExceptionInfo(info);
	exc.tid = aclrtGetThreadIdFromExceptionInfo(info);
	exc.dev = aclrtGetDeviceIdFromExceptionInfo(info);
	exc.code = aclrtGetErrorCodeFromExceptionInfo(info);
	/* A notify wait is not a kernel: no arguments, no function. */
	exc.args = aclrtGetArgsFromExceptionInfo(info, &args, &len);
	exc.func = aclrtGetFuncHandleFromExceptionInfo(info, &f);
	exc.null_out = aclrtGetArgsFromExceptionInfo(info, NULL, &len);
	pthread_mutex_unlock(&exc.lock);
}

static void exc_cb0(aclrtExceptionInfo *info)
{
	exc_note(0, info);
}

static void exc_cb1(aclrtExceptionInfo *info)
{
	exc_note(1, info);
}

TEST_F(cb, exception_info_rejections)
{
	aclrtFuncHandle f;
	uint32_t len;
	void *args;

	EXPECT_EQ(0xFFFFFFFFu, aclrtGetTaskIdFromExceptionInfo(NULL));
	EXPECT_EQ(0xFFFFFFFFu, aclrtGetStreamIdFromExceptionInfo(NULL));
	EXPECT_EQ(0xFFFFFFFFu, aclrtGetThreadIdFromExceptionInfo(NULL));
	EXPECT_EQ(0xFFFFFFFFu, aclrtGetDeviceIdFromExceptionInfo(NULL));
	EXPECT_EQ(0xFFFFFFFFu, aclrtGetErrorCodeFromExceptionInfo(NULL));
	EXPECT_EQ(ACL_ERROR_INVALID_EXCEPTION_INFO,
		  aclrtGetArgsFromExceptionInfo(NULL, &args, &len));
	EXPECT_EQ(ACL_ERROR_INVALID_EXCEPTION_INFO,
		  aclrtGetFuncHandleFromExceptionInfo(NULL, &f));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtExceptionInfoCallbackRegister(NULL));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtExceptionInfoCallbackUnregister(NULL));
	/* NULL removes the set callback. */
	EXPECT_EQ(ACL_SUCCESS, aclrtSetExceptionInfoCallback(NULL));
}

/*
 * A notify wait that times out is a failed task: the callbacks hear the
 * stream, the task's number, the device, the thread and the error, before
 * the synchronisation returns that error.
 */
TEST_F(cb, timed_out_wait_reaches_the_exception_callbacks)
{
	aclrtStream other;
	aclrtNotify n;
	uint32_t first_stream;

	memset(exc.calls, 0, sizeof(exc.calls));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateNotify(&n, 0));
	ASSERT_EQ(ACL_SUCCESS, aclrtSetExceptionInfoCallback(exc_cb0));
	ASSERT_EQ(ACL_SUCCESS, aclrtExceptionInfoCallbackRegister(exc_cb1));
	/* Registering twice registers once. */
	ASSERT_EQ(ACL_SUCCESS, aclrtExceptionInfoCallbackRegister(exc_cb1));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(self->stream, count_fn,
						   &self->seen.count));
	ASSERT_EQ(ACL_SUCCESS, aclrtWaitAndResetNotify(n, self->stream, 1));
	EXPECT_EQ(ACL_ERROR_RT_TASK_TIMEOUT,
		  aclrtSynchronizeStream(self->stream));
	EXPECT_EQ(1, exc.calls[0]);
	EXPECT_EQ(1, exc.calls[1]);
	EXPECT_EQ(1u, exc.task);	/* the stream's second task */
	EXPECT_EQ(0u, exc.dev);
	EXPECT_EQ((uint32_t)ACL_ERROR_RT_TASK_TIMEOUT, exc.code);
	EXPECT_EQ(ACL_ERROR_INVALID_EXCEPTION_INFO, exc.args);
	EXPECT_EQ(ACL_ERROR_INVALID_EXCEPTION_INFO, exc.func);
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, exc.null_out);
	/* Run by the stream's thread, not the caller. */
	EXPECT_NE((uint32_t)gettid(), exc.tid);
	EXPECT_NE(0u, exc.tid);
	first_stream = exc.stream;
	/* Another stream has another number; an unregistered one is not called. */
	ASSERT_EQ(ACL_SUCCESS, aclrtExceptionInfoCallbackUnregister(exc_cb1));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&other));
	ASSERT_EQ(ACL_SUCCESS, aclrtWaitAndResetNotify(n, other, 1));
	EXPECT_EQ(ACL_ERROR_RT_TASK_TIMEOUT, aclrtSynchronizeStream(other));
	EXPECT_EQ(2, exc.calls[0]);
	EXPECT_EQ(1, exc.calls[1]);
	EXPECT_EQ(0u, exc.task);
	EXPECT_NE(first_stream, exc.stream);
	/* Without callbacks a failure is only reported to the sync. */
	ASSERT_EQ(ACL_SUCCESS, aclrtSetExceptionInfoCallback(NULL));
	ASSERT_EQ(ACL_SUCCESS, aclrtWaitAndResetNotify(n, other, 1));
	EXPECT_EQ(ACL_ERROR_RT_TASK_TIMEOUT, aclrtSynchronizeStream(other));
	EXPECT_EQ(2, exc.calls[0]);
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyStream(other));
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyNotify(n));
}

/* ---- stream state callbacks ------------------------------------------------------ */

struct states {
	int n;
	aclrtStream stream[4];
	aclrtStreamState state[4];
};

static void state_cb(aclrtStream stm, aclrtStreamState state, void *args)
{
	struct states *st = args;

	if (st->n < 4) {
		st->stream[st->n] = stm;
		st->state[st->n] = state;
	}
	st->n++;
}

TEST_F(cb, stream_state_callback)
{
	struct states st = { 0 }, other = { 0 };
	aclrtStream s;

	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtRegStreamStateCallback(NULL, state_cb, &st));
	ASSERT_EQ(ACL_SUCCESS,
		  aclrtRegStreamStateCallback("test", state_cb, &st));
	/* A name is registered once. */
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtRegStreamStateCallback("test", state_cb, &other));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&s));
	ASSERT_EQ(1, st.n);
	EXPECT_EQ(s, st.stream[0]);
	EXPECT_EQ(ACL_RT_STREAM_STATE_CREATE_POST, st.state[0]);
	ASSERT_EQ(ACL_SUCCESS, aclrtDestroyStream(s));
	ASSERT_EQ(2, st.n);
	EXPECT_EQ(s, st.stream[1]);
	EXPECT_EQ(ACL_RT_STREAM_STATE_DESTROY_PRE, st.state[1]);
	/* NULL unregisters; the name is free again. */
	ASSERT_EQ(ACL_SUCCESS, aclrtRegStreamStateCallback("test", NULL, NULL));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&s));
	ASSERT_EQ(ACL_SUCCESS, aclrtDestroyStreamForce(s));
	EXPECT_EQ(2, st.n);
	ASSERT_EQ(ACL_SUCCESS,
		  aclrtRegStreamStateCallback("test", state_cb, &other));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&s));
	ASSERT_EQ(ACL_SUCCESS, aclrtDestroyStreamForce(s));
	EXPECT_EQ(2, other.n);
	EXPECT_EQ(ACL_SUCCESS, aclrtRegStreamStateCallback("test", NULL, NULL));
}

/* A forked child has none of its parent's subscriptions. */
TEST_F(cb, forked_child_starts_without_subscriptions)
{
	pid_t c;

	ASSERT_EQ(ACL_SUCCESS, aclrtSubscribeReport(SELF_TID, self->stream));
	c = an_fork();
	ASSERT_LE(0, c);
	if (c == 0) {
		CHILD_CHECK(10, aclInit(NULL));
		CHILD_CHECK(11, aclrtSetDevice(0));
		/* Same pthread_t as the parent's thread, yet not subscribed. */
		if (aclrtProcessReport(10) != ACL_ERROR_RT_THREAD_SUBSCRIBE)
			_exit(12);
		_exit(0);
	}
	EXPECT_EQ(0, an_reap(c));
	EXPECT_EQ(ACL_ERROR_RT_REPORT_TIMEOUT, aclrtProcessReport(10));
	EXPECT_EQ(ACL_SUCCESS, aclrtUnSubscribeReport(SELF_TID, self->stream));
}

struct waiter {
	pthread_t thread;
	atomic_int tid;
	aclError ret;
	int gate;
};

/* Once subscribed (a byte on @gate), waits for reports without timeout. */
static void *waiter_main(void *p)
{
	struct waiter *w = p;
	char c;

	if (read(w->gate, &c, 1) != 1)
		return NULL;
	atomic_store(&w->tid, (int)syscall(SYS_gettid));
	w->ret = aclrtProcessReport(-1);
	return NULL;
}

/*
 * Starts @w, subscribes it to @stream and returns once it waits in
 * aclrtProcessReport(-1). A failure leaves it blocked on @gate, which the
 * fixture's teardown closes.
 */
static bool waiter_start(struct waiter *w, aclrtStream stream, int gate[2])
{
	atomic_init(&w->tid, 0);
	w->ret = -1;
	w->gate = gate[0];
	if (pthread_create(&w->thread, NULL, waiter_main, w))
		return false;
	if (aclrtSubscribeReport((uint64_t)w->thread, stream) ||
	    write(gate[1], "g", 1) != 1)
		return false;
	while (!atomic_load(&w->tid))
		sched_yield();
	return wait_in_syscall(atomic_load(&w->tid), SYS_futex);
}

/*
 * A report thread waiting without timeout returns once the last stream it
 * served is destroyed, instead of waiting for ever.
 */
TEST_F(cb, destroying_the_stream_releases_its_waiting_report_thread)
{
	struct waiter w;

	ASSERT_TRUE(waiter_start(&w, self->stream, self->gate));
	ASSERT_EQ(ACL_SUCCESS, aclrtDestroyStream(self->stream));
	pthread_join(w.thread, NULL);
	EXPECT_EQ(ACL_ERROR_RT_THREAD_SUBSCRIBE, w.ret);
}

/* The same when the thread is unsubscribed from its last stream. */
TEST_F(cb, unsubscribing_releases_a_waiting_report_thread)
{
	struct waiter w;

	ASSERT_TRUE(waiter_start(&w, self->stream, self->gate));
	ASSERT_EQ(ACL_SUCCESS,
		  aclrtUnSubscribeReport((uint64_t)w.thread, self->stream));
	pthread_join(w.thread, NULL);
	EXPECT_EQ(ACL_ERROR_RT_THREAD_SUBSCRIBE, w.ret);
}

TEST_HARNESS_MAIN
