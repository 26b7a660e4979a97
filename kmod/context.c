// SPDX-License-Identifier: GPL-2.0
/*
 * ascend_notify - per-open-file contexts and their handle tables
 *
 * A handle is an index into the context's xarray. Lookups run under RCU
 * and pin the handle with kref_get_unless_zero(), so the record/wait path
 * takes no lock of the context. Removal erases the index first, so a
 * handle can be destroyed only once, then drops the table's reference.
 */
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "internal.h"

/* Every open context, for the netlink PROC_GET dump. */
DEFINE_MUTEX(an_contexts_lock);
LIST_HEAD(an_contexts);

struct an_context *an_context_create(void)
{
	struct an_context *ctx;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL_ACCOUNT);
	if (!ctx)
		return NULL;
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
 * Destroys every handle of the context. Runs when the owner exits (from
 * .flush) and again at .release; by then nobody can add handles, because
 * only the owner may and it is gone.
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

/**
 * an_handle_install - publish a new handle and report it to userspace
 * @ctx:	the context.
 * @h:		from an_handle_alloc(); the table owns it on success, and it
 *		is put on failure.
 * @uarg:	the ioctl's user argument.
 * @karg:	its kernel copy, which contains @idp.
 * @size:	the size of @karg.
 * @idp:	where in @karg the new handle id goes.
 *
 * The id is reserved first, @karg is copied out, and only then does the
 * handle become visible, so a failed copy leaves nothing behind.
 */
int an_handle_install(struct an_context *ctx, struct an_handle *h,
		      void __user *uarg, const void *karg, size_t size,
		      u32 *idp)
{
	int ret;

	ret = xa_alloc_cyclic(&ctx->handles, idp, NULL, xa_limit_31b,
			      &ctx->next_handle, GFP_KERNEL_ACCOUNT);
	if (ret < 0) {
		ret = ret == -EBUSY ? -EMFILE : ret;
		goto err_put;
	}
	if (copy_to_user(uarg, karg, size)) {
		ret = -EFAULT;
		goto err_release;
	}
	ret = xa_err(xa_store(&ctx->handles, *idp, h, GFP_KERNEL_ACCOUNT));
	if (ret)
		goto err_release;
	an_handle_attach(ctx, h);
	return 0;

err_release:
	xa_release(&ctx->handles, *idp);
err_put:
	an_handle_put(h);
	return ret;
}

/* Unlinks handle @id; the caller owns the table's reference after this. */
struct an_handle *an_handle_remove(struct an_context *ctx, u32 id)
{
	return xa_erase(&ctx->handles, id);
}
