// SPDX-License-Identifier: GPL-2.0
/*
 * ascend_notify - shareable objects, whatever their kind
 *
 * Notifies, events and device memory are one mechanism: each embeds a
 * struct an_object, handles point to that header, and everything that is
 * not about a kind's own state - the lifetime of objects and handles,
 * destroy, info, export, the trustlist, import and unexport - is written
 * once, here. A kind adds only its release (notify.c, mem.c) and its own
 * ioctls.
 */
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "internal.h"
#include "trace.h"

int an_object_cache_init(void)
{
	int ret;

	ret = an_handle_cache_init();
	if (ret)
		return ret;
	ret = an_notify_cache_init();
	if (ret)
		an_handle_cache_exit();
	return ret;
}

void an_object_cache_exit(void)
{
	/* Objects and handles are freed by RCU callbacks: let them finish. */
	rcu_barrier();
	an_notify_cache_exit();
	an_handle_cache_exit();
}

/*
 * Bytes of kernel memory one object of @kind uses: a notify or event is
 * one slab object; a MEM object is its kmalloc()ed header (its pages are
 * device memory, counted in the device's mem_used).
 */
unsigned int an_object_size(u32 kind)
{
	if (kind == ASCEND_NOTIFY_KIND_MEM)
		return kmalloc_size_roundup(sizeof(struct an_mem));
	return an_notify_size();
}

/* Counts a new object in (@delta 1) or a gone one out (-1). */
static void an_object_count(const struct an_object *obj, int delta)
{
	atomic_add(delta, &an_nr_objects[obj->kind]);
	atomic_add(delta, &an_device(obj->dev)->live[obj->kind]);
}

/* ---- object lifetimes ---------------------------------------------------- */

/*
 * Sets up the header of a new object; the caller owns its one reference.
 * The caller has charged @ctx's user for it (a device id, or the memory);
 * from here the object owns that charge and gives it back when it goes.
 */
void an_object_init(struct an_object *obj, struct an_context *ctx, u32 kind,
		    u32 dev)
{
	obj->kind = kind;
	obj->dev = dev;
	kref_init(&obj->ref);
	mutex_init(&obj->lock);
	INIT_LIST_HEAD(&obj->importers);
	obj->creator = get_pid(ctx->owner);
	obj->user = an_user_hold(ctx->user);
	an_object_count(obj, 1);
	atomic_inc(&an_generation);
}

/*
 * Undoes an_object_init() for an object that never became visible; the
 * charge goes back to the caller.
 */
void an_object_abort(struct an_object *obj)
{
	an_user_put(obj->user);
	put_pid(obj->creator);
	mutex_destroy(&obj->lock);
	an_object_count(obj, -1);
	atomic_inc(&an_generation);
}

static void an_object_free_rcu(struct rcu_head *rcu)
{
	struct an_object *obj = container_of(rcu, struct an_object, rcu);

	if (obj->share)
		an_share_free(obj->share);
	if (an_is_notify(obj))
		an_notify_free(an_notify(obj));
	else
		an_mem_free(an_mem(obj));
}

static void an_object_release(struct kref *ref)
{
	struct an_object *obj = container_of(ref, struct an_object, ref);

	if (an_is_notify(obj)) {
		an_notify_release(an_notify(obj));
		an_user_uncharge(obj->user, obj->dev, AN_RES_NOTIFIES, 1);
	} else {
		an_user_uncharge(obj->user, obj->dev, AN_RES_MEM,
				 an_mem(obj)->size);
		an_mem_release(an_mem(obj));
	}
	an_user_put(obj->user);
	atomic_inc(&an_generation);
	an_object_count(obj, -1);
	put_pid(obj->creator);
	mutex_destroy(&obj->lock);
	/* An import or a dump may still hold it from an RCU lookup. */
	call_rcu(&obj->rcu, an_object_free_rcu);
}

void an_object_put(struct an_object *obj)
{
	kref_put(&obj->ref, an_object_release);
}

