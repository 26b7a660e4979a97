// SPDX-License-Identifier: GPL-2.0
/*
 * Emulated device memory through the CANN API: aclrtMalloc's sizes and
 * alignment, argument checks of every call, device pointers validated
 * against live allocations (use after free included), per-device
 * accounting, and async copies and fills in stream order.
 */
#include "acl_test.h"
#include "kselftest_harness.h"

FIXTURE(mem) {
	aclrtStream stream;
};

FIXTURE_SETUP(mem)
{
	ASSERT_EQ(ACL_SUCCESS, aclInit(NULL));
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(0));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&self->stream));
}

FIXTURE_TEARDOWN(mem)
{
	aclFinalize();
}

TEST_F(mem, malloc_alignment_and_usable_size)
{
	static const size_t sizes[] = { 1, 31, 32, 33, 4000, 4096, 70000 };
	unsigned char *p;
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t usable = (sizes[i] + 31) / 32 * 32 + 32;

		ASSERT_EQ(ACL_SUCCESS, aclrtMalloc((void **)&p, sizes[i],
						   ACL_MEM_MALLOC_HUGE_FIRST));
		EXPECT_EQ(0, (uintptr_t)p % 64);
		/* CANN's rounding: up to 32, plus 32 bytes. */
		EXPECT_EQ(ACL_SUCCESS, aclrtMemset(p, usable, 0x5a, usable));
		EXPECT_EQ(0x5a, p[usable - 1]);
		EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
			  aclrtMemset(p, usable + 1, 0, usable + 1));
		EXPECT_EQ(ACL_SUCCESS, aclrtFree(p));
	}
}

TEST_F(mem, malloc_arguments)
{
	void *p;

	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtMalloc(NULL, 64, ACL_MEM_MALLOC_HUGE_FIRST));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtMalloc(&p, 0, ACL_MEM_MALLOC_HUGE_FIRST));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtMalloc(&p, SIZE_MAX, ACL_MEM_MALLOC_HUGE_FIRST));
	/* More than the device has. */
	EXPECT_EQ(ACL_ERROR_RT_MEMORY_ALLOCATION,
		  aclrtMalloc(&p, (size_t)1 << 46, ACL_MEM_MALLOC_NORMAL_ONLY));
	/* CANN: a policy outside the enum is taken as the default. */
	ASSERT_EQ(ACL_SUCCESS, aclrtMalloc(&p, 64, (aclrtMemMallocPolicy)77));
	EXPECT_EQ(ACL_SUCCESS, aclrtFree(p));
	ASSERT_EQ(ACL_SUCCESS, aclrtMalloc(&p, 64, ACL_MEM_MALLOC_HUGE1G_ONLY));
	/* No 32-byte padding for 1 GB pages: 64 usable bytes exactly. */
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtMemset(p, 65, 0, 65));
	EXPECT_EQ(ACL_SUCCESS, aclrtMemset(p, 64, 0, 64));
	EXPECT_EQ(ACL_SUCCESS, aclrtFree(p));
}

TEST_F(mem, no_current_device_and_uninitialised)
{
	size_t fr, tot;
	void *p;

	ASSERT_EQ(ACL_SUCCESS, aclrtResetDeviceForce(0));
	EXPECT_EQ(ACL_ERROR_RT_CONTEXT_NULL,
		  aclrtMalloc(&p, 64, ACL_MEM_MALLOC_HUGE_FIRST));
	EXPECT_EQ(ACL_ERROR_RT_CONTEXT_NULL,
		  aclrtGetMemInfo(ACL_HBM_MEM, &fr, &tot));
	ASSERT_EQ(ACL_SUCCESS, aclFinalize());
	EXPECT_EQ(ACL_ERROR_UNINITIALIZE,
		  aclrtMalloc(&p, 64, ACL_MEM_MALLOC_HUGE_FIRST));
	EXPECT_EQ(ACL_ERROR_UNINITIALIZE, aclrtFree(&p));
	ASSERT_EQ(ACL_SUCCESS, aclInit(NULL));
}

TEST_F(mem, free_arguments_and_use_after_free)
{
	char host[256] = { 0 };
	char *p;

	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtFree(NULL));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtFree(host));
	ASSERT_EQ(ACL_SUCCESS, aclrtMalloc((void **)&p, 128,
					   ACL_MEM_MALLOC_HUGE_FIRST));
	/* Not the start of the allocation. */
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtFree(p + 1));
	ASSERT_EQ(ACL_SUCCESS, aclrtFree(p));
	/* Every use of the freed pointer is refused, nothing is touched. */
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtFree(p));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtMemset(p, 16, 1, 16));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtMemcpy(p, 16, host, 16, ACL_MEMCPY_HOST_TO_DEVICE));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtMemcpy(host, 16, p, 16, ACL_MEMCPY_DEVICE_TO_HOST));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtMemcpyAsync(p, 16, host, 16, ACL_MEMCPY_HOST_TO_DEVICE,
				   self->stream));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtMemsetAsync(p, 16, 0, 16, self->stream));
}

