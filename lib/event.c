// SPDX-License-Identifier: MIT
/*
 * The aclrt*Event* calls. An event is a kernel object of kind EVENT: one
 * bit that a record sets (waking every waiter), a wait leaves set, and a
 * reset clears. Record, wait and reset are stream tasks; query reads the
 * bit; synchronize waits for it from the calling thread, with the event's
 * dead flag as the wait's cancel word, so that destroying the event or
 * finalizing the library ends it at once.
 *
 * Captures: CANN's aclrtRecordEvent captures the tasks already queued on
 * its stream, and each record replaces the previous capture; query and
 * synchronize concern the latest one. A handle therefore numbers the
 * records queued through it and hears from the stream how each ended
 * (an_event_record_done): query reports complete once the latest record
 * ran, synchronize waits for that and returns the error of a stream that
 * discarded the record instead of waiting forever. An event with no
 * record since it was created or last reset has captured nothing and is
 * complete (CANN). An opened IPC event cannot know about its exporter's
 * records, so with none of its own only the bit counts. A stream wait
 * concerns the latest capture too (issue 20 item 4): queued after a
 * record of this handle, it waits for that record to end
 * (an_event_wait_gate), not for the bit, which an earlier record may have
 * left set. Queued when nothing is captured (never recorded, reset, or an
 * opened IPC event), it waits for the bit, which is what lets one record
 * release streams (and processes) that started waiting before it.
 *
 * Destroying an event whose record is still queued is allowed (CANN: its
 * resources go when it completes): the kernel object then lives until the
 * last queued record has run.
 *
 * IPC events: aclrtIpcGetEventHandle exports the kernel object without a
 * trustlist (CANN has no PID step for IPC events) and hands out the key as
 * the 64-byte aclrtIpcEventHandle; aclrtIpcOpenEventHandle imports it.
 * CANN refuses reset on IPC events; so does this file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

/* Flags each creator takes. */
#define AN_EVENT_FLAGS	(ACL_EVENT_SYNC | ACL_EVENT_CAPTURE_STREAM_PROGRESS | \
			 ACL_EVENT_TIME_LINE | ACL_EVENT_DEVICE_USE_ONLY | \
			 ACL_EVENT_EXTERNAL)
#define AN_EVENT_FLAGS_EX (AN_EVENT_FLAGS | ACL_EVENT_IPC)

_Static_assert(sizeof(aclrtIpcEventHandle) >= ASCEND_NOTIFY_KEY_LEN,
	       "an IPC event handle carries a key");

/**
 * struct an_event - an event handle of this process
 * @obj:	handle-table head.
 * @kh:		the kernel handle in an_rt.fd.
 * @dev:	the event's device (the creator's).
 * @handle_dev:	the device this handle is bound to.
 * @flags:	creation flags (0 for an opened IPC event).
 * @ipc:	created with ACL_EVENT_IPC, or opened from a handle.
 * @opened:	from aclrtIpcOpenEventHandle.
 * @dead:	nonzero once the handle was destroyed: host-side waits stop.
 *		The cancel word of a kernel wait on @kh from a synchronising
 *		thread (ASCEND_NOTIFY_IOC_CANCEL wakes it).
 * @lock:	guards the fields below it.
 * @done:	broadcast when a record ends or the handle is destroyed.
 * @seq:	records ever queued through this handle.
 * @latest:	the number of the record holding the current capture; 0
 *		when nothing was captured since creation or the last reset.
 * @done_seq:	the highest-numbered record that ended, and @done_err its
 *		outcome (0, or the error of the stream that discarded it).
 * @done_ns:	when record @done_seq executed (CLOCK_MONOTONIC); 0 when it
 *		was discarded. Read by the timing calls.
 * @pending:	records queued and not yet ended.
 * @kh_gone:	@kh was destroyed already (else the release does it).
 * @exported:	aclrtIpcGetEventHandle ran; @key holds the key.
 */
