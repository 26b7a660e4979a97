// SPDX-License-Identifier: MIT
/*
 * IPC memory alone, process A (device 0).
 *
 * A allocates device memory, fills it with a pattern through aclrtMemcpy,
 * exports it (trusting B unless --no-pid-check) and sends the key. B reads
 * the pattern and writes its answer behind it; when B says it is done, A
 * reads the answer back and closes in CANN's order (importer first).
 *
 *   ipc_mem_a FIFO_DIR [--no-pid-check]
 */
#include "ipc_common.h"

#define WORDS 256

int main(int argc, char **argv)
{
	int nopid = has_arg(argc, argv, "--no-pid-check");
	uint32_t pattern[WORDS], answer = 0;
	char key[65], done;
	uint32_t *buf;
	int32_t b_pid;
	int to_b, from_b, i;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FIFO_DIR [--no-pid-check]\n", argv[0]);
		return 2;
	}
	for (i = 0; i < WORDS; i++)
		pattern[i] = 0x1000u + i;
	TRY("A", aclInit(NULL));
	TRY("A", aclrtSetDevice(0));
	TRY("A", aclrtMalloc((void **)&buf, sizeof(pattern) + 4,
			     ACL_MEM_MALLOC_HUGE_FIRST));
	TRY("A", aclrtMemcpy(buf, sizeof(pattern), pattern, sizeof(pattern),
			     ACL_MEMCPY_HOST_TO_DEVICE));
	TRY("A", aclrtIpcMemGetExportKey(buf, sizeof(pattern) + 4, key,
			sizeof(key),
			nopid ? ACL_RT_IPC_MEM_EXPORT_FLAG_DISABLE_PID_VALIDATION :
				ACL_RT_IPC_MEM_EXPORT_FLAG_DEFAULT));
	say("A", "device 0: %zu bytes written and exported%s\n",
	    sizeof(pattern), nopid ? " without PID validation" : "");

	from_b = open_fifo(argv[1], "to_a", O_RDONLY);
	to_b = open_fifo(argv[1], "to_b", O_WRONLY);
	xfer(from_b, &b_pid, sizeof(b_pid), 0);
	if (!nopid) {
		TRY("A", aclrtIpcMemSetImportPid(key, &b_pid, 1));
		say("A", "trusted B's bare TGID %d\n", b_pid);
	}
	xfer(to_b, key, sizeof(key), 1);
	xfer(from_b, &done, 1, 0);
	TRY("A", aclrtMemcpy(&answer, sizeof(answer), buf + WORDS,
			     sizeof(answer), ACL_MEMCPY_DEVICE_TO_HOST));
	say("A", "B answered %#x\n", answer);
	TRY("A", aclrtIpcMemClose(key));
	TRY("A", aclrtFree(buf));
	TRY("A", aclrtResetDevice(0));
	TRY("A", aclFinalize());
	return verdict("A", done == 'y' && answer == 0xb0b0b0b0u);
}
