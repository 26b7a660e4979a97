// SPDX-License-Identifier: GPL-2.0
/*
 * The CANN API across processes and threads: the two-process flow with and
 * without trust, refused imports, processes killed while their stream
 * waits, fork, and several threads sharing streams.
 */
#include <linux/ascend_notify.h>
#include <sys/ioctl.h>
#include <fcntl.h>

#include "acl_test.h"
#include "kselftest_harness.h"

FIXTURE(proc) {
	int to_child[2];
	int to_parent[2];
};

FIXTURE_SETUP(proc)
{
	ASSERT_EQ(0, pipe(self->to_child));
	ASSERT_EQ(0, pipe(self->to_parent));
	ASSERT_EQ(ACL_SUCCESS, aclInit(NULL));
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(0));
}

FIXTURE_TEARDOWN(proc)
{
	aclFinalize();
	EXPECT_EQ(0, module_live_objects());
}

/*
 * Process B: a fresh aclInit after fork, device 1, report the bare TGID,
 * import the key it receives and answer the import's result; on success,
 * record and synchronise.
 */
static int run_b(int in, int out)
{
	char key[KEY_BUF];
	aclrtNotify n;
	aclError ret;
	int32_t pid;

	CHILD_CHECK(10, aclInit(NULL));
	CHILD_CHECK(11, aclrtSetDevice(1));
	CHILD_CHECK(12, aclrtDeviceGetBareTgid(&pid));
	if (!an_send(out, &pid, sizeof(pid)) || !an_recv(in, key, KEY_BUF))
		return 13;
	ret = aclrtNotifyImportByKey(&n, key,
			ACL_RT_NOTIFY_IMPORT_FLAG_ENABLE_PEER_ACCESS);
	if (!an_send(out, &ret, sizeof(ret)))
		return 14;
	if (ret)
		return 0;
	CHILD_CHECK(15, aclrtRecordNotify(n, NULL));
	CHILD_CHECK(16, aclrtSynchronizeStream(NULL));
	CHILD_CHECK(17, aclrtDestroyNotify(n));
	CHILD_CHECK(18, aclFinalize());
	return 0;
}

struct flow {
	uint64_t export_flags;
	bool trust;
	aclError import_ret;
};

static void host_stamp(void *arg)
{
	*(uint64_t *)arg = now_ns();
}

static void run_flow(struct __test_metadata *_metadata,
		     FIXTURE_DATA(proc) *self, const struct flow *f)
{
	uint64_t done_ns = 0, start;
	aclrtNotify notify;
	aclrtStream s;
	char key[KEY_BUF];
	aclError ret = -1;
	int32_t pid;
	pid_t b;

	b = an_fork();
	ASSERT_LE(0, b);
	if (b == 0)
		_exit(run_b(self->to_child[0], self->to_parent[1]));

	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&s));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateNotify(&notify, 0));
	ASSERT_EQ(ACL_SUCCESS, aclrtNotifyGetExportKey(notify, key, KEY_BUF,
						       f->export_flags));
	ASSERT_TRUE(an_recv(self->to_parent[0], &pid, sizeof(pid)));
	if (f->trust)
		ASSERT_EQ(ACL_SUCCESS, aclrtNotifySetImportPid(notify, &pid, 1));
	ASSERT_EQ(ACL_SUCCESS, aclrtWaitAndResetNotify(notify, s, 10));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchHostFunc(s, host_stamp, &done_ns));
	start = now_ns();
	ASSERT_TRUE(an_send(self->to_child[1], key, KEY_BUF));
	ASSERT_TRUE(an_recv(self->to_parent[0], &ret, sizeof(ret)));
	EXPECT_EQ(f->import_ret, ret);
	if (ret == ACL_SUCCESS) {
		EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(s));
		EXPECT_LT(start, done_ns);
	} else {
		/* Nobody records: the wait cannot complete. */
		EXPECT_EQ(ACL_ERROR_RT_STREAM_SYNC_TIMEOUT,
			  aclrtSynchronizeStreamWithTimeout(s, 100));
		EXPECT_EQ(0, done_ns);
		EXPECT_EQ(ACL_SUCCESS, aclrtDestroyStreamForce(s));
	}
	EXPECT_EQ(0, an_reap(b));
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyNotify(notify));
}