/* Withdraws the key of @obj if it is still importable; under its lock. */
void an_object_withdraw(struct an_object *obj)
{
	an_object_assert_held(obj);
	if (obj->share && !obj->share->withdrawn) {
		an_share_withdraw(obj->share);
		atomic_dec(&an_device(obj->dev)->exports);
	}
}

/**
 * an_ioctl_info - ASCEND_NOTIFY_IOC_INFO: what a handle of @ctx refers to
 * @ctx: the caller's context
 * @arg: user pointer to struct ascend_notify_info
 *
 * Locks: the handle is looked up under RCU; takes the object's lock to
 * read its share; may sleep.
 * See Documentation/uapi.rst, "ASCEND_NOTIFY_IOC_INFO".
 *
 * Return: 0, or a negative errno listed there.
 */
long an_ioctl_info(struct an_context *ctx, void __user *arg)
{
	struct ascend_notify_info args;
	struct an_object *obj;
	struct an_handle *h;
	u32 info = 0;

	might_sleep();
	if (copy_from_user(&args, arg, sizeof(args)))
		return -EFAULT;
	if (args.flags)
		return -EINVAL;
	h = an_handle_get(ctx, args.handle);
	if (!h)
		return -ENOENT;
	obj = h->obj;

	if (an_is_notify(obj)) {
		struct an_notify *n = an_notify(obj);

		if (test_bit(AN_NOTIFY_SET, &n->state))
			info |= ASCEND_NOTIFY_INFO_SET;
		if (n->flags & ASCEND_NOTIFY_CREATE_DEVICE_ONLY)
			info |= ASCEND_NOTIFY_INFO_DEVICE_ONLY;
		if (obj->kind == ASCEND_NOTIFY_KIND_EVENT)
			info |= ASCEND_NOTIFY_INFO_EVENT;
	} else {
		info |= ASCEND_NOTIFY_INFO_MEM;
	}
	if (!h->creator)
		info |= ASCEND_NOTIFY_INFO_IMPORTED;
	mutex_lock(&obj->lock);
	if (obj->share) {
		info |= ASCEND_NOTIFY_INFO_EXPORTED;
		if (obj->share->no_pid_check)
			info |= ASCEND_NOTIFY_INFO_NO_PID_CHECK;
		if (obj->share->withdrawn)
			info |= ASCEND_NOTIFY_INFO_WITHDRAWN;
	}
	mutex_unlock(&obj->lock);

	args.dev = obj->dev;
	args.id = obj->id;
	args.handle_dev = h->dev;
	args.info_flags = info;
	an_handle_put(h);
	return copy_to_user(arg, &args, sizeof(args)) ? -EFAULT : 0;
}

/* ---- export, trustlist, import, unexport --------------------------------- */

/*
 * Looks up a creator handle on a device that may share: the common checks
 * of export and set-pids.
 */
static struct an_handle *an_get_exporter(struct an_context *ctx, u32 id)
{
	struct an_handle *h;

	h = an_handle_get(ctx, id);
	if (!h)
		return ERR_PTR(-ENOENT);
	if (READ_ONCE(an_device(h->obj->dev)->is_virtual)) {
		an_handle_put(h);
		return ERR_PTR(-EOPNOTSUPP);
	}
	if (!h->creator) {
		an_handle_put(h);
		return ERR_PTR(-EPERM);
	}
	return h;
}

/**
 * an_ioctl_export - ASCEND_NOTIFY_IOC_EXPORT: give an object a key
 * @ctx: the caller's context
 * @arg: user pointer to struct ascend_notify_export
 *
 * Copies the key out with no lock held, then takes an_topology_lock for
 * reading, then the object's lock, then a key-table bucket lock to
 * publish; may sleep.
 * See Documentation/uapi.rst, "ASCEND_NOTIFY_IOC_EXPORT".
 *
 * Return: 0, or a negative errno listed there.
 */
