// SPDX-License-Identifier: GPL-2.0
/*
 * ascend_notify - handles and the per-context handle table
 *
 * A handle is an index into the context's xarray. Lookups run under RCU
 * and pin the handle with kref_get_unless_zero(), so the record/wait path
 * takes no lock of the context. Removal erases the index first, so a
 * handle can be destroyed only once, then drops the table's reference.
 */
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "internal.h"
#include "trace.h"

/*
 * The largest handle id of a context. Ids are allocated cyclically; a
 * smaller space makes the wrap-around reachable in a test.
 */
unsigned int an_max_handle_id = INT_MAX;
module_param_named(max_handles, an_max_handle_id, uint, 0444);
MODULE_PARM_DESC(max_handles,
		 "Handle ids per open file, 1..2147483647 (default 2147483647)");

/* ---- handles ------------------------------------------------------------- */

static struct kmem_cache *an_handle_cache;

int an_handle_cache_init(void)
{
	an_handle_cache = KMEM_CACHE(an_handle, SLAB_ACCOUNT);
	return an_handle_cache ? 0 : -ENOMEM;
}

void an_handle_cache_exit(void)
{
	kmem_cache_destroy(an_handle_cache);
}

unsigned int an_handle_size(void)
{
	return kmem_cache_size(an_handle_cache);
}

/**
 * an_handle_alloc - a new, unpublished handle of @ctx on @obj
 * @ctx:	the context the handle will belong to.
 * @obj:	the object; on success the handle takes over the caller's
 *		reference, on failure the caller still owns it.
 * @dev:	the device the handle is bound to.
 * @creator:	the handle is the object's creator handle.
 *
 * The handle is charged to @ctx's user from here: a handle that is never
 * published goes with an_handle_discard(), which gives the reference to
 * @obj back, a published one with an_handle_kill(). So a caller unwinds
 * in reverse order: discard the handle, then put its own reference.
 *
 * Return: the handle; ERR_PTR(-EMFILE) when the user holds its share of
 * handles on @dev, or ERR_PTR(-ENOMEM).
 */
struct an_handle *an_handle_alloc(struct an_context *ctx,
				  struct an_object *obj, u32 dev, bool creator)
{
	struct an_handle *h;
	int ret;

	ret = an_user_charge(ctx, dev, AN_RES_HANDLES, 1, obj->kind);
	if (ret)
		return ERR_PTR(ret);
	h = kmem_cache_zalloc(an_handle_cache, GFP_KERNEL_ACCOUNT);
	if (!h) {
		ret = -ENOMEM;
		goto err_uncharge;
	}
	kref_init(&h->ref);
	h->creator = creator;
	h->kind = obj->kind;
	h->dev = dev;
	h->obj = obj;
	h->owner = get_pid(ctx->owner);
	INIT_LIST_HEAD(&h->node);
	atomic_inc(&an_nr_handles);
	return h;

err_uncharge:
	an_user_uncharge(ctx->user, dev, AN_RES_HANDLES, 1);
	return ERR_PTR(ret);
}

/**
 * an_handle_discard - undo an_handle_alloc()
 * @ctx:	the handle's context.
 * @h:		a handle never published, so nobody else can hold it.
 *
 * Ends the handle and its charge; the reference to the object that
 * an_handle_alloc() took over goes back to the caller, who puts it.
 */
void an_handle_discard(struct an_context *ctx, struct an_handle *h)
{
	an_user_uncharge(ctx->user, h->dev, AN_RES_HANDLES, 1);
	put_pid(h->owner);
	atomic_dec(&an_nr_handles);
	kmem_cache_free(an_handle_cache, h);
}

static void an_handle_free_rcu(struct rcu_head *rcu)
{
	kmem_cache_free(an_handle_cache,
			container_of(rcu, struct an_handle, rcu));
}

static void an_handle_release(struct kref *ref)
{
	struct an_handle *h = container_of(ref, struct an_handle, ref);

	an_object_put(h->obj);
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
	struct an_object *obj = h->obj;

	if (h->creator) {
		atomic_inc(&ctx->nr_created);
	} else {
		/* So that no DEVICE_SET cuts the link it was imported over. */
		lockdep_assert_held_read(&an_topology_lock);
		atomic_inc(&ctx->nr_imported);
		atomic_inc(&an_device(h->dev)->imports);
		an_pair_imports_add(h->dev, obj->dev, 1);
		mutex_lock(&obj->lock);
		list_add_tail(&h->node, &obj->importers);
		obj->nr_importers++;
		mutex_unlock(&obj->lock);
	}
	atomic_inc(&an_generation);
}

struct an_handle *an_handle_get(struct an_context *ctx, u32 id)
{
	struct an_handle *h;

	rcu_read_lock();
	h = xa_load(&ctx->handles, id);
	if (h && !kref_get_unless_zero(&h->ref))
		h = NULL;
	rcu_read_unlock();
	return h;
}

/*
 * Reserves a handle id (lookups of it find nothing) for a caller that
 * reports it itself; follow with an_handle_publish() or
 * an_handle_unreserve().
 */
int an_handle_reserve_id(struct an_context *ctx, u32 *idp)
{
	int ret;

	ret = xa_alloc_cyclic(&ctx->handles, idp, NULL,
			      XA_LIMIT(1, an_max_handle_id), &ctx->next_handle,
			      GFP_KERNEL_ACCOUNT);
	if (ret < 0)
		return ret == -EBUSY ? -EMFILE : ret;
	return 0;
}

