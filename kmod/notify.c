// SPDX-License-Identifier: GPL-2.0
/*
 * ascend_notify - notify objects
 *
 * A notify is one bit and a wait queue. Record sets the bit and wakes one
 * waiter; wait-and-reset consumes the bit with test_and_clear_bit(), so one
 * record releases exactly one wait and records coalesce while the bit is
 * set. Neither takes a lock unless a waiter has to sleep, and then only the
 * notify's wait-queue lock.
 */
#include <linux/hrtimer.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "internal.h"

static struct kmem_cache *an_notify_cache;
static struct kmem_cache *an_handle_cache;

int an_notify_cache_init(void)
{
	an_notify_cache = KMEM_CACHE(an_notify, SLAB_ACCOUNT);
	if (!an_notify_cache)
		return -ENOMEM;
	an_handle_cache = KMEM_CACHE(an_handle, SLAB_ACCOUNT);
	if (!an_handle_cache) {
		kmem_cache_destroy(an_notify_cache);
		return -ENOMEM;
	}
	return 0;
}

void an_notify_cache_exit(void)
{
	/* Objects are freed by RCU callbacks: let them finish. */
	rcu_barrier();
	kmem_cache_destroy(an_handle_cache);
	kmem_cache_destroy(an_notify_cache);
}

unsigned int an_notify_size(void)
{
	return kmem_cache_size(an_notify_cache);
}

unsigned int an_handle_size(void)
{
	return kmem_cache_size(an_handle_cache);
}

/* ---- lifetimes ---------------------------------------------------------- */

static void an_notify_free_rcu(struct rcu_head *rcu)
{
	struct an_notify *n = container_of(rcu, struct an_notify, rcu);

	if (n->share)
		an_share_free(n->share);
	kmem_cache_free(an_notify_cache, n);
}

static void an_notify_release(struct kref *ref)
{
	struct an_notify *n = container_of(ref, struct an_notify, ref);
	struct an_device *d = an_device(n->dev);

	xa_erase(&d->notifies, n->id);
	atomic_inc(&an_generation);
	atomic_dec(&d->live);
	atomic_dec(&an_nr_notifies);
	put_pid(n->creator);
	mutex_destroy(&n->lock);
	/* An import or a dump may still hold it from an RCU lookup. */
	call_rcu(&n->rcu, an_notify_free_rcu);
}

void an_notify_put(struct an_notify *n)
{
	kref_put(&n->ref, an_notify_release);
}

/* A new notify on @d, registered under a free id; the caller's reference. */
static struct an_notify *an_notify_alloc(struct an_context *ctx,
					 struct an_device *d, u32 flags)
{
	struct an_notify *n;
	u32 id;
	int ret;

	n = kmem_cache_zalloc(an_notify_cache, GFP_KERNEL_ACCOUNT);
	if (!n)
		return ERR_PTR(-ENOMEM);
	kref_init(&n->ref);
	n->dev = d->id;
	n->flags = flags;
	init_waitqueue_head(&n->wq);
	mutex_init(&n->lock);
	INIT_LIST_HEAD(&n->importers);
	n->creator = get_pid(ctx->owner);
	/* The id space is the per-device limit; full means -EBUSY here. */
	ret = xa_alloc(&d->notifies, &id, n, XA_LIMIT(0, an_max_notifies - 1),
		       GFP_KERNEL_ACCOUNT);
	if (ret) {
		put_pid(n->creator);
		kmem_cache_free(an_notify_cache, n);
		return ERR_PTR(ret == -EBUSY ? -ENOSPC : ret);
	}
	n->id = id;
	atomic_inc(&an_generation);
	atomic_inc(&d->live);
	atomic64_inc(&d->created);
	atomic_inc(&an_nr_notifies);
	return n;
}

struct an_handle *an_handle_alloc(struct an_context *ctx, struct an_notify *n,
				  u32 dev, bool creator)
{
	struct an_handle *h;

	h = kmem_cache_zalloc(an_handle_cache, GFP_KERNEL_ACCOUNT);
	if (!h) {
		an_notify_put(n);
		return NULL;
	}
	kref_init(&h->ref);
	h->creator = creator;
	h->dev = dev;
	h->notify = n;
	h->owner = get_pid(ctx->owner);
	INIT_LIST_HEAD(&h->node);
	atomic_inc(&an_nr_handles);
	return h;
}

static void an_handle_free_rcu(struct rcu_head *rcu)
{
	kmem_cache_free(an_handle_cache,
			container_of(rcu, struct an_handle, rcu));
}

