// SPDX-License-Identifier: MIT
/*
 * Streams: in-order task queues, each executed by its own library thread.
 *
 * A task is a record, a wait or a reset of a kernel notify or event, a
 * host function, or a copy or fill of (emulated device) memory. Tasks run
 * strictly in the order they were enqueued, whichever thread executes
 * them: at most one task of a stream runs at a time. When a task fails,
 * its error is kept for the next synchronisation. By default the tasks
 * behind it still run (CANN's default, ACL_CONTINUE_ON_FAILURE); a stream
 * set to ACL_STOP_ON_FAILURE discards them instead, as a device discards a
 * faulted stream's work, and runs new work again once the error was
 * reported by a synchronisation. A queue holds at most AN_STREAM_DEPTH
 * tasks; a caller queuing more blocks until the stream catches up, as
 * CANN's does on a full task queue.
 *
 * Two shortcuts keep the stream thread off the critical path of the usual
 * record/wait/synchronise pattern, where every extra thread hand-off is a
 * wake-up of its own. A record on an idle stream runs inline in the
 * caller: nothing is ahead of it to order against. A wait without timeout
 * queued on an idle stream is parked: the thread is not woken, and the next untimed
 * synchronisation runs the wait itself, so the record in the other
 * process wakes the synchronising thread directly.
 */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "lock.h"

#define NSEC_PER_SEC		1000000000ull
/* Tasks queued and not yet finished, per stream, before a push blocks. */
#define AN_STREAM_DEPTH		1024

enum an_task_kind {
	AN_TASK_RECORD, AN_TASK_WAIT, AN_TASK_RESET, AN_TASK_HOST,
	AN_TASK_MEMCPY, AN_TASK_MEMSET,
	AN_TASK_CALL,	/* library code: callbacks, value ops, host kernels */
};

/**
 * struct an_task - one queued task
 * @hold:	references kept until the task is freed: the notify or event
 *		behind @kh, or the allocations a copy or fill touches.
 * @kh:		RECORD, WAIT, RESET: the kernel handle.
 * @timeout_ns:	WAIT: relative timeout, 0 = forever.
 * @func:	the API call that queued the task, for logs.
 * @done:	RECORD: told the outcome, with @seq, once the task ran or was
 *		discarded (the stream's error then, or 107023 on abort).
 * @gate:	WAIT: when set, the task waits in @gate for record @seq of
 *		@hold[0] instead of waiting on @kh's bit.
 */
struct an_task {
	struct an_task *next;
	enum an_task_kind kind;
	struct an_obj *hold[2];
	uint32_t kh;
	uint64_t timeout_ns;
	const char *func;
	an_record_done_fn done;
	an_wait_gate_fn gate;
	uint64_t seq;
	aclrtHostFunc fn;
	void *arg;
	void *dst;
	const void *src;
	size_t count;
	int value;
	struct an_call *call;	/* CALL: owned, released with the task */
};

/**
 * struct an_stream - one stream
 * @obj:	handle-table head (default streams have no handle).
 * @dev:	the device whose context the stream belongs to; immutable.
 * @is_default:	the default stream of @dev.
 * @lock:	guards the fields below it.
 * @work:	signalled when a task is queued, when a task run by a
 *		synchronising caller ends, or when @stop is set.
 * @progress:	broadcast whenever @completed advances (a system call only
 *		when somebody waits).
 * @head, @tail: queued tasks, oldest first.
 * @submitted:	tasks ever queued (or run inline).
 * @completed:	tasks finished, discarded or cancelled.
 * @error:	first task error since the last synchronisation.
 * @stop_on_failure: ACL_STOP_ON_FAILURE was set (default: continue).
 * @failed:	a task failed on a stop-on-failure stream: discard queued
 *		work until a synchronisation.
 * @running:	a task is executing, in the thread or inline in a
 *		synchronising caller; the thread starts no other task
 *		meanwhile.
 * @parked:	the queue holds exactly one task, a wait without timeout that
 *		was queued on an idle stream, and the thread was not woken
 *		for it. An
 *		untimed synchronisation runs it inline, so the caller sleeps
 *		in the kernel and the record wakes it directly; anything else
 *		that needs it to progress (another task, a query, a timed
 *		synchronisation, destroy) hands it to the thread.
 * @halted:	aclrtStreamStop: no task starts (in the thread, inline or
 *		parked) until aclrtStreamAbort discards the queue; a
 *		synchronisation that would wait for a task fails at once.
 * @stop:	the thread exits once the queue is empty; no task is queued
 *		any more.
 * @spare:	one finished task kept for the next push, so that the usual
 *		wait-then-synchronise costs no allocation; exchanged
 *		atomically, without @lock.
 * @cancel:	abandon the task being executed: fired by a forced destroy,
 *		an abort or a stop, which then wait for the task to end;
 *		cleared by abort and stop afterwards. Its own lock.
 * @thread:	the stream's thread; immutable.
 * @next:	link in an_streams.list, guarded by an_streams.lock.
 * @ctx:	id of the context the stream was created in (0: a default
 *		stream); set before the handle is handed out.
 * @id:		aclrtStreamGetId's answer, also in exception reports;
 *		immutable.
 * @flags, @priority: as given to aclrtCreateStreamWithConfig; immutable.
 */
struct an_stream {
	struct an_obj obj;
	int dev;
	bool is_default;
	struct an_mutex lock;
	struct an_cond work;
	struct an_cond progress;
	struct an_task *head, *tail;
	uint64_t submitted;
	uint64_t completed;
	aclError error;
	bool stop_on_failure;
	bool failed;
	bool running;
	bool parked;
	bool halted;
	bool stop;
	struct an_task *_Atomic spare;
	struct an_cancel cancel;
	pthread_t thread;
	struct an_stream *next;
	int ctx;
	int32_t id;
	uint32_t flags;
	uint32_t priority;
};

/* Every live stream, for per-device synchronisation and teardown. */
static struct {
	pthread_mutex_t lock;
	struct an_stream *list;
} an_streams = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* The stream whose thread the calling thread is, or NULL. */
static _Thread_local const struct an_stream *an_own_stream;