/**
 * an_handle_reserve - reserve a handle id and report it to userspace
 * @ctx:	the context.
 * @uarg:	the ioctl's user argument.
 * @karg:	its kernel copy, which contains @idp.
 * @size:	the size of @karg.
 * @idp:	where in @karg the new handle id goes.
 *
 * The id is reserved and @karg copied out before anything becomes
 * visible, so a failed copy leaves nothing behind, and no lock needs to be
 * held across the copy. Lookups of a reserved id find nothing; follow
 * with an_handle_publish() or an_handle_unreserve().
 *
 * Return: 0; -EMFILE when the context has no free id, -ENOMEM, or
 * -EFAULT when the copy failed (and then nothing stays reserved).
 */
int an_handle_reserve(struct an_context *ctx, void __user *uarg,
		      const void *karg, size_t size, u32 *idp)
{
	int ret;

	ret = an_handle_reserve_id(ctx, idp);
	if (ret)
		return ret;
	if (copy_to_user(uarg, karg, size)) {
		xa_release(&ctx->handles, *idp);
		return -EFAULT;
	}
	return 0;
}

void an_handle_unreserve(struct an_context *ctx, u32 id)
{
	xa_release(&ctx->handles, id);
}

/*
 * Accounts @h, then makes it visible as @id, reserved by
 * an_handle_reserve(). In that order: once visible, another thread may
 * destroy it at once. The table owns @h from here.
 */
void an_handle_publish(struct an_context *ctx, u32 id, struct an_handle *h)
{
	XA_STATE(xas, &ctx->handles, id);
	void *curr;

	an_handle_attach(ctx, h);
	/*
	 * Only into the slot still reserved for it (a zero entry, which
	 * xa_cmpxchg() would not match against NULL): nothing else removes a
	 * reservation (an_handle_remove() refuses to), but if anything ever
	 * did, and the cyclic allocator gave the id to another handle, a
	 * plain store would overwrite that live handle. Storing into a
	 * reserved slot needs no memory.
	 */
	xas_lock(&xas);
	curr = xas_load(&xas);
	if (xa_is_zero(curr))
		xas_store(&xas, h);
	xas_unlock(&xas);
	if (WARN_ON_ONCE(!xa_is_zero(curr)) || xas_error(&xas))
		an_handle_kill(ctx, h);
}

/*
 * Unlinks handle @id; the caller owns the table's reference after this.
 * A reserved id (its CREATE or IMPORT still copying the reply out) is not
 * a handle yet: NULL, and the reservation stays.
 */
struct an_handle *an_handle_remove(struct an_context *ctx, u32 id)
{
	struct an_handle *h;

	xa_lock(&ctx->handles);
	h = xa_load(&ctx->handles, id);
	if (h)
		__xa_erase(&ctx->handles, id);
	xa_unlock(&ctx->handles);
	return h;
}

/*
 * Ends a handle already unlinked from @ctx's table and drops the table's
 * reference. Destroying the creator's handle withdraws the key: the object
 * lives on for its importers, but nobody new can import it. Waiters on this
 * handle wake with -EIDRM; waiters on other handles keep waiting. Mappings
 * of memory are not handles: they keep their pages.
 */
void an_handle_kill(struct an_context *ctx, struct an_handle *h)
{
	struct an_object *obj = h->obj;

	mutex_lock(&obj->lock);
	WRITE_ONCE(h->dead, true);
	if (!h->creator) {
		list_del(&h->node);
		obj->nr_importers--;
	} else {
		an_object_withdraw(obj);
	}
	mutex_unlock(&obj->lock);

	if (h->creator) {
		atomic_dec(&ctx->nr_created);
	} else {
		atomic_dec(&ctx->nr_imported);
		atomic_dec(&an_device(h->dev)->imports);
		an_pair_imports_add(h->dev, obj->dev, -1);
	}
	an_user_uncharge(ctx->user, h->dev, AN_RES_HANDLES, 1);
	atomic_inc(&an_generation);
	if (an_is_notify(obj))
		an_notify_kill(an_notify(obj));
	trace_obj_destroy(obj, h->creator);
	an_event(ASCEND_NOTIFY_EVENT_DESTROY, obj, h->owner,
		 ASCEND_NOTIFY_A_IS_CREATOR, h->creator);
	an_handle_put(h);
}

/**
 * an_ioctl_destroy - ASCEND_NOTIFY_IOC_DESTROY: end one of @ctx's handles
 * @ctx: the caller's context
 * @arg: user pointer to struct ascend_notify_handle_arg
 *
 * Locks: the xarray lock of @ctx's handles (unlink), then the object's
 * lock (an_handle_kill(), and under it a key-table bucket lock when the
 * creator's handle withdraws the key), then, with the mutex dropped, the
 * wait-queue lock to wake the handle's waiters; may sleep.
 * See Documentation/uapi.rst, "ASCEND_NOTIFY_IOC_DESTROY".
 *
 * Return: 0, or a negative errno listed there.
 */
long an_ioctl_destroy(struct an_context *ctx, void __user *arg)
{
	struct ascend_notify_handle_arg args;
	struct an_handle *h;

	might_sleep();
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
