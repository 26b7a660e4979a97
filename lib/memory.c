// SPDX-License-Identifier: MIT
/*
 * Emulated device memory and IPC memory.
 *
 * Device memory is a kernel MEM object on the current device, mapped
 * MAP_SHARED from /dev/ascend_notify at the offset the kernel returns. The
 * host can address it, so host functions on a stream read and write it,
 * and an importer's mapping shows the exporter's bytes.
 *
 * The library keeps a table of the process's live allocations (address
 * range, kernel handle, device, key). Every device-pointer argument is
 * looked up there: an address outside every live allocation (freed memory
 * included) or a range running past an allocation's end is refused before
 * anything is touched. Sizes follow CANN's aclrtMalloc: the usable size is
 * the request rounded up to a multiple of 32 plus 32 bytes (no padding for
 * the 1 GB page policies); the kernel rounds the object up to whole pages,
 * so the address is page aligned (CANN promises 64 bytes).
 *
 * Lifetimes: an allocation is reference-counted. The table holds one
 * reference while the allocation is live; a copy in progress and every
 * queued copy or fill hold one more. Leaving the table (aclrtFree,
 * aclrtIpcMemClose in an importer, a device reset, aclFinalize) closes the
 * kernel handle at once; the mapping goes with the last reference, so a
 * queued task never touches unmapped memory. The kernel keeps the pages
 * while any process maps them. Mappings are not inherited by fork().
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "internal.h"

#define AN_MEM_ALIGN	32u	/* CANN rounds sizes to this ... */
#define AN_MEM_PAD	32u	/* ... and adds this */

/**
 * struct an_mem - one live allocation or import of this process
 * @obj:	reference count (not in the handle table).
 * @base:	the mapping's address, also the API's device pointer.
 * @size:	usable bytes from @base.
 * @map_len:	length of the mapping (whole pages).
 * @kh:		the kernel handle in an_rt.fd.
 * @dev:	the device the handle is bound to.
 * @imported:	from aclrtIpcMemImportByKey.
 * @managed:	from aclrtMemAllocManaged: host memory as well as device.
 * @has_key:	@key is valid: exported here (not yet closed), or the key
 *		this import was made with. Guarded by an_mems.lock.
 * @key:	NUL-terminated key. Guarded by an_mems.lock.
 * @gone:	for a range of the VMM API (vmm.c), called with @arg when the
 *		last reference goes instead of unmapping; such an entry owns
 *		no kernel handle (@kh is 0) and is not an aclrtMalloc address.
 * @arg:	@gone's argument.
 * @next:	link in an_mems.list, guarded by an_mems.lock.
 */
struct an_mem {
	struct an_obj obj;
	uint8_t *base;
	size_t size;
	size_t map_len;
	uint32_t kh;
	int dev;
	bool imported;
	bool managed;
	bool has_key;
	char key[AN_KEY_SIZE];
	void (*gone)(void *arg);
	void *arg;
	struct an_mem *next;
};

/* The live allocations. @lock guards the list and the fields named above. */
static struct {
	pthread_mutex_t lock;
	struct an_mem *list;
} an_mems = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void an_mem_release(struct an_obj *obj)
{
	struct an_mem *m = (struct an_mem *)obj;

	if (m->gone)
		m->gone(m->arg);
	else
		munmap(m->base, m->map_len);
	free(m);
}

static void an_mem_put(struct an_mem *m)
{
	if (m)
		an_obj_put(&m->obj);
}

/* The allocation holding @key (exporter's or importer's); lock held. */
static struct an_mem *an_mem_by_key(const char *key)
{
	struct an_mem *m;

	for (m = an_mems.list; m; m = m->next)
		if (m->has_key && !strcmp(m->key, key))
			return m;
	return NULL;
}

/*
 * Maps kernel MEM handle @kh and enters it in the table; closes @kh on
 * failure.
 */
