// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel allocation failures seen through the CANN API. For each call that
 * makes the module allocate (aclrtCreateNotify, aclrtNotifyGetExportKey,
 * aclrtNotifySetImportPid, aclrtNotifyImportByKey), N = 1, 2, ...: arm
 * /proc/thread-self/fail-nth with N right before the call, so that the
 * N-th fault-injection point the calling thread reaches fails. That point
 * may be in the module, or in a kernel allocation behind the library's own
 * malloc (brk, mmap): either way the call must return
 * ACL_ERROR_RT_MEMORY_ALLOCATION (207001), leave the module's object
 * counters as they were, and a retry without injection must succeed.
 *
 * With CONFIG_FAULT_INJECTION_USERCOPY (the debug guest kernel) fail-nth
 * also counts the kernel's copies from and to user memory; a failed one is
 * EFAULT, which the library maps to ACL_ERROR_INVALID_PARAM (100000): that
 * is accepted too, and counted apart. Each loop must see 207001 at least
 * once.
 *
 * Needs fault injection (failslab, fail_page_alloc, fail-nth); skips
 * without it.
 */
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <linux/ascend_notify.h>

#include "acl_test.h"
#include "kselftest_harness.h"

#define FAIL_NTH	"/proc/thread-self/fail-nth"
#define DEBUGFS		"/sys/kernel/debug"
#define MAX_POINTS	500

static const char *const knob_path[] = {
	DEBUGFS "/failslab/ignore-gfp-wait",
	DEBUGFS "/failslab/verbose",
	DEBUGFS "/failslab/probability",
	DEBUGFS "/fail_page_alloc/ignore-gfp-wait",
	DEBUGFS "/fail_page_alloc/min-order",
	DEBUGFS "/fail_page_alloc/verbose",
	DEBUGFS "/fail_page_alloc/probability",
};
#define NKNOBS	(sizeof(knob_path) / sizeof(knob_path[0]))

static int rd(const char *path, char *buf, size_t len)
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

static int wr(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -errno;
}

static int disarm(int nth);

FIXTURE(faults) {
	const char *why;
	int nth;		/* /proc/thread-self/fail-nth */
	int dev;		/* raw context, for ASCEND_NOTIFY_IOC_STATS */
	char saved[NKNOBS][32];
	bool changed[NKNOBS];
	int32_t me;
};

FIXTURE_SETUP(faults)
{
	struct stat st;
	aclrtNotify warm;
	size_t i;

	self->nth = -1;
	self->why = NULL;
	memset(self->changed, 0, sizeof(self->changed));
	ASSERT_EQ(ACL_SUCCESS, aclInit(NULL));
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(0));
	ASSERT_EQ(ACL_SUCCESS, aclrtDeviceGetBareTgid(&self->me));
	/* Whatever the library sets up lazily, it does now. */
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateNotify(&warm, 0));
	ASSERT_EQ(ACL_SUCCESS, aclrtDestroyNotify(warm));
	self->dev = open(ASCEND_NOTIFY_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->dev);

	if (stat(DEBUGFS "/failslab", &st))
		mount("debugfs", DEBUGFS, "debugfs", 0, NULL);
	if (access(FAIL_NTH, W_OK)) {
		self->why = "no " FAIL_NTH " (kernel without CONFIG_FAULT_INJECTION)";
		return;
	}
	if (stat(DEBUGFS "/failslab", &st) ||
	    stat(DEBUGFS "/fail_page_alloc", &st)) {
		self->why = "no failslab or fail_page_alloc in debugfs";
		return;
	}
	for (i = 0; i < NKNOBS; i++) {
		const char *val = "0";

		ASSERT_EQ(0, rd(knob_path[i], self->saved[i],
				sizeof(self->saved[i])));
		ASSERT_EQ(0, wr(knob_path[i], val)) TH_LOG("%s", knob_path[i]);
		self->changed[i] = true;
	}
	self->nth = open(FAIL_NTH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->nth);
}

FIXTURE_TEARDOWN(faults)
{
	size_t i;

	if (self->nth >= 0) {
		EXPECT_EQ(0, disarm(self->nth));
		close(self->nth);
	}
	for (i = 0; i < NKNOBS; i++)
		if (self->changed[i])
			EXPECT_EQ(0, wr(knob_path[i], self->saved[i]));
	if (self->dev >= 0)
		close(self->dev);
	aclFinalize();
}

static int arm(int nth, unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	return pwrite(nth, buf, len, 0) == len ? 0 : -errno;
}

/* Clears fail-nth; the write's own user copy may take the last point. */
static int disarm(int nth)
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

/* The read's copy to user memory fails when it takes the last point (1). */
static int left(int nth)
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

static void stats(struct __test_metadata *_metadata, int fd,
		  struct ascend_notify_stats *st)
{
	memset(st, 0, sizeof(*st));
	ASSERT_EQ(0, ioctl(fd, ASCEND_NOTIFY_IOC_STATS, st));
}

struct op {
	const char *name;
	aclrtNotify notify;	/* prepared by the test */
	aclrtNotify out;	/* created or imported by the call */
	char key[KEY_BUF];
	int32_t pid;
};

enum which { CREATE, EXPORT, SET_PID, IMPORT };

