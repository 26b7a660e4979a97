// SPDX-License-Identifier: MIT
/*
 * Several threads on one device: the process sets a resource limit, each
 * thread sets the device, sees the limit, and runs work on a stream of its
 * own and on the shared default stream.
 */
#include <pthread.h>
#include <stdatomic.h>

#include "runtime_common.h"

#define THREADS 4

static atomic_int done;

static void count(void *arg)
{
	atomic_fetch_add((atomic_int *)arg, 1);
}

static void *worker(void *arg)
{
	aclrtStream stream;
	uint32_t limit;

	CHECK(aclrtSetDevice(0));
	CHECK(aclrtGetResInCurrentThread(ACL_RT_DEV_RES_VECTOR_CORE, &limit));
	EXPECT(limit == 1);
	CHECK(aclrtCreateStream(&stream));
	CHECK(aclrtLaunchHostFunc(stream, count, &done));
	CHECK(aclrtLaunchHostFunc(NULL, count, &done));
	CHECK(aclrtSynchronizeStream(stream));
	CHECK(aclrtSynchronizeStream(NULL));
	CHECK(aclrtDestroyStream(stream));
	CHECK(aclrtResetDevice(0));
	return arg;
}

int main(void)
{
	aclrtUtilizationInfo util = { .utilizationExtend = NULL };
	pthread_t t[THREADS];
	int32_t least, greatest;
	int i;

	CHECK(aclInit(NULL));
	CHECK(aclrtSetDevice(0));
	CHECK(aclrtGetDeviceUtilizationRate(0, &util));
	printf("utilisation (-1: not measured): cube %d vector %d aicpu %d memory %d\n",
	       util.cubeUtilization, util.vectorUtilization,
	       util.aicpuUtilization, util.memoryUtilization);
	CHECK(aclrtDeviceGetStreamPriorityRange(&least, &greatest));
	printf("stream priorities: least %d, greatest %d\n", least, greatest);
	CHECK(aclrtSetDeviceResLimit(0, ACL_RT_DEV_RES_VECTOR_CORE, 1));

	for (i = 0; i < THREADS; i++)
		if (pthread_create(&t[i], NULL, worker, NULL))
			EXPECT(!"pthread_create");
	for (i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	EXPECT(atomic_load(&done) == 2 * THREADS);
	printf("%d threads ran %d host functions\n", THREADS,
	       atomic_load(&done));

	CHECK(aclrtResetDeviceResLimit(0));
	CHECK(aclrtResetDevice(0));
	CHECK(aclFinalize());
	printf("SUCCESS\n");
	return 0;
}