TEST_F(mem, memcpy_arguments)
{
	char host[256] = { 0 };
	char *d, *e;

	ASSERT_EQ(ACL_SUCCESS, aclrtMalloc((void **)&d, 64,
					   ACL_MEM_MALLOC_HUGE_FIRST));
	ASSERT_EQ(ACL_SUCCESS, aclrtMalloc((void **)&e, 64,
					   ACL_MEM_MALLOC_HUGE_FIRST));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtMemcpy(NULL, 16, host, 16, ACL_MEMCPY_HOST_TO_DEVICE));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtMemcpy(d, 16, NULL, 16, ACL_MEMCPY_HOST_TO_DEVICE));
	/* A kind aclrtMemcpyKind does not name. */
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtMemcpy(d, 16, e, 16, (aclrtMemcpyKind)99));
	/* destMax < count. */
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtMemcpy(d, 8, host, 16, ACL_MEMCPY_HOST_TO_DEVICE));
	/* The device side named by the kind must be device memory. */
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtMemcpy(host, 16, d, 16, ACL_MEMCPY_HOST_TO_DEVICE));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtMemcpy(d, 16, host, 16, ACL_MEMCPY_DEVICE_TO_HOST));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtMemcpy(d, 16, host, 16, ACL_MEMCPY_DEVICE_TO_DEVICE));
	/* Ranges running past an allocation's end (usable size 96). */
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtMemcpy(d + 90, 200, host, 7, ACL_MEMCPY_HOST_TO_DEVICE));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtMemcpy(host, 256, e + 1, 96, ACL_MEMCPY_DEVICE_TO_HOST));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtMemcpy(d, 200, e, 97, ACL_MEMCPY_DEFAULT));
	/* Fits exactly. */
	EXPECT_EQ(ACL_SUCCESS,
		  aclrtMemcpy(d + 90, 6, host, 6, ACL_MEMCPY_HOST_TO_DEVICE));
	/* Zero bytes copy nothing and succeed. */
	EXPECT_EQ(ACL_SUCCESS,
		  aclrtMemcpy(d, 0, host, 0, ACL_MEMCPY_HOST_TO_DEVICE));
	EXPECT_EQ(ACL_SUCCESS, aclrtFree(d));
	EXPECT_EQ(ACL_SUCCESS, aclrtFree(e));
}

TEST_F(mem, memcpy_and_memset_move_bytes)
{
	char in[64], out[64];
	char *d, *e;
	int i;

	for (i = 0; i < 64; i++)
		in[i] = (char)i;
	ASSERT_EQ(ACL_SUCCESS, aclrtMalloc((void **)&d, 64,
					   ACL_MEM_MALLOC_HUGE_FIRST));
	ASSERT_EQ(ACL_SUCCESS, aclrtMalloc((void **)&e, 64,
					   ACL_MEM_MALLOC_HUGE_FIRST));
	ASSERT_EQ(ACL_SUCCESS, aclrtMemcpy(d, 64, in, 64,
					   ACL_MEMCPY_HOST_TO_DEVICE));
	ASSERT_EQ(ACL_SUCCESS, aclrtMemcpy(e, 64, d, 64,
					   ACL_MEMCPY_DEVICE_TO_DEVICE));
	ASSERT_EQ(ACL_SUCCESS, aclrtMemcpy(out, 64, e, 64,
					   ACL_MEMCPY_DEVICE_TO_HOST));
	EXPECT_EQ(0, memcmp(in, out, 64));
	ASSERT_EQ(ACL_SUCCESS, aclrtMemset(e, 64, 0x1ff, 32));
	ASSERT_EQ(ACL_SUCCESS, aclrtMemcpy(out, 64, e, 64, ACL_MEMCPY_DEFAULT));
	EXPECT_EQ((char)0xff, out[0]);
	EXPECT_EQ((char)0xff, out[31]);
	EXPECT_EQ(32, out[32]);
	/* Memset arguments. */
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtMemset(NULL, 8, 0, 8));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtMemset(d, 4, 0, 8));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtMemset(out, 8, 0, 8));
	EXPECT_EQ(ACL_SUCCESS, aclrtFree(d));
	EXPECT_EQ(ACL_SUCCESS, aclrtFree(e));
}