static void an_handle_release(struct kref *ref)
{
	struct an_handle *h = container_of(ref, struct an_handle, ref);

	an_notify_put(h->notify);
	put_pid(h->owner);
	atomic_dec(&an_nr_handles);
	/* a lookup may still be dereferencing it under RCU */
	call_rcu(&h->rcu, an_handle_free_rcu);
}

void an_handle_put(struct an_handle *h)
{
	kref_put(&h->ref, an_handle_release);
}

/*
 * Accounts a handle about to become visible in @ctx: the counters the
 * netlink dumps report and the live imports a topology change must
 * respect. Undone by an_handle_kill().
 */
void an_handle_attach(struct an_context *ctx, struct an_handle *h)
{
	struct an_notify *n = h->notify;

	if (h->creator) {
		atomic_inc(&ctx->nr_created);
	} else {
		atomic_inc(&ctx->nr_imported);
		atomic_inc(&an_device(h->dev)->imports);
		an_pair_imports_add(h->dev, n->dev, 1);
		mutex_lock(&n->lock);
		list_add_tail(&h->node, &n->importers);
		mutex_unlock(&n->lock);
	}
	atomic_inc(&an_generation);
}

/*
 * Ends a handle already unlinked from @ctx's table and drops the table's
 * reference. Destroying the creator's handle withdraws the key: the notify
 * lives on for its importers, but nobody new can import it. Waiters on this
 * handle wake with -EIDRM; waiters on other handles keep waiting.
 */
void an_handle_kill(struct an_context *ctx, struct an_handle *h)
{
	struct an_notify *n = h->notify;
	struct an_device *nd = an_device(n->dev);

	mutex_lock(&n->lock);
	WRITE_ONCE(h->dead, true);
	if (!h->creator) {
		list_del(&h->node);
	} else if (n->share && !n->share->withdrawn) {
		an_share_withdraw(n->share);
		atomic_dec(&nd->exports);
	}
	mutex_unlock(&n->lock);

	if (h->creator) {
		atomic_dec(&ctx->nr_created);
	} else {
		atomic_dec(&ctx->nr_imported);
		atomic_dec(&an_device(h->dev)->imports);
		an_pair_imports_add(h->dev, n->dev, -1);
	}
	atomic_inc(&an_generation);
	if (wq_has_sleeper(&n->wq))
		wake_up_all(&n->wq);
	an_event(ASCEND_NOTIFY_EVENT_DESTROY, n, h->owner, ASCEND_NOTIFY_A_CREATOR,
		 h->creator);
	an_handle_put(h);
}

/* ---- record, wait, reset ----------------------------------------------- */

/*
 * Sleeps until the bit can be consumed, the deadline passes, a signal
 * arrives or the handle is destroyed. Waiters queue exclusively so a record
 * wakes one of them; one that leaves without the bit while the bit is set
 * may have taken a record's wake-up, so it passes the wake-up on.
 */
static int an_notify_wait_bit(struct an_notify *n, struct an_handle *h,
			      u64 deadline_ns)
{
	bool forever = deadline_ns >= KTIME_MAX;
	ktime_t deadline = ns_to_ktime(deadline_ns);
	bool expired = false;
	DEFINE_WAIT(wait);
	int ret;

	if (test_and_clear_bit(AN_NOTIFY_SET, &n->state))
		return 0;

	atomic_inc(&n->waiters);
	for (;;) {
		prepare_to_wait_exclusive(&n->wq, &wait, TASK_INTERRUPTIBLE);
		if (test_and_clear_bit(AN_NOTIFY_SET, &n->state)) {
			ret = 0;
			break;
		}
		if (READ_ONCE(h->dead)) {
			ret = -EIDRM;
			break;
		}
		if (signal_pending(current)) {
			ret = -ERESTARTSYS;
			break;
		}
		if (expired) {
			ret = -ETIMEDOUT;
			break;
		}
		if (forever)
			schedule();
		else
			expired = !schedule_hrtimeout(&deadline,
						      HRTIMER_MODE_ABS);
	}
	finish_wait(&n->wq, &wait);
	atomic_dec(&n->waiters);

	if (ret && test_bit(AN_NOTIFY_SET, &n->state))
		wake_up(&n->wq);
	return ret;
}