static aclError an_mem_map(const char *func, uint32_t kh, size_t size,
			   bool imported, const char *key, struct an_mem **out)
{
	struct ascend_notify_mem info;
	struct an_mem *m = NULL;
	void *p = MAP_FAILED;
	int err;

	err = an_drv_mem_info(an_rt.fd, kh, &info);
	if (!err) {
		p = mmap(NULL, info.size, PROT_READ | PROT_WRITE, MAP_SHARED,
			 an_rt.fd, (off_t)info.mmap_offset);
		if (p == MAP_FAILED)
			err = -errno;
	}
	if (!err) {
		/* A forked child has its own runtime, not these pages. */
		madvise(p, info.size, MADV_DONTFORK);
		m = calloc(1, sizeof(*m));
		if (!m)
			err = -ENOMEM;
	}
	if (err) {
		if (p != MAP_FAILED)
			munmap(p, info.size);
		an_drv_destroy(an_rt.fd, kh);
		an_log(AN_LOG_ERROR, func, "cannot map the memory: %s",
		       strerror(-err));
		return an_errno_to_acl(err);
	}
	atomic_init(&m->obj.refs, 1);
	m->obj.type = AN_OBJ_MEM;
	m->obj.release = an_mem_release;
	m->base = p;
	m->map_len = info.size;
	m->size = size && size <= info.size ? size : info.size;
	m->kh = kh;
	m->dev = (int)info.dev;
	m->imported = imported;
	if (key) {
		memcpy(m->key, key, ASCEND_NOTIFY_KEY_LEN);
		m->key[ASCEND_NOTIFY_KEY_LEN] = '\0';
		m->has_key = true;
	}
	pthread_mutex_lock(&an_mems.lock);
	if (imported && an_mem_by_key(m->key)) {
		/* Another thread imported the key meanwhile: one import. */
		pthread_mutex_unlock(&an_mems.lock);
		munmap(p, info.size);
		an_drv_destroy(an_rt.fd, kh);
		free(m);
		return an_fail(ACL_ERROR_RT_PARAM_INVALID,
			       "this process already holds that key");
	}
	m->next = an_mems.list;
	an_mems.list = m;
	pthread_mutex_unlock(&an_mems.lock);
	*out = m;
	return ACL_SUCCESS;
}

/* Unlinks @m; called with an_mems.lock held. */
static void an_mem_unlink(struct an_mem *m)
{
	struct an_mem **pp;

	for (pp = &an_mems.list; *pp; pp = &(*pp)->next) {
		if (*pp == m) {
			*pp = m->next;
			return;
		}
	}
}

/* Closes the kernel handle of an unlinked allocation, drops the table's ref. */
static void an_mem_retire(struct an_mem *m)
{
	if (!m->gone)
		an_drv_destroy(an_rt.fd, m->kh);
	an_mem_put(m);
}

struct an_mem *an_mem_range_add(void *base, size_t size, int dev,
				void (*gone)(void *arg), void *arg)
{
	struct an_mem *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	atomic_init(&m->obj.refs, 1);
	m->obj.type = AN_OBJ_MEM;
	m->obj.release = an_mem_release;
	m->base = base;
	m->size = size;
	m->map_len = size;
	m->dev = dev;
	m->gone = gone;
	m->arg = arg;
	pthread_mutex_lock(&an_mems.lock);
	m->next = an_mems.list;
	an_mems.list = m;
	pthread_mutex_unlock(&an_mems.lock);
	return m;
}

void an_mem_range_remove(struct an_mem *m)
{
	pthread_mutex_lock(&an_mems.lock);
	an_mem_unlink(m);
	pthread_mutex_unlock(&an_mems.lock);
	an_mem_put(m);
}

/* The allocation containing @p, with a reference, or NULL. */
static struct an_mem *an_mem_find(const void *p)
{
	const uint8_t *a = p;
	struct an_mem *m;

	pthread_mutex_lock(&an_mems.lock);
	for (m = an_mems.list; m; m = m->next) {
		if (a >= m->base && a < m->base + m->size) {
			an_obj_hold(&m->obj);
			break;
		}
	}
	pthread_mutex_unlock(&an_mems.lock);
	return m;
}

