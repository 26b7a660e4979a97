// SPDX-License-Identifier: GPL-2.0
/*
 * Every rejection of the CANN API, each with otherwise valid arguments:
 * NULL pointers, bad flags and lengths, devices out of range, no current
 * device, destroyed and never-created handles, streams of another context.
 */
#include "acl_test.h"
#include "kselftest_harness.h"

/* A value that was never a handle. */
#define BOGUS ((void *)(uintptr_t)0x12345678)

FIXTURE(api) {
	aclrtStream stream;
	aclrtNotify notify;
	char key[KEY_BUF];
};

FIXTURE_SETUP(api)
{
	ASSERT_EQ(ACL_SUCCESS, aclInit(NULL));
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(0));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateNotify(&self->notify, 0));
}

FIXTURE_TEARDOWN(api)
{
	aclFinalize();
}

struct fresh_call {
	aclError (*fn)(void *arg);
	void *arg;
	aclError ret;
};

static void *fresh_thread(void *p)
{
	struct fresh_call *c = p;

	c->ret = c->fn(c->arg);
	return NULL;
}

/* Runs @fn on a new thread, which has no current device. */
static aclError on_fresh_thread(aclError (*fn)(void *), void *arg)
{
	struct fresh_call c = { fn, arg, -1 };
	pthread_t t;

	pthread_create(&t, NULL, fresh_thread, &c);
	pthread_join(t, NULL);
	return c.ret;
}

TEST_F(api, init_and_finalize_repeat)
{
	EXPECT_EQ(ACL_ERROR_REPEAT_INITIALIZE, aclInit(NULL));
	EXPECT_EQ(ACL_SUCCESS, aclFinalize());
	EXPECT_EQ(ACL_ERROR_REPEAT_FINALIZE, aclFinalize());
	/* Everything needs aclInit first. */
	EXPECT_EQ(ACL_ERROR_UNINITIALIZE, aclrtSetDevice(0));
	EXPECT_EQ(ACL_ERROR_UNINITIALIZE, aclrtCreateNotify(&self->notify, 0));
	EXPECT_EQ(ACL_ERROR_UNINITIALIZE, aclrtRecordNotify(self->notify,
							    NULL));
	/* And a second life works. */
	EXPECT_EQ(ACL_SUCCESS, aclInit(NULL));
	EXPECT_EQ(ACL_SUCCESS, aclrtSetDevice(0));
	/* Handles of the first life are gone. */
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE, aclrtDestroyNotify(self->notify));
}

TEST_F(api, init_with_unreadable_config_fails)
{
	ASSERT_EQ(ACL_SUCCESS, aclFinalize());
	EXPECT_EQ(ACL_ERROR_INVALID_FILE, aclInit("/nonexistent/acl.json"));
	EXPECT_EQ(ACL_SUCCESS, aclInit("/dev/null"));
}

TEST_F(api, device_ids_out_of_range)
{
	int32_t can;

	EXPECT_EQ(ACL_ERROR_RT_INVALID_DEVICEID, aclrtSetDevice(-1));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_DEVICEID, aclrtSetDevice(8));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_DEVICEID, aclrtResetDevice(8));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_DEVICEID, aclrtResetDeviceForce(-3));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_DEVICEID,
		  aclrtDeviceCanAccessPeer(&can, 0, 8));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_DEVICEID,
		  aclrtDeviceCanAccessPeer(&can, -1, 0));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_DEVICEID,
		  aclrtDeviceEnablePeerAccess(8, 0));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_DEVICEID,
		  aclrtDeviceDisablePeerAccess(8));
}

TEST_F(api, device_queries)
{
	uint32_t count = 0;
	int32_t dev = -1, can = -1, pid = 0;

	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtGetDeviceCount(NULL));
	EXPECT_EQ(ACL_SUCCESS, aclrtGetDeviceCount(&count));
	EXPECT_EQ(8, count);
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtGetDevice(NULL));
	EXPECT_EQ(ACL_SUCCESS, aclrtGetDevice(&dev));
	EXPECT_EQ(0, dev);
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtDeviceCanAccessPeer(NULL, 0, 1));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtDeviceCanAccessPeer(&can, 2, 2));
	EXPECT_EQ(ACL_SUCCESS, aclrtDeviceCanAccessPeer(&can, 0, 1));
	EXPECT_EQ(1, can);
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtDeviceGetBareTgid(NULL));
	EXPECT_EQ(ACL_SUCCESS, aclrtDeviceGetBareTgid(&pid));
	/* The tests run in the initial PID namespace. */
	EXPECT_EQ(getpid(), pid);
}

