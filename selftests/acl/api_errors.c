// SPDX-License-Identifier: GPL-2.0
/*
 * A thread's own recent failures: aclrtGetLastError and
 * aclrtPeekAtLastError, aclGetRecentErrMsg, and the error-code values of
 * CANN's current headers.
 */
#include <malloc.h>

#include "acl_test.h"
#include "kselftest_harness.h"

FIXTURE(err) {
	int unused;
};

FIXTURE_SETUP(err)
{
	ASSERT_EQ(ACL_SUCCESS, aclInit(NULL));
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(0));
	/* Start clean. */
	aclrtGetLastError(ACL_RT_THREAD_LEVEL);
	aclGetRecentErrMsg();
}

FIXTURE_TEARDOWN(err)
{
	EXPECT_EQ(ACL_SUCCESS, aclFinalize());
}

/* Values that moved in CANN's rt_error_codes.h. */
TEST(code_values)
{
	EXPECT_EQ(107042, ACL_ERROR_RT_SYMBOL_NOT_FOUND);
	EXPECT_EQ(107043, ACL_ERROR_RT_INVALID_SYMBOL);
	EXPECT_EQ(107044, ACL_ERROR_RT_INVALID_DEVICE_FUNCTION);
	EXPECT_EQ(107045, ACL_ERROR_RT_SUB_ACLGRAPH_IS_CAPTURING);
	EXPECT_EQ(207021, ACL_ERROR_RT_LINK_TYPE_NOT_SUPPORTED);
	EXPECT_EQ(507915, ACL_ERROR_RT_CCU_TIMEOUT);
	EXPECT_EQ(507916, ACL_ERROR_RT_CCU_EXCEPTION);
	EXPECT_EQ(0, ACL_RT_THREAD_LEVEL);
}

TEST_F(err, level_other_than_thread_is_refused)
{
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtPeekAtLastError((aclrtLastErrLevel)1));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtGetLastError((aclrtLastErrLevel)1));
}

/* Peek keeps the last error, Get returns and clears it. */
TEST_F(err, last_error_peek_and_get)
{
	int32_t dev;

	EXPECT_EQ(ACL_SUCCESS, aclrtPeekAtLastError(ACL_RT_THREAD_LEVEL));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtGetDevice(NULL));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_DEVICEID, aclrtSetDevice(-1));
	/* A success does not clear it. */
	EXPECT_EQ(ACL_SUCCESS, aclrtGetDevice(&dev));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_DEVICEID,
		  aclrtPeekAtLastError(ACL_RT_THREAD_LEVEL));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_DEVICEID,
		  aclrtPeekAtLastError(ACL_RT_THREAD_LEVEL));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_DEVICEID,
		  aclrtGetLastError(ACL_RT_THREAD_LEVEL));
	EXPECT_EQ(ACL_SUCCESS, aclrtGetLastError(ACL_RT_THREAD_LEVEL));
	EXPECT_EQ(ACL_SUCCESS, aclrtPeekAtLastError(ACL_RT_THREAD_LEVEL));
}

/* A failed task reported by a synchronisation is the caller's error. */
TEST_F(err, task_failure_is_the_last_error)
{
	aclrtNotify n;

	ASSERT_EQ(ACL_SUCCESS, aclrtCreateNotify(&n, 0));
	ASSERT_EQ(ACL_SUCCESS, aclrtWaitAndResetNotify(n, NULL, 1));
	EXPECT_EQ(ACL_ERROR_RT_TASK_TIMEOUT, aclrtSynchronizeStream(NULL));
	EXPECT_EQ(ACL_ERROR_RT_TASK_TIMEOUT,
		  aclrtGetLastError(ACL_RT_THREAD_LEVEL));
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyNotify(n));
}

/* The message names the failing call; asking consumes the messages. */
TEST_F(err, recent_message)
{
	const char *msg;

	EXPECT_EQ(NULL, aclGetRecentErrMsg());
	EXPECT_EQ(ACL_ERROR_RT_INVALID_DEVICEID, aclrtSetDevice(-1));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtGetRunMode(NULL));
	msg = aclGetRecentErrMsg();
	ASSERT_NE(NULL, msg);
	EXPECT_NE(NULL, strstr(msg, "device -1"));
	EXPECT_NE(NULL, strstr(msg, "aclrtGetRunMode: runMode is NULL"));
	/* Oldest first. */
	EXPECT_LT(strstr(msg, "device -1"), strstr(msg, "aclrtGetRunMode"));
	EXPECT_EQ(NULL, aclGetRecentErrMsg());
}

