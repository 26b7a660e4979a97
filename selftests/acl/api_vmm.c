// SPDX-License-Identifier: GPL-2.0
/*
 * CANN's virtual memory management API in one process: granularity,
 * physical allocations, reservations, mappings as device memory, access
 * descriptors, and every documented rejection of an otherwise valid call.
 * Sharing between processes is api_vmm_share.c.
 */
#include "acl_test.h"
#include "kselftest_harness.h"

#define GRAN	((size_t)2 << 20)

FIXTURE(vmm) {
	aclrtPhysicalMemProp prop;
	aclrtDrvMemHandle h;		/* GRAN bytes on device 0 */
	void *va;			/* 2 * GRAN reserved */
};

FIXTURE_SETUP(vmm)
{
	ASSERT_EQ(ACL_SUCCESS, aclInit(NULL));
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(0));
	self->prop.handleType = ACL_MEM_HANDLE_TYPE_NONE;
	self->prop.allocationType = ACL_MEM_ALLOCATION_TYPE_PINNED;
	self->prop.memAttr = ACL_HBM_MEM_NORMAL;
	self->prop.location.type = ACL_MEM_LOCATION_TYPE_DEVICE;
	self->prop.location.id = 0;
	ASSERT_EQ(ACL_SUCCESS, aclrtMallocPhysical(&self->h, GRAN, &self->prop,
						   0));
	ASSERT_EQ(ACL_SUCCESS, aclrtReserveMemAddress(&self->va, 2 * GRAN, 0,
						      NULL, 0));
}

FIXTURE_TEARDOWN(vmm)
{
	struct an_stats st;

	aclrtUnmapMem(self->va);
	aclrtUnmapMem((char *)self->va + GRAN);
	aclrtReleaseMemAddress(self->va);
	aclrtFreePhysical(self->h);
	EXPECT_EQ(ACL_SUCCESS, aclFinalize());
	ASSERT_TRUE(module_stats(&st));
	EXPECT_EQ(0, st.objects + st.handles + st.keys);
}

TEST_F(vmm, granularity)
{
	aclrtPhysicalMemProp p = self->prop;
	size_t g = 0;

	EXPECT_EQ(ACL_SUCCESS, aclrtMemGetAllocationGranularity(&p,
		  ACL_RT_MEM_ALLOC_GRANULARITY_MINIMUM, &g));
	EXPECT_EQ(GRAN, g);
	EXPECT_EQ(ACL_SUCCESS, aclrtMemGetAllocationGranularity(&p,
		  ACL_RT_MEM_ALLOC_GRANULARITY_RECOMMENDED, &g));
	EXPECT_EQ(GRAN, g);
	p.memAttr = ACL_HBM_MEM_HUGE1G;
	EXPECT_EQ(ACL_SUCCESS, aclrtMemGetAllocationGranularity(&p,
		  ACL_RT_MEM_ALLOC_GRANULARITY_MINIMUM, &g));
	EXPECT_EQ((size_t)1 << 30, g);
}

/* One rejection per row: the fixture's property with one field changed. */
struct prop_case {
	const char *what;
	void (*change)(aclrtPhysicalMemProp *p);
	aclError granularity;		/* aclrtMemGetAllocationGranularity */
	aclError malloc;		/* aclrtMallocPhysical */
};

static void ddr_on_device(aclrtPhysicalMemProp *p) { p->memAttr = ACL_DDR_MEM_HUGE; }
static void plain_hbm(aclrtPhysicalMemProp *p) { p->memAttr = ACL_HBM_MEM; }
static void hbm_p2p(aclrtPhysicalMemProp *p) { p->memAttr = ACL_HBM_MEM_P2P_HUGE; }
static void unknown_attr(aclrtPhysicalMemProp *p) { p->memAttr = (aclrtMemAttr)99; }
static void managed(aclrtPhysicalMemProp *p) { p->location.type = ACL_MEM_LOCATION_TYPE_MANAGED; }
static void no_device(aclrtPhysicalMemProp *p) { p->location.id = 999; }
static void posix(aclrtPhysicalMemProp *p) { p->handleType = ACL_MEM_HANDLE_TYPE_POSIX; }
static void not_pinned(aclrtPhysicalMemProp *p) { p->allocationType = (aclrtMemAllocationType)1; }
static void host(aclrtPhysicalMemProp *p)
{
	p->location.type = ACL_MEM_LOCATION_TYPE_HOST;
	p->memAttr = ACL_DDR_MEM_HUGE;
}
static void huge1g(aclrtPhysicalMemProp *p) { p->memAttr = ACL_MEM_HUGE1G; }