TEST_F(api, peer_access_arguments)
{
	EXPECT_EQ(ACL_ERROR_FEATURE_UNSUPPORTED,
		  aclrtDeviceEnablePeerAccess(1, 1));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtDeviceEnablePeerAccess(0, 0));
	EXPECT_EQ(ACL_SUCCESS, aclrtDeviceEnablePeerAccess(1, 0));
	EXPECT_EQ(ACL_SUCCESS, aclrtDeviceDisablePeerAccess(1));
}

static aclError get_device(void *arg)
{
	return aclrtGetDevice(arg);
}

static aclError create_notify(void *arg)
{
	return aclrtCreateNotify(arg, 0);
}

static aclError create_stream(void *arg)
{
	return aclrtCreateStream(arg);
}

static aclError record_default(void *arg)
{
	return aclrtRecordNotify(arg, NULL);
}

static aclError import_key(void *arg)
{
	aclrtNotify n;

	return aclrtNotifyImportByKey(&n, arg, 0);
}

static aclError sync_device(void *arg)
{
	return aclrtSynchronizeDevice();
}

static aclError enable_peer(void *arg)
{
	return aclrtDeviceEnablePeerAccess(1, 0);
}

TEST_F(api, no_current_device_is_context_null)
{
	int32_t dev;
	aclrtNotify n;
	aclrtStream s;

	ASSERT_EQ(ACL_SUCCESS, aclrtNotifyGetExportKey(self->notify, self->key,
						       KEY_BUF, 0));
	EXPECT_EQ(ACL_ERROR_RT_CONTEXT_NULL, on_fresh_thread(get_device, &dev));
	EXPECT_EQ(ACL_ERROR_RT_CONTEXT_NULL, on_fresh_thread(create_notify, &n));
	EXPECT_EQ(ACL_ERROR_RT_CONTEXT_NULL, on_fresh_thread(create_stream, &s));
	EXPECT_EQ(ACL_ERROR_RT_CONTEXT_NULL,
		  on_fresh_thread(record_default, self->notify));
	EXPECT_EQ(ACL_ERROR_RT_CONTEXT_NULL,
		  on_fresh_thread(import_key, self->key));
	EXPECT_EQ(ACL_ERROR_RT_CONTEXT_NULL, on_fresh_thread(sync_device, NULL));
	EXPECT_EQ(ACL_ERROR_RT_CONTEXT_NULL, on_fresh_thread(enable_peer, NULL));
	/* After the last reset, this thread has no device either. */
	ASSERT_EQ(ACL_SUCCESS, aclrtResetDevice(0));
	EXPECT_EQ(ACL_ERROR_RT_CONTEXT_NULL, aclrtGetDevice(&dev));
}

TEST_F(api, stream_arguments)
{
	aclrtStreamStatus st;
	aclrtStream dead;

	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtCreateStream(NULL));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtDestroyStream(NULL));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtDestroyStreamForce(NULL));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtStreamQuery(self->stream, NULL));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtLaunchHostFunc(self->stream, NULL, NULL));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtSynchronizeStreamWithTimeout(self->stream, 0));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtSynchronizeStreamWithTimeout(self->stream, -2));
	EXPECT_EQ(ACL_SUCCESS,
		  aclrtSynchronizeStreamWithTimeout(self->stream, -1));

	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&dead));
	ASSERT_EQ(ACL_SUCCESS, aclrtDestroyStream(dead));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE, aclrtDestroyStream(dead));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE, aclrtDestroyStreamForce(dead));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE, aclrtSynchronizeStream(dead));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE, aclrtStreamQuery(dead, &st));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE,
		  aclrtRecordNotify(self->notify, dead));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE, aclrtSynchronizeStream(BOGUS));
	/* A notify is not a stream. */
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE,
		  aclrtSynchronizeStream((aclrtStream)self->notify));
}

TEST_F(api, stream_of_another_device_is_refused)
{
	aclrtStream other;

	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(1));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&other));
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(0));
	EXPECT_EQ(ACL_ERROR_RT_STREAM_CONTEXT, aclrtSynchronizeStream(other));
	EXPECT_EQ(ACL_ERROR_RT_STREAM_CONTEXT,
		  aclrtRecordNotify(self->notify, other));
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(1));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(other));
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyStream(other));
}