void an_mem_release_device(int dev)
{
	for (;;) {
		struct an_mem *m;

		pthread_mutex_lock(&an_mems.lock);
		for (m = an_mems.list; m && (m->dev != dev || m->gone);
		     m = m->next)
			;
		if (m)
			an_mem_unlink(m);
		pthread_mutex_unlock(&an_mems.lock);
		if (!m)
			return;
		an_mem_retire(m);
	}
}

/* In a forked child: the mappings were not inherited (MADV_DONTFORK). */
void an_mem_reset_after_fork(void)
{
	struct an_mem *m, *next;

	pthread_mutex_init(&an_mems.lock, NULL);
	for (m = an_mems.list; m; m = next) {
		next = m->next;
		free(m);
	}
	an_mems.list = NULL;
}

/* What a copy's kind says one side must be. */
enum an_side { AN_SIDE_ANY, AN_SIDE_HOST, AN_SIDE_DEV };

/*
 * Checks one side of a copy or fill: @count bytes at @p, which the kind
 * says is @need. Device memory is a live allocation (the range must fit in
 * it; *@hold gets a reference) or a registered host range; host memory is
 * anything outside device allocations, and managed memory is both.
 */
static aclError an_mem_side(const char *func, const char *what, const void *p,
			    size_t count, enum an_side need,
			    struct an_mem **hold)
{
	struct an_mem *m = an_mem_find(p);

	*hold = NULL;
	if (!m) {
		if (need != AN_SIDE_DEV || an_host_registered(p, count))
			return ACL_SUCCESS;
		an_log(AN_LOG_ERROR, func,
		       "%s %p is neither in a live device allocation nor in registered host memory",
		       what, p);
		return ACL_ERROR_RT_PARAM_INVALID;
	}
	if (need == AN_SIDE_HOST && !m->managed) {
		an_log(AN_LOG_ERROR, func,
		       "%s %p is device memory, the kind names host memory",
		       what, p);
		an_mem_put(m);
		return ACL_ERROR_RT_PARAM_INVALID;
	}
	if (count > (size_t)(m->base + m->size - (const uint8_t *)p)) {
		an_log(AN_LOG_ERROR, func,
		       "%s %p + %zu runs past the end of its allocation (%p, %zu bytes)",
		       what, p, count, (void *)m->base, m->size);
		an_mem_put(m);
		return ACL_ERROR_RT_PARAM_INVALID;
	}
	*hold = m;
	return ACL_SUCCESS;
}

/* The device range of a value operation. */
aclError an_mem_hold(const char *func, const void *p, size_t count,
		     struct an_obj **hold)
{
	struct an_mem *m;
	aclError ret = an_mem_side(func, "devAddr", p, count, AN_SIDE_DEV, &m);

	*hold = ret ? NULL : &m->obj;
	return ret;
}

/*
 * What each kind says of the two sides. CANN's aclrtMemcpy and
 * aclrtMemcpyAsync take these kinds only (src/acl/aclrt_impl/memory.cpp,
 * MemcpyKindTranslate); the INNER/INTER device-to-device kinds are refused.
 */
static aclError an_memcpy_kind(const char *func, aclrtMemcpyKind kind,
			       enum an_side *dst, enum an_side *src)
{
	static const struct {
		aclrtMemcpyKind kind;
		enum an_side dst, src;
	} kinds[] = {
		{ ACL_MEMCPY_HOST_TO_HOST, AN_SIDE_HOST, AN_SIDE_HOST },
		{ ACL_MEMCPY_HOST_TO_DEVICE, AN_SIDE_DEV, AN_SIDE_HOST },
		{ ACL_MEMCPY_HOST_TO_BUF_TO_DEVICE, AN_SIDE_DEV, AN_SIDE_HOST },
		{ ACL_MEMCPY_DEVICE_TO_HOST, AN_SIDE_HOST, AN_SIDE_DEV },
		{ ACL_MEMCPY_DEVICE_TO_DEVICE, AN_SIDE_DEV, AN_SIDE_DEV },
		{ ACL_MEMCPY_DEFAULT, AN_SIDE_ANY, AN_SIDE_ANY },
	};
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (kinds[i].kind == kind) {
			*dst = kinds[i].dst;
			*src = kinds[i].src;
			return ACL_SUCCESS;
		}
	}
	an_log(AN_LOG_ERROR, func, "kind %d", (int)kind);
	return ACL_ERROR_INVALID_PARAM;
}

