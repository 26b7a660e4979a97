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
#include <sched.h>
#include <stdlib.h>
#include <sys/random.h>

#include "internal.h"

_Static_assert(sizeof(void *) == 8, "handles encode 64 bits");

#define SLOT_BITS	24
#define SLOT_MASK	((1u << SLOT_BITS) - 1)
#define TYPE_SHIFT	SLOT_BITS
#define MAX_SLOTS	SLOT_MASK

/* Slots come in chunks that never move, so a lookup needs no lock. */
#define CHUNK_BITS	10
#define CHUNK_SLOTS	(1u << CHUNK_BITS)
#define MAX_CHUNKS	((MAX_SLOTS + CHUNK_SLOTS - 1) / CHUNK_SLOTS)

/*
 * A slot's state word: LIVE while a handle is open on it, and the number
 * of lookups in progress (READER units), each of which is between its
 * check of LIVE and its increment of the object's reference count.
 */
#define SLOT_LIVE	1u
#define SLOT_READER	2u

/**
 * struct an_slot - one handle
 * @state:	SLOT_LIVE and the lookups in progress (see an_obj_get()).
 * @gen:	the generation of the handle open on the slot, or of the
 *		last one; changed only while the slot is neither live nor
 *		being looked up, under tbl.lock.
 * @obj:	the object, while live; written under tbl.lock only.
 * @next_free:	index + 1 of the next free slot, or 0; under tbl.lock.
 * @index:	the slot's own index in the table; set when it is first
 *		handed out.
 */
struct an_slot {
	atomic_uint state;
	atomic_uint gen;
	struct an_obj *obj;
	uint32_t next_free;
	uint32_t index;
};

/*
 * The table. @lock serialises opens and closes and guards @used and
 * @free_head; lookups take no lock: they read @chunks, which only grow,
 * and claim a slot through its state word.
 */
static struct {
	pthread_mutex_t lock;
	struct an_slot *_Atomic chunks[MAX_CHUNKS];
	uint32_t used;		/* slots ever handed out */
	uint32_t free_head;	/* index + 1, or 0 */
	_Atomic uint64_t salt;
	bool salted;
} tbl = { .lock = PTHREAD_MUTEX_INITIALIZER };

static uint64_t encode(uint32_t slot, int type, uint32_t gen)
{
	return (((uint64_t)gen << 32) | ((uint64_t)type << TYPE_SHIFT) |
		(slot + 1)) ^ atomic_load_explicit(&tbl.salt,
						    memory_order_relaxed);
}

static struct an_slot *slot_at(uint32_t i)
{
	struct an_slot *chunk = atomic_load_explicit(&tbl.chunks[i >> CHUNK_BITS],
						     memory_order_acquire);

	return &chunk[i & (CHUNK_SLOTS - 1)];
}

/* Makes a handle for @obj, which gives the table its reference. */
void *an_obj_open(struct an_obj *obj)
{
	struct an_slot *s;
	uint32_t i, gen;
	uint64_t v;

	pthread_mutex_lock(&tbl.lock);
	if (!tbl.salted) {
		uint64_t salt;

		/* The low slot bits stay 0, so no handle encodes to NULL. */
		if (getrandom(&salt, sizeof(salt), 0) != sizeof(salt))
			salt = (uint64_t)(uintptr_t)&tbl * 0x9e3779b97f4a7c15ull;
		atomic_store_explicit(&tbl.salt, salt & ~(uint64_t)SLOT_MASK,
				      memory_order_relaxed);
		tbl.salted = true;
	}
	if (tbl.free_head) {
		i = tbl.free_head - 1;
		s = slot_at(i);
		tbl.free_head = s->next_free;
	} else {
		i = tbl.used;
		if (i == MAX_SLOTS)
			goto full;
		if (!(i & (CHUNK_SLOTS - 1))) {
			struct an_slot *chunk = calloc(CHUNK_SLOTS,
						       sizeof(*chunk));

			if (!chunk)
				goto full;
			atomic_store_explicit(&tbl.chunks[i >> CHUNK_BITS],
					      chunk, memory_order_release);
		}
		s = slot_at(i);
		s->index = i;
		tbl.used = i + 1;
	}
	gen = atomic_load_explicit(&s->gen, memory_order_relaxed) + 1;
	if (!gen)
		gen = 1;
	atomic_store_explicit(&s->gen, gen, memory_order_relaxed);
	s->obj = obj;
	s->next_free = 0;
	v = encode(i, obj->type, gen);
	/* @gen and @obj before LIVE: a lookup that sees LIVE sees them. */
	atomic_store_explicit(&s->state, SLOT_LIVE, memory_order_release);
	pthread_mutex_unlock(&tbl.lock);
	return (void *)(uintptr_t)v;
full:
	pthread_mutex_unlock(&tbl.lock);
	return NULL;
}

/*
 * The slot @handle names if it is of @type, live or not, or NULL; @gen
 * gets the generation the handle carries.
 */