static const struct prop_case prop_cases[] = {
	{ "DDR attribute on a device", ddr_on_device, 100000, 100000 },
	{ "ACL_HBM_MEM", plain_hbm, 100000, 100000 },
	{ "ACL_HBM_MEM_P2P_HUGE", hbm_p2p, 100000, 100000 },
	{ "unknown attribute", unknown_attr, 100000, 100000 },
	{ "MANAGED location", managed, 100000, 100000 },
	{ "no such device", no_device, 107001, 107001 },
	{ "POSIX handle type", posix, ACL_SUCCESS, 100000 },
	{ "allocation type 1", not_pinned, ACL_SUCCESS, 100000 },
	{ "host memory", host, ACL_SUCCESS, 207000 },
	{ "1 GiB pages", huge1g, ACL_SUCCESS, 207000 },
};

TEST_F(vmm, property_rejections)
{
	aclrtDrvMemHandle h;
	size_t i, g;

	for (i = 0; i < ARRAY_SIZE(prop_cases); i++) {
		aclrtPhysicalMemProp p = self->prop;

		prop_cases[i].change(&p);
		EXPECT_EQ(prop_cases[i].granularity,
			  aclrtMemGetAllocationGranularity(&p,
				ACL_RT_MEM_ALLOC_GRANULARITY_MINIMUM, &g))
			TH_LOG("%s", prop_cases[i].what);
		h = NULL;
		EXPECT_EQ(prop_cases[i].malloc,
			  aclrtMallocPhysical(&h, GRAN, &p, 0))
			TH_LOG("%s", prop_cases[i].what);
		if (h)
			aclrtFreePhysical(h);
	}
}

TEST_F(vmm, granularity_rejections)
{
	size_t g;

	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtMemGetAllocationGranularity(
		  NULL, ACL_RT_MEM_ALLOC_GRANULARITY_MINIMUM, &g));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtMemGetAllocationGranularity(
		  &self->prop, ACL_RT_MEM_ALLOC_GRANULARITY_MINIMUM, NULL));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtMemGetAllocationGranularity(
		  &self->prop, ACL_RT_MEM_ALLOC_GRANULARITY_UNDEF, &g));
}

TEST_F(vmm, malloc_rejections)
{
	aclrtDrvMemHandle h;

	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtMallocPhysical(NULL, GRAN, &self->prop, 0));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtMallocPhysical(&h, GRAN, NULL, 0));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtMallocPhysical(&h, 0, &self->prop, 0));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtMallocPhysical(&h, GRAN, &self->prop, 1));
	/* The driver's "size must be aligned by 2M". */
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtMallocPhysical(&h, 4096, &self->prop, 0));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtMallocPhysical(&h, GRAN + 4096, &self->prop, 0));
	/* More than the device has (mem_mb, 1 GiB by default). */
	EXPECT_EQ(ACL_ERROR_RT_MEMORY_ALLOCATION,
		  aclrtMallocPhysical(&h, (size_t)1 << 40, &self->prop, 0));
}

TEST_F(vmm, free_rejections)
{
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtFreePhysical(NULL));
	EXPECT_EQ(ACL_SUCCESS, aclrtFreePhysical(self->h));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE, aclrtFreePhysical(self->h));
	/* Neither a pointer nor a stream passes for a handle. */
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE, aclrtFreePhysical(self->va));
}

TEST_F(vmm, reserve_rejections)
{
	void *p;

	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtReserveMemAddress(NULL, GRAN, 0, NULL, 0));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtReserveMemAddress(&p, 0, 0, NULL, 0));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtReserveMemAddress(&p, GRAN, 0, NULL, 2));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtReserveMemAddress(&p, 4096, 0, NULL, 0));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtReserveMemAddress(&p, GRAN, 3 * GRAN, NULL, 0));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtReserveMemAddress(&p, GRAN, 0, (char *)self->va + 4096,
					 0));
	/* Taken addresses: the fixture's reservation. */
	EXPECT_EQ(ACL_ERROR_RT_MEMORY_ALLOCATION,
		  aclrtReserveMemAddress(&p, GRAN, 0, self->va, 0));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtReleaseMemAddress(NULL));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtReleaseMemAddress((char *)self->va + GRAN));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtReleaseMemAddress(&p));
}

