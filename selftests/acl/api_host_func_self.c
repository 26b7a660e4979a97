// SPDX-License-Identifier: GPL-2.0
/*
 * A host function that synchronizes, aborts or destroys the stream it runs
 * on would wait for itself forever. Each such call is refused with
 * ACL_ERROR_RT_PARAM_INVALID instead, the stream goes on working, and the
 * same calls on another stream from a host function are allowed. A host
 * function runs on a thread of its own, which has no current context
 * until it sets one.
 */
#include "acl_test.h"
#include "kselftest_harness.h"

FIXTURE(self_stream) {
	aclrtStream stream;
	aclrtStream other;
};

FIXTURE_SETUP(self_stream)
{
	ASSERT_EQ(ACL_SUCCESS, aclInit(NULL));
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(0));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&self->other));
}

FIXTURE_TEARDOWN(self_stream)
{
	aclFinalize();
}

enum { SYNC, SYNC_TIMEOUT, ABORT, DESTROY, DESTROY_FORCE, NCALLS };

struct calls {
	aclrtContext ctx;
	aclrtStream target;
	aclError ret[NCALLS];
	atomic_int ran;
};

/* Runs on a stream: every call on @c->target, results kept. */
static void call_all(void *arg)
{
	struct calls *c = arg;

	if (aclrtSetCurrentContext(c->ctx))
		return;
	c->ret[SYNC] = aclrtSynchronizeStream(c->target);
	c->ret[SYNC_TIMEOUT] = aclrtSynchronizeStreamWithTimeout(c->target,
								 1000);
	c->ret[ABORT] = aclrtStreamAbort(c->target);
	c->ret[DESTROY] = aclrtDestroyStream(c->target);
	c->ret[DESTROY_FORCE] = aclrtDestroyStreamForce(c->target);
	atomic_fetch_add(&c->ran, 1);
}

TEST_F(self_stream, refused_on_its_own_stream)
{
	struct calls c = { .target = self->stream };
	atomic_int after = 0;
	int i;

	ASSERT_EQ(ACL_SUCCESS, aclrtGetCurrentContext(&c.ctx));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(self->stream, call_all, &c));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(self->stream, count_fn,
						   &after));
	ASSERT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
	ASSERT_EQ(1, atomic_load(&c.ran));
	for (i = 0; i < NCALLS; i++)
		EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, c.ret[i])
			TH_LOG("call %d", i);
	/* Still alive and in order: the next task ran, the stream works. */
	EXPECT_EQ(1, atomic_load(&after));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(self->stream, count_fn,
						   &after));
	ASSERT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
	EXPECT_EQ(2, atomic_load(&after));
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyStream(self->stream));
}

TEST_F(self_stream, allowed_on_another_stream)
{
	struct calls c = { .target = self->other };

	ASSERT_EQ(ACL_SUCCESS, aclrtGetCurrentContext(&c.ctx));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(self->stream, call_all, &c));
	ASSERT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
	ASSERT_EQ(1, atomic_load(&c.ran));
	EXPECT_EQ(ACL_SUCCESS, c.ret[SYNC]);
	EXPECT_EQ(ACL_SUCCESS, c.ret[SYNC_TIMEOUT]);
	EXPECT_EQ(ACL_SUCCESS, c.ret[ABORT]);
	EXPECT_EQ(ACL_SUCCESS, c.ret[DESTROY]);
	/* Destroyed by the call before. */
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE, c.ret[DESTROY_FORCE]);
}

TEST_HARNESS_MAIN