struct an_event {
	struct an_obj obj;
	uint32_t kh;
	int dev;
	int handle_dev;
	uint32_t flags;
	bool ipc;
	bool opened;
	_Atomic uint32_t dead;
	pthread_mutex_t lock;
	pthread_cond_t done;
	uint64_t seq;
	uint64_t latest;
	uint64_t done_seq;
	aclError done_err;
	uint64_t done_ns;
	uint32_t pending;
	bool kh_gone;
	bool exported;
	char key[ASCEND_NOTIFY_KEY_LEN];
};

static void an_event_release(struct an_obj *obj)
{
	struct an_event *e = (struct an_event *)obj;

	if (!e->kh_gone)
		an_drv_destroy(an_rt.fd, e->kh);
	pthread_cond_destroy(&e->done);
	pthread_mutex_destroy(&e->lock);
	free(e);
}

/* Wraps kernel handle @kh in a new API handle; destroys @kh on failure. */
static aclError an_event_open(const char *func, uint32_t kh, uint32_t flags,
			      bool opened, aclrtEvent *out)
{
	struct ascend_notify_info info;
	pthread_condattr_t attr;
	struct an_event *e;
	int err;

	err = an_drv_info(an_rt.fd, kh, &info);
	e = err ? NULL : calloc(1, sizeof(*e));
	if (e) {
		atomic_init(&e->obj.refs, 1);
		e->obj.type = AN_OBJ_EVENT;
		e->obj.release = an_event_release;
		e->kh = kh;
		e->dev = (int)info.dev;
		e->handle_dev = (int)info.handle_dev;
		e->flags = flags;
		e->opened = opened;
		e->ipc = opened || (flags & ACL_EVENT_IPC);
		atomic_init(&e->dead, 0);
		pthread_mutex_init(&e->lock, NULL);
		pthread_condattr_init(&attr);
		pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
		pthread_cond_init(&e->done, &attr);
		pthread_condattr_destroy(&attr);
		*out = an_obj_open(&e->obj);
		if (*out) {
			an_log(AN_LOG_DEBUG, func,
			       "event %u of device %d on device %d: %p",
			       info.id, e->dev, e->handle_dev, *out);
			return ACL_SUCCESS;
		}
		e->kh_gone = true;	/* destroyed just below */
		an_event_release(&e->obj);
	}
	an_drv_destroy(an_rt.fd, kh);
	if (err)
		an_log(AN_LOG_ERROR, func, "event query: %s", strerror(-err));
	return err ? an_errno_to_acl(err) :
		     an_fail(ACL_ERROR_RT_MEMORY_ALLOCATION, "out of memory");
}

/* A reference to the event behind @event, or an error in *@ret. */
static struct an_event *an_event_get(const char *func, aclrtEvent event,
				     aclError *ret)
{
	struct an_event *e;

	*ret = an_rt_ready();
	if (*ret)
		return NULL;
	if (!event) {
		an_log(AN_LOG_ERROR, func, "event is NULL");
		*ret = ACL_ERROR_INVALID_PARAM;
		return NULL;
	}
	e = (struct an_event *)an_obj_get(event, AN_OBJ_EVENT);
	if (!e) {
		an_log(AN_LOG_ERROR, func, "event %p is not a live event",
		       event);
		*ret = ACL_ERROR_RT_INVALID_HANDLE;
	}
	return e;
}

static void an_event_put(struct an_event *e)
{
	an_obj_put(&e->obj);
}

/*
 * Ends the handle: host-side waits stop. The kernel handle is closed now
 * (its waiters wake, queued waits fail) unless a record is still queued:
 * then the last reference, the record's, closes it once it ran.
 */
static void an_event_kill(struct an_obj *obj)
{
	struct an_event *e = (struct an_event *)obj;
	bool now;

	pthread_mutex_lock(&e->lock);
	atomic_store(&e->dead, 1);
	now = !e->pending;
	e->kh_gone = now;
	pthread_cond_broadcast(&e->done);
	pthread_mutex_unlock(&e->lock);
	/* A destroyed handle ends its kernel waits; a kept one is cancelled. */
	if (now)
		an_drv_destroy(an_rt.fd, e->kh);
	else
		an_drv_cancel(an_rt.fd);
	an_obj_put(obj);
}

