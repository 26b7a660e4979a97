// SPDX-License-Identifier: MIT
/*
 * aclInit/aclFinalize, devices and peer access.
 *
 * The process opens /dev/ascend_notify once, at aclInit, and checks the
 * module's ABI version. The current device is that of the calling
 * thread's current context (context.c); the state of a device (its
 * SetDevice count, default context and default stream) is per process, so
 * threads that set the same device share its default context.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

struct an_runtime an_rt = { .lock = PTHREAD_MUTEX_INITIALIZER, .fd = -1 };

/* Set at aclInit, cleared at aclFinalize; read without the lock. */
static atomic_bool an_initialized;

aclError an_rt_ready(void)
{
	if (!atomic_load(&an_initialized))
		return an_fail(ACL_ERROR_UNINITIALIZE, "aclInit has not been called");
	return ACL_SUCCESS;
}

aclError an_check_device(int32_t dev)
{
	if (dev < 0 || (uint32_t)dev >= an_rt.num_devices)
		return an_fail(ACL_ERROR_RT_INVALID_DEVICEID,
			       "device %d out of range 0..%u", dev,
			       an_rt.num_devices - 1);
	return ACL_SUCCESS;
}

/*
 * In the child of a fork(): the parent's context on the device is not ours
 * (the module refuses it), nor are its streams' threads. Start over: the
 * child may call aclInit again.
 */
static void an_atfork_prepare(void)
{
	pthread_mutex_lock(&an_rt.lock);
}

static void an_atfork_parent(void)
{
	pthread_mutex_unlock(&an_rt.lock);
}

static void an_atfork_child(void)
{
	uint32_t i;

	pthread_mutex_init(&an_rt.lock, NULL);
	if (an_rt.fd >= 0)
		close(an_rt.fd);
	an_rt.fd = -1;
	for (i = 0; i < ASCEND_NOTIFY_MAX_DEVICES; i++) {
		an_rt.dev[i].refs = 0;
		an_rt.dev[i].default_stream = NULL;
		an_rt.dev[i].ctx = NULL;
		atomic_fetch_add(&an_rt.dev[i].gen, 1);
	}
	atomic_store(&an_initialized, false);
	an_ctx_reset_after_fork();
	an_obj_reset_after_fork();
	an_streams_reset_after_fork();
	an_mem_reset_after_fork();
	an_host_reset_after_fork();
	an_cb_reset_after_fork();
	an_vmm_reset_after_fork();
}

static void an_register_atfork(void)
{
	pthread_atfork(an_atfork_prepare, an_atfork_parent, an_atfork_child);
}

/*
 * Same major ABI, and at least the minor ABI this library was built
 * against (it may use what that minor version added).
 */
static bool an_abi_compatible(const struct ascend_notify_version *v)
{
	/* minor >= ABI_MINOR, spelt so that a minor of 0 draws no warning */
	return v->major == ASCEND_NOTIFY_ABI_MAJOR &&
	       v->minor + 1 > ASCEND_NOTIFY_ABI_MINOR &&
	       v->num_devices <= ASCEND_NOTIFY_MAX_DEVICES;
}

AN_EXPORT aclError aclInit(const char *configPath)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct ascend_notify_version v;
	aclError ret = ACL_SUCCESS;
	uint32_t i;
	int err, fd;

	pthread_once(&once, an_register_atfork);
	pthread_mutex_lock(&an_rt.lock);
	if (atomic_load(&an_initialized)) {
		ret = an_fail(ACL_ERROR_REPEAT_INITIALIZE,
			      "already initialized");
		goto out_unlock;
	}
	/* The configuration file's contents configure nothing here. */
	if (configPath && *configPath && access(configPath, R_OK)) {
		ret = an_fail(ACL_ERROR_INVALID_FILE,
			      "cannot read config file %s: %s", configPath,
			      strerror(errno));
		goto out_unlock;
	}
	err = an_drv_open(&fd);
	if (err) {
		ret = an_fail(ACL_ERROR_RT_INTERNAL_ERROR,
			      "cannot open %s: %s%s", ASCEND_NOTIFY_DEVICE_PATH,
			      strerror(-err),
			      err == -ENOENT ?
			      " (is the ascend_notify module loaded?)" : "");
		goto out_unlock;
	}
	err = an_drv_version(fd, &v);
	if (err || !an_abi_compatible(&v)) {
		ret = an_fail(ACL_ERROR_RT_INTERNAL_ERROR,
			      "module ABI %u.%u does not match the library's %u.%u%s",
			      v.major, v.minor, ASCEND_NOTIFY_ABI_MAJOR,
			      ASCEND_NOTIFY_ABI_MINOR,
			      err ? " (version query failed)" : "");
		close(fd);
		goto out_unlock;
	}
	an_rt.num_devices = v.num_devices;
	for (i = 0; i < v.num_devices; i++) {
		struct ascend_notify_device_info di;

		err = an_drv_device_info(fd, i, &di);
		if (err) {
			ret = an_fail(an_errno_to_acl(err),
				      "device %u query failed", i);
			close(fd);
			goto out_unlock;
		}
		an_rt.dev[i].sdid = di.sdid;
	}
	an_rt.fd = fd;
	atomic_store(&an_initialized, true);
	an_log(AN_LOG_INFO, __func__, "%u devices, module ABI %u.%u",
	       v.num_devices, v.major, v.minor);