TEST_F(vmm, reserve_where_asked)
{
	void *p, *want;

	/* Free addresses: where the fixture's range was. */
	want = self->va;
	ASSERT_EQ(ACL_SUCCESS, aclrtReleaseMemAddress(self->va));
	ASSERT_EQ(ACL_SUCCESS, aclrtReserveMemAddress(&p, GRAN, 1 << 30, NULL,
						      1));
	EXPECT_EQ(0, (uintptr_t)p % (1 << 30));
	EXPECT_EQ(ACL_SUCCESS, aclrtReleaseMemAddress(p));
	ASSERT_EQ(ACL_SUCCESS, aclrtReserveMemAddress(&self->va, 2 * GRAN, 0,
						      want, 0));
	EXPECT_EQ(want, self->va);
}

TEST_F(vmm, map_rejections)
{
	char *va = self->va;
	aclrtDrvMemHandle big;

	ASSERT_EQ(ACL_SUCCESS, aclrtMallocPhysical(&big, 2 * GRAN, &self->prop,
						   0));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtMapMem(NULL, GRAN, 0, self->h, 0));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtMapMem(va, GRAN, 0, NULL, 0));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtMapMem(va, 0, 0, self->h, 0));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtMapMem(va, GRAN, 0, self->h, 1));
	/* size must be the allocation's; offset 0; 2 MiB aligned. */
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtMapMem(va, GRAN, 0, big, 0));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtMapMem(va, GRAN, 4096, self->h, 0));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtMapMem(va + 4096, GRAN, 0, self->h, 0));
	/* Not (wholly) inside a reservation. */
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtMapMem(va + GRAN, 2 * GRAN, 0, big, 0));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtMapMem(va + 4 * GRAN, GRAN, 0, self->h, 0));
	/* Overlap. */
	ASSERT_EQ(ACL_SUCCESS, aclrtMapMem(va + GRAN, GRAN, 0, self->h, 0));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtMapMem(va, 2 * GRAN, 0, big, 0));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtMapMem(va + GRAN, GRAN, 0, self->h, 0));
	/* Release needs the unmap; unmap needs a mapping's start. */
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtReleaseMemAddress(va));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtUnmapMem(NULL));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtUnmapMem(va));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtUnmapMem(va + GRAN + 4096));
	EXPECT_EQ(ACL_SUCCESS, aclrtUnmapMem(va + GRAN));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtUnmapMem(va + GRAN));
	/* A freed handle maps nothing. */
	ASSERT_EQ(ACL_SUCCESS, aclrtFreePhysical(big));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE,
		  aclrtMapMem(va, 2 * GRAN, 0, big, 0));
}

/* A mapped range is device memory for copies and fills, and only then. */
TEST_F(vmm, mapped_is_device_memory)
{
	char *va = self->va;
	uint32_t host[4] = { 1, 2, 3, 4 }, back[4] = { 0 };
	aclrtStream s;

	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtMemcpy(va, 16, host, 16, ACL_MEMCPY_HOST_TO_DEVICE));
	ASSERT_EQ(ACL_SUCCESS, aclrtMapMem(va, GRAN, 0, self->h, 0));
	EXPECT_EQ(ACL_SUCCESS, aclrtMemset(va, GRAN, 0, GRAN));
	EXPECT_EQ(ACL_SUCCESS,
		  aclrtMemcpy(va + GRAN - 16, 16, host, 16,
			      ACL_MEMCPY_HOST_TO_DEVICE));
	EXPECT_EQ(ACL_SUCCESS,
		  aclrtMemcpy(back, 16, va + GRAN - 16, 16,
			      ACL_MEMCPY_DEVICE_TO_HOST));
	EXPECT_EQ(0, memcmp(host, back, 16));
	/* Past the mapping's end. */
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtMemcpy(va + GRAN - 8, 16, host, 16,
			      ACL_MEMCPY_HOST_TO_DEVICE));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&s));
	EXPECT_EQ(ACL_SUCCESS,
		  aclrtMemcpyAsync(va, 16, host + 1, 12,
				   ACL_MEMCPY_HOST_TO_DEVICE, s));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(s));
	EXPECT_EQ(2u, ((uint32_t *)va)[0]);
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyStream(s));
	/* aclrtFree is for aclrtMalloc's memory only. */
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtFree(va));
	ASSERT_EQ(ACL_SUCCESS, aclrtUnmapMem(va));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtMemcpy(back, 16, va, 16, ACL_MEMCPY_DEVICE_TO_HOST));
	/* Mapped again, the memory still holds what was written. */
	ASSERT_EQ(ACL_SUCCESS, aclrtMapMem(va + GRAN, GRAN, 0, self->h, 0));
	EXPECT_EQ(2u, ((uint32_t *)(va + GRAN))[0]);
}

