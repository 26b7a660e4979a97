// SPDX-License-Identifier: GPL-2.0
/*
 * ascend_notify - per-open-file contexts and their handle tables
 *
 * A handle is an index into the context's xarray. Lookups run under RCU
 * and pin the handle with kref_get_unless_zero(), so the record/wait path
 * takes no lock of the context. Removal erases the index first, so a
 * handle can be destroyed only once, then drops the table's reference.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "internal.h"

/* Every open context, for the netlink PROC_GET dump. */
DEFINE_MUTEX(an_contexts_lock);
LIST_HEAD(an_contexts);

struct an_context *an_context_create(struct file *file)
{
	struct an_context *ctx;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL_ACCOUNT);
	if (!ctx)
		return NULL;
	/* The opener's real uid, as the kernel's ucounts count a user. */
	ctx->user = an_user_get(file->f_cred->uid);
	if (!ctx->user) {
		kfree(ctx);
		return NULL;
	}
	/*
	 * The opener's privilege. At open, current's creds are the file's
	 * (f_cred); asked without an audit record, as file_ns_capable()
	 * would be, so that every unprivileged open does not log a denial.
	 */
	ctx->unlimited = ns_capable_noaudit(&init_user_ns, CAP_SYS_RESOURCE);
	xa_init_flags(&ctx->handles, XA_FLAGS_ALLOC1);
	ctx->owner = get_pid(task_tgid(current));
	atomic_inc(&an_nr_contexts);
	mutex_lock(&an_contexts_lock);
	list_add_tail(&ctx->node, &an_contexts);
	mutex_unlock(&an_contexts_lock);
	atomic_inc(&an_generation);
	return ctx;
}

/*
 * Destroys every handle of the context. Runs when the owner process holds
 * no descriptor of the file any more (from .flush) and again at .release;
 * by then nobody can add handles: only the owner may, and it has no way
 * left to reach the context.
 */
void an_context_teardown(struct an_context *ctx)
{
	struct an_handle *h;
	unsigned long id;

	xa_for_each(&ctx->handles, id, h) {
		h = an_handle_remove(ctx, id);
		if (h)
			an_handle_kill(ctx, h);
	}
}

void an_context_free(struct an_context *ctx)
{
	mutex_lock(&an_contexts_lock);
	list_del(&ctx->node);
	mutex_unlock(&an_contexts_lock);
	atomic_inc(&an_generation);
	an_context_teardown(ctx);
	xa_destroy(&ctx->handles);
	an_user_put(ctx->user);
	put_pid(ctx->owner);
	kfree(ctx);
	atomic_dec(&an_nr_contexts);
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

	ret = xa_alloc_cyclic(&ctx->handles, idp, NULL, xa_limit_31b,
			      &ctx->next_handle, GFP_KERNEL_ACCOUNT);
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
	an_handle_attach(ctx, h);
	/*
	 * A reserved slot needs no memory, unless a racing DESTROY of the
	 * not yet valid id dropped the reservation: then the store may fail,
	 * and the handle ends as if destroyed.
	 */
	if (xa_err(xa_store(&ctx->handles, id, h, GFP_KERNEL_ACCOUNT)))
		an_handle_kill(ctx, h);
}

/* Unlinks handle @id; the caller owns the table's reference after this. */
struct an_handle *an_handle_remove(struct an_context *ctx, u32 id)
{
	return xa_erase(&ctx->handles, id);
}