long an_ioctl_export(struct an_context *ctx, void __user *arg)
{
	struct ascend_notify_export __user *uargs = arg;
	char text[ASCEND_NOTIFY_KEY_LEN];
	struct ascend_notify_export args;
	struct an_share *share;
	struct an_object *obj;
	struct an_handle *h;
	bool collision;
	long ret;

	might_sleep();
	if (copy_from_user(&args, arg, sizeof(args)))
		return -EFAULT;
	if (args.flags & ~(ASCEND_NOTIFY_EXPORT_NO_PID_CHECK |
			   ASCEND_NOTIFY_EXPORT_KEY64))
		return -EINVAL;
	h = an_get_exporter(ctx, args.handle);
	if (IS_ERR(h))
		return PTR_ERR(h);
	obj = h->obj;
	if (READ_ONCE(obj->share)) {
		ret = -EEXIST;
		goto out_put;
	}
	share = an_share_create(obj,
				args.flags & ASCEND_NOTIFY_EXPORT_NO_PID_CHECK);
	if (!share) {
		ret = -ENOMEM;
		goto out_put;
	}

	/*
	 * Hand out the key before it becomes importable, with no lock held
	 * across a fault on user memory; then publish under the locks,
	 * rechecking what may have changed meanwhile.
	 */
	do {
		collision = false;
		an_share_new_key(share, text,
				 args.flags & ASCEND_NOTIFY_EXPORT_KEY64);
		if (copy_to_user(uargs->key, text, sizeof(text))) {
			ret = -EFAULT;
			goto err_free;
		}
		/* Read: the device cannot turn virtual under the export. */
		down_read(&an_topology_lock);
		mutex_lock(&obj->lock);
		if (h->dead) {
			ret = -ENOENT;	/* destroyed since we looked it up */
		} else if (obj->share) {
			ret = -EEXIST;
		} else if (READ_ONCE(an_device(obj->dev)->is_virtual)) {
			ret = -EOPNOTSUPP;
		} else {
			ret = an_share_publish(share);
			collision = ret == -EEXIST;
		}
		if (!ret) {
			obj->share = share;
			atomic_inc(&an_device(obj->dev)->exports);
		}
		mutex_unlock(&obj->lock);
		up_read(&an_topology_lock);
	} while (collision);
	if (ret)
		goto err_free;
	trace_obj_export(obj, share->no_pid_check);
	an_event(ASCEND_NOTIFY_EVENT_EXPORT, obj, ctx->owner, 0, 0);
	an_handle_put(h);
	return 0;

err_free:
	an_share_free(share);
out_put:
	an_handle_put(h);
	return ret;
}

/**
 * an_ioctl_set_pids - ASCEND_NOTIFY_IOC_SET_PIDS: add processes to an export's trustlist
 * @ctx: the caller's context
 * @arg: user pointer to struct ascend_notify_trust
 *
 * Copies the PID array in with no lock held, then takes the object's
 * lock (PID lookups under RCU inside it); may sleep.
 * See Documentation/uapi.rst, "ASCEND_NOTIFY_IOC_SET_PIDS".
 *
 * Return: 0, or a negative errno listed there.
 */