long an_ioctl_record(struct an_context *ctx, void __user *arg)
{
	struct ascend_notify_handle_arg args;
	struct an_handle *h;
	struct an_notify *n;

	if (copy_from_user(&args, arg, sizeof(args)))
		return -EFAULT;
	if (args.flags)
		return -EINVAL;
	h = an_handle_get(ctx, args.handle);
	if (!h)
		return -ENOENT;
	n = h->notify;
	atomic64_inc(&n->records);
	/* A record onto a set bit coalesces: nobody new to wake. */
	if (!test_and_set_bit(AN_NOTIFY_SET, &n->state) &&
	    wq_has_sleeper(&n->wq))
		wake_up(&n->wq);
	an_handle_put(h);
	return 0;
}

long an_ioctl_wait(struct an_context *ctx, void __user *arg)
{
	struct ascend_notify_wait args;
	struct an_handle *h;
	struct an_notify *n;
	long ret;

	if (copy_from_user(&args, arg, sizeof(args)))
		return -EFAULT;
	if (args.flags & ~ASCEND_NOTIFY_WAIT_SLICE)
		return -EINVAL;
	h = an_handle_get(ctx, args.handle);
	if (!h)
		return -ENOENT;
	n = h->notify;
	/* Only the notify's own device waits; importers elsewhere record. */
	if (h->dev != n->dev) {
		ret = -EXDEV;
	} else {
		ret = an_notify_wait_bit(n, h, args.deadline_ns);
		if (!ret) {
			atomic64_inc(&n->waits);
		} else if (ret == -ETIMEDOUT &&
			   !(args.flags & ASCEND_NOTIFY_WAIT_SLICE)) {
			atomic64_inc(&n->timeouts);
			an_event(ASCEND_NOTIFY_EVENT_TIMEOUT, n, h->owner, 0, 0);
		}
	}
	an_handle_put(h);
	return ret;
}

long an_ioctl_batch_reset(struct an_context *ctx, void __user *arg)
{
	struct ascend_notify_batch args;
	struct an_handle **hs;
	u32 *ids, i, got = 0;
	long ret = 0;

	if (copy_from_user(&args, arg, sizeof(args)))
		return -EFAULT;
	if (args.flags || !args.count)
		return -EINVAL;
	if (args.count > ASCEND_NOTIFY_BATCH_MAX)
		return -E2BIG;

	ids = kvmalloc_array(args.count, sizeof(*ids), GFP_KERNEL_ACCOUNT);
	hs = kvmalloc_array(args.count, sizeof(*hs), GFP_KERNEL_ACCOUNT);
	if (!ids || !hs) {
		ret = -ENOMEM;
		goto out_free;
	}
	if (copy_from_user(ids, u64_to_user_ptr(args.handles),
			   array_size(args.count, sizeof(*ids)))) {
		ret = -EFAULT;
		goto out_free;
	}

	/* Validate the whole batch before touching any bit. */
	for (got = 0; got < args.count; got++) {
		hs[got] = an_handle_get(ctx, ids[got]);
		if (!hs[got]) {
			ret = -ENOENT;
			goto out_put;
		}
		if (READ_ONCE(an_device(hs[got]->notify->dev)->is_virtual) ||
		    READ_ONCE(an_device(hs[got]->dev)->is_virtual)) {
			an_handle_put(hs[got]);
			ret = -EOPNOTSUPP;
			goto out_put;
		}
	}
	for (i = 0; i < args.count; i++)
		clear_bit(AN_NOTIFY_SET, &hs[i]->notify->state);

out_put:
	while (got)
		an_handle_put(hs[--got]);
out_free:
	kvfree(hs);
	kvfree(ids);
	return ret;
}

/* ---- create, destroy, info ---------------------------------------------- */

long an_ioctl_create(struct an_context *ctx, void __user *arg)
{
	struct ascend_notify_create args;
	struct an_device *d;
	struct an_notify *n;
	struct an_handle *h;
	long ret;

	if (copy_from_user(&args, arg, sizeof(args)))
		return -EFAULT;
	if (args.flags & ~ASCEND_NOTIFY_CREATE_DEVICE_ONLY)
		return -EINVAL;
	d = an_device(args.dev);
	if (!d)
		return -ENODEV;

	n = an_notify_alloc(ctx, d, args.flags);
	if (IS_ERR(n))
		return PTR_ERR(n);
	h = an_handle_alloc(ctx, n, d->id, true);
	if (!h)
		return -ENOMEM;
	args.id = n->id;
	ret = an_handle_reserve(ctx, arg, &args, sizeof(args), &args.handle);
	if (ret) {
		an_handle_put(h);
		return ret;
	}
	/* Before publishing: from then on another thread may destroy it. */
	an_event(ASCEND_NOTIFY_EVENT_CREATE, n, ctx->owner, 0, 0);
	an_handle_publish(ctx, args.handle, h);
	return 0;
}

