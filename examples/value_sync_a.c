// SPDX-License-Identifier: MIT
/*
 * Stream value write/wait across processes, process A (device 0).
 *
 * A allocates two 64-bit words of device memory, exports them (trusting B)
 * and sends the key. Then both queue a ping-pong of ROUNDS rounds on a
 * stream each, without a host round-trip: A writes round r into word 0 and
 * waits for B's answer r in word 1; B waits for r in word 0 and answers.
 * Only the final synchronisation blocks the host.
 *
 *   value_sync_a FIFO_DIR
 */
#include "ipc_common.h"

#define ROUNDS 16

int main(int argc, char **argv)
{
	uint64_t *words, answer = 0;
	aclrtStream stream;
	char key[65], done;
	int32_t b_pid;
	int to_b, from_b;
	uint64_t r;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FIFO_DIR\n", argv[0]);
		return 2;
	}
	TRY("A", aclInit(NULL));
	TRY("A", aclrtSetDevice(0));
	TRY("A", aclrtCreateStream(&stream));
	TRY("A", aclrtMalloc((void **)&words, 2 * sizeof(*words),
			     ACL_MEM_MALLOC_HUGE_FIRST));
	TRY("A", aclrtMemset(words, 2 * sizeof(*words), 0,
			     2 * sizeof(*words)));
	TRY("A", aclrtIpcMemGetExportKey(words, 2 * sizeof(*words), key,
					 sizeof(key),
					 ACL_RT_IPC_MEM_EXPORT_FLAG_DEFAULT));
	from_b = open_fifo(argv[1], "to_a", O_RDONLY);
	to_b = open_fifo(argv[1], "to_b", O_WRONLY);
	xfer(from_b, &b_pid, sizeof(b_pid), 0);
	TRY("A", aclrtIpcMemSetImportPid(key, &b_pid, 1));
	xfer(to_b, key, sizeof(key), 1);

	for (r = 1; r <= ROUNDS; r++) {
		TRY("A", aclrtValueWrite(&words[0], r, 0, stream));
		TRY("A", aclrtValueWait(&words[1], r, ACL_STREAM_WAIT_VALUE_EQ,
					stream));
	}
	say("A", "queued %d rounds of write/wait\n", ROUNDS);
	TRY("A", aclrtSynchronizeStream(stream));
	TRY("A", aclrtMemcpy(&answer, sizeof(answer), &words[1],
			     sizeof(answer), ACL_MEMCPY_DEVICE_TO_HOST));
	say("A", "B's last answer: %llu\n", (unsigned long long)answer);
	xfer(from_b, &done, 1, 0);
	TRY("A", aclrtIpcMemClose(key));
	TRY("A", aclrtFree(words));
	TRY("A", aclrtDestroyStream(stream));
	TRY("A", aclrtResetDevice(0));
	TRY("A", aclFinalize());
	return verdict("A", done == 'y' && answer == ROUNDS);
}
