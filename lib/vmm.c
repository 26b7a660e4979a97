// SPDX-License-Identifier: MIT
/*
 * CANN's virtual memory management API and its physical memory sharing.
 *
 * A physical allocation (aclrtDrvMemHandle) is a kernel MEM object, the
 * same as aclrtMalloc's, held by a handle of the object table. A
 * reservation is an inaccessible anonymous mapping of this process; mapping
 * a physical allocation into it replaces part of it (MAP_FIXED) with a
 * shared mapping of the device file at the object's offset, and enters the
 * range in memory.c's table, so aclrtMemcpy and friends take it as device
 * memory. Unmapping takes it out of that table; when the last queued task
 * using it is done, the range becomes inaccessible reservation again.
 *
 * A shareable handle is an export key: DEFAULT is a 64-bit key
 * (ASCEND_NOTIFY_EXPORT_KEY64) read as a uint64_t, FABRIC a 128-byte
 * record holding the exporting device's SDID and a full 256-bit key. The
 * kernel keeps the keys, the whitelist and the lifetimes; this file only
 * converts names and enforces the rules CANN states at the API.
 *
 * Lock order: an_vmm.lock, then memory.c's table lock (never the reverse:
 * a range's @gone callback runs without memory.c's lock and takes ours).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "internal.h"

#define AN_VMM_GRAN	((size_t)2 << 20)	/* 2 MiB: MINIMUM granularity */
#define AN_VMM_GRAN_1G	((size_t)1 << 30)	/* the HUGE1G attributes */

/* The FABRIC handle's layout; "ANF1" first so other bytes read as unknown. */
#define AN_FABRIC_MAGIC	0x31464e41u
struct an_fabric {
	uint32_t magic;
	uint32_t sdid;		/* the exporting device's SDID */
	uint32_t dev;		/* the exporting device */
	uint32_t rsv;
	char key[ASCEND_NOTIFY_KEY_LEN];
};
_Static_assert(sizeof(struct an_fabric) <= sizeof(aclrtMemFabricHandle),
	       "a FABRIC handle holds the record");

/**
 * struct an_phys - a physical allocation or an import of one
 * @obj:	reference count and handle-table entry.
 * @kh:		the kernel MEM handle in an_rt.fd; 0 once a device reset
 *		closed it. Guarded by an_vmm.lock.
 * @dev:	the device whose memory it is.
 * @handle_dev:	the device the handle is for (an importer's deviceId).
 * @size:	bytes, a multiple of the granularity.
 * @mmap_offset: where to map it in the device file.
 * @imported:	from an import (not exportable).
 * @has_key:	@key is set: exported here, or imported from it. Guarded by
 *		an_vmm.lock, as are @key, @freed and @next.
 * @key:	NUL-terminated key of the export or of the import.
 * @freed:	aclrtFreePhysical ran; mappings may still hold it.
 * @next:	link in an_vmm.phys, which holds every allocation object
 *		until its release.
 */
struct an_phys {
	struct an_obj obj;
	uint32_t kh;
	int dev;
	int handle_dev;
	size_t size;
	uint64_t mmap_offset;
	bool imported;
	bool has_key;
	char key[AN_KEY_SIZE];
	bool freed;
	struct an_phys *next;
};

/**
 * struct an_map - a mapping in a reservation
 * @base, @size: the range.
 * @phys:	the allocation, with a reference.
 * @mem:	memory.c's entry while mapped; NULL while being mapped or
 *		after aclrtUnmapMem (until @gone frees the struct).
 * @access:	bit d: device d was given READWRITE; bit 63: the host.
 * @next:	link in the reservation's list.
 * All fields are guarded by an_vmm.lock.
 */
struct an_map {
	uint8_t *base;
	size_t size;
	struct an_phys *phys;
	struct an_mem *mem;
	uint64_t access;
	struct an_map *next;
};

#define AN_ACCESS_HOST	(1ull << 63)

struct an_resv {
	uint8_t *base;
	size_t size;
	struct an_map *maps;
	struct an_resv *next;
};

/* @lock guards both lists and the fields named above. */
static struct {
	pthread_mutex_t lock;
	struct an_phys *phys;
	struct an_resv *resv;
} an_vmm = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* ---- names ------------------------------------------------------------------ */

static void an_key_of_u64(uint64_t v, char key[AN_KEY_SIZE])
{
	snprintf(key, AN_KEY_SIZE, "%016" PRIx64 "%048d", v, 0);
}

/* The u64 of a short key; 0 (no handle) when @key is no short key. */
static uint64_t an_u64_of_key(const char *key)
{
	uint64_t v = 0;
	int i;

	for (i = 16; i < ASCEND_NOTIFY_KEY_LEN; i++)
		if (key[i] != '0')
			return 0;
	for (i = 0; i < 16; i++) {
		char c = key[i];

		v = v << 4 | (uint64_t)(c <= '9' ? c - '0' : c - 'a' + 10);
	}
	return v;
}

