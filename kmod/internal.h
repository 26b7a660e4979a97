/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ascend_notify - internal interfaces between the module's files.
 *
 *   device.c  emulated devices: parameters, topology, per-device id space
 *   context.c the per-open-file context and its handle table
 *   share.c   the key table and PID trustlists (shareable objects)
 *   notify.c  notify objects: create, record, wait, reset, export, import
 *   netlink.c the generic netlink family: dumps, device changes, events
 *   main.c    the misc device, ioctl dispatch, module init and exit
 *
 * Object model (see Documentation/design.rst):
 *
 *   context --(xarray)--> handle --(ref)--> notify --(owns)--> share
 *                                                   key table -^
 *
 * A handle holds one reference to its notify; a notify lives until its last
 * handle, in any context, is gone. A share exists once the notify was
 * exported; it sits in the global key table until it is withdrawn (creator
 * destroyed its handle or exited) and is freed with its notify.
 */
#ifndef _ASCEND_NOTIFY_INTERNAL_H
#define _ASCEND_NOTIFY_INTERNAL_H

#include <linux/bitmap.h>
#include <linux/idr.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/rhashtable-types.h>
#include <linux/wait.h>
#include <linux/xarray.h>

#include <linux/ascend_notify.h>

#define AN_KEY_BYTES	(ASCEND_NOTIFY_KEY_LEN / 2)

/* ---- device.c --------------------------------------------------------- */

/**
 * struct an_device - one emulated NPU
 * @id:		device id, 0..an_num_devices - 1.
 * @sdid:	super-pod device id (sdid_base + @id).
 * @notifies:	id -> live notify. The xarray allocates the ids, so its range
 *		(0..max_notifies - 1) is the per-device notify limit, and it
 *		is the registry the netlink dumps walk (under RCU). It locks
 *		itself; only create and the final put touch it.
 * @live:	notifies alive on this device.
 * @created:	notifies ever created on this device.
 * @imports:	live imported handles bound to this device.
 * @exports:	live exports of notifies of this device.
 * @peers:	bit N set when the topology connects this device and device
 *		N. Written under an_topology_lock (write), read with
 *		READ_ONCE; import and export hold the lock for reading so a
 *		topology change cannot slip between their check and their
 *		effect.
 * @is_virtual:	compute-split vNPU; no export, import or batch reset. Same
 *		locking as @peers.
 */
struct an_device {
	u32 id;
	u32 sdid;
	struct xarray notifies;
	atomic_t live;
	atomic64_t created;
	atomic_t imports;
	atomic_t exports;
	u64 peers;
	bool is_virtual;
};

extern unsigned int an_num_devices;
extern unsigned int an_max_notifies;
extern struct rw_semaphore an_topology_lock;

int an_devices_init(void);
void an_devices_exit(void);
struct an_device *an_device(u32 id);
void an_pair_imports_add(u32 dev, u32 peer, int delta);
int an_device_set(u32 dev, const u64 *peers, const bool *is_virtual);

/* ---- share.c ---------------------------------------------------------- */

/**
 * struct an_share - the exported state of a shareable object
 * @node:	link in the global key table.
 * @key:	256 random bits; the key's text is their hex encoding.
 * @owner_lock:	the owning object's mutex. It guards @withdrawn, @pids and
 *		@npids; the key table's own locks guard @node.
 * @owner_ref:	the owning object's reference count; a lookup pins the
 *		object with kref_get_unless_zero(). The owner frees the share
 *		no earlier than an RCU grace period after withdrawing it.
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
	struct mutex *owner_lock;	/* the owner's lock, see above */
	struct kref *owner_ref;
	bool no_pid_check;
	bool withdrawn;
	u32 fingerprint;
	u32 npids;
	struct pid **pids;
};

int an_keys_init(void);
void an_keys_exit(void);
struct an_share *an_share_create(struct mutex *owner_lock,
				 struct kref *owner_ref, bool no_pid_check);
void an_share_new_key(struct an_share *share,
		      char text[ASCEND_NOTIFY_KEY_LEN]);
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
 * struct an_notify - one notify
 * @state:	AN_NOTIFY_SET; changed only with atomic bitops, so record,
 *		wait and reset take no lock when there is no sleeper.
 * @ref:	one per handle in any context.
 * @dev:	the creator's device.
 * @id:		id on @dev, allocated from its registry; freed with the notify.
 * @flags:	ASCEND_NOTIFY_CREATE_* given at creation; immutable.
 * @wq:		waiters in ASCEND_NOTIFY_IOC_WAIT, queued exclusively so one
 *		record wakes one waiter. Its lock is the only lock a
 *		record or wait takes, and only when someone sleeps.
 * @lock:	guards @share (set once, by export), the share's trust state
 *		and @importers. Taken by export, set-pids, import, info,
 *		handle accounting (attach, destroy) and the netlink dump:
 *		never on the record/wait path.
 * @share:	the export, or NULL.
 * @importers:	imported handles (an_handle.node), guarded by @lock.
 * @creator:	thread-group id of the creating process; immutable.
 * @waiters:	tasks sleeping in a wait on this notify.
 * @records, @waits, @timeouts, @denied: counters for inspection.
 * @rcu:	the notify is freed after a grace period, because an import
 *		or a netlink dump may reach it under RCU.
 */
