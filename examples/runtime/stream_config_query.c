// SPDX-License-Identifier: MIT
/*
 * Stream configuration: create streams through a configuration handle and
 * with aclrtCreateStreamWithConfig, and read back id, flags and priority.
 */
#include "runtime_common.h"

static void query(aclrtStream s, uint32_t flags, uint32_t priority)
{
	uint32_t f, p;
	int32_t id;

	CHECK(aclrtStreamGetId(s, &id));
	CHECK(aclrtStreamGetFlags(s, &f));
	CHECK(aclrtStreamGetPriority(s, &p));
	printf("stream %d: flags %#x, priority %u\n", id, f, p);
	EXPECT(f == flags && p == priority);
}

int main(void)
{
	aclrtStreamConfigHandle *h;
	size_t flag = ACL_STREAM_FAST_LAUNCH;
	int32_t least, greatest;
	uint32_t prio;
	aclrtStream a, b;

	CHECK(aclInit(NULL));
	CHECK(aclrtSetDevice(0));
	CHECK(aclrtDeviceGetStreamPriorityRange(&least, &greatest));

	h = aclrtCreateStreamConfigHandle();
	EXPECT(h != NULL);
	prio = (uint32_t)least;
	CHECK(aclrtSetStreamConfigOpt(h, ACL_RT_STREAM_FLAG, &flag,
				      sizeof(flag)));
	CHECK(aclrtSetStreamConfigOpt(h, ACL_RT_STREAM_PRIORITY, &prio,
				      sizeof(prio)));
	CHECK(aclrtCreateStreamV2(&a, h));
	CHECK(aclrtDestroyStreamConfigHandle(h));
	query(a, ACL_STREAM_FAST_LAUNCH, (uint32_t)least);

	CHECK(aclrtCreateStreamWithConfig(&b, (uint32_t)greatest,
					  ACL_STREAM_FAST_SYNC));
	query(b, ACL_STREAM_FAST_SYNC, (uint32_t)greatest);

	CHECK(aclrtSynchronizeStream(a));
	CHECK(aclrtSynchronizeStream(b));
	CHECK(aclrtDestroyStream(a));
	CHECK(aclrtDestroyStream(b));
	CHECK(aclrtResetDeviceForce(0));
	CHECK(aclFinalize());
	printf("SUCCESS\n");
	return 0;
}
