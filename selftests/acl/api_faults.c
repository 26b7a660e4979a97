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

#include <linux/ascend_notify.h>

#include "acl_test.h"
#include "kselftest_harness.h"
#include "fault_inject.h"

FIXTURE(faults) {
	struct fi_env fi;
	int32_t me;
};

FIXTURE_SETUP(faults)
{
	aclrtNotify warm;

	ASSERT_EQ(ACL_SUCCESS, aclInit(NULL));
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(0));
	ASSERT_EQ(ACL_SUCCESS, aclrtDeviceGetBareTgid(&self->me));
	/* Whatever the library sets up lazily, it does now. */
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateNotify(&warm, 0));
	ASSERT_EQ(ACL_SUCCESS, aclrtDestroyNotify(warm));

	fi_setup(_metadata, &self->fi);
}

FIXTURE_TEARDOWN(faults)
{
	fi_teardown(_metadata, &self->fi);
	aclFinalize();
}

static void stats(struct __test_metadata *_metadata, struct an_stats *st)
{
	ASSERT_EQ(0, an_stats(st));
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
	struct an_stats before, after;
	unsigned int n, points = 0, absorbed = 0, nomem = 0;
	bool completed = false;

	for (n = 1; n <= FI_MAX_POINTS && !completed; n++) {
		aclError ret;
		int l;

		prep(_metadata, w, op);
		stats(_metadata, &before);
		ASSERT_EQ(0, fi_arm(self->fi.nth, n));
		ret = call(w, op);
		l = fi_left(self->fi.nth);
		ASSERT_LE(0, l);
		if (l) {
			ASSERT_EQ(0, fi_disarm(self->fi.nth));
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
			stats(_metadata, &after);
			EXPECT_EQ(before.objects, after.objects);
			EXPECT_EQ(before.handles, after.handles);
			EXPECT_EQ(before.keys, after.keys);
			/* A retry, without injection, succeeds. */
			EXPECT_EQ(ACL_SUCCESS, call(w, op))
				TH_LOG("%s: retry after fault point %u", op->name, n);
		}
		if (w == IMPORT && op->out) {
			struct an_stats s;

			stats(_metadata, &s);
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

TEST_F(faults, create_notify)
{
	struct op op = { .name = "aclrtCreateNotify" };

	FI_NEED_INJECTION(&self->fi);
	fault_loop(_metadata, self, CREATE, &op);
}

TEST_F(faults, get_export_key)
{
	struct op op = { .name = "aclrtNotifyGetExportKey" };

	FI_NEED_INJECTION(&self->fi);
	fault_loop(_metadata, self, EXPORT, &op);
}

TEST_F(faults, set_import_pid)
{
	struct op op = { .name = "aclrtNotifySetImportPid" };

	FI_NEED_INJECTION(&self->fi);
	op.pid = self->me;
	fault_loop(_metadata, self, SET_PID, &op);
}

TEST_F(faults, import_by_key)
{
	struct op op = { .name = "aclrtNotifyImportByKey" };

	FI_NEED_INJECTION(&self->fi);
	fault_loop(_metadata, self, IMPORT, &op);
}

TEST_HARNESS_MAIN
