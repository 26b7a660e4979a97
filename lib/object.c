// SPDX-License-Identifier: MIT
/*
 * Opaque handles for notifies and streams.
 *
 * A handle is not a pointer: it encodes a slot of the table, a type tag and
 * the slot's generation, XORed with a random per-process salt. A destroyed
 * handle finds its slot's generation moved on; a never-created value or a
 * handle from another process fails the tag or generation check. Either
 * way the call returns ACL_ERROR_RT_INVALID_HANDLE instead of touching
 * freed memory. Lookups take a reference, so an object outlives every call
 * and queued task that uses it even if its handle is destroyed meanwhile.
 */
#include <stdlib.h>
#include <sys/random.h>

#include "internal.h"

_Static_assert(sizeof(void *) == 8, "handles encode 64 bits");

#define SLOT_BITS	24
#define SLOT_MASK	((1u << SLOT_BITS) - 1)
#define TYPE_SHIFT	SLOT_BITS
#define MAX_SLOTS	SLOT_MASK

struct an_slot {
	uint32_t gen;
	uint32_t next_free;	/* index + 1 of the next free slot, or 0 */
	struct an_obj *obj;	/* NULL when free */
};

/*
 * The table. @lock guards every field; it is held only for the few
 * instructions of an open, get or close.
 */
static struct {
	pthread_mutex_t lock;
	struct an_slot *slots;
	uint32_t used;		/* slots ever handed out */
	uint32_t cap;
	uint32_t free_head;	/* index + 1, or 0 */
	uint64_t salt;
	bool salted;
} tbl = { .lock = PTHREAD_MUTEX_INITIALIZER };

static uint64_t encode(uint32_t slot, int type, uint32_t gen)
{
	return (((uint64_t)gen << 32) | ((uint64_t)type << TYPE_SHIFT) |
		(slot + 1)) ^ tbl.salt;
}

/* Makes a handle for @obj, which gives the table its reference. */
void *an_obj_open(struct an_obj *obj)
{
	struct an_slot *s;
	uint32_t i;
	uint64_t v;

	pthread_mutex_lock(&tbl.lock);
	if (!tbl.salted) {
		/* The low slot bits stay 0, so no handle encodes to NULL. */
		if (getrandom(&tbl.salt, sizeof(tbl.salt), 0) !=
		    sizeof(tbl.salt))
			tbl.salt = (uint64_t)(uintptr_t)&tbl * 0x9e3779b97f4a7c15ull;
		tbl.salt &= ~(uint64_t)SLOT_MASK;
		tbl.salted = true;
	}
	if (tbl.free_head) {
		i = tbl.free_head - 1;
		tbl.free_head = tbl.slots[i].next_free;
	} else {
		if (tbl.used == tbl.cap) {
			uint32_t cap = tbl.cap ? tbl.cap * 2 : 64;
			struct an_slot *grown;

			if (cap > MAX_SLOTS)
				cap = MAX_SLOTS;
			grown = cap > tbl.cap ?
				realloc(tbl.slots, cap * sizeof(*grown)) : NULL;
			if (!grown) {
				pthread_mutex_unlock(&tbl.lock);
				return NULL;
			}
			tbl.slots = grown;
			tbl.cap = cap;
		}
		i = tbl.used++;
		tbl.slots[i].gen = 0;
	}
	s = &tbl.slots[i];
	if (++s->gen == 0)
		s->gen = 1;
	s->obj = obj;
	s->next_free = 0;
	v = encode(i, obj->type, s->gen);
	pthread_mutex_unlock(&tbl.lock);
	return (void *)(uintptr_t)v;
}

/* The slot of a live handle of @type, or NULL. Called with the lock held. */
static struct an_slot *lookup(const void *handle, int type)
{
	uint64_t v = (uint64_t)(uintptr_t)handle ^ tbl.salt;
	uint32_t slot = (uint32_t)(v & SLOT_MASK);
	struct an_slot *s;

	if (!handle || !slot || slot > tbl.used)
		return NULL;
	if (((v >> TYPE_SHIFT) & 0xff) != (uint64_t)type)
		return NULL;
	s = &tbl.slots[slot - 1];
	if (!s->obj || s->gen != (uint32_t)(v >> 32))
		return NULL;
	return s;
}

