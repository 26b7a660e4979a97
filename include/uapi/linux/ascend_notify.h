/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * ascend_notify - kernel-owned IPC notifies for emulated Ascend NPUs
 *
 * The misc device /dev/ascend_notify owns every shareable object - notifies,
 * events and device memory - with its export key and its PID trustlist; a
 * notify or event also owns its one-bit state and its wait queue. Each open file is a
 * context with its own handle table; a handle is a __u32, never 0, and has
 * no meaning in any other open file. Closing the file, or the exit of the
 * process that opened it, releases every handle of the context.
 *
 * All structures have fixed-width fields, explicit padding and a flags
 * field. Unknown flag bits and nonzero pad or reserved fields are rejected
 * with -EINVAL, so every one of them can be given a meaning later. Pointers
 * are passed as __u64. See Documentation/uapi.rst for each ioctl's error
 * table.
 */
#ifndef _UAPI_LINUX_ASCEND_NOTIFY_H
#define _UAPI_LINUX_ASCEND_NOTIFY_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define ASCEND_NOTIFY_DEVICE_PATH	"/dev/ascend_notify"

/*
 * ABI version. The major number changes when an existing ioctl changes
 * incompatibly; the minor number when ioctls or flags are added.
 */
#define ASCEND_NOTIFY_ABI_MAJOR		2
#define ASCEND_NOTIFY_ABI_MINOR		0

/* An export key: this many printable characters, not NUL-terminated. */
#define ASCEND_NOTIFY_KEY_LEN		64
/* Most PIDs one notify's trustlist holds. */
#define ASCEND_NOTIFY_TRUST_MAX		64
/* Most handles one ASCEND_NOTIFY_IOC_BATCH_RESET call takes. */
#define ASCEND_NOTIFY_BATCH_MAX		65536
/* Most emulated devices (the width of a peer mask). */
#define ASCEND_NOTIFY_MAX_DEVICES	64

/* Wait deadline meaning "no deadline". */
#define ASCEND_NOTIFY_FOREVER		(~(__u64)0)

/**
 * struct ascend_notify_version - ASCEND_NOTIFY_IOC_VERSION
 * @flags:	in: must be 0.
 * @major:	out: ASCEND_NOTIFY_ABI_MAJOR of the loaded module.
 * @minor:	out: ASCEND_NOTIFY_ABI_MINOR of the loaded module.
 * @num_devices: out: number of emulated devices, ids 0..num_devices-1.
 * @key_len:	out: ASCEND_NOTIFY_KEY_LEN.
 * @trust_max:	out: ASCEND_NOTIFY_TRUST_MAX.
 * @batch_max:	out: ASCEND_NOTIFY_BATCH_MAX.
 * @pad:	must be 0.
 */
struct ascend_notify_version {
	__u32 flags;
	__u32 major;
	__u32 minor;
	__u32 num_devices;
	__u32 key_len;
	__u32 trust_max;
	__u32 batch_max;
	__u32 pad;
};

/* ascend_notify_device_info.dev_flags */
#define ASCEND_NOTIFY_DEV_VIRTUAL	(1U << 0) /* compute-split vNPU */

/**
 * struct ascend_notify_device_info - ASCEND_NOTIFY_IOC_DEVICE_INFO
 * @dev:	in: device id.
 * @flags:	in: must be 0.
 * @dev_flags:	out: ASCEND_NOTIFY_DEV_* bits.
 * @sdid:	out: super-pod device id of this device.
 * @max_notifies: out: per-device limit of live notifies and events
 *		together (they share the device's id space).
 * @live_notifies: out: NOTIFY objects alive on this device.
 * @live_events: out: EVENT objects alive on this device.
 * @live_mems:	out: MEM objects alive on this device.
 * @peers:	out: bit N set when the topology connects @dev and device N.
 * @peers_enabled: out: bit N set when this context enabled peer access
 *		from @dev to device N.
 */
struct ascend_notify_device_info {
	__u32 dev;
	__u32 flags;
	__u32 dev_flags;
	__u32 sdid;
	__u32 max_notifies;
	__u32 live_notifies;
	__u32 live_events;
	__u32 live_mems;
	__u64 peers;
	__u64 peers_enabled;
};

