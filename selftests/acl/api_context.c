// SPDX-License-Identifier: GPL-2.0
/*
 * Contexts: the per-thread current context, the default
 * context aclrtSetDevice makes, aclrtCreateContext/aclrtDestroyContext,
 * and streams belonging to the context they were created in.
 */
#include "acl_test.h"
#include "kselftest_harness.h"

FIXTURE(ctx) {
	aclrtContext def0;	/* device 0's default context */
};

FIXTURE_SETUP(ctx)
{
	uint32_t n = 0;

	ASSERT_EQ(ACL_SUCCESS, aclInit(NULL));
	ASSERT_EQ(ACL_SUCCESS, aclrtGetDeviceCount(&n));
	ASSERT_GE(n, 2u);
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(0));
	ASSERT_EQ(ACL_SUCCESS, aclrtGetCurrentContext(&self->def0));
	ASSERT_NE(NULL, self->def0);
}

FIXTURE_TEARDOWN(ctx)
{
	EXPECT_EQ(ACL_SUCCESS, aclFinalize());
}

static void *no_context_thread(void *arg)
{
	aclrtContext c = (aclrtContext)1;
	aclrtStream s = NULL;
	int32_t dev;
	intptr_t bad = 0;

	/* A new thread has no current context, whatever its creator's. */
	bad |= aclrtGetCurrentContext(&c) != ACL_ERROR_RT_CONTEXT_NULL;
	bad |= (c != (aclrtContext)1) << 1;
	bad |= (aclrtCtxGetCurrentDefaultStream(&s) !=
		ACL_ERROR_RT_CONTEXT_NULL) << 2;
	bad |= (aclrtCreateStream(&s) != ACL_ERROR_RT_CONTEXT_NULL) << 3;
	bad |= (aclrtGetDevice(&dev) != ACL_ERROR_RT_CONTEXT_NULL) << 4;
	bad |= (aclrtSynchronizeStream(NULL) != ACL_ERROR_RT_CONTEXT_NULL) << 5;
	return (void *)bad;
}

static intptr_t run_thread(void *(*fn)(void *), void *arg)
{
	pthread_t t;
	void *ret = (void *)-1;

	if (pthread_create(&t, NULL, fn, arg) || pthread_join(t, &ret))
		return -1;
	return (intptr_t)ret;
}

TEST_F(ctx, arguments)
{
	aclrtContext c;

	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtCreateContext(NULL, 0));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_DEVICEID, aclrtCreateContext(&c, -1));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_DEVICEID,
		  aclrtCreateContext(&c, ASCEND_NOTIFY_MAX_DEVICES));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtDestroyContext(NULL));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE,
		  aclrtDestroyContext((aclrtContext)(uintptr_t)0x1234));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtSetCurrentContext(NULL));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE,
		  aclrtSetCurrentContext((aclrtContext)(uintptr_t)0x1234));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtGetCurrentContext(NULL));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtCtxGetCurrentDefaultStream(NULL));
	/* A stream is no context. */
	{
		aclrtStream s;

		ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&s));
		EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE, aclrtSetCurrentContext(s));
		EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE, aclrtDestroyContext(s));
	}
	ASSERT_EQ(ACL_SUCCESS, aclFinalize());
	EXPECT_EQ(ACL_ERROR_UNINITIALIZE, aclrtCreateContext(&c, 0));
	EXPECT_EQ(ACL_ERROR_UNINITIALIZE, aclrtGetCurrentContext(&c));
	EXPECT_EQ(ACL_ERROR_UNINITIALIZE, aclrtSetCurrentContext(self->def0));
	EXPECT_EQ(ACL_ERROR_UNINITIALIZE, aclrtDestroyContext(self->def0));
	ASSERT_EQ(ACL_SUCCESS, aclInit(NULL));
}

/* The default context ends with aclrtResetDevice, not aclrtDestroyContext. */
TEST_F(ctx, default_context_is_not_destroyed)
{
	aclrtContext c;

	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtDestroyContext(self->def0));
	ASSERT_EQ(ACL_SUCCESS, aclrtGetCurrentContext(&c));
	EXPECT_EQ(self->def0, c);
}