static aclError call(enum which w, struct op *op)
{
	switch (w) {
	case CREATE:
		return aclrtCreateNotify(&op->out, 0);
	case EXPORT:
		return aclrtNotifyGetExportKey(op->notify, op->key, KEY_BUF, 0);
	case SET_PID:
		return aclrtNotifySetImportPid(op->notify, &op->pid, 1);
	case IMPORT:
		return aclrtNotifyImportByKey(&op->out, op->key, 0);
	}
	return ACL_ERROR_INVALID_PARAM;
}

/* Prepares the notify a call works on; not under injection. */
static void prep(struct __test_metadata *_metadata, enum which w,
		 struct op *op)
{
	op->notify = NULL;
	op->out = NULL;
	if (w == CREATE)
		return;
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateNotify(&op->notify, 0));
	if (w == SET_PID)
		ASSERT_EQ(ACL_SUCCESS, aclrtNotifyGetExportKey(op->notify,
				op->key, KEY_BUF, 0));
	if (w == IMPORT)
		ASSERT_EQ(ACL_SUCCESS, aclrtNotifyGetExportKey(op->notify,
				op->key, KEY_BUF,
				ACL_RT_NOTIFY_EXPORT_FLAG_DISABLE_PID_VALIDATION));
}

static void unprep(struct __test_metadata *_metadata, struct op *op)
{
	if (op->out)
		EXPECT_EQ(ACL_SUCCESS, aclrtDestroyNotify(op->out));
	if (op->notify)
		EXPECT_EQ(ACL_SUCCESS, aclrtDestroyNotify(op->notify));
	op->out = op->notify = NULL;
}

static void fault_loop(struct __test_metadata *_metadata,
		       FIXTURE_DATA(faults) *self, enum which w, struct op *op)
{
	struct ascend_notify_stats before, after;
	unsigned int n, points = 0, absorbed = 0, nomem = 0;
	bool completed = false;

	for (n = 1; n <= MAX_POINTS && !completed; n++) {
		aclError ret;
		int l;

		prep(_metadata, w, op);
		stats(_metadata, self->dev, &before);
		ASSERT_EQ(0, arm(self->nth, n));
		ret = call(w, op);
		l = left(self->nth);
		ASSERT_LE(0, l);
		if (l) {
			ASSERT_EQ(0, disarm(self->nth));
			ASSERT_EQ(ACL_SUCCESS, ret)
				TH_LOG("%s without a fault", op->name);
			completed = true;
		} else if (ret == ACL_SUCCESS) {
			absorbed++;
		}
		if (ret != ACL_SUCCESS) {
			points++;
			/* 207001: an allocation; 100000: a user copy (EFAULT). */
			EXPECT_TRUE(ret == ACL_ERROR_RT_MEMORY_ALLOCATION ||
				    ret == ACL_ERROR_INVALID_PARAM)
				TH_LOG("%s, fault point %u: %d", op->name, n, ret);
			if (ret == ACL_ERROR_RT_MEMORY_ALLOCATION)
				nomem++;
			stats(_metadata, self->dev, &after);
			EXPECT_EQ(before.notifies, after.notifies);
			EXPECT_EQ(before.handles, after.handles);
			EXPECT_EQ(before.keys, after.keys);
			/* A retry, without injection, succeeds. */
			EXPECT_EQ(ACL_SUCCESS, call(w, op))
				TH_LOG("%s: retry after fault point %u", op->name, n);
		}
		if (w == IMPORT && op->out) {
			struct ascend_notify_stats s;

			stats(_metadata, self->dev, &s);
			EXPECT_EQ(before.handles + 1, s.handles);
		}
		unprep(_metadata, op);
		if (!_metadata->passed)
			break;
	}
	EXPECT_TRUE(completed);
	ksft_print_msg("%s: %u fault points exercised: %u ACL_ERROR_RT_MEMORY_ALLOCATION, %u ACL_ERROR_INVALID_PARAM, %u more absorbed\n",
		       op->name, points, nomem, points - nomem, absorbed);
	EXPECT_LT(0, nomem) TH_LOG("%s never ran out of memory: vacuous",
				   op->name);
}

#define NEED_INJECTION() do {						\
		if (self->why)						\
			SKIP(return, "%s", self->why);			\
	} while (0)

TEST_F(faults, create_notify)
{
	struct op op = { .name = "aclrtCreateNotify" };

	NEED_INJECTION();
	fault_loop(_metadata, self, CREATE, &op);
}

TEST_F(faults, get_export_key)
{
	struct op op = { .name = "aclrtNotifyGetExportKey" };

	NEED_INJECTION();
	fault_loop(_metadata, self, EXPORT, &op);
}

TEST_F(faults, set_import_pid)
{
	struct op op = { .name = "aclrtNotifySetImportPid" };

	NEED_INJECTION();
	op.pid = self->me;
	fault_loop(_metadata, self, SET_PID, &op);
}

TEST_F(faults, import_by_key)
{
	struct op op = { .name = "aclrtNotifyImportByKey" };

	NEED_INJECTION();
	fault_loop(_metadata, self, IMPORT, &op);
}

TEST_HARNESS_MAIN
