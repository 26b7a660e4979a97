// SPDX-License-Identifier: MIT
/*
 * Contexts: the calling thread's current context, the default context of
 * each device and the contexts aclrtCreateContext makes.
 *
 * A context belongs to one device and has a default stream (what NULL
 * means as a stream argument). The first aclrtSetDevice of a device makes
 * its default context, whose default stream is the device's
 * (an_rt.dev[].default_stream); aclrtCreateContext makes an explicit one,
 * which takes a reference on its device as aclrtSetDevice does and has a
 * default stream of its own. Streams created while a context is current
 * belong to it and end with it.
 *
 * Each thread keeps only the handle of its current context, and resolves
 * it at every use: a context destroyed by another thread, or whose device
 * was reset, is simply no longer there, and the thread has no current
 * context (ACL_ERROR_RT_CONTEXT_NULL) until it sets another.
 */
#include <stdlib.h>

#include "internal.h"

/**
 * struct an_ctx - a context
 * @obj:	handle-table head.
 * @handle:	the context's handle; immutable.
 * @id:		unique in the process, names the context's streams.
 * @dev:	the context's device; immutable.
 * @gen:	the device's generation when the context was made: a reset
 *		of the device (or aclFinalize) ends the context.
 * @is_default:	the default context aclrtSetDevice made.
 * @stream:	the default stream (the device's, for a default context);
 *		immutable, and referenced until the context is freed, so that
 *		what NULL designates is found with no lock. Once the context
 *		is destroyed the stream refuses work.
 */
struct an_ctx {
	struct an_obj obj;
	void *handle;
	int id;
	int dev;
	uint32_t gen;
	bool is_default;
	struct an_stream *stream;
};

/*
 * The calling thread's current context: its handle (NULL: none) and what
 * the hot path needs of it, copied when it was made current (all
 * immutable in the context), so that checking it takes no reference.
 */
static _Thread_local struct {
	void *handle;
	int dev;
	int id;
	uint32_t gen;
} an_cur;

static void an_ctx_release(struct an_obj *obj)
{
	struct an_ctx *c = (struct an_ctx *)obj;

	an_stream_put(c->stream);
	free(c);
}

/*
 * Makes a context on @dev, which the caller has set (holds a reference
 * on), with an_rt.lock held. An explicit context gets its own default
 * stream; a default context uses the device's, made before it.
 */
aclError an_ctx_create(int dev, bool is_default, struct an_ctx **out)
{
	static atomic_int next_id = 1;
	struct an_ctx *c = calloc(1, sizeof(*c));
	aclError ret;

	if (!c)
		return an_fail(ACL_ERROR_RT_MEMORY_ALLOCATION, "out of memory");
	atomic_init(&c->obj.refs, 1);
	c->obj.type = AN_OBJ_CONTEXT;
	c->obj.release = an_ctx_release;
	c->id = atomic_fetch_add(&next_id, 1);
	c->dev = dev;
	c->gen = atomic_load(&an_rt.dev[dev].gen);
	c->is_default = is_default;
	if (is_default) {
		c->stream = an_rt.dev[dev].default_stream;
	} else {
		ret = an_stream_create(dev, true, &c->stream);
		if (ret)
			goto err_free;
	}
	an_stream_hold(c->stream);	/* the context's own, see @stream */
	c->handle = an_obj_open(&c->obj);
	if (!c->handle) {
		ret = an_fail(ACL_ERROR_RT_MEMORY_ALLOCATION, "out of memory");
		goto err_stream;
	}
	*out = c;
	return ACL_SUCCESS;

err_stream:
	if (!is_default)
		an_stream_destroy(c->stream, true);
	an_stream_put(c->stream);
err_free:
	free(c);
	return ret;
}

void an_ctx_make_current(struct an_ctx *c)
{
	an_cur.handle = c->handle;
	an_cur.dev = c->dev;
	an_cur.id = c->id;
	an_cur.gen = c->gen;
}

/* The calling thread's live current context, with a reference, or NULL. */
static struct an_ctx *an_ctx_current(void)
{
	if (an_current_context(NULL) < 0)
		return NULL;
	/* NULL if destroyed since; a reset since is as if it came later. */
	return (struct an_ctx *)an_obj_get(an_cur.handle, AN_OBJ_CONTEXT);
}

/*
 * The device of the calling thread's live current context, and its id in
 * *@id, or -1. Called by every stream operation: it checks the handle and
 * the device's generation in place, without a reference or a lock.
 */
int an_current_context(int *id)
{
	const void *handle = an_cur.handle;
	int dev = an_cur.dev;

	if (!handle || !an_obj_live(handle, AN_OBJ_CONTEXT) ||
	    atomic_load(&an_rt.dev[dev].gen) != an_cur.gen)
		return -1;
	if (id)
		*id = an_cur.id;
	return dev;
}

int an_current_device(void)
{
	return an_current_context(NULL);
}

aclError an_ctx_default_stream(struct an_stream **out)
{
	struct an_ctx *c = an_ctx_current();

	if (!c)
		return an_fail(ACL_ERROR_RT_CONTEXT_NULL,
			       "no current context for the default stream");
	*out = c->stream;
	an_stream_hold(c->stream);
	an_obj_put(&c->obj);
	return ACL_SUCCESS;
}