/* an_record_done_fn of event records. */
static void an_event_record_done(struct an_obj *obj, uint64_t seq,
				 aclError err)
{
	struct an_event *e = (struct an_event *)obj;

	pthread_mutex_lock(&e->lock);
	if (seq > e->done_seq) {
		e->done_seq = seq;
		e->done_err = err;
		/* The record just executed: its timestamp. */
		e->done_ns = err ? 0 : an_now_ns();
	}
	e->pending--;
	pthread_cond_broadcast(&e->done);
	pthread_mutex_unlock(&e->lock);
}

static bool an_event_on_device(struct an_obj *obj, int dev)
{
	return ((struct an_event *)obj)->handle_dev == dev;
}

void an_events_destroy_device(int dev)
{
	an_obj_close_each(AN_OBJ_EVENT, an_event_on_device, dev,
			  an_event_kill);
}

static aclError an_create_event(const char *func, aclrtEvent *event,
				uint32_t flag, uint32_t allowed)
{
	aclError ret;
	uint32_t kh;
	int dev, err;

	if (!event) {
		an_log(AN_LOG_ERROR, func, "event is NULL");
		return ACL_ERROR_INVALID_PARAM;
	}
	ret = an_rt_ready();
	if (ret)
		return ret;
	/* IPC and EXTERNAL events take no other flag. */
	if ((flag & ~allowed) ||
	    ((flag & ACL_EVENT_IPC) && flag != ACL_EVENT_IPC) ||
	    ((flag & ACL_EVENT_EXTERNAL) && flag != ACL_EVENT_EXTERNAL)) {
		an_log(AN_LOG_ERROR, func, "flag %#x", flag);
		return ACL_ERROR_RT_PARAM_INVALID;
	}
	ret = an_need_device(&dev);
	if (ret)
		return ret;
	err = an_drv_create(an_rt.fd, dev, ASCEND_NOTIFY_CREATE_EVENT, &kh);
	if (err) {
		an_log(AN_LOG_ERROR, func, "create: %s", strerror(-err));
		return an_errno_to_acl(err);
	}
	return an_event_open(func, kh, flag, false, event);
}

AN_EXPORT aclError aclrtCreateEvent(aclrtEvent *event)
{
	return an_create_event(__func__, event, ACL_EVENT_SYNC, AN_EVENT_FLAGS);
}

AN_EXPORT aclError aclrtCreateEventWithFlag(aclrtEvent *event, uint32_t flag)
{
	return an_create_event(__func__, event, flag, AN_EVENT_FLAGS);
}

AN_EXPORT aclError aclrtCreateEventExWithFlag(aclrtEvent *event,
					      uint32_t flag)
{
	return an_create_event(__func__, event, flag, AN_EVENT_FLAGS_EX);
}

AN_EXPORT aclError aclrtDestroyEvent(aclrtEvent event)
{
	struct an_obj *obj;
	aclError ret;

	ret = an_ready_arg(event);
	if (ret)
		return ret;
	obj = an_obj_close(event, AN_OBJ_EVENT);
	if (!obj)
		return an_fail(ACL_ERROR_RT_INVALID_HANDLE,
			       "event %p is not a live event", event);
	an_event_kill(obj);
	return ACL_SUCCESS;
}

/* Resolves the event and the stream of a stream-task call. */
static aclError an_event_task_args(const char *func, aclrtEvent event,
				   aclrtStream stream, struct an_event **e,
				   struct an_stream **s)
{
	aclError ret;

	*e = an_event_get(func, event, &ret);
	if (!*e)
		return ret;
	ret = an_stream_resolve(stream, s);
	if (ret) {
		an_event_put(*e);
		*e = NULL;
	}
	return ret;
}

