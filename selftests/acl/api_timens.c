// SPDX-License-Identifier: GPL-2.0
/*
 * aclrtWaitAndResetNotify's timeout inside a time namespace: the library
 * turns it into an absolute CLOCK_MONOTONIC deadline read in its own
 * namespace, and a one-second timeout must still expire after one second,
 * surfacing at the synchronisation as ACL_ERROR_RT_TASK_TIMEOUT, with the
 * namespace's clock a day ahead of the host's or behind it.
 */
#include <poll.h>

#include "acl_test.h"
#include "kselftest_harness.h"

#define SEC	1000000000ull

struct timed_sync {
	int32_t ret;
	uint64_t took_ns;
};

/* 0 with @ts filled, AN_NO_TIMENS, or -errno. */
static int sync_in_timens(long offset_s, struct timed_sync *ts)
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
		struct timed_sync r;
		aclrtNotify notify;
		aclrtStream stream;
		uint64_t t0;

		CHILD_CHECK(3, aclInit(NULL));
		CHILD_CHECK(4, aclrtSetDevice(0));
		CHILD_CHECK(5, aclrtCreateStream(&stream));
		CHILD_CHECK(6, aclrtCreateNotify(&notify, 0));
		t0 = now_ns();
		CHILD_CHECK(7, aclrtWaitAndResetNotify(notify, stream, 1));
		r.ret = aclrtSynchronizeStream(stream);
		r.took_ns = now_ns() - t0;
		_exit(an_send(p[1], &r, sizeof(r)) ? 0 : 8);
	}
	close(p[1]);
	pfd = (struct pollfd){ .fd = p[0], .events = POLLIN };
	ret = poll(&pfd, 1, 20000) == 1 && an_recv(p[0], ts, sizeof(*ts)) ?
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
	struct timed_sync ts;
	int ret = sync_in_timens(offset_s, &ts);

	if (ret == AN_NO_TIMENS)
		SKIP(return, "no time namespaces");
	ASSERT_EQ(0, ret) {
		TH_LOG("offset %+ld s: the synchronisation did not end within 20 s",
		       offset_s);
	}
	EXPECT_EQ(ACL_ERROR_RT_TASK_TIMEOUT, ts.ret);
	EXPECT_LE(SEC * 9 / 10, ts.took_ns) {
		TH_LOG("offset %+ld s: timed out after %llu ms", offset_s,
		       (unsigned long long)ts.took_ns / 1000000);
	}
	EXPECT_GT(SEC * 10, ts.took_ns);
}

TEST(timeout_with_a_clock_a_day_ahead)
{
	check_one_second(_metadata, 86400);
}

/* A negative offset may not make the namespace's clock negative. */
TEST(timeout_with_a_clock_behind)
{
	struct timespec now;

	ASSERT_EQ(0, clock_gettime(CLOCK_MONOTONIC, &now));
	if (now.tv_sec < 4)
		SKIP(return, "the host's clock is only %ld s old", now.tv_sec);
	check_one_second(_metadata, -(now.tv_sec - 2));
}

TEST_HARNESS_MAIN