/* The checks aclrtMemcpy and aclrtMemcpyAsync share. */
static aclError an_memcpy_check(const char *func, void *dst, size_t destMax,
				const void *src, size_t count,
				aclrtMemcpyKind kind, struct an_mem **a,
				struct an_mem **b)
{
	enum an_side dst_side, src_side;
	aclError ret;

	*a = *b = NULL;
	if (!dst || !src) {
		an_log(AN_LOG_ERROR, func, "%s is NULL", dst ? "src" : "dst");
		return ACL_ERROR_INVALID_PARAM;
	}
	ret = an_rt_ready() ?: an_memcpy_kind(func, kind, &dst_side, &src_side);
	if (ret)
		return ret;
	if (destMax < count) {
		an_log(AN_LOG_ERROR, func, "count %zu exceeds destMax %zu",
		       count, destMax);
		return ACL_ERROR_RT_PARAM_INVALID;
	}
	ret = an_mem_side(func, "dst", dst, count, dst_side, a);
	if (!ret)
		ret = an_mem_side(func, "src", src, count, src_side, b);
	if (ret) {
		an_mem_put(*a);
		*a = NULL;
	}
	return ret;
}

static aclError an_memset_check(const char *func, void *devPtr,
				size_t maxCount, size_t count,
				struct an_mem **a)
{
	aclError ret;

	*a = NULL;
	if (!devPtr) {
		an_log(AN_LOG_ERROR, func, "devPtr is NULL");
		return ACL_ERROR_INVALID_PARAM;
	}
	ret = an_rt_ready();
	if (ret)
		return ret;
	if (maxCount < count) {
		an_log(AN_LOG_ERROR, func, "count %zu exceeds maxCount %zu",
		       count, maxCount);
		return ACL_ERROR_RT_PARAM_INVALID;
	}
	return an_mem_side(func, "devPtr", devPtr, count, AN_SIDE_DEV, a);
}

/* ---- the API ------------------------------------------------------------------ */

/*
 * Allocates @usable bytes on the current device for @func; @managed marks
 * memory the host may name as host memory too.
 */
static aclError an_mem_alloc(const char *func, size_t usable, bool managed,
			     void **out)
{
	struct ascend_notify_mem mem;
	struct an_mem *m;
	aclError ret;
	int dev, err;

	ret = an_need_device(&dev);
	if (ret)
		return ret;
	err = an_drv_mem_alloc(an_rt.fd, dev, usable, &mem);
	if (err) {
		an_log(AN_LOG_ERROR, func, "%zu bytes on device %d: %s",
		       usable, dev, strerror(-err));
		return an_errno_to_acl(err);
	}
	ret = an_mem_map(func, mem.handle, usable, false, NULL, &m);
	if (ret)
		return ret;
	m->managed = managed;
	*out = m->base;
	an_log(AN_LOG_DEBUG, func, "%zu bytes on device %d at %p", usable,
	       dev, *out);
	return ACL_SUCCESS;
}

AN_EXPORT aclError aclrtMalloc(void **devPtr, size_t size,
			       aclrtMemMallocPolicy policy)
{
	size_t usable;
	aclError ret;

	ret = an_ready_arg(devPtr);
	if (ret)
		return ret;
	if (!size)
		return an_fail(ACL_ERROR_INVALID_PARAM, "size is 0");
	/* CANN: round to 32, pad by 32 except for 1 GB pages. */
	usable = policy == ACL_MEM_MALLOC_HUGE1G_ONLY ||
		 policy == ACL_MEM_MALLOC_HUGE1G_ONLY_P2P ? 0 : AN_MEM_PAD;
	if (size > SIZE_MAX - usable - AN_MEM_ALIGN)
		return an_fail(ACL_ERROR_INVALID_PARAM, "size %zu too large",
			       size);
	usable += (size + AN_MEM_ALIGN - 1) / AN_MEM_ALIGN * AN_MEM_ALIGN;
	return an_mem_alloc(__func__, usable, false, devPtr);
}

