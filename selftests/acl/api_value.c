// SPDX-License-Identifier: GPL-2.0
/*
 * aclrtValueWrite / aclrtValueWait: stream tasks on a 64-bit word of
 * device memory. Each condition, the order with other stream tasks, a
 * wait ended by a write from another stream or another process (through
 * IPC memory), by a plain store, and by a forced destroy; every rejection.
 */
#include "acl_test.h"
#include "kselftest_harness.h"

FIXTURE(value) {
	aclrtStream s1, s2;
	uint64_t *buf;
	int ran[2];
};

FIXTURE_SETUP(value)
{
	ASSERT_EQ(ACL_SUCCESS, aclInit(NULL));
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(0));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&self->s1));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&self->s2));
	ASSERT_EQ(ACL_SUCCESS, aclrtMalloc((void **)&self->buf, 4096,
					   ACL_MEM_MALLOC_HUGE_FIRST));
	ASSERT_EQ(ACL_SUCCESS, aclrtMemset(self->buf, 4096, 0, 4096));
	ASSERT_EQ(0, pipe(self->ran));
}

FIXTURE_TEARDOWN(value)
{
	aclFinalize();
	close(self->ran[0]);
	close(self->ran[1]);
}

/* Stores @v in the word with a plain copy, as a program would. */
static aclError store(uint64_t *word, uint64_t v)
{
	return aclrtMemcpy(word, sizeof(v), &v, sizeof(v),
			   ACL_MEMCPY_HOST_TO_DEVICE);
}

TEST_F(value, write_stores_in_stream_order)
{
	uint64_t got = 0;

	ASSERT_EQ(ACL_SUCCESS, aclrtMemsetAsync(self->buf, 8, 0xff, 8,
						self->s1));
	ASSERT_EQ(ACL_SUCCESS, aclrtValueWrite(self->buf, 0x1122334455667788ull,
					       0, self->s1));
	ASSERT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->s1));
	ASSERT_EQ(ACL_SUCCESS, aclrtMemcpy(&got, 8, self->buf, 8,
					   ACL_MEMCPY_DEVICE_TO_HOST));
	EXPECT_EQ(0x1122334455667788ull, got);
}

TEST_F(value, write_on_default_stream)
{
	ASSERT_EQ(ACL_SUCCESS, aclrtValueWrite(self->buf + 1, 7, 0, NULL));
	ASSERT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(NULL));
	EXPECT_EQ(7, self->buf[1]);
}

/* Each condition with a value that meets it and one that does not. */
static const struct cond {
	uint32_t flag;
	uint64_t operand, meets, fails;
} conds[] = {
	{ ACL_STREAM_WAIT_VALUE_GEQ, 5, 5, 4 },
	{ ACL_STREAM_WAIT_VALUE_GEQ, 5, 6, 0 },
	/* GEQ compares cyclically: (int64_t)(cur - value) >= 0 */
	{ ACL_STREAM_WAIT_VALUE_GEQ, UINT64_MAX, 1, UINT64_MAX - 1 },
	{ ACL_STREAM_WAIT_VALUE_EQ, 0x100000000ull, 0x100000000ull, 0 },
	{ ACL_STREAM_WAIT_VALUE_EQ, 3, 3, 0x300000003ull },
	{ ACL_STREAM_WAIT_VALUE_AND, 0x8000000000000000ull,
	  0x8000000000000001ull, 1 },
	{ ACL_STREAM_WAIT_VALUE_NOR, 0xfffffffffffffff0ull, 1, 0xf },
};

TEST_F(value, met_condition_passes_at_once)
{
	size_t i;

	for (i = 0; i < sizeof(conds) / sizeof(conds[0]); i++) {
		ASSERT_EQ(ACL_SUCCESS, store(self->buf, conds[i].meets));
		ASSERT_EQ(ACL_SUCCESS, aclrtValueWait(self->buf,
						      conds[i].operand,
						      conds[i].flag, self->s1));
		EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->s1))
			TH_LOG("condition %zu", i);
	}
}

/*
 * A wait whose condition fails holds back the task behind it (a host
 * function) until a write from another stream meets the condition; a
 * write that still fails it (changing only the other half) does not.
 */