/* Frees @s for reuse; returns its object. Called with the lock held. */
static struct an_obj *release_slot(struct an_slot *s)
{
	struct an_obj *obj = s->obj;

	s->obj = NULL;
	s->next_free = tbl.free_head;
	tbl.free_head = (uint32_t)(s - tbl.slots) + 1;
	return obj;
}

/* A reference to the object behind @handle, or NULL when invalid. */
struct an_obj *an_obj_get(const void *handle, int type)
{
	struct an_obj *obj = NULL;
	struct an_slot *s;

	pthread_mutex_lock(&tbl.lock);
	s = lookup(handle, type);
	if (s) {
		obj = s->obj;
		atomic_fetch_add(&obj->refs, 1);
	}
	pthread_mutex_unlock(&tbl.lock);
	return obj;
}

/*
 * Invalidates @handle and returns the object with the table's reference,
 * which the caller now owns; NULL when the handle is invalid (so of two
 * racing destroys exactly one succeeds).
 */
struct an_obj *an_obj_close(const void *handle, int type)
{
	struct an_obj *obj = NULL;
	struct an_slot *s;

	pthread_mutex_lock(&tbl.lock);
	s = lookup(handle, type);
	if (s)
		obj = release_slot(s);
	pthread_mutex_unlock(&tbl.lock);
	return obj;
}

void an_obj_hold(struct an_obj *obj)
{
	atomic_fetch_add(&obj->refs, 1);
}

void an_obj_put(struct an_obj *obj)
{
	if (obj && atomic_fetch_sub(&obj->refs, 1) == 1)
		obj->release(obj);
}

/*
 * Closes every open handle of @type whose object @match accepts (called
 * under the table lock: it must only read the object), then hands each
 * closed object, with the table's reference, to @fn outside the lock.
 * One pass over the table: the closed objects are collected first, so a
 * device with n objects is torn down in O(table) rather than O(n * table).
 * The debug log (ASCEND_NOTIFY_LOG=debug) counts the slots visited, which
 * is how selftests/acl/api_lifetime.c checks that it stays one pass.
 */
void an_obj_close_each(int type, bool (*match)(struct an_obj *obj, int arg),
		       int arg, void (*fn)(struct an_obj *obj))
{
	struct an_obj **v;
	size_t n = 0, i;
	uint32_t used;

	pthread_mutex_lock(&tbl.lock);
	used = tbl.used;
	v = calloc(used ? used : 1, sizeof(*v));
	for (i = 0; v && i < used; i++) {
		struct an_slot *s = &tbl.slots[i];

		if (s->obj && s->obj->type == type &&
		    (!match || match(s->obj, arg)))
			v[n++] = release_slot(s);
	}
	pthread_mutex_unlock(&tbl.lock);
	if (v)
		an_log(AN_LOG_DEBUG, __func__,
		       "type %d: %zu closed, %zu slots visited of %u", type, n,
		       i, used);
	if (!v) {
		/* Out of memory: one object per pass, as slow as it must be. */
		for (;;) {
			struct an_obj *obj = NULL;

			pthread_mutex_lock(&tbl.lock);
			for (i = 0; i < tbl.used && !obj; i++) {
				struct an_slot *s = &tbl.slots[i];

				if (s->obj && s->obj->type == type &&
				    (!match || match(s->obj, arg)))
					obj = release_slot(s);
			}
			pthread_mutex_unlock(&tbl.lock);
			if (!obj)
				return;
			fn(obj);
		}
	}
	for (i = 0; i < n; i++)
		fn(v[i]);
	free(v);
}

/*
 * In a child after fork(): the parent's objects are the parent's. Forget
 * them (their memory is the parent's copy) and draw a new salt, so not
 * even a handle value the child inherited is valid here.
 */
void an_obj_reset_after_fork(void)
{
	pthread_mutex_init(&tbl.lock, NULL);
	free(tbl.slots);
	tbl.slots = NULL;
	tbl.used = tbl.cap = tbl.free_head = 0;
	tbl.salted = false;
}
