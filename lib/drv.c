// SPDX-License-Identifier: MIT
/*
 * Thin wrappers around the /dev/ascend_notify ioctls, one per ioctl, in the
 * manner of libdrm: fill the argument, issue it, return 0 or -errno. No
 * policy lives here; the callers map errors with an_errno_to_acl().
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

/* ioctl(2), restarted when a signal interrupted it before it did anything. */
static int an_ioctl(int fd, unsigned long cmd, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, cmd, arg);
	} while (ret == -1 && errno == EINTR);
	return ret ? -errno : 0;
}

uint64_t an_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int an_drv_open(int *fd)
{
	*fd = open(ASCEND_NOTIFY_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	return *fd < 0 ? -errno : 0;
}

int an_drv_version(int fd, struct ascend_notify_version *v)
{
	memset(v, 0, sizeof(*v));
	return an_ioctl(fd, ASCEND_NOTIFY_IOC_VERSION, v);
}

int an_drv_device_info(int fd, uint32_t dev,
		       struct ascend_notify_device_info *info)
{
	memset(info, 0, sizeof(*info));
	info->dev = dev;
	return an_ioctl(fd, ASCEND_NOTIFY_IOC_DEVICE_INFO, info);
}

int an_drv_bare_tgid(int fd, int32_t *tgid)
{
	struct ascend_notify_bare_tgid t = { 0 };
	int ret = an_ioctl(fd, ASCEND_NOTIFY_IOC_BARE_TGID, &t);

	if (!ret)
		*tgid = t.tgid;
	return ret;
}

int an_drv_peer(int fd, bool enable, uint32_t dev, uint32_t peer)
{
	struct ascend_notify_peer p = { .dev = dev, .peer = peer };

	return an_ioctl(fd, enable ? ASCEND_NOTIFY_IOC_PEER_ENABLE :
				     ASCEND_NOTIFY_IOC_PEER_DISABLE, &p);
}

int an_drv_create(int fd, uint32_t dev, uint32_t flags, uint32_t *handle)
{
	struct ascend_notify_create c = { .dev = dev, .flags = flags };
	int ret = an_ioctl(fd, ASCEND_NOTIFY_IOC_CREATE, &c);

	if (!ret)
		*handle = c.handle;
	return ret;
}

int an_drv_destroy(int fd, uint32_t handle)
{
	struct ascend_notify_handle_arg a = { .handle = handle };

	return an_ioctl(fd, ASCEND_NOTIFY_IOC_DESTROY, &a);
}

int an_drv_record(int fd, uint32_t handle)
{
	struct ascend_notify_handle_arg a = { .handle = handle };

	return an_ioctl(fd, ASCEND_NOTIFY_IOC_RECORD, &a);
}

/*
 * The deadline is absolute, so restarting after a signal (here or in the
 * kernel, with SA_RESTART) never stretches it. A nonzero *@cancel ends the
 * wait with -ECANCELED once an_drv_cancel() wakes it.
 */
int an_drv_wait(int fd, uint32_t handle, uint64_t deadline_ns,
		const _Atomic uint32_t *cancel)
{
	struct ascend_notify_wait w = {
		.handle = handle, .deadline_ns = deadline_ns,
		.cancel = (uintptr_t)cancel,
	};

	return an_ioctl(fd, ASCEND_NOTIFY_IOC_WAIT, &w);
}

/* Every wait of @fd reads its cancel word again. */
int an_drv_cancel(int fd)
{
	struct ascend_notify_cancel c = { 0 };

	return an_ioctl(fd, ASCEND_NOTIFY_IOC_CANCEL, &c);
}

int an_drv_batch_reset(int fd, const uint32_t *handles, uint32_t count)
{
	struct ascend_notify_batch b = {
		.handles = (uintptr_t)handles, .count = count,
	};

	return an_ioctl(fd, ASCEND_NOTIFY_IOC_BATCH_RESET, &b);
}

int an_drv_info(int fd, uint32_t handle, struct ascend_notify_info *info)
{
	memset(info, 0, sizeof(*info));
	info->handle = handle;
	return an_ioctl(fd, ASCEND_NOTIFY_IOC_INFO, info);
}

int an_drv_export(int fd, uint32_t handle, uint32_t flags,
		  char key[ASCEND_NOTIFY_KEY_LEN])
{
	struct ascend_notify_export e = { .handle = handle, .flags = flags };
	int ret = an_ioctl(fd, ASCEND_NOTIFY_IOC_EXPORT, &e);

	if (!ret)
		memcpy(key, e.key, ASCEND_NOTIFY_KEY_LEN);
	return ret;
}

int an_drv_set_pids(int fd, uint32_t handle, const int32_t *pids,
		    uint32_t count)
{
	struct ascend_notify_trust t = {
		.pids = (uintptr_t)pids, .handle = handle, .count = count,
	};

	return an_ioctl(fd, ASCEND_NOTIFY_IOC_SET_PIDS, &t);
}

int an_drv_import(int fd, const char key[ASCEND_NOTIFY_KEY_LEN],
		  uint32_t dev, uint32_t flags, uint32_t kind, uint32_t *handle)
{
	struct ascend_notify_import im = {
		.dev = dev, .flags = flags, .kind = kind,
	};
	int ret;

	memcpy(im.key, key, ASCEND_NOTIFY_KEY_LEN);
	ret = an_ioctl(fd, ASCEND_NOTIFY_IOC_IMPORT, &im);
	if (!ret)
		*handle = im.handle;
	return ret;
}

int an_drv_unexport(int fd, uint32_t handle)
{
	struct ascend_notify_handle_arg a = { .handle = handle };

	return an_ioctl(fd, ASCEND_NOTIFY_IOC_UNEXPORT, &a);
}

int an_drv_mem_alloc(int fd, uint32_t dev, uint64_t size,
		     struct ascend_notify_mem *out)
{
	memset(out, 0, sizeof(*out));
	out->dev = dev;
	out->size = size;
	return an_ioctl(fd, ASCEND_NOTIFY_IOC_MEM_ALLOC, out);
}

int an_drv_mem_info(int fd, uint32_t handle, struct ascend_notify_mem *out)
{
	memset(out, 0, sizeof(*out));
	out->handle = handle;
	return an_ioctl(fd, ASCEND_NOTIFY_IOC_MEM_INFO, out);
}

int an_drv_device_mem(int fd, uint32_t dev,
		      struct ascend_notify_device_mem *out)
{
	memset(out, 0, sizeof(*out));
	out->dev = dev;
	return an_ioctl(fd, ASCEND_NOTIFY_IOC_DEVICE_MEM, out);
}
