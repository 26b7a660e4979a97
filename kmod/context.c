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
#include <linux/moduleparam.h>
#include <linux/pid_namespace.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
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
	trace_context_open(pid_nr(ctx->owner), 0);
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
		/* A context may hold millions of handles. */
		cond_resched();
	}
}

void an_context_free(struct an_context *ctx)
{
	mutex_lock(&an_contexts_lock);
	list_del(&ctx->node);
	mutex_unlock(&an_contexts_lock);
	atomic_inc(&an_generation);
	trace_context_close(pid_nr(ctx->owner),
			    atomic_read(&ctx->nr_created) +
			    atomic_read(&ctx->nr_imported));
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

static const char *const an_kind_names[] = {
	[ASCEND_NOTIFY_KIND_NOTIFY] = "notify",
	[ASCEND_NOTIFY_KIND_EVENT] = "event",
	[ASCEND_NOTIFY_KIND_MEM] = "mem",
};

/**
 * an_context_show_fdinfo - /proc/PID/fdinfo/N of the device file
 * @m:		the seq_file of the fdinfo.
 * @ctx:	the file's context.
 *
 * In the "key:\tvalue" style of DRM's fdinfo
 * (Documentation/gpu/drm-usage-stats.rst): the opener (its TGID in the
 * reader's PID namespace, 0 if the reader cannot see it), how many handles
 * the context holds, then a line per handle: its id, the object's kind,
 * device and id, the device the handle is bound to, whether it created or
 * imported the object, whether the key is live, and the bit and the
 * sleeping waiters of a notify or event, or the size of memory. A
 * snapshot: handles come and go while it is read. Takes no lock: handles
 * and objects are read under RCU, as the record/wait path does.
 */
void an_context_show_fdinfo(struct seq_file *m, struct an_context *ctx)
{
	struct pid_namespace *ns = task_active_pid_ns(current);
	struct an_handle *h;
	unsigned long id;

	seq_printf(m, "ascend-owner:\t%d\n", pid_nr_ns(ctx->owner, ns));
	seq_printf(m, "ascend-handles:\t%d\n", atomic_read(&ctx->nr_created) +
		   atomic_read(&ctx->nr_imported));
	rcu_read_lock();
	xa_for_each(&ctx->handles, id, h) {
		struct an_object *obj = h->obj;
		struct an_share *share = READ_ONCE(obj->share);

		seq_printf(m, "ascend-handle:\t%lu kind=%s dev=%u id=%u bound=%u %s %s",
			   id, an_kind_names[obj->kind], obj->dev, obj->id,
			   h->dev, h->creator ? "created" : "imported",
			   share && !READ_ONCE(share->withdrawn) ?
			   "exported" : "private");
		if (an_is_notify(obj))
			seq_printf(m, " set=%d waiters=%d\n",
				   test_bit(AN_NOTIFY_SET, &an_notify(obj)->state),
				   atomic_read(&an_notify(obj)->waiters));
		else
			seq_printf(m, " size=%llu\n", an_mem(obj)->size);
	}
	rcu_read_unlock();
}
