// SPDX-License-Identifier: GPL-2.0
/*
 * Deadlines in time namespaces. WAIT takes an absolute CLOCK_MONOTONIC
 * deadline in the caller's clock; inside a time namespace that clock is
 * the host's shifted by the namespace's offset, and a deadline one second
 * ahead must still mean one second: not a day with a +1 day offset, not
 * "already past" with a negative one.
 */
#include "an_test.h"
#include "kselftest_harness.h"
#include "timens_check.h"

/* Waits on a notify nobody records, one second ahead of the clock. */
static void wait_one_second(struct an_timed *r)
{
	uint32_t h;
	uint64_t t0;
	int fd = an_open();

	if (fd < 0 || an_create(fd, 0, 0, &h))
		_exit(3);
	t0 = an_now_ns();
	r->ret = an_wait(fd, h, t0 + AN_SEC);
	r->took_ns = an_now_ns() - t0;
}

TEST(deadline_ahead_of_a_clock_a_day_ahead)
{
	an_check_one_second(_metadata, true, wait_one_second, -ETIMEDOUT);
}

TEST(deadline_ahead_of_a_clock_behind)
{
	an_check_one_second(_metadata, false, wait_one_second, -ETIMEDOUT);
}

TEST_HARNESS_MAIN
