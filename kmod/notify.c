// SPDX-License-Identifier: GPL-2.0
/*
 * ascend_notify - notifies and events
 *
 * A notify is one bit and a wait queue. Record sets the bit and wakes one
 * waiter; wait-and-reset consumes the bit with test_and_clear_bit(), so one
 * record releases exactly one wait and records coalesce while the bit is
 * set. Neither takes a lock unless a waiter has to sleep, and then only the
 * notify's wait-queue lock.
 *
 * An event is the same object with another kind: its waiters queue
 * non-exclusively, so the same wake_up() releases all of them, and a wait
 * only tests the bit; a reset clears it. A record completes every wait that
 * was already under way when it happened, even if a reset clears the bit
 * before a woken waiter runs: each waiter notes the record count when it
 * starts and leaves as soon as the count moves. An event's wait works from
 * any device, a notify's only from its own.
 */
#include <linux/hrtimer.h>
#include <linux/nsproxy.h>
#include <linux/sched/signal.h>
#include <linux/time_namespace.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "internal.h"
#include "trace.h"

static struct kmem_cache *an_notify_cache;

int an_notify_cache_init(void)
{
	an_notify_cache = KMEM_CACHE(an_notify, SLAB_ACCOUNT);
	return an_notify_cache ? 0 : -ENOMEM;
}

void an_notify_cache_exit(void)
{
	kmem_cache_destroy(an_notify_cache);
}

unsigned int an_notify_size(void)
{
	return kmem_cache_size(an_notify_cache);
}

/* ---- lifetimes ---------------------------------------------------------- */

/* The last reference went: leave the device's registry. */
void an_notify_release(struct an_notify *n)
{
	struct an_device *d = an_device(n->obj.dev);

	xa_erase(&d->notifies, n->obj.id);
}

/* After the RCU grace period. */
void an_notify_free(struct an_notify *n)
{
	kmem_cache_free(an_notify_cache, n);
}

/* A handle of @n died: its waiters must see it. */
void an_notify_kill(struct an_notify *n)
{
	if (wq_has_sleeper(&n->wq))
		wake_up_all(&n->wq);
}

/* A new notify or event on @d, registered under a free id. */
static struct an_notify *an_notify_alloc(struct an_context *ctx,
					 struct an_device *d, u32 flags)
{
	struct an_notify *n;
	int ret;

	n = kmem_cache_zalloc(an_notify_cache, GFP_KERNEL_ACCOUNT);
	if (!n)
		return ERR_PTR(-ENOMEM);
	n->flags = flags;
	init_waitqueue_head(&n->wq);
	an_object_init(&n->obj, ctx, flags & ASCEND_NOTIFY_CREATE_EVENT ?
			ASCEND_NOTIFY_KIND_EVENT : ASCEND_NOTIFY_KIND_NOTIFY,
			d->id);
	/*
	 * Initialised before it is stored: a netlink dump may find and pin it
	 * at once. The id space is the per-device limit; full is -EBUSY.
	 */
	ret = xa_alloc(&d->notifies, &n->obj.id, n,
		       XA_LIMIT(0, an_max_notifies - 1), GFP_KERNEL_ACCOUNT);
	if (ret) {
		u32 kind = n->obj.kind;

		an_object_abort(&n->obj);
		kmem_cache_free(an_notify_cache, n);
		if (ret != -EBUSY)
			return ERR_PTR(ret);
		an_event_limit(ctx, d->id, kind,
			       ASCEND_NOTIFY_LIMIT_DEV_NOTIFIES);
		return ERR_PTR(-ENOSPC);
	}
	atomic64_inc(&d->created);
	return n;
}

/* ---- record, wait, reset ----------------------------------------------- */

/*
 * Takes the bit for a notify's wait. For an event's, sees it set, or sees
 * that a record happened since the wait began (@seq: the record count
 * then): the bit may have been reset since, but that record completes
 * this wait.
 */
static bool an_notify_take(struct an_notify *n, bool event, s64 seq)
{
	if (!event)
		return test_and_clear_bit(AN_NOTIFY_SET, &n->state);
	return test_bit(AN_NOTIFY_SET, &n->state) ||
	       atomic64_read(&n->records) != seq;
}

/*
 * The caller's cancel word: nonzero ends the wait. Read with the task
 * running (get_user() may fault and sleep), never after prepare_to_wait().
 */
static int an_wait_cancelled(u32 __user *cancel)
{
	u32 word;

	if (!cancel)
		return 0;
	if (get_user(word, cancel))
		return -EFAULT;
	return word ? -ECANCELED : 0;
}

