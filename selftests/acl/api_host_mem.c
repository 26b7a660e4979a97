// SPDX-License-Identifier: GPL-2.0
/*
 * Host memory through the CANN API: aclrtMallocHost and
 * aclrtFreeHost, registered host ranges, managed memory, and how every
 * aclrtMemcpy kind judges its two pointers.
 */
#include "acl_test.h"
#include "kselftest_harness.h"

FIXTURE(host) {
	aclrtStream stream;
	void *dev;
};

FIXTURE_SETUP(host)
{
	ASSERT_EQ(ACL_SUCCESS, aclInit(NULL));
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(0));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtMalloc(&self->dev, 256,
					   ACL_MEM_MALLOC_HUGE_FIRST));
}

FIXTURE_TEARDOWN(host)
{
	aclrtFree(self->dev);
	aclFinalize();
}

TEST_F(host, malloc_host_rejections)
{
	void *p;

	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtMallocHost(NULL, 64));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtMallocHost(&p, 0));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtFreeHost(NULL));
	/* Only what aclrtMallocHost returned. */
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtFreeHost(&p));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtFreeHost(self->dev));
	ASSERT_EQ(ACL_SUCCESS, aclrtMallocHost(&p, 64));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtFreeHost((char *)p + 1));
	EXPECT_EQ(ACL_SUCCESS, aclrtFreeHost(p));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtFreeHost(p));
}

TEST_F(host, malloc_host_is_usable_host_memory)
{
	char *h, out[100] = { 0 };
	int i;

	ASSERT_EQ(ACL_SUCCESS, aclrtMallocHost((void **)&h, 100));
	EXPECT_EQ(0, (uintptr_t)h % 64);
	for (i = 0; i < 100; i++)
		h[i] = (char)i;
	ASSERT_EQ(ACL_SUCCESS, aclrtMemcpy(self->dev, 256, h, 100,
					   ACL_MEMCPY_HOST_TO_DEVICE));
	ASSERT_EQ(ACL_SUCCESS, aclrtMemcpy(out, 100, self->dev, 100,
					   ACL_MEMCPY_DEVICE_TO_HOST));
	EXPECT_EQ(0, memcmp(h, out, 100));
	/* Host memory is not device memory. */
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtMemcpy(h, 100, out, 100, ACL_MEMCPY_HOST_TO_DEVICE));
	EXPECT_EQ(ACL_SUCCESS, aclrtFreeHost(h));
}

/* Which pointer each kind wants where, and CANN's error otherwise. */
TEST_F(host, memcpy_kinds_judge_both_pointers)
{
	static const struct {
		aclrtMemcpyKind kind;
		bool dst_dev, src_dev;
	} kinds[] = {
		{ ACL_MEMCPY_HOST_TO_HOST, false, false },
		{ ACL_MEMCPY_HOST_TO_DEVICE, true, false },
		{ ACL_MEMCPY_DEVICE_TO_HOST, false, true },
		{ ACL_MEMCPY_DEVICE_TO_DEVICE, true, true },
	};
	char *d = self->dev, h[2][64] = { { 0 } };
	size_t i;
	int j;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		for (j = 0; j < 4; j++) {
			bool dd = j & 1, sd = j & 2;
			void *dst = dd ? d : h[0];
			void *src = sd ? d + 128 : h[1];
			aclError want = dd == kinds[i].dst_dev &&
					sd == kinds[i].src_dev ?
					ACL_SUCCESS :
					ACL_ERROR_RT_PARAM_INVALID;

			EXPECT_EQ(want, aclrtMemcpy(dst, 64, src, 64,
						    kinds[i].kind))
				TH_LOG("kind %d dst %s src %s",
				       kinds[i].kind, dd ? "dev" : "host",
				       sd ? "dev" : "host");
			/* DEFAULT takes every combination. */
			EXPECT_EQ(ACL_SUCCESS,
				  aclrtMemcpy(dst, 64, src, 64,
					      ACL_MEMCPY_DEFAULT));
		}
	}
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtMemcpy(h[0], 64, h[1], 64, (aclrtMemcpyKind)99));
}

