// SPDX-License-Identifier: MIT
/*
 * An IPC event between two processes, process A (device 0).
 *
 * A creates an event with ACL_EVENT_IPC, sends its handle, waits until B
 * has queued its wait, works for a while and records. B's stream runs on
 * only after that record.
 *
 *   ipc_event_a FIFO_DIR [--b-device=N]
 */
#include "ipc_common.h"

int main(int argc, char **argv)
{
	aclrtIpcEventHandle handle;
	aclrtStream stream;
	aclrtEvent event;
	char ready;
	int to_b, from_b;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FIFO_DIR [--b-device=N]\n", argv[0]);
		return 2;
	}
	TRY("A", aclInit(NULL));
	TRY("A", aclrtSetDevice(0));
	TRY("A", aclrtCreateStream(&stream));
	TRY("A", aclrtCreateEventExWithFlag(&event, ACL_EVENT_IPC));
	TRY("A", aclrtIpcGetEventHandle(event, &handle));
	say("A", "device 0: IPC event created, handle sent to B\n");
	to_b = open_fifo(argv[1], "to_b", O_WRONLY);
	from_b = open_fifo(argv[1], "to_a", O_RDONLY);
	xfer(to_b, &handle, sizeof(handle), 1);
	xfer(from_b, &ready, 1, 0);
	say("A", "B is waiting; working for 300 ms, then record\n");
	usleep(300000);
	TRY("A", aclrtRecordEvent(event, stream));
	TRY("A", aclrtSynchronizeStream(stream));
	xfer(from_b, &ready, 1, 0);
	TRY("A", aclrtDestroyEvent(event));
	TRY("A", aclrtDestroyStream(stream));
	TRY("A", aclrtResetDevice(0));
	TRY("A", aclFinalize());
	return verdict("A", ready == 'y');
}
