// SPDX-License-Identifier: MIT
/*
 * Process B of the IPC-notify example, written against the CANN API only.
 *
 * On device 1: report the bare TGID to A, import the key (with peer
 * access to device 0), work for a while, record, synchronise.
 *
 *   notify_b FIFO_DIR
 */
#include "notify_common.h"

int main(int argc, char **argv)
{
	aclrtNotify notify;
	int to_a, from_a;
	int32_t pid;
	char key[65];

	if (argc < 2) {
		fprintf(stderr, "usage: %s FIFO_DIR\n", argv[0]);
		return 2;
	}
	CHECK("B", aclInit(NULL));
	CHECK("B", aclrtSetDevice(1));
	CHECK("B", aclrtDeviceGetBareTgid(&pid));
	to_a = open_fifo(argv[1], "to_a", O_WRONLY);
	from_a = open_fifo(argv[1], "to_b", O_RDONLY);
	xfer(to_a, &pid, sizeof(pid), 1);
	say("B", "device 1: bare TGID %d sent to A\n", pid);
	xfer(from_a, key, sizeof(key), 0);

	CHECK("B", aclrtDeviceEnablePeerAccess(0, 0));
	CHECK("B", aclrtNotifyImportByKey(&notify, key,
				       ACL_RT_NOTIFY_IMPORT_FLAG_DEFAULT));
	say("B", "imported the notify; working for 500 ms\n");
	usleep(500000);
	say("B", "record\n");
	CHECK("B", aclrtRecordNotify(notify, NULL));
	CHECK("B", aclrtSynchronizeStream(NULL));
	CHECK("B", aclrtDestroyNotify(notify));
	CHECK("B", aclrtResetDevice(1));
	CHECK("B", aclFinalize());
	say("B", "done\n");
	return 0;
}