/**
 * struct ascend_notify_bare_tgid - ASCEND_NOTIFY_IOC_BARE_TGID
 * @flags:	in: must be 0.
 * @tgid:	out: the caller's thread-group id in the initial PID
 *		namespace; the value other processes put on a trustlist.
 */
struct ascend_notify_bare_tgid {
	__u32 flags;
	__s32 tgid;
};

/**
 * struct ascend_notify_peer - ASCEND_NOTIFY_IOC_PEER_ENABLE/_DISABLE
 * @dev:	in: the accessing device.
 * @peer:	in: the accessed device; must differ from @dev.
 * @flags:	in: must be 0.
 * @pad:	must be 0.
 *
 * Peer access is one-directional (@dev to @peer) and belongs to the
 * context. Enabling an enabled pair and disabling a disabled one succeed.
 */
struct ascend_notify_peer {
	__u32 dev;
	__u32 peer;
	__u32 flags;
	__u32 pad;
};

/*
 * Kinds of shareable object. Every handle names one object of one kind;
 * EXPORT, SET_PIDS, IMPORT, UNEXPORT and DESTROY work on every kind, the
 * other ioctls name the kinds they take.
 *
 * NOTIFY	one bit; a wait consumes it, so one record releases one wait.
 * EVENT	one bit; a wait does not consume it, so one record releases
 *		every waiter, and the bit stays set until a reset.
 * MEM		device memory: a kernel-owned shmem allocation, mapped by
 *		mmap() of the device file at the offset MEM_ALLOC or MEM_INFO
 *		returns.
 */
#define ASCEND_NOTIFY_KIND_NOTIFY	0
#define ASCEND_NOTIFY_KIND_EVENT	1
#define ASCEND_NOTIFY_KIND_MEM		2

/* ascend_notify_create.flags */
#define ASCEND_NOTIFY_CREATE_DEVICE_ONLY (1U << 0) /* ACL_NOTIFY_DEVICE_USE_ONLY */
#define ASCEND_NOTIFY_CREATE_EVENT	(1U << 1) /* create an EVENT (ABI 1.2) */

/**
 * struct ascend_notify_create - ASCEND_NOTIFY_IOC_CREATE
 * @dev:	in: device the notify belongs to.
 * @flags:	in: ASCEND_NOTIFY_CREATE_* bits.
 * @handle:	out: the new handle (never 0).
 * @id:		out: the notify's id, unique on @dev while it lives.
 *
 * With ASCEND_NOTIFY_CREATE_EVENT the object is an EVENT. Notifies and
 * events share the device's id space and its max_notifies limit.
 */
struct ascend_notify_create {
	__u32 dev;
	__u32 flags;
	__u32 handle;
	__u32 id;
};

/**
 * struct ascend_notify_handle_arg - DESTROY and RECORD
 * @handle:	in: a handle of this context.
 * @flags:	in: must be 0.
 */
struct ascend_notify_handle_arg {
	__u32 handle;
	__u32 flags;
};

/**
 * struct ascend_notify_wait - ASCEND_NOTIFY_IOC_WAIT
 * @handle:	in: a handle of this context.
 * @flags:	in: must be 0.
 * @deadline_ns: in: absolute CLOCK_MONOTONIC deadline in nanoseconds, or
 *		ASCEND_NOTIFY_FOREVER. A set bit is consumed even when the
 *		deadline has passed. Because the deadline is absolute, a wait
 *		restarted after a signal keeps its original deadline.
 * @cancel:	in: user pointer to a __u32 cancel word, or 0 for none. A wait
 *		that has to sleep ends with -ECANCELED once the word is
 *		nonzero: it reads the word before it first sleeps and again
 *		whenever ASCEND_NOTIFY_IOC_CANCEL on this file wakes it. A
 *		set bit is consumed even when the word is set.
 */
struct ascend_notify_wait {
	__u32 handle;
	__u32 flags;
	__u64 deadline_ns;
	__u64 cancel;
};

