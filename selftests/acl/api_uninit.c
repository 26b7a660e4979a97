// SPDX-License-Identifier: GPL-2.0
/*
 * Every call refuses to work before aclInit and after aclFinalize: with
 * arguments that are otherwise valid, the result is ACL_ERROR_UNINITIALIZE
 * (100001), nothing is created and no output is written. CANN's
 * reference lists 100001 for the runtime calls that need aclInit.
 */
#include "acl_test.h"
#include "kselftest_harness.h"

#define GUARD ((void *)(uintptr_t)0x5a5a5a5a)

FIXTURE(uninit) {
	char buf[4096];
	void *out;		/* an output the calls must not write */
};

FIXTURE_VARIANT(uninit) {
	bool finalized;		/* initialised once, then finalized */
};

FIXTURE_VARIANT_ADD(uninit, never_initialised) {
	.finalized = false,
};

FIXTURE_VARIANT_ADD(uninit, finalized) {
	.finalized = true,
};

FIXTURE_SETUP(uninit)
{
	if (variant->finalized) {
		ASSERT_EQ(ACL_SUCCESS, aclInit(NULL));
		ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(0));
		ASSERT_EQ(ACL_SUCCESS, aclFinalize());
	}
	self->out = GUARD;
}

FIXTURE_TEARDOWN(uninit)
{
}

TEST_F(uninit, memory)
{
	char key[KEY_BUF];
	size_t free_b = 1, total = 1;
	int32_t pid = getpid();

	EXPECT_EQ(ACL_ERROR_UNINITIALIZE,
		  aclrtMemset(self->buf, sizeof(self->buf), 0, 64));
	EXPECT_EQ(ACL_ERROR_UNINITIALIZE,
		  aclrtMemAllocManaged(&self->out, 64,
				       ACL_RT_MEM_ATTACH_GLOBAL));
	EXPECT_EQ(ACL_ERROR_UNINITIALIZE,
		  aclrtGetMemInfo(ACL_HBM_MEM, &free_b, &total));
	EXPECT_EQ(1, free_b);
	EXPECT_EQ(1, total);
	EXPECT_EQ(ACL_ERROR_UNINITIALIZE,
		  aclrtHostGetDevicePointer(self->buf, &self->out, 0));
	EXPECT_EQ(ACL_ERROR_UNINITIALIZE,
		  aclrtIpcMemGetExportKey(self->buf, 64, key, sizeof(key), 0));
	EXPECT_EQ(ACL_ERROR_UNINITIALIZE,
		  aclrtIpcMemSetImportPid("k", &pid, 1));
	EXPECT_EQ(ACL_ERROR_UNINITIALIZE,
		  aclrtIpcMemImportByKey(&self->out, "k", 0));
	EXPECT_EQ(GUARD, self->out);
}

TEST_F(uninit, virtual_memory)
{
	aclrtMemAccessDesc desc = {
		.flags = ACL_RT_MEM_ACCESS_FLAGS_READ,
		.location = { .id = 0, .type = ACL_MEM_LOCATION_TYPE_DEVICE },
	};
	aclrtMemLocation loc = { .id = 7 };
	uint64_t flag = 7, share = 7;
	int32_t pid = getpid();

	EXPECT_EQ(ACL_ERROR_UNINITIALIZE,
		  aclrtReserveMemAddress(&self->out, 2 << 20, 0, NULL, 0));
	EXPECT_EQ(ACL_ERROR_UNINITIALIZE,
		  aclrtMapMem(self->buf, 2 << 20, 0, GUARD, 0));
	EXPECT_EQ(ACL_ERROR_UNINITIALIZE,
		  aclrtMemSetAccess(self->buf, 2 << 20, &desc, 1));
	EXPECT_EQ(ACL_ERROR_UNINITIALIZE,
		  aclrtMemGetAccess(self->buf, &loc, &flag));
	EXPECT_EQ(7, loc.id);
	EXPECT_EQ(7, flag);
	EXPECT_EQ(ACL_ERROR_UNINITIALIZE,
		  aclrtMemExportToShareableHandleV2(GUARD, 0,
						    ACL_MEM_SHARE_HANDLE_TYPE_DEFAULT,
						    &share));
	EXPECT_EQ(7, share);
	EXPECT_EQ(ACL_ERROR_UNINITIALIZE,
		  aclrtMemSetPidToShareableHandle(share, &pid, 1));
	EXPECT_EQ(ACL_ERROR_UNINITIALIZE,
		  aclrtMemImportFromShareableHandleV2(&share,
						      ACL_MEM_SHARE_HANDLE_TYPE_DEFAULT,
						      0, &self->out));
	EXPECT_EQ(GUARD, self->out);
}

TEST_F(uninit, streams_events_devices)
{
	atomic_int ran = 0;

	EXPECT_EQ(ACL_ERROR_UNINITIALIZE, aclrtCreateEvent(&self->out));
	EXPECT_EQ(GUARD, self->out);
	EXPECT_EQ(ACL_ERROR_UNINITIALIZE, aclrtDestroyEvent(GUARD));
	EXPECT_EQ(ACL_ERROR_UNINITIALIZE, aclrtDestroyStream(GUARD));
	EXPECT_EQ(ACL_ERROR_UNINITIALIZE,
		  aclrtSynchronizeStreamWithTimeout(NULL, -1));
	EXPECT_EQ(ACL_ERROR_UNINITIALIZE,
		  aclrtLaunchHostFunc(NULL, count_fn, &ran));
	EXPECT_EQ(ACL_ERROR_UNINITIALIZE, aclrtSynchronizeDevice());
	EXPECT_EQ(ACL_ERROR_UNINITIALIZE, aclrtDeviceEnablePeerAccess(1, 0));
	EXPECT_EQ(ACL_ERROR_UNINITIALIZE, aclrtDeviceDisablePeerAccess(1));
	EXPECT_EQ(0, atomic_load(&ran));
}

TEST_HARNESS_MAIN