TEST_F(host, memcpy_async_kinds_judge_both_pointers)
{
	char *d = self->dev, h[64] = "async", out[64] = { 0 };

	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtMemcpyAsync(h, 64, d, 64, ACL_MEMCPY_HOST_TO_DEVICE,
				   self->stream));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtMemcpyAsync(d, 64, d + 64, 64,
				   ACL_MEMCPY_DEVICE_TO_HOST, self->stream));
	ASSERT_EQ(ACL_SUCCESS,
		  aclrtMemcpyAsync(d, 64, h, 64, ACL_MEMCPY_HOST_TO_DEVICE,
				   self->stream));
	ASSERT_EQ(ACL_SUCCESS,
		  aclrtMemcpyAsync(out, 64, d, 64, ACL_MEMCPY_DEVICE_TO_HOST,
				   self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
	EXPECT_STREQ("async", out);
}

TEST_F(host, register_rejections)
{
	static char buf[4096];
	void *dp;

	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtHostRegister(NULL, 64, ACL_HOST_REGISTER_MAPPED, &dp));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtHostRegister(buf, 64, ACL_HOST_REGISTER_MAPPED, NULL));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtHostRegister(buf, 0, ACL_HOST_REGISTER_MAPPED, &dp));
	EXPECT_EQ(ACL_ERROR_RT_FEATURE_NOT_SUPPORT,
		  aclrtHostRegister(buf, 64, (aclrtHostRegisterType)0x1, &dp));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtHostRegisterV2(NULL, 64, ACL_HOST_REG_MAPPED));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtHostRegisterV2(buf, 0, ACL_HOST_REG_MAPPED));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtHostRegisterV2(buf, 64, 0));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtHostRegisterV2(buf, 64, ACL_HOST_REG_MAPPED | 0x1));
	/* A range that wraps around the address space. */
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtHostRegister(buf, UINT64_MAX, ACL_HOST_REGISTER_MAPPED,
				    &dp));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtHostRegisterV2(buf, UINT64_MAX, ACL_HOST_REG_MAPPED));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtHostUnregister(NULL));
	/* Nothing of the refused ones was entered. */
	EXPECT_EQ(ACL_ERROR_HOST_MEMORY_NOT_REGISTERED,
		  aclrtHostUnregister(buf));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtHostGetDevicePointer(NULL, &dp, 0));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtHostGetDevicePointer(buf, NULL, 0));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtHostGetDevicePointer(buf, &dp, 1));
	EXPECT_EQ(ACL_ERROR_HOST_MEMORY_NOT_REGISTERED,
		  aclrtHostGetDevicePointer(buf, &dp, 0));
}

TEST_F(host, register_maps_host_memory_for_the_device)
{
	static char buf[4096];
	char out[16] = { 0 };
	void *dp, *dp2;

	ASSERT_EQ(ACL_SUCCESS,
		  aclrtHostRegisterV2(buf, sizeof(buf), ACL_HOST_REG_MAPPED));
	/* Overlapping ranges are refused. */
	EXPECT_EQ(ACL_ERROR_HOST_MEMORY_ALREADY_REGISTERED,
		  aclrtHostRegisterV2(buf + 100, 10, ACL_HOST_REG_MAPPED));
	EXPECT_EQ(ACL_ERROR_HOST_MEMORY_ALREADY_REGISTERED,
		  aclrtHostRegister(buf, 1, ACL_HOST_REGISTER_MAPPED, &dp));
	ASSERT_EQ(ACL_SUCCESS, aclrtHostGetDevicePointer(buf + 10, &dp, 0));
	EXPECT_EQ((void *)(buf + 10), dp);
	/* The device side of a copy may name it; writes show on the host. */
	ASSERT_EQ(ACL_SUCCESS, aclrtMemcpy(dp, 16, "zero copy", 10,
					   ACL_MEMCPY_HOST_TO_DEVICE));
	EXPECT_STREQ("zero copy", buf + 10);
	ASSERT_EQ(ACL_SUCCESS, aclrtMemcpy(out, 16, dp, 10,
					   ACL_MEMCPY_DEVICE_TO_HOST));
	EXPECT_STREQ("zero copy", out);
	/* Not past its end. */
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtMemcpy(buf + 4090, 16, out, 16,
			      ACL_MEMCPY_HOST_TO_DEVICE));
	/* Only the start of a registration unregisters it. */
	EXPECT_EQ(ACL_ERROR_HOST_MEMORY_NOT_REGISTERED,
		  aclrtHostUnregister(buf + 10));
	ASSERT_EQ(ACL_SUCCESS, aclrtHostUnregister(buf));
	EXPECT_EQ(ACL_ERROR_HOST_MEMORY_NOT_REGISTERED,
		  aclrtHostGetDevicePointer(buf, &dp, 0));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtMemcpy(buf, 16, out, 10, ACL_MEMCPY_HOST_TO_DEVICE));
	/* The V1 call hands out the device address at once. */
	ASSERT_EQ(ACL_SUCCESS, aclrtHostRegister(buf, 64,
						 ACL_HOST_REGISTER_MAPPED,
						 &dp2));
	EXPECT_EQ((void *)buf, dp2);
	EXPECT_EQ(ACL_SUCCESS, aclrtHostUnregister(buf));
}

