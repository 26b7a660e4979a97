// SPDX-License-Identifier: GPL-2.0
/*
 * A CANN program for the installation test, built against an installed
 * ascend-notify (pkg-config, CMake find_package, a CANN-style project):
 * on device 0, create and export a notify, record and wait on a stream,
 * run a host function behind the wait. Prints "prog: ok" and exits 0.
 */
#include <stdio.h>
#include <stdlib.h>

#include "acl/acl.h"

#define CHECK(call) do {						\
		aclError ret_ = (call);					\
		if (ret_ != ACL_SUCCESS) {				\
			fprintf(stderr, "prog: %s: %d\n", #call, ret_);	\
			exit(1);					\
		}							\
	} while (0)

static void host_fn(void *arg)
{
	*(int *)arg = 1;
}

int main(void)
{
	aclrtNotify notify;
	aclrtStream stream;
	uint32_t count;
	char key[65];
	int ran = 0;

	CHECK(aclInit(NULL));
	CHECK(aclrtGetDeviceCount(&count));
	CHECK(aclrtSetDevice(0));
	CHECK(aclrtCreateStream(&stream));
	CHECK(aclrtCreateNotify(&notify, ACL_NOTIFY_DEFAULT));
	CHECK(aclrtNotifyGetExportKey(notify, key, sizeof(key),
				      ACL_RT_NOTIFY_EXPORT_FLAG_DEFAULT));
	CHECK(aclrtRecordNotify(notify, stream));
	CHECK(aclrtWaitAndResetNotify(notify, stream, 0));
	CHECK(aclrtLaunchHostFunc(stream, host_fn, &ran));
	CHECK(aclrtSynchronizeStream(stream));
	if (!ran) {
		fprintf(stderr, "prog: the host function did not run\n");
		return 1;
	}
	CHECK(aclrtDestroyNotify(notify));
	CHECK(aclrtDestroyStream(stream));
	CHECK(aclrtResetDevice(0));
	CHECK(aclFinalize());
	printf("prog: ok (%u devices)\n", count);
	return 0;
}