/* A flood of failures keeps the newest messages, within a bounded text. */
TEST_F(err, recent_message_flood)
{
	const char *msg;
	int i;

	for (i = 0; i < 200; i++)
		EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtGetRunMode(NULL));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_DEVICEID, aclrtSetDevice(-1));
	msg = aclGetRecentErrMsg();
	ASSERT_NE(NULL, msg);
	EXPECT_GT(2048, strlen(msg));
	/* More than the text holds. */
	EXPECT_LT(2048, 200 * strlen("aclrtGetRunMode: runMode is NULL"));
	EXPECT_NE('\n', msg[0]);
	EXPECT_NE(NULL, strstr(msg, "aclrtGetRunMode: runMode is NULL"));
	/* The newest is last. */
	EXPECT_NE(NULL, strstr(msg, "device -1"));
	EXPECT_EQ(NULL, strstr(strstr(msg, "device -1"), "aclrtGetRunMode"));
}

static void *other_thread(void *arg)
{
	intptr_t bad = 0;

	/* The main thread's failures are not this thread's. */
	bad |= aclrtPeekAtLastError(ACL_RT_THREAD_LEVEL) != ACL_SUCCESS;
	bad |= (aclGetRecentErrMsg() != NULL) << 1;
	bad |= (aclrtGetRunMode(NULL) != ACL_ERROR_INVALID_PARAM) << 2;
	bad |= (aclrtGetLastError(ACL_RT_THREAD_LEVEL) !=
		ACL_ERROR_INVALID_PARAM) << 3;
	/* Its own message, in the buffer its first failure allocated. */
	bad |= !strstr(aclGetRecentErrMsg() ?: "", "runMode is NULL") << 4;
	return (void *)bad;
}

TEST_F(err, per_thread)
{
	pthread_t t;
	void *bad = (void *)-1;

	EXPECT_EQ(ACL_ERROR_RT_INVALID_DEVICEID, aclrtSetDevice(-1));
	ASSERT_EQ(0, pthread_create(&t, NULL, other_thread, NULL));
	ASSERT_EQ(0, pthread_join(t, &bad));
	EXPECT_EQ(NULL, bad);
	/* Nor are the other thread's failures this one's. */
	EXPECT_EQ(ACL_ERROR_RT_INVALID_DEVICEID,
		  aclrtGetLastError(ACL_RT_THREAD_LEVEL));
	EXPECT_EQ(NULL, strstr(aclGetRecentErrMsg(), "runMode"));
}

static void *fail_once(void *arg)
{
	return (void *)(intptr_t)(aclrtGetRunMode(NULL) !=
				  ACL_ERROR_INVALID_PARAM);
}

/*
 * A thread's recent messages live on the heap from its first failure
 * until it exits: threads that come and go do not pile them up.
 */
TEST_F(err, recent_messages_of_exited_threads_are_freed)
{
	enum { THREADS = 200 };
	size_t before, after;
	void *bad = NULL;
	pthread_t t;
	int i;

	/* Every thread's blocks in the arena mallinfo2() counts. */
	ASSERT_EQ(1, mallopt(M_ARENA_MAX, 1));
	ASSERT_EQ(0, pthread_create(&t, NULL, fail_once, NULL));
	ASSERT_EQ(0, pthread_join(t, &bad));
	before = mallinfo2().uordblks;
	for (i = 0; i < THREADS; i++) {
		ASSERT_EQ(0, pthread_create(&t, NULL, fail_once, NULL));
		ASSERT_EQ(0, pthread_join(t, &bad));
		ASSERT_EQ(NULL, bad);
	}
	after = mallinfo2().uordblks;
	/* Kept, each thread's buffer (4 KiB) would add 800 KiB. */
	EXPECT_GT(before + 64 * 1024, after)
		TH_LOG("%zu bytes more in use after %d threads", after - before,
		       THREADS);
}

TEST_HARNESS_MAIN
