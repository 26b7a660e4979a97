/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The check that a one-second timeout still means one second inside a
 * time namespace whose clock runs a day ahead of the host's, or behind it:
 * shared by the ioctl suite (timens.c) and the API suite (api_timens.c).
 * Include after kselftest_harness.h and proc.h.
 */
#ifndef SELFTESTS_TIMENS_CHECK_H
#define SELFTESTS_TIMENS_CHECK_H

#include <time.h>

#define AN_SEC	1000000000ull

/*
 * Runs @body (a timed call with a one-second timeout) in a time namespace
 * a day ahead (@ahead) or a little behind, and expects @expected after
 * about a second.
 */
static inline void an_check_one_second(struct __test_metadata *_metadata,
				       bool ahead,
				       void (*body)(struct an_timed *r),
				       int32_t expected)
{
	struct timespec now;
	struct an_timed r;
	long offset_s = 86400;
	int ret;

	if (!ahead) {
		/* The namespace's clock may not go below zero. */
		ASSERT_EQ(0, clock_gettime(CLOCK_MONOTONIC, &now));
		if (now.tv_sec < 4)
			SKIP(return, "the host's clock is only %ld s old",
			     now.tv_sec);
		offset_s = -(now.tv_sec - 2);
	}
	ret = an_timed_in_timens(offset_s, body, &r);
	if (ret == AN_NO_TIMENS)
		SKIP(return, "no time namespaces");
	ASSERT_EQ(0, ret) {
		TH_LOG("offset %+ld s: the call did not end within 20 s",
		       offset_s);
	}
	EXPECT_EQ(expected, r.ret);
	EXPECT_LE(AN_SEC * 9 / 10, r.took_ns) {
		TH_LOG("offset %+ld s: ended after %llu ms", offset_s,
		       (unsigned long long)r.took_ns / 1000000);
	}
	EXPECT_GT(AN_SEC * 10, r.took_ns);
}

#endif /* SELFTESTS_TIMENS_CHECK_H */