/* ---- managed memory ---------------------------------------------- */

AN_EXPORT aclError aclrtMemAllocManaged(void **ptr, uint64_t size,
					uint32_t flag)
{
	aclError ret;

	if (!ptr)
		return an_fail(ACL_ERROR_INVALID_PARAM, "ptr is NULL");
	if (flag != ACL_RT_MEM_ATTACH_GLOBAL)
		return an_fail(ACL_ERROR_INVALID_PARAM,
			       "flag %#x: only ACL_RT_MEM_ATTACH_GLOBAL", flag);
	ret = an_rt_ready();
	if (ret)
		return ret;
	if (!size)
		return an_fail(ACL_ERROR_RT_PARAM_INVALID, "size %llu",
			       (unsigned long long)size);
	return an_mem_alloc(__func__, (size_t)size, true, ptr);
}

AN_EXPORT aclError aclrtFree(void *devPtr)
{
	struct an_mem *m;
	bool imported = false;
	aclError ret;

	ret = an_ready_arg(devPtr);
	if (ret)
		return ret;
	pthread_mutex_lock(&an_mems.lock);
	for (m = an_mems.list; m && (m->base != devPtr || m->gone);
	     m = m->next)
		;
	if (m) {
		imported = m->imported;
		if (!imported)
			an_mem_unlink(m);
	}
	pthread_mutex_unlock(&an_mems.lock);
	if (!m)
		return an_fail(ACL_ERROR_RT_PARAM_INVALID,
			       "%p is not an address aclrtMalloc returned, or was freed",
			       devPtr);
	if (imported)
		return an_fail(ACL_ERROR_RT_PARAM_INVALID,
			       "%p is imported memory: use aclrtIpcMemClose",
			       devPtr);
	an_mem_retire(m);
	return ACL_SUCCESS;
}

AN_EXPORT aclError aclrtMemcpy(void *dst, size_t destMax, const void *src,
			       size_t count, aclrtMemcpyKind kind)
{
	struct an_mem *a, *b;
	aclError ret;

	ret = an_memcpy_check(__func__, dst, destMax, src, count, kind, &a,
			      &b);
	if (ret)
		return ret;
	if (count)
		memmove(dst, src, count);
	an_value_wake_range(dst, count);
	an_mem_put(a);
	an_mem_put(b);
	return ACL_SUCCESS;
}

AN_EXPORT aclError aclrtMemset(void *devPtr, size_t maxCount, int32_t value,
			       size_t count)
{
	struct an_mem *a;
	aclError ret;

	ret = an_memset_check(__func__, devPtr, maxCount, count, &a);
	if (ret)
		return ret;
	memset(devPtr, value, count);
	an_value_wake_range(devPtr, count);
	an_mem_put(a);
	return ACL_SUCCESS;
}

AN_EXPORT aclError aclrtMemcpyAsync(void *dst, size_t destMax,
				    const void *src, size_t count,
				    aclrtMemcpyKind kind, aclrtStream stream)
{
	struct an_stream *s;
	struct an_mem *a, *b;
	aclError ret;

	if (kind == ACL_MEMCPY_HOST_TO_HOST && dst && src)
		return an_fail(ACL_ERROR_RT_FEATURE_NOT_SUPPORT,
			       "no asynchronous host-to-host copies");
	ret = an_memcpy_check(__func__, dst, destMax, src, count, kind, &a,
			      &b);
	if (ret)
		return ret;
	ret = an_stream_resolve(stream, &s);
	if (!ret) {
		if (count)
			ret = an_stream_memcpy(s, dst, src, count,
					       a ? &a->obj : NULL,
					       b ? &b->obj : NULL);
		an_stream_put(s);
	}
	an_mem_put(a);
	an_mem_put(b);
	return ret;
}