out_unlock:
	pthread_mutex_unlock(&an_rt.lock);
	return ret;
}

/*
 * Ends a device's default stream, streams, notifies, events and memory
 * (streams first: their tasks hold the others).
 */
static void an_device_teardown(int dev, struct an_ctx *ctx,
			       struct an_stream *def, bool force)
{
	an_ctx_end_default(ctx);
	if (def)
		an_stream_destroy(def, force);
	an_streams_destroy_device(dev, force);
	an_notifies_destroy_device(dev);
	an_events_destroy_device(dev);
	an_mem_release_device(dev);
	an_vmm_release_device(dev);
}

/*
 * Ends the context on /dev/ascend_notify without freeing the descriptor's
 * number: a thread that read an_rt.fd before aclFinalize may still issue
 * an ioctl with it, which must not reach a context a later aclInit opens
 * under the same number. The number is pointed at /dev/null (its ioctls
 * fail) and kept until the next aclFinalize retires the next one.
 */
static void an_retire_fd(int fd)
{
	static int retired = -1;	/* guarded by an_rt.lock */
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);

	if (null >= 0 && dup3(null, fd, O_CLOEXEC) == fd) {
		close(null);
		if (retired >= 0)
			close(retired);
		retired = fd;
		return;
	}
	if (null >= 0)
		close(null);
	close(fd);
}

AN_EXPORT aclError aclFinalize(void)
{
	struct an_stream *defs[ASCEND_NOTIFY_MAX_DEVICES] = { 0 };
	struct an_ctx *ctxs[ASCEND_NOTIFY_MAX_DEVICES] = { 0 };
	uint32_t i, n;

	pthread_mutex_lock(&an_rt.lock);
	if (!atomic_load(&an_initialized)) {
		pthread_mutex_unlock(&an_rt.lock);
		return an_fail(ACL_ERROR_REPEAT_FINALIZE, "not initialized");
	}
	atomic_store(&an_initialized, false);
	n = an_rt.num_devices;
	for (i = 0; i < n; i++) {
		defs[i] = an_rt.dev[i].default_stream;
		an_rt.dev[i].default_stream = NULL;
		ctxs[i] = an_rt.dev[i].ctx;
		an_rt.dev[i].ctx = NULL;
		an_rt.dev[i].refs = 0;
		atomic_fetch_add(&an_rt.dev[i].gen, 1);
	}
	pthread_mutex_unlock(&an_rt.lock);

	/* Explicit contexts first: their streams are ended, not drained. */
	an_ctxs_end_all();
	for (i = 0; i < n; i++)
		an_device_teardown(i, ctxs[i], defs[i], true);

	pthread_mutex_lock(&an_rt.lock);
	an_retire_fd(an_rt.fd);
	an_rt.fd = -1;
	pthread_mutex_unlock(&an_rt.lock);
	return ACL_SUCCESS;
}

/*
 * Takes a reference on @dev (valid, checked by the caller), making its
 * default context and stream on the first; with @make_current, makes the
 * default context the calling thread's current context.
 */
static aclError an_device_ref(int32_t dev, bool make_current)
{
	struct an_dev_state *d = &an_rt.dev[dev];
	aclError ret = ACL_SUCCESS;

	pthread_mutex_lock(&an_rt.lock);
	/* aclFinalize may have run since the unlocked check. */
	if (!atomic_load(&an_initialized)) {
		ret = an_fail(ACL_ERROR_UNINITIALIZE,
			      "aclFinalize ran concurrently");
		goto out_unlock;
	}
	if (!d->refs) {
		ret = an_stream_create(dev, true, &d->default_stream);
		if (ret)
			goto out_unlock;
		ret = an_ctx_create(dev, true, &d->ctx);
		if (ret) {
			an_stream_destroy(d->default_stream, true);
			d->default_stream = NULL;
			goto out_unlock;
		}
	}
	d->refs++;
	if (make_current)
		an_ctx_make_current(d->ctx);
out_unlock:
	pthread_mutex_unlock(&an_rt.lock);
	return ret;
}

aclError an_device_get(int32_t dev)
{
	return an_device_ref(dev, false);
}

AN_EXPORT aclError aclrtSetDevice(int32_t deviceId)
{
	aclError ret;

	ret = an_rt_ready() ?: an_check_device(deviceId);
	if (ret)
		return ret;
	return an_device_ref(deviceId, true);
}

