// SPDX-License-Identifier: GPL-2.0
/*
 * How contexts end as a user sees it: aclFinalize ends the contexts the
 * program forgot to destroy (their handles and streams are dead after a
 * new aclInit), a thread whose current context was destroyed has no
 * default stream, and a thread with no context cannot use another
 * thread's stream.
 */
#include "acl_test.h"
#include "kselftest_harness.h"

FIXTURE(ctx_end) {
	aclrtStream stream;	/* device 0's, made by the main thread */
};

FIXTURE_SETUP(ctx_end)
{
	ASSERT_EQ(ACL_SUCCESS, aclInit(NULL));
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(0));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&self->stream));
}

FIXTURE_TEARDOWN(ctx_end)
{
	aclFinalize();
}

TEST_F(ctx_end, finalize_ends_forgotten_contexts)
{
	atomic_int ran = 0;
	aclrtContext c, cur;
	aclrtStream s;

	ASSERT_EQ(ACL_SUCCESS, aclrtCreateContext(&c, 0));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&s));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(s, count_fn, &ran));
	ASSERT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(s));
	EXPECT_EQ(1, atomic_load(&ran));
	EXPECT_EQ(ACL_SUCCESS, aclFinalize());

	ASSERT_EQ(ACL_SUCCESS, aclInit(NULL));
	EXPECT_EQ(ACL_ERROR_RT_CONTEXT_NULL, aclrtGetCurrentContext(&cur));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE, aclrtSetCurrentContext(c));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE, aclrtDestroyContext(c));
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(0));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE, aclrtDestroyStream(s));
}

TEST_F(ctx_end, destroyed_current_context_has_no_default_stream)
{
	atomic_int ran = 0;
	aclrtContext c;

	ASSERT_EQ(ACL_SUCCESS, aclrtCreateContext(&c, 0));
	ASSERT_EQ(ACL_SUCCESS, aclrtDestroyContext(c));
	EXPECT_EQ(ACL_ERROR_RT_CONTEXT_NULL,
		  aclrtLaunchHostFunc(NULL, count_fn, &ran));
	EXPECT_EQ(ACL_ERROR_RT_CONTEXT_NULL, aclrtSynchronizeStream(NULL));
	EXPECT_EQ(0, atomic_load(&ran));
	/* Setting the device again brings its default context back. */
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(0));
	EXPECT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(NULL, count_fn, &ran));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(NULL));
	EXPECT_EQ(1, atomic_load(&ran));
}

struct foreign {
	aclrtStream stream;
	aclError sync, launch;
	atomic_int ran;
};

static void *use_foreign_stream(void *arg)
{
	struct foreign *f = arg;

	f->sync = aclrtSynchronizeStream(f->stream);
	f->launch = aclrtLaunchHostFunc(f->stream, count_fn, &f->ran);
	return NULL;
}

TEST_F(ctx_end, thread_without_context_cannot_use_a_stream)
{
	struct foreign f = { .stream = self->stream };
	pthread_t t;

	ASSERT_EQ(0, pthread_create(&t, NULL, use_foreign_stream, &f));
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(ACL_ERROR_RT_CONTEXT_NULL, f.sync);
	EXPECT_EQ(ACL_ERROR_RT_CONTEXT_NULL, f.launch);
	/* The owner still can. */
	ASSERT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
	EXPECT_EQ(0, atomic_load(&f.ran));
}

TEST_HARNESS_MAIN
