// SPDX-License-Identifier: MIT
/*
 * The aclrt*Notify* calls: argument checks, then one ioctl each, or a
 * stream task for record and wait-and-reset.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static void an_notify_release(struct an_obj *obj)
{
	struct an_notify *n = (struct an_notify *)obj;

	if (!n->kh_gone)
		an_drv_destroy(an_rt.fd, n->kh);
	free(n);
}

/* Wraps kernel handle @kh in a new API handle; destroys @kh on failure. */
static aclError an_notify_open(uint32_t kh, bool imported, aclrtNotify *out)
{
	struct ascend_notify_info info;
	struct an_notify *n;
	int err;

	err = an_drv_info(an_rt.fd, kh, &info);
	n = err ? NULL : calloc(1, sizeof(*n));
	if (n) {
		atomic_init(&n->obj.refs, 1);
		n->obj.type = AN_OBJ_NOTIFY;
		n->obj.release = an_notify_release;
		n->kh = kh;
		n->dev = (int)info.dev;
		n->handle_dev = (int)info.handle_dev;
		n->imported = imported;
		*out = an_obj_open(&n->obj);
		if (*out) {
			an_log(AN_LOG_DEBUG, imported ? "aclrtNotifyImportByKey" :
			       "aclrtCreateNotify", "notify %u of device %d on device %d: %p",
			       info.id, n->dev, n->handle_dev, *out);
			return ACL_SUCCESS;
		}
		free(n);
	}
	an_drv_destroy(an_rt.fd, kh);
	return an_fail(err ? an_errno_to_acl(err) :
			     ACL_ERROR_RT_MEMORY_ALLOCATION,
		       "cannot set up the notify handle");
}

/* A reference to the notify behind @notify, or an error in *@ret. */
static struct an_notify *an_notify_get(const char *func, aclrtNotify notify,
				       aclError *ret)
{
	struct an_notify *n;

	*ret = an_rt_ready();
	if (*ret)
		return NULL;
	if (!notify) {
		an_log(AN_LOG_ERROR, func, "notify is NULL");
		*ret = ACL_ERROR_INVALID_PARAM;
		return NULL;
	}
	n = (struct an_notify *)an_obj_get(notify, AN_OBJ_NOTIFY);
	if (!n) {
		an_log(AN_LOG_ERROR, func, "notify %p is not a live notify",
		       notify);
		*ret = ACL_ERROR_RT_INVALID_HANDLE;
	}
	return n;
}

static void an_notify_put(struct an_notify *n)
{
	an_obj_put(&n->obj);
}

/*
 * Closes the kernel handle (waiters on it wake, queued waits fail), unless
 * a record is still queued: CANN lets a notify go before its record ran,
 * so the record's reference, the last, closes it then.
 */
static void an_notify_kill(struct an_obj *obj)
{
	struct an_notify *n = (struct an_notify *)obj;

	/* From now on no record starts (aclrtRecordNotify). */
	if (!(atomic_fetch_or(&n->pending, AN_NOTIFY_DEAD) &
	      ~AN_NOTIFY_DEAD)) {
		n->kh_gone = true;
		an_drv_destroy(an_rt.fd, n->kh);
	}
	an_obj_put(obj);
}

/* an_record_done_fn of notify records. */
static void an_notify_record_done(struct an_obj *obj, uint64_t seq,
				  aclError err)
{
	atomic_fetch_sub(&((struct an_notify *)obj)->pending, 1);
}

static bool an_notify_on_device(struct an_obj *obj, int dev)
{
	return ((struct an_notify *)obj)->handle_dev == dev;
}

void an_notifies_destroy_device(int dev)
{
	an_obj_close_each(AN_OBJ_NOTIFY, an_notify_on_device, dev,
			  an_notify_kill);
}

/* Reports a failed ioctl of @func and maps its errno. */
static aclError an_drv_fail(const char *func, const char *what, int err)
{
	an_log(AN_LOG_ERROR, func, "%s: %s", what, strerror(-err));
	return an_errno_to_acl(err);
}

AN_EXPORT aclError aclrtCreateNotify(aclrtNotify *notify, uint64_t flag)
{
	aclError ret;
	uint32_t kh;
	int dev, err;

	ret = an_ready_arg(notify);
	if (ret)
		return ret;
	if (flag != ACL_NOTIFY_DEFAULT && flag != ACL_NOTIFY_DEVICE_USE_ONLY)
		return an_fail(ACL_ERROR_RT_PARAM_INVALID, "flag %#llx",
			       (unsigned long long)flag);
	ret = an_need_device(&dev);
	if (ret)
		return ret;
	err = an_drv_create(an_rt.fd, dev,
			    flag ? ASCEND_NOTIFY_CREATE_DEVICE_ONLY : 0, &kh);
	if (err)
		return an_drv_fail(__func__, err == -ENOSPC ?
				   "device notify limit reached" : "create",
				   err);
	return an_notify_open(kh, false, notify);
}

