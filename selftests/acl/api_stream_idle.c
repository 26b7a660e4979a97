// SPDX-License-Identifier: GPL-2.0
/*
 * A stream blocked in a wait is idle: its threads sleep until something
 * happens, and make no context switches meanwhile (no periodic polling).
 * And the wait ends at once when something does: a record, a destroy of
 * the waited handle, aclrtDestroyStreamForce, aclFinalize. The same for a
 * value wait and a blocking callback.
 *
 * "Idle" is counted: the voluntary and involuntary context switches of
 * every thread of the process but the measuring one
 * (/proc/self/task/N/status) over IDLE_MS. A waiter that polled every
 * 100 ms would make at least IDLE_MS / 100 of them; a sleeping one makes
 * none. The measuring thread is left out: on a loaded host it is
 * preempted while it reads /proc, which says nothing about the waiter.
 */
#include <dirent.h>

#include "acl_test.h"
#include "kselftest_harness.h"

#ifndef SYS_futex_waitv
#define SYS_futex_waitv	449
#endif

#define IDLE_MS		2000
#define IDLE_MAX	5
/* "At once": well under a second, with room for a slow emulated guest. */
#define PROMPT_MS	1000

/* The context switches so far of this process's threads but the caller. */
static long ctx_switches(void)
{
	pid_t self = (pid_t)syscall(SYS_gettid);
	DIR *d = opendir("/proc/self/task");
	struct dirent *de;
	long sum = 0;

	if (!d)
		return -1;
	while ((de = readdir(d))) {
		char path[300], line[128];
		FILE *f;
		long v;

		if (de->d_name[0] == '.' || atoi(de->d_name) == self)
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/status",
			 de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "voluntary_ctxt_switches: %ld", &v) == 1 ||
			    sscanf(line, "nonvoluntary_ctxt_switches: %ld", &v) == 1)
				sum += v;
		fclose(f);
	}
	closedir(d);
	return sum;
}

/* Is every thread of this process but the caller asleep (state S)? */
static bool others_asleep(void)
{
	pid_t self = (pid_t)syscall(SYS_gettid);
	DIR *d = opendir("/proc/self/task");
	struct dirent *de;
	bool all = d != NULL;

	while (all && (de = readdir(d))) {
		char path[300], buf[512], *p;
		ssize_t n;
		int fd;

		if (de->d_name[0] == '.' || atoi(de->d_name) == self)
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/stat",
			 de->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;	/* gone */
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		buf[n > 0 ? n : 0] = '\0';
		p = strrchr(buf, ')');
		all = p && p[1] == ' ' && p[2] == 'S';
	}
	if (d)
		closedir(d);
	return all;
}

/*
 * Context switches of the whole process over IDLE_MS, counted once every
 * other thread has gone to sleep (what it took to get there is set-up).
 */
static long switches_while_idle(void)
{
	uint64_t end = now_ns() + 10000000000ull;
	long before;

	while (!others_asleep() && now_ns() < end)
		sched_yield();
	before = ctx_switches();

	/* The measuring window itself: nothing to synchronise with. */
	poll(NULL, 0, IDLE_MS);
	return ctx_switches() - before;
}

/**
 * struct syncer - a thread blocked in aclrtSynchronizeStream(@stream)
 * @res:	its result, written to the pipe when it returns.
 */
struct syncer {
	aclrtStream stream;
	aclrtContext ctx;
	_Atomic pid_t tid;
	int res[2];
	pthread_t th;
};

static void *syncer_main(void *arg)
{
	struct syncer *y = arg;
	int32_t ret = aclrtSetCurrentContext(y->ctx);

	atomic_store(&y->tid, (pid_t)syscall(SYS_gettid));
	if (!ret)
		ret = aclrtSynchronizeStream(y->stream);
	if (write(y->res[1], &ret, sizeof(ret)) != sizeof(ret))
		abort();
	return NULL;
}

static int syncer_start(struct syncer *y, aclrtStream stream)
{
	y->stream = stream;
	atomic_store(&y->tid, 0);
	if (aclrtGetCurrentContext(&y->ctx) || pipe(y->res))
		return -1;
	return pthread_create(&y->th, NULL, syncer_main, y);
}

/* Until some thread of this process sleeps in system call @nr. */
static bool some_thread_in(long nr, long arg1)
{
	uint64_t end = now_ns() + 10000000000ull;

	while (now_ns() < end) {
		DIR *d = opendir("/proc/self/task");
		struct dirent *de;
		bool found = false;

		while (d && (de = readdir(d)) && !found)
			if (de->d_name[0] != '.')
				found = an_in_syscall(atoi(de->d_name), nr,
						      arg1) == 1;
		if (d)
			closedir(d);
		if (found)
			return true;
		sched_yield();
	}
	return false;
}

/* The whole process stays (almost) still over IDLE_MS. */
#define EXPECT_IDLE() do {						\
		long n_ = switches_while_idle();			\
									\
		TH_LOG("%ld context switches in %d ms", n_, IDLE_MS);	\
		EXPECT_GE(IDLE_MAX, n_);				\
	} while (0)

