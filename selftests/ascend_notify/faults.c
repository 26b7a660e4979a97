// SPDX-License-Identifier: GPL-2.0
/*
 * Systematic fault injection into every allocating ioctl (and open()).
 *
 * For each call, N = 1, 2, ...: snapshot the module's counters (netlink STATS_GET), write N to
 * /proc/thread-self/fail-nth (the N-th fault-injection point this thread
 * reaches then fails), issue the call, read fail-nth back. 0 means the N-th
 * point was reached and failed: the call must either fail with the
 * documented errno (ENOMEM) and leave every counter and all visible state
 * as it was, or have absorbed the failure (a retried allocation) and
 * succeeded. Nonzero means the call completed before reaching point N:
 * it must have succeeded, and the loop ends. Each loop must have failed the
 * call at least once, or the test proved nothing.
 *
 * With CONFIG_FAULT_INJECTION_USERCOPY, fail-nth also counts the kernel's
 * copies from and to user memory (every should_fail() site counts): those
 * fail the call with EFAULT, which the error tables also document ("the
 * structure cannot be read" / "cannot be written back; nothing was
 * created"), and leave the same nothing behind. Both are accepted; each
 * loop must fail the call with ENOMEM at least once.
 *
 * Needs CONFIG_FAULT_INJECTION_DEBUG_FS, CONFIG_FAILSLAB and
 * CONFIG_FAIL_PAGE_ALLOC (the debug guest kernel); elsewhere every test
 * skips with the reason. failslab and fail_page_alloc are configured for
 * the test (ignore-gfp-wait 0, so GFP_KERNEL allocations are eligible,
 * min-order 0, verbose 0, probability 0) and restored afterwards.
 */
#include "an_test.h"
#include "kselftest_harness.h"
#include "fault_inject.h"

#define BATCH_LARGE	8192	/* kvmalloc beyond a page: the vmalloc path */

/* Fault points counted by every test of this program, for the summary. */
struct fi_totals {
	unsigned int points;	/* calls failed by an injected fault */
	unsigned int enomem;	/* of which allocation failures */
	unsigned int absorbed;	/* faults the call recovered from */
	unsigned int loops;	/* loops that ran */
};
static struct fi_totals *totals;

static void __attribute__((constructor)) fi_totals_map(void)
{
	/* Shared with the forked test children, set up before the harness. */
	totals = mmap(NULL, sizeof(*totals), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (totals == MAP_FAILED)
		totals = NULL;
	else
		memset(totals, 0, sizeof(*totals));
}

FIXTURE(faults) {
	int fd;			/* the context under test */
	struct fi_env fi;
	uint32_t major;		/* the module's ABI major */
	uint32_t last;		/* highest handle number seen */
};

FIXTURE_SETUP(faults)
{
	struct ascend_notify_version v = { 0 };

	self->last = 0;
	self->fd = an_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, an_ioctl(self->fd, ASCEND_NOTIFY_IOC_VERSION, &v));
	self->major = v.major;

	fi_setup(_metadata, &self->fi);
}

FIXTURE_TEARDOWN(faults)
{
	fi_teardown(_metadata, &self->fi);
	if (self->fd >= 0)
		close(self->fd);
	EXPECT_EQ(0, an_live_objects());
}

/* ---- the calls under test ------------------------------------------------ */

struct fi_state {
	int fd;
	uint32_t h, h2, out;
	int newfd;
	int32_t pids[2];
	char key[AN_KEY_BUF];
	uint32_t *batch;
	uint32_t count;
	uint64_t mem_used;
};

struct fi_op {
	const char *name;
	/* Before the loop iteration: prerequisites, not under injection. */
	void (*prep)(struct __test_metadata *_metadata, struct fi_state *st);
	/* The call under injection: 0 or -errno, and nothing else. */
	int (*call)(struct fi_state *st);
	/* After a failure: nothing visible changed. */
	void (*failed)(struct __test_metadata *_metadata, struct fi_state *st);
	/* After success: the effect is there; undo it. */
	void (*done)(struct __test_metadata *_metadata, struct fi_state *st);
	/* After the iteration: drop the prerequisites. */
	void (*unprep)(struct __test_metadata *_metadata, struct fi_state *st);
	/*
	 * Its allocations are kvmalloc()s beyond a page: a failed kmalloc()
	 * falls back to vmalloc(), and fail-nth fails one point per call, so
	 * the call cannot fail for want of memory. Each fallback must be seen
	 * absorbed instead (the vmalloc path ran and the call succeeded).
	 */
	unsigned int kvmallocs;
};