TEST_F(ctx, new_thread_has_none)
{
	EXPECT_EQ(0, run_thread(no_context_thread, NULL));
}

/* aclrtSetDevice switches to the device's default context, one per device. */
TEST_F(ctx, set_device_selects_the_default_context)
{
	aclrtContext c1, c;
	int32_t dev;

	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(1));
	ASSERT_EQ(ACL_SUCCESS, aclrtGetCurrentContext(&c1));
	EXPECT_NE(self->def0, c1);
	ASSERT_EQ(ACL_SUCCESS, aclrtGetDevice(&dev));
	EXPECT_EQ(1, dev);
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(0));
	ASSERT_EQ(ACL_SUCCESS, aclrtGetCurrentContext(&c));
	EXPECT_EQ(self->def0, c);
	/* Setting a context sets its device. */
	ASSERT_EQ(ACL_SUCCESS, aclrtSetCurrentContext(c1));
	ASSERT_EQ(ACL_SUCCESS, aclrtGetDevice(&dev));
	EXPECT_EQ(1, dev);
}

TEST_F(ctx, create_makes_it_current)
{
	aclrtContext c, cur;
	int32_t dev;

	ASSERT_EQ(ACL_SUCCESS, aclrtCreateContext(&c, 1));
	ASSERT_NE(NULL, c);
	ASSERT_EQ(ACL_SUCCESS, aclrtGetCurrentContext(&cur));
	EXPECT_EQ(c, cur);
	ASSERT_EQ(ACL_SUCCESS, aclrtGetDevice(&dev));
	EXPECT_EQ(1, dev);
	ASSERT_EQ(ACL_SUCCESS, aclrtSetCurrentContext(self->def0));
	ASSERT_EQ(ACL_SUCCESS, aclrtGetDevice(&dev));
	EXPECT_EQ(0, dev);
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyContext(c));
	/* Destroyed: neither settable nor destroyable again. */
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE, aclrtSetCurrentContext(c));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE, aclrtDestroyContext(c));
}

/* A context on a device that was never set works on its own. */
TEST_F(ctx, create_without_set_device)
{
	aclrtContext c;
	aclrtStream s;

	ASSERT_EQ(ACL_SUCCESS, aclrtCreateContext(&c, 2));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&s));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(s));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(NULL));
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyStream(s));
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyContext(c));
}

/*
 * NULL is the current context's default stream: a default stream held
 * by a host function in one context does not hold another's.
 */
TEST_F(ctx, default_stream_is_per_context)
{
	aclrtContext c;
	aclrtStream s = (aclrtStream)1;
	aclrtStreamStatus st;
	int gate[2];

	ASSERT_EQ(0, pipe(gate));
	ASSERT_EQ(ACL_SUCCESS, aclrtCtxGetCurrentDefaultStream(&s));
	EXPECT_EQ(NULL, s);
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(NULL, block_fn, &gate[0]));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateContext(&c, 0));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(NULL));
	ASSERT_EQ(ACL_SUCCESS, aclrtSetCurrentContext(self->def0));
	ASSERT_EQ(ACL_SUCCESS, aclrtStreamQuery(NULL, &st));
	EXPECT_EQ(ACL_STREAM_STATUS_NOT_READY, st);
	ASSERT_EQ(1, write(gate[1], "g", 1));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(NULL));
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyContext(c));
	close(gate[0]);
	close(gate[1]);
}

/* Destroying a context runs out and then destroys its streams only. */
TEST_F(ctx, destroy_ends_its_streams)
{
	aclrtContext c;
	aclrtStream mine, other;
	atomic_int ran;

	atomic_init(&ran, 0);
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&other));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateContext(&c, 0));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&mine));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(mine, count_fn, &ran));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(NULL, count_fn, &ran));
	ASSERT_EQ(ACL_SUCCESS, aclrtDestroyContext(c));
	EXPECT_EQ(2, atomic_load(&ran));
	ASSERT_EQ(ACL_SUCCESS, aclrtSetCurrentContext(self->def0));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE, aclrtSynchronizeStream(mine));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE, aclrtDestroyStream(mine));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(other));
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyStream(other));
}