/*
 * The key named by a V2 shareable handle. A FABRIC record that is not ours
 * reads as an unknown key (the import then fails like a wrong guess).
 */
static aclError an_key_of_v2(const char *func, const void *sh,
			     aclrtMemSharedHandleType type,
			     char key[AN_KEY_SIZE], uint32_t *sdid)
{
	struct an_fabric f;

	*sdid = UINT32_MAX;
	if (type == ACL_MEM_SHARE_HANDLE_TYPE_DEFAULT) {
		uint64_t v;

		memcpy(&v, sh, sizeof(v));
		an_key_of_u64(v, key);
		return ACL_SUCCESS;
	}
	if (type != ACL_MEM_SHARE_HANDLE_TYPE_FABRIC) {
		an_log(AN_LOG_ERROR, func, "shareType %d", (int)type);
		return ACL_ERROR_RT_PARAM_INVALID;
	}
	memcpy(&f, sh, sizeof(f));
	memset(key, '0', ASCEND_NOTIFY_KEY_LEN);
	if (f.magic == AN_FABRIC_MAGIC) {
		memcpy(key, f.key, ASCEND_NOTIFY_KEY_LEN);
		*sdid = f.sdid;
	}
	key[ASCEND_NOTIFY_KEY_LEN] = '\0';
	return ACL_SUCCESS;
}

/* ---- physical allocations ---------------------------------------------------- */

static void an_phys_unlink(struct an_phys *p);

/* The last reference: the handle (and a mapping's) went. */
static void an_phys_release(struct an_obj *obj)
{
	struct an_phys *p = (struct an_phys *)obj;
	uint32_t kh;

	pthread_mutex_lock(&an_vmm.lock);
	an_phys_unlink(p);
	kh = p->kh;
	pthread_mutex_unlock(&an_vmm.lock);
	if (kh)
		an_drv_destroy(an_rt.fd, kh);
	free(p);
}

/* A new allocation object for kernel handle @kh; closes @kh on failure. */
static aclError an_phys_open(const char *func, uint32_t kh, int handle_dev,
			     bool imported, const char *key,
			     aclrtDrvMemHandle *out)
{
	struct ascend_notify_mem info;
	struct an_phys *p = NULL;
	int err;

	err = an_drv_mem_info(an_rt.fd, kh, &info);
	if (!err) {
		p = calloc(1, sizeof(*p));
		if (!p)
			err = -ENOMEM;
	}
	if (err) {
		an_drv_destroy(an_rt.fd, kh);
		an_log(AN_LOG_ERROR, func, "%s", strerror(-err));
		return an_errno_to_acl(err);
	}
	atomic_init(&p->obj.refs, 1);
	p->obj.type = AN_OBJ_PHYS;
	p->obj.release = an_phys_release;
	p->kh = kh;
	p->dev = (int)info.dev;
	p->handle_dev = handle_dev;
	p->size = info.size;
	p->mmap_offset = info.mmap_offset;
	p->imported = imported;
	if (key) {
		memcpy(p->key, key, AN_KEY_SIZE);
		p->has_key = true;
	}
	*out = an_obj_open(&p->obj);
	if (!*out) {
		an_obj_put(&p->obj);
		return an_fail(ACL_ERROR_RT_MEMORY_ALLOCATION,
			       "no room for another handle");
	}
	pthread_mutex_lock(&an_vmm.lock);
	p->next = an_vmm.phys;
	an_vmm.phys = p;
	pthread_mutex_unlock(&an_vmm.lock);
	return ACL_SUCCESS;
}

/* This process's live allocation exported or imported under @key; locked. */
static struct an_phys *an_phys_by_key(const char *key)
{
	struct an_phys *p;

	for (p = an_vmm.phys; p; p = p->next)
		if (!p->freed && p->has_key && !strcmp(p->key, key))
			return p;
	return NULL;
}

/* Takes @p off the list of live allocations; locked. */
static void an_phys_unlink(struct an_phys *p)
{
	struct an_phys **pp;

	for (pp = &an_vmm.phys; *pp; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			return;
		}
	}
}

/*
 * The end of a handle (aclrtFreePhysical, a device reset): an export is
 * withdrawn now, the memory goes with the last mapping.
 */
static void an_phys_retire(struct an_obj *obj)
{
	struct an_phys *p = (struct an_phys *)obj;

	pthread_mutex_lock(&an_vmm.lock);
	p->freed = true;
	if (!p->imported && p->has_key && p->kh)
		an_drv_unexport(an_rt.fd, p->kh);
	pthread_mutex_unlock(&an_vmm.lock);
	an_obj_put(obj);
}

static struct an_phys *an_phys_get(aclrtDrvMemHandle handle)
{
	return (struct an_phys *)an_obj_get(handle, AN_OBJ_PHYS);
}