long an_ioctl_destroy(struct an_context *ctx, void __user *arg)
{
	struct ascend_notify_handle_arg args;
	struct an_handle *h;

	if (copy_from_user(&args, arg, sizeof(args)))
		return -EFAULT;
	if (args.flags)
		return -EINVAL;
	h = an_handle_remove(ctx, args.handle);
	if (!h)
		return -ENOENT;
	an_handle_kill(ctx, h);
	return 0;
}

long an_ioctl_info(struct an_context *ctx, void __user *arg)
{
	struct ascend_notify_info args;
	struct an_handle *h;
	struct an_notify *n;
	u32 info = 0;

	if (copy_from_user(&args, arg, sizeof(args)))
		return -EFAULT;
	if (args.flags)
		return -EINVAL;
	h = an_handle_get(ctx, args.handle);
	if (!h)
		return -ENOENT;
	n = h->notify;

	if (test_bit(AN_NOTIFY_SET, &n->state))
		info |= ASCEND_NOTIFY_INFO_SET;
	if (!h->creator)
		info |= ASCEND_NOTIFY_INFO_IMPORTED;
	if (n->flags & ASCEND_NOTIFY_CREATE_DEVICE_ONLY)
		info |= ASCEND_NOTIFY_INFO_DEVICE_ONLY;
	mutex_lock(&n->lock);
	if (n->share) {
		info |= ASCEND_NOTIFY_INFO_EXPORTED;
		if (n->share->no_pid_check)
			info |= ASCEND_NOTIFY_INFO_NO_PID_CHECK;
		if (n->share->withdrawn)
			info |= ASCEND_NOTIFY_INFO_WITHDRAWN;
	}
	mutex_unlock(&n->lock);

	args.dev = n->dev;
	args.id = n->id;
	args.handle_dev = h->dev;
	args.info_flags = info;
	an_handle_put(h);
	return copy_to_user(arg, &args, sizeof(args)) ? -EFAULT : 0;
}

/* ---- export, trustlist, import ----------------------------------------- */

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
	if (READ_ONCE(an_device(h->notify->dev)->is_virtual)) {
		an_handle_put(h);
		return ERR_PTR(-EOPNOTSUPP);
	}
	if (!h->creator) {
		an_handle_put(h);
		return ERR_PTR(-EPERM);
	}
	return h;
}

long an_ioctl_export(struct an_context *ctx, void __user *arg)
{
	struct ascend_notify_export __user *uargs = arg;
	char text[ASCEND_NOTIFY_KEY_LEN];
	struct ascend_notify_export args;
	struct an_share *share;
	struct an_handle *h;
	struct an_notify *n;
	bool collision;
	long ret;

	if (copy_from_user(&args, arg, sizeof(args)))
		return -EFAULT;
	if (args.flags & ~ASCEND_NOTIFY_EXPORT_NO_PID_CHECK)
		return -EINVAL;
	h = an_get_exporter(ctx, args.handle);
	if (IS_ERR(h))
		return PTR_ERR(h);
	n = h->notify;
	if (READ_ONCE(n->share)) {
		ret = -EEXIST;
		goto out_put;
	}
	share = an_share_create(&n->lock, &n->ref,
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
		an_share_new_key(share, text);
		if (copy_to_user(uargs->key, text, sizeof(text))) {
			ret = -EFAULT;
			break;
		}
		/* Read: the device cannot turn virtual under the export. */
		down_read(&an_topology_lock);
		mutex_lock(&n->lock);
		if (h->dead) {
			ret = -ENOENT;	/* destroyed since we looked it up */
		} else if (n->share) {
			ret = -EEXIST;
		} else if (READ_ONCE(an_device(n->dev)->is_virtual)) {
			ret = -EOPNOTSUPP;
		} else {
			ret = an_share_publish(share);
			collision = ret == -EEXIST;
		}
		if (!ret) {
			n->share = share;
			atomic_inc(&an_device(n->dev)->exports);
		}
		mutex_unlock(&n->lock);
		up_read(&an_topology_lock);
	} while (collision);
	if (ret)
		an_share_free(share);
	else
		an_event(ASCEND_NOTIFY_EVENT_EXPORT, n, ctx->owner, 0, 0);
out_put:
	an_handle_put(h);
	return ret;
}