/* Freeing a mapped handle defers the release to the unmap. */
TEST_F(vmm, free_while_mapped)
{
	uint32_t *va = self->va;

	ASSERT_EQ(ACL_SUCCESS, aclrtMapMem(va, GRAN, 0, self->h, 0));
	va[0] = 77;
	ASSERT_EQ(ACL_SUCCESS, aclrtFreePhysical(self->h));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE,
		  aclrtMapMem((char *)va + GRAN, GRAN, 0, self->h, 0));
	EXPECT_EQ(77u, va[0]);
	EXPECT_EQ(ACL_SUCCESS, aclrtMemset(va, 4, 0, 4));
	EXPECT_EQ(0u, va[0]);
	EXPECT_EQ(ACL_SUCCESS, aclrtUnmapMem(va));
	EXPECT_EQ(ACL_SUCCESS, aclrtReleaseMemAddress(va));
	self->va = NULL;
}

/* A device reset ends the device's handles; mappings keep their pages. */
TEST_F(vmm, device_reset_frees_handles)
{
	struct an_stats st;
	uint32_t *va = self->va;

	ASSERT_EQ(ACL_SUCCESS, aclrtMapMem(va, GRAN, 0, self->h, 0));
	va[0] = 5;
	ASSERT_EQ(ACL_SUCCESS, aclrtResetDevice(0));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE, aclrtFreePhysical(self->h));
	ASSERT_TRUE(module_stats(&st));
	EXPECT_EQ(0, st.handles);
	EXPECT_EQ(5u, va[0]);
	EXPECT_EQ(ACL_SUCCESS, aclrtUnmapMem(va));
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(0));
}

TEST_F(vmm, access)
{
	aclrtMemAccessDesc d = {
		.flags = ACL_RT_MEM_ACCESS_FLAGS_READWRITE,
		.location = { .id = 1, .type = ACL_MEM_LOCATION_TYPE_DEVICE },
	};
	aclrtMemLocation owner = { .id = 0, .type = ACL_MEM_LOCATION_TYPE_DEVICE };
	aclrtMemAccessDesc bad;
	uint64_t flag = 99;

	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtMemSetAccess(self->va, GRAN, &d, 1));
	ASSERT_EQ(ACL_SUCCESS, aclrtMapMem(self->va, GRAN, 0, self->h, 0));
	/* The owner has read-write by itself; device 1 not yet. */
	EXPECT_EQ(ACL_SUCCESS, aclrtMemGetAccess(self->va, &owner, &flag));
	EXPECT_EQ(ACL_RT_MEM_ACCESS_FLAGS_READWRITE, flag);
	EXPECT_EQ(ACL_SUCCESS, aclrtMemGetAccess(self->va, &d.location, &flag));
	EXPECT_EQ(ACL_RT_MEM_ACCESS_FLAGS_NONE, flag);
	EXPECT_EQ(ACL_SUCCESS, aclrtMemSetAccess(self->va, GRAN, &d, 1));
	EXPECT_EQ(ACL_SUCCESS, aclrtMemGetAccess((char *)self->va + 64,
						 &d.location, &flag));
	EXPECT_EQ(ACL_RT_MEM_ACCESS_FLAGS_READWRITE, flag);

	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtMemSetAccess(NULL, GRAN, &d, 1));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtMemSetAccess(self->va, GRAN, NULL, 1));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtMemSetAccess(self->va, GRAN, &d, 0));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtMemSetAccess(self->va, GRAN / 2, &d, 1));
	bad = d;
	bad.flags = ACL_RT_MEM_ACCESS_FLAGS_READ;
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtMemSetAccess(self->va, GRAN, &bad, 1));
	bad = d;
	bad.rsv[3] = 1;
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtMemSetAccess(self->va, GRAN, &bad, 1));
	bad = d;
	bad.location.type = ACL_MEM_LOCATION_TYPE_MANAGED;
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtMemSetAccess(self->va, GRAN, &bad, 1));
	bad = d;
	bad.location.id = 999;
	EXPECT_EQ(ACL_ERROR_RT_INVALID_DEVICEID,
		  aclrtMemSetAccess(self->va, GRAN, &bad, 1));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtMemGetAccess(self->va, NULL, &flag));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtMemGetAccess(self->va, &owner, NULL));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtMemGetAccess((char *)self->va + GRAN, &owner, &flag));
}