TEST_F(host, free_host_ends_registrations_inside)
{
	void *h, *dp;

	ASSERT_EQ(ACL_SUCCESS, aclrtMallocHost(&h, 4096));
	ASSERT_EQ(ACL_SUCCESS, aclrtHostRegisterV2(h, 4096,
						   ACL_HOST_REG_PINNED));
	ASSERT_EQ(ACL_SUCCESS, aclrtFreeHost(h));
	EXPECT_EQ(ACL_ERROR_HOST_MEMORY_NOT_REGISTERED,
		  aclrtHostGetDevicePointer(h, &dp, 0));
}

TEST_F(host, managed_memory_rejections)
{
	void *p;

	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtMemAllocManaged(NULL, 64, ACL_RT_MEM_ATTACH_GLOBAL));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtMemAllocManaged(&p, 64, 0));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtMemAllocManaged(&p, 64, 2));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtMemAllocManaged(&p, 0, ACL_RT_MEM_ATTACH_GLOBAL));
}

/* Managed memory is host and device memory at once; aclrtFree frees it. */
TEST_F(host, managed_memory_is_both)
{
	char *m, out[32] = { 0 };

	ASSERT_EQ(ACL_SUCCESS, aclrtMemAllocManaged((void **)&m, 32,
						    ACL_RT_MEM_ATTACH_GLOBAL));
	strcpy(m, "managed");
	ASSERT_EQ(ACL_SUCCESS, aclrtMemcpy(self->dev, 32, m, 32,
					   ACL_MEMCPY_HOST_TO_DEVICE));
	ASSERT_EQ(ACL_SUCCESS, aclrtMemcpy(out, 32, self->dev, 32,
					   ACL_MEMCPY_DEVICE_TO_HOST));
	EXPECT_STREQ("managed", out);
	ASSERT_EQ(ACL_SUCCESS, aclrtMemcpy(m, 32, "both", 5,
					   ACL_MEMCPY_HOST_TO_DEVICE));
	EXPECT_STREQ("both", m);
	ASSERT_EQ(ACL_SUCCESS, aclrtMemcpy(m, 32, "host", 5,
					   ACL_MEMCPY_HOST_TO_HOST));
	EXPECT_STREQ("host", m);
	EXPECT_EQ(ACL_SUCCESS, aclrtFree(m));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtFree(m));
}

TEST_F(host, need_init)
{
	void *p;

	aclFinalize();
	EXPECT_EQ(ACL_ERROR_UNINITIALIZE, aclrtMallocHost(&p, 64));
	EXPECT_EQ(ACL_ERROR_UNINITIALIZE,
		  aclrtHostRegisterV2(&p, 8, ACL_HOST_REG_MAPPED));
	ASSERT_EQ(ACL_SUCCESS, aclInit(NULL));
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(0));
	ASSERT_EQ(ACL_SUCCESS, aclrtMalloc(&self->dev, 256,
					   ACL_MEM_MALLOC_HUGE_FIRST));
}

TEST_HARNESS_MAIN
