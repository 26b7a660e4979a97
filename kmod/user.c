// SPDX-License-Identifier: GPL-2.0
/*
 * ascend_notify - per-user limits
 *
 * The device node is open to every local user, and a device's notify ids
 * and memory are shared by all of them: without a bound, one user could
 * take a whole device, or every device, away from the others. So each
 * device also limits what one user may hold on it: notifies and events
 * together, handles bound to it, and bytes of device memory
 * (an_device.user_max; module parameters set them at load, DEVICE_SET
 * changes them). Defaults and reasons: Documentation/design.rst.
 *
 * A user is a real uid as the initial user namespace sees it (a kuid), as
 * the kernel's ucounts count one: all its processes and files, in every
 * PID and user namespace, share one count. A context charges the user
 * that opened it, an object stays charged to its creator's user until the
 * object goes, a handle until it is destroyed, closed or its process
 * exits. CAP_SYS_RESOURCE in the initial user namespace, held by both the
 * opener of the file and the caller, lifts the limits: the root of a
 * user namespace is limited like anyone.
 *
 * The kernel's own ucounts cannot be extended from a module, so the users
 * live in a table of our own: an xarray indexed by uid, whose lock guards
 * insertion and removal only. Charges are atomic cmpxchg loops on the
 * user's per-device counters, taken by CREATE, IMPORT and MEM_ALLOC and
 * given back by destroy and release; RECORD and WAIT never touch them.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "internal.h"

/*
 * uid -> struct an_user. Its lock guards insertion and removal (an entry
 * found under it has a reference left); USER_GET walks it under RCU.
 */
static DEFINE_XARRAY(an_users);

/* The errno a full device or a user's full share of it returns. */
static const int an_res_errno[AN_NR_RES] = {
	[AN_RES_NOTIFIES] = -ENOSPC,
	[AN_RES_HANDLES] = -EMFILE,
	[AN_RES_MEM] = -ENOMEM,
};

static const u32 an_res_limit[AN_NR_RES] = {
	[AN_RES_NOTIFIES] = ASCEND_NOTIFY_LIMIT_USER_NOTIFIES,
	[AN_RES_HANDLES] = ASCEND_NOTIFY_LIMIT_USER_HANDLES,
	[AN_RES_MEM] = ASCEND_NOTIFY_LIMIT_USER_MEM,
};

struct an_user *an_user_hold(struct an_user *u)
{
	refcount_inc(&u->ref);
	return u;
}

/* The entry of @uid, created if needed, with a reference; NULL: no memory. */
struct an_user *an_user_get(kuid_t uid)
{
	unsigned long key = __kuid_val(uid);
	struct an_user *u, *old;

	xa_lock(&an_users);
	u = xa_load(&an_users, key);
	if (u)
		an_user_hold(u);
	xa_unlock(&an_users);
	if (u)
		return u;

	u = kzalloc(struct_size(u, dev, an_num_devices), GFP_KERNEL_ACCOUNT);
	if (!u)
		return NULL;
	u->uid = uid;
	refcount_set(&u->ref, 1);

	xa_lock(&an_users);
	old = __xa_cmpxchg(&an_users, key, NULL, u, GFP_KERNEL_ACCOUNT);
	if (old && !xa_is_err(old))
		an_user_hold(old);	/* another open of the same user won */
	xa_unlock(&an_users);
	if (!old)
		return u;
	kfree(u);
	return xa_is_err(old) ? NULL : old;
}

/* Does @u hold anything anywhere? */
static bool an_user_holds(struct an_user *u)
{
	unsigned int dev;
	int r;

	for (dev = 0; dev < an_num_devices; dev++) {
		for (r = 0; r < AN_NR_RES; r++) {
			if (atomic64_read(&u->dev[dev].used[r]))
				return true;
		}
	}
	return false;
}

void an_user_put(struct an_user *u)
{
	if (!refcount_dec_and_lock(&u->ref, &an_users.xa_lock))
		return;
	__xa_erase(&an_users, __kuid_val(u->uid));
	xa_unlock(&an_users);
	/* No context or object is left to uncharge: a charge leaked. */
	WARN_ON_ONCE(an_user_holds(u));
	kfree_rcu(u, rcu);
}

/*
 * May @ctx's caller exceed the limits? Both the opener of the file and
 * the caller need CAP_SYS_RESOURCE in the initial user namespace: a file
 * opened by an unprivileged user and inherited across the exec of a
 * privileged program gives nothing, and neither does a process that
 * dropped the capability after opening. @audit: a real use of the
 * privilege (a charge beyond a limit), not a query.
 */
