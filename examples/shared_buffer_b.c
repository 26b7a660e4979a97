// SPDX-License-Identifier: MIT
/*
 * IPC notify with a shared buffer, process B (device 1).
 *
 * B sends its bare TGID, imports A's buffer and notify (with peer access
 * to device 0), queues a host function that writes a value into the
 * buffer and then the record, synchronises, and closes its imports.
 *
 *   shared_buffer_b FIFO_DIR
 */
#include "ipc_common.h"

#define B_VALUE 0x600dcafeU

static void write_buffer(void *arg)
{
	*(volatile uint32_t *)arg = B_VALUE;
	say("B", "host function: wrote %#x into A's buffer\n", B_VALUE);
}

int main(int argc, char **argv)
{
	char mkey[65], nkey[65];
	aclrtNotify notify;
	aclrtStream stream;
	uint32_t *buf;
	int to_a, from_a;
	int32_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FIFO_DIR\n", argv[0]);
		return 2;
	}
	TRY("B", aclInit(NULL));
	TRY("B", aclrtSetDevice(1));
	TRY("B", aclrtCreateStream(&stream));
	TRY("B", aclrtDeviceGetBareTgid(&pid));
	to_a = open_fifo(argv[1], "to_a", O_WRONLY);
	from_a = open_fifo(argv[1], "to_b", O_RDONLY);
	xfer(to_a, &pid, sizeof(pid), 1);
	say("B", "device 1: bare TGID %d sent to A\n", pid);
	xfer(from_a, mkey, sizeof(mkey), 0);
	xfer(from_a, nkey, sizeof(nkey), 0);

	TRY("B", aclrtDeviceEnablePeerAccess(0, 0));
	TRY("B", aclrtIpcMemImportByKey((void **)&buf, mkey,
					ACL_RT_IPC_MEM_IMPORT_FLAG_DEFAULT));
	TRY("B", aclrtNotifyImportByKey(&notify, nkey,
					ACL_RT_NOTIFY_IMPORT_FLAG_DEFAULT));
	say("B", "imported the buffer and the notify\n");
	TRY("B", aclrtLaunchHostFunc(stream, write_buffer, buf));
	TRY("B", aclrtRecordNotify(notify, stream));
	TRY("B", aclrtSynchronizeStream(stream));
	say("B", "write and record done\n");

	TRY("B", aclrtIpcMemClose(mkey));
	TRY("B", aclrtDestroyNotify(notify));
	TRY("B", aclrtDestroyStream(stream));
	TRY("B", aclrtResetDevice(1));
	TRY("B", aclFinalize());
	xfer(to_a, &pid, sizeof(pid), 1);
	return verdict("B", 1);
}