/* Memory attributes a physical allocation may have, and their page size. */
static aclError an_mem_attr(const char *func, const aclrtPhysicalMemProp *prop,
			    size_t *gran)
{
	bool dev = prop->location.type == ACL_MEM_LOCATION_TYPE_DEVICE;

	*gran = AN_VMM_GRAN;
	switch (prop->memAttr) {
	case ACL_DDR_MEM_HUGE:
	case ACL_DDR_MEM_NORMAL:
	case ACL_DDR_MEM_P2P_HUGE:
	case ACL_DDR_MEM_P2P_NORMAL:
		if (!dev)
			return ACL_SUCCESS;
		an_log(AN_LOG_ERROR, func, "memAttr %d is host memory",
		       (int)prop->memAttr);
		return ACL_ERROR_INVALID_PARAM;
	case ACL_HBM_MEM_HUGE1G:
	case ACL_MEM_HUGE1G:
	case ACL_MEM_P2P_HUGE1G:
		*gran = AN_VMM_GRAN_1G;
		return ACL_SUCCESS;
	case ACL_HBM_MEM_HUGE:
	case ACL_HBM_MEM_NORMAL:
	case ACL_MEM_NORMAL:
	case ACL_MEM_HUGE:
	case ACL_MEM_P2P_NORMAL:
	case ACL_MEM_P2P_HUGE:
		return ACL_SUCCESS;
	default:
		an_log(AN_LOG_ERROR, func, "memAttr %d", (int)prop->memAttr);
		return ACL_ERROR_INVALID_PARAM;
	}
}

/* The location checks of granularity and allocation. */
static aclError an_mem_location(const char *func,
				const aclrtPhysicalMemProp *prop)
{
	switch (prop->location.type) {
	case ACL_MEM_LOCATION_TYPE_DEVICE:
		return an_check_device((int32_t)prop->location.id);
	case ACL_MEM_LOCATION_TYPE_HOST:
	case ACL_MEM_LOCATION_TYPE_HOST_NUMA:
		return ACL_SUCCESS;
	default:
		an_log(AN_LOG_ERROR, func, "location type %d",
		       (int)prop->location.type);
		return ACL_ERROR_INVALID_PARAM;
	}
}

AN_EXPORT aclError aclrtMemGetAllocationGranularity(aclrtPhysicalMemProp *prop,
						    aclrtMemGranularityOptions option,
						    size_t *granularity)
{
	aclError ret;
	size_t gran;

	if (!prop || !granularity)
		return an_fail(ACL_ERROR_INVALID_PARAM, "%s is NULL",
			       prop ? "granularity" : "prop");
	ret = an_mem_attr(__func__, prop, &gran);
	if (ret)
		return ret;
	ret = an_rt_ready() ?: an_mem_location(__func__, prop);
	if (ret)
		return ret;
	if (option != ACL_RT_MEM_ALLOC_GRANULARITY_MINIMUM &&
	    option != ACL_RT_MEM_ALLOC_GRANULARITY_RECOMMENDED)
		return an_fail(ACL_ERROR_RT_PARAM_INVALID, "option %d",
			       (int)option);
	*granularity = gran;
	return ACL_SUCCESS;
}

AN_EXPORT aclError aclrtMallocPhysical(aclrtDrvMemHandle *handle, size_t size,
				       const aclrtPhysicalMemProp *prop,
				       uint64_t flags)
{
	struct ascend_notify_mem mem;
	aclError ret;
	size_t gran;
	int err;

	if (!handle || !prop)
		return an_fail(ACL_ERROR_INVALID_PARAM, "%s is NULL",
			       handle ? "prop" : "handle");
	if (!size || flags)
		return an_fail(ACL_ERROR_INVALID_PARAM,
			       "size %zu, flags %#" PRIx64, size, flags);
	if (prop->handleType != ACL_MEM_HANDLE_TYPE_NONE ||
	    prop->allocationType != ACL_MEM_ALLOCATION_TYPE_PINNED)
		return an_fail(ACL_ERROR_INVALID_PARAM,
			       "handleType %d, allocationType %d",
			       (int)prop->handleType,
			       (int)prop->allocationType);
	ret = an_mem_attr(__func__, prop, &gran);
	if (ret)
		return ret;
	ret = an_rt_ready() ?: an_mem_location(__func__, prop);
	if (ret)
		return ret;
	if (prop->location.type != ACL_MEM_LOCATION_TYPE_DEVICE ||
	    gran != AN_VMM_GRAN)
		return an_fail(ACL_ERROR_RT_FEATURE_NOT_SUPPORT,
			       "only device memory of 2 MiB pages");
	if (size % gran)
		return an_fail(ACL_ERROR_RT_PARAM_INVALID,
			       "size %zu is not a multiple of %zu", size, gran);
	err = an_drv_mem_alloc(an_rt.fd, prop->location.id, size, &mem);
	if (err)
		return an_fail(an_errno_to_acl(err), "%zu bytes on device %u: %s",
			       size, prop->location.id, strerror(-err));
	return an_phys_open(__func__, mem.handle, (int)prop->location.id,
			    false, NULL, handle);
}

