/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ascend_notify - internal interfaces between the module's files.
 *
 *   device.c  emulated devices: parameters, topology, per-device id space,
 *             the device-level ioctls
 *   user.c    per-user limits: what one user holds on each device
 *   context.c the per-open-file context
 *   handle.c  handles and the per-context handle table: alloc, reserve,
 *             publish, discard, lookup, destroy
 *   share.c   the key table and PID trustlists (shareable objects)
 *   object.c  what every kind shares: lifetimes, info, export, set-pids,
 *             import, unexport
 *   notify.c  notifies and events: create, record, wait, reset
 *   mem.c     device memory: alloc, info, accounting, mmap
 *   netlink.c the generic netlink family: dumps, device changes, events
 *   main.c    the misc device, ioctl dispatch, module init and exit
 *
 * Object model (see Documentation/design.rst):
 *
 *   context --(xarray)--> handle --(ref)--> an_object --(owns)--> share
 *                                             |          key table -^
 *                              embedded in an_notify (NOTIFY, EVENT)
 *                                       or an_mem    (MEM)
 *
 * A handle holds one reference to its object; an object lives until its
 * last handle, in any context, is gone. A share exists once the object was
 * exported; it sits in the global key table until it is withdrawn (unexport,
 * or the creator destroyed its handle or exited) and is freed with its
 * object.
 */
#ifndef _ASCEND_NOTIFY_INTERNAL_H
#define _ASCEND_NOTIFY_INTERNAL_H

#include <linux/bitmap.h>
#include <linux/idr.h>
#include <linux/kref.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/refcount.h>
#include <linux/rhashtable-types.h>
#include <linux/wait.h>
#include <linux/uidgid.h>
#include <linux/xarray.h>

struct an_context;
struct vm_area_struct;
struct file;

#include <linux/ascend_notify.h>

#define AN_KEY_BYTES	(ASCEND_NOTIFY_KEY_LEN / 2)
/* Kinds of object, ASCEND_NOTIFY_KIND_NOTIFY..ASCEND_NOTIFY_KIND_MEM. */
#define AN_NR_KINDS	(ASCEND_NOTIFY_KIND_MEM + 1)

/*
 * What a user's share of a device is counted in (user.c): notifies and
 * events (one device id each), handles bound to the device, and bytes of
 * device memory.
 */
enum an_res {
	AN_RES_NOTIFIES,
	AN_RES_HANDLES,
	AN_RES_MEM,
	AN_NR_RES
};

/* ---- device.c --------------------------------------------------------- */

/**
 * struct an_device - one emulated NPU
 * @id:		device id, 0..an_num_devices - 1.
 * @sdid:	super-pod device id (sdid_base + @id).
 * @notifies:	id -> live notify or event. The xarray allocates the ids, so
 *		its range (0..max_notifies - 1) is the per-device limit, and
 *		it is the registry the netlink dumps walk (under RCU). It
 *		locks itself; only create and the final put touch it.
 * @mems:	index -> live MEM object, for the NOTIFY_GET dump only. It
 *		locks itself; only MEM_ALLOC and the final put touch it.
 * @live:	objects of each kind (ASCEND_NOTIFY_KIND_*) alive on this
 *		device; an_object_init() counts, an_object_release() or
 *		an_object_abort() uncounts.
 * @created:	notifies and events ever created on this device.
 * @imports:	live imported handles bound to this device.
 * @exports:	live exports of objects of this device.
 * @mem_used:	bytes of live MEM objects of this device, at most
 *		an_mem_mb MiB; reserved with a cmpxchg loop at allocation,
 *		given back when the object goes.
 * @peers:	bit N set when the topology connects this device and device
 *		N. Written under an_topology_lock (write), read with
 *		READ_ONCE; import and export hold the lock for reading so a
 *		topology change cannot slip between their check and their
 *		effect.
 * @is_virtual:	compute-split vNPU; no export, import or batch reset. Same
 *		locking as @peers.
 * @user_max:	the most one user may hold on this device, per enum an_res,
 *		unless it has CAP_SYS_RESOURCE (user.c). Written by
 *		DEVICE_SET with WRITE_ONCE, read with READ_ONCE by every
 *		charge: no lock, a charge racing a change sees either value.
 */
struct an_device {
	u32 id;
	u32 sdid;
	struct xarray notifies;
	struct xarray mems;
	atomic_t live[AN_NR_KINDS];
	atomic64_t created;
	atomic_t imports;
	atomic_t exports;
	atomic64_t mem_used;
	u64 peers;
	bool is_virtual;
	u64 user_max[AN_NR_RES];
};