AN_EXPORT aclError aclrtMemsetAsync(void *devPtr, size_t maxCount,
				    int32_t value, size_t count,
				    aclrtStream stream)
{
	struct an_stream *s;
	struct an_mem *a;
	aclError ret;

	ret = an_memset_check(__func__, devPtr, maxCount, count, &a);
	if (ret)
		return ret;
	ret = an_stream_resolve(stream, &s);
	if (!ret) {
		if (count)
			ret = an_stream_memset(s, devPtr, value, count,
					       a ? &a->obj : NULL);
		an_stream_put(s);
	}
	an_mem_put(a);
	return ret;
}

AN_EXPORT aclError aclrtGetMemInfo(aclrtMemAttr attr, size_t *free,
				   size_t *total)
{
	struct ascend_notify_device_mem dm;
	aclError ret;
	int dev, err;

	if (!free || !total)
		return an_fail(ACL_ERROR_INVALID_PARAM, "%s is NULL",
			       free ? "total" : "free");
	ret = an_rt_ready();
	if (ret)
		return ret;
	if ((int)attr < (int)ACL_DDR_MEM || (int)attr > (int)ACL_MEM_P2P_HUGE1G)
		return an_fail(ACL_ERROR_RT_PARAM_INVALID, "attr %d",
			       (int)attr);
	ret = an_need_device(&dev);
	if (ret)
		return ret;
	err = an_drv_device_mem(an_rt.fd, dev, &dm);
	if (err)
		return an_fail(an_errno_to_acl(err), "device %d: %s", dev,
			       strerror(-err));
	*total = dm.total;
	*free = dm.used < dm.total ? dm.total - dm.used : 0;
	return ACL_SUCCESS;
}

/* ---- IPC memory ----------------------------------------------------------------- */

AN_EXPORT aclError aclrtIpcMemGetExportKey(void *devPtr, size_t size,
					   char *key, size_t len,
					   uint64_t flags)
{
	char k[ASCEND_NOTIFY_KEY_LEN];
	struct an_mem *m;
	aclError ret;
	int err;

	if (!devPtr || !key)
		return an_fail(ACL_ERROR_INVALID_PARAM, "%s is NULL",
			       devPtr ? "key" : "devPtr");
	ret = an_rt_ready();
	if (ret)
		return ret;
	if (len < AN_KEY_SIZE)
		return an_fail(ACL_ERROR_RT_PARAM_INVALID,
			       "len %zu: the key needs %d bytes", len,
			       AN_KEY_SIZE);
	if (flags != ACL_RT_IPC_MEM_EXPORT_FLAG_DEFAULT &&
	    flags != ACL_RT_IPC_MEM_EXPORT_FLAG_DISABLE_PID_VALIDATION)
		return an_fail(ACL_ERROR_RT_PARAM_INVALID, "flags %#llx",
			       (unsigned long long)flags);
	pthread_mutex_lock(&an_mems.lock);
	for (m = an_mems.list; m && (m->base != devPtr || m->gone);
	     m = m->next)
		;
	if (!m) {
		ret = an_fail(ACL_ERROR_RT_PARAM_INVALID,
			      "%p is not the start of a live allocation",
			      devPtr);
	} else if (!size || size > m->size) {
		ret = an_fail(ACL_ERROR_RT_PARAM_INVALID,
			      "size %zu: the allocation has %zu bytes", size,
			      m->size);
	} else {
		/* The kernel refuses a second export and imported memory. */
		err = an_drv_export(an_rt.fd, m->kh,
				    flags ? ASCEND_NOTIFY_EXPORT_NO_PID_CHECK : 0,
				    k);
		if (err) {
			ret = an_fail(an_errno_to_acl(err), "%s",
				      err == -EEXIST ? "already exported" :
				      err == -EPERM ? "imported memory" :
				      strerror(-err));
		} else {
			memcpy(m->key, k, ASCEND_NOTIFY_KEY_LEN);
			m->key[ASCEND_NOTIFY_KEY_LEN] = '\0';
			m->has_key = true;
			memcpy(key, m->key, AN_KEY_SIZE);
		}
	}
	pthread_mutex_unlock(&an_mems.lock);
	return ret;
}