static aclError an_record_event(const char *func, aclrtEvent event,
				 aclrtStream stream)
{
	struct an_stream *s;
	struct an_event *e;
	aclError ret;

	uint64_t seq;

	ret = an_event_task_args(func, event, stream, &e, &s);
	if (ret)
		return ret;
	pthread_mutex_lock(&e->lock);
	if (atomic_load(&e->dead)) {
		/* Destroyed since the lookup: its kernel handle may be gone. */
		pthread_mutex_unlock(&e->lock);
		ret = an_fail(ACL_ERROR_RT_INVALID_HANDLE,
			      "event %p was destroyed meanwhile", event);
		goto out;
	}
	seq = ++e->seq;
	e->latest = seq;
	e->pending++;
	pthread_mutex_unlock(&e->lock);
	ret = an_stream_record(s, &e->obj, e->kh, func,
			       an_event_record_done, seq);
out:
	an_stream_put(s);
	an_event_put(e);
	return ret;
}

AN_EXPORT aclError aclrtRecordEvent(aclrtEvent event, aclrtStream stream)
{
	return an_record_event(__func__, event, stream);
}

AN_EXPORT aclError aclrtResetEvent(aclrtEvent event, aclrtStream stream)
{
	struct an_stream *s;
	struct an_event *e;
	aclError ret;

	ret = an_event_task_args(__func__, event, stream, &e, &s);
	if (ret)
		return ret;
	if (e->ipc) {
		ret = an_fail(ACL_ERROR_RT_FEATURE_NOT_SUPPORT,
			      "an IPC event cannot be reset");
	} else {
		pthread_mutex_lock(&e->lock);
		e->latest = 0;
		pthread_mutex_unlock(&e->lock);
		ret = an_stream_reset(s, &e->obj, e->kh, __func__);
	}
	an_stream_put(s);
	an_event_put(e);
	return ret;
}

/*
 * an_wait_gate_fn of stream waits queued after a record: ends when record
 * @seq, or a later one, ended; *@outcome is then the error of a stream
 * that discarded it (the waiting stream's task fails with it). A record's
 * end and the handle's destroy broadcast @e->done, and so does a cancel of
 * the waiting stream (an_cancel_cond_enter()).
 */
static int an_event_wait_gate(struct an_obj *obj, uint64_t seq,
			      uint64_t deadline_ns, struct an_cancel *cancel,
			      aclError *outcome)
{
	struct an_event *e = (struct an_event *)obj;
	struct timespec ts = {
		.tv_sec = (time_t)(deadline_ns / 1000000000ull),
		.tv_nsec = (long)(deadline_ns % 1000000000ull),
	};
	int err = 0;

	an_cancel_cond_enter(cancel, &e->lock, &e->done);
	pthread_mutex_lock(&e->lock);
	while (e->done_seq < seq) {
		if (an_cancelled(cancel)) {
			err = -ECANCELED;
			break;
		}
		if (deadline_ns == ASCEND_NOTIFY_FOREVER) {
			pthread_cond_wait(&e->done, &e->lock);
		} else if (pthread_cond_timedwait(&e->done, &e->lock, &ts) ==
			   ETIMEDOUT && e->done_seq < seq) {
			err = -ETIMEDOUT;
			break;
		}
	}
	if (!err)
		*outcome = e->done_err;
	pthread_mutex_unlock(&e->lock);
	an_cancel_cond_leave(cancel);
	return err;
}

static aclError an_stream_wait_event(const char *func, aclrtStream stream,
				     aclrtEvent event, uint64_t timeout_ns)
{
	struct an_stream *s;
	struct an_event *e;
	uint64_t latest;
	aclError ret;

	ret = an_event_task_args(func, event, stream, &e, &s);
	if (ret)
		return ret;
	pthread_mutex_lock(&e->lock);
	latest = e->latest;
	pthread_mutex_unlock(&e->lock);
	if (latest)
		ret = an_stream_wait_gated(s, &e->obj, e->kh, timeout_ns, func,
					   an_event_wait_gate, latest);
	else
		ret = an_stream_wait(s, &e->obj, e->kh, timeout_ns, func);
	an_stream_put(s);
	an_event_put(e);
	return ret;
}