/* Whether the caller is @s's own thread (running one of its tasks). */
static bool an_stream_is_own_thread(const struct an_stream *s)
{
	return an_own_stream == s;
}

int an_stream_device(const struct an_stream *s)
{
	return s->dev;
}

/*
 * Reports a record's outcome @err and frees @t with its references, or
 * keeps it as @s's spare.
 */
static void an_task_free(struct an_stream *s, struct an_task *t,
			 aclError err)
{
	if (t->done)
		t->done(t->hold[0], t->seq, err);
	an_obj_put(t->hold[0]);
	an_obj_put(t->hold[1]);
	if (t->call)
		t->call->release(t->call);
	t = atomic_exchange(&s->spare, t);
	if (t)
		free(t);
}

/* A task to fill: @s's spare, or a new one. */
static struct an_task *an_task_alloc(struct an_stream *s)
{
	struct an_task *t = atomic_exchange(&s->spare, NULL);

	return t ? t : malloc(sizeof(*t));
}

/* ---- cancellation ------------------------------------------------------ */

void an_cancel_init(struct an_cancel *c)
{
	atomic_init(&c->word, 0);
	pthread_mutex_init(&c->lock, NULL);
	c->mutex = NULL;
	c->cond = NULL;
}

void an_cancel_destroy(struct an_cancel *c)
{
	pthread_mutex_destroy(&c->lock);
}

/*
 * The word first, then the wakes, each of which makes its sleeper look at
 * the word again: a kernel wait (ASCEND_NOTIFY_IOC_CANCEL), a value wait
 * (the word is one of its futexes) and a condition-variable wait (its
 * broadcast, under its mutex, so it cannot fall between the waiter's
 * check and its sleep).
 */
void an_cancel_fire(struct an_cancel *c)
{
	atomic_store(&c->word, 1);
	if (an_rt.fd >= 0)
		an_drv_cancel(an_rt.fd);
	syscall(SYS_futex, &c->word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL,
		0);
	pthread_mutex_lock(&c->lock);
	if (c->cond) {
		pthread_mutex_lock(c->mutex);
		pthread_cond_broadcast(c->cond);
		pthread_mutex_unlock(c->mutex);
	}
	pthread_mutex_unlock(&c->lock);
}

void an_cancel_clear(struct an_cancel *c)
{
	atomic_store(&c->word, 0);
}

void an_cancel_cond_enter(struct an_cancel *c, pthread_mutex_t *mutex,
			  pthread_cond_t *cond)
{
	pthread_mutex_lock(&c->lock);
	c->mutex = mutex;
	c->cond = cond;
	pthread_mutex_unlock(&c->lock);
}

void an_cancel_cond_leave(struct an_cancel *c)
{
	pthread_mutex_lock(&c->lock);
	c->mutex = NULL;
	c->cond = NULL;
	pthread_mutex_unlock(&c->lock);
}

int an_wait_kh(uint32_t kh, uint64_t deadline, const _Atomic uint32_t *cancel)
{
	return an_drv_wait(an_rt.fd, kh, deadline, cancel);
}

static aclError run_wait(struct an_stream *s, struct an_task *t)
{
	uint64_t deadline = t->timeout_ns ? an_now_ns() + t->timeout_ns :
					    ASCEND_NOTIFY_FOREVER;
	aclError outcome = ACL_SUCCESS;
	int err = t->gate ? t->gate(t->hold[0], t->seq, deadline, &s->cancel,
				    &outcome) :
			    an_wait_kh(t->kh, deadline, &s->cancel.word);

	switch (err) {
	case 0:
		if (outcome)
			an_log(AN_LOG_ERROR, t->func,
			       "the record waited for was discarded: %d",
			       outcome);
		return outcome;
	case -ECANCELED:
		an_log(AN_LOG_WARN, "aclrtDestroyStreamForce",
		       "abandoning a blocked wait of %s", t->func);
		return ACL_ERROR_RT_STREAM_ABORT;
	case -ETIMEDOUT:
		an_log(AN_LOG_ERROR, t->func, "wait timed out after %llu ms",
		       (unsigned long long)(t->timeout_ns / 1000000));
		return ACL_ERROR_RT_TASK_TIMEOUT;
	default:
		an_log(AN_LOG_ERROR, t->func, "wait task failed: %s",
		       strerror(-err));
		return an_errno_to_acl(err);
	}
}

static aclError run_record(uint32_t kh, const char *func)
{
	int err = an_drv_record(an_rt.fd, kh);

	if (err)
		an_log(AN_LOG_ERROR, func, "record task failed: %s",
		       strerror(-err));
	return an_errno_to_acl(err);
}

static aclError run_reset(uint32_t kh, const char *func)
{
	int err = an_drv_batch_reset(an_rt.fd, &kh, 1);

	if (err)
		an_log(AN_LOG_ERROR, func, "reset task failed: %s",
		       strerror(-err));
	return an_errno_to_acl(err);
}

static aclError run_task(struct an_stream *s, struct an_task *t)
{
	switch (t->kind) {
	case AN_TASK_RECORD:
		return run_record(t->kh, t->func);
	case AN_TASK_WAIT:
		return run_wait(s, t);
	case AN_TASK_RESET:
		return run_reset(t->kh, t->func);
	case AN_TASK_HOST:
		t->fn(t->arg);
		return ACL_SUCCESS;
	case AN_TASK_MEMCPY:
		/* Ranges were checked at enqueue; @hold keeps them mapped. */
		memmove(t->dst, t->src, t->count);
		an_value_wake_range(t->dst, t->count);
		return ACL_SUCCESS;
	case AN_TASK_MEMSET:
		memset(t->dst, t->value, t->count);
		an_value_wake_range(t->dst, t->count);
		return ACL_SUCCESS;
	case AN_TASK_CALL:
		return t->call->run(t->call, &s->cancel);
	}
	return ACL_ERROR_RT_INTERNAL_ERROR;
}

/*
 * Accounts a finished task; called with s->lock held. A synchronisation
 * waits for the tasks queued before it only, so every step counts.
 */