/**
 * struct ascend_notify_cancel - ASCEND_NOTIFY_IOC_CANCEL
 * @flags:	in: must be 0.
 * @pad:	must be 0.
 *
 * Wakes every wait of this context (any thread) so that it reads its cancel
 * word again: a wait whose word is now nonzero ends with -ECANCELED, every
 * other wait sleeps on. Set the word first, then call CANCEL.
 */
struct ascend_notify_cancel {
	__u32 flags;
	__u32 pad;
};

/**
 * struct ascend_notify_batch - ASCEND_NOTIFY_IOC_BATCH_RESET
 * @handles:	in: pointer to an array of @count __u32 handles.
 * @count:	in: 1..ASCEND_NOTIFY_BATCH_MAX.
 * @flags:	in: must be 0.
 *
 * Clears the bit of every notify, or of none when any handle is invalid.
 */
struct ascend_notify_batch {
	__u64 handles;
	__u32 count;
	__u32 flags;
};

/* ascend_notify_info.info_flags */
#define ASCEND_NOTIFY_INFO_SET		(1U << 0) /* the bit is set */
#define ASCEND_NOTIFY_INFO_IMPORTED	(1U << 1) /* handle came from import */
#define ASCEND_NOTIFY_INFO_EXPORTED	(1U << 2) /* the notify has a key */
#define ASCEND_NOTIFY_INFO_NO_PID_CHECK	(1U << 3) /* exported without trust */
#define ASCEND_NOTIFY_INFO_WITHDRAWN	(1U << 4) /* creator destroyed it */
#define ASCEND_NOTIFY_INFO_DEVICE_ONLY	(1U << 5) /* created DEVICE_ONLY */
#define ASCEND_NOTIFY_INFO_EVENT	(1U << 6) /* an EVENT (ABI 1.2) */
#define ASCEND_NOTIFY_INFO_MEM		(1U << 7) /* a MEM object (ABI 1.2) */

/**
 * struct ascend_notify_info - ASCEND_NOTIFY_IOC_INFO
 * @handle:	in: a handle of this context.
 * @flags:	in: must be 0.
 * @dev:	out: the notify's device (the creator's).
 * @id:		out: the notify's id on @dev.
 * @handle_dev:	out: the device the handle is bound to (an importer's
 *		current device at import time).
 * @info_flags:	out: ASCEND_NOTIFY_INFO_* bits.
 */
struct ascend_notify_info {
	__u32 handle;
	__u32 flags;
	__u32 dev;
	__u32 id;
	__u32 handle_dev;
	__u32 info_flags;
};

/* ascend_notify_export.flags */
#define ASCEND_NOTIFY_EXPORT_NO_PID_CHECK (1U << 0) /* anyone may import */
/*
 * A key of 64 random bits (ABI 1.4): its first 16 digits are random, the
 * other 48 are '0', so it fits a __u64 (CANN's VMM shareable handle).
 */
#define ASCEND_NOTIFY_EXPORT_KEY64	(1U << 1)

/**
 * struct ascend_notify_export - ASCEND_NOTIFY_IOC_EXPORT
 * @handle:	in: the creator's handle.
 * @flags:	in: ASCEND_NOTIFY_EXPORT_* bits.
 * @key:	out: the key, ASCEND_NOTIFY_KEY_LEN characters from
 *		[0-9a-f] encoding 256 random bits (64 with
 *		ASCEND_NOTIFY_EXPORT_KEY64), not NUL-terminated.
 */
struct ascend_notify_export {
	__u32 handle;
	__u32 flags;
	char key[ASCEND_NOTIFY_KEY_LEN];
};

/**
 * struct ascend_notify_trust - ASCEND_NOTIFY_IOC_SET_PIDS
 * @pids:	in: pointer to an array of @count __s32 bare TGIDs.
 * @handle:	in: the creator's handle of an exported notify.
 * @count:	in: 1..ASCEND_NOTIFY_TRUST_MAX.
 * @flags:	in: must be 0.
 * @pad:	must be 0.
 *
 * Adds the processes to the trustlist, or none of them on error. The
 * kernel keeps a reference to each process, not its number.
 */
