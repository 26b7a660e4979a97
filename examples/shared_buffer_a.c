// SPDX-License-Identifier: MIT
/*
 * IPC notify with a shared buffer, process A (device 0).
 *
 * A allocates device memory and exports it, creates and exports a notify,
 * trusts B's bare TGID (unless --no-pid-check), sends both keys, then
 * queues on a stream: wait for the notify, then a host function that reads
 * the buffer. B writes a value into the buffer on its own stream and
 * records the notify behind that write, so A's host function must see it.
 *
 *   shared_buffer_a FIFO_DIR [--no-pid-check]
 */
#include "ipc_common.h"

#define B_VALUE 0x600dcafeU

static uint32_t seen;

static void read_buffer(void *arg)
{
	seen = *(volatile uint32_t *)arg;
	say("A", "host function: the buffer holds %#x\n", seen);
}

int main(int argc, char **argv)
{
	int nopid = has_arg(argc, argv, "--no-pid-check");
	char mkey[65], nkey[65];
	aclrtNotify notify;
	aclrtStream stream;
	uint32_t *buf;
	int32_t b_pid;
	int to_b, from_b;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FIFO_DIR [--no-pid-check]\n", argv[0]);
		return 2;
	}
	TRY("A", aclInit(NULL));
	TRY("A", aclrtSetDevice(0));
	TRY("A", aclrtCreateStream(&stream));
	TRY("A", aclrtMalloc((void **)&buf, 4096, ACL_MEM_MALLOC_HUGE_FIRST));
	TRY("A", aclrtMemset(buf, 4096, 0, 4096));
	TRY("A", aclrtIpcMemGetExportKey(buf, 4096, mkey, sizeof(mkey),
			nopid ? ACL_RT_IPC_MEM_EXPORT_FLAG_DISABLE_PID_VALIDATION :
				ACL_RT_IPC_MEM_EXPORT_FLAG_DEFAULT));
	TRY("A", aclrtCreateNotify(&notify, ACL_NOTIFY_DEFAULT));
	TRY("A", aclrtNotifyGetExportKey(notify, nkey, sizeof(nkey),
			nopid ? ACL_RT_NOTIFY_EXPORT_FLAG_DISABLE_PID_VALIDATION :
				ACL_RT_NOTIFY_EXPORT_FLAG_DEFAULT));
	say("A", "device 0: 4 KiB buffer and a notify exported%s\n",
	    nopid ? " without PID validation" : "");

	from_b = open_fifo(argv[1], "to_a", O_RDONLY);
	to_b = open_fifo(argv[1], "to_b", O_WRONLY);
	xfer(from_b, &b_pid, sizeof(b_pid), 0);
	if (!nopid) {
		TRY("A", aclrtIpcMemSetImportPid(mkey, &b_pid, 1));
		TRY("A", aclrtNotifySetImportPid(notify, &b_pid, 1));
		say("A", "trusted B's bare TGID %d for both\n", b_pid);
	}
	TRY("A", aclrtWaitAndResetNotify(notify, stream, 30));
	TRY("A", aclrtLaunchHostFunc(stream, read_buffer, buf));
	xfer(to_b, mkey, sizeof(mkey), 1);
	xfer(to_b, nkey, sizeof(nkey), 1);
	say("A", "keys sent; the stream waits for B's record\n");
	TRY("A", aclrtSynchronizeStream(stream));
	/* B is done with the buffer once it exits; read its last word. */
	xfer(from_b, &b_pid, sizeof(b_pid), 0);

	TRY("A", aclrtIpcMemClose(mkey));
	TRY("A", aclrtFree(buf));
	TRY("A", aclrtDestroyNotify(notify));
	TRY("A", aclrtDestroyStream(stream));
	TRY("A", aclrtResetDevice(0));
	TRY("A", aclFinalize());
	return verdict("A", seen == B_VALUE);
}