/*
 * Sleeps until the bit can be taken, the deadline passes, a signal arrives,
 * the handle is destroyed or the caller's cancel word is set. A notify's
 * wait consumes the bit; its waiters queue exclusively so a record wakes
 * one of them, and one that leaves without the bit while the bit is set
 * may have taken a record's wake-up, so it passes the wake-up on. An
 * event's wait only looks at the bit and the record count, and its waiters
 * queue non-exclusively: a record wakes every one, and completes each,
 * whatever happens to the bit after.
 *
 * The record count is read after prepare_to_wait() (a full barrier), and a
 * recorder bumps it before wq_has_sleeper() (another): either the recorder
 * sees this waiter on the queue and wakes it, or the waiter sees the count.
 *
 * Cancellation has the same shape. The canceller stores its word, then
 * ASCEND_NOTIFY_IOC_CANCEL bumps @ctx->cancel_gen (fully ordered) and
 * wakes every queue its handles reach. Each round reads the generation,
 * then the word, then queues itself and reads the generation again: the
 * word read sees the store, or the second generation read sees the bump
 * (and the round starts over, reading the word anew), or the bump came
 * after this task was queued and the wake-up finds it. A set bit, and an
 * event's record, win over the word: they are checked first.
 */
static int an_notify_wait_bit(struct an_context *ctx, struct an_notify *n,
			      struct an_handle *h, u64 deadline_ns,
			      u32 __user *cancel)
{
	bool event = h->kind == ASCEND_NOTIFY_KIND_EVENT;
	bool forever = deadline_ns >= KTIME_MAX;
	ktime_t deadline = ns_to_ktime(deadline_ns);
	s64 seq = atomic64_read(&n->records);
	bool expired = false;
	DEFINE_WAIT(wait);
	s64 gen;
	int ret;

	might_sleep();
	if (an_notify_take(n, event, seq))
		return 0;

	atomic_inc(&n->waiters);
	for (;;) {
		gen = atomic64_read_acquire(&ctx->cancel_gen);
		ret = an_wait_cancelled(cancel);
		if (ret)
			break;
		if (event)
			prepare_to_wait(&n->wq, &wait, TASK_INTERRUPTIBLE);
		else
			prepare_to_wait_exclusive(&n->wq, &wait,
						  TASK_INTERRUPTIBLE);
		if (an_notify_take(n, event, seq)) {
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
		if (atomic64_read(&ctx->cancel_gen) != gen) {
			/* A CANCEL since the word was read: read it again. */
			__set_current_state(TASK_RUNNING);
			continue;
		}
		if (forever)
			schedule();
		else
			expired = !schedule_hrtimeout(&deadline,
						      HRTIMER_MODE_ABS);
		/*
		 * Woken, most likely by a record, whose wake-up took us off
		 * the queue: the bit is taken without the queue's lock, and
		 * finish_wait() then need not take it either. The recorder
		 * may still hold it, waking us.
		 */
		if (an_notify_take(n, event, seq)) {
			ret = 0;
			break;
		}
	}
	finish_wait(&n->wq, &wait);
	atomic_dec(&n->waiters);

	if (ret && !event && test_bit(AN_NOTIFY_SET, &n->state))
		wake_up(&n->wq);
	return ret;
}

/**
 * an_ioctl_record - ASCEND_NOTIFY_IOC_RECORD: set the handle's bit
 * @ctx: the caller's context
 * @arg: user pointer to struct ascend_notify_handle_arg
 *
 * Locks: none; takes @n->wq.lock (via wake_up) only when a waiter sleeps.
 * See Documentation/uapi.rst, "RECORD".
 *
 * Return: 0, or a negative errno listed there.
 */
long an_ioctl_record(struct an_context *ctx, void __user *arg)
{
	struct ascend_notify_handle_arg args;
	struct an_handle *h;
	struct an_notify *n;

	if (copy_from_user(&args, arg, sizeof(args)))
		return -EFAULT;
	if (args.flags)
		return -EINVAL;
	h = an_handle_get_kind(ctx, args.handle, true);
	if (!h)
		return -ENOENT;
	n = an_notify(h->obj);
	trace_notify_record(&n->obj);
	/*
	 * The count first: an event's waiter that sees it move is complete
	 * (see an_notify_wait_bit()). A record onto a set bit coalesces:
	 * nobody new to wake. An event's waiters queue non-exclusively, so
	 * this wakes them all.
	 */
	atomic64_inc(&n->records);
	if (!test_and_set_bit(AN_NOTIFY_SET, &n->state) &&
	    wq_has_sleeper(&n->wq))
		wake_up(&n->wq);
	an_handle_put(h);
	return 0;
}

/*
 * The caller's absolute CLOCK_MONOTONIC deadline on the host's clock. A
 * process in a time namespace reads CLOCK_MONOTONIC shifted by the
 * namespace's offset; futex and clock_nanosleep undo that with
 * timens_ktime_to_host(), which modules cannot call, so this does the
 * same: a deadline before the offset has passed, one beyond KTIME_MAX
 * once shifted is forever, and U64_MAX stays forever.
 */
static u64 an_deadline_to_host(u64 deadline_ns)
{
#ifdef CONFIG_TIME_NS
	s64 off = timespec64_to_ns(&current->nsproxy->time_ns->offsets.monotonic);

	if (!off || deadline_ns >= KTIME_MAX)
		return deadline_ns;
	if (off > 0)
		return deadline_ns < off ? 0 : deadline_ns - off;
	return deadline_ns > KTIME_MAX + off ? U64_MAX : deadline_ns - off;
#else
	return deadline_ns;
#endif
}

/**
 * an_ioctl_wait - ASCEND_NOTIFY_IOC_WAIT: sleep until the handle's bit is set
 * @ctx: the caller's context
 * @arg: user pointer to struct ascend_notify_wait
 *
 * Ends early on the deadline, a signal, a destroy of the handle, or the
 * caller's cancel word (see an_ioctl_cancel()).
 *
 * Locks: takes @n->wq.lock (via prepare_to_wait); sleeps.
 * See Documentation/uapi.rst, "WAIT".
 *
 * Return: 0, or a negative errno listed there.
 */
long an_ioctl_wait(struct an_context *ctx, void __user *arg)
{
	struct ascend_notify_wait args;
	u32 __user *cancel;
	struct an_handle *h;
	struct an_notify *n;
	long ret;

	might_sleep();
	if (copy_from_user(&args, arg, sizeof(args)))
		return -EFAULT;
	if (args.flags)
		return -EINVAL;
	cancel = u64_to_user_ptr(args.cancel);
	if (cancel && !access_ok(cancel, sizeof(*cancel)))
		return -EFAULT;
	h = an_handle_get_kind(ctx, args.handle, true);
	if (!h)
		return -ENOENT;
	n = an_notify(h->obj);
	/*
	 * Only a notify's own device waits on it; importers elsewhere
	 * record. An event is waited on from any device.
	 */
	if (h->kind == ASCEND_NOTIFY_KIND_NOTIFY && h->dev != n->obj.dev) {
		ret = -EXDEV;
	} else {
		u64 deadline = an_deadline_to_host(args.deadline_ns);
		/* The clock is read only for a tracer that asked for it. */
		u64 start = trace_notify_wait_end_enabled() ? ktime_get_ns() : 0;

		trace_notify_wait_start(&n->obj, deadline);
		ret = an_notify_wait_bit(ctx, n, h, deadline, cancel);
		trace_notify_wait_end(&n->obj, ret,
				      start ? ktime_get_ns() - start : 0);
		if (!ret) {
			atomic64_inc(&n->waits);
		} else if (ret == -ETIMEDOUT) {
			atomic64_inc(&n->timeouts);
			an_event(ASCEND_NOTIFY_EVENT_TIMEOUT, &n->obj, h->owner,
				 0, 0);
		}
	}
	an_handle_put(h);
	return ret;
}

/**
 * an_ioctl_cancel - ASCEND_NOTIFY_IOC_CANCEL: make the context's waits
 *	read their cancel words again
 * @ctx: the caller's context
 * @arg: user pointer to struct ascend_notify_cancel
 *
 * Bumps @ctx->cancel_gen, then wakes every notify and event queue that a
 * handle of @ctx reaches. Objects are shared: waiters of other contexts
 * see a spurious wake-up and sleep again. O(handles), but rare (a forced
 * stream destroy, an abort, aclFinalize).
 *
 * Locks: takes each object's wq.lock (via wake_up_all) in turn, no other;
 * may sleep (cond_resched()).
 * See Documentation/uapi.rst, "CANCEL".
 *
 * Return: 0, or a negative errno listed there.
 */
long an_ioctl_cancel(struct an_context *ctx, void __user *arg)
{
	struct ascend_notify_cancel args;
	struct an_handle *h;
	unsigned long id;
	void *entry;

	might_sleep();
	if (copy_from_user(&args, arg, sizeof(args)))
		return -EFAULT;
	if (args.flags || args.pad)
		return -EINVAL;
	/* Fully ordered: after the caller's store of its word. */
	atomic64_inc_return(&ctx->cancel_gen);
	xa_for_each(&ctx->handles, id, entry) {
		h = an_handle_get_kind(ctx, id, true);
		if (h) {
			wake_up_all(&an_notify(h->obj)->wq);
			an_handle_put(h);
		}
		cond_resched();
	}
	return 0;
}

/**
 * an_ioctl_batch_reset - ASCEND_NOTIFY_IOC_BATCH_RESET: clear the bits of many notifies
 * @ctx: the caller's context
 * @arg: user pointer to struct ascend_notify_batch
 *
 * Locks: none: the handles are looked up under RCU, the bits cleared with
 * atomic bitops; may sleep.
 * See Documentation/uapi.rst, "ASCEND_NOTIFY_IOC_BATCH_RESET".
 *
 * Return: 0, or a negative errno listed there.
 */
long an_ioctl_batch_reset(struct an_context *ctx, void __user *arg)
{
	struct ascend_notify_batch args;
	struct an_handle **hs;
	u32 *ids, i, got = 0;
	long ret = 0;

	might_sleep();
	if (copy_from_user(&args, arg, sizeof(args)))
		return -EFAULT;
	if (args.flags || !args.count)
		return -EINVAL;
	if (args.count > ASCEND_NOTIFY_BATCH_MAX)
		return -E2BIG;

	/*
	 * The caller sizes these: a failure is its ENOMEM to handle, not a
	 * kernel warning with a stack trace.
	 */
	ids = kvmalloc_array(args.count, sizeof(*ids),
			     GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	hs = kvmalloc_array(args.count, sizeof(*hs),
			    GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
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
		hs[got] = an_handle_get_kind(ctx, ids[got], true);
		if (!hs[got]) {
			ret = -ENOENT;
			goto out_put;
		}
		if (READ_ONCE(an_device(hs[got]->obj->dev)->is_virtual) ||
		    READ_ONCE(an_device(hs[got]->dev)->is_virtual)) {
			an_handle_put(hs[got]);
			ret = -EOPNOTSUPP;
			goto out_put;
		}
	}
	for (i = 0; i < args.count; i++) {
		clear_bit(AN_NOTIFY_SET, &an_notify(hs[i]->obj)->state);
		trace_notify_reset(hs[i]->obj);
	}

out_put:
	while (got)
		an_handle_put(hs[--got]);
out_free:
	kvfree(hs);
	kvfree(ids);
	return ret;
}

/* ---- create --------------------------------------------------------------- */

/**
 * an_ioctl_create - ASCEND_NOTIFY_IOC_CREATE: a new notify or event and its handle
 * @ctx: the caller's context
 * @arg: user pointer to struct ascend_notify_create
 *
 * Locks: the xarray lock of the device's registry (the id), then that of
 * @ctx's handles (reserve, publish); the reply is copied out with no lock
 * held; may sleep.
 * See Documentation/uapi.rst, "ASCEND_NOTIFY_IOC_CREATE".
 *
 * Return: 0, or a negative errno listed there.
 */
long an_ioctl_create(struct an_context *ctx, void __user *arg)
{
	struct ascend_notify_create args;
	struct an_device *d;
	struct an_notify *n;
	struct an_handle *h;
	long ret;

	might_sleep();
	if (copy_from_user(&args, arg, sizeof(args)))
		return -EFAULT;
	if (args.flags & ~(ASCEND_NOTIFY_CREATE_DEVICE_ONLY |
			   ASCEND_NOTIFY_CREATE_EVENT))
		return -EINVAL;
	d = an_device(args.dev);
	if (!d)
		return -ENODEV;

	/* The user's share of the device first, then the device's ids. */
	ret = an_user_charge(ctx, d->id, AN_RES_NOTIFIES, 1,
			     args.flags & ASCEND_NOTIFY_CREATE_EVENT ?
			     ASCEND_NOTIFY_KIND_EVENT : ASCEND_NOTIFY_KIND_NOTIFY);
	if (ret)
		return ret;
	n = an_notify_alloc(ctx, d, args.flags);
	if (IS_ERR(n)) {
		ret = PTR_ERR(n);
		goto err_uncharge;
	}
	/* From here the notify owns that charge; the handle has its own. */
	h = an_handle_alloc(ctx, &n->obj, d->id, true);
	if (IS_ERR(h)) {
		ret = PTR_ERR(h);
		goto err_put;
	}
	args.id = n->obj.id;
	ret = an_handle_reserve(ctx, arg, &args, sizeof(args), &args.handle);
	if (ret)
		goto err_discard;
	/* Before publishing: from then on another thread may destroy it. */
	trace_obj_create(&n->obj);
	an_event(ASCEND_NOTIFY_EVENT_CREATE, &n->obj, ctx->owner, 0, 0);
	an_handle_publish(ctx, args.handle, h);
	return 0;

err_discard:
	an_handle_discard(ctx, h);
err_put:
	an_object_put(&n->obj);
	return ret;
	/* Before the notify existed, the charge was still the caller's. */
err_uncharge:
	an_user_uncharge(ctx->user, d->id, AN_RES_NOTIFIES, 1);
	return ret;
}