struct ascend_notify_trust {
	__u64 pids;
	__u32 handle;
	__u32 count;
	__u32 flags;
	__u32 pad;
};

/* ascend_notify_import.flags */
#define ASCEND_NOTIFY_IMPORT_PEER_ACCESS (1U << 0) /* enable peer access */

/**
 * struct ascend_notify_import - ASCEND_NOTIFY_IOC_IMPORT
 * @key:	in: a key from ASCEND_NOTIFY_IOC_EXPORT.
 * @dev:	in: the importer's current device; the handle is bound to it.
 * @flags:	in: ASCEND_NOTIFY_IMPORT_* bits.
 * @handle:	out: the new handle.
 * @kind:	in: the ASCEND_NOTIFY_KIND_* the caller expects. A key of an
 *		object of another kind is refused like an unknown key
 *		(-ENOKEY). Before ABI 1.2 this field was padding that had to
 *		be 0, which is ASCEND_NOTIFY_KIND_NOTIFY.
 */
struct ascend_notify_import {
	char key[ASCEND_NOTIFY_KEY_LEN];
	__u32 dev;
	__u32 flags;
	__u32 handle;
	__u32 kind;
};

/**
 * struct ascend_notify_mem - ASCEND_NOTIFY_IOC_MEM_ALLOC and _MEM_INFO
 * @dev:	ALLOC in: device the memory belongs to. INFO out: the
 *		creator's device.
 * @flags:	in: must be 0.
 * @size:	ALLOC in: bytes, 1..the device's free memory; rounded up to
 *		whole pages. INFO out: the rounded size.
 * @handle:	ALLOC out: the new handle. INFO in: a MEM handle.
 * @pad:	must be 0.
 * @mmap_offset: out: the offset to pass to mmap() of this file to map the
 *		memory (MAP_SHARED, length at most @size). Mappings hold the
 *		pages: they outlive every handle, and a destroyed object's
 *		pages go with the last mapping.
 */
struct ascend_notify_mem {
	__u32 dev;
	__u32 flags;
	__u64 size;
	__u32 handle;
	__u32 pad;
	__u64 mmap_offset;
};

/**
 * struct ascend_notify_device_mem - ASCEND_NOTIFY_IOC_DEVICE_MEM
 * @dev:	in: device id.
 * @flags:	in: must be 0.
 * @total:	out: bytes of device memory (module parameter mem_mb).
 * @used:	out: bytes held by live MEM objects of @dev, all processes.
 */
struct ascend_notify_device_mem {
	__u32 dev;
	__u32 flags;
	__u64 total;
	__u64 used;
};

/* ascend_notify_user_info.user_flags */
#define ASCEND_NOTIFY_USER_UNLIMITED	(1U << 0) /* limits do not apply */

/**
 * struct ascend_notify_user_info - ASCEND_NOTIFY_IOC_USER_INFO (ABI 1.3)
 * @dev:	in: device id.
 * @flags:	in: must be 0.
 * @uid:	out: the user this context charges: the real uid of the
 *		process that opened the file, in the initial user namespace.
 * @user_flags:	out: ASCEND_NOTIFY_USER_* bits. UNLIMITED when both the
 *		opener and the caller have CAP_SYS_RESOURCE in the initial
 *		user namespace: the limits below are then not enforced.
 * @notifies:	out: notifies and events of this user alive on @dev.
 * @max_notifies: out: the most a user may hold on @dev.
 * @handles:	out: handles of this user bound to @dev, in all its files.
 * @max_handles: out: the most a user may hold on @dev.
 * @mem:	out: bytes of device memory of this user on @dev.
 * @max_mem:	out: the most a user may hold on @dev.
 *
 * The per-user limits of @dev and the caller's usage of them; every
 * process of the user, in every PID or user namespace, counts.
 */