static void an_task_done(struct an_stream *s, aclError err)
{
	if (err && !s->error)
		s->error = err;
	if (err && s->stop_on_failure)
		s->failed = true;
	s->completed++;
	an_cond_broadcast(&s->progress);
}

/* Takes the oldest task off the queue; called with s->lock held. */
static struct an_task *an_stream_pop(struct an_stream *s)
{
	struct an_task *t = s->head;

	s->head = t->next;
	if (!s->head)
		s->tail = NULL;
	s->parked = false;
	return t;
}

/*
 * Runs the oldest task in the calling thread (the stream's, or a
 * synchroniser running a parked wait); called with s->lock held and
 * s->running clear, returns with the lock held. A task behind a failure
 * of a stop-on-failure stream is discarded: a record reports the stream's
 * error to its event.
 */
static void an_stream_run_one(struct an_stream *s)
{
	struct an_task *t = an_stream_pop(s);
	aclError err = s->failed ? s->error : ACL_SUCCESS;
	bool skip = s->failed;
	uint64_t task_id = s->completed;	/* tasks end in order */

	s->running = true;
	an_mutex_unlock(&s->lock);
	if (!skip)
		err = run_task(s, t);
	/* A failed task is reported to the exception callbacks. */
	if (!skip && err && err != ACL_ERROR_RT_STREAM_ABORT)
		an_exception_report(s->dev, s->id, (uint32_t)task_id, err);
	an_task_free(s, t, err);
	an_mutex_lock(&s->lock);
	s->running = false;
	an_task_done(s, skip ? ACL_SUCCESS : err);
	/*
	 * Whatever was queued meanwhile is the thread's to run now, and a
	 * destroy that came meanwhile needs the thread to exit. Otherwise the
	 * thread has nothing to do: waking it would cost every inline wait
	 * two context switches.
	 */
	if ((s->head || s->stop) && !an_stream_is_own_thread(s))
		an_cond_signal(&s->work);
}

static void *an_stream_thread(void *arg)
{
	struct an_stream *s = arg;

	an_own_stream = s;
	an_mutex_lock(&s->lock);
	for (;;) {
		/*
		 * Never start a task while another runs (a parked wait in a
		 * synchroniser): the stream's order is the queue's.
		 */
		while (s->running ||
		       (!s->stop && (!s->head || s->parked || s->halted)))
			an_cond_wait(&s->work, &s->lock, NULL);
		if (!s->head)
			break;
		an_stream_run_one(s);
	}
	an_mutex_unlock(&s->lock);
	/* The thread's own reference: the stream outlives its thread. */
	an_obj_put(&s->obj);
	return NULL;
}

static void an_stream_release(struct an_obj *obj)
{
	struct an_stream *s = (struct an_stream *)obj;

	free(atomic_load(&s->spare));
	an_cancel_destroy(&s->cancel);
	free(s);
}

/* aclrtStreamGetId's numbering, process-wide, from 0. */
static atomic_int an_stream_ids;

aclError an_stream_create(int dev, bool is_default, struct an_stream **out)
{
	struct an_stream *s;

	s = calloc(1, sizeof(*s));
	if (!s)
		return an_fail(ACL_ERROR_RT_MEMORY_ALLOCATION, "out of memory");
	/* The caller's reference and the thread's. */
	atomic_init(&s->obj.refs, 2);
	s->obj.type = AN_OBJ_STREAM;
	s->obj.release = an_stream_release;
	s->dev = dev;
	s->is_default = is_default;
	s->id = atomic_fetch_add(&an_stream_ids, 1);
	an_mutex_init(&s->lock);
	an_cond_init(&s->work);
	an_cond_init(&s->progress);
	an_cancel_init(&s->cancel);
	if (pthread_create(&s->thread, NULL, an_stream_thread, s)) {
		an_stream_release(&s->obj);	/* nobody else saw it */
		return an_fail(ACL_ERROR_RT_MEMORY_ALLOCATION,
			       "cannot start the stream thread");
	}
	pthread_mutex_lock(&an_streams.lock);
	s->next = an_streams.list;
	an_streams.list = s;
	pthread_mutex_unlock(&an_streams.lock);
	*out = s;
	return ACL_SUCCESS;
}

static void an_streams_unlink(struct an_stream *s)
{
	struct an_stream **p;

	pthread_mutex_lock(&an_streams.lock);
	for (p = &an_streams.list; *p; p = &(*p)->next) {
		if (*p == s) {
			*p = s->next;
			break;
		}
	}
	pthread_mutex_unlock(&an_streams.lock);
}

/*
 * Stops the stream's thread, after its queued work (or, with @force,
 * discarding it and abandoning a blocked wait), and drops the caller's
 * reference, which must be the handle table's or the device's.
 *
 * Called from the stream's own thread (a host function resetting its
 * device or finalizing), it cannot wait for itself: the thread is
 * detached and finishes once the host function returns, holding its own
 * reference until then.
 */
void an_stream_destroy(struct an_stream *s, bool force)
{
	struct an_task *t;

	an_streams_unlink(s);
	an_mutex_lock(&s->lock);
	if (force) {
		/*
		 * The dropped work is reported as an abort, to a blocked
		 * synchronisation and to the events it would have recorded.
		 */
		an_cancel_fire(&s->cancel);
		while (s->head) {
			t = an_stream_pop(s);
			an_task_free(s, t, ACL_ERROR_RT_STREAM_ABORT);
			an_task_done(s, ACL_ERROR_RT_STREAM_ABORT);
		}
	}
	s->stop = true;
	an_cond_signal(&s->work);
	/* A caller blocked on the full queue gives up. */
	an_cond_broadcast(&s->progress);
	if (an_stream_is_own_thread(s)) {
		an_mutex_unlock(&s->lock);
		pthread_detach(s->thread);
	} else {
		/* A parked wait may be running inline in a synchroniser. */
		while (s->completed < s->submitted)
			an_cond_wait(&s->progress, &s->lock, NULL);
		an_mutex_unlock(&s->lock);
		pthread_join(s->thread, NULL);
	}
	an_cb_forget(s, force);	/* its subscriptions end */
	an_obj_put(&s->obj);
}