/*
 * Ends context @c, whose handle was closed (the caller holds the table's
 * reference, which this drops): its streams run out their queued tasks
 * (or, with @force, drop them), then an explicit context gives its device
 * reference back if the device was not reset meanwhile.
 */
static void an_ctx_end(struct an_ctx *c, bool force)
{
	bool live;

	pthread_mutex_lock(&an_rt.lock);
	live = atomic_load(&an_rt.dev[c->dev].gen) == c->gen;
	pthread_mutex_unlock(&an_rt.lock);
	an_streams_destroy_ctx(c->id, force);
	if (!c->is_default) {
		/* Its default stream: stopped now, freed with the context. */
		an_stream_destroy(c->stream, force);
		if (live)
			an_device_put(c->dev);
	}
	an_obj_put(&c->obj);
}

/* Ends the default context @c of a device being reset. */
void an_ctx_end_default(struct an_ctx *c)
{
	if (c && an_obj_close(c->handle, AN_OBJ_CONTEXT))
		an_obj_put(&c->obj);
}

static void an_ctx_end_force(struct an_obj *obj)
{
	an_ctx_end((struct an_ctx *)obj, true);
}

static bool an_ctx_explicit(struct an_obj *obj, int arg)
{
	return !((struct an_ctx *)obj)->is_default;
}

void an_ctxs_end_all(void)
{
	an_obj_close_each(AN_OBJ_CONTEXT, an_ctx_explicit, 0,
			  an_ctx_end_force);
}

void an_ctx_reset_after_fork(void)
{
	an_cur.handle = NULL;
}

/* ---- the API ------------------------------------------------------------------ */

AN_EXPORT aclError aclrtCreateContext(aclrtContext *context, int32_t deviceId)
{
	struct an_ctx *c;
	aclError ret;

	if (!context)
		return an_fail(ACL_ERROR_INVALID_PARAM, "context is NULL");
	ret = an_rt_ready() ?: an_check_device(deviceId) ?:
	      an_device_get(deviceId);
	if (ret)
		return ret;
	pthread_mutex_lock(&an_rt.lock);
	ret = an_ctx_create(deviceId, false, &c);
	pthread_mutex_unlock(&an_rt.lock);
	if (ret) {
		an_device_put(deviceId);
		return ret;
	}
	an_ctx_make_current(c);
	*context = c->handle;
	an_log(AN_LOG_DEBUG, __func__, "context %p on device %d", c->handle,
	       deviceId);
	return ACL_SUCCESS;
}

/* The live context @context, referenced, after the common checks. */
static aclError an_ctx_lookup(aclrtContext context, struct an_ctx **out)
{
	aclError ret = an_ready_arg(context);

	if (ret)
		return ret;
	*out = (struct an_ctx *)an_obj_get(context, AN_OBJ_CONTEXT);
	if (!*out)
		return an_fail(ACL_ERROR_RT_INVALID_HANDLE,
			       "context %p is not a live context", context);
	return ACL_SUCCESS;
}

AN_EXPORT aclError aclrtDestroyContext(aclrtContext context)
{
	struct an_ctx *c;
	aclError ret;

	ret = an_ctx_lookup(context, &c);
	if (ret)
		return ret;
	if (c->is_default) {
		an_obj_put(&c->obj);
		return an_fail(ACL_ERROR_RT_PARAM_INVALID,
			       "a default context ends with aclrtResetDevice");
	}
	an_obj_put(&c->obj);
	c = (struct an_ctx *)an_obj_close(context, AN_OBJ_CONTEXT);
	if (!c)
		return an_fail(ACL_ERROR_RT_INVALID_HANDLE,
			       "context %p destroyed concurrently", context);
	an_ctx_end(c, false);
	return ACL_SUCCESS;
}

AN_EXPORT aclError aclrtSetCurrentContext(aclrtContext context)
{
	struct an_ctx *c;
	aclError ret;

	ret = an_ctx_lookup(context, &c);
	if (ret)
		return ret;
	if (atomic_load(&an_rt.dev[c->dev].gen) != c->gen) {
		an_obj_put(&c->obj);
		return an_fail(ACL_ERROR_RT_CONTEXT_NULL,
			       "device %d of context %p was reset", c->dev,
			       context);
	}
	an_ctx_make_current(c);
	an_obj_put(&c->obj);
	return ACL_SUCCESS;
}

AN_EXPORT aclError aclrtGetCurrentContext(aclrtContext *context)
{
	struct an_ctx *c;
	aclError ret;

	ret = an_ready_arg(context);
	if (ret)
		return ret;
	c = an_ctx_current();
	if (!c)
		return an_fail(ACL_ERROR_RT_CONTEXT_NULL,
			       "the thread has no current context");
	*context = c->handle;
	an_obj_put(&c->obj);
	return ACL_SUCCESS;
}

AN_EXPORT aclError aclrtCtxGetCurrentDefaultStream(aclrtStream *stream)
{
	aclError ret;

	ret = an_ready_arg(stream);
	if (ret)
		return ret;
	if (an_current_device() < 0)
		return an_fail(ACL_ERROR_RT_CONTEXT_NULL,
			       "the thread has no current context");
	/* NULL designates the current context's default stream everywhere. */
	*stream = NULL;
	return ACL_SUCCESS;
}
