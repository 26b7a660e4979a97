// SPDX-License-Identifier: MIT
/*
 * Contexts: the default context aclrtSetDevice makes, an explicit one, the
 * current context and its default stream, and the thread's resources.
 */
#include "runtime_common.h"

static void count(void *arg)
{
	++*(int *)arg;
}

int main(void)
{
	aclrtContext def, ctx, cur;
	aclrtStream stream;
	uint32_t cube, vector;
	int32_t dev;
	int ran = 0;

	CHECK(aclInit(NULL));
	CHECK(aclrtSetDevice(0));
	CHECK(aclrtGetCurrentContext(&def));
	printf("device 0's default context: %p\n", def);

	CHECK(aclrtCreateContext(&ctx, 1));
	CHECK(aclrtSetCurrentContext(ctx));
	CHECK(aclrtGetCurrentContext(&cur));
	EXPECT(cur == ctx);
	CHECK(aclrtGetDevice(&dev));
	EXPECT(dev == 1);
	CHECK(aclrtCtxGetCurrentDefaultStream(&stream));
	CHECK(aclrtLaunchHostFunc(stream, count, &ran));
	CHECK(aclrtSynchronizeStream(stream));
	EXPECT(ran == 1);
	printf("context %p on device %d ran a host function on its default stream\n",
	       ctx, dev);
	CHECK(aclrtGetResInCurrentThread(ACL_RT_DEV_RES_CUBE_CORE, &cube));
	CHECK(aclrtGetResInCurrentThread(ACL_RT_DEV_RES_VECTOR_CORE, &vector));
	printf("this thread may use %u Cube and %u Vector cores\n", cube,
	       vector);

	CHECK(aclrtDestroyContext(ctx));
	CHECK(aclrtSetCurrentContext(def));
	CHECK(aclrtGetDevice(&dev));
	EXPECT(dev == 0);
	CHECK(aclrtResetDeviceForce(0));
	CHECK(aclFinalize());
	printf("SUCCESS\n");
	return 0;
}