void an_stream_put(struct an_stream *s)
{
	an_obj_put(&s->obj);
}

void an_stream_hold(struct an_stream *s)
{
	an_obj_hold(&s->obj);
}

aclError an_stream_resolve(aclrtStream stream, struct an_stream **out)
{
	struct an_stream *s;
	int dev;

	if (!stream)
		return an_ctx_default_stream(out);
	dev = an_current_device();
	s = (struct an_stream *)an_obj_get(stream, AN_OBJ_STREAM);
	if (!s)
		return an_fail(ACL_ERROR_RT_INVALID_HANDLE,
			       "stream %p is not a live stream", stream);
	if (dev < 0 || s->dev != dev) {
		an_obj_put(&s->obj);
		if (dev < 0)
			return an_fail(ACL_ERROR_RT_CONTEXT_NULL,
				       "no current device");
		return an_fail(ACL_ERROR_RT_STREAM_CONTEXT,
			       "stream of device %d used on device %d",
			       s->dev, dev);
	}
	*out = s;
	return ACL_SUCCESS;
}

/* Hands a parked wait to the thread; called with s->lock held. */
static void an_stream_unpark(struct an_stream *s)
{
	if (s->parked) {
		s->parked = false;
		an_cond_signal(&s->work);
	}
}

/*
 * Waits, with s->lock held, until the queue has room (the stream's own
 * thread never waits for itself); false when the stream is stopping.
 */
static bool an_stream_room(struct an_stream *s)
{
	while (!s->stop && s->submitted - s->completed >= AN_STREAM_DEPTH &&
	       !an_stream_is_own_thread(s)) {
		an_stream_unpark(s);
		an_cond_wait(&s->progress, &s->lock, NULL);
	}
	return !s->stop;
}

/*
 * Refuses a task for a stream whose thread is gone or going: a destroyed
 * stream, or the default stream of a context destroyed meanwhile.
 */
static aclError an_stream_gone(const struct an_stream *s,
			       const struct an_task *t)
{
	if (t->done)
		t->done(t->hold[0], t->seq, ACL_ERROR_RT_STREAM_ABORT);
	an_log(AN_LOG_ERROR, t->func, "%s", s->is_default ?
	       "the context of the default stream was destroyed" :
	       "the stream was destroyed");
	return an_note_error(s->is_default ? ACL_ERROR_RT_CONTEXT_NULL :
					     ACL_ERROR_RT_INVALID_HANDLE);
}

static _Thread_local uint32_t an_last_task_id;

/*
 * Notes aclrtGetThreadLastTaskId's answer, the number (within its stream,
 * from 1) of the last task the thread queued on a stream it created;
 * called with s->lock held after counting the task.
 */
static void an_note_task(const struct an_stream *s)
{
	if (!s->is_default)
		an_last_task_id = (uint32_t)s->submitted;
}

/* Queues @tmpl (copied); takes new references on its @hold objects. */
static aclError an_stream_push(struct an_stream *s, const struct an_task *tmpl)
{
	struct an_task *t;
	aclError err;

	/*
	 * Only a record may run inline; every other task goes to the queue,
	 * whose locked section below checks @stop as well.
	 */
	if (tmpl->kind == AN_TASK_RECORD) {
		an_mutex_lock(&s->lock);
		if (s->stop) {
			an_mutex_unlock(&s->lock);
			return an_stream_gone(s, tmpl);
		}
		if (!s->head && !s->running && !s->failed && !s->halted) {
			/* Idle stream: nothing to order against. */
			s->submitted++;
			an_note_task(s);
			err = run_record(tmpl->kh, tmpl->func);
			if (tmpl->done)
				tmpl->done(tmpl->hold[0], tmpl->seq, err);
			an_task_done(s, err);
			an_mutex_unlock(&s->lock);
			return ACL_SUCCESS;
		}
		an_mutex_unlock(&s->lock);
	}

	t = an_task_alloc(s);
	if (!t) {
		if (tmpl->done)
			tmpl->done(tmpl->hold[0], tmpl->seq,
				   ACL_ERROR_RT_MEMORY_ALLOCATION);
		return an_fail(ACL_ERROR_RT_MEMORY_ALLOCATION, "out of memory");
	}
	*t = *tmpl;
	t->next = NULL;
	if (t->hold[0])
		an_obj_hold(t->hold[0]);
	if (t->hold[1])
		an_obj_hold(t->hold[1]);

	an_mutex_lock(&s->lock);
	if (!an_stream_room(s)) {
		an_mutex_unlock(&s->lock);
		t->done = NULL;
		t->call = NULL;		/* the caller's again, on failure */
		an_task_free(s, t, ACL_SUCCESS);
		return an_stream_gone(s, tmpl);
	}
	if (t->kind == AN_TASK_WAIT && !t->timeout_ns && !s->head &&
	    !s->running && !s->failed && !s->stop && !s->halted) {
		/*
		 * Idle stream: park the wait instead of waking the thread for
		 * it; see @parked. Only a wait without timeout: its outcome
		 * does not depend on when it starts. A timed wait left
		 * parked past its deadline could not tell a record that came
		 * in time from one that came late.
		 */
		s->head = t;
		s->tail = t;
		s->parked = true;
		s->submitted++;
		an_note_task(s);
		an_mutex_unlock(&s->lock);
		return ACL_SUCCESS;
	}
	if (s->tail)
		s->tail->next = t;
	else
		s->head = t;
	s->tail = t;
	s->submitted++;
	an_note_task(s);
	s->parked = false;
	an_cond_signal(&s->work);
	an_mutex_unlock(&s->lock);
	return ACL_SUCCESS;
}

aclError an_stream_record(struct an_stream *s, struct an_obj *obj,
			  uint32_t kh, const char *func, an_record_done_fn done,
			  uint64_t seq)
{
	const struct an_task t = {
		.kind = AN_TASK_RECORD, .hold = { obj }, .kh = kh, .func = func,
		.done = done, .seq = seq,
	};

	return an_stream_push(s, &t);
}