AN_EXPORT aclError aclrtDestroyNotify(aclrtNotify notify)
{
	struct an_obj *obj;
	aclError ret;

	ret = an_ready_arg(notify);
	if (ret)
		return ret;
	obj = an_obj_close(notify, AN_OBJ_NOTIFY);
	if (!obj)
		return an_fail(ACL_ERROR_RT_INVALID_HANDLE,
			       "notify %p is not a live notify", notify);
	an_log(AN_LOG_DEBUG, __func__, "%p", notify);
	an_notify_kill(obj);
	return ACL_SUCCESS;
}

AN_HOT_PATH AN_EXPORT aclError aclrtRecordNotify(aclrtNotify notify, aclrtStream stream)
{
	struct an_stream *s;
	struct an_notify *n;
	aclError ret;

	n = an_notify_get(__func__, notify, &ret);
	if (!n)
		return ret;
	ret = an_stream_resolve(stream, &s);
	if (ret)
		goto out;
	if (atomic_fetch_add(&n->pending, 1) & AN_NOTIFY_DEAD) {
		/* Destroyed since the lookup: its kernel handle may be gone. */
		atomic_fetch_sub(&n->pending, 1);
		ret = an_fail(ACL_ERROR_RT_INVALID_HANDLE,
			      "notify %p was destroyed meanwhile", notify);
	} else {
		ret = an_stream_record(s, &n->obj, n->kh, __func__,
				       an_notify_record_done, 0);
	}
	an_stream_put(s);
out:
	an_notify_put(n);
	return ret;
}

AN_HOT_PATH AN_EXPORT aclError aclrtWaitAndResetNotify(aclrtNotify notify,
					   aclrtStream stream,
					   uint32_t timeout)
{
	struct an_stream *s;
	struct an_notify *n;
	aclError ret;

	n = an_notify_get(__func__, notify, &ret);
	if (!n)
		return ret;
	ret = an_stream_resolve(stream, &s);
	if (ret)
		goto out;
	/* Only the notify's own device waits; importers elsewhere record. */
	if (n->handle_dev != n->dev || an_stream_device(s) != n->dev)
		ret = an_fail(ACL_ERROR_RT_PARAM_INVALID,
			      "notify of device %d cannot be waited on from device %d",
			      n->dev, an_stream_device(s));
	else
		ret = an_stream_wait(s, &n->obj, n->kh,
				     (uint64_t)timeout * 1000000000ull, __func__);
	an_stream_put(s);
out:
	an_notify_put(n);
	return ret;
}

AN_EXPORT aclError aclrtGetNotifyId(aclrtNotify notify, uint32_t *notifyId)
{
	struct ascend_notify_info info;
	struct an_notify *n;
	aclError ret;
	int err;

	if (!notifyId)
		return an_fail(ACL_ERROR_INVALID_PARAM, "notifyId is NULL");
	n = an_notify_get(__func__, notify, &ret);
	if (!n)
		return ret;
	err = an_drv_info(an_rt.fd, n->kh, &info);
	if (err)
		ret = an_drv_fail(__func__, "query", err);
	else
		*notifyId = info.id;
	an_notify_put(n);
	return ret;
}

AN_EXPORT aclError aclrtNotifyBatchReset(aclrtNotify *notifies, size_t num)
{
	struct an_notify **ns = NULL;
	uint32_t *khs = NULL;
	aclError ret;
	size_t i, got = 0;
	int err;

	ret = an_ready_arg(notifies);
	if (ret)
		return ret;
	if (!num || num > ASCEND_NOTIFY_BATCH_MAX)
		return an_fail(ACL_ERROR_RT_PARAM_INVALID,
			       "num %zu out of range 1..%u", num,
			       ASCEND_NOTIFY_BATCH_MAX);
	ns = calloc(num, sizeof(*ns));
	khs = calloc(num, sizeof(*khs));
	if (!ns || !khs) {
		ret = an_fail(ACL_ERROR_RT_MEMORY_ALLOCATION, "out of memory");
		goto out;
	}
	/* All handles valid, or nothing changes. */
	for (got = 0; got < num; got++) {
		ns[got] = an_notify_get(__func__, notifies[got], &ret);
		if (!ns[got])
			goto out;
		khs[got] = ns[got]->kh;
	}
	err = an_drv_batch_reset(an_rt.fd, khs, (uint32_t)num);
	if (err)
		ret = an_drv_fail(__func__, "reset", err);
out:
	for (i = 0; i < got; i++)
		an_notify_put(ns[i]);
	free(khs);
	free(ns);
	return ret;
}

