// SPDX-License-Identifier: MIT
/*
 * Callbacks processed by a report thread, in the shape of CANN's
 * callback/0_simple_callback sample: a user thread loops on
 * aclrtProcessReport; aclrtSubscribeReport binds it to the stream; the
 * stream launches a blocking callback between two copies, so the second
 * copy sees what the callback wrote, and a non-blocking one at the end.
 * Exits 0 when both callbacks ran in the report thread, in order.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "notify_common.h"

static atomic_bool stop;
static pthread_t reporter;
static int order[2], ran;

static void *report_main(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop))
		aclrtProcessReport(100);	/* times out when idle */
	return NULL;
}

/* Runs in the report thread: doubles the staging buffer. */
static void double_it(void *data)
{
	uint32_t *v = data;

	if (pthread_equal(pthread_self(), reporter))
		order[ran++] = 1;
	*v *= 2;
}

static void done(void *data)
{
	(void)data;
	if (pthread_equal(pthread_self(), reporter))
		order[ran++] = 2;
}

int main(void)
{
	uint32_t in = 21, staging = 0, out = 0;
	aclrtStream stream;
	void *dev;

	CHECK("callback", aclInit(NULL));
	CHECK("callback", aclrtSetDevice(0));
	CHECK("callback", aclrtCreateStream(&stream));
	CHECK("callback", aclrtMalloc(&dev, sizeof(in),
				      ACL_MEM_MALLOC_HUGE_FIRST));
	if (pthread_create(&reporter, NULL, report_main, NULL))
		return 1;
	CHECK("callback", aclrtSubscribeReport((uint64_t)reporter, stream));

	CHECK("callback", aclrtMemcpyAsync(dev, sizeof(in), &in, sizeof(in),
					   ACL_MEMCPY_HOST_TO_DEVICE, stream));
	CHECK("callback", aclrtMemcpyAsync(&staging, sizeof(staging), dev,
					   sizeof(in), ACL_MEMCPY_DEVICE_TO_HOST,
					   stream));
	CHECK("callback", aclrtLaunchCallback(double_it, &staging,
					      ACL_CALLBACK_BLOCK, stream));
	CHECK("callback", aclrtMemcpyAsync(dev, sizeof(in), &staging,
					   sizeof(in), ACL_MEMCPY_HOST_TO_DEVICE,
					   stream));
	CHECK("callback", aclrtLaunchCallback(done, NULL, ACL_CALLBACK_BLOCK,
					      stream));
	CHECK("callback", aclrtSynchronizeStream(stream));
	CHECK("callback", aclrtMemcpy(&out, sizeof(out), dev, sizeof(out),
				      ACL_MEMCPY_DEVICE_TO_HOST));

	CHECK("callback", aclrtUnSubscribeReport((uint64_t)reporter, stream));
	atomic_store(&stop, true);
	pthread_join(reporter, NULL);
	CHECK("callback", aclrtFree(dev));
	CHECK("callback", aclrtDestroyStream(stream));
	CHECK("callback", aclrtResetDevice(0));
	CHECK("callback", aclFinalize());
	say("callback", "device value %u, callbacks ran %d (%d, %d)\n", out,
	    ran, order[0], order[1]);
	return out == 42 && ran == 2 && order[0] == 1 && order[1] == 2 ? 0 : 1;
}
