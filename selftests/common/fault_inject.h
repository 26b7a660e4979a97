/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fault-injection plumbing for the selftests that fail kernel allocations
 * one at a time (ascend_notify/faults.c, acl/api_faults.c): failslab and
 * fail_page_alloc configured in debugfs for the test and restored after
 * it, and /proc/thread-self/fail-nth armed so that the N-th fault-injection
 * point the calling thread reaches fails.
 *
 * A fixture holds a struct fi_env, calls fi_setup() from its setup and
 * fi_teardown() from its teardown; each test starts with
 * FI_NEED_INJECTION(), which skips it, with the reason, on a kernel
 * without fault injection.
 */
#ifndef SELFTESTS_FAULT_INJECT_H
#define SELFTESTS_FAULT_INJECT_H

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "proc.h"

#define FI_FAIL_NTH	"/proc/thread-self/fail-nth"
#define FI_DEBUGFS	"/sys/kernel/debug"
#define FI_MAX_POINTS	500	/* more and the loop is not converging */

struct fi_knob {
	const char *path;
	const char *value;
};

/*
 * What the tests need; each is saved in the fixture and restored.
 * ignore-gfp-wait 0 makes GFP_KERNEL allocations eligible, min-order 0
 * single pages too; probability 0 leaves the failing to fail-nth alone.
 */
static const struct fi_knob fi_knobs[] = {
	{ FI_DEBUGFS "/failslab/ignore-gfp-wait", "0" },
	{ FI_DEBUGFS "/failslab/verbose", "0" },
	{ FI_DEBUGFS "/failslab/probability", "0" },
	{ FI_DEBUGFS "/fail_page_alloc/ignore-gfp-wait", "0" },
	{ FI_DEBUGFS "/fail_page_alloc/min-order", "0" },
	{ FI_DEBUGFS "/fail_page_alloc/verbose", "0" },
	{ FI_DEBUGFS "/fail_page_alloc/probability", "0" },
};
#define FI_NKNOBS	(sizeof(fi_knobs) / sizeof(fi_knobs[0]))

struct fi_env {
	int nth;			/* FI_FAIL_NTH, or -1 */
	const char *why;		/* non-NULL: skip, for this reason */
	char saved[FI_NKNOBS][32];	/* the knobs' values before the test */
	bool changed[FI_NKNOBS];	/* to restore */
};

/* Reads a one-line file into @buf without its newline; 0 or -errno. */
static inline int fi_read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* Arms fail-nth. Nothing else may run between this and the call. */
static inline int fi_arm(int nth, unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	return pwrite(nth, buf, len, 0) == len ? 0 : -errno;
}

/*
 * Clears fail-nth. With usercopy fault injection the write's own copy
 * from user memory is a fault point: when it was the last one, the write
 * fails with EFAULT, but the counter is 0 then anyway.
 */
static inline int fi_disarm(int nth)
{
	char buf[16];
	int i;

	for (i = 0; i < 3; i++) {
		if (pwrite(nth, "0", 1, 0) == 1 ||
		    (errno == EFAULT && pread(nth, buf, sizeof(buf), 0) > 0 &&
		     buf[0] == '0'))
			return 0;
	}
	return -errno;
}

/*
 * What was left of fail-nth after the call: 0 once the armed point failed.
 * The read's copy to user memory may itself be a fault point: it reports
 * the value from before it, but fails with EFAULT when it consumed the
 * last point, that is when 1 was left.
 */
static inline int fi_left(int nth)
{
	char buf[16];
	ssize_t n = pread(nth, buf, sizeof(buf) - 1, 0);

	if (n < 0 && errno == EFAULT)
		return 1;
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return atoi(buf);
}

/*
 * For a fixture's setup: mounts debugfs if need be. On a kernel without
 * fail-nth, failslab or fail_page_alloc, leaves in @fi->why the reason for
 * the tests to skip; otherwise saves and sets the knobs and opens
 * fail-nth.
 */
static inline void fi_setup(struct __test_metadata *_metadata,
			    struct fi_env *fi)
{
	struct stat st;
	size_t i;

	fi->nth = -1;
	fi->why = NULL;
	memset(fi->changed, 0, sizeof(fi->changed));

	if (stat(FI_DEBUGFS "/failslab", &st))
		mount("debugfs", FI_DEBUGFS, "debugfs", 0, NULL);
	if (access(FI_FAIL_NTH, W_OK)) {
		fi->why = "no " FI_FAIL_NTH " (kernel without CONFIG_FAULT_INJECTION)";
		return;
	}
	if (stat(FI_DEBUGFS "/failslab", &st)) {
		fi->why = "no " FI_DEBUGFS "/failslab (CONFIG_FAILSLAB, debugfs)";
		return;
	}
	if (stat(FI_DEBUGFS "/fail_page_alloc", &st)) {
		fi->why = "no " FI_DEBUGFS "/fail_page_alloc (CONFIG_FAIL_PAGE_ALLOC)";
		return;
	}
	for (i = 0; i < FI_NKNOBS; i++) {
		ASSERT_EQ(0, fi_read_file(fi_knobs[i].path, fi->saved[i],
					  sizeof(fi->saved[i])))
			TH_LOG("%s", fi_knobs[i].path);
		ASSERT_EQ(0, an_write_file(fi_knobs[i].path, fi_knobs[i].value, 0))
			TH_LOG("%s", fi_knobs[i].path);
		fi->changed[i] = true;
	}
	fi->nth = open(FI_FAIL_NTH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fi->nth);
}

/* For a fixture's teardown: clears fail-nth and restores the knobs. */
static inline void fi_teardown(struct __test_metadata *_metadata,
			       struct fi_env *fi)
{
	size_t i;

	if (fi->nth >= 0) {
		EXPECT_EQ(0, fi_disarm(fi->nth));
		close(fi->nth);
	}
	for (i = 0; i < FI_NKNOBS; i++) {
		/* Booleans read back as Y/N and are written the same way. */
		if (fi->changed[i])
			EXPECT_EQ(0, an_write_file(fi_knobs[i].path,
						   fi->saved[i], 0))
				TH_LOG("restoring %s", fi_knobs[i].path);
	}
}

/* At the start of a TEST_F: skip when @fi (a struct fi_env *) says so. */
#define FI_NEED_INJECTION(fi) do {					\
		if ((fi)->why)						\
			SKIP(return, "%s", (fi)->why);			\
	} while (0)

#endif /* SELFTESTS_FAULT_INJECT_H */