TEST_F(proc, flow_with_trust)
{
	const struct flow f = { ACL_RT_NOTIFY_EXPORT_FLAG_DEFAULT, true, 0 };

	run_flow(_metadata, self, &f);
}

TEST_F(proc, flow_without_pid_validation)
{
	const struct flow f = {
		ACL_RT_NOTIFY_EXPORT_FLAG_DISABLE_PID_VALIDATION, false, 0,
	};

	run_flow(_metadata, self, &f);
}

TEST_F(proc, untrusted_import_is_refused)
{
	const struct flow f = { ACL_RT_NOTIFY_EXPORT_FLAG_DEFAULT, false,
				ACL_ERROR_RT_NO_PERMISSION };

	run_flow(_metadata, self, &f);
}

TEST_F(proc, withdrawn_key_is_refused)
{
	aclrtNotify notify, imp;
	char key[KEY_BUF];

	ASSERT_EQ(ACL_SUCCESS, aclrtCreateNotify(&notify, 0));
	ASSERT_EQ(ACL_SUCCESS, aclrtNotifyGetExportKey(notify, key, KEY_BUF,
			ACL_RT_NOTIFY_EXPORT_FLAG_DISABLE_PID_VALIDATION));
	ASSERT_EQ(ACL_SUCCESS, aclrtNotifyImportByKey(&imp, key, 0));
	ASSERT_EQ(ACL_SUCCESS, aclrtDestroyNotify(notify));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtNotifyImportByKey(&notify, key, 0));
	/* The import made before lives on. */
	EXPECT_EQ(ACL_SUCCESS, aclrtRecordNotify(imp, NULL));
	EXPECT_EQ(ACL_SUCCESS, aclrtWaitAndResetNotify(imp, NULL, 1));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(NULL));
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyNotify(imp));
}

TEST_F(proc, key_of_exited_creator_is_refused)
{
	char key[KEY_BUF];
	aclrtNotify n;
	pid_t c;

	c = an_fork();
	ASSERT_LE(0, c);
	if (c == 0) {
		aclrtNotify mine;

		CHILD_CHECK(10, aclInit(NULL));
		CHILD_CHECK(11, aclrtSetDevice(0));
		CHILD_CHECK(12, aclrtCreateNotify(&mine, 0));
		CHILD_CHECK(13, aclrtNotifyGetExportKey(mine, key, KEY_BUF,
			ACL_RT_NOTIFY_EXPORT_FLAG_DISABLE_PID_VALIDATION));
		/* Exit without destroying anything. */
		_exit(an_send(self->to_parent[1], key, KEY_BUF) ? 0 : 14);
	}
	ASSERT_TRUE(an_recv(self->to_parent[0], key, KEY_BUF));
	ASSERT_EQ(0, an_reap(c));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtNotifyImportByKey(&n, key, 0));
}

TEST_F(proc, process_killed_while_its_stream_waits)
{
	char key[KEY_BUF], c;
	aclrtNotify imp;
	pid_t a;

	a = an_fork();
	ASSERT_LE(0, a);
	if (a == 0) {
		aclrtNotify mine;
		aclrtStream s;

		CHILD_CHECK(10, aclInit(NULL));
		CHILD_CHECK(11, aclrtSetDevice(0));
		CHILD_CHECK(12, aclrtCreateStream(&s));
		CHILD_CHECK(13, aclrtCreateNotify(&mine, 0));
		CHILD_CHECK(14, aclrtNotifyGetExportKey(mine, key, KEY_BUF,
			ACL_RT_NOTIFY_EXPORT_FLAG_DISABLE_PID_VALIDATION));
		CHILD_CHECK(15, aclrtWaitAndResetNotify(mine, s, 0));
		if (!an_send(self->to_parent[1], key, KEY_BUF))
			_exit(16);
		/* Blocks until killed: nothing records. */
		aclrtSynchronizeStream(s);
		_exit(17);
	}
	ASSERT_TRUE(an_recv(self->to_parent[0], key, KEY_BUF));
	ASSERT_EQ(ACL_SUCCESS, aclrtNotifyImportByKey(&imp, key, 0));
	ASSERT_EQ(0, kill(a, SIGKILL));
	ASSERT_EQ(128 + SIGKILL, an_reap(a));
	/* Our handle still works; the key went with its creator. */
	EXPECT_EQ(ACL_SUCCESS, aclrtRecordNotify(imp, NULL));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(NULL));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtNotifyImportByKey(&imp, key, 0));
	(void)c;
}