TEST_F(vmm, export_rejections)
{
	aclrtMemFabricHandle fh;
	uint64_t sh;

	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtMemExportToShareableHandle(
		  NULL, ACL_MEM_HANDLE_TYPE_NONE, 0, &sh));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtMemExportToShareableHandle(
		  self->h, ACL_MEM_HANDLE_TYPE_NONE, 0, NULL));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtMemExportToShareableHandle(
		  self->h, ACL_MEM_HANDLE_TYPE_POSIX, 0, &sh));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtMemExportToShareableHandle(
		  self->h, ACL_MEM_HANDLE_TYPE_NONE, 2, &sh));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtMemExportToShareableHandleV2(
		  self->h, 0, ACL_MEM_SHARE_HANDLE_TYPE_FABRIC, NULL));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtMemExportToShareableHandleV2(
		  self->h, 0, (aclrtMemSharedHandleType)3, &fh));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtMemExportToShareableHandleV2(
		  self->h, 2, ACL_MEM_SHARE_HANDLE_TYPE_FABRIC, &fh));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE, aclrtMemExportToShareableHandle(
		  self->va, ACL_MEM_HANDLE_TYPE_NONE, 0, &sh));
	/* One export per allocation, whatever its form. */
	ASSERT_EQ(ACL_SUCCESS, aclrtMemExportToShareableHandle(
		  self->h, ACL_MEM_HANDLE_TYPE_NONE, 0, &sh));
	EXPECT_NE(0u, sh);
	EXPECT_EQ(ACL_ERROR_RT_INTERNAL_ERROR, aclrtMemExportToShareableHandle(
		  self->h, ACL_MEM_HANDLE_TYPE_NONE, 0, &sh));
	EXPECT_EQ(ACL_ERROR_RT_INTERNAL_ERROR, aclrtMemExportToShareableHandleV2(
		  self->h, 0, ACL_MEM_SHARE_HANDLE_TYPE_FABRIC, &fh));
}

/* Two allocations' shareable handles differ in about half their bits. */
TEST_F(vmm, handles_look_random)
{
	aclrtDrvMemHandle h2;
	uint64_t a, b;

	ASSERT_EQ(ACL_SUCCESS, aclrtMallocPhysical(&h2, GRAN, &self->prop, 0));
	ASSERT_EQ(ACL_SUCCESS, aclrtMemExportToShareableHandle(
		  self->h, ACL_MEM_HANDLE_TYPE_NONE, 0, &a));
	ASSERT_EQ(ACL_SUCCESS, aclrtMemExportToShareableHandleV2(
		  h2, 1, ACL_MEM_SHARE_HANDLE_TYPE_DEFAULT, &b));
	EXPECT_NE(a, b);
	/* Not a counter: consecutive exports are far apart. */
	EXPECT_LT(8, __builtin_popcountll(a ^ b));
	EXPECT_EQ(ACL_SUCCESS, aclrtFreePhysical(h2));
}

TEST_F(vmm, set_pid_rejections)
{
	int32_t pids[65], me, dead;
	aclrtDrvMemHandle h2;
	uint64_t sh, open;
	pid_t c;
	int i;

	ASSERT_EQ(ACL_SUCCESS, aclrtDeviceGetBareTgid(&me));
	ASSERT_EQ(ACL_SUCCESS, aclrtMemExportToShareableHandle(
		  self->h, ACL_MEM_HANDLE_TYPE_NONE, 0, &sh));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtMemSetPidToShareableHandle(sh, NULL, 1));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtMemSetPidToShareableHandle(sh, &me, 0));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtMemSetPidToShareableHandleV2(
		  NULL, ACL_MEM_SHARE_HANDLE_TYPE_DEFAULT, &me, 1));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtMemSetPidToShareableHandleV2(
		  &sh, (aclrtMemSharedHandleType)0, &me, 1));
	/* Not one of this process's exports. */
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtMemSetPidToShareableHandle(sh ^ 1, &me, 1));
	for (i = 0; i < 65; i++)
		pids[i] = me;
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtMemSetPidToShareableHandle(sh, pids, 65));
	c = an_fork();
	ASSERT_LE(0, c);
	if (c == 0)
		_exit(0);
	ASSERT_EQ(0, an_reap(c));
	dead = c;		/* reaped: no process has that PID now */
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtMemSetPidToShareableHandle(sh, &dead, 1));
	EXPECT_EQ(ACL_SUCCESS, aclrtMemSetPidToShareableHandleV2(
		  &sh, ACL_MEM_SHARE_HANDLE_TYPE_DEFAULT, &me, 1));
	/* Nothing to trust when anyone may import. */
	ASSERT_EQ(ACL_SUCCESS, aclrtMallocPhysical(&h2, GRAN, &self->prop, 0));
	ASSERT_EQ(ACL_SUCCESS, aclrtMemExportToShareableHandle(h2,
		  ACL_MEM_HANDLE_TYPE_NONE,
		  ACL_RT_VMM_EXPORT_FLAG_DISABLE_PID_VALIDATION, &open));
	EXPECT_EQ(ACL_ERROR_RT_NO_PERMISSION,
		  aclrtMemSetPidToShareableHandle(open, &me, 1));
	/* After the exporter's free the handle is nobody's to trust. */
	ASSERT_EQ(ACL_SUCCESS, aclrtFreePhysical(h2));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtMemSetPidToShareableHandle(open, &me, 1));
}

