// SPDX-License-Identifier: GPL-2.0
/*
 * IPC memory through the CANN API: export, trust, import, close in both
 * orders, refused imports, and processes that exit or are killed while
 * another still maps the pages. Every test ends with no kernel object
 * left (the module's STATS).
 */
#include <linux/ascend_notify.h>
#include <sys/ioctl.h>
#include <fcntl.h>

#include "acl_test.h"
#include "kselftest_harness.h"

#define MAGIC	0x5eedf00dU

FIXTURE(ipcmem) {
	int to_child[2];
	int to_parent[2];
	uint32_t *buf;
};

FIXTURE_SETUP(ipcmem)
{
	ASSERT_EQ(0, pipe(self->to_child));
	ASSERT_EQ(0, pipe(self->to_parent));
	ASSERT_EQ(ACL_SUCCESS, aclInit(NULL));
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(0));
	ASSERT_EQ(ACL_SUCCESS, aclrtMalloc((void **)&self->buf, 4096,
					   ACL_MEM_MALLOC_HUGE_FIRST));
	self->buf[0] = MAGIC;
}

FIXTURE_TEARDOWN(ipcmem)
{
	aclFinalize();
	EXPECT_EQ(0, module_live_objects());
}

/*
 * The importer: aclInit on @dev, send the bare TGID, receive a key, import
 * and answer the result; on success answer the first word it sees, write
 * MAGIC + 1 behind it, wait for a byte, close.
 */
static int importer(int in, int out, int dev, uint64_t flags)
{
	char key[KEY_BUF], c;
	uint32_t *p, seen;
	aclError ret;
	int32_t pid;

	CHILD_CHECK(10, aclInit(NULL));
	CHILD_CHECK(11, aclrtSetDevice(dev));
	CHILD_CHECK(12, aclrtDeviceGetBareTgid(&pid));
	if (!an_send(out, &pid, sizeof(pid)) || !an_recv(in, key, KEY_BUF))
		return 13;
	ret = aclrtIpcMemImportByKey((void **)&p, key, flags);
	if (!an_send(out, &ret, sizeof(ret)))
		return 14;
	if (ret)
		return 0;
	seen = p[0];
	p[1] = MAGIC + 1;
	if (!an_send(out, &seen, sizeof(seen)) || !an_recv(in, &c, 1))
		return 15;
	CHILD_CHECK(16, aclrtIpcMemClose(key));
	CHILD_CHECK(17, aclFinalize());
	return 0;
}

struct share {
	uint64_t export_flags;
	bool trust;
	int dev;
	uint64_t import_flags;
	aclError import_ret;
};

static void run_share(struct __test_metadata *_metadata,
		      FIXTURE_DATA(ipcmem) *self, const struct share *f)
{
	char key[KEY_BUF];
	aclError ret = -1;
	uint32_t seen = 0;
	int32_t pid;
	pid_t b;

	b = an_fork();
	ASSERT_LE(0, b);
	if (b == 0)
		_exit(importer(self->to_child[0], self->to_parent[1], f->dev,
			       f->import_flags));
	ASSERT_EQ(ACL_SUCCESS, aclrtIpcMemGetExportKey(self->buf, 4096, key,
						       KEY_BUF,
						       f->export_flags));
	ASSERT_TRUE(an_recv(self->to_parent[0], &pid, sizeof(pid)));
	if (f->trust)
		ASSERT_EQ(ACL_SUCCESS, aclrtIpcMemSetImportPid(key, &pid, 1));
	ASSERT_TRUE(an_send(self->to_child[1], key, KEY_BUF));
	ASSERT_TRUE(an_recv(self->to_parent[0], &ret, sizeof(ret)));
	EXPECT_EQ(f->import_ret, ret);
	if (ret == ACL_SUCCESS) {
		ASSERT_TRUE(an_recv(self->to_parent[0], &seen, sizeof(seen)));
		EXPECT_EQ(MAGIC, seen);
		/* The importer's write shows in the exporter's pages. */
		EXPECT_EQ(MAGIC + 1, self->buf[1]);
		ASSERT_TRUE(an_send(self->to_child[1], "x", 1));
	}
	EXPECT_EQ(0, an_reap(b));
	EXPECT_EQ(ACL_SUCCESS, aclrtIpcMemClose(key));
	EXPECT_EQ(ACL_SUCCESS, aclrtFree(self->buf));
}

TEST_F(ipcmem, share_with_trust)
{
	const struct share f = { ACL_RT_IPC_MEM_EXPORT_FLAG_DEFAULT, true, 0,
				 0, ACL_SUCCESS };

	run_share(_metadata, self, &f);
}