AN_EXPORT aclError aclrtNotifyGetExportKey(aclrtNotify notify, char *key,
					   size_t len, uint64_t flags)
{
	struct an_notify *n;
	aclError ret;
	int err;

	if (!key)
		return an_fail(ACL_ERROR_INVALID_PARAM, "key is NULL");
	if (len < AN_KEY_SIZE)
		return an_fail(ACL_ERROR_RT_PARAM_INVALID,
			       "len %zu: the key needs %d bytes", len,
			       AN_KEY_SIZE);
	if (flags != ACL_RT_NOTIFY_EXPORT_FLAG_DEFAULT &&
	    flags != ACL_RT_NOTIFY_EXPORT_FLAG_DISABLE_PID_VALIDATION)
		return an_fail(ACL_ERROR_RT_PARAM_INVALID, "flags %#llx",
			       (unsigned long long)flags);
	n = an_notify_get(__func__, notify, &ret);
	if (!n)
		return ret;
	err = an_drv_export(an_rt.fd, n->kh,
			    flags ? ASCEND_NOTIFY_EXPORT_NO_PID_CHECK : 0, key);
	if (err) {
		ret = an_drv_fail(__func__, err == -EEXIST ?
				  "notify already exported" :
				  err == -EPERM ? "only the creator exports" :
				  "export", err);
	} else {
		key[ASCEND_NOTIFY_KEY_LEN] = '\0';
	}
	an_notify_put(n);
	return ret;
}

/* The trustlist update shared by the two SetImportPid calls. */
static aclError an_set_pids(const char *func, aclrtNotify notify,
			    const int32_t *pids, size_t num)
{
	struct an_notify *n;
	aclError ret;
	int err;

	n = an_notify_get(func, notify, &ret);
	if (!n)
		return ret;
	err = an_drv_set_pids(an_rt.fd, n->kh, pids, (uint32_t)num);
	if (err)
		ret = an_drv_fail(func,
				  err == -ENOKEY ? "notify not exported" :
				  err == -EACCES ? "exported without PID validation" :
				  err == -EPERM ? "only the exporter sets PIDs" :
				  err == -ESRCH ? "no such process" :
				  err == -E2BIG ? "trustlist full" :
				  "set PIDs", err);
	an_notify_put(n);
	return ret;
}

AN_EXPORT aclError aclrtNotifySetImportPid(aclrtNotify notify, int32_t *pid,
					   size_t num)
{
	aclError ret;

	ret = an_ready_arg(pid);
	if (ret)
		return ret;
	if (!num || num > ASCEND_NOTIFY_TRUST_MAX)
		return an_fail(ACL_ERROR_RT_PARAM_INVALID,
			       "num %zu out of range 1..%u", num,
			       ASCEND_NOTIFY_TRUST_MAX);
	return an_set_pids(__func__, notify, pid, num);
}

bool an_sdid_is_local(uint32_t sdid)
{
	uint32_t i;

	for (i = 0; i < an_rt.num_devices; i++)
		if (an_rt.dev[i].sdid == sdid)
			return true;
	return false;
}

AN_EXPORT aclError aclrtNotifySetImportPidInterServer(aclrtNotify notify,
						      aclrtServerPid *serverPids,
						      size_t num)
{
	int32_t pids[ASCEND_NOTIFY_TRUST_MAX];
	aclError ret;
	size_t i;

	ret = an_ready_arg(serverPids);
	if (ret)
		return ret;
	if (!num || num > ASCEND_NOTIFY_TRUST_MAX)
		return an_fail(ACL_ERROR_RT_PARAM_INVALID,
			       "num %zu out of range 1..%u", num,
			       ASCEND_NOTIFY_TRUST_MAX);
	for (i = 0; i < num; i++) {
		if (!serverPids[i].pid)
			return an_fail(ACL_ERROR_INVALID_PARAM,
				       "serverPids[%zu].pid is NULL", i);
		if (serverPids[i].num != 1)
			return an_fail(ACL_ERROR_RT_PARAM_INVALID,
				       "serverPids[%zu].num is %zu, not 1", i,
				       serverPids[i].num);
	}
	for (i = 0; i < num; i++) {
		if (!an_sdid_is_local(serverPids[i].sdid))
			return an_fail(ACL_ERROR_RT_FEATURE_NOT_SUPPORT,
				       "sdid %u is on another server",
				       serverPids[i].sdid);
		pids[i] = serverPids[i].pid[0];
	}
	return an_set_pids(__func__, notify, pids, num);
}

AN_EXPORT aclError aclrtNotifyImportByKey(aclrtNotify *notify,
					  const char *key, uint64_t flags)
{
	aclError ret;
	uint32_t kh;
	int dev;

	ret = an_import_args(__func__, notify, "notify", key, flags,
			     ACL_RT_NOTIFY_IMPORT_FLAG_ENABLE_PEER_ACCESS);
	if (ret)
		return ret;
	ret = an_need_device(&dev);
	if (ret)
		return ret;
	ret = an_import_key(__func__, key, dev, flags != 0,
			    ASCEND_NOTIFY_KIND_NOTIFY, &kh);
	if (ret)
		return ret;
	return an_notify_open(kh, true, notify);
}