long an_ioctl_set_pids(struct an_context *ctx, void __user *arg)
{
	struct ascend_notify_trust args;
	struct an_object *obj;
	struct an_handle *h;
	u32 trusted;
	s32 *nrs;
	long ret;

	might_sleep();
	if (copy_from_user(&args, arg, sizeof(args)))
		return -EFAULT;
	if (args.flags || args.pad || !args.count)
		return -EINVAL;
	if (args.count > ASCEND_NOTIFY_TRUST_MAX)
		return -E2BIG;
	h = an_get_exporter(ctx, args.handle);
	if (IS_ERR(h))
		return PTR_ERR(h);
	obj = h->obj;

	nrs = memdup_user(u64_to_user_ptr(args.pids),
			  array_size(args.count, sizeof(*nrs)));
	if (IS_ERR(nrs)) {
		ret = PTR_ERR(nrs);
		goto out_put;
	}

	mutex_lock(&obj->lock);
	if (h->dead)
		ret = -ENOENT;
	else if (!obj->share || obj->share->withdrawn)
		ret = -ENOKEY;		/* never exported, or unexported */
	else if (obj->share->no_pid_check)
		ret = -EACCES;		/* nothing to trust: anyone imports */
	else
		ret = an_share_add_pids(obj->share, nrs, args.count);
	trusted = ret ? 0 : obj->share->npids;
	mutex_unlock(&obj->lock);
	trace_trust_set(obj, args.count, trusted, ret);

	if (!ret)
		an_event(ASCEND_NOTIFY_EVENT_TRUST, obj, ctx->owner,
			 ASCEND_NOTIFY_A_NR_TRUSTED, trusted);
	kfree(nrs);
out_put:
	an_handle_put(h);
	return ret;
}

/* A refused import onto device @bound: counted, reported with its reason. */
static void an_import_denied(struct an_context *ctx, struct an_object *obj,
			     u32 bound, long err)
{
	atomic64_inc(&obj->denied);
	trace_obj_import(obj, bound, err);
	an_event(ASCEND_NOTIFY_EVENT_DENIED, obj, ctx->owner,
		 ASCEND_NOTIFY_A_REASON, -err);
}

/*
 * May a handle on @d reach the object on @od? Neither may be a virtual
 * instance; across devices, the topology must connect them and the caller
 * must have enabled peer access from @d to @od or asked for it with @flags.
 * Called with an_topology_lock held for reading.
 */
static long an_import_reachable(struct an_context *ctx, struct an_device *d,
				struct an_device *od, u32 flags)
{
	lockdep_assert_held_read(&an_topology_lock);
	if (READ_ONCE(d->is_virtual) || READ_ONCE(od->is_virtual))
		return -EOPNOTSUPP;
	if (d == od)
		return 0;
	if (!(READ_ONCE(d->peers) & BIT_ULL(od->id)))
		return -EHOSTUNREACH;
	if (!(flags & ASCEND_NOTIFY_IMPORT_PEER_ACCESS) &&
	    !test_bit(an_peer_bit(d->id, od->id), ctx->peers_enabled))
		return -EXDEV;
	return 0;
}

/**
 * an_ioctl_import - ASCEND_NOTIFY_IOC_IMPORT: a handle of @ctx on another's export
 * @ctx: the caller's context
 * @arg: user pointer to struct ascend_notify_import
 *
 * Locks: the key lookup runs under RCU; the object's lock for the trust
 * check; an_topology_lock for reading for the reachability check; the
 * xarray lock of @ctx's handles to reserve the id, the reply copied out
 * with no lock held; then an_topology_lock for reading again, and under
 * it the object's lock (an_handle_attach()) and the xarray lock
 * (publish); may sleep.
 * See Documentation/uapi.rst, "ASCEND_NOTIFY_IOC_IMPORT".
 *
 * Return: 0, or a negative errno listed there.
 */
