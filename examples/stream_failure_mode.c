// SPDX-License-Identifier: MIT
/*
 * Stream failure modes, in the shape of CANN's
 * stream/1_stream_with_failure_mode sample, with a notify wait that times
 * out as the failing task. On a stream left at ACL_CONTINUE_ON_FAILURE
 * the copy behind the failed wait still runs; on one set to
 * ACL_STOP_ON_FAILURE it is discarded; either way the synchronisation
 * reports the timeout, the exception callback hears of it, and the stream
 * takes new work afterwards. Exits 0 when all of that held.
 */
#include <stdint.h>

#include "notify_common.h"

static int failures;
static uint32_t failed_code;

static void on_exception(aclrtExceptionInfo *info)
{
	failures++;
	failed_code = aclrtGetErrorCodeFromExceptionInfo(info);
	say("failure_mode", "exception: stream %u task %u device %u error %u\n",
	    aclrtGetStreamIdFromExceptionInfo(info),
	    aclrtGetTaskIdFromExceptionInfo(info),
	    aclrtGetDeviceIdFromExceptionInfo(info), failed_code);
}

/* Queues a failing wait, then a copy of 1 into *dev; returns the sync. */
static aclError run(aclrtStream stream, aclrtNotify notify, void *dev)
{
	static const uint32_t one = 1;

	CHECK("failure_mode", aclrtMemset(dev, 4, 0, 4));
	CHECK("failure_mode", aclrtWaitAndResetNotify(notify, stream, 1));
	CHECK("failure_mode", aclrtMemcpyAsync(dev, 4, &one, 4,
					       ACL_MEMCPY_HOST_TO_DEVICE,
					       stream));
	return aclrtSynchronizeStream(stream);
}

int main(void)
{
	aclrtStream cont, stop;
	aclrtNotify notify;
	uint32_t v_cont = 0, v_stop = 0;
	aclError r_cont, r_stop;
	int bad;
	void *dev;

	CHECK("failure_mode", aclInit(NULL));
	CHECK("failure_mode", aclrtSetDevice(0));
	CHECK("failure_mode", aclrtSetExceptionInfoCallback(on_exception));
	CHECK("failure_mode", aclrtCreateStream(&cont));
	CHECK("failure_mode", aclrtCreateStream(&stop));
	CHECK("failure_mode", aclrtSetStreamFailureMode(stop,
							ACL_STOP_ON_FAILURE));
	CHECK("failure_mode", aclrtCreateNotify(&notify, 0));
	CHECK("failure_mode", aclrtMalloc(&dev, 4, ACL_MEM_MALLOC_HUGE_FIRST));

	r_cont = run(cont, notify, dev);
	CHECK("failure_mode", aclrtMemcpy(&v_cont, 4, dev, 4,
					  ACL_MEMCPY_DEVICE_TO_HOST));
	r_stop = run(stop, notify, dev);
	CHECK("failure_mode", aclrtMemcpy(&v_stop, 4, dev, 4,
					  ACL_MEMCPY_DEVICE_TO_HOST));
	say("failure_mode", "continue: sync %d, copy %s\n", r_cont,
	    v_cont ? "ran" : "discarded");
	say("failure_mode", "stop: sync %d, copy %s\n", r_stop,
	    v_stop ? "ran" : "discarded");
	/* After the error was reported, the stopped stream works again. */
	CHECK("failure_mode", aclrtMemcpyAsync(dev, 4, &v_cont, 4,
					       ACL_MEMCPY_HOST_TO_DEVICE, stop));
	CHECK("failure_mode", aclrtSynchronizeStream(stop));

	CHECK("failure_mode", aclrtSetExceptionInfoCallback(NULL));
	CHECK("failure_mode", aclrtFree(dev));
	CHECK("failure_mode", aclrtDestroyNotify(notify));
	CHECK("failure_mode", aclrtDestroyStream(cont));
	CHECK("failure_mode", aclrtDestroyStream(stop));
	CHECK("failure_mode", aclrtResetDevice(0));
	CHECK("failure_mode", aclFinalize());
	bad = r_cont != ACL_ERROR_RT_TASK_TIMEOUT ||
	      r_stop != ACL_ERROR_RT_TASK_TIMEOUT || v_cont != 1 ||
	      v_stop != 0 || failures != 2 ||
	      failed_code != (uint32_t)ACL_ERROR_RT_TASK_TIMEOUT;
	say("failure_mode", "%s\n", bad ? "FAILED" : "as documented");
	return bad;
}