/* The syncer's result, or 1 when it did not come within @ms. */
static int32_t syncer_result(struct syncer *y, int ms)
{
	struct pollfd p = { .fd = y->res[0], .events = POLLIN };
	int32_t ret = 1;

	if (poll(&p, 1, ms) == 1 && read(y->res[0], &ret, sizeof(ret)) !=
	    sizeof(ret))
		ret = 2;
	return ret;
}

static void syncer_join(struct syncer *y)
{
	pthread_join(y->th, NULL);
	close(y->res[0]);
	close(y->res[1]);
}

FIXTURE(idle) {
	aclrtStream s1, s2;
	aclrtNotify n;
	aclrtEvent e;
	struct syncer y;
	bool finalized;
};

FIXTURE_SETUP(idle)
{
	ASSERT_EQ(ACL_SUCCESS, aclInit(NULL));
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(0));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&self->s1));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&self->s2));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateNotify(&self->n, 0));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateEvent(&self->e));
}

FIXTURE_TEARDOWN(idle)
{
	if (!self->finalized)
		aclFinalize();
}

/* s1 blocked in a wait on the notify, a thread synchronising it. */
static bool block_on_notify(struct __test_metadata *_metadata,
			    FIXTURE_DATA(idle) *self)
{
	if (aclrtWaitAndResetNotify(self->n, self->s1, 0) ||
	    syncer_start(&self->y, self->s1))
		return false;
	return some_thread_in(SYS_ioctl, ASCEND_NOTIFY_IOC_WAIT);
}

TEST_F(idle, a_notify_wait_is_idle_and_a_record_ends_it)
{
	ASSERT_TRUE(block_on_notify(_metadata, self));
	EXPECT_IDLE();
	ASSERT_EQ(ACL_SUCCESS, aclrtRecordNotify(self->n, self->s2));
	EXPECT_EQ(ACL_SUCCESS, syncer_result(&self->y, PROMPT_MS));
	syncer_join(&self->y);
}

TEST_F(idle, destroying_the_notify_ends_the_wait)
{
	ASSERT_TRUE(block_on_notify(_metadata, self));
	ASSERT_EQ(ACL_SUCCESS, aclrtDestroyNotify(self->n));
	/* The handle went while waited on: the task fails. */
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE,
		  syncer_result(&self->y, PROMPT_MS));
	syncer_join(&self->y);
}

TEST_F(idle, destroy_force_ends_the_wait)
{
	ASSERT_TRUE(block_on_notify(_metadata, self));
	ASSERT_EQ(ACL_SUCCESS, aclrtDestroyStreamForce(self->s1));
	EXPECT_EQ(ACL_ERROR_RT_STREAM_ABORT,
		  syncer_result(&self->y, PROMPT_MS));
	syncer_join(&self->y);
}

TEST_F(idle, stream_abort_ends_the_wait)
{
	aclError ret;

	ASSERT_TRUE(block_on_notify(_metadata, self));
	ASSERT_EQ(ACL_SUCCESS, aclrtStreamAbort(self->s1));
	EXPECT_EQ(ACL_ERROR_RT_STREAM_ABORT,
		  syncer_result(&self->y, PROMPT_MS));
	syncer_join(&self->y);
	/*
	 * The abort may land after that synchronisation took the error:
	 * then the next one reports it. Either way the stream runs new
	 * work again.
	 */
	ret = aclrtSynchronizeStream(self->s1);
	EXPECT_TRUE(ret == ACL_SUCCESS || ret == ACL_ERROR_RT_STREAM_ABORT);
	ASSERT_EQ(ACL_SUCCESS, aclrtRecordNotify(self->n, self->s2));
	ASSERT_EQ(ACL_SUCCESS, aclrtWaitAndResetNotify(self->n, self->s1, 0));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->s1));
}

TEST_F(idle, finalize_ends_the_wait)
{
	int32_t ret;

	ASSERT_TRUE(block_on_notify(_metadata, self));
	ASSERT_EQ(ACL_SUCCESS, aclFinalize());
	self->finalized = true;
	ret = syncer_result(&self->y, PROMPT_MS);
	EXPECT_NE(1, ret);
	EXPECT_NE(ACL_SUCCESS, ret);
	syncer_join(&self->y);
}

/* An event never recorded: the stream waits on its kernel bit. */
TEST_F(idle, an_event_wait_is_idle_and_a_record_ends_it)
{
	ASSERT_EQ(ACL_SUCCESS, aclrtStreamWaitEvent(self->s1, self->e));
	ASSERT_EQ(0, syncer_start(&self->y, self->s1));
	ASSERT_TRUE(some_thread_in(SYS_ioctl, ASCEND_NOTIFY_IOC_WAIT));
	EXPECT_IDLE();
	ASSERT_EQ(ACL_SUCCESS, aclrtRecordEvent(self->e, self->s2));
	EXPECT_EQ(ACL_SUCCESS, syncer_result(&self->y, PROMPT_MS));
	syncer_join(&self->y);
}

