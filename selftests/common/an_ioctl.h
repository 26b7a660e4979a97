/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One thin wrapper per ioctl of the ascend_notify device, returning 0 or
 * -errno so that callers compare against the documented errno. Shared by
 * the ascend_notify and netlink selftests (through an_test.h) and the
 * benchmarks (tools/bench/bench.h), so that both drive the module the same
 * way.
 */
#ifndef SELFTESTS_AN_IOCTL_H
#define SELFTESTS_AN_IOCTL_H

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>

#include <linux/ascend_notify.h>

#include "an_genl.h"	/* an_stats(): the counters are netlink's */

#define AN_KEY_BUF	(ASCEND_NOTIFY_KEY_LEN + 1)

/* The device, or -1 with errno set. */
static inline int an_open(void)
{
	return open(ASCEND_NOTIFY_DEVICE_PATH, O_RDWR | O_CLOEXEC);
}

static inline int an_ioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

/*
 * Output-only fields are poisoned before each call that fills them, so a
 * field the module left unwritten cannot read back as a plausible value.
 * The wrappers below return -EPROTO (which the module never does) when a
 * successful call left a poisoned output, or a failed one wrote it.
 */
#define AN_POISON32	0xccccccccu

static inline int an_reply_check(int ret, uint32_t out)
{
	if (ret == 0 && out == AN_POISON32)
		return -EPROTO;
	if (ret != 0 && out != AN_POISON32)
		return -EPROTO;
	return ret;
}

static inline int an_version(int fd, struct ascend_notify_version *v)
{
	memset(v, 0, sizeof(*v));
	return an_ioctl(fd, ASCEND_NOTIFY_IOC_VERSION, v);
}

static inline int an_device_info(int fd, uint32_t dev,
				 struct ascend_notify_device_info *info)
{
	memset(info, 0, sizeof(*info));
	info->dev = dev;
	return an_ioctl(fd, ASCEND_NOTIFY_IOC_DEVICE_INFO, info);
}

static inline int an_create(int fd, uint32_t dev, uint32_t flags,
			    uint32_t *handle)
{
	struct ascend_notify_create c = {
		.dev = dev, .flags = flags,
		.handle = AN_POISON32, .id = AN_POISON32,
	};
	int ret = an_ioctl(fd, ASCEND_NOTIFY_IOC_CREATE, &c);

	ret = an_reply_check(an_reply_check(ret, c.handle), c.id);
	if (handle)
		*handle = ret ? 0 : c.handle;
	return ret;
}

static inline int an_destroy(int fd, uint32_t handle)
{
	struct ascend_notify_handle_arg a = { .handle = handle };

	return an_ioctl(fd, ASCEND_NOTIFY_IOC_DESTROY, &a);
}

static inline int an_record(int fd, uint32_t handle)
{
	struct ascend_notify_handle_arg a = { .handle = handle };

	return an_ioctl(fd, ASCEND_NOTIFY_IOC_RECORD, &a);
}

static inline int an_wait(int fd, uint32_t handle, uint64_t deadline_ns)
{
	struct ascend_notify_wait w = {
		.handle = handle, .deadline_ns = deadline_ns,
	};

	return an_ioctl(fd, ASCEND_NOTIFY_IOC_WAIT, &w);
}

/* A wait that ends with -ECANCELED once *@cancel is set and CANCEL runs. */
static inline int an_wait_cancel(int fd, uint32_t handle, uint64_t deadline_ns,
				 const uint32_t *cancel)
{
	struct ascend_notify_wait w = {
		.handle = handle, .deadline_ns = deadline_ns,
		.cancel = (uintptr_t)cancel,
	};

	return an_ioctl(fd, ASCEND_NOTIFY_IOC_WAIT, &w);
}

static inline int an_cancel(int fd)
{
	struct ascend_notify_cancel c = { 0 };

	return an_ioctl(fd, ASCEND_NOTIFY_IOC_CANCEL, &c);
}

static inline int an_batch_reset(int fd, const uint32_t *handles,
				 uint32_t count)
{
	struct ascend_notify_batch b = {
		.handles = (uintptr_t)handles, .count = count,
	};

	return an_ioctl(fd, ASCEND_NOTIFY_IOC_BATCH_RESET, &b);
}

static inline int an_info(int fd, uint32_t handle,
			  struct ascend_notify_info *info)
{
	memset(info, 0, sizeof(*info));
	info->handle = handle;
	return an_ioctl(fd, ASCEND_NOTIFY_IOC_INFO, info);
}