extern unsigned int an_num_devices;
extern unsigned int an_max_notifies;
extern unsigned int an_max_handle_id;

/*
 * Lock order, outermost first (Documentation/design.rst, "Locking"):
 *
 *   genl_mutex (the generic netlink core's, around DEVICE_SET and dumps)
 *     an_topology_lock          (rwsem, device.c)
 *       an_object.lock          (mutex, one object's at a time)
 *         key-table bucket locks (share.c's rhashtable)
 *     an_contexts_lock          (mutex, context.c; PROC_GET only)
 *
 * Innermost, with nothing taken under them: the xarray locks (a context's
 * handles, a device's notifies and mems) and the an_users table's lock
 * (user.c). A wait queue's lock is never taken under an_object.lock
 * (an_handle_kill() drops the mutex before it wakes), and RECORD and WAIT
 * take no lock but that one, and only to sleep or wake. No lock of the
 * module is held across a copy to or from user memory. RCU read-side
 * sections nest anywhere.
 */
extern struct rw_semaphore an_topology_lock;

int an_devices_init(void);
void an_devices_exit(void);
struct an_device *an_device(u32 id);
void an_pair_imports_add(u32 dev, u32 peer, int delta);
int an_device_set(u32 dev, const u64 *peers, const bool *is_virtual);
int an_device_set_limits(u32 dev, const u64 *user_max);
u64 an_user_limit_max(enum an_res res);
long an_ioctl_version(void __user *arg);
long an_ioctl_device_info(struct an_context *ctx, void __user *arg);
long an_ioctl_bare_tgid(void __user *arg);
long an_ioctl_peer(struct an_context *ctx, void __user *arg, bool enable);
long an_ioctl_device_mem(void __user *arg);

/* ---- user.c: per-user limits ------------------------------------------- */

/**
 * struct an_user - what one user holds, on every device
 * @uid:	the real uid (a kuid, so the same user in every user
 *		namespace); the key in the table of users. Immutable.
 * @ref:	one per open context whose opener is this user and one per
 *		object it created; at zero the entry leaves the table, under
 *		the table's lock (refcount_dec_and_lock()).
 * @rcu:	freed after a grace period: USER_GET walks the table under
 *		RCU.
 * @dev:	one entry per device, an_num_devices of them.
 * @dev.used:	per enum an_res: what the user holds on that device.
 *		Atomic: charged by CREATE, IMPORT and MEM_ALLOC with a
 *		cmpxchg loop bounded by the device's user_max, uncharged when
 *		the handle or object goes. Never touched by RECORD or WAIT.
 */
struct an_user {
	kuid_t uid;
	refcount_t ref;
	struct rcu_head rcu;
	struct {
		atomic64_t used[AN_NR_RES];
	} dev[];
};

struct an_user *an_user_get(kuid_t uid);
struct an_user *an_user_hold(struct an_user *u);
void an_user_put(struct an_user *u);
int an_user_charge(struct an_context *ctx, u32 dev, enum an_res res,
		   u64 amount, u32 kind);
void an_user_uncharge(struct an_user *u, u32 dev, enum an_res res,
		      u64 amount);
bool an_user_unlimited(const struct an_context *ctx, bool audit);
struct an_user *an_user_next(unsigned long *uid);
void an_users_exit(void);
long an_ioctl_user_info(struct an_context *ctx, void __user *arg);

/* ---- object.c: the shareable-object header ----------------------------- */

/**
 * struct an_object - what every shareable object has, whatever its kind
 * @kind:	ASCEND_NOTIFY_KIND_*; immutable, so checking it is a plain load.
 * @dev:	the creator's device; immutable.
 * @id:		id on @dev for notifies and events (from the device's
 *		registry); 0 for memory. Immutable.
 * @ref:	one per handle in any context, plus short-lived pins (an
 *		import's key lookup, a netlink dump).
 * @lock:	guards @share (set once, by export), the share's trust state
 *		and @importers. Taken by export, set-pids, import, unexport,
 *		info, handle accounting (attach, destroy) and the netlink dump:
 *		never on the record/wait path. Nests inside an_topology_lock
 *		(see "Lock order" above); helpers that need it held say so
 *		with an_object_assert_held().
 * @share:	the export, or NULL. Never cleared while the object lives
 *		(an unexported share stays, withdrawn).
 * @importers:	imported handles (an_handle.node), guarded by @lock.
 * @nr_importers: how many, guarded by @lock: a dump lists the first few
 *		and reports this count without walking the rest.
 * @creator:	thread-group id of the creating process; immutable.
 * @user:	the user charged for the object (its creator's context's);
 *		a reference, immutable. The charge goes with the object.
 * @denied:	refused imports, for inspection.
 * @rcu:	the object is freed after a grace period, because an import
 *		or a netlink dump may reach it under RCU.
 */
