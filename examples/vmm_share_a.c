// SPDX-License-Identifier: MIT
/*
 * Physical memory sharing through CANN's VMM API, process A (device 0),
 * in the shape of CANN's own samples: A gets the granularity, allocates
 * physical memory, reserves addresses, maps, writes a value with a host
 * function standing in for a device kernel, exports a shareable handle,
 * puts B's bare TGID on its whitelist (unless --no-pid-check) and sends
 * the handle. When B says it read the value, A unmaps, releases and frees
 * while B does the same: the order of the two releases does not matter.
 *
 *   vmm_share_a FIFO_DIR [--no-pid-check] [--fabric] [--b-device=N]
 *
 * --fabric uses the V2 calls with an ACL_MEM_SHARE_HANDLE_TYPE_FABRIC
 * handle (128 bytes); the default is the uint64_t handle of V1.
 */
#include "ipc_common.h"

#define VALUE 123

static void write_value(void *arg)
{
	*(int *)arg = VALUE;
}

int main(int argc, char **argv)
{
	int nopid = has_arg(argc, argv, "--no-pid-check");
	int fabric = has_arg(argc, argv, "--fabric");
	uint64_t flags = nopid ? ACL_RT_VMM_EXPORT_FLAG_DISABLE_PID_VALIDATION :
				 ACL_RT_VMM_EXPORT_FLAG_DEFAULT;
	aclrtPhysicalMemProp prop = { 0 };
	aclrtMemAccessDesc access = { 0 };
	aclrtMemFabricHandle sh = { { 0 } };
	aclrtDrvMemHandle handle;
	size_t granularity = 0;
	aclrtStream stream;
	int to_b, from_b;
	int32_t b_pid;
	void *va;
	char done;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FIFO_DIR [--no-pid-check] [--fabric]\n",
			argv[0]);
		return 2;
	}
	TRY("A", aclInit(NULL));
	TRY("A", aclrtSetDevice(0));
	TRY("A", aclrtCreateStream(&stream));

	prop.handleType = ACL_MEM_HANDLE_TYPE_NONE;
	prop.allocationType = ACL_MEM_ALLOCATION_TYPE_PINNED;
	prop.location.type = ACL_MEM_LOCATION_TYPE_DEVICE;
	prop.location.id = 0;
	prop.memAttr = ACL_HBM_MEM_NORMAL;
	TRY("A", aclrtMemGetAllocationGranularity(&prop,
			ACL_RT_MEM_ALLOC_GRANULARITY_MINIMUM, &granularity));
	TRY("A", aclrtMallocPhysical(&handle, granularity, &prop, 0));
	TRY("A", aclrtReserveMemAddress(&va, granularity, 0, NULL, 0));
	TRY("A", aclrtMapMem(va, granularity, 0, handle, 0));
	access.flags = ACL_RT_MEM_ACCESS_FLAGS_READWRITE;
	access.location.type = ACL_MEM_LOCATION_TYPE_DEVICE;
	access.location.id = 0;
	TRY("A", aclrtMemSetAccess(va, granularity, &access, 1));
	TRY("A", aclrtLaunchHostFunc(stream, write_value, va));
	TRY("A", aclrtSynchronizeStream(stream));
	say("A", "device 0: %zu bytes mapped at %p, wrote %d\n", granularity,
	    va, VALUE);

	if (fabric)
		TRY("A", aclrtMemExportToShareableHandleV2(handle, flags,
				ACL_MEM_SHARE_HANDLE_TYPE_FABRIC, &sh));
	else
		TRY("A", aclrtMemExportToShareableHandle(handle,
				ACL_MEM_HANDLE_TYPE_NONE, flags,
				(uint64_t *)&sh));
	say("A", "exported a %s shareable handle%s\n",
	    fabric ? "FABRIC" : "uint64_t",
	    nopid ? " without PID validation" : "");

	from_b = open_fifo(argv[1], "to_a", O_RDONLY);
	to_b = open_fifo(argv[1], "to_b", O_WRONLY);
	xfer(from_b, &b_pid, sizeof(b_pid), 0);
	if (!nopid) {
		if (fabric)
			TRY("A", aclrtMemSetPidToShareableHandleV2(&sh,
					ACL_MEM_SHARE_HANDLE_TYPE_FABRIC,
					&b_pid, 1));
		else
			TRY("A", aclrtMemSetPidToShareableHandle(
					*(uint64_t *)&sh, &b_pid, 1));
		say("A", "whitelisted B's bare TGID %d\n", b_pid);
	}
	xfer(to_b, &sh, sizeof(sh), 1);
	xfer(from_b, &done, 1, 0);
	say("A", "B is done; releasing\n");

	TRY("A", aclrtUnmapMem(va));
	TRY("A", aclrtReleaseMemAddress(va));
	TRY("A", aclrtFreePhysical(handle));
	TRY("A", aclrtDestroyStreamForce(stream));
	TRY("A", aclrtResetDeviceForce(0));
	TRY("A", aclFinalize());
	return verdict("A", done == 'y');
}