/* A forced reset of its device ends an explicit context too. */
TEST_F(ctx, device_reset_ends_contexts)
{
	aclrtContext c, cur;

	ASSERT_EQ(ACL_SUCCESS, aclrtCreateContext(&c, 3));
	ASSERT_EQ(ACL_SUCCESS, aclrtResetDeviceForce(3));
	EXPECT_EQ(ACL_ERROR_RT_CONTEXT_NULL, aclrtGetCurrentContext(&cur));
	EXPECT_EQ(ACL_ERROR_RT_CONTEXT_NULL, aclrtSetCurrentContext(c));
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyContext(c));
}

/* An explicit context keeps its device set after aclrtResetDevice. */
TEST_F(ctx, context_holds_its_device)
{
	aclrtContext c, cur;

	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(4));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateContext(&c, 4));
	ASSERT_EQ(ACL_SUCCESS, aclrtResetDevice(4));
	ASSERT_EQ(ACL_SUCCESS, aclrtGetCurrentContext(&cur));
	EXPECT_EQ(c, cur);
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(NULL));
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyContext(c));
	EXPECT_EQ(ACL_ERROR_RT_CONTEXT_NULL, aclrtGetCurrentContext(&cur));
}

/* ---- several threads ---------------------------------------------------------- */

struct handoff {
	pthread_barrier_t step;
	aclrtContext ctx;
	int32_t dev_seen;
	aclError before, after;
};

/* Sets @h->ctx current, reports its device, then waits for the main thread. */
static void *use_context_thread(void *arg)
{
	struct handoff *h = arg;
	aclrtContext cur;

	h->before = aclrtSetCurrentContext(h->ctx) ?:
		    aclrtGetDevice(&h->dev_seen);
	pthread_barrier_wait(&h->step);	/* main checks its own context */
	pthread_barrier_wait(&h->step);	/* main may destroy ours */
	h->after = aclrtGetCurrentContext(&cur);
	return NULL;
}

TEST_F(ctx, two_threads_two_contexts)
{
	struct handoff h = { 0 };
	aclrtContext c, cur;
	pthread_t t;
	int32_t dev;

	ASSERT_EQ(0, pthread_barrier_init(&h.step, NULL, 2));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateContext(&c, 1));
	h.ctx = c;
	ASSERT_EQ(ACL_SUCCESS, aclrtSetCurrentContext(self->def0));
	ASSERT_EQ(0, pthread_create(&t, NULL, use_context_thread, &h));
	pthread_barrier_wait(&h.step);
	EXPECT_EQ(ACL_SUCCESS, h.before);
	EXPECT_EQ(1, h.dev_seen);
	/* The other thread's choice did not change this thread's. */
	ASSERT_EQ(ACL_SUCCESS, aclrtGetCurrentContext(&cur));
	EXPECT_EQ(self->def0, cur);
	ASSERT_EQ(ACL_SUCCESS, aclrtGetDevice(&dev));
	EXPECT_EQ(0, dev);
	pthread_barrier_wait(&h.step);
	pthread_join(t, NULL);
	EXPECT_EQ(ACL_SUCCESS, h.after);
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyContext(c));
	pthread_barrier_destroy(&h.step);
}

/* Destroying the context another thread has current leaves it none. */
TEST_F(ctx, destroy_context_current_in_another_thread)
{
	struct handoff h = { 0 };
	pthread_t t;

	ASSERT_EQ(0, pthread_barrier_init(&h.step, NULL, 2));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateContext(&h.ctx, 1));
	ASSERT_EQ(0, pthread_create(&t, NULL, use_context_thread, &h));
	pthread_barrier_wait(&h.step);
	EXPECT_EQ(ACL_SUCCESS, h.before);
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyContext(h.ctx));
	pthread_barrier_wait(&h.step);
	pthread_join(t, NULL);
	EXPECT_EQ(ACL_ERROR_RT_CONTEXT_NULL, h.after);
	pthread_barrier_destroy(&h.step);
}

TEST_HARNESS_MAIN