struct an_object {
	u32 kind;
	u32 dev;
	u32 id;
	struct kref ref;
	struct mutex lock;		/* guards @share, see above */
	struct an_share *share;
	struct list_head importers;
	u32 nr_importers;
	struct pid *creator;
	struct an_user *user;
	atomic64_t denied;
	struct rcu_head rcu;
};

/* For lockdep: the caller holds @obj's lock (struct an_object.lock). */
static inline void an_object_assert_held(const struct an_object *obj)
{
	lockdep_assert_held(&obj->lock);
}

/* ---- share.c ---------------------------------------------------------- */

/**
 * struct an_share - the exported state of a shareable object
 * @node:	link in the global key table.
 * @key:	256 random bits; the key's text is their hex encoding.
 * @owner:	the object exported. Its @lock guards @withdrawn, @pids and
 *		@npids; the key table's own locks guard @node. A lookup pins
 *		the owner with kref_get_unless_zero() on its @ref. The owner
 *		frees the share no earlier than an RCU grace period after
 *		withdrawing it.
 * @no_pid_check: exported with ASCEND_NOTIFY_EXPORT_NO_PID_CHECK.
 * @withdrawn:	no longer in the key table; imports are refused.
 * @fingerprint: first 32 bits of the SHA-256 of the key's text: enough to
 *		tell keys apart in a listing, nothing towards guessing one.
 * @npids:	entries used in @pids.
 * @pids:	the trustlist: references to thread-group ids, not numbers.
 */
struct an_share {
	struct rhash_head node;
	u8 key[AN_KEY_BYTES];
	struct an_object *owner;	/* its lock guards us, see above */
	bool no_pid_check;
	bool withdrawn;
	u32 fingerprint;
	u32 npids;
	struct pid **pids;
};

int an_keys_init(void);
void an_keys_exit(void);
struct an_share *an_share_create(struct an_object *owner, bool no_pid_check);
void an_share_new_key(struct an_share *share,
		      char text[ASCEND_NOTIFY_KEY_LEN], bool short_key);
int an_share_publish(struct an_share *share);
void an_share_withdraw(struct an_share *share);
void an_share_free(struct an_share *share);
int an_key_parse(const char text[ASCEND_NOTIFY_KEY_LEN],
		 u8 key[AN_KEY_BYTES]);
struct an_share *an_share_lookup(const u8 key[AN_KEY_BYTES]);
int an_share_add_pids(struct an_share *share, const s32 *nrs, u32 count);
int an_share_check_import(const struct an_share *share);

/* ---- notify.c ----------------------------------------------------------- */

/* an_notify.state bits */
#define AN_NOTIFY_SET	0

/**
 * struct an_notify - a notify or an event
 * @state:	AN_NOTIFY_SET; changed only with atomic bitops, so record,
 *		wait and reset take no lock when there is no sleeper.
 * @flags:	ASCEND_NOTIFY_CREATE_* given at creation; immutable.
 * @wq:		waiters in ASCEND_NOTIFY_IOC_WAIT. On a notify they queue
 *		exclusively, so one record wakes one waiter; on an event
 *		they do not, so one record wakes them all. Its lock is the
 *		only lock a record or wait takes, and only when someone
 *		sleeps.
 * @waiters:	tasks sleeping in a wait on this notify.
 * @records:	records, for inspection.
 * @waits:	waits that completed, for inspection.
 * @timeouts:	waits that timed out, for inspection.
 * @obj:	the shareable-object header; kind NOTIFY or EVENT. Last, so
 *		that what record and wait touch shares one cache line.
 */
struct an_notify {
	unsigned long state;
	u32 flags;
	atomic_t waiters;
	wait_queue_head_t wq;
	atomic64_t records;
	atomic64_t waits;
	atomic64_t timeouts;
	struct an_object obj;
};

static inline struct an_notify *an_notify(struct an_object *obj)
{
	return container_of(obj, struct an_notify, obj);
}

static inline bool an_is_notify(const struct an_object *obj)
{
	return obj->kind != ASCEND_NOTIFY_KIND_MEM;
}