AN_EXPORT aclError aclrtStreamWaitEvent(aclrtStream stream, aclrtEvent event)
{
	return an_stream_wait_event(__func__, stream, event, 0);
}

AN_EXPORT aclError aclrtStreamWaitEventWithTimeout(aclrtStream stream,
						   aclrtEvent event,
						   int32_t timeout)
{
	/* CANN: seconds, >= 0, and 0 never times out. */
	if (timeout < 0)
		return an_fail(ACL_ERROR_RT_PARAM_INVALID,
			       "timeout %d: seconds, 0 for none", timeout);
	return an_stream_wait_event(__func__, stream, event,
				    (uint64_t)timeout * 1000000000ull);
}

/* Is the event's bit set? 0 or -errno. */
static int an_event_is_set(struct an_event *e, bool *set)
{
	struct ascend_notify_info info;
	int err = an_drv_info(an_rt.fd, e->kh, &info);

	if (!err)
		*set = info.info_flags & ASCEND_NOTIFY_INFO_SET;
	return err;
}

AN_EXPORT aclError aclrtQueryEventStatus(aclrtEvent event,
					 aclrtEventRecordedStatus *status)
{
	struct an_event *e;
	aclError ret;
	bool set = false;
	int err = 0;

	if (!status)
		return an_fail(ACL_ERROR_INVALID_PARAM, "status is NULL");
	uint64_t latest;

	e = an_event_get(__func__, event, &ret);
	if (!e)
		return ret;
	pthread_mutex_lock(&e->lock);
	latest = e->latest;
	set = e->done_seq >= latest;	/* the latest capture ran */
	pthread_mutex_unlock(&e->lock);
	if (!latest && e->opened)
		err = an_event_is_set(e, &set);	/* the exporter's records */
	if (err)
		ret = an_fail(an_errno_to_acl(err), "query: %s", strerror(-err));
	else
		*status = set ? ACL_EVENT_RECORDED_STATUS_COMPLETE :
				ACL_EVENT_RECORDED_STATUS_NOT_READY;
	an_event_put(e);
	return ret;
}

/*
 * Waits, with e->lock held, until the record numbered @seq or a later one
 * ended, @deadline_ns (ASCEND_NOTIFY_FOREVER: none) passed (-ETIMEDOUT)
 * or the handle was destroyed (-ECANCELED). On 0, *@outcome is how the
 * record ended.
 */
static int an_event_wait_capture(struct an_event *e, uint64_t seq,
				 uint64_t deadline_ns, aclError *outcome)
{
	struct timespec until = {
		.tv_sec = (time_t)(deadline_ns / 1000000000ull),
		.tv_nsec = (long)(deadline_ns % 1000000000ull),
	};

	while (e->done_seq < seq) {
		if (atomic_load(&e->dead))
			return -ECANCELED;
		if (deadline_ns == ASCEND_NOTIFY_FOREVER)
			pthread_cond_wait(&e->done, &e->lock);
		else if (pthread_cond_timedwait(&e->done, &e->lock, &until) ==
			 ETIMEDOUT && e->done_seq < seq)
			return -ETIMEDOUT;
	}
	*outcome = e->done_err;
	return 0;
}

static aclError an_sync_event(const char *func, aclrtEvent event,
			      int32_t timeout_ms)
{
	aclError outcome = ACL_SUCCESS;
	struct an_event *e;
	uint64_t deadline, latest;
	aclError ret;
	int err;

	e = an_event_get(func, event, &ret);
	if (!e)
		return ret;
	deadline = timeout_ms < 0 ? ASCEND_NOTIFY_FOREVER :
		   an_now_ns() + (uint64_t)timeout_ms * 1000000ull;
	pthread_mutex_lock(&e->lock);
	latest = e->latest;
	err = latest ? an_event_wait_capture(e, latest, deadline, &outcome) :
		       0;
	pthread_mutex_unlock(&e->lock);
	/* Nothing captured here: complete, or the exporter's records. */
	if (!latest && e->opened)
		err = an_wait_kh(e->kh, deadline, &e->dead);
	switch (err) {
	case 0:
		ret = outcome;
		if (ret)
			an_log(AN_LOG_ERROR, func,
			       "the record was discarded by its stream: %d",
			       ret);
		break;
	case -ETIMEDOUT:
		an_log(AN_LOG_ERROR, func, "event not recorded after %d ms",
		       timeout_ms);
		ret = ACL_ERROR_RT_EVENT_SYNC_TIMEOUT;
		break;
	case -ECANCELED:
		an_log(AN_LOG_ERROR, func, "event destroyed while waited on");
		ret = ACL_ERROR_RT_INVALID_HANDLE;
		break;
	default:
		an_log(AN_LOG_ERROR, func, "wait: %s", strerror(-err));
		ret = an_errno_to_acl(err);
	}
	an_event_put(e);
	return ret;
}

