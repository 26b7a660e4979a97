// SPDX-License-Identifier: MIT
/*
 * Callbacks run by user threads: aclrtSubscribeReport/aclrtLaunchCallback/
 * aclrtProcessReport/aclrtUnSubscribeReport, and the host-function flavour
 * aclrtSubscribeHostFunc/aclrtProcessHostFunc/aclrtUnSubscribeHostFunc,
 * which hands a stream's aclrtLaunchHostFunc tasks to a user thread.
 *
 * A subscription binds one stream to one user thread (its pthread_t as a
 * uint64_t, as CANN's samples pass it), per kind; a thread may serve many
 * streams. A callback is a stream task (an_stream_call): when the stream
 * reaches it, it looks up the stream's thread at that moment, queues the
 * callback for it and, for a blocking callback, waits until that thread
 * ran it, so the tasks behind it wait too. No thread subscribed by then
 * (unsubscribed after the launch) fails the task with
 * ACL_ERROR_RT_STREAM_NO_CB_REG, reported by the next synchronisation.
 * A callback already handed to a thread stays queued for it: its next
 * aclrtProcessReport runs it even after an unsubscribe.
 *
 * The subscribed thread's aclrtProcessReport waits for its first queued
 * callback (timeout in ms, -1 forever) and runs every callback queued for
 * it, in order, with no library lock held: a callback may call the API.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

/**
 * struct an_sub - one stream bound to one thread
 * @s:		the stream, referenced while the binding lasts.
 * @tid:	the thread.
 * @kind:	reports or host functions.
 */
struct an_sub {
	struct an_sub *next;
	struct an_stream *s;
	uint64_t tid;
	enum an_sub_kind kind;
};

/**
 * struct an_cb - one callback
 * @obj:	references: the stream task's, and the queue's while queued.
 * @s:		the stream it was launched on (compared, never dereferenced).
 * @tid:	the thread it was handed to.
 * @done:	it ran; guarded by an_cbs.lock.
 */
struct an_cb {
	struct an_obj obj;
	struct an_call call;
	struct an_cb *next;
	struct an_stream *s;
	enum an_sub_kind kind;
	void (*fn)(void *);
	void *arg;
	bool block;
	uint64_t tid;
	bool done;
};

/*
 * @lock guards everything here; @cond is broadcast when a callback is
 * queued or has run.
 */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool cond_ready;
	struct an_sub *subs;
	struct an_cb *head, *tail;
} an_cbs = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* The API names of each kind, for logs. */
static const char *const an_sub_names[AN_SUB_KINDS] = {
	[AN_SUB_REPORT] = "aclrtLaunchCallback",
	[AN_SUB_HOSTFUNC] = "aclrtLaunchHostFunc",
};

/* The cond uses CLOCK_MONOTONIC; set up once, lock held. */
static void an_cbs_init(void)
{
	pthread_condattr_t attr;

	if (an_cbs.cond_ready)
		return;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&an_cbs.cond, &attr);
	pthread_condattr_destroy(&attr);
	an_cbs.cond_ready = true;
}

static void an_cb_release(struct an_obj *obj)
{
	free(obj);
}

/* The binding of @s for @kind (by stream, or by @tid too); lock held. */
static struct an_sub **an_sub_find(struct an_stream *s, enum an_sub_kind kind,
				   const uint64_t *tid)
{
	struct an_sub **pp;

	for (pp = &an_cbs.subs; *pp; pp = &(*pp)->next)
		if ((*pp)->s == s && (*pp)->kind == kind &&
		    (!tid || (*pp)->tid == *tid))
			break;
	return pp;
}

bool an_cb_subscribed(struct an_stream *s, enum an_sub_kind kind)
{
	bool ret;

	pthread_mutex_lock(&an_cbs.lock);
	ret = *an_sub_find(s, kind, NULL) != NULL;
	pthread_mutex_unlock(&an_cbs.lock);
	return ret;
}