/**
 * struct an_mem - device memory
 * @obj:	the shareable-object header; kind MEM.
 * @file:	the kernel-owned shmem file holding the pages; the object
 *		owns one reference, every mapping of it another. Userspace
 *		never gets a descriptor of it. Immutable.
 * @size:	bytes, a multiple of PAGE_SIZE; charged to the device's
 *		budget until the object goes. Immutable.
 * @index:	in its device's @mems, for NOTIFY_GET dumps. Immutable.
 */
struct an_mem {
	struct an_object obj;
	struct file *file;
	u64 size;
	u32 index;
};

static inline struct an_mem *an_mem(struct an_object *obj)
{
	return container_of(obj, struct an_mem, obj);
}

/**
 * struct an_handle - a context's reference to a shareable object
 * @ref:	the table's reference plus one per ioctl using the handle.
 * @dead:	set once by destroy, under the object's @lock; a waiter on a
 *		dead handle returns -EIDRM.
 * @creator:	this handle created the object; only it may export, edit
 *		the trustlist or unexport, and destroying it withdraws the
 *		key.
 * @kind:	copy of the object's kind, immutable: the record/wait path
 *		checks it in the handle it already holds.
 * @dev:	device the handle is bound to: the object's device for the
 *		creator, the importer's current device for an import.
 * @obj:	the object; the handle owns one reference.
 * @owner:	thread-group id of the process whose context holds it.
 * @node:	for an import, link in the object's @importers (under its
 *		lock).
 * @rcu:	handles are looked up under RCU and freed after a grace period.
 */
struct an_handle {
	struct kref ref;
	bool dead;
	bool creator;
	u8 kind;
	u32 dev;
	struct an_object *obj;
	struct pid *owner;
	struct list_head node;
	struct rcu_head rcu;
};

/* object.c */
int an_object_cache_init(void);
void an_object_cache_exit(void);
void an_object_init(struct an_object *obj, struct an_context *ctx, u32 kind,
		    u32 dev);
void an_object_abort(struct an_object *obj);
void an_object_put(struct an_object *obj);
unsigned int an_object_size(u32 kind);
void an_object_withdraw(struct an_object *obj);
long an_ioctl_info(struct an_context *ctx, void __user *arg);
long an_ioctl_export(struct an_context *ctx, void __user *arg);
long an_ioctl_set_pids(struct an_context *ctx, void __user *arg);
long an_ioctl_import(struct an_context *ctx, void __user *arg);
long an_ioctl_unexport(struct an_context *ctx, void __user *arg);

/* notify.c */

int an_notify_cache_init(void);
void an_notify_cache_exit(void);
unsigned int an_notify_size(void);
void an_notify_release(struct an_notify *n);
void an_notify_free(struct an_notify *n);
void an_notify_kill(struct an_notify *n);
long an_ioctl_create(struct an_context *ctx, void __user *arg);
long an_ioctl_record(struct an_context *ctx, void __user *arg);
long an_ioctl_wait(struct an_context *ctx, void __user *arg);
long an_ioctl_cancel(struct an_context *ctx, void __user *arg);
long an_ioctl_batch_reset(struct an_context *ctx, void __user *arg);

/* mem.c */
extern unsigned int an_mem_mb;

/* Bytes of memory of each device. */
static inline u64 an_mem_total(void)
{
	return (u64)an_mem_mb << 20;
}

void an_mem_release(struct an_mem *m);
void an_mem_free(struct an_mem *m);
long an_ioctl_mem_alloc(struct an_context *ctx, void __user *arg);
long an_ioctl_mem_info(struct an_context *ctx, void __user *arg);
int an_mem_mmap(struct an_context *ctx, struct vm_area_struct *vma);

/* ---- context.c ---------------------------------------------------------- */

/**
 * struct an_context - one open file of /dev/ascend_notify
 * @handles:	handle id -> struct an_handle. Insertions and erasures take
 *		the xarray's lock; lookups run under RCU. Ids start at 1
 *		and are allocated cyclically, so a stale id is rarely reused.
 * @next_handle: cursor for cyclic allocation, guarded by the xarray lock.
 * @owner:	thread-group id of the opener. Only that process may use the
 *		context; a file inherited across fork or passed over a socket
 *		is refused with -EBADFD. Immutable.
 * @peers_enabled: bit an_peer_bit(D, P) set when this context enabled
 *		peer access from device D to device P. Atomic bitops.
 * @nr_created:	live handles this context created the object of.
 * @nr_imported: live handles this context imported.
 * @user:	the user the context charges: the opener's real uid
 *		(file->f_cred). A reference; immutable.
 * @unlimited:	the opener had CAP_SYS_RESOURCE in the initial user
 *		namespace; with the caller's, the limits do not apply.
 *		Immutable.
 * @node:	link in context.c's list of contexts, guarded by
 *		an_contexts_lock there; see an_context_for_each().
 * @cancel_gen: bumped by ASCEND_NOTIFY_IOC_CANCEL (fully ordered); a
 *		waiter that sees it move reads its cancel word again
 *		(notify.c, an_notify_wait_bit()).
 */
