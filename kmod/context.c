// SPDX-License-Identifier: GPL-2.0
/*
 * ascend_notify - per-open-file contexts
 *
 * A context is one open file: its owner, its user, the peer access it
 * enabled and its handle table (handle.c).
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

/* Every open context, for the netlink PROC_GET dump. */
static DEFINE_MUTEX(an_contexts_lock);
static LIST_HEAD(an_contexts);

/**
 * an_context_for_each - call @fn on every open context, in opening order
 * @fn:		called with the context and @arg; a non-zero return stops
 *		the walk.
 * @arg:	passed to @fn.
 *
 * Locks: holds an_contexts_lock across the whole walk, so a context @fn
 * is given stays open until @fn returns; @fn may sleep but must take no
 * lock of the module. May sleep.
 *
 * Return: what the last call of @fn returned, or 0.
 */
int an_context_for_each(int (*fn)(struct an_context *ctx, void *arg),
			void *arg)
{
	struct an_context *ctx;
	int ret = 0;

	might_sleep();
	mutex_lock(&an_contexts_lock);
	list_for_each_entry(ctx, &an_contexts, node) {
		ret = fn(ctx, arg);
		if (ret)
			break;
	}
	mutex_unlock(&an_contexts_lock);
	return ret;
}

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
