// SPDX-License-Identifier: GPL-2.0
/*
 * ascend_notify - emulated devices
 *
 * The module emulates num_devices NPUs. Each has a notify-id space whose
 * size is the per-device limit of live notifies, a super-pod device id, a
 * set of topology peers and a virtual-instance flag. The module parameters
 * below set them at load time and are validated before the device node
 * appears; the topology and the virtual-instance flags can change later
 * through netlink (an_device_set()), but never under a live import that
 * the change would break.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bits.h>
#include <linux/moduleparam.h>
#include <linux/rwsem.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "internal.h"

unsigned int an_num_devices = 8;
module_param_named(num_devices, an_num_devices, uint, 0444);
MODULE_PARM_DESC(num_devices, "Emulated NPUs, 1..64 (default 8)");

unsigned int an_max_notifies = 8192;
module_param_named(max_notifies, an_max_notifies, uint, 0444);
MODULE_PARM_DESC(max_notifies,
		 "Live notifies per device, 1..65536 (default 8192)");

/*
 * Per-user limits every device starts with (user.c); -1 picks the
 * default, and the parameter then reads back the value chosen.
 */
static int user_max_notifies = -1;
module_param(user_max_notifies, int, 0444);
MODULE_PARM_DESC(user_max_notifies,
		 "Live notifies and events one user may hold per device, 0..max_notifies (default max_notifies / 2)");

static int user_mem_mb = -1;
module_param(user_mem_mb, int, 0444);
MODULE_PARM_DESC(user_mem_mb,
		 "Device memory in MiB one user may hold per device, 0..mem_mb (default mem_mb / 2)");

static int user_max_handles = -1;
module_param(user_max_handles, int, 0444);
MODULE_PARM_DESC(user_max_handles,
		 "Handles one user may hold bound to one device (default max_notifies / 2 * num_devices)");

static unsigned int sdid_base;
module_param(sdid_base, uint, 0444);
MODULE_PARM_DESC(sdid_base, "Super-pod device id of device 0 (default 0)");

static unsigned long virtual_mask;
module_param(virtual_mask, ulong, 0444);
MODULE_PARM_DESC(virtual_mask, "Bit N marks device N a virtual instance");

static unsigned int island[ASCEND_NOTIFY_MAX_DEVICES];
static unsigned int nr_island;
module_param_array(island, uint, &nr_island, 0444);
MODULE_PARM_DESC(island,
		 "Island of each device; devices in one island are peers (default: one island)");

/* Array of an_num_devices devices, allocated once at load. */
static struct an_device *an_devices;

/* Guards every device's peers and is_virtual; see struct an_device. */
DECLARE_RWSEM(an_topology_lock);

/*
 * Live imported handles bound to device D of notifies on device P, at
 * [D * ASCEND_NOTIFY_MAX_DEVICES + P]: what a topology change must not
 * break.
 */
static atomic_t an_pair_imports[ASCEND_NOTIFY_MAX_DEVICES *
				ASCEND_NOTIFY_MAX_DEVICES];

void an_pair_imports_add(u32 dev, u32 peer, int delta)
{
	atomic_add(delta, &an_pair_imports[dev * ASCEND_NOTIFY_MAX_DEVICES +
					   peer]);
}

static bool an_pair_in_use(u32 a, u32 b)
{
	/* Only a topology change asks, and nothing may import under it. */
	lockdep_assert_held_write(&an_topology_lock);
	return atomic_read(&an_pair_imports[a * ASCEND_NOTIFY_MAX_DEVICES + b]) ||
	       atomic_read(&an_pair_imports[b * ASCEND_NOTIFY_MAX_DEVICES + a]);
}

/**
 * an_device_set - change a device's peers or virtual-instance flag
 * @dev:	the device.
 * @peers:	if not NULL, the new peer mask; the topology stays symmetric.
 * @is_virtual:	if not NULL, the new virtual-instance flag.
 *
 * Return: 0; -ENODEV; -EINVAL for a mask naming @dev itself or a device
 * beyond num_devices; -EBUSY when a live import crosses a link being cut,
 * or when @dev would become virtual while it has exports or imports.
 */