TEST_F(value, unmet_condition_blocks_until_a_write_meets_it)
{
	size_t i;

	for (i = 0; i < sizeof(conds) / sizeof(conds[0]); i++) {
		const struct cond *c = &conds[i];
		char b;

		ASSERT_EQ(ACL_SUCCESS, store(self->buf, c->fails));
		ASSERT_EQ(ACL_SUCCESS, aclrtValueWait(self->buf, c->operand,
						      c->flag, self->s1));
		ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(self->s1, signal_fn,
							   &self->ran[1]));
		EXPECT_FALSE(readable_within(self->ran[0], 50))
			TH_LOG("condition %zu passed early", i);
		ASSERT_EQ(ACL_SUCCESS, aclrtValueWrite(self->buf, c->meets, 0,
						       self->s2));
		EXPECT_TRUE(readable_within(self->ran[0], 10000))
			TH_LOG("condition %zu never passed", i);
		ASSERT_EQ(1, read(self->ran[0], &b, 1));
		EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->s1));
		EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->s2));
	}
}

TEST_F(value, high_half_change_wakes_the_wait)
{
	char b;

	ASSERT_EQ(ACL_SUCCESS, aclrtValueWait(self->buf, 0x500000000ull,
					      ACL_STREAM_WAIT_VALUE_EQ,
					      self->s1));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(self->s1, signal_fn,
						   &self->ran[1]));
	ASSERT_EQ(ACL_SUCCESS, aclrtValueWrite(self->buf, 0x400000000ull, 0,
					       self->s2));
	ASSERT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->s2));
	EXPECT_FALSE(readable_within(self->ran[0], 50));
	ASSERT_EQ(ACL_SUCCESS, aclrtValueWrite(self->buf, 0x500000000ull, 0,
					       self->s2));
	EXPECT_TRUE(readable_within(self->ran[0], 10000));
	ASSERT_EQ(1, read(self->ran[0], &b, 1));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->s1));
}

TEST_F(value, plain_store_meets_the_wait)
{
	ASSERT_EQ(ACL_SUCCESS, aclrtValueWait(self->buf + 2, 9,
					      ACL_STREAM_WAIT_VALUE_EQ,
					      self->s1));
	ASSERT_EQ(ACL_SUCCESS, store(self->buf + 2, 9));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->s1));
}

TEST_F(value, wait_then_write_in_one_stream_runs_in_order)
{
	/* The write behind an unmet wait never runs: a timed sync fails. */
	ASSERT_EQ(ACL_SUCCESS, aclrtValueWait(self->buf, 1,
					      ACL_STREAM_WAIT_VALUE_EQ,
					      self->s1));
	ASSERT_EQ(ACL_SUCCESS, aclrtValueWrite(self->buf + 1, 2, 0, self->s1));
	EXPECT_EQ(ACL_ERROR_RT_STREAM_SYNC_TIMEOUT,
		  aclrtSynchronizeStreamWithTimeout(self->s1, 50));
	EXPECT_EQ(0, self->buf[1]);
	ASSERT_EQ(ACL_SUCCESS, aclrtValueWrite(self->buf, 1, 0, self->s2));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->s1));
	EXPECT_EQ(2, self->buf[1]);
}

TEST_F(value, forced_destroy_ends_a_blocked_wait)
{
	ASSERT_EQ(ACL_SUCCESS, aclrtValueWait(self->buf, 1,
					      ACL_STREAM_WAIT_VALUE_EQ,
					      self->s1));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(self->s1, signal_fn,
						   &self->ran[1]));
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyStreamForce(self->s1));
	EXPECT_FALSE(readable_within(self->ran[0], 0));
}

TEST_F(value, free_with_a_queued_wait_is_safe)
{
	ASSERT_EQ(ACL_SUCCESS, aclrtValueWait(self->buf, 1,
					      ACL_STREAM_WAIT_VALUE_EQ,
					      self->s1));
	ASSERT_EQ(ACL_SUCCESS, aclrtFree(self->buf));
	/* The task's reference keeps the word mapped until it ends. */
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyStreamForce(self->s1));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtValueWrite(self->buf, 1, 0, self->s2));
}

/*
 * Two processes through IPC memory: the child waits for 1 in word 0 and
 * answers 2 in word 1; the parent writes 1 and waits for the answer.
 */