struct an_notify {
	unsigned long state;
	struct kref ref;
	u32 dev;
	u32 id;
	u32 flags;
	wait_queue_head_t wq;
	struct mutex lock;		/* guards @share, see above */
	struct an_share *share;
	struct list_head importers;
	struct pid *creator;
	atomic_t waiters;
	atomic64_t records;
	atomic64_t waits;
	atomic64_t timeouts;
	atomic64_t denied;
	struct rcu_head rcu;
};

/**
 * struct an_handle - a context's reference to a notify
 * @ref:	the table's reference plus one per ioctl using the handle.
 * @dead:	set once by destroy, under the notify's @lock; a waiter on a
 *		dead handle returns -EIDRM.
 * @creator:	this handle created the notify; only it may export or edit
 *		the trustlist, and destroying it withdraws the key.
 * @dev:	device the handle is bound to: the notify's device for the
 *		creator, the importer's current device for an import.
 * @notify:	the notify; the handle owns one reference.
 * @owner:	thread-group id of the process whose context holds it.
 * @node:	for an import, link in the notify's @importers (under its lock).
 * @rcu:	handles are looked up under RCU and freed after a grace period.
 */
struct an_handle {
	struct kref ref;
	bool dead;
	bool creator;
	u32 dev;
	struct an_notify *notify;
	struct pid *owner;
	struct list_head node;
	struct rcu_head rcu;
};

struct an_context;

int an_notify_cache_init(void);
void an_notify_cache_exit(void);
unsigned int an_notify_size(void);
unsigned int an_handle_size(void);
void an_notify_put(struct an_notify *n);
void an_handle_attach(struct an_context *ctx, struct an_handle *h);
void an_handle_kill(struct an_context *ctx, struct an_handle *h);

long an_ioctl_create(struct an_context *ctx, void __user *arg);
long an_ioctl_destroy(struct an_context *ctx, void __user *arg);
long an_ioctl_record(struct an_context *ctx, void __user *arg);
long an_ioctl_wait(struct an_context *ctx, void __user *arg);
long an_ioctl_batch_reset(struct an_context *ctx, void __user *arg);
long an_ioctl_info(struct an_context *ctx, void __user *arg);
long an_ioctl_export(struct an_context *ctx, void __user *arg);
long an_ioctl_set_pids(struct an_context *ctx, void __user *arg);
long an_ioctl_import(struct an_context *ctx, void __user *arg);

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
 * @nr_created:	live handles this context created the notify of.
 * @nr_imported: live handles this context imported.
 * @node:	link in an_contexts, guarded by an_contexts_lock.
 */
struct an_context {
	struct xarray handles;
	u32 next_handle;
	struct pid *owner;
	atomic_t nr_created;
	atomic_t nr_imported;
	struct list_head node;
	DECLARE_BITMAP(peers_enabled,
		       ASCEND_NOTIFY_MAX_DEVICES * ASCEND_NOTIFY_MAX_DEVICES);
};

static inline unsigned int an_peer_bit(u32 dev, u32 peer)
{
	return dev * ASCEND_NOTIFY_MAX_DEVICES + peer;
}

struct an_context *an_context_create(void);
void an_context_teardown(struct an_context *ctx);
void an_context_free(struct an_context *ctx);
struct an_handle *an_handle_get(struct an_context *ctx, u32 id);
void an_handle_put(struct an_handle *h);
struct an_handle *an_handle_alloc(struct an_context *ctx, struct an_notify *n,
				  u32 dev, bool creator);
int an_handle_reserve(struct an_context *ctx, void __user *uarg,
		      const void *karg, size_t size, u32 *idp);
void an_handle_unreserve(struct an_context *ctx, u32 id);
void an_handle_publish(struct an_context *ctx, u32 id, struct an_handle *h);
struct an_handle *an_handle_remove(struct an_context *ctx, u32 id);

extern struct mutex an_contexts_lock;
extern struct list_head an_contexts;

/* ---- netlink.c ---------------------------------------------------------- */

int an_netlink_init(void);
void an_netlink_exit(void);
void an_event(u32 event, const struct an_notify *n, struct pid *pid,
	      u32 extra_attr, u32 extra);
/* Bumped whenever a notify or handle appears or goes: dump consistency. */
extern atomic_t an_generation;

/* ---- statistics (main.c) ------------------------------------------------ */

extern atomic_t an_nr_contexts;
extern atomic_t an_nr_notifies;
extern atomic_t an_nr_handles;
extern atomic_t an_nr_keys;

#endif /* _ASCEND_NOTIFY_INTERNAL_H */