TEST_F(ipcmem, share_without_pid_validation)
{
	const struct share f = {
		ACL_RT_IPC_MEM_EXPORT_FLAG_DISABLE_PID_VALIDATION, false, 0, 0,
		ACL_SUCCESS,
	};

	run_share(_metadata, self, &f);
}

TEST_F(ipcmem, share_across_devices_with_peer_access_flag)
{
	const struct share f = {
		ACL_RT_IPC_MEM_EXPORT_FLAG_DISABLE_PID_VALIDATION, false, 1,
		ACL_RT_IPC_MEM_IMPORT_FLAG_ENABLE_PEER_ACCESS, ACL_SUCCESS,
	};

	run_share(_metadata, self, &f);
}

TEST_F(ipcmem, untrusted_import_is_refused)
{
	const struct share f = { ACL_RT_IPC_MEM_EXPORT_FLAG_DEFAULT, false, 0,
				 0, ACL_ERROR_RT_NO_PERMISSION };

	run_share(_metadata, self, &f);
}

TEST_F(ipcmem, export_arguments)
{
	char key[KEY_BUF];
	uint32_t *imp;

	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtIpcMemGetExportKey(NULL, 64, key, KEY_BUF, 0));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtIpcMemGetExportKey(self->buf, 64, NULL, KEY_BUF, 0));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtIpcMemGetExportKey(self->buf, 64, key, KEY_BUF - 1, 0));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtIpcMemGetExportKey(self->buf, 64, key, KEY_BUF, 2));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtIpcMemGetExportKey(self->buf, 0, key, KEY_BUF, 0));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtIpcMemGetExportKey(self->buf, 8192, key, KEY_BUF, 0));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtIpcMemGetExportKey(self->buf + 1, 64, key, KEY_BUF, 0));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtIpcMemGetExportKey(key, 64, key, KEY_BUF, 0));
	ASSERT_EQ(ACL_SUCCESS, aclrtIpcMemGetExportKey(self->buf, 4096, key,
		  KEY_BUF, ACL_RT_IPC_MEM_EXPORT_FLAG_DISABLE_PID_VALIDATION));
	EXPECT_EQ(ASCEND_NOTIFY_KEY_LEN, strlen(key));
	/* Twice. */
	EXPECT_EQ(ACL_ERROR_RT_INTERNAL_ERROR,
		  aclrtIpcMemGetExportKey(self->buf, 64, key, KEY_BUF, 0));
	/* A process holds a key once: no import of its own export. */
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtIpcMemImportByKey((void **)&imp, key, 0));
	EXPECT_EQ(ACL_SUCCESS, aclrtIpcMemClose(key));
	/* After close: the key is gone, the memory is not. */
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtIpcMemClose(key));
	EXPECT_EQ(MAGIC, self->buf[0]);
	EXPECT_EQ(ACL_SUCCESS, aclrtFree(self->buf));
}

TEST_F(ipcmem, set_import_pid_arguments)
{
	char key[KEY_BUF], nokey[KEY_BUF];
	int32_t pid = getpid(), bad = 0x7ffffff0;

	ASSERT_EQ(ACL_SUCCESS, aclrtIpcMemGetExportKey(self->buf, 4096, key,
						       KEY_BUF, 0));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtIpcMemSetImportPid(NULL, &pid, 1));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtIpcMemSetImportPid(key, NULL, 1));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtIpcMemSetImportPid(key, &pid, 0));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtIpcMemSetImportPid(key, &pid, 65));
	memset(nokey, 'a', ASCEND_NOTIFY_KEY_LEN);
	nokey[ASCEND_NOTIFY_KEY_LEN] = '\0';
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtIpcMemSetImportPid(nokey, &pid, 1));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtIpcMemSetImportPid(key, &bad, 1));
	EXPECT_EQ(ACL_SUCCESS, aclrtIpcMemSetImportPid(key, &pid, 1));
	EXPECT_EQ(ACL_SUCCESS, aclrtIpcMemClose(key));
	/* Closed: no longer one of this process's keys. */
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtIpcMemSetImportPid(key, &pid, 1));
	EXPECT_EQ(ACL_SUCCESS, aclrtFree(self->buf));
}

TEST_F(ipcmem, trust_on_a_key_without_validation_is_refused)
{
	char key[KEY_BUF];
	int32_t pid = getpid();

	ASSERT_EQ(ACL_SUCCESS, aclrtIpcMemGetExportKey(self->buf, 4096, key,
		  KEY_BUF, ACL_RT_IPC_MEM_EXPORT_FLAG_DISABLE_PID_VALIDATION));
	EXPECT_EQ(ACL_ERROR_RT_NO_PERMISSION,
		  aclrtIpcMemSetImportPid(key, &pid, 1));
	EXPECT_EQ(ACL_SUCCESS, aclrtIpcMemClose(key));
	EXPECT_EQ(ACL_SUCCESS, aclrtFree(self->buf));
}