struct ascend_notify_user_info {
	__u32 dev;
	__u32 flags;
	__u32 uid;
	__u32 user_flags;
	__u32 notifies;
	__u32 max_notifies;
	__u32 handles;
	__u32 max_handles;
	__u64 mem;
	__u64 max_mem;
};

/*
 * The ioctl code (type): no header of Linux 6.12 uses it and
 * ioctl-number.rst does not list it; scripts/check-ioctl-magic checks a
 * kernel tree. This driver reserves all of it: numbers 0x00-0xff.
 */
#define ASCEND_NOTIFY_IOC_MAGIC		0xBC

#define ASCEND_NOTIFY_IOC_VERSION \
	_IOWR(ASCEND_NOTIFY_IOC_MAGIC, 0x00, struct ascend_notify_version)
#define ASCEND_NOTIFY_IOC_DEVICE_INFO \
	_IOWR(ASCEND_NOTIFY_IOC_MAGIC, 0x01, struct ascend_notify_device_info)
#define ASCEND_NOTIFY_IOC_BARE_TGID \
	_IOWR(ASCEND_NOTIFY_IOC_MAGIC, 0x02, struct ascend_notify_bare_tgid)
#define ASCEND_NOTIFY_IOC_PEER_ENABLE \
	_IOW(ASCEND_NOTIFY_IOC_MAGIC, 0x03, struct ascend_notify_peer)
#define ASCEND_NOTIFY_IOC_PEER_DISABLE \
	_IOW(ASCEND_NOTIFY_IOC_MAGIC, 0x04, struct ascend_notify_peer)
/*
 * 0x05 was ASCEND_NOTIFY_IOC_STATS (ABI 1.x; netlink STATS_GET replaces
 * it). It stays unused: the module refuses it with -ENOTTY.
 */
/* The caller's usage of the per-user limits of a device (ABI 1.3). */
#define ASCEND_NOTIFY_IOC_USER_INFO \
	_IOWR(ASCEND_NOTIFY_IOC_MAGIC, 0x06, struct ascend_notify_user_info)

#define ASCEND_NOTIFY_IOC_CREATE \
	_IOWR(ASCEND_NOTIFY_IOC_MAGIC, 0x10, struct ascend_notify_create)
#define ASCEND_NOTIFY_IOC_DESTROY \
	_IOW(ASCEND_NOTIFY_IOC_MAGIC, 0x11, struct ascend_notify_handle_arg)
#define ASCEND_NOTIFY_IOC_RECORD \
	_IOW(ASCEND_NOTIFY_IOC_MAGIC, 0x12, struct ascend_notify_handle_arg)
#define ASCEND_NOTIFY_IOC_WAIT \
	_IOW(ASCEND_NOTIFY_IOC_MAGIC, 0x13, struct ascend_notify_wait)
#define ASCEND_NOTIFY_IOC_BATCH_RESET \
	_IOW(ASCEND_NOTIFY_IOC_MAGIC, 0x14, struct ascend_notify_batch)
#define ASCEND_NOTIFY_IOC_INFO \
	_IOWR(ASCEND_NOTIFY_IOC_MAGIC, 0x15, struct ascend_notify_info)
/* Ends the waits of this context whose cancel word is set (ABI 2). */
#define ASCEND_NOTIFY_IOC_CANCEL \
	_IOW(ASCEND_NOTIFY_IOC_MAGIC, 0x16, struct ascend_notify_cancel)

#define ASCEND_NOTIFY_IOC_EXPORT \
	_IOWR(ASCEND_NOTIFY_IOC_MAGIC, 0x20, struct ascend_notify_export)
#define ASCEND_NOTIFY_IOC_SET_PIDS \
	_IOW(ASCEND_NOTIFY_IOC_MAGIC, 0x21, struct ascend_notify_trust)
#define ASCEND_NOTIFY_IOC_IMPORT \
	_IOWR(ASCEND_NOTIFY_IOC_MAGIC, 0x22, struct ascend_notify_import)
/* Withdraws the key of the creator's handle; the object lives on. (1.2) */
#define ASCEND_NOTIFY_IOC_UNEXPORT \
	_IOW(ASCEND_NOTIFY_IOC_MAGIC, 0x23, struct ascend_notify_handle_arg)