static int value_peer(int in, int out)
{
	char key[KEY_BUF];
	aclrtStream s;
	uint64_t *p;
	int32_t pid;

	CHILD_CHECK(10, aclInit(NULL));
	CHILD_CHECK(11, aclrtSetDevice(0));
	CHILD_CHECK(12, aclrtDeviceGetBareTgid(&pid));
	if (!an_send(out, &pid, sizeof(pid)) || !an_recv(in, key, KEY_BUF))
		return 13;
	CHILD_CHECK(14, aclrtIpcMemImportByKey((void **)&p, key, 0));
	CHILD_CHECK(15, aclrtCreateStream(&s));
	CHILD_CHECK(16, aclrtValueWait(p, 1, ACL_STREAM_WAIT_VALUE_EQ, s));
	CHILD_CHECK(17, aclrtValueWrite(p + 1, 2, 0, s));
	if (!an_send(out, "q", 1))
		return 18;
	CHILD_CHECK(19, aclrtSynchronizeStream(s));
	CHILD_CHECK(20, aclrtIpcMemClose(key));
	CHILD_CHECK(21, aclFinalize());
	return 0;
}

TEST_F(value, wait_and_write_across_processes)
{
	int to_child[2], to_parent[2];
	char key[KEY_BUF], c;
	int32_t pid;
	pid_t b;

	ASSERT_EQ(0, pipe(to_child));
	ASSERT_EQ(0, pipe(to_parent));
	b = an_fork();
	ASSERT_LE(0, b);
	if (b == 0)
		_exit(value_peer(to_child[0], to_parent[1]));
	ASSERT_EQ(ACL_SUCCESS, aclrtIpcMemGetExportKey(self->buf, 4096, key,
						       KEY_BUF, 0));
	ASSERT_TRUE(an_recv(to_parent[0], &pid, sizeof(pid)));
	ASSERT_EQ(ACL_SUCCESS, aclrtIpcMemSetImportPid(key, &pid, 1));
	ASSERT_TRUE(an_send(to_child[1], key, KEY_BUF));
	/* The child queued its wait and the answer behind it. */
	ASSERT_TRUE(an_recv(to_parent[0], &c, 1));
	ASSERT_EQ(ACL_SUCCESS, aclrtValueWait(self->buf + 1, 2,
					      ACL_STREAM_WAIT_VALUE_GEQ,
					      self->s1));
	ASSERT_EQ(ACL_ERROR_RT_STREAM_SYNC_TIMEOUT,
		  aclrtSynchronizeStreamWithTimeout(self->s1, 50));
	EXPECT_EQ(0, self->buf[1]);
	ASSERT_EQ(ACL_SUCCESS, aclrtValueWrite(self->buf, 1, 0, self->s2));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->s1));
	EXPECT_EQ(2, self->buf[1]);
	EXPECT_EQ(0, an_reap(b));
	EXPECT_EQ(ACL_SUCCESS, aclrtIpcMemClose(key));
}

/* ---- rejections, each with otherwise valid arguments ---- */

TEST_F(value, null_address)
{
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtValueWrite(NULL, 1, 0, self->s1));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtValueWait(NULL, 1, ACL_STREAM_WAIT_VALUE_EQ, self->s1));
}

TEST_F(value, write_flag_must_be_zero)
{
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtValueWrite(self->buf, 1, 1, self->s1));
}

TEST_F(value, wait_flag_out_of_range)
{
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtValueWait(self->buf, 1, ACL_STREAM_WAIT_VALUE_NOR + 1,
				 self->s1));
}

TEST_F(value, unaligned_address)
{
	void *p = (char *)self->buf + 4;

	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtValueWrite(p, 1, 0, self->s1));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtValueWait(p, 1, ACL_STREAM_WAIT_VALUE_EQ, self->s1));
}

TEST_F(value, host_address)
{
	uint64_t host = 0;

	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtValueWrite(&host, 1, 0, self->s1));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtValueWait(&host, 1, ACL_STREAM_WAIT_VALUE_EQ, self->s1));
}

TEST_F(value, destroyed_stream)
{
	ASSERT_EQ(ACL_SUCCESS, aclrtDestroyStream(self->s2));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE,
		  aclrtValueWrite(self->buf, 1, 0, self->s2));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE,
		  aclrtValueWait(self->buf, 1, ACL_STREAM_WAIT_VALUE_EQ,
				 self->s2));
}

TEST_F(value, uninitialised)
{
	ASSERT_EQ(ACL_SUCCESS, aclFinalize());
	EXPECT_EQ(ACL_ERROR_UNINITIALIZE, aclrtValueWrite(self->buf, 1, 0, NULL));
	EXPECT_EQ(ACL_ERROR_UNINITIALIZE,
		  aclrtValueWait(self->buf, 1, ACL_STREAM_WAIT_VALUE_EQ, NULL));
}

TEST_HARNESS_MAIN
