// SPDX-License-Identifier: GPL-2.0
/*
 * aclrtCreateStreamWithConfig and the stream queries (issue 14a):
 * priorities in aclrtDeviceGetStreamPriorityRange's range, the flags,
 * and ids unique in the process.
 */
#include "acl_test.h"
#include "kselftest_harness.h"

FIXTURE(cfg) {
	aclrtStream stream;
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

TEST_HARNESS_MAIN