/* Device memory (ABI 1.2). */
#define ASCEND_NOTIFY_IOC_MEM_ALLOC \
	_IOWR(ASCEND_NOTIFY_IOC_MAGIC, 0x30, struct ascend_notify_mem)
#define ASCEND_NOTIFY_IOC_MEM_INFO \
	_IOWR(ASCEND_NOTIFY_IOC_MAGIC, 0x31, struct ascend_notify_mem)
#define ASCEND_NOTIFY_IOC_DEVICE_MEM \
	_IOWR(ASCEND_NOTIFY_IOC_MAGIC, 0x32, struct ascend_notify_device_mem)

/*
 * Generic netlink family ASCEND_NOTIFY_GENL_NAME: inspection and
 * administration. See Documentation/netlink.rst.
 *
 * Dumps (DEVICE_GET, NOTIFY_GET, PROC_GET) are resumable and flag
 * NLM_F_DUMP_INTR when the set of objects changed while they ran. PIDs are
 * reported in the reader's PID namespace, 0 when it cannot see the
 * process; in events (multicast group "events", CAP_NET_ADMIN to join)
 * they are bare TGIDs. DEVICE_SET needs CAP_SYS_ADMIN. UIDs are those of
 * the initial user namespace.
 */
#define ASCEND_NOTIFY_GENL_NAME		"ascend_notify"
#define ASCEND_NOTIFY_GENL_VERSION	2
#define ASCEND_NOTIFY_GENL_MCGRP_EVENTS	"events"

enum ascend_notify_cmd {
	ASCEND_NOTIFY_CMD_UNSPEC,
	ASCEND_NOTIFY_CMD_DEVICE_GET,	/* dump */
	ASCEND_NOTIFY_CMD_DEVICE_SET,	/* do: A_DEV, A_DEV_PEERS, A_DEV_VIRTUAL,
					 * A_USER_MAX_* (ABI 1.3)
					 */
	ASCEND_NOTIFY_CMD_NOTIFY_GET,	/* dump; filters A_DEV, A_PID,
					 * A_EXPORTED_ONLY
					 */
	ASCEND_NOTIFY_CMD_PROC_GET,	/* dump */
	ASCEND_NOTIFY_CMD_STATS_GET,	/* do */
	ASCEND_NOTIFY_CMD_EVENT,	/* multicast: A_EVENT and its subject */
	ASCEND_NOTIFY_CMD_USER_GET,	/* dump: per-user usage, per device */

	__ASCEND_NOTIFY_CMD_MAX,
	ASCEND_NOTIFY_CMD_MAX = __ASCEND_NOTIFY_CMD_MAX - 1
};

enum ascend_notify_attr {
	ASCEND_NOTIFY_A_UNSPEC,
	ASCEND_NOTIFY_A_PAD,

	/* devices */
	ASCEND_NOTIFY_A_DEV,			/* u32 device id */
	ASCEND_NOTIFY_A_DEV_SDID,		/* u32 */
	ASCEND_NOTIFY_A_DEV_LIVE_NOTIFIES,	/* u32 live NOTIFY objects */
	ASCEND_NOTIFY_A_DEV_LIMIT,		/* u32 max_notifies (notifies
						 * and events together)
						 */
	ASCEND_NOTIFY_A_DEV_PEERS,		/* u64 topology peer mask */
	ASCEND_NOTIFY_A_DEV_VIRTUAL,		/* u8 0/1 */
	ASCEND_NOTIFY_A_DEV_CREATED,		/* u64 notifies and events ever
						 * created
						 */
	ASCEND_NOTIFY_A_DEV_IMPORTS,		/* u32 live imports onto it */