bool an_user_unlimited(const struct an_context *ctx, bool audit)
{
	if (!ctx->unlimited)
		return false;
	return audit ? capable(CAP_SYS_RESOURCE) :
		       ns_capable_noaudit(&init_user_ns, CAP_SYS_RESOURCE);
}

/**
 * an_user_charge - charge @ctx's user for @amount of @res on device @dev
 * @ctx:	the calling context.
 * @dev:	a valid device id.
 * @res:	what is charged.
 * @amount:	how much.
 * @kind:	the ASCEND_NOTIFY_KIND_* being created or imported, for the
 *		LIMIT event.
 *
 * Return: 0; or -ENOSPC (notifies), -EMFILE (handles), -ENOMEM (memory)
 * when the user's share of the device would be exceeded, reported as a
 * LIMIT event.
 */
int an_user_charge(struct an_context *ctx, u32 dev, enum an_res res,
		   u64 amount, u32 kind)
{
	atomic64_t *used = &ctx->user->dev[dev].used[res];
	u64 max = READ_ONCE(an_device(dev)->user_max[res]);
	s64 cur = atomic64_read(used);

	do {
		if (amount > max || (u64)cur > max - amount) {
			if (!an_user_unlimited(ctx, true)) {
				an_event_limit(ctx, dev, kind,
					       an_res_limit[res]);
				return an_res_errno[res];
			}
			atomic64_add(amount, used);
			return 0;
		}
	} while (!atomic64_try_cmpxchg(used, &cur, cur + amount));
	return 0;
}

void an_user_uncharge(struct an_user *u, u32 dev, enum an_res res,
		      u64 amount)
{
	WARN_ON_ONCE(atomic64_sub_return(amount, &u->dev[dev].used[res]) < 0);
}

/*
 * The first user at or after *@uid, with a reference, for USER_GET; NULL
 * at the end.
 */
struct an_user *an_user_next(unsigned long *uid)
{
	struct an_user *u;

	rcu_read_lock();
	for (;;) {
		u = xa_find(&an_users, uid, ULONG_MAX, XA_PRESENT);
		if (!u || refcount_inc_not_zero(&u->ref))
			break;
		(*uid)++;	/* going: skip it */
	}
	rcu_read_unlock();
	return u;
}

/* Every context and object is gone by now, so every user is. */
void an_users_exit(void)
{
	WARN_ON(!xa_empty(&an_users));
	xa_destroy(&an_users);
}

/**
 * an_ioctl_user_info - ASCEND_NOTIFY_IOC_USER_INFO: what @ctx's user holds on a device
 * @ctx: the caller's context
 * @arg: user pointer to struct ascend_notify_user_info
 *
 * Locks: none: the counters are atomics, the limits read with
 * READ_ONCE(); may sleep.
 * See Documentation/uapi.rst, "ASCEND_NOTIFY_IOC_USER_INFO".
 *
 * Return: 0, or a negative errno listed there.
 */
long an_ioctl_user_info(struct an_context *ctx, void __user *arg)
{
	struct ascend_notify_user_info args;
	struct an_device *d;

	might_sleep();
	if (copy_from_user(&args, arg, sizeof(args)))
		return -EFAULT;
	if (args.flags)
		return -EINVAL;
	d = an_device(args.dev);
	if (!d)
		return -ENODEV;
	args.uid = from_kuid(&init_user_ns, ctx->user->uid);
	args.user_flags = an_user_unlimited(ctx, false) ?
			  ASCEND_NOTIFY_USER_UNLIMITED : 0;
	args.notifies = atomic64_read(&ctx->user->dev[d->id].used[AN_RES_NOTIFIES]);
	args.handles = atomic64_read(&ctx->user->dev[d->id].used[AN_RES_HANDLES]);
	args.mem = atomic64_read(&ctx->user->dev[d->id].used[AN_RES_MEM]);
	args.max_notifies = READ_ONCE(d->user_max[AN_RES_NOTIFIES]);
	args.max_handles = READ_ONCE(d->user_max[AN_RES_HANDLES]);
	args.max_mem = READ_ONCE(d->user_max[AN_RES_MEM]);
	return copy_to_user(arg, &args, sizeof(args)) ? -EFAULT : 0;
}