AN_EXPORT aclError aclrtIpcMemSetImportPid(const char *key, int32_t *pid,
					   size_t num)
{
	struct an_mem *m;
	aclError ret;
	int err;

	if (!key || !pid)
		return an_fail(ACL_ERROR_INVALID_PARAM, "%s is NULL",
			       key ? "pid" : "key");
	ret = an_rt_ready();
	if (ret)
		return ret;
	if (!num || num > ASCEND_NOTIFY_TRUST_MAX)
		return an_fail(ACL_ERROR_RT_PARAM_INVALID,
			       "num %zu out of range 1..%u", num,
			       ASCEND_NOTIFY_TRUST_MAX);
	pthread_mutex_lock(&an_mems.lock);
	m = an_key_ok(key) ? an_mem_by_key(key) : NULL;
	if (!m || m->imported) {
		ret = an_fail(ACL_ERROR_RT_PARAM_INVALID,
			      "not a key this process exported");
	} else {
		err = an_drv_set_pids(an_rt.fd, m->kh, pid, (uint32_t)num);
		if (err)
			ret = an_fail(an_errno_to_acl(err), "%s",
				      err == -EACCES ? "exported without PID validation" :
				      err == -ESRCH ? "no such process" :
				      err == -E2BIG ? "trustlist full" :
				      strerror(-err));
	}
	pthread_mutex_unlock(&an_mems.lock);
	return ret;
}

AN_EXPORT aclError aclrtIpcMemImportByKey(void **devPtr, const char *key,
					  uint64_t flags)
{
	struct an_mem *m;
	aclError ret;
	uint32_t kh;
	bool held;
	int dev;

	ret = an_import_args(__func__, devPtr, "devPtr", key, flags,
			     ACL_RT_IPC_MEM_IMPORT_FLAG_ENABLE_PEER_ACCESS);
	if (ret)
		return ret;
	ret = an_need_device(&dev);
	if (ret)
		return ret;
	pthread_mutex_lock(&an_mems.lock);
	held = an_mem_by_key(key) != NULL;
	pthread_mutex_unlock(&an_mems.lock);
	if (held)
		return an_fail(ACL_ERROR_RT_PARAM_INVALID,
			       "this process already holds that key");
	ret = an_import_key(__func__, key, dev, flags != 0,
			    ASCEND_NOTIFY_KIND_MEM, &kh);
	if (ret)
		return ret;
	ret = an_mem_map(__func__, kh, 0, true, key, &m);
	if (ret)
		return ret;
	*devPtr = m->base;
	return ACL_SUCCESS;
}

AN_EXPORT aclError aclrtIpcMemClose(const char *key)
{
	struct an_mem *m;
	bool imported = false;
	aclError ret;
	int err = 0;

	ret = an_ready_arg(key);
	if (ret)
		return ret;
	pthread_mutex_lock(&an_mems.lock);
	m = an_key_ok(key) ? an_mem_by_key(key) : NULL;
	if (m && m->imported) {
		imported = true;
		an_mem_unlink(m);
	} else if (m) {
		/* The exporter withdraws the key; the memory stays. */
		err = an_drv_unexport(an_rt.fd, m->kh);
		m->has_key = false;
	}
	pthread_mutex_unlock(&an_mems.lock);
	if (!m)
		return an_fail(ACL_ERROR_RT_PARAM_INVALID,
			       "this process neither exported nor imported that key");
	if (imported)
		an_mem_retire(m);
	else if (err)
		return an_fail(an_errno_to_acl(err), "unexport: %s",
			       strerror(-err));
	return ACL_SUCCESS;
}
