// SPDX-License-Identifier: MIT
/*
 * Event timing, in the shape of CANN's event/1_event_timestamp sample:
 * record a start and an end event around a piece of stream work (a host
 * function that takes 50 ms), synchronise, and read both timestamps and
 * the elapsed time. Exits 0 when the elapsed time covers the work and
 * agrees with the timestamps.
 */
#include <stdint.h>

#include "notify_common.h"

static void work(void *arg)
{
	struct timespec ts = { 0, 50 * 1000 * 1000 };

	(void)arg;
	nanosleep(&ts, NULL);
}

int main(void)
{
	aclrtEvent start, end;
	aclrtStream stream;
	uint64_t t0, t1;
	float ms;
	double diff;

	CHECK("event_timestamp", aclInit(NULL));
	CHECK("event_timestamp", aclrtSetDevice(0));
	CHECK("event_timestamp", aclrtCreateStream(&stream));
	CHECK("event_timestamp", aclrtCreateEvent(&start));
	CHECK("event_timestamp", aclrtCreateEventWithFlag(&end,
							  ACL_EVENT_TIME_LINE));
	CHECK("event_timestamp", aclrtRecordEvent(start, stream));
	CHECK("event_timestamp", aclrtLaunchHostFunc(stream, work, NULL));
	CHECK("event_timestamp", aclrtRecordEvent(end, stream));
	CHECK("event_timestamp", aclrtSynchronizeStream(stream));
	CHECK("event_timestamp", aclrtEventGetTimestamp(start, &t0));
	CHECK("event_timestamp", aclrtEventGetTimestamp(end, &t1));
	CHECK("event_timestamp", aclrtEventElapsedTime(&ms, start, end));
	say("event_timestamp", "start %llu us, end %llu us, elapsed %.3f ms\n",
	    (unsigned long long)t0, (unsigned long long)t1, ms);
	CHECK("event_timestamp", aclrtDestroyEvent(start));
	CHECK("event_timestamp", aclrtDestroyEvent(end));
	CHECK("event_timestamp", aclrtDestroyStream(stream));
	CHECK("event_timestamp", aclrtResetDevice(0));
	CHECK("event_timestamp", aclFinalize());
	diff = (double)(t1 - t0) / 1000.0;
	return ms >= 50.0f && diff - ms < 0.002 && ms - diff < 0.002 ? 0 : 1;
}