AN_EXPORT aclError aclrtSynchronizeEvent(aclrtEvent event)
{
	return an_sync_event(__func__, event, -1);
}

AN_EXPORT aclError aclrtSynchronizeEventWithTimeout(aclrtEvent event,
						    int32_t timeout)
{
	if (timeout == 0 || timeout < -1)
		return an_fail(ACL_ERROR_RT_PARAM_INVALID,
			       "timeout %d: -1 or a positive number of ms",
			       timeout);
	return an_sync_event(__func__, event, timeout);
}

AN_EXPORT aclError aclrtIpcGetEventHandle(aclrtEvent event,
					  aclrtIpcEventHandle *handle)
{
	struct an_event *e;
	aclError ret;
	int err = 0;

	if (!handle)
		return an_fail(ACL_ERROR_INVALID_PARAM, "handle is NULL");
	e = an_event_get(__func__, event, &ret);
	if (!e)
		return ret;
	if (!(e->flags & ACL_EVENT_IPC) || e->opened) {
		an_event_put(e);
		return an_fail(ACL_ERROR_RT_PARAM_INVALID,
			       "not an event created with ACL_EVENT_IPC");
	}
	pthread_mutex_lock(&e->lock);
	if (!e->exported) {
		err = an_drv_export(an_rt.fd, e->kh,
				    ASCEND_NOTIFY_EXPORT_NO_PID_CHECK, e->key);
		e->exported = !err;
	}
	if (!err) {
		memset(handle, 0, sizeof(*handle));
		memcpy(handle->reserved, e->key, ASCEND_NOTIFY_KEY_LEN);
	}
	pthread_mutex_unlock(&e->lock);
	if (err)
		ret = an_fail(an_errno_to_acl(err), "export: %s",
			      strerror(-err));
	an_event_put(e);
	return ret;
}

AN_EXPORT aclError aclrtIpcOpenEventHandle(aclrtIpcEventHandle handle,
					   aclrtEvent *event)
{
	aclError ret;
	uint32_t kh;
	int dev;

	ret = an_ready_arg(event);
	if (ret)
		return ret;
	ret = an_need_device(&dev);
	if (ret)
		return ret;
	/*
	 * CANN's IPC-event flow has no peer-access step, so ask for it; the
	 * kernel still refuses devices the topology does not connect.
	 */
	ret = an_import_key(__func__, handle.reserved, dev, true,
			    ASCEND_NOTIFY_KIND_EVENT, &kh);
	if (ret)
		return ret;
	return an_event_open(__func__, kh, 0, true, event);
}

/* ---- event flags and timing ---------------------------------------- */

/*
 * The EXTERNAL record and wait flags belong to graph capture (out of
 * scope); CANN refuses other values with ACL_ERROR_INVALID_PARAM
 * (src/acl/aclrt_impl/event.cpp, stream.cpp).
 */
static aclError an_event_op_flag(const char *func, uint32_t flag)
{
	if (flag == ACL_EVENT_RECORD_DEFAULT)
		return ACL_SUCCESS;
	an_log(AN_LOG_ERROR, func, "flag %#x%s", flag,
	       flag == ACL_EVENT_RECORD_EXTERNAL ?
	       ": graph capture is not supported" : "");
	return flag == ACL_EVENT_RECORD_EXTERNAL ?
	       ACL_ERROR_RT_FEATURE_NOT_SUPPORT : ACL_ERROR_INVALID_PARAM;
}