static void stats_equal(struct __test_metadata *_metadata,
			const struct an_stats *a,
			const struct an_stats *b)
{
	EXPECT_EQ(a->contexts, b->contexts);
	EXPECT_EQ(a->objects, b->objects);
	EXPECT_EQ(a->handles, b->handles);
	EXPECT_EQ(a->keys, b->keys);
}

/*
 * Creates a notify and checks that no handle number between the last one
 * seen and the new one names anything: a reservation a failed call left
 * behind would show up here.
 */
static uint32_t create_checked(struct __test_metadata *_metadata, int fd,
			       uint32_t *last)
{
	struct ascend_notify_info info;
	uint32_t h = 0, id;

	EXPECT_EQ(0, an_create(fd, 0, 0, &h));
	for (id = *last + 1; id < h && id - *last < 64; id++) {
		EXPECT_EQ(-ENOENT, an_info(fd, id, &info))
			TH_LOG("handle %u", id);
	}
	if (h > *last)
		*last = h;
	return h;
}

/*
 * The loop. Returns the number of fault points that failed the call; logs
 * them and those the call absorbed.
 */
static unsigned int fi_loop(struct __test_metadata *_metadata,
			    FIXTURE_DATA(faults) *self, const struct fi_op *op,
			    struct fi_state *st)
{
	unsigned int n, points = 0, absorbed = 0, enomem = 0;
	struct an_stats before, after;
	bool completed = false;

	st->fd = self->fd;
	for (n = 1; n <= FI_MAX_POINTS && !completed; n++) {
		int ret, left;

		if (op->prep)
			op->prep(_metadata, st);
		ASSERT_EQ(0, an_stats(&before));

		ASSERT_EQ(0, fi_arm(self->fi.nth, n));
		ret = op->call(st);
		left = fi_left(self->fi.nth);
		ASSERT_LE(0, left);
		if (left) {
			/* Done before the N-th point: clear it, and stop. */
			ASSERT_EQ(0, fi_disarm(self->fi.nth));
			ASSERT_EQ(0, ret) TH_LOG("%s with no fault: %s", op->name,
						 strerror(-ret));
			completed = true;
		}
		if (ret) {
			/* ENOMEM: an allocation; EFAULT: a user copy. */
			ASSERT_TRUE(ret == -ENOMEM || ret == -EFAULT)
				TH_LOG("%s, fault point %u: %s, not ENOMEM or EFAULT",
				       op->name, n, strerror(-ret));
			if (ret == -ENOMEM)
				enomem++;
			ASSERT_EQ(0, an_stats(&after));
			stats_equal(_metadata, &before, &after);
			if (op->failed)
				op->failed(_metadata, st);
			points++;
		} else {
			if (!completed)
				absorbed++;
			if (op->done)
				op->done(_metadata, st);
		}
		if (op->unprep)
			op->unprep(_metadata, st);
		/* The context works after every fault. */
		if (!_metadata->passed)
			break;
	}
	EXPECT_TRUE(completed) TH_LOG("%s: no success within %d fault points",
				      op->name, FI_MAX_POINTS);
	ksft_print_msg("%s: %u fault points exercised: %u ENOMEM, %u EFAULT, %u more absorbed\n",
		       op->name, points, enomem, points - enomem, absorbed);
	if (totals) {
		__atomic_add_fetch(&totals->points, points, __ATOMIC_RELAXED);
		__atomic_add_fetch(&totals->enomem, enomem, __ATOMIC_RELAXED);
		__atomic_add_fetch(&totals->absorbed, absorbed, __ATOMIC_RELAXED);
		__atomic_add_fetch(&totals->loops, 1, __ATOMIC_RELAXED);
	}
	/* An ioctl that allocates must have failed for want of memory. */
	if (op->kvmallocs) {
		EXPECT_LE(op->kvmallocs, absorbed)
			TH_LOG("%s: a vmalloc fallback never ran", op->name);
	} else {
		EXPECT_LT(0, enomem) TH_LOG("%s: no allocation failed it: vacuous",
					    op->name);
	}
	return points;
}