AN_EXPORT aclError aclrtFreePhysical(aclrtDrvMemHandle handle)
{
	struct an_obj *obj;

	if (!handle)
		return an_fail(ACL_ERROR_INVALID_PARAM, "handle is NULL");
	obj = an_obj_close(handle, AN_OBJ_PHYS);
	if (!obj)
		return an_fail(ACL_ERROR_RT_INVALID_HANDLE,
			       "not a live physical memory handle");
	an_phys_retire(obj);
	return ACL_SUCCESS;
}

static bool an_phys_on(struct an_obj *obj, int dev)
{
	return ((struct an_phys *)obj)->handle_dev == dev;
}

/*
 * A device reset or aclFinalize: the handles bound to @dev go, and so do
 * their kernel handles, now, even where a mapping still holds the
 * allocation (its pages stay mapped): after aclFinalize the descriptor
 * they belong to is gone.
 */
void an_vmm_release_device(int dev)
{
	struct an_phys *p;

	an_obj_close_each(AN_OBJ_PHYS, an_phys_on, dev, an_phys_retire);
	pthread_mutex_lock(&an_vmm.lock);
	for (p = an_vmm.phys; p; p = p->next) {
		if (p->handle_dev == dev && p->kh) {
			an_drv_destroy(an_rt.fd, p->kh);
			p->kh = 0;
		}
	}
	pthread_mutex_unlock(&an_vmm.lock);
}

/* In a forked child the lists are the parent's (mappings are DONTFORK). */
void an_vmm_reset_after_fork(void)
{
	pthread_mutex_init(&an_vmm.lock, NULL);
	an_vmm.phys = NULL;
	an_vmm.resv = NULL;
}

/* ---- reservations and mappings ---------------------------------------------- */

