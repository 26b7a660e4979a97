// SPDX-License-Identifier: GPL-2.0
/*
 * aclrtWaitAndResetNotify's timeout inside a time namespace: the library
 * turns it into an absolute CLOCK_MONOTONIC deadline read in its own
 * namespace, and a one-second timeout must still expire after one second,
 * surfacing at the synchronisation as ACL_ERROR_RT_TASK_TIMEOUT, with the
 * namespace's clock a day ahead of the host's or behind it.
 */
#include "acl_test.h"
#include "kselftest_harness.h"
#include "timens_check.h"

/* A one-second wait-and-reset nobody records, then a synchronisation. */
static void sync_one_second(struct an_timed *r)
{
	aclrtNotify notify;
	aclrtStream stream;
	uint64_t t0;

	CHILD_CHECK(3, aclInit(NULL));
	CHILD_CHECK(4, aclrtSetDevice(0));
	CHILD_CHECK(5, aclrtCreateStream(&stream));
	CHILD_CHECK(6, aclrtCreateNotify(&notify, 0));
	t0 = now_ns();
	CHILD_CHECK(7, aclrtWaitAndResetNotify(notify, stream, 1));
	r->ret = aclrtSynchronizeStream(stream);
	r->took_ns = now_ns() - t0;
}

TEST(timeout_with_a_clock_a_day_ahead)
{
	an_check_one_second(_metadata, true, sync_one_second,
			    ACL_ERROR_RT_TASK_TIMEOUT);
}

TEST(timeout_with_a_clock_behind)
{
	an_check_one_second(_metadata, false, sync_one_second,
			    ACL_ERROR_RT_TASK_TIMEOUT);
}

TEST_HARNESS_MAIN