TEST_F(proc, forked_child_starts_afresh)
{
	aclrtNotify notify;
	pid_t c;

	ASSERT_EQ(ACL_SUCCESS, aclrtCreateNotify(&notify, 0));
	c = an_fork();
	ASSERT_LE(0, c);
	if (c == 0) {
		aclrtNotify n2;

		/* The parent's runtime, handles and device are not ours. */
		if (aclrtRecordNotify(notify, NULL) != ACL_ERROR_UNINITIALIZE)
			_exit(10);
		CHILD_CHECK(11, aclInit(NULL));
		if (aclrtDestroyNotify(notify) != ACL_ERROR_RT_INVALID_HANDLE)
			_exit(12);
		if (aclrtCreateNotify(&n2, 0) != ACL_ERROR_RT_CONTEXT_NULL)
			_exit(13);
		CHILD_CHECK(14, aclrtSetDevice(0));
		CHILD_CHECK(15, aclrtCreateNotify(&n2, 0));
		CHILD_CHECK(16, aclrtRecordNotify(n2, NULL));
		CHILD_CHECK(17, aclrtWaitAndResetNotify(n2, NULL, 1));
		CHILD_CHECK(18, aclrtSynchronizeStream(NULL));
		CHILD_CHECK(19, aclFinalize());
		_exit(0);
	}
	EXPECT_EQ(0, an_reap(c));
	/* The parent is unaffected. */
	EXPECT_EQ(ACL_SUCCESS, aclrtRecordNotify(notify, NULL));
	EXPECT_EQ(ACL_SUCCESS, aclrtWaitAndResetNotify(notify, NULL, 1));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(NULL));
}

/* ---- threads ------------------------------------------------------------- */

#define THREADS	4
#define ROUNDS	200

struct shared {
	aclrtStream streams[2];
	atomic_int host_calls;
	atomic_int errors;
};

static void count_call(void *arg)
{
	atomic_fetch_add(&((struct shared *)arg)->host_calls, 1);
}

static void *worker(void *arg)
{
	struct shared *sh = arg;
	aclrtNotify n[2];
	int i;

	/*
	 * Each thread sets the device itself: it is per thread. One notify
	 * per stream: records of one notify on two streams would coalesce.
	 */
	if (aclrtSetDevice(0) || aclrtCreateNotify(&n[0], 0) ||
	    aclrtCreateNotify(&n[1], 0)) {
		atomic_fetch_add(&sh->errors, 1);
		return NULL;
	}
	for (i = 0; i < ROUNDS; i++) {
		aclrtStream s = sh->streams[i % 2];

		if (aclrtRecordNotify(n[i % 2], s) ||
		    aclrtWaitAndResetNotify(n[i % 2], s, 10) ||
		    aclrtLaunchHostFunc(s, count_call, sh))
			atomic_fetch_add(&sh->errors, 1);
		if (i % 50 == 49 && aclrtSynchronizeStream(s))
			atomic_fetch_add(&sh->errors, 1);
	}
	if (aclrtSynchronizeStream(sh->streams[0]) ||
	    aclrtSynchronizeStream(sh->streams[1]) ||
	    aclrtDestroyNotify(n[0]) || aclrtDestroyNotify(n[1]))
		atomic_fetch_add(&sh->errors, 1);
	return NULL;
}

TEST_F(proc, threads_share_streams)
{
	struct shared sh = { 0 };
	pthread_t t[THREADS];
	int i;

	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&sh.streams[0]));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&sh.streams[1]));
	for (i = 0; i < THREADS; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, worker, &sh));
	for (i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	EXPECT_EQ(0, atomic_load(&sh.errors));
	EXPECT_EQ(THREADS * ROUNDS, atomic_load(&sh.host_calls));
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyStream(sh.streams[0]));
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyStream(sh.streams[1]));
}

TEST_HARNESS_MAIN