int an_device_set(u32 dev, const u64 *peers, const bool *is_virtual)
{
	struct an_device *d = an_device(dev);
	u64 valid, cut = 0;
	int ret = 0;
	u32 p;

	if (!d)
		return -ENODEV;
	valid = an_num_devices == 64 ? ~0ULL : BIT_ULL(an_num_devices) - 1;
	if (peers && (*peers & ~valid || *peers & BIT_ULL(dev)))
		return -EINVAL;

	down_write(&an_topology_lock);
	if (peers)
		cut = d->peers & ~*peers;
	/* A vNPU shares nothing: every link of @dev must be idle. */
	if (is_virtual && *is_virtual && !d->is_virtual) {
		if (atomic_read(&d->exports) || atomic_read(&d->imports)) {
			ret = -EBUSY;
			goto out;
		}
		cut = valid;
	}
	for (p = 0; p < an_num_devices; p++) {
		if ((cut & BIT_ULL(p)) && an_pair_in_use(dev, p)) {
			ret = -EBUSY;
			goto out;
		}
	}
	if (peers) {
		for (p = 0; p < an_num_devices; p++) {
			if (p == dev)
				continue;
			if (*peers & BIT_ULL(p))
				WRITE_ONCE(an_devices[p].peers,
					   an_devices[p].peers | BIT_ULL(dev));
			else
				WRITE_ONCE(an_devices[p].peers,
					   an_devices[p].peers & ~BIT_ULL(dev));
		}
		WRITE_ONCE(d->peers, *peers);
	}
	if (is_virtual)
		WRITE_ONCE(d->is_virtual, *is_virtual);
out:
	up_write(&an_topology_lock);
	return ret;
}

/* The largest value a per-user limit of @res may take. */
u64 an_user_limit_max(enum an_res res)
{
	switch (res) {
	case AN_RES_NOTIFIES:
		return an_max_notifies;
	case AN_RES_MEM:
		return an_mem_total();
	default:
		return INT_MAX;
	}
}

/**
 * an_device_set_limits - change a device's per-user limits
 * @dev:	the device.
 * @user_max:	per enum an_res, the new limit, or U64_MAX to keep it.
 *
 * A limit below what a user holds takes nothing away: its later charges
 * fail until it is back under the limit.
 *
 * Return: 0; -ENODEV; -ERANGE when a limit exceeds an_user_limit_max(),
 * and then nothing changed.
 */
int an_device_set_limits(u32 dev, const u64 *user_max)
{
	struct an_device *d = an_device(dev);
	int r;

	if (!d)
		return -ENODEV;
	for (r = 0; r < AN_NR_RES; r++) {
		if (user_max[r] != U64_MAX && user_max[r] > an_user_limit_max(r))
			return -ERANGE;
	}
	for (r = 0; r < AN_NR_RES; r++) {
		if (user_max[r] != U64_MAX)
			WRITE_ONCE(d->user_max[r], user_max[r]);
	}
	return 0;
}

struct an_device *an_device(u32 id)
{
	if (id >= an_num_devices)
		return NULL;
	return &an_devices[id];
}

static int an_params_check(void)
{
	if (an_num_devices < 1 || an_num_devices > ASCEND_NOTIFY_MAX_DEVICES) {
		pr_err("num_devices=%u out of range 1..%u\n", an_num_devices,
		       ASCEND_NOTIFY_MAX_DEVICES);
		return -EINVAL;
	}
	if (an_max_notifies < 1 || an_max_notifies > 65536) {
		pr_err("max_notifies=%u out of range 1..65536\n",
		       an_max_notifies);
		return -EINVAL;
	}
	if (an_max_handle_id < 1 || an_max_handle_id > INT_MAX) {
		pr_err("max_handles=%u out of range 1..%d\n", an_max_handle_id,
		       INT_MAX);
		return -EINVAL;
	}
	if (an_num_devices < BITS_PER_LONG &&
	    (virtual_mask & ~GENMASK(an_num_devices - 1, 0))) {
		pr_err("virtual_mask=%#lx names a device beyond num_devices\n",
		       virtual_mask);
		return -EINVAL;
	}
	if (nr_island && nr_island != an_num_devices) {
		pr_err("island= gives %u entries for %u devices\n", nr_island,
		       an_num_devices);
		return -EINVAL;
	}
	if (an_mem_mb < 1 || an_mem_mb > 1048576) {
		pr_err("mem_mb=%u out of range 1..1048576\n", an_mem_mb);
		return -EINVAL;
	}
	if (user_max_notifies < -1 || user_max_notifies > (int)an_max_notifies) {
		pr_err("user_max_notifies=%d out of range 0..%u\n",
		       user_max_notifies, an_max_notifies);
		return -EINVAL;
	}
	if (user_mem_mb < -1 || user_mem_mb > (int)an_mem_mb) {
		pr_err("user_mem_mb=%d out of range 0..%u\n", user_mem_mb,
		       an_mem_mb);
		return -EINVAL;
	}
	if (user_max_handles < -1) {
		pr_err("user_max_handles=%d is negative\n", user_max_handles);
		return -EINVAL;
	}
	if (sdid_base > U32_MAX - (an_num_devices - 1)) {
		pr_err("sdid_base=%u overflows\n", sdid_base);
		return -EINVAL;
	}
	return 0;
}

