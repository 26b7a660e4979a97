// SPDX-License-Identifier: MIT
/*
 * Stream value write/wait across processes, process B (device 0): imports
 * A's two words and answers each of A's rounds; see value_sync_a.c.
 *
 *   value_sync_b FIFO_DIR
 */
#include "ipc_common.h"

#define ROUNDS 16

int main(int argc, char **argv)
{
	aclrtStream stream;
	uint64_t *words, r;
	char key[65], done = 'y';
	int32_t pid;
	int to_a, from_a;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FIFO_DIR\n", argv[0]);
		return 2;
	}
	TRY("B", aclInit(NULL));
	TRY("B", aclrtSetDevice(0));
	TRY("B", aclrtCreateStream(&stream));
	TRY("B", aclrtDeviceGetBareTgid(&pid));
	to_a = open_fifo(argv[1], "to_a", O_WRONLY);
	from_a = open_fifo(argv[1], "to_b", O_RDONLY);
	xfer(to_a, &pid, sizeof(pid), 1);
	xfer(from_a, key, sizeof(key), 0);
	TRY("B", aclrtIpcMemImportByKey((void **)&words, key,
					ACL_RT_IPC_MEM_IMPORT_FLAG_DEFAULT));
	for (r = 1; r <= ROUNDS; r++) {
		TRY("B", aclrtValueWait(&words[0], r, ACL_STREAM_WAIT_VALUE_EQ,
					stream));
		TRY("B", aclrtValueWrite(&words[1], r, 0, stream));
	}
	TRY("B", aclrtSynchronizeStream(stream));
	say("B", "answered %d rounds\n", ROUNDS);
	TRY("B", aclrtIpcMemClose(key));
	TRY("B", aclrtDestroyStream(stream));
	TRY("B", aclrtResetDevice(0));
	TRY("B", aclFinalize());
	xfer(to_a, &done, 1, 1);
	return verdict("B", 1);
}