aclError an_stream_wait(struct an_stream *s, struct an_obj *obj, uint32_t kh,
			uint64_t timeout_ns, const char *func)
{
	const struct an_task t = {
		.kind = AN_TASK_WAIT, .hold = { obj }, .kh = kh,
		.timeout_ns = timeout_ns, .func = func,
	};

	return an_stream_push(s, &t);
}

aclError an_stream_wait_gated(struct an_stream *s, struct an_obj *obj,
			      uint32_t kh, uint64_t timeout_ns,
			      const char *func, an_wait_gate_fn gate,
			      uint64_t seq)
{
	const struct an_task t = {
		.kind = AN_TASK_WAIT, .hold = { obj }, .kh = kh,
		.timeout_ns = timeout_ns, .func = func, .gate = gate,
		.seq = seq,
	};

	return an_stream_push(s, &t);
}

aclError an_stream_reset(struct an_stream *s, struct an_obj *obj,
			 uint32_t kh, const char *func)
{
	const struct an_task t = {
		.kind = AN_TASK_RESET, .hold = { obj }, .kh = kh, .func = func,
	};

	return an_stream_push(s, &t);
}

aclError an_stream_host_func(struct an_stream *s, aclrtHostFunc fn,
			     void *arg)
{
	const struct an_task t = {
		.kind = AN_TASK_HOST, .fn = fn, .arg = arg,
		.func = "aclrtLaunchHostFunc",
	};

	return an_stream_push(s, &t);
}

aclError an_stream_memcpy(struct an_stream *s, void *dst, const void *src,
			  size_t count, struct an_obj *a, struct an_obj *b)
{
	const struct an_task t = {
		.kind = AN_TASK_MEMCPY, .hold = { a, b }, .dst = dst,
		.src = src, .count = count, .func = "aclrtMemcpyAsync",
	};

	return an_stream_push(s, &t);
}

aclError an_stream_memset(struct an_stream *s, void *dst, int value,
			  size_t count, struct an_obj *a)
{
	const struct an_task t = {
		.kind = AN_TASK_MEMSET, .hold = { a }, .dst = dst,
		.value = value, .count = count, .func = "aclrtMemsetAsync",
	};

	return an_stream_push(s, &t);
}

/* Library code as a task: callbacks, value operations, host kernels. */
aclError an_stream_call(struct an_stream *s, struct an_call *call,
			struct an_obj *hold)
{
	const struct an_task t = {
		.kind = AN_TASK_CALL, .hold = { hold }, .call = call,
		.func = call->func,
	};
	aclError ret = an_stream_push(s, &t);

	if (ret)
		call->release(call);
	return ret;
}

/*
 * Waits until every task queued before the call has finished, then
 * returns (and clears) the first task error. @timeout_ms < 0 waits forever.
 */
aclError an_stream_sync(struct an_stream *s, int64_t timeout_ms)
{
	struct timespec until;
	uint64_t target;
	aclError ret;

	if (an_stream_is_own_thread(s))
		return an_fail(ACL_ERROR_RT_PARAM_INVALID,
			       "a host function cannot wait for its own stream");
	if (timeout_ms >= 0) {
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += timeout_ms / 1000;
		until.tv_nsec += (timeout_ms % 1000) * 1000000;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
	}
	an_mutex_lock(&s->lock);
	target = s->submitted;
	if (s->parked && !s->halted) {
		/*
		 * An untimed synchronisation was going to sleep until the
		 * stream is idle anyway: it runs the parked wait itself.
		 */
		if (timeout_ms < 0)
			an_stream_run_one(s);
		else
			an_stream_unpark(s);
	}
	while (s->completed < target) {
		if (s->halted) {
			/* What it waits for cannot run: aclrtStreamStop. */
			an_mutex_unlock(&s->lock);
			return an_fail(ACL_ERROR_RT_INTERNAL_ERROR,
				       "the stream is stopped (aclrtStreamStop): abort it");
		}
		if (an_cond_wait(&s->progress, &s->lock,
				 timeout_ms < 0 ? NULL : &until) == ETIMEDOUT &&
		    s->completed < target) {
			an_mutex_unlock(&s->lock);
			return an_fail(ACL_ERROR_RT_STREAM_SYNC_TIMEOUT,
				       "stream not done after %lld ms",
				       (long long)timeout_ms);
		}
	}
	ret = s->error;
	s->error = ACL_SUCCESS;
	s->failed = false;
	an_mutex_unlock(&s->lock);
	return an_note_error(ret);	/* a task's error is the caller's too */
}

/* Snapshot of the streams of @dev, each with a reference; NULL-terminated. */
static struct an_stream **an_streams_of(int dev)
{
	struct an_stream **v, *s;
	size_t n = 0, i = 0;

	pthread_mutex_lock(&an_streams.lock);
	for (s = an_streams.list; s; s = s->next)
		n++;
	v = calloc(n + 1, sizeof(*v));
	if (v) {
		for (s = an_streams.list; s; s = s->next) {
			if (s->dev == dev) {
				an_obj_hold(&s->obj);
				v[i++] = s;
			}
		}
	}
	pthread_mutex_unlock(&an_streams.lock);
	return v;
}

aclError an_streams_sync_device(int dev)
{
	struct an_stream **v = an_streams_of(dev);
	aclError ret = ACL_SUCCESS, err;
	size_t i;

	if (!v)
		return an_fail(ACL_ERROR_RT_MEMORY_ALLOCATION, "out of memory");
	for (i = 0; v[i]; i++) {
		err = an_stream_sync(v[i], -1);
		if (err && !ret)
			ret = err;
		an_obj_put(&v[i]->obj);
	}
	free(v);
	return ret;
}

static bool an_stream_on_device(struct an_obj *obj, int dev)
{
	return ((struct an_stream *)obj)->dev == dev;
}

static void an_stream_destroy_drain(struct an_obj *obj)
{
	an_stream_destroy((struct an_stream *)obj, false);
}

