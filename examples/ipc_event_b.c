// SPDX-License-Identifier: MIT
/*
 * An IPC event between two processes, process B (device 0 or --b-device).
 *
 * B opens A's event handle, queues a wait for it and a host function
 * behind the wait, tells A, and synchronises: the host function runs only
 * once A recorded.
 *
 *   ipc_event_b FIFO_DIR [--b-device=N]
 */
#include "ipc_common.h"

static int after_record;

static void after_wait(void *arg)
{
	(void)arg;
	after_record = 1;
	say("B", "host function: runs after the wait, so after A's record\n");
}

int main(int argc, char **argv)
{
	int dev = int_arg(argc, argv, "--b-device", 0);
	aclrtIpcEventHandle handle;
	aclrtStream stream;
	aclrtEvent event;
	char ready = 'y';
	int to_a, from_a;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FIFO_DIR [--b-device=N]\n", argv[0]);
		return 2;
	}
	TRY("B", aclInit(NULL));
	TRY("B", aclrtSetDevice(dev));
	TRY("B", aclrtCreateStream(&stream));
	from_a = open_fifo(argv[1], "to_b", O_RDONLY);
	to_a = open_fifo(argv[1], "to_a", O_WRONLY);
	xfer(from_a, &handle, sizeof(handle), 0);
	TRY("B", aclrtIpcOpenEventHandle(handle, &event));
	TRY("B", aclrtStreamWaitEvent(stream, event));
	TRY("B", aclrtLaunchHostFunc(stream, after_wait, NULL));
	say("B", "device %d: opened the event, wait queued\n", dev);
	xfer(to_a, &ready, 1, 1);
	TRY("B", aclrtSynchronizeStream(stream));
	ready = after_record ? 'y' : 'n';
	xfer(to_a, &ready, 1, 1);
	TRY("B", aclrtDestroyEvent(event));
	TRY("B", aclrtDestroyStream(stream));
	TRY("B", aclrtResetDevice(dev));
	TRY("B", aclFinalize());
	return verdict("B", after_record);
}