/*
 * The two device-to-device kinds CANN declares (within a device, between
 * devices) are not kinds aclrtMemcpy takes: CANN refuses them with
 * ACL_ERROR_INVALID_PARAM (src/acl/aclrt_impl/memory.cpp,
 * MemcpyKindTranslate; docs/zh/dev_guide/02-01_data_copy.md says to pass
 * ACL_MEMCPY_DEVICE_TO_DEVICE for both), and so does the library.
 */
TEST_F(mem, inner_and_inter_device_kinds_are_refused)
{
	static const aclrtMemcpyKind kinds[] = {
		ACL_MEMCPY_INNER_DEVICE_TO_DEVICE,
		ACL_MEMCPY_INTER_DEVICE_TO_DEVICE,
	};
	char *d, *e;
	size_t i;

	ASSERT_EQ(ACL_SUCCESS, aclrtMalloc((void **)&d, 64,
					   ACL_MEM_MALLOC_HUGE_FIRST));
	ASSERT_EQ(ACL_SUCCESS, aclrtMalloc((void **)&e, 64,
					   ACL_MEM_MALLOC_HUGE_FIRST));
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
			  aclrtMemcpy(e, 64, d, 64, kinds[i]));
		EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
			  aclrtMemcpyAsync(e, 64, d, 64, kinds[i], NULL));
	}
	EXPECT_EQ(ACL_SUCCESS, aclrtFree(d));
	EXPECT_EQ(ACL_SUCCESS, aclrtFree(e));
}

TEST_F(mem, get_mem_info_accounts_per_device)
{
	size_t fr0, tot0, fr1, tot1, fr, tot;
	void *p;

	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtGetMemInfo(ACL_HBM_MEM, NULL, &tot0));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtGetMemInfo(ACL_HBM_MEM, &fr0, NULL));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtGetMemInfo((aclrtMemAttr)99, &fr0, &tot0));
	ASSERT_EQ(ACL_SUCCESS, aclrtGetMemInfo(ACL_HBM_MEM, &fr0, &tot0));
	ASSERT_EQ(ACL_SUCCESS, aclrtGetMemInfo(ACL_DDR_MEM, &fr, &tot));
	EXPECT_EQ(tot0, tot);
	EXPECT_LT(0, tot0);
	EXPECT_GE(tot0, fr0);
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(1));
	ASSERT_EQ(ACL_SUCCESS, aclrtGetMemInfo(ACL_HBM_MEM, &fr1, &tot1));
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(0));

	ASSERT_EQ(ACL_SUCCESS, aclrtMalloc(&p, 1 << 20,
					   ACL_MEM_MALLOC_HUGE_FIRST));
	ASSERT_EQ(ACL_SUCCESS, aclrtGetMemInfo(ACL_HBM_MEM, &fr, &tot));
	EXPECT_GE(fr0 - (1 << 20), fr);
	/* Device 1 is not charged. */
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(1));
	ASSERT_EQ(ACL_SUCCESS, aclrtGetMemInfo(ACL_HBM_MEM, &fr, &tot));
	EXPECT_EQ(fr1, fr);
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(0));
	ASSERT_EQ(ACL_SUCCESS, aclrtFree(p));
	ASSERT_EQ(ACL_SUCCESS, aclrtGetMemInfo(ACL_HBM_MEM, &fr, &tot));
	EXPECT_EQ(fr0, fr);
}

/* Host functions record what they saw in device memory. */
struct peek {
	const unsigned char *p;
	unsigned char seen[4];
	int n;
};

static void peek_fn(void *arg)
{
	struct peek *k = arg;

	k->seen[k->n++] = k->p[0];
}