TEST_F(vmm, import_rejections)
{
	aclrtMemFabricHandle fh;
	aclrtDrvMemHandle h;
	uint64_t sh;

	ASSERT_EQ(ACL_SUCCESS, aclrtMemExportToShareableHandle(self->h,
		  ACL_MEM_HANDLE_TYPE_NONE,
		  ACL_RT_VMM_EXPORT_FLAG_DISABLE_PID_VALIDATION, &sh));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtMemImportFromShareableHandle(sh, 0, NULL));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_DEVICEID,
		  aclrtMemImportFromShareableHandle(sh, 999, &h));
	/* Only in another process. */
	EXPECT_EQ(ACL_ERROR_RT_NO_PERMISSION,
		  aclrtMemImportFromShareableHandle(sh, 0, &h));
	EXPECT_EQ(ACL_ERROR_RT_NO_PERMISSION, aclrtMemImportFromShareableHandleV2(
		  &sh, ACL_MEM_SHARE_HANDLE_TYPE_DEFAULT, 0, &h));
	/* Unknown handles: a neighbour, zero. */
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtMemImportFromShareableHandle(sh ^ 1, 0, &h));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtMemImportFromShareableHandle(0, 0, &h));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtMemImportFromShareableHandleV2(
		  NULL, ACL_MEM_SHARE_HANDLE_TYPE_DEFAULT, 0, &h));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtMemImportFromShareableHandleV2(
		  &sh, ACL_MEM_SHARE_HANDLE_TYPE_DEFAULT, 1, &h));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtMemImportFromShareableHandleV2(
		  &sh, (aclrtMemSharedHandleType)3, 0, &h));
	/* A FABRIC record that no export wrote reads as unknown. */
	memset(&fh, 0x5a, sizeof(fh));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtMemImportFromShareableHandleV2(
		  &fh, ACL_MEM_SHARE_HANDLE_TYPE_FABRIC, 0, &h));
}

/* Threads allocating, mapping, filling and releasing side by side. */
static void *churn(void *arg)
{
	const aclrtPhysicalMemProp *prop = arg;
	long bad = 0;
	int i;

	/* Small fills: the debug kernel under TCG is slow to fault pages. */
	for (i = 0; i < 25; i++) {
		aclrtDrvMemHandle h;
		uint32_t *va;

		bad += aclrtMallocPhysical(&h, GRAN, prop, 0) != ACL_SUCCESS;
		bad += aclrtReserveMemAddress((void **)&va, GRAN, 0, NULL, 0) !=
		       ACL_SUCCESS;
		bad += aclrtMapMem(va, GRAN, 0, h, 0) != ACL_SUCCESS;
		bad += aclrtMemset((char *)va + GRAN - 4096, 4096, i, 4096) !=
		       ACL_SUCCESS;
		bad += va[GRAN / 4 - 1] != 0x01010101u * (uint8_t)i;
		/* Free first on odd rounds: the unmap then releases. */
		if (i & 1)
			bad += aclrtFreePhysical(h) != ACL_SUCCESS;
		bad += aclrtUnmapMem(va) != ACL_SUCCESS;
		bad += aclrtReleaseMemAddress(va) != ACL_SUCCESS;
		if (!(i & 1))
			bad += aclrtFreePhysical(h) != ACL_SUCCESS;
	}
	return (void *)bad;
}

TEST_F(vmm, threads)
{
	pthread_t t[4];
	void *bad;
	int i;

	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, churn, &self->prop));
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(0, pthread_join(t[i], &bad));
		EXPECT_EQ(0, (long)bad);
	}
}

TEST_HARNESS_MAIN