void an_cb_forget(struct an_stream *s, bool force)
{
	struct an_sub **pp = &an_cbs.subs, *sub, *gone = NULL;
	struct an_cb **cp, *cb, *prev = NULL, *dropped = NULL;

	pthread_mutex_lock(&an_cbs.lock);
	while ((sub = *pp)) {
		if (sub->s == s) {
			*pp = sub->next;
			sub->next = gone;
			gone = sub;
		} else {
			pp = &sub->next;
		}
	}
	for (cp = &an_cbs.head; force && (cb = *cp);) {
		if (cb->s == s) {
			*cp = cb->next;
			cb->next = dropped;
			dropped = cb;
		} else {
			prev = cb;
			cp = &cb->next;
		}
	}
	if (force)
		an_cbs.tail = prev;	/* the last one kept */
	/* A report thread waiting for it looks again whether it serves any. */
	if (gone && an_cbs.cond_ready)
		pthread_cond_broadcast(&an_cbs.cond);
	pthread_mutex_unlock(&an_cbs.lock);
	while ((sub = gone)) {
		gone = sub->next;
		an_stream_put(sub->s);
		free(sub);
	}
	while ((cb = dropped)) {
		dropped = cb->next;
		an_obj_put(&cb->obj);
	}
}

/* The stream task: hand the callback to the stream's thread. */
static aclError an_cb_task(struct an_call *call, struct an_cancel *cancel)
{
	struct an_cb *cb = an_container_of(call, struct an_cb, call);
	struct an_sub *sub;
	aclError ret = ACL_SUCCESS;

	pthread_mutex_lock(&an_cbs.lock);
	an_cbs_init();
	sub = *an_sub_find(cb->s, cb->kind, NULL);
	if (!sub) {
		pthread_mutex_unlock(&an_cbs.lock);
		an_log(AN_LOG_ERROR, an_sub_names[cb->kind],
		       "no thread is subscribed to the stream any more");
		return ACL_ERROR_RT_STREAM_NO_CB_REG;
	}
	cb->tid = sub->tid;
	an_obj_hold(&cb->obj);		/* the queue's */
	if (an_cbs.tail)
		an_cbs.tail->next = cb;
	else
		an_cbs.head = cb;
	an_cbs.tail = cb;
	pthread_cond_broadcast(&an_cbs.cond);
	if (!cb->block) {
		pthread_mutex_unlock(&an_cbs.lock);
		return ACL_SUCCESS;
	}
	/*
	 * Until it ran, or the stream is destroyed by force: the cancel
	 * broadcasts the cond (registered before the lock is taken again).
	 */
	pthread_mutex_unlock(&an_cbs.lock);
	an_cancel_cond_enter(cancel, &an_cbs.lock, &an_cbs.cond);
	pthread_mutex_lock(&an_cbs.lock);
	while (!cb->done) {
		if (an_cancelled(cancel)) {
			ret = ACL_ERROR_RT_STREAM_ABORT;
			break;
		}
		pthread_cond_wait(&an_cbs.cond, &an_cbs.lock);
	}
	pthread_mutex_unlock(&an_cbs.lock);
	an_cancel_cond_leave(cancel);
	return ret;
}

/* The task is freed: drop its reference. */
static void an_cb_task_release(struct an_call *call)
{
	an_obj_put(&an_container_of(call, struct an_cb, call)->obj);
}

aclError an_cb_launch(struct an_stream *s, enum an_sub_kind kind,
		      void (*fn)(void *), void *arg, bool block)
{
	struct an_cb *cb;

	if (!an_cb_subscribed(s, kind))
		return an_fail(ACL_ERROR_RT_STREAM_NO_CB_REG,
			       "no thread subscribed to the stream: call aclrtSubscribe%s",
			       kind == AN_SUB_REPORT ? "Report" : "HostFunc");
	cb = calloc(1, sizeof(*cb));
	if (!cb)
		return an_fail(ACL_ERROR_RT_MEMORY_ALLOCATION, "out of memory");
	atomic_init(&cb->obj.refs, 1);
	cb->obj.release = an_cb_release;
	cb->s = s;
	cb->kind = kind;
	cb->fn = fn;
	cb->arg = arg;
	cb->block = block;
	cb->call.run = an_cb_task;
	cb->call.release = an_cb_task_release;
	cb->call.func = an_sub_names[kind];
	/* The task takes over our reference. */
	return an_stream_call(s, &cb->call, NULL);
}

/* Takes the oldest callback queued for @tid of @kind off; lock held. */
static struct an_cb *an_cb_pop(uint64_t tid, enum an_sub_kind kind)
{
	struct an_cb **pp, *cb, *prev = NULL;

