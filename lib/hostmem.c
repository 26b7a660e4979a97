// SPDX-License-Identifier: MIT
/*
 * Host memory: aclrtMallocHost/aclrtFreeHost and registered host ranges
 * (aclrtHostRegister, aclrtHostRegisterV2, aclrtHostGetDevicePointer,
 * aclrtHostUnregister).
 *
 * The emulated device shares the host's address space, so "page-locked"
 * memory is page-aligned anonymous memory, and the device address of a
 * registered range is its host address. What the library adds is
 * knowledge: a table of the blocks aclrtMallocHost returned and of the
 * registered ranges, so that aclrtFreeHost refuses anything else,
 * registrations do not overlap, and the copy calls (memory.c) can tell
 * registered host memory, which a device-side argument may name, from
 * plain host memory, which it may not.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "internal.h"

/* Flags aclrtHostRegisterV2 takes, and the types aclrtHostRegister takes. */
#define AN_HOST_REG_FLAGS	(ACL_HOST_REG_MAPPED | ACL_HOST_REG_IOMEMORY | \
				 ACL_HOST_REG_READONLY | ACL_HOST_REG_PINNED)
#define AN_HOST_REG_TYPES	(ACL_HOST_REGISTER_IOMEMORY | \
				 ACL_HOST_REGISTER_READONLY)

/**
 * struct an_host - a block of aclrtMallocHost or a registered range
 * @base, @size: the range.
 * @map_len:	a block's mapping length (whole pages); 0 for a registration.
 * @next:	link in an_hosts.list.
 */
struct an_host {
	uint8_t *base;
	size_t size;
	size_t map_len;
	struct an_host *next;
};

/* @lock guards both lists and every entry on them. */
static struct {
	pthread_mutex_t lock;
	struct an_host *blocks;		/* aclrtMallocHost */
	struct an_host *regs;		/* registered ranges */
} an_hosts = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* The entry of @list overlapping [@p, @p + @len), or NULL; lock held. */
static struct an_host **an_host_overlap(struct an_host **list, const void *p,
					size_t len)
{
	const uint8_t *a = p;

	for (; *list; list = &(*list)->next) {
		struct an_host *h = *list;

		if (a < h->base + h->size && h->base < a + len)
			return list;
	}
	return list;
}

/* Unlinks and returns the entry of @list that starts at @base; lock held. */
static struct an_host *an_host_take(struct an_host **list, const void *base)
{
	struct an_host *h;

	while (*list && (*list)->base != base)
		list = &(*list)->next;
	h = *list;
	if (h)
		*list = h->next;
	return h;
}

bool an_host_registered(const void *p, size_t count)
{
	const uint8_t *a = p;
	struct an_host **pp;
	bool ok;

	pthread_mutex_lock(&an_hosts.lock);
	pp = an_host_overlap(&an_hosts.regs, p, count ? count : 1);
	ok = *pp && a >= (*pp)->base &&
	     count <= (size_t)((*pp)->base + (*pp)->size - a);
	pthread_mutex_unlock(&an_hosts.lock);
	return ok;
}

/* In a forked child the parent's table still describes its memory. */
void an_host_reset_after_fork(void)
{
	pthread_mutex_init(&an_hosts.lock, NULL);
}

AN_EXPORT aclError aclrtMallocHost(void **hostPtr, size_t size)
{
	struct an_host *h;
	aclError ret;
	void *p;

	if (!hostPtr || !size)
		return an_fail(ACL_ERROR_INVALID_PARAM, "%s",
			       hostPtr ? "size is 0" : "hostPtr is NULL");
	ret = an_rt_ready();
	if (ret)
		return ret;
	h = calloc(1, sizeof(*h));
	p = h ? mmap(NULL, size, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) : MAP_FAILED;
	if (p == MAP_FAILED) {
		free(h);
		return an_fail(ACL_ERROR_RT_MEMORY_ALLOCATION,
			       "%zu bytes of host memory", size);
	}
	h->base = p;
	h->size = size;
	h->map_len = size;
	pthread_mutex_lock(&an_hosts.lock);
	h->next = an_hosts.blocks;
	an_hosts.blocks = h;
	pthread_mutex_unlock(&an_hosts.lock);
	*hostPtr = p;
	return ACL_SUCCESS;
}