AN_EXPORT aclError aclrtReserveMemAddress(void **virPtr, size_t size,
					  size_t alignment, void *expectPtr,
					  uint64_t flags)
{
	size_t align = alignment > AN_VMM_GRAN ? alignment : AN_VMM_GRAN;
	struct an_resv *r;
	uint8_t *p, *start;
	aclError ret;
	size_t len;

	if (!virPtr || !size || flags > 1)
		return an_fail(ACL_ERROR_INVALID_PARAM,
			       "virPtr %p, size %zu, flags %#" PRIx64,
			       (void *)virPtr, size, flags);
	ret = an_rt_ready();
	if (ret)
		return ret;
	if (size % AN_VMM_GRAN || (align & (align - 1)) ||
	    (uintptr_t)expectPtr % align)
		return an_fail(ACL_ERROR_RT_PARAM_INVALID,
			       "size %zu, alignment %zu, expectPtr %p: multiples of %zu",
			       size, alignment, expectPtr, AN_VMM_GRAN);
	r = calloc(1, sizeof(*r));
	if (!r)
		return an_fail(ACL_ERROR_RT_MEMORY_ALLOCATION, "out of memory");
	len = expectPtr ? size : size + align;
	if (len < size) {
		free(r);
		return an_fail(ACL_ERROR_RT_PARAM_INVALID, "size %zu", size);
	}
	p = mmap(expectPtr, len, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
		 (expectPtr ? MAP_FIXED_NOREPLACE : 0), -1, 0);
	if (p == MAP_FAILED || (expectPtr && p != expectPtr)) {
		if (p != MAP_FAILED)
			munmap(p, len);
		free(r);
		return an_fail(ACL_ERROR_RT_MEMORY_ALLOCATION,
			       "no %zu bytes of addresses at %p", size,
			       expectPtr);
	}
	/* Trim to an aligned range of @size bytes. */
	start = (uint8_t *)(((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1));
	if (start > p)
		munmap(p, (size_t)(start - p));
	if (start + size < p + len)
		munmap(start + size, (size_t)(p + len - (start + size)));
	r->base = start;
	r->size = size;
	pthread_mutex_lock(&an_vmm.lock);
	r->next = an_vmm.resv;
	an_vmm.resv = r;
	pthread_mutex_unlock(&an_vmm.lock);
	*virPtr = start;
	return ACL_SUCCESS;
}

AN_EXPORT aclError aclrtReleaseMemAddress(void *virPtr)
{
	struct an_resv **pp, *r = NULL;
	aclError ret = ACL_SUCCESS;

	if (!virPtr)
		return an_fail(ACL_ERROR_INVALID_PARAM, "virPtr is NULL");
	pthread_mutex_lock(&an_vmm.lock);
	for (pp = &an_vmm.resv; *pp && (*pp)->base != virPtr; pp = &(*pp)->next)
		;
	if (!*pp) {
		ret = an_fail(ACL_ERROR_RT_PARAM_INVALID,
			      "%p is not a reservation", virPtr);
	} else if ((*pp)->maps) {
		ret = an_fail(ACL_ERROR_RT_PARAM_INVALID,
			      "%p is still mapped: aclrtUnmapMem first",
			      virPtr);
	} else {
		r = *pp;
		*pp = r->next;
	}
	pthread_mutex_unlock(&an_vmm.lock);
	if (r) {
		munmap(r->base, r->size);
		free(r);
	}
	return ret;
}

/* The reservation holding [p, p + size), or NULL; locked. */
static struct an_resv *an_resv_of(const uint8_t *p, size_t size)
{
	struct an_resv *r;

	for (r = an_vmm.resv; r; r = r->next)
		if (p >= r->base && p < r->base + r->size)
			return size <= (size_t)(r->base + r->size - p) ? r : NULL;
	return NULL;
}

/* The mapping of @r that contains @p, or NULL; locked. */
static struct an_map *an_map_at(struct an_resv *r, const uint8_t *p)
{
	struct an_map *m;

	for (m = r ? r->maps : NULL; m; m = m->next)
		if (p >= m->base && p < m->base + m->size)
			return m;
	return NULL;
}

static void an_map_unlink(struct an_map *m)
{
	struct an_resv *r = an_resv_of(m->base, m->size);
	struct an_map **pp;

	for (pp = &r->maps; *pp; pp = &(*pp)->next) {
		if (*pp == m) {
			*pp = m->next;
			return;
		}
	}
}

/*
 * The last use of an unmapped range (memory.c's @gone): the addresses
 * become reservation again, and the allocation loses the mapping's hold.
 */
static void an_map_gone(void *arg)
{
	struct an_map *m = arg;

	mmap(m->base, m->size, PROT_NONE,
	     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
	pthread_mutex_lock(&an_vmm.lock);
	an_map_unlink(m);
	pthread_mutex_unlock(&an_vmm.lock);
	an_obj_put(&m->phys->obj);
	free(m);
}

AN_EXPORT aclError aclrtMapMem(void *virPtr, size_t size, size_t offset,
			       aclrtDrvMemHandle handle, uint64_t flags)
{
	uint8_t *va = virPtr;
	struct an_phys *p;
	struct an_resv *r;
	struct an_map *m, *o;
	aclError ret = ACL_SUCCESS;
	void *q;

	if (!virPtr || !handle || !size || flags)
		return an_fail(ACL_ERROR_INVALID_PARAM,
			       "virPtr %p, handle %p, size %zu, flags %#" PRIx64,
			       virPtr, handle, size, flags);
	ret = an_rt_ready();
	if (ret)
		return ret;
	p = an_phys_get(handle);
	if (!p)
		return an_fail(ACL_ERROR_RT_INVALID_HANDLE,
			       "not a live physical memory handle");
	if (size != p->size || offset || (uintptr_t)va % AN_VMM_GRAN) {
		an_obj_put(&p->obj);
		return an_fail(ACL_ERROR_RT_PARAM_INVALID,
			       "size %zu (the allocation has %zu), offset %zu (must be 0), virPtr %p (2 MiB aligned)",
			       size, p->size, offset, virPtr);
	}
	m = calloc(1, sizeof(*m));
	if (!m) {
		an_obj_put(&p->obj);
		return an_fail(ACL_ERROR_RT_MEMORY_ALLOCATION, "out of memory");
	}
	m->base = va;
	m->size = size;
	m->phys = p;		/* the reference from an_phys_get */
	m->access = 1ull << p->handle_dev;

	/* Claim the range first, so nobody maps over it or releases it. */
	pthread_mutex_lock(&an_vmm.lock);
	r = an_resv_of(va, size);
	for (o = r ? r->maps : NULL; o; o = o->next)
		if (o->base < va + size && va < o->base + o->size)
			break;
	if (!r)
		ret = an_fail(ACL_ERROR_RT_PARAM_INVALID,
			      "%p + %zu is not inside one reservation", virPtr,
			      size);
	else if (o)
		ret = an_fail(ACL_ERROR_RT_PARAM_INVALID,
			      "%p + %zu overlaps a mapping", virPtr, size);
	else if (p->freed)
		ret = an_fail(ACL_ERROR_RT_INVALID_HANDLE, "handle was freed");
	if (!ret) {
		m->next = r->maps;
		r->maps = m;
	}
	pthread_mutex_unlock(&an_vmm.lock);
	if (ret) {
		free(m);
		an_obj_put(&p->obj);
		return ret;
	}

	q = mmap(va, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
		 an_rt.fd, (off_t)p->mmap_offset);
	if (q == MAP_FAILED) {
		int err = errno;

		ret = an_fail(an_errno_to_acl(err), "mmap: %s", strerror(err));
	} else {
		/* A forked child has its own runtime, not these pages. */
		madvise(va, size, MADV_DONTFORK);
		m->mem = an_mem_range_add(va, size, p->handle_dev, an_map_gone,
					  m);
		if (!m->mem)
			ret = an_fail(ACL_ERROR_RT_MEMORY_ALLOCATION,
				      "out of memory");
	}
	if (ret) {
		/* Nobody else touches a mapping that has no entry yet. */
		m->mem = NULL;
		an_map_gone(m);
	}
	return ret;
}

AN_EXPORT aclError aclrtUnmapMem(void *virPtr)
{
	struct an_mem *mem = NULL;
	struct an_map *m;

	if (!virPtr)
		return an_fail(ACL_ERROR_INVALID_PARAM, "virPtr is NULL");
	pthread_mutex_lock(&an_vmm.lock);
	m = an_map_at(an_resv_of(virPtr, 1), virPtr);
	if (m && m->base == virPtr) {
		mem = m->mem;
		m->mem = NULL;
	}
	pthread_mutex_unlock(&an_vmm.lock);
	if (!mem)
		return an_fail(ACL_ERROR_RT_PARAM_INVALID,
			       "no mapping starts at %p", virPtr);
	/* The range leaves the device memory table; @gone when unused. */
	an_mem_range_remove(mem);
	return ACL_SUCCESS;
}

/* One access descriptor: READWRITE for the host (id 0) or a device. */
static aclError an_access_bit(const char *func, const aclrtMemLocation *loc,
			      uint64_t *bit)
{
	if (loc->type == ACL_MEM_LOCATION_TYPE_HOST && !loc->id) {
		*bit = AN_ACCESS_HOST;
		return ACL_SUCCESS;
	}
	if (loc->type == ACL_MEM_LOCATION_TYPE_DEVICE) {
		*bit = 1ull << (loc->id & 63);
		return an_check_device((int32_t)loc->id);
	}
	an_log(AN_LOG_ERROR, func, "location type %d id %u", (int)loc->type,
	       loc->id);
	return ACL_ERROR_RT_PARAM_INVALID;
}

AN_EXPORT aclError aclrtMemSetAccess(void *virPtr, size_t size,
				     aclrtMemAccessDesc *desc, size_t count)
{
	static const uint8_t zero[sizeof(desc->rsv)];
	uint64_t bits = 0, bit;
	struct an_map *m;
	aclError ret;
	size_t i;

	if (!virPtr || !desc || !count)
		return an_fail(ACL_ERROR_RT_PARAM_INVALID,
			       "virPtr %p, desc %p, count %zu", virPtr,
			       (void *)desc, count);
	ret = an_rt_ready();
	if (ret)
		return ret;
	for (i = 0; i < count; i++) {
		if (desc[i].flags != ACL_RT_MEM_ACCESS_FLAGS_READWRITE ||
		    memcmp(desc[i].rsv, zero, sizeof(zero)))
			return an_fail(ACL_ERROR_RT_PARAM_INVALID,
				       "desc[%zu]: flags %d (only READWRITE), rsv must be 0",
				       i, (int)desc[i].flags);
		ret = an_access_bit(__func__, &desc[i].location, &bit);
		if (ret)
			return ret;
		bits |= bit;
	}
	pthread_mutex_lock(&an_vmm.lock);
	m = an_map_at(an_resv_of(virPtr, 1), virPtr);
	if (m && m->mem && m->base == virPtr && m->size == size)
		m->access |= bits;
	else
		ret = an_fail(ACL_ERROR_RT_PARAM_INVALID,
			      "%p + %zu is not a mapping", virPtr, size);
	pthread_mutex_unlock(&an_vmm.lock);
	return ret;
}

AN_EXPORT aclError aclrtMemGetAccess(void *virPtr, aclrtMemLocation *location,
				     uint64_t *flag)
{
	struct an_map *m;
	aclError ret;
	uint64_t bit;

	if (!virPtr || !location || !flag)
		return an_fail(ACL_ERROR_INVALID_PARAM, "NULL argument");
	ret = an_rt_ready() ?: an_access_bit(__func__, location, &bit);
	if (ret)
		return ret;
	pthread_mutex_lock(&an_vmm.lock);
	m = an_map_at(an_resv_of(virPtr, 1), virPtr);
	if (m && m->mem)
		*flag = m->access & bit ? ACL_RT_MEM_ACCESS_FLAGS_READWRITE :
					  ACL_RT_MEM_ACCESS_FLAGS_NONE;
	else
		ret = an_fail(ACL_ERROR_RT_PARAM_INVALID, "%p is not mapped",
			      virPtr);
	pthread_mutex_unlock(&an_vmm.lock);
	return ret;
}

/* ---- export, whitelist, import ----------------------------------------------- */

/*
 * Exports @handle: a short key when @fabric is NULL, else a full key with
 * the device's SDID in *@fabric. The key is written to @key.
 */
static aclError an_phys_export(const char *func, aclrtDrvMemHandle handle,
			       uint64_t flags, struct an_fabric *fabric,
			       char key[AN_KEY_SIZE])
{
	uint32_t kflags = fabric ? 0 : ASCEND_NOTIFY_EXPORT_KEY64;
	aclError ret = ACL_SUCCESS;
	struct an_phys *p;
	int err;

	if (flags > ACL_RT_VMM_EXPORT_FLAG_DISABLE_PID_VALIDATION) {
		an_log(AN_LOG_ERROR, func, "flags %#" PRIx64, flags);
		return ACL_ERROR_RT_PARAM_INVALID;
	}
	if (flags)
		kflags |= ASCEND_NOTIFY_EXPORT_NO_PID_CHECK;
	p = an_phys_get(handle);
	if (!p) {
		an_log(AN_LOG_ERROR, func, "not a live physical memory handle");
		return ACL_ERROR_RT_INVALID_HANDLE;
	}
	pthread_mutex_lock(&an_vmm.lock);
	if (p->imported || p->freed) {
		ret = ACL_ERROR_RT_NO_PERMISSION;
		an_log(AN_LOG_ERROR, func, "%s", p->imported ?
		       "only aclrtMallocPhysical memory can be exported" :
		       "handle was freed");
	} else if (p->has_key) {
		ret = ACL_ERROR_RT_INTERNAL_ERROR;
		an_log(AN_LOG_ERROR, func, "exported already");
	} else {
		err = an_drv_export(an_rt.fd, p->kh, kflags, key);
		if (err) {
			ret = an_errno_to_acl(err);
			an_log(AN_LOG_ERROR, func, "%s", strerror(-err));
		} else {
			key[ASCEND_NOTIFY_KEY_LEN] = '\0';
			memcpy(p->key, key, AN_KEY_SIZE);
			p->has_key = true;
			if (fabric) {
				memset(fabric, 0, sizeof(*fabric));
				fabric->magic = AN_FABRIC_MAGIC;
				fabric->sdid = an_rt.dev[p->dev].sdid;
				fabric->dev = (uint32_t)p->dev;
				memcpy(fabric->key, key, ASCEND_NOTIFY_KEY_LEN);
			}
		}
	}
	pthread_mutex_unlock(&an_vmm.lock);
	an_obj_put(&p->obj);
	return ret;
}

AN_EXPORT aclError aclrtMemExportToShareableHandle(aclrtDrvMemHandle handle,
						   aclrtMemHandleType handleType,
						   uint64_t flags,
						   uint64_t *shareableHandle)
{
	char key[AN_KEY_SIZE];
	aclError ret;

	if (!handle || !shareableHandle ||
	    handleType != ACL_MEM_HANDLE_TYPE_NONE)
		return an_fail(ACL_ERROR_INVALID_PARAM,
			       "handle %p, shareableHandle %p, handleType %d",
			       handle, (void *)shareableHandle,
			       (int)handleType);
	ret = an_rt_ready() ?: an_phys_export(__func__, handle, flags, NULL,
					      key);
	if (!ret)
		*shareableHandle = an_u64_of_key(key);
	return ret;
}

AN_EXPORT aclError aclrtMemExportToShareableHandleV2(aclrtDrvMemHandle handle,
						     uint64_t flags,
						     aclrtMemSharedHandleType shareType,
						     void *shareableHandle)
{
	struct an_fabric f;
	char key[AN_KEY_SIZE];
	uint64_t v;
	aclError ret;

	if (!handle || !shareableHandle)
		return an_fail(ACL_ERROR_INVALID_PARAM, "%s is NULL",
			       handle ? "shareableHandle" : "handle");
	ret = an_rt_ready();
	if (ret)
		return ret;
	if (shareType != ACL_MEM_SHARE_HANDLE_TYPE_DEFAULT &&
	    shareType != ACL_MEM_SHARE_HANDLE_TYPE_FABRIC)
		return an_fail(ACL_ERROR_RT_PARAM_INVALID, "shareType %d",
			       (int)shareType);
	if (shareType == ACL_MEM_SHARE_HANDLE_TYPE_DEFAULT) {
		ret = an_phys_export(__func__, handle, flags, NULL, key);
		v = an_u64_of_key(key);
		if (!ret)
			memcpy(shareableHandle, &v, sizeof(v));
		return ret;
	}
	ret = an_phys_export(__func__, handle, flags, &f, key);
	if (!ret) {
		memset(shareableHandle, 0, sizeof(aclrtMemFabricHandle));
		memcpy(shareableHandle, &f, sizeof(f));
	}
	return ret;
}

/* Whitelists @pid for the export of this process named by @key. */
static aclError an_phys_set_pids(const char *func, const char *key,
				 const int32_t *pid, size_t num)
{
	aclError ret = ACL_SUCCESS;
	struct an_phys *p;
	int err;

	if (num > ASCEND_NOTIFY_TRUST_MAX) {
		an_log(AN_LOG_ERROR, func, "pidNum %zu: at most %d", num,
		       ASCEND_NOTIFY_TRUST_MAX);
		return ACL_ERROR_RT_PARAM_INVALID;
	}
	pthread_mutex_lock(&an_vmm.lock);
	p = an_phys_by_key(key);
	if (!p || p->imported) {
		ret = ACL_ERROR_RT_PARAM_INVALID;
		an_log(AN_LOG_ERROR, func,
		       "not a shareable handle this process exported");
	} else {
		err = an_drv_set_pids(an_rt.fd, p->kh, pid, (uint32_t)num);
		if (err) {
			ret = an_errno_to_acl(err);
			an_log(AN_LOG_ERROR, func, "%s",
			       err == -EACCES ? "exported without PID validation" :
			       err == -ESRCH ? "a PID is no live process" :
			       strerror(-err));
		}
	}
	pthread_mutex_unlock(&an_vmm.lock);
	return ret;
}

AN_EXPORT aclError aclrtMemSetPidToShareableHandle(uint64_t shareableHandle,
						   int32_t *pid, size_t pidNum)
{
	char key[AN_KEY_SIZE];
	aclError ret;

	if (!pid || !pidNum)
		return an_fail(ACL_ERROR_INVALID_PARAM, "pid %p, pidNum %zu",
			       (void *)pid, pidNum);
	ret = an_rt_ready();
	if (ret)
		return ret;
	an_key_of_u64(shareableHandle, key);
	return an_phys_set_pids(__func__, key, pid, pidNum);
}

AN_EXPORT aclError aclrtMemSetPidToShareableHandleV2(void *shareableHandle,
						     aclrtMemSharedHandleType shareType,
						     int32_t *pid, size_t pidNum)
{
	char key[AN_KEY_SIZE];
	uint32_t sdid;
	aclError ret;

	if (!shareableHandle || !pid || !pidNum)
		return an_fail(ACL_ERROR_INVALID_PARAM,
			       "shareableHandle %p, pid %p, pidNum %zu",
			       shareableHandle, (void *)pid, pidNum);
	ret = an_rt_ready() ?: an_key_of_v2(__func__, shareableHandle,
					    shareType, key, &sdid);
	if (ret)
		return ret;
	return an_phys_set_pids(__func__, key, pid, pidNum);
}

/* Imports @key for device @dev: not this process's own export, once. */
static aclError an_phys_import(const char *func, const char *key, int dev,
			       aclrtDrvMemHandle *handle)
{
	struct an_phys *p;
	aclError ret;
	uint32_t kh;

	pthread_mutex_lock(&an_vmm.lock);
	p = an_phys_by_key(key);
	ret = !p ? ACL_SUCCESS : p->imported ? ACL_ERROR_RT_PARAM_INVALID :
	      ACL_ERROR_RT_NO_PERMISSION;
	pthread_mutex_unlock(&an_vmm.lock);
	if (ret) {
		an_log(AN_LOG_ERROR, func, "%s", p->imported ?
		       "this process imported that shareable handle already" :
		       "this process exported it: import only in another process");
		return ret;
	}
	/* CANN's runtime enables peer access to the owner itself. */
	ret = an_import_key(func, key, dev, true, ASCEND_NOTIFY_KIND_MEM, &kh);
	if (ret)
		return ret;
	return an_phys_open(func, kh, dev, true, key, handle);
}

AN_EXPORT aclError aclrtMemImportFromShareableHandle(uint64_t shareableHandle,
						     int32_t deviceId,
						     aclrtDrvMemHandle *handle)
{
	char key[AN_KEY_SIZE];
	aclError ret;

	if (!handle)
		return an_fail(ACL_ERROR_INVALID_PARAM, "handle is NULL");
	ret = an_rt_ready() ?: an_check_device(deviceId);
	if (ret)
		return ret;
	an_key_of_u64(shareableHandle, key);
	return an_phys_import(__func__, key, deviceId, handle);
}

AN_EXPORT aclError aclrtMemImportFromShareableHandleV2(void *shareableHandle,
						       aclrtMemSharedHandleType shareType,
						       uint64_t flags,
						       aclrtDrvMemHandle *handle)
{
	struct ascend_notify_device_info di;
	char key[AN_KEY_SIZE];
	uint32_t sdid;
	aclError ret;
	int dev;

	if (!shareableHandle || !handle || flags)
		return an_fail(ACL_ERROR_INVALID_PARAM,
			       "shareableHandle %p, handle %p, flags %#" PRIx64,
			       shareableHandle, (void *)handle, flags);
	ret = an_rt_ready() ?: an_need_device(&dev);
	if (ret)
		return ret;
	ret = an_key_of_v2(__func__, shareableHandle, shareType, key, &sdid);
	if (ret)
		return ret;
	if (shareType == ACL_MEM_SHARE_HANDLE_TYPE_FABRIC) {
		/* A virtual instance has no server id of its own. */
		if (an_drv_device_info(an_rt.fd, (uint32_t)dev, &di) ||
		    (di.dev_flags & ASCEND_NOTIFY_DEV_VIRTUAL))
			return an_fail(ACL_ERROR_RT_FEATURE_NOT_SUPPORT,
				       "device %d has no server id", dev);
		if (sdid != UINT32_MAX && !an_sdid_is_local(sdid))
			return an_fail(ACL_ERROR_RT_FEATURE_NOT_SUPPORT,
				       "sdid %u is on another server", sdid);
	}
	return an_phys_import(__func__, key, dev, handle);
}