	for (pp = &an_cbs.head; (cb = *pp); prev = cb, pp = &cb->next) {
		if (cb->tid == tid && cb->kind == kind) {
			*pp = cb->next;
			if (an_cbs.tail == cb)
				an_cbs.tail = prev;
			cb->next = NULL;
			return cb;
		}
	}
	return NULL;
}

static bool an_thread_subscribed(uint64_t tid, enum an_sub_kind kind)
{
	struct an_sub *sub;

	for (sub = an_cbs.subs; sub; sub = sub->next)
		if (sub->tid == tid && sub->kind == kind)
			return true;
	return false;
}

/* Does @tid serve, for @kind, a stream of another device than @s? */
static bool an_thread_on_other_device(uint64_t tid, enum an_sub_kind kind,
				      struct an_stream *s)
{
	struct an_sub *sub;

	for (sub = an_cbs.subs; sub; sub = sub->next)
		if (sub->tid == tid && sub->kind == kind &&
		    an_stream_device(sub->s) != an_stream_device(s))
			return true;
	return false;
}

/* aclrtProcessReport and aclrtProcessHostFunc. */
static aclError an_process(const char *func, enum an_sub_kind kind,
			   int32_t timeout)
{
	uint64_t tid = (uint64_t)pthread_self();
	struct timespec until;
	struct an_cb *cb;
	bool ran = false, expired = false;
	aclError ret;

	if (timeout == 0 || timeout < -1) {
		an_log(AN_LOG_ERROR, func, "timeout %d: -1 or > 0 ms",
		       timeout);
		return ACL_ERROR_RT_PARAM_INVALID;
	}
	ret = an_rt_ready();
	if (ret)
		return ret;
	clock_gettime(CLOCK_MONOTONIC, &until);
	if (timeout > 0) {
		until.tv_sec += timeout / 1000;
		until.tv_nsec += (long)(timeout % 1000) * 1000000;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
	}
	pthread_mutex_lock(&an_cbs.lock);
	an_cbs_init();
	for (;;) {
		cb = an_cb_pop(tid, kind);
		if (cb) {
			pthread_mutex_unlock(&an_cbs.lock);
			cb->fn(cb->arg);
			pthread_mutex_lock(&an_cbs.lock);
			cb->done = true;
			pthread_cond_broadcast(&an_cbs.cond);
			an_obj_put(&cb->obj);
			ran = true;
			continue;
		}
		if (ran)
			break;
		if (!an_thread_subscribed(tid, kind)) {
			an_log(AN_LOG_ERROR, func,
			       "the calling thread is subscribed to no stream");
			ret = ACL_ERROR_RT_THREAD_SUBSCRIBE;
			break;
		}
		if (expired) {
			an_log(AN_LOG_ERROR, func,
			       "no callback within %d ms", timeout);
			ret = ACL_ERROR_RT_REPORT_TIMEOUT;
			break;
		}
		if (timeout < 0)
			pthread_cond_wait(&an_cbs.cond, &an_cbs.lock);
		else
			/* Look once more after the deadline, then give up. */
			expired = pthread_cond_timedwait(&an_cbs.cond,
							 &an_cbs.lock,
							 &until) == ETIMEDOUT;
	}
	pthread_mutex_unlock(&an_cbs.lock);
	return ret;
}