struct an_context {
	struct xarray handles;
	u32 next_handle;
	struct pid *owner;
	atomic_t nr_created;
	atomic_t nr_imported;
	struct an_user *user;
	bool unlimited;
	struct list_head node;
	atomic64_t cancel_gen;
	DECLARE_BITMAP(peers_enabled,
		       ASCEND_NOTIFY_MAX_DEVICES * ASCEND_NOTIFY_MAX_DEVICES);
};

static inline unsigned int an_peer_bit(u32 dev, u32 peer)
{
	return dev * ASCEND_NOTIFY_MAX_DEVICES + peer;
}

struct an_context *an_context_create(struct file *file);
void an_context_teardown(struct an_context *ctx);
void an_context_free(struct an_context *ctx);
struct seq_file;
void an_context_show_fdinfo(struct seq_file *m, struct an_context *ctx);

int an_context_for_each(int (*fn)(struct an_context *ctx, void *arg),
			void *arg);

/* ---- handle.c ----------------------------------------------------------- */

int an_handle_cache_init(void);
void an_handle_cache_exit(void);
unsigned int an_handle_size(void);
struct an_handle *an_handle_alloc(struct an_context *ctx,
				  struct an_object *obj, u32 dev, bool creator);
void an_handle_discard(struct an_context *ctx, struct an_handle *h);
void an_handle_put(struct an_handle *h);
void an_handle_attach(struct an_context *ctx, struct an_handle *h);
struct an_handle *an_handle_get(struct an_context *ctx, u32 id);
int an_handle_reserve_id(struct an_context *ctx, u32 *idp);
int an_handle_reserve(struct an_context *ctx, void __user *uarg,
		      const void *karg, size_t size, u32 *idp);
void an_handle_unreserve(struct an_context *ctx, u32 id);
void an_handle_publish(struct an_context *ctx, u32 id, struct an_handle *h);
struct an_handle *an_handle_remove(struct an_context *ctx, u32 id);
void an_handle_kill(struct an_context *ctx, struct an_handle *h);
long an_ioctl_destroy(struct an_context *ctx, void __user *arg);

/*
 * A handle of @ctx whose object is a notify or an event (@notify) or memory
 * (!@notify); NULL otherwise, so another kind reads as "no such handle".
 */
static inline struct an_handle *an_handle_get_kind(struct an_context *ctx,
						   u32 id, bool notify)
{
	struct an_handle *h = an_handle_get(ctx, id);
	bool is_mem;

	if (!h)
		return NULL;
	is_mem = h->kind == ASCEND_NOTIFY_KIND_MEM;
	if (is_mem == notify) {
		an_handle_put(h);
		return NULL;
	}
	return h;
}

/* ---- netlink.c ---------------------------------------------------------- */

int an_netlink_init(void);
void an_netlink_exit(void);
void an_event(u32 event, const struct an_object *obj, struct pid *pid,
	      u32 extra_attr, u32 extra);
void an_event_limit(const struct an_context *ctx, u32 dev, u32 kind,
		    u32 limit);
/* Bumped whenever an object or handle appears or goes: dump consistency. */
extern atomic_t an_generation;

/* ---- statistics (main.c) ------------------------------------------------ */

extern atomic_t an_nr_contexts;
/* live objects by ASCEND_NOTIFY_KIND_*, module-wide */
extern atomic_t an_nr_objects[AN_NR_KINDS];
extern atomic_t an_nr_handles;
extern atomic_t an_nr_keys;

/* Live objects of every kind, module-wide. */
static inline u32 an_nr_objects_live(void)
{
	u32 kind, n = 0;

	for (kind = 0; kind < AN_NR_KINDS; kind++)
		n += atomic_read(&an_nr_objects[kind]);
	return n;
}

#endif /* _ASCEND_NOTIFY_INTERNAL_H */