_Static_assert(ACL_EVENT_RECORD_DEFAULT == ACL_EVENT_WAIT_DEFAULT &&
	       ACL_EVENT_RECORD_EXTERNAL == ACL_EVENT_WAIT_EXTERNAL,
	       "one check serves both flag sets");

AN_EXPORT aclError aclrtRecordEventWithFlag(aclrtEvent event,
					    aclrtStream stream, uint32_t flag)
{
	if (!event)
		return an_fail(ACL_ERROR_INVALID_PARAM, "event is NULL");
	return an_event_op_flag(__func__, flag) ?:
	       an_record_event(__func__, event, stream);
}

AN_EXPORT aclError aclrtStreamWaitEventWithFlag(aclrtStream stream,
						aclrtEvent event,
						uint32_t timeout, uint32_t flag)
{
	if (!event)
		return an_fail(ACL_ERROR_INVALID_PARAM, "event is NULL");
	/* Seconds, 0 = none, as aclrtStreamWaitEventWithTimeout. */
	return an_event_op_flag(__func__, flag) ?:
	       an_stream_wait_event(__func__, stream, event,
				    (uint64_t)timeout * 1000000000ull);
}

/*
 * When the latest record of @event executed, in ns, or the error CANN
 * gives (src/runtime/api/impl/api_error.cc EventGetTimeStamp,
 * src/runtime/core/src/event/event.cc Event::GetTimeStamp): IPC and
 * external events have no timestamps, an event without a record has
 * none (RT_ERROR_EVENT_RECORDER_NULL, which CANN maps to an internal
 * error), a record that did not execute has an invalid one.
 */
static aclError an_event_time(const char *func, aclrtEvent event,
			      uint64_t *ns)
{
	struct an_event *e;
	aclError ret;

	e = an_event_get(func, event, &ret);
	if (!e)
		return ret;
	pthread_mutex_lock(&e->lock);
	if (e->ipc || (e->flags & ACL_EVENT_EXTERNAL)) {
		an_log(AN_LOG_ERROR, func, "an %s event has no timestamps",
		       e->ipc ? "IPC" : "external");
		ret = ACL_ERROR_RT_FEATURE_NOT_SUPPORT;
	} else if (!e->latest) {
		an_log(AN_LOG_ERROR, func, "event %p was not recorded", event);
		ret = ACL_ERROR_RT_INTERNAL_ERROR;
	} else if (e->done_seq < e->latest || !e->done_ns) {
		an_log(AN_LOG_ERROR, func,
		       "the record of event %p has not executed", event);
		ret = ACL_ERROR_RT_EVENT_TIMESTAMP_INVALID;
	} else {
		*ns = e->done_ns;
	}
	pthread_mutex_unlock(&e->lock);
	an_event_put(e);
	return ret;
}

AN_EXPORT aclError aclrtEventGetTimestamp(aclrtEvent event,
					  uint64_t *timestamp)
{
	uint64_t ns;
	aclError ret;

	if (!timestamp)
		return an_fail(ACL_ERROR_INVALID_PARAM, "timestamp is NULL");
	ret = an_event_time(__func__, event, &ns);
	if (!ret)
		*timestamp = ns / 1000;	/* CANN: microseconds */
	return ret;
}

AN_EXPORT aclError aclrtEventElapsedTime(float *ms, aclrtEvent startEvent,
					 aclrtEvent endEvent)
{
	uint64_t t0, t1;
	aclError ret;

	if (!ms || !startEvent || !endEvent)
		return an_fail(ACL_ERROR_INVALID_PARAM, "%s is NULL",
			       !ms ? "ms" : !startEvent ? "startEvent" :
			       "endEvent");
	ret = an_event_time(__func__, startEvent, &t0) ?:
	      an_event_time(__func__, endEvent, &t1);
	if (!ret)
		*ms = (float)(((double)t1 - (double)t0) / 1e6);
	return ret;
}