/* aclrtSubscribe* and aclrtUnSubscribe*: bind or unbind @tid and @stream. */
static aclError an_subscribe(const char *func, enum an_sub_kind kind,
			     uint64_t tid, aclrtStream stream, bool bind)
{
	struct an_sub **pp, *sub = NULL;
	struct an_stream *s;
	aclError ret;

	ret = an_rt_ready() ?: an_stream_resolve(stream, &s);
	if (ret)
		return ret;
	if (bind) {
		sub = calloc(1, sizeof(*sub));
		if (!sub) {
			an_stream_put(s);
			return an_fail(ACL_ERROR_RT_MEMORY_ALLOCATION,
				       "out of memory");
		}
	}
	pthread_mutex_lock(&an_cbs.lock);
	pp = an_sub_find(s, kind, bind ? NULL : &tid);
	if (bind && an_thread_on_other_device(tid, kind, s)) {
		/* CANN: one thread serves the streams of one device. */
		ret = ACL_ERROR_RT_THREAD_SUBSCRIBE;
	} else if (bind && !*pp) {
		sub->s = s;		/* keeps the caller's reference */
		sub->tid = tid;
		sub->kind = kind;
		sub->next = an_cbs.subs;
		an_cbs.subs = sub;
		s = NULL;
		sub = NULL;
	} else if (!bind && *pp) {
		sub = *pp;
		*pp = sub->next;
		/* As in an_cb_forget: the thread may serve no stream now. */
		if (an_cbs.cond_ready)
			pthread_cond_broadcast(&an_cbs.cond);
	} else {
		ret = ACL_ERROR_RT_STREAM_SUBSCRIBE;
	}
	pthread_mutex_unlock(&an_cbs.lock);
	if (ret)
		an_log(AN_LOG_ERROR, func, "%s",
		       ret == ACL_ERROR_RT_THREAD_SUBSCRIBE ?
		       "the thread serves streams of another device" : bind ?
		       "the stream already has a subscribed thread" :
		       "the thread is not subscribed to the stream");
	if (sub && !bind) {
		an_stream_put(sub->s);
		free(sub);
	} else {
		free(sub);
	}
	if (s)
		an_stream_put(s);
	return ret;
}

AN_EXPORT aclError aclrtSubscribeReport(uint64_t threadId, aclrtStream stream)
{
	return an_subscribe(__func__, AN_SUB_REPORT, threadId, stream, true);
}

AN_EXPORT aclError aclrtUnSubscribeReport(uint64_t threadId,
					  aclrtStream stream)
{
	return an_subscribe(__func__, AN_SUB_REPORT, threadId, stream, false);
}

AN_EXPORT aclError aclrtProcessReport(int32_t timeout)
{
	return an_process(__func__, AN_SUB_REPORT, timeout);
}

AN_EXPORT aclError aclrtSubscribeHostFunc(uint64_t hostFuncThreadId,
					  aclrtStream exeStream)
{
	return an_subscribe(__func__, AN_SUB_HOSTFUNC, hostFuncThreadId,
			    exeStream, true);
}

AN_EXPORT aclError aclrtUnSubscribeHostFunc(uint64_t hostFuncThreadId,
					    aclrtStream exeStream)
{
	return an_subscribe(__func__, AN_SUB_HOSTFUNC, hostFuncThreadId,
			    exeStream, false);
}

AN_EXPORT aclError aclrtProcessHostFunc(int32_t timeout)
{
	return an_process(__func__, AN_SUB_HOSTFUNC, timeout);
}

AN_EXPORT aclError aclrtLaunchCallback(aclrtCallback fn, void *userData,
				       aclrtCallbackBlockType blockType,
				       aclrtStream stream)
{
	struct an_stream *s;
	aclError ret;

	if (!fn)
		return an_fail(ACL_ERROR_INVALID_PARAM, "fn is NULL");
	if (blockType != ACL_CALLBACK_BLOCK &&
	    blockType != ACL_CALLBACK_NO_BLOCK)
		return an_fail(ACL_ERROR_INVALID_PARAM, "blockType %d",
			       (int)blockType);
	ret = an_rt_ready() ?: an_stream_resolve(stream, &s);
	if (ret)
		return ret;
	ret = an_cb_launch(s, AN_SUB_REPORT, fn, userData,
			   blockType == ACL_CALLBACK_BLOCK);
	an_stream_put(s);
	return ret;
}

/* ---- task failures: the exception callbacks ---------------------------------- */

/* The fields CANN's accessors read (its rtExceptionInfo has more). */
struct rtExceptionInfo {
	uint32_t taskid;
	uint32_t streamid;
	uint32_t tid;
	uint32_t deviceid;
	uint32_t retcode;
};

/* CANN's answer for a NULL info (src/acl/aclrt_impl/callback.cpp). */
#define AN_INVALID_EXCEPTION_INFO	0xFFFFFFFFu
/* aclrtSetExceptionInfoCallback's slot, then the registered ones. */
#define AN_EXC_MAX			16

/* @lock guards @fn; slot 0 is aclrtSetExceptionInfoCallback's. */
static struct {
	pthread_mutex_t lock;
	aclrtExceptionInfoCallback fn[AN_EXC_MAX];
} an_exc = { .lock = PTHREAD_MUTEX_INITIALIZER };