static void an_stream_destroy_force(struct an_obj *obj)
{
	an_stream_destroy((struct an_stream *)obj, true);
}

void an_streams_destroy_device(int dev, bool force)
{
	an_obj_close_each(AN_OBJ_STREAM, an_stream_on_device, dev,
			  force ? an_stream_destroy_force :
				  an_stream_destroy_drain);
}

static bool an_stream_in_ctx(struct an_obj *obj, int ctx)
{
	return ((struct an_stream *)obj)->ctx == ctx;
}

void an_streams_destroy_ctx(int ctx, bool force)
{
	an_obj_close_each(AN_OBJ_STREAM, an_stream_in_ctx, ctx,
			  force ? an_stream_destroy_force :
				  an_stream_destroy_drain);
}

/* The parent's stream threads do not exist in a forked child. */
void an_streams_reset_after_fork(void)
{
	pthread_mutex_init(&an_streams.lock, NULL);
	an_streams.list = NULL;
}

/* ---- the API ------------------------------------------------------------------ */

/*
 * Creates a stream in the calling thread's current context, with the
 * (checked) @flags and @priority of aclrtCreateStreamWithConfig.
 */
static aclError an_create_stream(aclrtStream *stream, uint32_t flags,
				 uint32_t priority)
{
	struct an_stream *s;
	aclError ret;
	void *h;
	int dev, ctx = 0;

	ret = an_rt_ready();
	if (ret)
		return ret;
	dev = an_current_context(&ctx);
	if (dev < 0)
		return an_fail(ACL_ERROR_RT_CONTEXT_NULL,
			       "no current context: call aclrtSetDevice");
	ret = an_stream_create(dev, false, &s);
	if (ret)
		return ret;
	s->ctx = ctx;
	s->flags = flags;
	s->priority = priority;
	h = an_obj_open(&s->obj);
	if (!h) {
		an_stream_destroy(s, true);
		return an_fail(ACL_ERROR_RT_MEMORY_ALLOCATION, "out of memory");
	}
	*stream = h;
	an_log(AN_LOG_DEBUG, __func__, "stream %p on device %d", h, dev);
	an_stream_state_notify(h, true);
	return ACL_SUCCESS;
}

AN_EXPORT aclError aclrtCreateStream(aclrtStream *stream)
{
	if (!stream)
		return an_fail(ACL_ERROR_INVALID_PARAM, "stream is NULL");
	return an_create_stream(stream, 0, AN_STREAM_PRIORITY_DEFAULT);
}

static aclError an_destroy_stream(const char *func, aclrtStream stream,
				  bool force)
{
	struct an_stream *s;
	aclError ret;

	if (!stream) {
		an_log(AN_LOG_ERROR, func, "stream is NULL");
		return ACL_ERROR_INVALID_PARAM;
	}
	ret = an_rt_ready();
	if (ret)
		return ret;
	s = (struct an_stream *)an_obj_get(stream, AN_OBJ_STREAM);
	if (!s) {
		an_log(AN_LOG_ERROR, func, "stream %p is not a live stream",
		       stream);
		return ACL_ERROR_RT_INVALID_HANDLE;
	}
	if (an_stream_is_own_thread(s)) {
		an_obj_put(&s->obj);
		an_log(AN_LOG_ERROR, func,
		       "a host function cannot destroy its own stream");
		return ACL_ERROR_RT_PARAM_INVALID;
	}
	an_obj_put(&s->obj);
	an_stream_state_notify(stream, false);
	s = (struct an_stream *)an_obj_close(stream, AN_OBJ_STREAM);
	if (!s) {
		an_log(AN_LOG_ERROR, func, "stream %p destroyed concurrently",
		       stream);
		return ACL_ERROR_RT_INVALID_HANDLE;
	}
	an_stream_destroy(s, force);
	return ACL_SUCCESS;
}

AN_EXPORT aclError aclrtDestroyStream(aclrtStream stream)
{
	return an_destroy_stream(__func__, stream, false);
}

AN_EXPORT aclError aclrtDestroyStreamForce(aclrtStream stream)
{
	return an_destroy_stream(__func__, stream, true);
}

AN_HOT_PATH AN_EXPORT aclError aclrtSynchronizeStream(aclrtStream stream)
{
	struct an_stream *s;
	aclError ret;

	ret = an_rt_ready() ?: an_stream_resolve(stream, &s);
	if (ret)
		return ret;
	ret = an_stream_sync(s, -1);
	an_stream_put(s);
	return ret;
}

AN_EXPORT aclError aclrtSynchronizeStreamWithTimeout(aclrtStream stream,
						     int32_t timeout)
{
	struct an_stream *s;
	aclError ret;

	if (timeout == 0 || timeout < -1)
		return an_fail(ACL_ERROR_RT_PARAM_INVALID,
			       "timeout %d: -1 or a positive number of ms",
			       timeout);
	ret = an_rt_ready() ?: an_stream_resolve(stream, &s);
	if (ret)
		return ret;
	ret = an_stream_sync(s, timeout);
	an_stream_put(s);
	return ret;
}

AN_EXPORT aclError aclrtStreamQuery(aclrtStream stream,
				    aclrtStreamStatus *status)
{
	struct an_stream *s;
	aclError ret;

	if (!status)
		return an_fail(ACL_ERROR_INVALID_PARAM, "status is NULL");
	ret = an_rt_ready() ?: an_stream_resolve(stream, &s);
	if (ret)
		return ret;
	an_mutex_lock(&s->lock);
	*status = s->completed == s->submitted ? ACL_STREAM_STATUS_COMPLETE :
						 ACL_STREAM_STATUS_NOT_READY;
	/* Whoever polls expects progress without a synchronisation. */
	an_stream_unpark(s);
	an_mutex_unlock(&s->lock);
	an_stream_put(s);
	return ACL_SUCCESS;
}