AN_EXPORT aclError aclrtFreeHost(void *hostPtr)
{
	struct an_host **pp, *h, *r;
	aclError ret;

	ret = an_ready_arg(hostPtr);
	if (ret)
		return ret;
	pthread_mutex_lock(&an_hosts.lock);
	h = an_host_take(&an_hosts.blocks, hostPtr);
	if (h) {
		/* Registrations inside the block end with it. */
		while (*(pp = an_host_overlap(&an_hosts.regs, h->base,
					      h->size))) {
			r = *pp;
			*pp = r->next;
			free(r);
		}
	}
	pthread_mutex_unlock(&an_hosts.lock);
	if (!h)
		return an_fail(ACL_ERROR_RT_PARAM_INVALID,
			       "%p is not an address aclrtMallocHost returned, or was freed",
			       hostPtr);
	munmap(h->base, h->map_len);
	free(h);
	return ACL_SUCCESS;
}

/* Enters [@ptr, @ptr + @size) in the registered ranges. */
static aclError an_host_register(const char *func, void *ptr, uint64_t size)
{
	struct an_host *h;
	aclError ret = an_rt_ready();

	if (ret)
		return ret;
	if (size > SIZE_MAX - (uintptr_t)ptr) {
		an_log(AN_LOG_ERROR, func, "size %llu wraps",
		       (unsigned long long)size);
		return ACL_ERROR_RT_PARAM_INVALID;
	}
	h = calloc(1, sizeof(*h));
	if (!h)
		return an_fail(ACL_ERROR_RT_MEMORY_ALLOCATION, "out of memory");
	h->base = ptr;
	h->size = size;
	pthread_mutex_lock(&an_hosts.lock);
	if (*an_host_overlap(&an_hosts.regs, ptr, size)) {
		pthread_mutex_unlock(&an_hosts.lock);
		free(h);
		an_log(AN_LOG_ERROR, func,
		       "%p + %llu overlaps a registered range", ptr,
		       (unsigned long long)size);
		return ACL_ERROR_HOST_MEMORY_ALREADY_REGISTERED;
	}
	h->next = an_hosts.regs;
	an_hosts.regs = h;
	pthread_mutex_unlock(&an_hosts.lock);
	return ACL_SUCCESS;
}

AN_EXPORT aclError aclrtHostRegister(void *ptr, uint64_t size,
				     aclrtHostRegisterType type, void **devPtr)
{
	aclError ret;

	if (!ptr || !devPtr || !size)
		return an_fail(ACL_ERROR_INVALID_PARAM, "%s",
			       !ptr ? "ptr is NULL" :
			       !devPtr ? "devPtr is NULL" : "size is 0");
	if ((uint32_t)type & ~(uint32_t)AN_HOST_REG_TYPES)
		return an_fail(ACL_ERROR_RT_FEATURE_NOT_SUPPORT, "type %#x",
			       (unsigned int)type);
	ret = an_host_register(__func__, ptr, size);
	if (!ret)
		*devPtr = ptr;
	return ret;
}

AN_EXPORT aclError aclrtHostRegisterV2(void *ptr, uint64_t size, uint32_t flag)
{
	if (!ptr || !size)
		return an_fail(ACL_ERROR_INVALID_PARAM, "%s",
			       ptr ? "size is 0" : "ptr is NULL");
	if (!flag || (flag & ~(uint32_t)AN_HOST_REG_FLAGS))
		return an_fail(ACL_ERROR_RT_PARAM_INVALID, "flag %#x", flag);
	return an_host_register(__func__, ptr, size);
}

AN_EXPORT aclError aclrtHostGetDevicePointer(void *pHost, void **pDevice,
					     uint32_t flag)
{
	aclError ret;

	if (!pHost || !pDevice || flag)
		return an_fail(ACL_ERROR_INVALID_PARAM, "%s",
			       !pHost ? "pHost is NULL" :
			       !pDevice ? "pDevice is NULL" : "flag is not 0");
	ret = an_rt_ready();
	if (ret)
		return ret;
	if (!an_host_registered(pHost, 0))
		return an_fail(ACL_ERROR_HOST_MEMORY_NOT_REGISTERED,
			       "%p is not in a registered range", pHost);
	*pDevice = pHost;
	return ACL_SUCCESS;
}

AN_EXPORT aclError aclrtHostUnregister(void *ptr)
{
	struct an_host *h;
	aclError ret;

	ret = an_ready_arg(ptr);
	if (ret)
		return ret;
	pthread_mutex_lock(&an_hosts.lock);
	h = an_host_take(&an_hosts.regs, ptr);
	pthread_mutex_unlock(&an_hosts.lock);
	if (!h)
		return an_fail(ACL_ERROR_HOST_MEMORY_NOT_REGISTERED,
			       "no registration starts at %p", ptr);
	free(h);
	return ACL_SUCCESS;
}