static aclError an_reset_device(int32_t deviceId, bool force)
{
	struct an_stream *def = NULL;
	struct an_ctx *ctx;
	struct an_dev_state *d;
	aclError ret;

	ret = an_rt_ready() ?: an_check_device(deviceId);
	if (ret)
		return ret;
	pthread_mutex_lock(&an_rt.lock);
	d = &an_rt.dev[deviceId];
	if (d->refs && (force || --d->refs == 0)) {
		d->refs = 0;
		def = d->default_stream;
		d->default_stream = NULL;
		ctx = d->ctx;
		d->ctx = NULL;
		atomic_fetch_add(&d->gen, 1);
		pthread_mutex_unlock(&an_rt.lock);
		/* Outside the lock: draining may wait for stream tasks. */
		an_device_teardown(deviceId, ctx, def, force);
		an_log(AN_LOG_DEBUG, __func__, "device %d released", deviceId);
		return ACL_SUCCESS;
	}
	if (!d->refs)
		an_log(AN_LOG_WARN, __func__, "device %d was not set", deviceId);
	pthread_mutex_unlock(&an_rt.lock);
	return ACL_SUCCESS;
}

void an_device_put(int32_t dev)
{
	an_reset_device(dev, false);
}

AN_EXPORT aclError aclrtResetDevice(int32_t deviceId)
{
	return an_reset_device(deviceId, false);
}

AN_EXPORT aclError aclrtResetDeviceForce(int32_t deviceId)
{
	return an_reset_device(deviceId, true);
}

AN_EXPORT aclError aclrtGetDevice(int32_t *deviceId)
{
	aclError ret;
	int dev;

	ret = an_ready_arg(deviceId);
	if (ret)
		return ret;
	ret = an_need_device(&dev);
	if (ret)
		return ret;
	*deviceId = dev;
	return ACL_SUCCESS;
}

AN_EXPORT aclError aclrtGetDeviceCount(uint32_t *count)
{
	aclError ret;

	ret = an_ready_arg(count);
	if (ret)
		return ret;
	*count = an_rt.num_devices;
	return ACL_SUCCESS;
}

AN_EXPORT aclError aclrtDeviceCanAccessPeer(int32_t *canAccessPeer,
					    int32_t deviceId,
					    int32_t peerDeviceId)
{
	struct ascend_notify_device_info di;
	aclError ret;
	int err;

	if (!canAccessPeer)
		return an_fail(ACL_ERROR_INVALID_PARAM, "canAccessPeer is NULL");
	ret = an_rt_ready() ?: an_check_device(deviceId) ?:
	      an_check_device(peerDeviceId);
	if (ret)
		return ret;
	if (deviceId == peerDeviceId)
		return an_fail(ACL_ERROR_INVALID_PARAM,
			       "device %d is not its own peer", deviceId);
	err = an_drv_device_info(an_rt.fd, deviceId, &di);
	if (err)
		return an_fail(an_errno_to_acl(err), "device query: %s",
			       strerror(-err));
	*canAccessPeer = !!(di.peers & (1ull << peerDeviceId));
	return ACL_SUCCESS;
}

static aclError an_peer_access(const char *func, int32_t peer, bool enable)
{
	aclError ret;
	int dev, err;

	ret = an_rt_ready();
	if (ret)
		return ret;
	ret = an_need_device(&dev);
	if (ret)
		return ret;
	ret = an_check_device(peer);
	if (ret)
		return ret;
	err = an_drv_peer(an_rt.fd, enable, dev, peer);
	if (err) {
		an_log(AN_LOG_ERROR, func, "device %d -> %d: %s", dev, peer,
		       err == -EHOSTUNREACH ? "not connected" :
		       err == -EINVAL ? "a device is not its own peer" :
		       strerror(-err));
		return an_errno_to_acl(err);
	}
	return ACL_SUCCESS;
}

AN_EXPORT aclError aclrtDeviceEnablePeerAccess(int32_t peerDeviceId,
					       uint32_t flags)
{
	if (flags)
		return an_fail(ACL_ERROR_FEATURE_UNSUPPORTED,
			       "flags %#x: must be 0", flags);
	return an_peer_access(__func__, peerDeviceId, true);
}

AN_EXPORT aclError aclrtDeviceDisablePeerAccess(int32_t peerDeviceId)
{
	return an_peer_access(__func__, peerDeviceId, false);
}

AN_EXPORT aclError aclrtDeviceGetBareTgid(int32_t *pid)
{
	aclError ret;
	int err;

	ret = an_ready_arg(pid);
	if (ret)
		return ret;
	err = an_drv_bare_tgid(an_rt.fd, pid);
	return err ? an_fail(an_errno_to_acl(err), "%s", strerror(-err)) :
		     ACL_SUCCESS;
}

AN_EXPORT aclError aclrtSynchronizeDevice(void)
{
	aclError ret;
	int dev;

	ret = an_rt_ready();
	if (ret)
		return ret;
	ret = an_need_device(&dev);
	if (ret)
		return ret;
	return an_streams_sync_device(dev);
}