AN_EXPORT aclError aclrtLaunchHostFunc(aclrtStream stream, aclrtHostFunc fn,
				       void *args)
{
	struct an_stream *s;
	aclError ret;

	if (!fn)
		return an_fail(ACL_ERROR_INVALID_PARAM, "fn is NULL");
	ret = an_rt_ready() ?: an_stream_resolve(stream, &s);
	if (ret)
		return ret;
	/* A stream with a host-function thread hands it over. */
	if (an_cb_subscribed(s, AN_SUB_HOSTFUNC))
		ret = an_cb_launch(s, AN_SUB_HOSTFUNC, fn, args, true);
	else
		ret = an_stream_host_func(s, fn, args);
	an_stream_put(s);
	return ret;
}

AN_EXPORT aclError aclrtSetStreamFailureMode(aclrtStream stream, uint64_t mode)
{
	struct an_stream *s;
	aclError ret;

	if (mode != ACL_CONTINUE_ON_FAILURE && mode != ACL_STOP_ON_FAILURE)
		return an_fail(ACL_ERROR_RT_PARAM_INVALID, "mode %#llx",
			       (unsigned long long)mode);
	ret = an_rt_ready() ?: an_stream_resolve(stream, &s);
	if (ret)
		return ret;
	an_mutex_lock(&s->lock);
	s->stop_on_failure = mode == ACL_STOP_ON_FAILURE;
	an_mutex_unlock(&s->lock);
	an_stream_put(s);
	return ACL_SUCCESS;
}

/* ---- stream configuration and queries ------------------------------ */

/* Hints that change nothing for a stream run by a host thread. */
#define AN_STREAM_HINT_FLAGS \
	(ACL_STREAM_FAST_LAUNCH | ACL_STREAM_FAST_SYNC | ACL_STREAM_HUGE)
/* Flags CANN defines whose meaning the emulation does not provide. */
#define AN_STREAM_UNSUPPORTED_FLAGS \
	(ACL_STREAM_PERSISTENT | ACL_STREAM_CPU_SCHEDULE | \
	 ACL_STREAM_DEVICE_USE_ONLY)

/* Checks @flag and @priority, then creates the stream (@stream not NULL). */
static aclError an_create_stream_config(aclrtStream *stream, uint32_t priority,
					uint64_t flag)
{
	if (flag & ~(uint64_t)(AN_STREAM_HINT_FLAGS |
			       AN_STREAM_UNSUPPORTED_FLAGS))
		return an_fail(ACL_ERROR_RT_PARAM_INVALID, "flag %#llx",
			       (unsigned long long)flag);
	if (flag & AN_STREAM_UNSUPPORTED_FLAGS)
		return an_fail(ACL_ERROR_RT_FEATURE_NOT_SUPPORT,
			       "flag %#llx: not emulated",
			       (unsigned long long)flag);
	if (priority > AN_STREAM_PRIORITY_LEAST)
		return an_fail(ACL_ERROR_RT_PARAM_INVALID,
			       "priority %u out of range %d..%d", priority,
			       AN_STREAM_PRIORITY_GREATEST,
			       AN_STREAM_PRIORITY_LEAST);
	return an_create_stream(stream, (uint32_t)flag, priority);
}

AN_EXPORT aclError aclrtCreateStreamWithConfig(aclrtStream *stream,
					       uint32_t priority, uint32_t flag)
{
	if (!stream)
		return an_fail(ACL_ERROR_INVALID_PARAM, "stream is NULL");
	return an_create_stream_config(stream, priority, flag);
}

/*
 * The stream configuration handle: a plain structure of CANN's header,
 * zeroed at creation (flags 0, priority 0, no work memory).
 */
AN_EXPORT aclrtStreamConfigHandle *aclrtCreateStreamConfigHandle(void)
{
	aclrtStreamConfigHandle *h = calloc(1, sizeof(*h));

	if (!h)
		an_fail(ACL_ERROR_RT_MEMORY_ALLOCATION, "out of memory");
	return h;
}

AN_EXPORT aclError aclrtDestroyStreamConfigHandle(aclrtStreamConfigHandle *handle)
{
	if (!handle)
		return an_fail(ACL_ERROR_INVALID_PARAM, "handle is NULL");
	free(handle);
	return ACL_SUCCESS;
}

AN_EXPORT aclError aclrtSetStreamConfigOpt(aclrtStreamConfigHandle *handle,
					   aclrtStreamConfigAttr attr,
					   const void *attrValue,
					   size_t valueSize)
{
	uint32_t u32;

	if (!handle || !attrValue)
		return an_fail(ACL_ERROR_INVALID_PARAM, "%s is NULL",
			       handle ? "attrValue" : "handle");
	switch (attr) {
	case ACL_RT_STREAM_WORK_ADDR_PTR:
		if (valueSize != sizeof(void *))
			break;
		memcpy(&handle->workptr, attrValue, sizeof(void *));
		return ACL_SUCCESS;
	case ACL_RT_STREAM_WORK_SIZE:
		if (valueSize != sizeof(size_t))
			break;
		memcpy(&handle->workSize, attrValue, sizeof(size_t));
		return ACL_SUCCESS;
	case ACL_RT_STREAM_FLAG:
		/* size_t as CANN's C runtime reads it, or uint32_t as its sample passes. */
		if (valueSize == sizeof(size_t)) {
			memcpy(&handle->flag, attrValue, sizeof(size_t));
			return ACL_SUCCESS;
		}
		if (valueSize != sizeof(uint32_t))
			break;
		memcpy(&u32, attrValue, sizeof(u32));
		handle->flag = u32;
		return ACL_SUCCESS;
	case ACL_RT_STREAM_PRIORITY:
		if (valueSize != sizeof(uint32_t))
			break;
		memcpy(&u32, attrValue, sizeof(u32));
		if (u32 > AN_STREAM_PRIORITY_LEAST)
			return an_fail(ACL_ERROR_INVALID_PARAM,
				       "priority %u out of range %d..%d", u32,
				       AN_STREAM_PRIORITY_GREATEST,
				       AN_STREAM_PRIORITY_LEAST);
		handle->priority = u32;
		return ACL_SUCCESS;
	default:
		return an_fail(ACL_ERROR_INVALID_PARAM, "attr %d", (int)attr);
	}
	return an_fail(ACL_ERROR_INVALID_PARAM, "attr %d: valueSize %zu",
		       (int)attr, valueSize);
}