/*
 * The default per-user limits: half of the device, so that no single
 * unprivileged user can take more than half of a device's notifies or
 * memory from the others; and a handle for every object a user may hold
 * on every device. Documentation/design.rst gives the reasons.
 */
static u64 an_user_limits_init(void)
{
	u64 mem = (u64)user_mem_mb << 20;

	if (user_max_notifies < 0)
		user_max_notifies = max(an_max_notifies / 2, 1U);
	if (user_mem_mb < 0) {
		/* In bytes: half of a 1 MiB device is 512 KiB, not 0. */
		mem = ((u64)an_mem_mb << 20) / 2;
		user_mem_mb = an_mem_mb / 2;
	}
	if (user_max_handles < 0)
		user_max_handles = max(an_max_notifies / 2, 1U) * an_num_devices;
	return mem;
}

int an_devices_init(void)
{
	unsigned int i, j;
	u64 user_mem;
	int ret;

	ret = an_params_check();
	if (ret)
		return ret;
	user_mem = an_user_limits_init();

	an_devices = kcalloc(an_num_devices, sizeof(*an_devices), GFP_KERNEL);
	if (!an_devices)
		return -ENOMEM;

	for (i = 0; i < an_num_devices; i++) {
		struct an_device *d = &an_devices[i];

		d->id = i;
		d->sdid = sdid_base + i;
		xa_init_flags(&d->notifies, XA_FLAGS_ALLOC);
		xa_init_flags(&d->mems, XA_FLAGS_ALLOC);
		d->is_virtual = virtual_mask & BIT(i);
		d->user_max[AN_RES_NOTIFIES] = user_max_notifies;
		d->user_max[AN_RES_MEM] = user_mem;
		d->user_max[AN_RES_HANDLES] = user_max_handles;
		for (j = 0; j < an_num_devices; j++) {
			if (j != i && (!nr_island || island[i] == island[j]))
				d->peers |= BIT_ULL(j);
		}
	}
	return 0;
}

void an_devices_exit(void)
{
	unsigned int i;

	for (i = 0; i < an_num_devices; i++) {
		WARN_ON(!xa_empty(&an_devices[i].notifies));
		WARN_ON(atomic64_read(&an_devices[i].mem_used));
		xa_destroy(&an_devices[i].notifies);
		xa_destroy(&an_devices[i].mems);
	}
	kfree(an_devices);
	an_devices = NULL;
}

/* ---- device-level ioctls ------------------------------------------------ */

/**
 * an_ioctl_version - ASCEND_NOTIFY_IOC_VERSION: the ABI and the module's sizes
 * @arg: user pointer to struct ascend_notify_version
 *
 * Locks: none; may sleep.
 * See Documentation/uapi.rst, "ASCEND_NOTIFY_IOC_VERSION".
 *
 * Return: 0, or a negative errno listed there.
 */
long an_ioctl_version(void __user *arg)
{
	struct ascend_notify_version args;

	might_sleep();
	if (copy_from_user(&args, arg, sizeof(args)))
		return -EFAULT;
	if (args.flags || args.pad)
		return -EINVAL;
	args.major = ASCEND_NOTIFY_ABI_MAJOR;
	args.minor = ASCEND_NOTIFY_ABI_MINOR;
	args.num_devices = an_num_devices;
	args.key_len = ASCEND_NOTIFY_KEY_LEN;
	args.trust_max = ASCEND_NOTIFY_TRUST_MAX;
	args.batch_max = ASCEND_NOTIFY_BATCH_MAX;
	return copy_to_user(arg, &args, sizeof(args)) ? -EFAULT : 0;
}

/**
 * an_ioctl_device_info - ASCEND_NOTIFY_IOC_DEVICE_INFO: one device as @ctx sees it
 * @ctx: the caller's context
 * @arg: user pointer to struct ascend_notify_device_info
 *
 * Locks: none: the topology is read with READ_ONCE(), @ctx's peer access
 * with atomic bitops; may sleep.
 * See Documentation/uapi.rst, "ASCEND_NOTIFY_IOC_DEVICE_INFO".
 *
 * Return: 0, or a negative errno listed there.
 */