TEST_F(ipcmem, import_arguments)
{
	char key[KEY_BUF];
	void *p;

	memset(key, 'b', ASCEND_NOTIFY_KEY_LEN);
	key[ASCEND_NOTIFY_KEY_LEN] = '\0';
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtIpcMemImportByKey(NULL, key, 0));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtIpcMemImportByKey(&p, NULL, 0));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtIpcMemImportByKey(&p, key, 2));
	/* Unknown key. */
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtIpcMemImportByKey(&p, key, 0));
	/* Malformed key. */
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtIpcMemImportByKey(&p, "short", 0));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtIpcMemClose(NULL));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtIpcMemClose(key));
	EXPECT_EQ(ACL_SUCCESS, aclrtFree(self->buf));
}

TEST_F(ipcmem, key_of_another_kind_is_refused)
{
	aclrtNotify n;
	char key[KEY_BUF];
	void *p;

	ASSERT_EQ(ACL_SUCCESS, aclrtCreateNotify(&n, 0));
	ASSERT_EQ(ACL_SUCCESS, aclrtNotifyGetExportKey(n, key, KEY_BUF,
			ACL_RT_NOTIFY_EXPORT_FLAG_DISABLE_PID_VALIDATION));
	/* Known to this process as a notify's key: refused in the kernel. */
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtIpcMemImportByKey(&p, key, 0));
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyNotify(n));
	EXPECT_EQ(ACL_SUCCESS, aclrtFree(self->buf));
}

/*
 * An importer in this process's child; @order: 0 = importer closes first,
 * 1 = exporter closes (and frees) first, then the importer reads on.
 */
static void close_order(struct __test_metadata *_metadata,
			FIXTURE_DATA(ipcmem) *self, int order)
{
	char key[KEY_BUF], c = 0;
	uint32_t seen = 0;
	pid_t b;

	ASSERT_EQ(ACL_SUCCESS, aclrtIpcMemGetExportKey(self->buf, 4096, key,
		  KEY_BUF, ACL_RT_IPC_MEM_EXPORT_FLAG_DISABLE_PID_VALIDATION));
	b = an_fork();
	ASSERT_LE(0, b);
	if (b == 0) {
		uint32_t *p;

		CHILD_CHECK(10, aclInit(NULL));
		CHILD_CHECK(11, aclrtSetDevice(0));
		CHILD_CHECK(12, aclrtIpcMemImportByKey((void **)&p, key, 0));
		if (!an_send(self->to_parent[1], &p[0], 4) ||
		    !an_recv(self->to_child[0], &c, 1))
			_exit(13);
		/* After the exporter let go (order 1): still readable. */
		if (!an_send(self->to_parent[1], &p[0], 4))
			_exit(14);
		CHILD_CHECK(15, aclrtIpcMemClose(key));
		if (aclrtIpcMemClose(key) != ACL_ERROR_RT_PARAM_INVALID)
			_exit(16);
		if (aclrtMemset(p, 4, 0, 4) != ACL_ERROR_RT_PARAM_INVALID)
			_exit(17);
		CHILD_CHECK(18, aclFinalize());
		_exit(0);
	}
	ASSERT_TRUE(an_recv(self->to_parent[0], &seen, 4));
	EXPECT_EQ(MAGIC, seen);
	if (order == 1) {
		EXPECT_EQ(ACL_SUCCESS, aclrtIpcMemClose(key));
		EXPECT_EQ(ACL_SUCCESS, aclrtFree(self->buf));
	}
	ASSERT_TRUE(an_send(self->to_child[1], "x", 1));
	ASSERT_TRUE(an_recv(self->to_parent[0], &seen, 4));
	EXPECT_EQ(MAGIC, seen);
	EXPECT_EQ(0, an_reap(b));
	if (order == 0) {
		EXPECT_EQ(ACL_SUCCESS, aclrtIpcMemClose(key));
		EXPECT_EQ(ACL_SUCCESS, aclrtFree(self->buf));
	}
}

TEST_F(ipcmem, importer_closes_first)
{
	close_order(_metadata, self, 0);
}

TEST_F(ipcmem, exporter_closes_first)
{
	close_order(_metadata, self, 1);
}