void an_exception_report(int dev, uint32_t stream_id, uint32_t task_id,
			 aclError err)
{
	aclrtExceptionInfoCallback fn[AN_EXC_MAX];
	struct rtExceptionInfo info = {
		.taskid = task_id, .streamid = stream_id,
		.tid = (uint32_t)gettid(), .deviceid = (uint32_t)dev,
		.retcode = (uint32_t)err,
	};
	size_t i;

	pthread_mutex_lock(&an_exc.lock);
	memcpy(fn, an_exc.fn, sizeof(fn));
	pthread_mutex_unlock(&an_exc.lock);
	for (i = 0; i < AN_EXC_MAX; i++)
		if (fn[i])
			fn[i](&info);
}

/*
 * Stores @cb in slot 0 (@set), or in a free registered slot, or clears
 * its registered slot (@cb NULL with @old).
 */
static aclError an_exc_slot(aclrtExceptionInfoCallback cb, bool set,
			    aclrtExceptionInfoCallback old)
{
	aclError ret = ACL_SUCCESS;
	size_t i, free_slot = 0;

	pthread_mutex_lock(&an_exc.lock);
	if (set) {
		an_exc.fn[0] = cb;
		goto out;
	}
	for (i = 1; i < AN_EXC_MAX; i++) {
		if (an_exc.fn[i] == (cb ? cb : old)) {
			an_exc.fn[i] = cb;	/* registered again, or removed */
			goto out;
		}
		if (!an_exc.fn[i] && !free_slot)
			free_slot = i;
	}
	if (cb && free_slot)
		an_exc.fn[free_slot] = cb;
	else if (cb)
		ret = ACL_ERROR_RT_MEMORY_ALLOCATION;
out:
	pthread_mutex_unlock(&an_exc.lock);
	return ret;
}

AN_EXPORT aclError aclrtSetExceptionInfoCallback(
	aclrtExceptionInfoCallback callback)
{
	return an_exc_slot(callback, true, NULL);
}

AN_EXPORT aclError aclrtExceptionInfoCallbackRegister(
	aclrtExceptionInfoCallback callback)
{
	if (!callback)
		return an_fail(ACL_ERROR_RT_PARAM_INVALID, "callback is NULL");
	if (an_exc_slot(callback, false, NULL))
		return an_fail(ACL_ERROR_RT_MEMORY_ALLOCATION,
			       "%d callbacks registered already", AN_EXC_MAX - 1);
	return ACL_SUCCESS;
}

AN_EXPORT aclError aclrtExceptionInfoCallbackUnregister(
	aclrtExceptionInfoCallback callback)
{
	if (!callback)
		return an_fail(ACL_ERROR_RT_PARAM_INVALID, "callback is NULL");
	return an_exc_slot(NULL, false, callback);
}

/* The accessors: one field each, CANN's answer for NULL. */
#define AN_EXC_GETTER(name, field)					\
AN_EXPORT uint32_t name(const aclrtExceptionInfo *info)			\
{									\
	return info ? info->field : AN_INVALID_EXCEPTION_INFO;		\
}

AN_EXC_GETTER(aclrtGetTaskIdFromExceptionInfo, taskid)
AN_EXC_GETTER(aclrtGetStreamIdFromExceptionInfo, streamid)
AN_EXC_GETTER(aclrtGetThreadIdFromExceptionInfo, tid)
AN_EXC_GETTER(aclrtGetDeviceIdFromExceptionInfo, deviceid)
AN_EXC_GETTER(aclrtGetErrorCodeFromExceptionInfo, retcode)

/*
 * The failed kernel's arguments and function. A host kernel cannot fail
 * (it returns void), so no exception here comes from a kernel: CANN
 * answers ACL_ERROR_INVALID_EXCEPTION_INFO for an exception of another
 * type (src/acl/aclrt_impl/callback.cpp), as for a NULL info.
 */