/* Is the notify's bit set? -errno on error. */
static inline int an_is_set(int fd, uint32_t handle)
{
	struct ascend_notify_info info;
	int ret = an_info(fd, handle, &info);

	return ret ? ret : !!(info.info_flags & ASCEND_NOTIFY_INFO_SET);
}

/*
 * Exports; @key, unless NULL, gets the key's ASCEND_NOTIFY_KEY_LEN
 * characters and no NUL, so that keys can be packed in an array (the
 * benchmarks share such arrays between processes).
 */
static inline int an_export_raw(int fd, uint32_t handle, uint32_t flags,
				char key[ASCEND_NOTIFY_KEY_LEN])
{
	struct ascend_notify_export e = { .handle = handle, .flags = flags };
	int ret = an_ioctl(fd, ASCEND_NOTIFY_IOC_EXPORT, &e);

	if (!ret && key)
		memcpy(key, e.key, ASCEND_NOTIFY_KEY_LEN);
	return ret;
}

/* Exports and writes the key, NUL-terminated, to @key. */
static inline int an_export(int fd, uint32_t handle, uint32_t flags,
			    char key[AN_KEY_BUF])
{
	int ret = an_export_raw(fd, handle, flags, key);

	if (!ret && key)
		key[ASCEND_NOTIFY_KEY_LEN] = '\0';
	return ret;
}

static inline int an_set_pids(int fd, uint32_t handle, const int32_t *pids,
			      uint32_t count)
{
	struct ascend_notify_trust t = {
		.pids = (uintptr_t)pids, .handle = handle, .count = count,
	};

	return an_ioctl(fd, ASCEND_NOTIFY_IOC_SET_PIDS, &t);
}

/* Import expecting an object of @kind (ASCEND_NOTIFY_KIND_*). */
static inline int an_import_kind(int fd, const char *key, uint32_t dev,
				 uint32_t flags, uint32_t kind,
				 uint32_t *handle)
{
	struct ascend_notify_import im = {
		.dev = dev, .flags = flags, .kind = kind,
		.handle = AN_POISON32,
	};
	int ret;

	memcpy(im.key, key, ASCEND_NOTIFY_KEY_LEN);
	ret = an_ioctl(fd, ASCEND_NOTIFY_IOC_IMPORT, &im);
	ret = an_reply_check(ret, im.handle);
	if (handle)
		*handle = ret ? 0 : im.handle;
	return ret;
}

/* Import of a notify, the kind that a zero .kind names. */
static inline int an_import(int fd, const char *key, uint32_t dev,
			    uint32_t flags, uint32_t *handle)
{
	return an_import_kind(fd, key, dev, flags, ASCEND_NOTIFY_KIND_NOTIFY,
			      handle);
}

static inline int an_unexport(int fd, uint32_t handle)
{
	struct ascend_notify_handle_arg a = { .handle = handle };

	return an_ioctl(fd, ASCEND_NOTIFY_IOC_UNEXPORT, &a);
}

/* Allocates device memory; the reply (handle, size, offset) in @m. */
static inline int an_mem_alloc(int fd, uint32_t dev, uint64_t size,
			       struct ascend_notify_mem *m)
{
	memset(m, 0, sizeof(*m));
	m->dev = dev;
	m->size = size;
	return an_ioctl(fd, ASCEND_NOTIFY_IOC_MEM_ALLOC, m);
}

static inline int an_mem_info(int fd, uint32_t handle,
			      struct ascend_notify_mem *m)
{
	memset(m, 0, sizeof(*m));
	m->handle = handle;
	return an_ioctl(fd, ASCEND_NOTIFY_IOC_MEM_INFO, m);
}

/* Bytes of device memory @dev has in use, or -errno. */
static inline long long an_mem_used(int fd, uint32_t dev)
{
	struct ascend_notify_device_mem dm = { .dev = dev };
	int ret = an_ioctl(fd, ASCEND_NOTIFY_IOC_DEVICE_MEM, &dm);

	return ret ? ret : (long long)dm.used;
}

/* The caller's bare TGID (initial PID namespace), or -errno. */
static inline int an_bare_tgid(int fd)
{
	struct ascend_notify_bare_tgid t = { 0 };
	int ret = an_ioctl(fd, ASCEND_NOTIFY_IOC_BARE_TGID, &t);

	return ret ? ret : t.tgid;
}

static inline int an_peer(int fd, bool enable, uint32_t dev, uint32_t peer)
{
	struct ascend_notify_peer p = { .dev = dev, .peer = peer };

	return an_ioctl(fd, enable ? ASCEND_NOTIFY_IOC_PEER_ENABLE :
				     ASCEND_NOTIFY_IOC_PEER_DISABLE, &p);
}

#endif /* SELFTESTS_AN_IOCTL_H */