TEST_F(ipcmem, exporter_killed_while_importer_maps)
{
	char key[KEY_BUF];
	uint32_t *p;
	pid_t a;

	a = an_fork();
	ASSERT_LE(0, a);
	if (a == 0) {
		uint32_t *mine;

		CHILD_CHECK(10, aclInit(NULL));
		CHILD_CHECK(11, aclrtSetDevice(0));
		CHILD_CHECK(12, aclrtMalloc((void **)&mine, 4096,
					    ACL_MEM_MALLOC_HUGE_FIRST));
		mine[7] = MAGIC + 7;
		CHILD_CHECK(13, aclrtIpcMemGetExportKey(mine, 4096, key,
			KEY_BUF, ACL_RT_IPC_MEM_EXPORT_FLAG_DISABLE_PID_VALIDATION));
		if (!an_send(self->to_parent[1], key, KEY_BUF))
			_exit(14);
		for (;;)
			pause();	/* until killed */
	}
	ASSERT_TRUE(an_recv(self->to_parent[0], key, KEY_BUF));
	ASSERT_EQ(ACL_SUCCESS, aclrtIpcMemImportByKey((void **)&p, key, 0));
	ASSERT_EQ(0, kill(a, SIGKILL));
	ASSERT_EQ(128 + SIGKILL, an_reap(a));
	/* The pages stay with our mapping. */
	EXPECT_EQ(MAGIC + 7, p[7]);
	p[8] = 1;
	EXPECT_EQ(ACL_SUCCESS, aclrtMemset(p, 4096, 0, 16));
	/* The key went with its exporter. */
	EXPECT_EQ(ACL_SUCCESS, aclrtIpcMemClose(key));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtIpcMemImportByKey((void **)&p, key, 0));
	EXPECT_EQ(ACL_SUCCESS, aclrtFree(self->buf));
}

TEST_F(ipcmem, importer_exit_releases_its_import)
{
	char key[KEY_BUF];
	pid_t b;

	ASSERT_EQ(ACL_SUCCESS, aclrtIpcMemGetExportKey(self->buf, 4096, key,
		  KEY_BUF, ACL_RT_IPC_MEM_EXPORT_FLAG_DISABLE_PID_VALIDATION));
	b = an_fork();
	ASSERT_LE(0, b);
	if (b == 0) {
		uint32_t *p;

		CHILD_CHECK(10, aclInit(NULL));
		CHILD_CHECK(11, aclrtSetDevice(0));
		CHILD_CHECK(12, aclrtIpcMemImportByKey((void **)&p, key, 0));
		p[2] = MAGIC + 2;
		_exit(0);	/* no close, no finalize */
	}
	EXPECT_EQ(0, an_reap(b));
	EXPECT_EQ(MAGIC + 2, self->buf[2]);
	EXPECT_EQ(ACL_SUCCESS, aclrtIpcMemClose(key));
	EXPECT_EQ(ACL_SUCCESS, aclrtFree(self->buf));
}

TEST_F(ipcmem, imported_memory_is_not_freed_or_reexported)
{
	char key[KEY_BUF], key2[KEY_BUF];
	uint32_t *p;
	pid_t a;

	a = an_fork();
	ASSERT_LE(0, a);
	if (a == 0) {
		uint32_t *mine;
		char c;

		CHILD_CHECK(10, aclInit(NULL));
		CHILD_CHECK(11, aclrtSetDevice(0));
		CHILD_CHECK(12, aclrtMalloc((void **)&mine, 64,
					    ACL_MEM_MALLOC_HUGE_FIRST));
		CHILD_CHECK(13, aclrtIpcMemGetExportKey(mine, 64, key,
			KEY_BUF, ACL_RT_IPC_MEM_EXPORT_FLAG_DISABLE_PID_VALIDATION));
		if (!an_send(self->to_parent[1], key, KEY_BUF) ||
		    !an_recv(self->to_child[0], &c, 1))
			_exit(14);
		CHILD_CHECK(15, aclrtIpcMemClose(key));
		CHILD_CHECK(16, aclrtFree(mine));
		_exit(0);
	}
	ASSERT_TRUE(an_recv(self->to_parent[0], key, KEY_BUF));
	ASSERT_EQ(ACL_SUCCESS, aclrtIpcMemImportByKey((void **)&p, key, 0));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtFree(p));
	EXPECT_EQ(ACL_ERROR_RT_NO_PERMISSION,
		  aclrtIpcMemGetExportKey(p, 64, key2, KEY_BUF, 0));
	/* Importing one key twice in a process is refused. */
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtIpcMemImportByKey((void **)&p, key, 0));
	EXPECT_EQ(ACL_SUCCESS, aclrtIpcMemClose(key));
	ASSERT_TRUE(an_send(self->to_child[1], "x", 1));
	EXPECT_EQ(0, an_reap(a));
	EXPECT_EQ(ACL_SUCCESS, aclrtFree(self->buf));
}

TEST_HARNESS_MAIN
