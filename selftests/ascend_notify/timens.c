// SPDX-License-Identifier: GPL-2.0
/*
 * Deadlines in time namespaces. WAIT takes an absolute CLOCK_MONOTONIC
 * deadline in the caller's clock; inside a time namespace that clock is
 * the host's shifted by the namespace's offset, and a deadline one second
 * ahead must still mean one second: not a day with a +1 day offset, not
 * "already past" with a negative one.
 */
#include <poll.h>
#include <sched.h>

#include "an_test.h"
#include "kselftest_harness.h"

#define SEC	1000000000ull

/* What the child in the namespace saw: WAIT's result and how long it took. */
struct timed_wait {
	int32_t ret;
	uint64_t slept_ns;
};

/*
 * In a new time namespace whose CLOCK_MONOTONIC runs @offset_s seconds off
 * the host's, waits on a notify nobody records, one second ahead of that
 * clock. Returns 0 with @tw filled, AN_NO_TIMENS, or -errno.
 */
static int wait_in_timens(long offset_s, struct timed_wait *tw)
{
	struct pollfd pfd;
	pid_t pid;
	int p[2], ret;

	if (pipe2(p, O_CLOEXEC))
		return -errno;
	pid = an_fork_timens(offset_s);
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		struct timed_wait r;
		uint32_t h;
		uint64_t t0;
		int fd = an_open();

		if (fd < 0 || an_create(fd, 0, 0, &h))
			_exit(3);
		t0 = an_now_ns();
		r.ret = an_wait(fd, h, t0 + SEC);
		r.slept_ns = an_now_ns() - t0;
		_exit(an_send(p[1], &r, sizeof(r)) ? 0 : 4);
	}
	close(p[1]);
	/* A wait that took the offset for its length would sleep a day. */
	pfd = (struct pollfd){ .fd = p[0], .events = POLLIN };
	ret = poll(&pfd, 1, 20000) == 1 && an_recv(p[0], tw, sizeof(*tw)) ?
	      0 : -ETIMEDOUT;
	close(p[0]);
	if (ret) {
		kill(pid, SIGKILL);
		an_reap(pid);
		return ret;
	}
	ret = an_reap(pid);
	return ret == 0 || ret == AN_NO_TIMENS ? ret : -EIO;
}

static void check_one_second(struct __test_metadata *_metadata, long offset_s)
{
	struct timed_wait tw;
	int ret = wait_in_timens(offset_s, &tw);

	if (ret == AN_NO_TIMENS)
		SKIP(return, "no time namespaces");
	ASSERT_EQ(0, ret) {
		TH_LOG("offset %+ld s: the wait did not end within 20 s",
		       offset_s);
	}
	EXPECT_EQ(-ETIMEDOUT, tw.ret);
	EXPECT_LE(SEC * 9 / 10, tw.slept_ns) {
		TH_LOG("offset %+ld s: timed out after %llu ms", offset_s,
		       (unsigned long long)tw.slept_ns / 1000000);
	}
	EXPECT_GT(SEC * 10, tw.slept_ns);
}

TEST(deadline_ahead_of_a_clock_a_day_ahead)
{
	check_one_second(_metadata, 86400);
}

/* A negative offset may not make the namespace's clock negative. */
TEST(deadline_ahead_of_a_clock_behind)
{
	struct timespec now;

	ASSERT_EQ(0, clock_gettime(CLOCK_MONOTONIC, &now));
	if (now.tv_sec < 4)
		SKIP(return, "the host's clock is only %ld s old", now.tv_sec);
	check_one_second(_metadata, -(now.tv_sec - 2));
}

TEST_HARNESS_MAIN