long an_ioctl_import(struct an_context *ctx, void __user *arg)
{
	struct ascend_notify_import args;
	struct an_device *d, *od;
	u8 key[AN_KEY_BYTES];
	struct an_share *share;
	struct an_object *obj;
	struct an_handle *h;
	long ret;

	might_sleep();
	if (copy_from_user(&args, arg, sizeof(args)))
		return -EFAULT;
	if (args.flags & ~ASCEND_NOTIFY_IMPORT_PEER_ACCESS)
		return -EINVAL;
	if (args.kind > ASCEND_NOTIFY_KIND_MEM)
		return -EINVAL;
	d = an_device(args.dev);
	if (!d)
		return -ENODEV;
	if (an_key_parse(args.key, key))
		return -EINVAL;

	share = an_share_lookup(key);
	if (!share)
		return -ENOKEY;
	/* The share belongs to the object and lives as long as it does. */
	obj = share->owner;
	/* A key of another kind is no key of the kind asked for. */
	if (obj->kind != args.kind) {
		ret = -ENOKEY;
		goto err_put;
	}
	od = an_device(obj->dev);

	/*
	 * Trust first, so an untrusted caller learns nothing more. Every
	 * refusal is reported where it is decided.
	 */
	mutex_lock(&obj->lock);
	ret = an_share_check_import(share);
	mutex_unlock(&obj->lock);
	if (ret) {
		an_import_denied(ctx, obj, d->id, ret);
		goto err_put;
	}
	/*
	 * Then the topology, before anything is written back: a refused
	 * import leaves the caller's reply as it was.
	 */
	down_read(&an_topology_lock);
	ret = an_import_reachable(ctx, d, od, args.flags);
	up_read(&an_topology_lock);
	if (ret) {
		an_import_denied(ctx, obj, d->id, ret);
		goto err_put;
	}

	h = an_handle_alloc(ctx, obj, d->id, false);
	if (IS_ERR(h)) {
		ret = PTR_ERR(h);
		goto err_put;
	}
	/* The reply first: no lock may be held across a user fault. */
	ret = an_handle_reserve(ctx, arg, &args, sizeof(args), &args.handle);
	if (ret)
		goto err_discard;

	/*
	 * Again, held until the handle is published: a DEVICE_SET may have
	 * changed the topology while the reply was copied. Only that race
	 * refuses an import after its reply was written.
	 */
	down_read(&an_topology_lock);
	ret = an_import_reachable(ctx, d, od, args.flags);
	if (ret) {
		up_read(&an_topology_lock);
		an_import_denied(ctx, obj, d->id, ret);
		goto err_unreserve;
	}
	trace_obj_import(obj, d->id, 0);
	an_event(ASCEND_NOTIFY_EVENT_IMPORT, obj, ctx->owner, 0, 0);
	an_handle_publish(ctx, args.handle, h);
	up_read(&an_topology_lock);
	return 0;

err_unreserve:
	an_handle_unreserve(ctx, args.handle);
err_discard:
	an_handle_discard(ctx, h);
err_put:
	an_object_put(obj);
	return ret;
}

/**
 * an_ioctl_unexport - ASCEND_NOTIFY_IOC_UNEXPORT: withdraw an object's key
 * @ctx: the caller's context
 * @arg: user pointer to struct ascend_notify_handle_arg
 *
 * Withdraws the key of the creator's handle: nobody new can import, the
 * existing imports and the object stay. The share stays too (withdrawn), so
 * the object cannot be exported again.
 *
 * Locks: takes the object's lock, then a key-table bucket lock; may sleep.
 * See Documentation/uapi.rst, "ASCEND_NOTIFY_IOC_UNEXPORT".
 *
 * Return: 0, or a negative errno listed there.
 */
long an_ioctl_unexport(struct an_context *ctx, void __user *arg)
{
	struct ascend_notify_handle_arg args;
	struct an_object *obj;
	struct an_handle *h;
	long ret = 0;

	might_sleep();
	if (copy_from_user(&args, arg, sizeof(args)))
		return -EFAULT;
	if (args.flags)
		return -EINVAL;
	h = an_handle_get(ctx, args.handle);
	if (!h)
		return -ENOENT;
	if (!h->creator) {
		ret = -EPERM;
		goto out_put;
	}
	obj = h->obj;
	mutex_lock(&obj->lock);
	if (h->dead)
		ret = -ENOENT;
	else if (!obj->share || obj->share->withdrawn)
		ret = -ENOKEY;
	else
		an_object_withdraw(obj);
	mutex_unlock(&obj->lock);
	if (!ret) {
		trace_obj_unexport(obj);
		an_event(ASCEND_NOTIFY_EVENT_UNEXPORT, obj, ctx->owner, 0, 0);
	}
out_put:
	an_handle_put(h);
	return ret;
}