	/* notifies */
	ASCEND_NOTIFY_A_ID,			/* u32 notify id on A_DEV */
	ASCEND_NOTIFY_A_SET,			/* u8 the bit */
	ASCEND_NOTIFY_A_FLAGS,			/* u32 ASCEND_NOTIFY_CREATE_* */
	ASCEND_NOTIFY_A_CREATOR_PID,		/* u32 the creator's PID, 0
						 * when gone or invisible
						 */
	ASCEND_NOTIFY_A_IMPORTERS,		/* nest of A_PID, one per import */
	ASCEND_NOTIFY_A_NR_IMPORTERS,		/* u32 */
	ASCEND_NOTIFY_A_WAITERS,		/* u32 sleeping waiters */
	ASCEND_NOTIFY_A_RECORDS,		/* u64 */
	ASCEND_NOTIFY_A_WAITS,			/* u64 completed waits */
	ASCEND_NOTIFY_A_TIMEOUTS,		/* u64 */
	ASCEND_NOTIFY_A_DENIED,			/* u64 refused imports */
	ASCEND_NOTIFY_A_EXPORTED,		/* u8 0/1 */
	ASCEND_NOTIFY_A_WITHDRAWN,		/* u8 0/1 */
	ASCEND_NOTIFY_A_NO_PID_CHECK,		/* u8 0/1 */
	ASCEND_NOTIFY_A_FINGERPRINT,		/* u32 hash of the key */
	ASCEND_NOTIFY_A_NR_TRUSTED,		/* u32 trustlist entries */

	/* filters and PIDs */
	ASCEND_NOTIFY_A_PID,			/* u32 */
	ASCEND_NOTIFY_A_EXPORTED_ONLY,		/* flag */

	/* contexts */
	ASCEND_NOTIFY_A_HANDLES,		/* u32 */
	ASCEND_NOTIFY_A_CREATED,		/* u32 live handles it created */
	ASCEND_NOTIFY_A_IMPORTED,		/* u32 live handles it imported */
	ASCEND_NOTIFY_A_PEER_ACCESS,		/* nest of A_PEER_PAIR */
	ASCEND_NOTIFY_A_PEER_PAIR,		/* u64: dev << 32 | peer */

	/* module-wide statistics */
	ASCEND_NOTIFY_A_STAT_CONTEXTS,		/* u32 open contexts */
	ASCEND_NOTIFY_A_STAT_OBJECTS,		/* u32 live objects, all kinds */
	ASCEND_NOTIFY_A_STAT_HANDLES,		/* u32 live handles */
	ASCEND_NOTIFY_A_STAT_KEYS,		/* u32 importable keys */
	ASCEND_NOTIFY_A_STAT_MEMORY,		/* u64 kernel bytes: objects of
						 * each kind at their size,
						 * handles, exports
						 */
	ASCEND_NOTIFY_A_STAT_NOTIFY_SIZE,	/* u32 bytes of one NOTIFY or
						 * EVENT object
						 */
	ASCEND_NOTIFY_A_STAT_HANDLE_SIZE,	/* u32 bytes of one handle */

	/* events */
	ASCEND_NOTIFY_A_EVENT,			/* u32 enum ascend_notify_event */
	ASCEND_NOTIFY_A_REASON,			/* u32 errno of a denied import */

	/* ABI 1.2 */
	ASCEND_NOTIFY_A_KIND,			/* u32 ASCEND_NOTIFY_KIND_* */
	ASCEND_NOTIFY_A_DEV_MEM_TOTAL,		/* u64 bytes of device memory */
	ASCEND_NOTIFY_A_DEV_MEM_USED,		/* u64 bytes held by MEM objects */

	/* per-user limits (ABI 1.3) */
	ASCEND_NOTIFY_A_UID,			/* u32 uid, initial user ns */
	ASCEND_NOTIFY_A_LIMIT,			/* u32 enum ascend_notify_limit */
	ASCEND_NOTIFY_A_USER_MAX_NOTIFIES,	/* u32 notifies + events */
	ASCEND_NOTIFY_A_USER_MAX_MEM,		/* u64 bytes */
	ASCEND_NOTIFY_A_USER_MAX_HANDLES,	/* u32 */
	ASCEND_NOTIFY_A_USER_NOTIFIES,		/* u32 in use */
	ASCEND_NOTIFY_A_USER_MEM,		/* u64 bytes in use */
	ASCEND_NOTIFY_A_USER_HANDLES,		/* u32 in use */