long an_ioctl_device_info(struct an_context *ctx, void __user *arg)
{
	struct ascend_notify_device_info args;
	struct an_device *d;
	u32 peer;

	might_sleep();
	if (copy_from_user(&args, arg, sizeof(args)))
		return -EFAULT;
	if (args.flags)
		return -EINVAL;
	d = an_device(args.dev);
	if (!d)
		return -ENODEV;
	args.dev_flags = READ_ONCE(d->is_virtual) ? ASCEND_NOTIFY_DEV_VIRTUAL : 0;
	args.sdid = d->sdid;
	args.max_notifies = an_max_notifies;
	args.live_notifies = atomic_read(&d->live[ASCEND_NOTIFY_KIND_NOTIFY]);
	args.live_events = atomic_read(&d->live[ASCEND_NOTIFY_KIND_EVENT]);
	args.live_mems = atomic_read(&d->live[ASCEND_NOTIFY_KIND_MEM]);
	args.peers = READ_ONCE(d->peers);
	args.peers_enabled = 0;
	for (peer = 0; peer < an_num_devices; peer++) {
		if (test_bit(an_peer_bit(d->id, peer), ctx->peers_enabled))
			args.peers_enabled |= BIT_ULL(peer);
	}
	return copy_to_user(arg, &args, sizeof(args)) ? -EFAULT : 0;
}

/**
 * an_ioctl_bare_tgid - ASCEND_NOTIFY_IOC_BARE_TGID: the caller's TGID in the initial PID namespace
 * @arg: user pointer to struct ascend_notify_bare_tgid
 *
 * Locks: none; may sleep.
 * See Documentation/uapi.rst, "ASCEND_NOTIFY_IOC_BARE_TGID".
 *
 * Return: 0, or a negative errno listed there.
 */
long an_ioctl_bare_tgid(void __user *arg)
{
	struct ascend_notify_bare_tgid args;

	might_sleep();
	if (copy_from_user(&args, arg, sizeof(args)))
		return -EFAULT;
	if (args.flags)
		return -EINVAL;
	/* The number in the initial PID namespace, whatever ours is. */
	args.tgid = pid_nr(task_tgid(current));
	return copy_to_user(arg, &args, sizeof(args)) ? -EFAULT : 0;
}

/**
 * an_ioctl_peer - ASCEND_NOTIFY_IOC_PEER_ENABLE and _DISABLE: @ctx's peer access
 * @ctx: the caller's context
 * @arg: user pointer to struct ascend_notify_peer
 * @enable: PEER_ENABLE (true) or PEER_DISABLE (false)
 *
 * Locks: none: the topology is read with READ_ONCE(), @ctx's peer access
 * changed with atomic bitops; may sleep.
 * See Documentation/uapi.rst, "ASCEND_NOTIFY_IOC_PEER_ENABLE" and
 * "ASCEND_NOTIFY_IOC_PEER_DISABLE".
 *
 * Return: 0, or a negative errno listed there.
 */
long an_ioctl_peer(struct an_context *ctx, void __user *arg, bool enable)
{
	struct ascend_notify_peer args;
	struct an_device *d, *p;

	might_sleep();
	if (copy_from_user(&args, arg, sizeof(args)))
		return -EFAULT;
	if (args.flags || args.pad)
		return -EINVAL;
	d = an_device(args.dev);
	p = an_device(args.peer);
	if (!d || !p)
		return -ENODEV;
	if (d == p)
		return -EINVAL;
	if (!enable) {
		clear_bit(an_peer_bit(d->id, p->id), ctx->peers_enabled);
		return 0;
	}
	if (!(READ_ONCE(d->peers) & BIT_ULL(p->id)))
		return -EHOSTUNREACH;
	set_bit(an_peer_bit(d->id, p->id), ctx->peers_enabled);
	return 0;
}

/**
 * an_ioctl_device_mem - ASCEND_NOTIFY_IOC_DEVICE_MEM: a device's memory budget
 * @arg: user pointer to struct ascend_notify_device_mem
 *
 * Locks: none: the budget is an atomic; may sleep.
 * See Documentation/uapi.rst, "ASCEND_NOTIFY_IOC_DEVICE_MEM".
 *
 * Return: 0, or a negative errno listed there.
 */
long an_ioctl_device_mem(void __user *arg)
{
	struct ascend_notify_device_mem args;
	struct an_device *d;

	might_sleep();
	if (copy_from_user(&args, arg, sizeof(args)))
		return -EFAULT;
	if (args.flags)
		return -EINVAL;
	d = an_device(args.dev);
	if (!d)
		return -ENODEV;
	args.total = an_mem_total();
	args.used = atomic64_read(&d->mem_used);
	return copy_to_user(arg, &args, sizeof(args)) ? -EFAULT : 0;
}