TEST_F(idle, destroying_the_event_ends_the_wait)
{
	ASSERT_EQ(ACL_SUCCESS, aclrtStreamWaitEvent(self->s1, self->e));
	ASSERT_EQ(0, syncer_start(&self->y, self->s1));
	ASSERT_TRUE(some_thread_in(SYS_ioctl, ASCEND_NOTIFY_IOC_WAIT));
	ASSERT_EQ(ACL_SUCCESS, aclrtDestroyEvent(self->e));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE,
		  syncer_result(&self->y, PROMPT_MS));
	syncer_join(&self->y);
}

/*
 * A wait for a record queued on a stream that is itself blocked: the
 * waiting stream sleeps on the event's condition variable (a gate), which
 * a forced destroy wakes.
 */
TEST_F(idle, a_gated_event_wait_is_idle_and_destroy_force_ends_it)
{
	ASSERT_EQ(ACL_SUCCESS, aclrtWaitAndResetNotify(self->n, self->s2, 0));
	ASSERT_EQ(ACL_SUCCESS, aclrtRecordEvent(self->e, self->s2));
	ASSERT_EQ(ACL_SUCCESS, aclrtStreamWaitEvent(self->s1, self->e));
	ASSERT_EQ(0, syncer_start(&self->y, self->s1));
	EXPECT_IDLE();
	EXPECT_EQ(1, syncer_result(&self->y, 0));
	ASSERT_EQ(ACL_SUCCESS, aclrtDestroyStreamForce(self->s1));
	EXPECT_EQ(ACL_ERROR_RT_STREAM_ABORT,
		  syncer_result(&self->y, PROMPT_MS));
	syncer_join(&self->y);
	ASSERT_EQ(ACL_SUCCESS, aclrtDestroyStreamForce(self->s2));
}

TEST_F(idle, a_value_wait_is_idle_and_destroy_force_ends_it)
{
	uint64_t *buf;

	ASSERT_EQ(ACL_SUCCESS, aclrtMalloc((void **)&buf, 4096,
					   ACL_MEM_MALLOC_HUGE_FIRST));
	ASSERT_EQ(ACL_SUCCESS, aclrtMemset(buf, 4096, 0, 4096));
	ASSERT_EQ(ACL_SUCCESS, aclrtValueWait(buf, 1, ACL_STREAM_WAIT_VALUE_EQ,
					      self->s1));
	ASSERT_EQ(0, syncer_start(&self->y, self->s1));
	ASSERT_TRUE(some_thread_in(SYS_futex_waitv, -1));
	EXPECT_IDLE();
	EXPECT_EQ(1, syncer_result(&self->y, 0));
	ASSERT_EQ(ACL_SUCCESS, aclrtDestroyStreamForce(self->s1));
	EXPECT_EQ(ACL_ERROR_RT_STREAM_ABORT,
		  syncer_result(&self->y, PROMPT_MS));
	syncer_join(&self->y);
}

/* A library copy that meets the condition wakes the wait (no re-reads). */
TEST_F(idle, a_value_wait_ends_on_a_library_copy)
{
	uint64_t *buf, one = 1;

	ASSERT_EQ(ACL_SUCCESS, aclrtMalloc((void **)&buf, 4096,
					   ACL_MEM_MALLOC_HUGE_FIRST));
	ASSERT_EQ(ACL_SUCCESS, aclrtMemset(buf, 4096, 0, 4096));
	ASSERT_EQ(ACL_SUCCESS, aclrtValueWait(buf + 3, 1,
					      ACL_STREAM_WAIT_VALUE_EQ,
					      self->s1));
	ASSERT_EQ(0, syncer_start(&self->y, self->s1));
	EXPECT_EQ(1, syncer_result(&self->y, 0));
	ASSERT_EQ(ACL_SUCCESS, aclrtMemcpy(buf + 3, 8, &one, 8,
					   ACL_MEMCPY_HOST_TO_DEVICE));
	EXPECT_EQ(ACL_SUCCESS, syncer_result(&self->y, PROMPT_MS));
	syncer_join(&self->y);
}

static void never_cb(void *arg)
{
}

TEST_F(idle, a_blocking_callback_is_idle_and_destroy_force_ends_it)
{
	ASSERT_EQ(ACL_SUCCESS, aclrtSubscribeReport((uint64_t)pthread_self(),
						    self->s1));
	/* Nobody calls aclrtProcessReport: the stream waits for it. */
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchCallback(never_cb, NULL,
						   ACL_CALLBACK_BLOCK,
						   self->s1));
	ASSERT_EQ(0, syncer_start(&self->y, self->s1));
	EXPECT_IDLE();
	EXPECT_EQ(1, syncer_result(&self->y, 0));
	ASSERT_EQ(ACL_SUCCESS, aclrtDestroyStreamForce(self->s1));
	EXPECT_EQ(ACL_ERROR_RT_STREAM_ABORT,
		  syncer_result(&self->y, PROMPT_MS));
	syncer_join(&self->y);
}

TEST_HARNESS_MAIN