/* open(): a context, and nothing when it fails. */
static int call_open(struct fi_state *st)
{
	st->newfd = open(ASCEND_NOTIFY_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	return st->newfd < 0 ? -errno : 0;
}

static void done_open(struct __test_metadata *_metadata, struct fi_state *st)
{
	struct an_stats s;

	EXPECT_EQ(0, an_stats(&s));
	EXPECT_LE(2, s.contexts);
	close(st->newfd);
}

TEST_F(faults, open)
{
	const struct fi_op op = { "open", NULL, call_open, NULL, done_open, NULL, 0 };
	struct fi_state st = { 0 };

	FI_NEED_INJECTION(&self->fi);
	fi_loop(_metadata, self, &op, &st);
}

/* CREATE: no notify, no handle, no reserved id left behind. */
static int call_create(struct fi_state *st)
{
	struct ascend_notify_create c = { .dev = 0 };
	int ret = an_ioctl(st->fd, ASCEND_NOTIFY_IOC_CREATE, &c);

	st->out = ret ? 0 : c.handle;
	return ret;
}

static uint32_t *last_handle;	/* FIXTURE_DATA(faults).last */

static void failed_create(struct __test_metadata *_metadata,
			  struct fi_state *st)
{
	EXPECT_EQ(0, an_destroy(st->fd, create_checked(_metadata, st->fd,
						       last_handle)));
}

static void done_create(struct __test_metadata *_metadata, struct fi_state *st)
{
	struct ascend_notify_info info;

	EXPECT_EQ(0, an_info(st->fd, st->out, &info));
	EXPECT_EQ(0, info.info_flags & ASCEND_NOTIFY_INFO_IMPORTED);
	if (st->out > *last_handle)
		*last_handle = st->out;
	EXPECT_EQ(0, an_destroy(st->fd, st->out));
}

TEST_F(faults, create)
{
	const struct fi_op op = { "CREATE", NULL, call_create, failed_create,
				  done_create, NULL, 0 };
	struct fi_state st = { 0 };

	FI_NEED_INJECTION(&self->fi);
	last_handle = &self->last;
	fi_loop(_metadata, self, &op, &st);
}

/* EXPORT: no key published; a retry exports (not EEXIST). */
static void prep_notify(struct __test_metadata *_metadata, struct fi_state *st)
{
	ASSERT_EQ(0, an_create(st->fd, 0, 0, &st->h));
}

static void unprep_notify(struct __test_metadata *_metadata,
			  struct fi_state *st)
{
	EXPECT_EQ(0, an_destroy(st->fd, st->h));
}

static int call_export(struct fi_state *st)
{
	return an_export(st->fd, st->h, 0, st->key);
}

static void failed_export(struct __test_metadata *_metadata,
			  struct fi_state *st)
{
	struct ascend_notify_info info;

	EXPECT_EQ(0, an_info(st->fd, st->h, &info));
	EXPECT_EQ(0, info.info_flags & ASCEND_NOTIFY_INFO_EXPORTED);
	EXPECT_EQ(0, an_export(st->fd, st->h, 0, st->key));
}

static void done_export(struct __test_metadata *_metadata, struct fi_state *st)
{
	struct ascend_notify_info info;

	EXPECT_EQ(0, an_info(st->fd, st->h, &info));
	EXPECT_NE(0, info.info_flags & ASCEND_NOTIFY_INFO_EXPORTED);
	EXPECT_EQ(-EEXIST, an_export(st->fd, st->h, 0, NULL));
}

TEST_F(faults, export)
{
	const struct fi_op op = { "EXPORT", prep_notify, call_export,
				  failed_export, done_export, unprep_notify, 0 };
	struct fi_state st = { 0 };

	FI_NEED_INJECTION(&self->fi);
	fi_loop(_metadata, self, &op, &st);
}

/* SET_PIDS: the list is all or nothing, so a failed call trusts nobody. */
static void prep_exported(struct __test_metadata *_metadata,
			  struct fi_state *st)
{
	prep_notify(_metadata, st);
	ASSERT_EQ(0, an_export(st->fd, st->h, 0, st->key));
}

static int call_set_pids(struct fi_state *st)
{
	return an_set_pids(st->fd, st->h, st->pids, 2);
}

static void failed_set_pids(struct __test_metadata *_metadata,
			    struct fi_state *st)
{
	EXPECT_EQ(-EACCES, an_import(st->fd, st->key, 0, 0, &st->out));
}

static void done_set_pids(struct __test_metadata *_metadata,
			  struct fi_state *st)
{
	ASSERT_EQ(0, an_import(st->fd, st->key, 0, 0, &st->out));
	EXPECT_EQ(0, an_destroy(st->fd, st->out));
}

TEST_F(faults, set_pids)
{
	const struct fi_op op = { "SET_PIDS", prep_exported, call_set_pids,
				  failed_set_pids, done_set_pids, unprep_notify, 0 };
	struct fi_state st = { 0 };

	FI_NEED_INJECTION(&self->fi);
	st.pids[0] = 1;		/* init: exists, and is not us */
	st.pids[1] = an_bare_tgid(self->fd);
	ASSERT_LT(0, st.pids[1]);
	fi_loop(_metadata, self, &op, &st);
}

/* IMPORT: no handle, no reserved id; the key stays importable. */
static void prep_open_export(struct __test_metadata *_metadata,
			     struct fi_state *st)
{
	prep_notify(_metadata, st);
	ASSERT_EQ(0, an_export(st->fd, st->h, ASCEND_NOTIFY_EXPORT_NO_PID_CHECK,
			       st->key));
}

static int call_import(struct fi_state *st)
{
	struct ascend_notify_import im = { .dev = 0 };
	int ret;

	memcpy(im.key, st->key, ASCEND_NOTIFY_KEY_LEN);
	ret = an_ioctl(st->fd, ASCEND_NOTIFY_IOC_IMPORT, &im);
	st->out = ret ? 0 : im.handle;
	return ret;
}

static void failed_import(struct __test_metadata *_metadata,
			  struct fi_state *st)
{
	struct ascend_notify_info info;
	uint32_t imp = 0, id;

	ASSERT_EQ(0, an_import(st->fd, st->key, 0, 0, &imp));
	for (id = *last_handle + 1; id < imp && id - *last_handle < 64; id++) {
		if (id == st->h)
			continue;
		EXPECT_EQ(-ENOENT, an_info(st->fd, id, &info)) {
			TH_LOG("handle %u", id);
		}
	}
	*last_handle = imp;
	EXPECT_EQ(0, an_destroy(st->fd, imp));
}

static void done_import(struct __test_metadata *_metadata, struct fi_state *st)
{
	struct ascend_notify_info info;

	EXPECT_EQ(0, an_info(st->fd, st->out, &info));
	EXPECT_NE(0, info.info_flags & ASCEND_NOTIFY_INFO_IMPORTED);
	*last_handle = st->out;
	EXPECT_EQ(0, an_destroy(st->fd, st->out));
}

static void prep_import(struct __test_metadata *_metadata, struct fi_state *st)
{
	prep_open_export(_metadata, st);
	*last_handle = st->h;
}

TEST_F(faults, import)
{
	const struct fi_op op = { "IMPORT", prep_import, call_import,
				  failed_import, done_import, unprep_notify, 0 };
	struct fi_state st = { 0 };

	FI_NEED_INJECTION(&self->fi);
	last_handle = &self->last;
	fi_loop(_metadata, self, &op, &st);
}

/* BATCH_RESET: all or nothing, so a failed call leaves both bits set. */
static void prep_two_set(struct __test_metadata *_metadata,
			 struct fi_state *st)
{
	uint32_t i;

	ASSERT_EQ(0, an_create(st->fd, 0, 0, &st->h));
	ASSERT_EQ(0, an_create(st->fd, 1, 0, &st->h2));
	ASSERT_EQ(0, an_record(st->fd, st->h));
	ASSERT_EQ(0, an_record(st->fd, st->h2));
	for (i = 0; i < st->count; i++)
		st->batch[i] = i & 1 ? st->h2 : st->h;
}

static void unprep_two(struct __test_metadata *_metadata, struct fi_state *st)
{
	EXPECT_EQ(0, an_destroy(st->fd, st->h));
	EXPECT_EQ(0, an_destroy(st->fd, st->h2));
}

static int call_batch(struct fi_state *st)
{
	return an_batch_reset(st->fd, st->batch, st->count);
}

static void failed_batch(struct __test_metadata *_metadata,
			 struct fi_state *st)
{
	EXPECT_EQ(1, an_is_set(st->fd, st->h));
	EXPECT_EQ(1, an_is_set(st->fd, st->h2));
}

static void done_batch(struct __test_metadata *_metadata, struct fi_state *st)
{
	EXPECT_EQ(0, an_is_set(st->fd, st->h));
	EXPECT_EQ(0, an_is_set(st->fd, st->h2));
}

TEST_F(faults, batch_reset)
{
	const struct fi_op op = { "BATCH_RESET", prep_two_set, call_batch,
				  failed_batch, done_batch, unprep_two, 0 };
	uint32_t batch[2];
	struct fi_state st = { .batch = batch, .count = 2 };

	FI_NEED_INJECTION(&self->fi);
	fi_loop(_metadata, self, &op, &st);
}

/*
 * The same with arrays beyond a page, which kvmalloc() gets from vmalloc()
 * when kmalloc() fails: the handle ids and the handle pointers, both
 * absorbed, and the copies of the arguments and of the array (EFAULT).
 */
TEST_F(faults, batch_reset_large)
{
	const struct fi_op op = { "BATCH_RESET(large)", prep_two_set,
				  call_batch, failed_batch, done_batch,
				  unprep_two, 2 };
	struct fi_state st = { .count = BATCH_LARGE };

	FI_NEED_INJECTION(&self->fi);
	st.batch = calloc(BATCH_LARGE, sizeof(*st.batch));
	ASSERT_NE(NULL, st.batch);
	/* Touch every page now: a page fault in the call is a fault point. */
	memset(st.batch, 0xff, BATCH_LARGE * sizeof(*st.batch));
	fi_loop(_metadata, self, &op, &st);
	free(st.batch);
}

/* ---- ABI 1.2 ------------------------------------------------------------- */

/*
 * Skips unless the module has our ABI major and really implements @cmd:
 * the probe (a valid call without injection) must not be ENOTTY or EINVAL.
 */
static const char *abi12_missing(FIXTURE_DATA(faults) *self, unsigned long cmd,
				 void *probe, uint32_t *handle)
{
	int ret;

	if (self->major != ASCEND_NOTIFY_ABI_MAJOR)
		return "module of another ABI major";
	ret = an_ioctl(self->fd, cmd, probe);
	if (ret == -ENOTTY || ret == -EINVAL)
		return "module reports our ABI but refuses the call (not implemented)";
	if (ret)
		return "the probe call failed";
	an_destroy(self->fd, *handle);
	return NULL;
}

static int call_create_event(struct fi_state *st)
{
	struct ascend_notify_create c = { .dev = 0,
					  .flags = ASCEND_NOTIFY_CREATE_EVENT };
	int ret = an_ioctl(st->fd, ASCEND_NOTIFY_IOC_CREATE, &c);

	st->out = ret ? 0 : c.handle;
	return ret;
}

static void done_create_event(struct __test_metadata *_metadata,
			      struct fi_state *st)
{
	struct ascend_notify_info info;

	EXPECT_EQ(0, an_info(st->fd, st->out, &info));
	EXPECT_NE(0, info.info_flags & ASCEND_NOTIFY_INFO_EVENT);
	if (st->out > *last_handle)
		*last_handle = st->out;
	EXPECT_EQ(0, an_destroy(st->fd, st->out));
}

TEST_F(faults, create_event)
{
	const struct fi_op op = { "CREATE(EVENT)", NULL, call_create_event,
				  failed_create, done_create_event, NULL, 0 };
	struct ascend_notify_create probe = {
		.dev = 0, .flags = ASCEND_NOTIFY_CREATE_EVENT,
	};
	struct fi_state st = { 0 };
	const char *why;

	FI_NEED_INJECTION(&self->fi);
	why = abi12_missing(self, ASCEND_NOTIFY_IOC_CREATE, &probe,
			    &probe.handle);
	if (why)
		SKIP(return, "%s", why);
	last_handle = &self->last;
	fi_loop(_metadata, self, &op, &st);
}

static int device_mem_used(int fd, uint64_t *used)
{
	struct ascend_notify_device_mem m = { .dev = 0 };
	int ret = an_ioctl(fd, ASCEND_NOTIFY_IOC_DEVICE_MEM, &m);

	*used = m.used;
	return ret;
}

static void prep_mem(struct __test_metadata *_metadata, struct fi_state *st)
{
	ASSERT_EQ(0, device_mem_used(st->fd, &st->mem_used));
}

static int call_mem_alloc(struct fi_state *st)
{
	struct ascend_notify_mem m = { .dev = 0, .size = 3 * 4096 + 1 };
	int ret = an_ioctl(st->fd, ASCEND_NOTIFY_IOC_MEM_ALLOC, &m);

	st->out = ret ? 0 : m.handle;
	return ret;
}

static void failed_mem_alloc(struct __test_metadata *_metadata,
			     struct fi_state *st)
{
	uint64_t used;

	EXPECT_EQ(0, device_mem_used(st->fd, &used));
	EXPECT_EQ(st->mem_used, used);
	failed_create(_metadata, st);
}

static void done_mem_alloc(struct __test_metadata *_metadata,
			   struct fi_state *st)
{
	struct ascend_notify_mem m = { .handle = st->out };
	uint64_t used;
	void *p;

	ASSERT_EQ(0, an_ioctl(st->fd, ASCEND_NOTIFY_IOC_MEM_INFO, &m));
	EXPECT_EQ(4 * 4096, m.size);
	p = mmap(NULL, m.size, PROT_READ | PROT_WRITE, MAP_SHARED, st->fd,
		 m.mmap_offset);
	EXPECT_NE(MAP_FAILED, p);
	if (p != MAP_FAILED) {
		memset(p, 0x5a, m.size);
		munmap(p, m.size);
	}
	EXPECT_EQ(0, device_mem_used(st->fd, &used));
	EXPECT_EQ(st->mem_used + 4 * 4096, used);
	if (st->out > *last_handle)
		*last_handle = st->out;
	EXPECT_EQ(0, an_destroy(st->fd, st->out));
}

TEST_F(faults, mem_alloc)
{
	const struct fi_op op = { "MEM_ALLOC", prep_mem, call_mem_alloc,
				  failed_mem_alloc, done_mem_alloc, NULL, 0 };
	struct ascend_notify_mem probe = { .dev = 0, .size = 4096 };
	struct fi_state st = { 0 };
	const char *why;

	FI_NEED_INJECTION(&self->fi);
	why = abi12_missing(self, ASCEND_NOTIFY_IOC_MEM_ALLOC, &probe,
			    &probe.handle);
	if (why)
		SKIP(return, "%s", why);
	last_handle = &self->last;
	fi_loop(_metadata, self, &op, &st);
}

/* Last (tests run in the order they are defined): the total. */
TEST_F(faults, summary)
{
	FI_NEED_INJECTION(&self->fi);
	ASSERT_NE(NULL, totals);
	ksft_print_msg("fault points exercised: %u (%u ENOMEM, %u EFAULT; %u absorbed; %u loops)\n",
		       totals->points, totals->enomem,
		       totals->points - totals->enomem, totals->absorbed,
		       totals->loops);
	EXPECT_LT(0, totals->enomem);
}

TEST_HARNESS_MAIN