TEST_F(api, notify_arguments)
{
	aclrtNotify dead;
	uint32_t id;

	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtCreateNotify(NULL, 0));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtCreateNotify(&dead, 2));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtCreateNotify(&dead, 1ull << 40));
	EXPECT_EQ(ACL_SUCCESS, aclrtCreateNotify(&dead,
						 ACL_NOTIFY_DEVICE_USE_ONLY));
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyNotify(dead));

	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtDestroyNotify(NULL));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtRecordNotify(NULL, NULL));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtWaitAndResetNotify(NULL, NULL, 0));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtGetNotifyId(NULL, &id));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtGetNotifyId(self->notify, NULL));

	/* Destroyed, never created, or a stream: all invalid handles. */
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE, aclrtDestroyNotify(dead));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE, aclrtRecordNotify(dead, NULL));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE,
		  aclrtWaitAndResetNotify(dead, NULL, 1));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE, aclrtGetNotifyId(dead, &id));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE,
		  aclrtNotifyGetExportKey(dead, self->key, KEY_BUF, 0));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE, aclrtDestroyNotify(BOGUS));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE,
		  aclrtDestroyNotify((aclrtNotify)self->stream));
	EXPECT_EQ(ACL_SUCCESS, aclrtGetNotifyId(self->notify, &id));
}

TEST_F(api, batch_reset_arguments)
{
	aclrtNotify ns[3], dead;

	ASSERT_EQ(ACL_SUCCESS, aclrtCreateNotify(&dead, 0));
	ASSERT_EQ(ACL_SUCCESS, aclrtDestroyNotify(dead));
	ns[0] = self->notify;
	ns[1] = dead;
	ns[2] = self->notify;
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtNotifyBatchReset(NULL, 1));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtNotifyBatchReset(ns, 0));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE, aclrtNotifyBatchReset(ns, 3));
	ns[1] = NULL;
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtNotifyBatchReset(ns, 3));
	EXPECT_EQ(ACL_SUCCESS, aclrtNotifyBatchReset(ns, 1));
}

TEST_F(api, export_key_arguments)
{
	char small[64];

	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtNotifyGetExportKey(self->notify, NULL, KEY_BUF, 0));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtNotifyGetExportKey(NULL, self->key, KEY_BUF, 0));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtNotifyGetExportKey(self->notify, small, sizeof(small),
					  0));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtNotifyGetExportKey(self->notify, self->key, 0, 0));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtNotifyGetExportKey(self->notify, self->key, KEY_BUF, 1));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtNotifyGetExportKey(self->notify, self->key, KEY_BUF, 3));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtNotifyGetExportKey(self->notify, self->key, KEY_BUF,
					  1ull << 63));
	/* None of that exported it. */
	EXPECT_EQ(ACL_SUCCESS, aclrtNotifyGetExportKey(self->notify, self->key,
						       KEY_BUF, 0));
	EXPECT_EQ(64, strlen(self->key));
	EXPECT_EQ(ACL_ERROR_RT_INTERNAL_ERROR,
		  aclrtNotifyGetExportKey(self->notify, self->key, KEY_BUF, 0));
}

TEST_F(api, set_import_pid_arguments)
{
	int32_t pid = getpid(), none = 0x3fffffff;
	aclrtNotify open;

	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtNotifySetImportPid(self->notify, NULL, 1));
	/* Never exported. */
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtNotifySetImportPid(self->notify, &pid, 1));
	ASSERT_EQ(ACL_SUCCESS, aclrtNotifyGetExportKey(self->notify, self->key,
						       KEY_BUF, 0));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtNotifySetImportPid(self->notify, &pid, 0));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtNotifySetImportPid(self->notify, &none, 1));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE,
		  aclrtNotifySetImportPid(BOGUS, &pid, 1));
	EXPECT_EQ(ACL_SUCCESS, aclrtNotifySetImportPid(self->notify, &pid, 1));

	/* Exported without validation: there is no list to change. */
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateNotify(&open, 0));
	ASSERT_EQ(ACL_SUCCESS, aclrtNotifyGetExportKey(open, self->key, KEY_BUF,
			ACL_RT_NOTIFY_EXPORT_FLAG_DISABLE_PID_VALIDATION));
	EXPECT_EQ(ACL_ERROR_RT_NO_PERMISSION,
		  aclrtNotifySetImportPid(open, &pid, 1));
}