TEST_F(mem, async_copies_and_fills_run_in_stream_order)
{
	unsigned char host[32], out[32] = { 0 };
	struct peek k = { 0 };
	aclrtStreamStatus st;
	unsigned char *d;
	int gate[2];

	ASSERT_EQ(0, pipe(gate));
	memset(host, 7, sizeof(host));
	ASSERT_EQ(ACL_SUCCESS, aclrtMalloc((void **)&d, 32,
					   ACL_MEM_MALLOC_HUGE_FIRST));
	k.p = d;
	ASSERT_EQ(ACL_SUCCESS, aclrtMemset(d, 32, 0, 32));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(self->stream, block_fn,
						   &gate[0]));
	ASSERT_EQ(ACL_SUCCESS, aclrtMemsetAsync(d, 32, 3, 32, self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(self->stream, peek_fn, &k));
	ASSERT_EQ(ACL_SUCCESS, aclrtMemcpyAsync(d, 32, host, 32,
						ACL_MEMCPY_HOST_TO_DEVICE,
						self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(self->stream, peek_fn, &k));
	ASSERT_EQ(ACL_SUCCESS, aclrtMemcpyAsync(out, 32, d, 32,
						ACL_MEMCPY_DEVICE_TO_HOST,
						self->stream));
	/* Nothing ran yet: the stream is held by the first host function. */
	ASSERT_EQ(ACL_SUCCESS, aclrtStreamQuery(self->stream, &st));
	EXPECT_EQ(ACL_STREAM_STATUS_NOT_READY, st);
	EXPECT_EQ(0, d[0]);
	EXPECT_EQ(1, write(gate[1], "x", 1));
	ASSERT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
	EXPECT_EQ(2, k.n);
	EXPECT_EQ(3, k.seen[0]);
	EXPECT_EQ(7, k.seen[1]);
	EXPECT_EQ(7, out[31]);
	EXPECT_EQ(ACL_SUCCESS, aclrtFree(d));
	close(gate[0]);
	close(gate[1]);
}

TEST_F(mem, async_arguments)
{
	char host[64];
	aclrtStream other;
	char *d;

	ASSERT_EQ(ACL_SUCCESS, aclrtMalloc((void **)&d, 64,
					   ACL_MEM_MALLOC_HUGE_FIRST));
	EXPECT_EQ(ACL_ERROR_RT_FEATURE_NOT_SUPPORT,
		  aclrtMemcpyAsync(host, 64, host, 64, ACL_MEMCPY_HOST_TO_HOST,
				   self->stream));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtMemcpyAsync(d, 64, NULL, 64, ACL_MEMCPY_HOST_TO_DEVICE,
				   self->stream));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtMemcpyAsync(d, 32, host, 64, ACL_MEMCPY_HOST_TO_DEVICE,
				   self->stream));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtMemsetAsync(NULL, 64, 0, 64, self->stream));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtMemsetAsync(d, 8, 0, 64, self->stream));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtMemsetAsync(d + 64, 64, 0, 64, self->stream));
	/* A stream of another device. */
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(1));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&other));
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(0));
	EXPECT_EQ(ACL_ERROR_RT_STREAM_CONTEXT,
		  aclrtMemsetAsync(d, 64, 0, 64, other));
	EXPECT_EQ(ACL_SUCCESS, aclrtFree(d));
}

/* Memory freed while queued work still uses it: the work completes. */
TEST_F(mem, free_with_queued_work_is_safe)
{
	unsigned char out[16] = { 0 };
	unsigned char *d;
	int gate[2];

	ASSERT_EQ(0, pipe(gate));
	ASSERT_EQ(ACL_SUCCESS, aclrtMalloc((void **)&d, 16,
					   ACL_MEM_MALLOC_HUGE_FIRST));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(self->stream, block_fn,
						   &gate[0]));
	ASSERT_EQ(ACL_SUCCESS, aclrtMemsetAsync(d, 16, 9, 16, self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtMemcpyAsync(out, 16, d, 16,
						ACL_MEMCPY_DEVICE_TO_HOST,
						self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtFree(d));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtMemset(d, 16, 0, 16));
	EXPECT_EQ(1, write(gate[1], "x", 1));
	ASSERT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
	EXPECT_EQ(9, out[15]);
	close(gate[0]);
	close(gate[1]);
}

TEST_F(mem, forked_child_does_not_inherit_allocations)
{
	char *d;
	pid_t c;

	ASSERT_EQ(ACL_SUCCESS, aclrtMalloc((void **)&d, 64,
					   ACL_MEM_MALLOC_HUGE_FIRST));
	c = an_fork();
	ASSERT_LE(0, c);
	if (c == 0) {
		CHILD_CHECK(10, aclInit(NULL));
		if (aclrtMemset(d, 64, 0, 64) != ACL_ERROR_RT_PARAM_INVALID)
			_exit(11);
		if (aclrtFree(d) != ACL_ERROR_RT_PARAM_INVALID)
			_exit(12);
		_exit(0);
	}
	EXPECT_EQ(0, an_reap(c));
	EXPECT_EQ(ACL_SUCCESS, aclrtMemset(d, 64, 1, 64));
	EXPECT_EQ(ACL_SUCCESS, aclrtFree(d));
}

TEST_HARNESS_MAIN