AN_EXPORT aclError aclrtCreateStreamV2(aclrtStream *stream,
				       const aclrtStreamConfigHandle *handle)
{
	if (!stream)
		return an_fail(ACL_ERROR_INVALID_PARAM, "stream is NULL");
	if (!handle)
		return an_create_stream_config(stream, AN_STREAM_PRIORITY_DEFAULT,
					       0);
	if (handle->workptr || handle->workSize)
		return an_fail(ACL_ERROR_RT_FEATURE_NOT_SUPPORT,
			       "stream work memory (model streams) is not emulated");
	return an_create_stream_config(stream, handle->priority, handle->flag);
}

/*
 * The checks of a stream query (@func): @out is not NULL, the library is
 * initialized, @stream resolves (NULL: the default stream). On success
 * *@sp holds a reference.
 */
static aclError an_stream_query_args(const char *func, aclrtStream stream,
				     const void *out, struct an_stream **sp)
{
	aclError ret;

	if (!out) {
		an_log(AN_LOG_ERROR, func, "output pointer is NULL");
		return ACL_ERROR_INVALID_PARAM;
	}
	ret = an_rt_ready() ?: an_stream_resolve(stream, sp);
	return ret;
}

AN_EXPORT aclError aclrtStreamGetId(aclrtStream stream, int32_t *streamId)
{
	struct an_stream *s;
	aclError ret = an_stream_query_args(__func__, stream, streamId, &s);

	if (ret)
		return ret;
	*streamId = s->id;
	an_stream_put(s);
	return ACL_SUCCESS;
}

AN_EXPORT aclError aclrtStreamGetFlags(aclrtStream stream, uint32_t *flags)
{
	struct an_stream *s;
	aclError ret = an_stream_query_args(__func__, stream, flags, &s);

	if (ret)
		return ret;
	*flags = s->flags;
	an_stream_put(s);
	return ACL_SUCCESS;
}

AN_EXPORT aclError aclrtStreamGetPriority(aclrtStream stream,
					  uint32_t *priority)
{
	struct an_stream *s;
	aclError ret = an_stream_query_args(__func__, stream, priority, &s);

	if (ret)
		return ret;
	*priority = s->priority;
	an_stream_put(s);
	return ACL_SUCCESS;
}

AN_EXPORT aclError aclrtGetThreadLastTaskId(uint32_t *taskId)
{
	if (!taskId)
		return an_fail(ACL_ERROR_INVALID_PARAM, "taskId is NULL");
	*taskId = an_last_task_id;
	return ACL_SUCCESS;
}

/*
 * The stream aclrtStreamStop or aclrtStreamAbort acts on, referenced: not
 * the default stream, and not from a task of its own.
 */
static aclError an_stream_control(aclrtStream stream, const char *what,
				  struct an_stream **out)
{
	struct an_stream *s;
	aclError ret;

	if (!stream)
		return an_fail(ACL_ERROR_INVALID_PARAM,
			       "stream is NULL: the default stream cannot be %s",
			       what);
	ret = an_rt_ready() ?: an_stream_resolve(stream, &s);
	if (ret)
		return ret;
	if (an_stream_is_own_thread(s)) {
		an_stream_put(s);
		return an_fail(ACL_ERROR_RT_PARAM_INVALID,
			       "a host function cannot act on its own stream");
	}
	*out = s;
	return ACL_SUCCESS;
}

/*
 * Discards the queued tasks and abandons the running one (a blocked wait
 * at once, through the stream's cancel word; a host function is not
 * interrupted, the call waits for it). Tasks queued meanwhile are discarded as well. Each ends
 * with ACL_ERROR_RT_STREAM_ABORT, which the next synchronisation reports;
 * the stream then runs new work again.
 */
AN_EXPORT aclError aclrtStreamAbort(aclrtStream stream)
{
	struct an_stream *s;
	struct an_task *t;
	bool hit = false;
	aclError ret;

	ret = an_stream_control(stream, "aborted", &s);
	if (ret)
		return ret;
	an_mutex_lock(&s->lock);
	an_cancel_fire(&s->cancel);
	for (;;) {
		while (s->head) {
			t = an_stream_pop(s);
			an_task_free(s, t, ACL_ERROR_RT_STREAM_ABORT);
			an_task_done(s, ACL_ERROR_RT_STREAM_ABORT);
			hit = true;
		}
		if (!s->running)
			break;
		hit = true;
		an_cond_wait(&s->progress, &s->lock, NULL);
	}
	/* What ran was abandoned: report the abort, not its own error. */
	if (hit)
		s->error = ACL_ERROR_RT_STREAM_ABORT;
	an_cancel_clear(&s->cancel);
	/* A stopped stream runs new work again. */
	s->halted = false;
	an_cond_signal(&s->work);
	an_mutex_unlock(&s->lock);
	an_stream_put(s);
	return ACL_SUCCESS;
}

/*
 * Abandons the running task, as aclrtStreamAbort does, but keeps the
 * queue: the stream starts nothing until aclrtStreamAbort discards it. A
 * synchronisation that would wait for a queued task fails at once with
 * ACL_ERROR_RT_INTERNAL_ERROR, as CANN's sample shows
 * (example/1_basic_features/stream/1_stream_with_failure_mode/README.md).
 */
AN_EXPORT aclError aclrtStreamStop(aclrtStream stream)
{
	struct an_stream *s;
	aclError ret;

	ret = an_stream_control(stream, "stopped", &s);
	if (ret)
		return ret;
	an_mutex_lock(&s->lock);
	s->halted = true;
	an_cancel_fire(&s->cancel);
	while (s->running)
		an_cond_wait(&s->progress, &s->lock, NULL);
	an_cancel_clear(&s->cancel);
	/* Synchronisations already waiting give up now. */
	an_cond_broadcast(&s->progress);
	an_mutex_unlock(&s->lock);
	an_stream_put(s);
	return ACL_SUCCESS;
}