static aclError an_exc_kernel(const char *func, const aclrtExceptionInfo *info,
			      const void *out)
{
	if (!info) {
		an_log(AN_LOG_ERROR, func, "info is NULL");
		return (aclError)AN_INVALID_EXCEPTION_INFO;
	}
	if (!out)
		return an_fail(ACL_ERROR_INVALID_PARAM, "an output is NULL");
	an_log(AN_LOG_ERROR, func,
	       "the failed task (%u) is not a kernel", info->taskid);
	return (aclError)AN_INVALID_EXCEPTION_INFO;
}

AN_EXPORT aclError aclrtGetArgsFromExceptionInfo(const aclrtExceptionInfo *info,
						 void **devArgsPtr,
						 uint32_t *devArgsLen)
{
	return an_exc_kernel(__func__, info,
			     devArgsPtr && devArgsLen ? devArgsPtr : NULL);
}

AN_EXPORT aclError aclrtGetFuncHandleFromExceptionInfo(
	const aclrtExceptionInfo *info, aclrtFuncHandle *func)
{
	return an_exc_kernel(__func__, info, func);
}

/* ---- stream state callbacks ---------------------------------------------------- */

#define AN_STATE_MAX	16

/* @lock guards @cb; a slot is free when its @name is NULL. */
static struct {
	pthread_mutex_t lock;
	struct an_state_cb {
		char *name;
		aclrtStreamStateCallback fn;
		void *args;
	} cb[AN_STATE_MAX];
} an_state = { .lock = PTHREAD_MUTEX_INITIALIZER };

void an_stream_state_notify(aclrtStream stream, bool create)
{
	struct an_state_cb cb[AN_STATE_MAX];
	size_t i;

	pthread_mutex_lock(&an_state.lock);
	memcpy(cb, an_state.cb, sizeof(cb));
	pthread_mutex_unlock(&an_state.lock);
	for (i = 0; i < AN_STATE_MAX; i++)
		if (cb[i].name)
			cb[i].fn(stream, create ? ACL_RT_STREAM_STATE_CREATE_POST :
					  ACL_RT_STREAM_STATE_DESTROY_PRE,
				 cb[i].args);
}

AN_EXPORT aclError aclrtRegStreamStateCallback(const char *regName,
					       aclrtStreamStateCallback callback,
					       void *args)
{
	struct an_state_cb *slot = NULL, *same = NULL;
	aclError ret = ACL_SUCCESS;
	char *gone = NULL, *name;
	size_t i;

	if (!regName)
		return an_fail(ACL_ERROR_INVALID_PARAM, "regName is NULL");
	name = callback ? strdup(regName) : NULL;
	if (callback && !name)
		return an_fail(ACL_ERROR_RT_MEMORY_ALLOCATION, "out of memory");
	pthread_mutex_lock(&an_state.lock);
	for (i = 0; i < AN_STATE_MAX; i++) {
		if (an_state.cb[i].name &&
		    !strcmp(an_state.cb[i].name, regName))
			same = &an_state.cb[i];
		else if (!an_state.cb[i].name && !slot)
			slot = &an_state.cb[i];
	}
	if (!callback) {
		/* NULL unregisters the name (CANN: whether or not it was). */
		if (same) {
			gone = same->name;
			same->name = NULL;
		}
	} else if (same) {
		ret = ACL_ERROR_RT_PARAM_INVALID;
	} else if (!slot) {
		ret = ACL_ERROR_RT_MEMORY_ALLOCATION;
	} else {
		slot->name = name;
		slot->fn = callback;
		slot->args = args;
		name = NULL;
	}
	pthread_mutex_unlock(&an_state.lock);
	free(gone);
	free(name);
	if (ret)
		an_log(AN_LOG_ERROR, __func__, "%s", same ?
		       "the name is registered already" :
		       "too many stream state callbacks");
	return ret;
}

/* ---- fork -------------------------------------------------------------------- */

/*
 * In a forked child: the parent's streams and report threads do not exist
 * there, so neither do their subscriptions and queued callbacks (their
 * memory is left behind, as the parent's streams' is). Registered
 * exception and stream state callbacks stay.
 */
void an_cb_reset_after_fork(void)
{
	pthread_mutex_init(&an_cbs.lock, NULL);
	an_cbs.cond_ready = false;
	an_cbs.subs = NULL;
	an_cbs.head = NULL;
	an_cbs.tail = NULL;
	pthread_mutex_init(&an_exc.lock, NULL);
	pthread_mutex_init(&an_state.lock, NULL);
}
