// SPDX-License-Identifier: MIT
/*
 * Physical memory sharing through CANN's VMM API, process B: sends its
 * bare TGID, imports A's shareable handle, maps it in its own reserved
 * range, reads A's value back with aclrtMemcpy, tells A it is done and
 * releases its side while A releases its own.
 *
 *   vmm_share_b FIFO_DIR [--no-pid-check] [--fabric] [--b-device=N]
 */
#include "ipc_common.h"

#define VALUE 123

int main(int argc, char **argv)
{
	int fabric = has_arg(argc, argv, "--fabric");
	int dev = int_arg(argc, argv, "--b-device", 0);
	aclrtPhysicalMemProp prop = { 0 };
	aclrtMemAccessDesc access = { 0 };
	aclrtMemFabricHandle sh;
	aclrtDrvMemHandle handle;
	size_t granularity = 0;
	int to_a, from_a, value = 0;
	int32_t pid;
	char done = 'y';
	void *va;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FIFO_DIR [--no-pid-check] [--fabric] [--b-device=N]\n",
			argv[0]);
		return 2;
	}
	TRY("B", aclInit(NULL));
	TRY("B", aclrtSetDevice(dev));
	TRY("B", aclrtDeviceGetBareTgid(&pid));
	to_a = open_fifo(argv[1], "to_a", O_WRONLY);
	from_a = open_fifo(argv[1], "to_b", O_RDONLY);
	xfer(to_a, &pid, sizeof(pid), 1);
	xfer(from_a, &sh, sizeof(sh), 0);

	if (fabric)
		TRY("B", aclrtMemImportFromShareableHandleV2(&sh,
				ACL_MEM_SHARE_HANDLE_TYPE_FABRIC,
				ACL_RT_IPC_MEM_IMPORT_FLAG_DEFAULT, &handle));
	else
		TRY("B", aclrtMemImportFromShareableHandle(*(uint64_t *)&sh,
							   dev, &handle));
	say("B", "device %d: imported the %s shareable handle\n", dev,
	    fabric ? "FABRIC" : "uint64_t");

	prop.handleType = ACL_MEM_HANDLE_TYPE_NONE;
	prop.allocationType = ACL_MEM_ALLOCATION_TYPE_PINNED;
	prop.location.type = ACL_MEM_LOCATION_TYPE_DEVICE;
	prop.location.id = (uint32_t)dev;
	prop.memAttr = ACL_HBM_MEM_NORMAL;
	TRY("B", aclrtMemGetAllocationGranularity(&prop,
			ACL_RT_MEM_ALLOC_GRANULARITY_MINIMUM, &granularity));
	TRY("B", aclrtReserveMemAddress(&va, granularity, 0, NULL, 0));
	TRY("B", aclrtMapMem(va, granularity, 0, handle, 0));
	access.flags = ACL_RT_MEM_ACCESS_FLAGS_READWRITE;
	access.location.type = ACL_MEM_LOCATION_TYPE_DEVICE;
	access.location.id = (uint32_t)dev;
	TRY("B", aclrtMemSetAccess(va, granularity, &access, 1));
	TRY("B", aclrtMemcpy(&value, sizeof(value), va, sizeof(value),
			     ACL_MEMCPY_DEVICE_TO_HOST));
	say("B", "read %d from A's memory\n", value);

	TRY("B", aclrtUnmapMem(va));
	xfer(to_a, &done, 1, 1);
	/* A releases its side now too. */
	TRY("B", aclrtReleaseMemAddress(va));
	TRY("B", aclrtFreePhysical(handle));
	TRY("B", aclrtResetDeviceForce(dev));
	TRY("B", aclFinalize());
	return verdict("B", value == VALUE);
}