long an_ioctl_set_pids(struct an_context *ctx, void __user *arg)
{
	struct ascend_notify_trust args;
	struct an_handle *h;
	struct an_notify *n;
	u32 trusted;
	s32 *nrs;
	long ret;

	if (copy_from_user(&args, arg, sizeof(args)))
		return -EFAULT;
	if (args.flags || args.pad || !args.count)
		return -EINVAL;
	if (args.count > ASCEND_NOTIFY_TRUST_MAX)
		return -E2BIG;
	h = an_get_exporter(ctx, args.handle);
	if (IS_ERR(h))
		return PTR_ERR(h);
	n = h->notify;

	nrs = memdup_user(u64_to_user_ptr(args.pids),
			  array_size(args.count, sizeof(*nrs)));
	if (IS_ERR(nrs)) {
		ret = PTR_ERR(nrs);
		goto out_put;
	}

	mutex_lock(&n->lock);
	if (h->dead)
		ret = -ENOENT;
	else if (!n->share)
		ret = -ENOKEY;		/* never exported */
	else if (n->share->no_pid_check)
		ret = -EACCES;		/* nothing to trust: anyone imports */
	else
		ret = an_share_add_pids(n->share, nrs, args.count);
	trusted = ret ? 0 : n->share->npids;
	mutex_unlock(&n->lock);

	if (!ret)
		an_event(ASCEND_NOTIFY_EVENT_TRUST, n, ctx->owner,
			 ASCEND_NOTIFY_A_NR_TRUSTED, trusted);
	kfree(nrs);
out_put:
	an_handle_put(h);
	return ret;
}

/* A refused import: counted, and reported with its reason. */
static void an_import_denied(struct an_context *ctx, struct an_notify *n,
			     long err)
{
	atomic64_inc(&n->denied);
	an_event(ASCEND_NOTIFY_EVENT_DENIED, n, ctx->owner,
		 ASCEND_NOTIFY_A_REASON, -err);
}

long an_ioctl_import(struct an_context *ctx, void __user *arg)
{
	struct ascend_notify_import args;
	struct an_device *d, *nd;
	u8 key[AN_KEY_BYTES];
	struct an_share *share;
	struct an_handle *h;
	struct an_notify *n;
	long ret;

	if (copy_from_user(&args, arg, sizeof(args)))
		return -EFAULT;
	if (args.flags & ~ASCEND_NOTIFY_IMPORT_PEER_ACCESS)
		return -EINVAL;
	if (args.kind)
		return -EINVAL;
	d = an_device(args.dev);
	if (!d)
		return -ENODEV;
	if (an_key_parse(args.key, key))
		return -EINVAL;

	share = an_share_lookup(key);
	if (!share)
		return -ENOKEY;
	/* The share belongs to the notify and lives as long as it does. */
	n = container_of(share->owner_ref, struct an_notify, ref);
	nd = an_device(n->dev);

	/* Trust first, so an untrusted caller learns nothing more. */
	mutex_lock(&n->lock);
	ret = an_share_check_import(share);
	mutex_unlock(&n->lock);
	if (ret)
		goto err_put;

	h = an_handle_alloc(ctx, n, d->id, false);
	if (!h)
		return -ENOMEM;
	/* The reply first: no lock may be held across a user fault. */
	ret = an_handle_reserve(ctx, arg, &args, sizeof(args), &args.handle);
	if (ret) {
		an_handle_put(h);
		return ret;
	}

	/* Read: the topology cannot change between the checks and publish. */
	down_read(&an_topology_lock);
	if (READ_ONCE(d->is_virtual) || READ_ONCE(nd->is_virtual)) {
		ret = -EOPNOTSUPP;
	} else if (d != nd) {
		if (!(READ_ONCE(d->peers) & BIT_ULL(nd->id)))
			ret = -EHOSTUNREACH;
		else if (!(args.flags & ASCEND_NOTIFY_IMPORT_PEER_ACCESS) &&
			 !test_bit(an_peer_bit(d->id, nd->id),
				   ctx->peers_enabled))
			ret = -EXDEV;
	}
	if (ret) {
		up_read(&an_topology_lock);
		an_handle_unreserve(ctx, args.handle);
		an_import_denied(ctx, n, ret);
		an_handle_put(h);
		return ret;
	}
	an_event(ASCEND_NOTIFY_EVENT_IMPORT, n, ctx->owner, 0, 0);
	an_handle_publish(ctx, args.handle, h);
	up_read(&an_topology_lock);
	return 0;

err_put:
	an_import_denied(ctx, n, ret);
	an_notify_put(n);
	return ret;
}