static inline struct an_slot *slot_of(const void *handle, int type,
				      uint32_t *gen)
{
	uint64_t v = (uint64_t)(uintptr_t)handle ^
		     atomic_load_explicit(&tbl.salt, memory_order_relaxed);
	uint32_t slot = (uint32_t)(v & SLOT_MASK) - 1;
	struct an_slot *chunk;

	if (slot >= MAX_SLOTS || ((v >> TYPE_SHIFT) & 0xff) != (uint64_t)type)
		return NULL;
	/* A slot past the last one handed out is zero: not live. */
	chunk = atomic_load_explicit(&tbl.chunks[slot >> CHUNK_BITS],
				     memory_order_acquire);
	if (!chunk)
		return NULL;
	*gen = (uint32_t)(v >> 32);
	return &chunk[slot & (CHUNK_SLOTS - 1)];
}

/*
 * Ends the handle on live slot @s and returns its object, with the
 * table's reference; called with the lock held. Once LIVE is clear no new
 * lookup claims the slot; the ones in progress are a few instructions
 * from their end (they never call out while they hold it), so the slot
 * is reused only after they are out.
 */
static struct an_obj *release_slot(struct an_slot *s)
{
	struct an_obj *obj = s->obj;

	atomic_fetch_and_explicit(&s->state, ~SLOT_LIVE, memory_order_acq_rel);
	while (atomic_load_explicit(&s->state, memory_order_acquire))
		sched_yield();
	s->obj = NULL;
	s->next_free = tbl.free_head;
	tbl.free_head = s->index + 1;
	return obj;
}

/*
 * The slot of @handle if it is live and of the handle's generation, else
 * NULL. A close and a reopen in between change the generation, and the
 * answer is then NULL, as it would be a moment later. Without tbl.lock
 * the answer can be out of date as soon as it is given; with it, it
 * holds until the lock is dropped.
 */
static struct an_slot *live_slot(const void *handle, int type)
{
	uint32_t gen;
	struct an_slot *s = slot_of(handle, type, &gen);

	if (!s || !(atomic_load_explicit(&s->state, memory_order_acquire) &
		    SLOT_LIVE) ||
	    atomic_load_explicit(&s->gen, memory_order_relaxed) != gen)
		return NULL;
	return s;
}

/*
 * A reference to the object behind @handle, or NULL when invalid. No
 * lock: the lookup counts itself in the slot's state word while the slot
 * is live, so the slot cannot be closed and reused under it, then takes
 * its reference on the object (still held by the table) and leaves.
 */
struct an_obj *an_obj_get(const void *handle, int type)
{
	struct an_obj *obj = NULL;
	struct an_slot *s;
	unsigned int st;
	uint32_t gen;

	s = slot_of(handle, type, &gen);
	if (!s)
		return NULL;
	st = atomic_load_explicit(&s->state, memory_order_relaxed);
	do {
		if (!(st & SLOT_LIVE))
			return NULL;
	} while (!atomic_compare_exchange_weak_explicit(&s->state, &st,
							st + SLOT_READER,
							memory_order_acquire,
							memory_order_relaxed));
	if (atomic_load_explicit(&s->gen, memory_order_relaxed) == gen) {
		obj = s->obj;
		atomic_fetch_add_explicit(&obj->refs, 1, memory_order_relaxed);
	}
	atomic_fetch_sub_explicit(&s->state, SLOT_READER, memory_order_release);
	return obj;
}

/* Whether @handle is open, now; takes no reference. */
bool an_obj_live(const void *handle, int type)
{
	return live_slot(handle, type);
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
	s = live_slot(handle, type);
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
		struct an_slot *s = slot_at((uint32_t)i);

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
				struct an_slot *s = slot_at((uint32_t)i);

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

/* Guards the creation of every struct an_thread_key's key. */
static pthread_mutex_t an_thread_keys_lock = PTHREAD_MUTEX_INITIALIZER;

void *an_thread_obj(struct an_thread_key *k, size_t size, bool create)
{
	void *obj;

	if (!atomic_load_explicit(&k->ready, memory_order_acquire)) {
		pthread_mutex_lock(&an_thread_keys_lock);
		if (!atomic_load_explicit(&k->ready, memory_order_relaxed) &&
		    !pthread_key_create(&k->key, k->free))
			atomic_store_explicit(&k->ready, true,
					      memory_order_release);
		pthread_mutex_unlock(&an_thread_keys_lock);
		if (!atomic_load_explicit(&k->ready, memory_order_relaxed))
			return NULL;
	}
	obj = pthread_getspecific(k->key);
	if (!obj && create) {
		obj = calloc(1, size);
		if (obj && pthread_setspecific(k->key, obj)) {
			free(obj);
			obj = NULL;
		}
	}
	return obj;
}

/*
 * In a child after fork(): the parent's objects are the parent's. Forget
 * them (their memory is the parent's copy) and draw a new salt, so not
 * even a handle value the child inherited is valid here.
 */
void an_obj_reset_after_fork(void)
{
	uint32_t i;

	pthread_mutex_init(&tbl.lock, NULL);
	for (i = 0; i < MAX_CHUNKS && tbl.chunks[i]; i++) {
		free(tbl.chunks[i]);
		tbl.chunks[i] = NULL;
	}
	tbl.used = 0;
	tbl.free_head = 0;
	tbl.salted = false;
}
