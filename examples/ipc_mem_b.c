// SPDX-License-Identifier: MIT
/*
 * IPC memory alone, process B (device 0, like A).
 *
 * B sends its bare TGID, imports the key, checks A's pattern with
 * aclrtMemcpy, writes an answer behind it, closes its import and tells A.
 *
 *   ipc_mem_b FIFO_DIR
 */
#include "ipc_common.h"

#define WORDS 256

int main(int argc, char **argv)
{
	uint32_t got[WORDS], answer = 0xb0b0b0b0u;
	char key[65], done = 'y';
	uint32_t *buf;
	int32_t pid;
	int to_a, from_a, i;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FIFO_DIR\n", argv[0]);
		return 2;
	}
	TRY("B", aclInit(NULL));
	TRY("B", aclrtSetDevice(0));
	TRY("B", aclrtDeviceGetBareTgid(&pid));
	to_a = open_fifo(argv[1], "to_a", O_WRONLY);
	from_a = open_fifo(argv[1], "to_b", O_RDONLY);
	xfer(to_a, &pid, sizeof(pid), 1);
	say("B", "device 0: bare TGID %d sent to A\n", pid);
	xfer(from_a, key, sizeof(key), 0);
	TRY("B", aclrtIpcMemImportByKey((void **)&buf, key,
					ACL_RT_IPC_MEM_IMPORT_FLAG_DEFAULT));
	TRY("B", aclrtMemcpy(got, sizeof(got), buf, sizeof(got),
			     ACL_MEMCPY_DEVICE_TO_HOST));
	for (i = 0; i < WORDS; i++)
		if (got[i] != 0x1000u + i)
			done = 'n';
	say("B", "imported; A's pattern %s\n", done == 'y' ? "matches" :
	    "DOES NOT match");
	TRY("B", aclrtMemcpy(buf + WORDS, sizeof(answer), &answer,
			     sizeof(answer), ACL_MEMCPY_HOST_TO_DEVICE));
	TRY("B", aclrtIpcMemClose(key));
	TRY("B", aclrtResetDevice(0));
	TRY("B", aclFinalize());
	xfer(to_a, &done, 1, 1);
	return verdict("B", done == 'y');
}