	/* ABI 1.4: device memory in NOTIFY_GET */
	ASCEND_NOTIFY_A_WITH_MEM,		/* flag: NOTIFY_GET lists MEM too */
	ASCEND_NOTIFY_A_MEM_SIZE,		/* u64 bytes of a MEM object */
	ASCEND_NOTIFY_A_MEM_MAPPINGS,		/* u32 writable shared mappings */
	ASCEND_NOTIFY_A_MEM_MAPPED,		/* u8 0/1: mapped at all */

	/* ABI 2.0 */
	ASCEND_NOTIFY_A_IS_CREATOR,		/* u32 0/1, DESTROY events: the
						 * creator's handle went
						 */
	ASCEND_NOTIFY_A_DEV_LIVE_EVENTS,	/* u32 live EVENT objects */
	ASCEND_NOTIFY_A_DEV_LIVE_MEMS,		/* u32 live MEM objects */
	ASCEND_NOTIFY_A_STAT_NOTIFIES,		/* u32 live NOTIFY objects */
	ASCEND_NOTIFY_A_STAT_EVENTS,		/* u32 live EVENT objects */
	ASCEND_NOTIFY_A_STAT_MEMS,		/* u32 live MEM objects */
	ASCEND_NOTIFY_A_STAT_MEM_SIZE,		/* u32 bytes of one MEM object's
						 * bookkeeping (its pages are
						 * A_DEV_MEM_USED)
						 */
	ASCEND_NOTIFY_A_STAT_EXPORT_SIZE,	/* u32 bytes one export adds */

	__ASCEND_NOTIFY_A_MAX,
	ASCEND_NOTIFY_A_MAX = __ASCEND_NOTIFY_A_MAX - 1
};

enum ascend_notify_event {
	ASCEND_NOTIFY_EVENT_CREATE = 1,	/* A_DEV A_ID A_PID */
	ASCEND_NOTIFY_EVENT_EXPORT,	/* A_DEV A_ID A_PID A_FINGERPRINT
					 * A_NO_PID_CHECK
					 */
	ASCEND_NOTIFY_EVENT_TRUST,	/* A_DEV A_ID A_PID A_NR_TRUSTED */
	ASCEND_NOTIFY_EVENT_IMPORT,	/* A_DEV A_ID A_PID (importer) */
	ASCEND_NOTIFY_EVENT_DENIED,	/* A_DEV A_ID A_PID A_REASON */
	ASCEND_NOTIFY_EVENT_TIMEOUT,	/* A_DEV A_ID A_PID */
	ASCEND_NOTIFY_EVENT_DESTROY,	/* A_DEV A_ID A_PID A_IS_CREATOR */
	ASCEND_NOTIFY_EVENT_OWNER_EXIT,	/* A_PID A_HANDLES released */
	ASCEND_NOTIFY_EVENT_LIMIT,	/* A_DEV A_KIND A_PID A_UID A_LIMIT:
					 * a create, import or allocation
					 * refused by a limit (ABI 1.3)
					 */
	ASCEND_NOTIFY_EVENT_UNEXPORT,	/* A_DEV A_KIND A_PID [A_ID]: the
					 * creator withdrew the key (ABI 1.4)
					 */
};

/*
 * Which limit refused (A_LIMIT): the device's own, shared by everyone, or
 * one user's share of it.
 */
enum ascend_notify_limit {
	ASCEND_NOTIFY_LIMIT_DEV_NOTIFIES = 1,	/* max_notifies: -ENOSPC */
	ASCEND_NOTIFY_LIMIT_DEV_MEM,		/* mem_mb: -ENOMEM */
	ASCEND_NOTIFY_LIMIT_USER_NOTIFIES,	/* -ENOSPC */
	ASCEND_NOTIFY_LIMIT_USER_MEM,		/* -ENOMEM */
	ASCEND_NOTIFY_LIMIT_USER_HANDLES,	/* -EMFILE */
};

#endif /* _UAPI_LINUX_ASCEND_NOTIFY_H */
