// SPDX-License-Identifier: MIT
/*
 * Process A of the IPC-notify example, written against the CANN API only.
 *
 * On device 0: create a notify, export it, read B's bare TGID and trust
 * it, enqueue the wait-and-reset and a host function behind it on a
 * stream, synchronise. The host function runs only after B recorded.
 *
 *   notify_a FIFO_DIR [--no-pid-check]
 */
#include "notify_common.h"

static void after_wait(void *arg)
{
	(void)arg;
	say("A", "host function: runs after the wait, so after B's record\n");
}

int main(int argc, char **argv)
{
	uint64_t flags = ACL_RT_NOTIFY_EXPORT_FLAG_DEFAULT;
	char key[65];
	aclrtNotify notify;
	aclrtStream stream;
	uint32_t id;
	int32_t b_pid;
	int to_b, from_b;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FIFO_DIR [--no-pid-check]\n",
			argv[0]);
		return 2;
	}
	if (argc > 2 && !strcmp(argv[2], "--no-pid-check"))
		flags = ACL_RT_NOTIFY_EXPORT_FLAG_DISABLE_PID_VALIDATION;

	CHECK("A", aclInit(NULL));
	CHECK("A", aclrtSetDevice(0));
	CHECK("A", aclrtCreateStream(&stream));
	CHECK("A", aclrtCreateNotify(&notify, ACL_NOTIFY_DEFAULT));
	CHECK("A", aclrtGetNotifyId(notify, &id));
	CHECK("A", aclrtNotifyGetExportKey(notify, key, sizeof(key), flags));
	say("A", "device 0: notify %u exported%s, key %.8s...\n", id,
	    flags ? " without PID validation" : "", key);

	from_b = open_fifo(argv[1], "to_a", O_RDONLY);
	to_b = open_fifo(argv[1], "to_b", O_WRONLY);
	xfer(from_b, &b_pid, sizeof(b_pid), 0);
	if (flags == ACL_RT_NOTIFY_EXPORT_FLAG_DEFAULT) {
		CHECK("A", aclrtNotifySetImportPid(notify, &b_pid, 1));
		say("A", "trusted B's bare TGID %d\n", b_pid);
	}
	xfer(to_b, key, sizeof(key), 1);

	CHECK("A", aclrtWaitAndResetNotify(notify, stream, 0));
	CHECK("A", aclrtLaunchHostFunc(stream, after_wait, NULL));
	say("A", "wait and host function queued; synchronising...\n");
	CHECK("A", aclrtSynchronizeStream(stream));
	say("A", "stream synchronised\n");

	CHECK("A", aclrtDestroyNotify(notify));
	CHECK("A", aclrtDestroyStream(stream));
	CHECK("A", aclrtResetDevice(0));
	CHECK("A", aclFinalize());
	say("A", "done\n");
	return 0;
}