TEST_F(api, set_import_pid_inter_server_arguments)
{
	int32_t pid = getpid(), pids2[2] = { getpid(), getpid() };
	aclrtServerPid sp = { .sdid = 0, .pid = &pid, .num = 1 };

	ASSERT_EQ(ACL_SUCCESS, aclrtNotifyGetExportKey(self->notify, self->key,
						       KEY_BUF, 0));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtNotifySetImportPidInterServer(self->notify, NULL, 1));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtNotifySetImportPidInterServer(self->notify, &sp, 0));
	sp.pid = NULL;
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtNotifySetImportPidInterServer(self->notify, &sp, 1));
	sp.pid = pids2;
	sp.num = 2;
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtNotifySetImportPidInterServer(self->notify, &sp, 1));
	sp.pid = &pid;
	sp.num = 1;
	/* sdids 0..7 are this host's devices; 9999 is another server. */
	sp.sdid = 9999;
	EXPECT_EQ(ACL_ERROR_RT_FEATURE_NOT_SUPPORT,
		  aclrtNotifySetImportPidInterServer(self->notify, &sp, 1));
	sp.sdid = 7;
	EXPECT_EQ(ACL_SUCCESS,
		  aclrtNotifySetImportPidInterServer(self->notify, &sp, 1));
}

TEST_F(api, import_arguments)
{
	char key[KEY_BUF + 8];
	aclrtNotify n;

	ASSERT_EQ(ACL_SUCCESS, aclrtNotifyGetExportKey(self->notify, self->key,
			KEY_BUF, ACL_RT_NOTIFY_EXPORT_FLAG_DISABLE_PID_VALIDATION));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtNotifyImportByKey(NULL, self->key, 0));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtNotifyImportByKey(&n, NULL, 0));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtNotifyImportByKey(&n, self->key, 1));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtNotifyImportByKey(&n, self->key, 4));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtNotifyImportByKey(&n, "", 0));
	/* Too short, and too long (no NUL within 65 bytes). */
	memcpy(key, self->key, KEY_BUF);
	key[40] = '\0';
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtNotifyImportByKey(&n, key, 0));
	memcpy(key, self->key, 64);
	memset(key + 64, 'a', 8);
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtNotifyImportByKey(&n, key, 0));
	/* Well-formed but unknown. */
	memcpy(key, self->key, KEY_BUF);
	key[0] = key[0] == '0' ? '1' : '0';
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID, aclrtNotifyImportByKey(&n, key, 0));
	/* Only the real one works. */
	EXPECT_EQ(ACL_SUCCESS, aclrtNotifyImportByKey(&n, self->key, 0));
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyNotify(n));
}

TEST_F(api, imported_notify_cannot_export_or_trust)
{
	int32_t pid = getpid();
	aclrtNotify imp;
	char k2[KEY_BUF];

	ASSERT_EQ(ACL_SUCCESS, aclrtNotifyGetExportKey(self->notify, self->key,
			KEY_BUF, ACL_RT_NOTIFY_EXPORT_FLAG_DISABLE_PID_VALIDATION));
	ASSERT_EQ(ACL_SUCCESS, aclrtNotifyImportByKey(&imp, self->key, 0));
	EXPECT_EQ(ACL_ERROR_RT_NO_PERMISSION,
		  aclrtNotifyGetExportKey(imp, k2, KEY_BUF, 0));
	EXPECT_EQ(ACL_ERROR_RT_NO_PERMISSION,
		  aclrtNotifySetImportPid(imp, &pid, 1));
}

TEST_F(api, wait_from_another_device_is_refused)
{
	aclrtNotify far;
	aclrtStream s1;

	ASSERT_EQ(ACL_SUCCESS, aclrtNotifyGetExportKey(self->notify, self->key,
			KEY_BUF, ACL_RT_NOTIFY_EXPORT_FLAG_DISABLE_PID_VALIDATION));
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(1));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&s1));
	/* Import onto device 1 needs peer access to device 0. */
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtNotifyImportByKey(&far, self->key, 0));
	ASSERT_EQ(ACL_SUCCESS, aclrtNotifyImportByKey(&far, self->key,
			ACL_RT_NOTIFY_IMPORT_FLAG_ENABLE_PEER_ACCESS));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtWaitAndResetNotify(far, s1, 1));
	/* Nor may the creator's notify be waited on from device 1. */
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtWaitAndResetNotify(self->notify, s1, 1));
	/* The importer records. */
	EXPECT_EQ(ACL_SUCCESS, aclrtRecordNotify(far, s1));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(s1));
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(0));
	EXPECT_EQ(ACL_SUCCESS, aclrtWaitAndResetNotify(self->notify,
						       self->stream, 1));
	EXPECT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
}

TEST_HARNESS_MAIN
