/* SPDX-License-Identifier: MIT */
/*
 * libascendcl internals.
 *
 *   errors.c   the one errno -> aclError table, and diagnostics
 *   drv.c      thin wrappers around the /dev/ascend_notify ioctls
 *   object.c   opaque, validated handles; objects kept per thread
 *   runtime.c  aclInit/aclFinalize, devices, peer access
 *   context.c  contexts and the calling thread's current one
 *   device_info.c  run mode, SoC, versions and device attributes
 *   stream.c   in-order task queues run by a library thread each
 *   lock.c     the inline mutex and condition variable of the stream queue
 *   notify.c   the aclrt*Notify* calls
 *   event.c    the aclrt*Event* calls, IPC events included
 *   memory.c   emulated device memory and IPC memory
 *   share.c    key checks and the import, for all three kinds
 *   base.c     acl_base.h's data types, data buffers, fp16 conversion
 *   kernel.c   host ELF kernels: load, look up, argument lists, launch
 *   value.c    aclrtValueWrite/aclrtValueWait on device memory
 *   hostmem.c  host memory: aclrtMallocHost, registration, managed memory
 *   callback.c report and host-function threads, exception callbacks
 *   vmm.c      physical memory, reservations, mappings, shareable handles
 *
 * Locking, outermost first: rt.lock (runtime state) -> stream->lock ->
 * an event's lock -> the object table's lock. Nothing calls back into
 * user code with a lock held; host functions run on a stream thread with no library lock held.
 */
#ifndef LIBASCENDCL_INTERNAL_H
#define LIBASCENDCL_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "acl/acl.h"
#include <linux/ascend_notify.h>

/* The structure of @type whose @member @ptr points to. */
#define an_container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#define AN_EXPORT __attribute__((visibility("default")))

/*
 * The API calls of the record, wait and synchronise round trip that
 * tools/bench/bench_wake measures: their whole call tree within the
 * library is inlined into them (with LTO, across files), so that the
 * round trip makes no calls but to libc. Under emulation every call and
 * return is a lookup of translated code: this took about 1 us, a third
 * of what was left, off the API path's one-way time (performance.rst,
 * "API path: no library lock, no allocation, no calls"). "hot" puts them
 * next to each other (.text.hot), so that they span as few pages as
 * their size allows: after a context switch every page touched is
 * mapped anew ("Pages"). Logging is kept out (an_log() is cold and
 * never inlined).
 */
#define AN_HOT_PATH __attribute__((flatten, hot))

/* ---- errors.c ------------------------------------------------------------- */

enum an_log_level { AN_LOG_NONE, AN_LOG_ERROR, AN_LOG_WARN, AN_LOG_INFO,
		    AN_LOG_DEBUG };

aclError an_errno_to_acl(int err);
void an_log(enum an_log_level level, const char *func, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), cold, noinline));

/*
 * Logs why @func fails with @ret and returns @ret; the calling thread's
 * last error (aclrtGetLastError) becomes @ret.
 */
#define an_fail(ret, ...) \
	(an_log(AN_LOG_ERROR, __func__, __VA_ARGS__), \
	 an_note_error((aclError)(ret)))
/* Records @err (not 0) as the calling thread's last error; returns it. */
aclError an_note_error(aclError err);

/* ---- drv.c ---------------------------------------------------------------- */

/* All return 0 or -errno. */
int an_drv_open(int *fd);
int an_drv_version(int fd, struct ascend_notify_version *v);
int an_drv_device_info(int fd, uint32_t dev,
		       struct ascend_notify_device_info *info);
int an_drv_bare_tgid(int fd, int32_t *tgid);
int an_drv_peer(int fd, bool enable, uint32_t dev, uint32_t peer);
int an_drv_create(int fd, uint32_t dev, uint32_t flags, uint32_t *handle);
int an_drv_destroy(int fd, uint32_t handle);
int an_drv_record(int fd, uint32_t handle);
int an_drv_wait(int fd, uint32_t handle, uint64_t deadline_ns,
		const _Atomic uint32_t *cancel);
int an_drv_cancel(int fd);
int an_drv_batch_reset(int fd, const uint32_t *handles, uint32_t count);
int an_drv_info(int fd, uint32_t handle, struct ascend_notify_info *info);
int an_drv_export(int fd, uint32_t handle, uint32_t flags,
		  char key[ASCEND_NOTIFY_KEY_LEN]);
int an_drv_set_pids(int fd, uint32_t handle, const int32_t *pids,
		    uint32_t count);
int an_drv_import(int fd, const char key[ASCEND_NOTIFY_KEY_LEN],
		  uint32_t dev, uint32_t flags, uint32_t kind, uint32_t *handle);
int an_drv_unexport(int fd, uint32_t handle);
int an_drv_mem_alloc(int fd, uint32_t dev, uint64_t size,
		     struct ascend_notify_mem *out);
int an_drv_mem_info(int fd, uint32_t handle, struct ascend_notify_mem *out);
int an_drv_device_mem(int fd, uint32_t dev,
		      struct ascend_notify_device_mem *out);
uint64_t an_now_ns(void);

/* ---- object.c ------------------------------------------------------------- */

enum an_obj_type { AN_OBJ_NOTIFY = 1, AN_OBJ_STREAM = 2, AN_OBJ_EVENT = 3,
		   AN_OBJ_MEM = 4 /* never in the handle table */,
		   AN_OBJ_CONTEXT = 5, AN_OBJ_PHYS = 6 /* aclrtDrvMemHandle */,
		   AN_OBJ_BIN = 7, AN_OBJ_FUNC = 8 /* kernel.c */ };

/**
 * struct an_obj - the reference-counted head of every handle-backed object
 * @refs:	one for the handle table while the handle is open, one per
 *		user (a call in progress, a queued task).
 * @type:	enum an_obj_type.
 * @release:	frees the object when @refs drops to zero.
 */
struct an_obj {
	atomic_int refs;
	int type;
	void (*release)(struct an_obj *obj);
};

void *an_obj_open(struct an_obj *obj);
struct an_obj *an_obj_get(const void *handle, int type);
bool an_obj_live(const void *handle, int type);
struct an_obj *an_obj_close(const void *handle, int type);
void an_obj_put(struct an_obj *obj);
void an_obj_hold(struct an_obj *obj);
void an_obj_close_each(int type, bool (*match)(struct an_obj *obj, int arg),
		       int arg, void (*fn)(struct an_obj *obj));
void an_obj_reset_after_fork(void);

/**
 * struct an_thread_key - an object of each thread, made on demand and
 *			  freed when the thread exits
 * @free:	frees a thread's object, at its exit (a pthread key
 *		destructor: the library is never unloaded, lib/Makefile).
 * @key:	the pthread key, made at first use.
 * @ready:	@key exists.
 *
 * Define one with only @free set; an_thread_obj() does the rest.
 */
struct an_thread_key {
	void (*free)(void *obj);
	pthread_key_t key;
	atomic_bool ready;
};

/*
 * The calling thread's object of @k, NULL if it has none: with @create,
 * a new zeroed one of @size bytes (NULL only without memory or keys).
 */
void *an_thread_obj(struct an_thread_key *k, size_t size, bool create);

/* ---- runtime.c ------------------------------------------------------------ */

struct an_stream;
struct an_ctx;

/**
 * struct an_runtime - process-wide state
 * @lock:	guards everything below except @fd, which is written only
 *		under @lock by aclInit/aclFinalize and read by calls that
 *		checked an_rt_enter().
 * @initialized: between aclInit and aclFinalize.
 * @fd:		the process's context on /dev/ascend_notify.
 * @num_devices: from the module.
 * @dev:	per device: SetDevice references, a generation bumped by
 *		each reset (so threads notice their device went away), and
 *		the default stream.
 */
struct an_runtime {
	pthread_mutex_t lock;
	bool initialized;
	int fd;
	uint32_t num_devices;
	struct an_dev_state {
		int refs;
		atomic_uint gen;
		struct an_stream *default_stream;
		struct an_ctx *ctx;
		uint32_t sdid;
	} dev[ASCEND_NOTIFY_MAX_DEVICES];
};

extern struct an_runtime an_rt;

/* 0 when the library is initialized, else the aclError to return. */
aclError an_rt_ready(void);
/*
 * The prologue most calls share: @p must not be NULL
 * (ACL_ERROR_INVALID_PARAM, logged under the caller's name), then
 * an_rt_ready().
 */
#define an_ready_arg(p)							\
	((p) ? an_rt_ready() :						\
	 an_fail(ACL_ERROR_INVALID_PARAM, "%s is NULL", #p))
/*
 * A reference on a valid device @dev, as aclrtSetDevice takes but leaving
 * the thread's current context alone; an_device_put drops it.
 */
aclError an_device_get(int32_t dev);
void an_device_put(int32_t dev);

/*
 * Stores the current device in *@devp, or fails the calling API function
 * with ACL_ERROR_RT_CONTEXT_NULL (a macro so the log names that function).
 */
#define an_need_device(devp)						\
	((*(devp) = an_current_device()) < 0 ?				\
	 an_fail(ACL_ERROR_RT_CONTEXT_NULL,				\
		 "no current device: call aclrtSetDevice") :		\
	 ACL_SUCCESS)
aclError an_check_device(int32_t dev);

/* ---- context.c (contexts) ------------------------------------- */

/* Makes a context on @dev, which the caller set; with an_rt.lock held. */
aclError an_ctx_create(int dev, bool is_default, struct an_ctx **out);
void an_ctx_make_current(struct an_ctx *c);
/* The device of the calling thread's current context, or -1. */
int an_current_device(void);
/* Same, storing the context's id in *@id (when not NULL). */
int an_current_context(int *id);
/* The current context's default stream, with a reference. */
aclError an_ctx_default_stream(struct an_stream **out);
/* Ends a reset device's default context (NULL: none). */
void an_ctx_end_default(struct an_ctx *c);
/* aclFinalize: ends every explicit context, dropping queued work. */
void an_ctxs_end_all(void);
void an_ctx_reset_after_fork(void);

/* ---- share.c --------------------------------------------------------------- */

/* A key as the CANN calls pass it: ASCEND_NOTIFY_KEY_LEN characters, a NUL. */
#define AN_KEY_SIZE	(ASCEND_NOTIFY_KEY_LEN + 1)

/* Is @key a well-formed key? */
bool an_key_ok(const char *key);
/*
 * The checks of an aclrt*ImportByKey call (@func), in CANN's order: @out
 * (named @out_name) and @key are not NULL, the library is initialized,
 * @flags is 0 or @peer_flag, @key is well formed.
 */
aclError an_import_args(const char *func, const void *out,
			const char *out_name, const char *key, uint64_t flags,
			uint64_t peer_flag);
/* Imports @key as an object of @kind on @dev; logs a failure as @func's. */
aclError an_import_key(const char *func, const char *key, int dev,
		       bool peer, uint32_t kind, uint32_t *kh);

/* ---- stream.c -------------------------------------------------------------- */

struct an_notify;

aclError an_stream_create(int dev, bool is_default, struct an_stream **out);
void an_stream_destroy(struct an_stream *s, bool force);
aclError an_stream_sync(struct an_stream *s, int64_t timeout_ms);
int an_stream_device(const struct an_stream *s);
/*
 * Resolves the stream argument of an API call: NULL is the calling thread's
 * default stream. On success *@out holds a reference.
 */
aclError an_stream_resolve(aclrtStream stream, struct an_stream **out);
void an_stream_put(struct an_stream *s);
void an_stream_hold(struct an_stream *s);
/*
 * Stream priorities: aclrtDeviceGetStreamPriorityRange's
 * range (a smaller number is a higher priority) and aclrtCreateStream's.
 */
#define AN_STREAM_PRIORITY_GREATEST	0
#define AN_STREAM_PRIORITY_LEAST	7
#define AN_STREAM_PRIORITY_DEFAULT	0
/* Destroys the streams created in context @ctx. */
void an_streams_destroy_ctx(int ctx, bool force);
/*
 * Stream tasks. Each holds a reference on @obj (the notify or event whose
 * kernel handle @kh it uses, or the allocations it touches) until it ran.
 * @func names the API call in logs.
 */
/*
 * Told, once, how record number @seq of @obj ended: 0 when it ran, else
 * the error of its stream that discarded it (107023 for an abort). Called
 * with the stream's lock held or none; it may take the object's own lock.
 */
typedef void (*an_record_done_fn)(struct an_obj *obj, uint64_t seq,
				  aclError err);
/* @done (may be NULL) hears the record's outcome, even when refused. */
aclError an_stream_record(struct an_stream *s, struct an_obj *obj,
			  uint32_t kh, const char *func, an_record_done_fn done,
			  uint64_t seq);
/* @timeout_ns: 0 waits forever; expiry fails the task with 107020. */
aclError an_stream_wait(struct an_stream *s, struct an_obj *obj, uint32_t kh,
			uint64_t timeout_ns, const char *func);
/**
 * struct an_cancel - what ends a stream's blocked task early
 * @word:	nonzero once the task is to be abandoned (forced destroy,
 *		abort, stop). A kernel wait passes it as its cancel word, a
 *		value wait sleeps on it in futex_waitv(), a condition-variable
 *		wait checks it under its mutex. Nothing polls it.
 * @lock:	guards @mutex and @cond.
 * @mutex, @cond: the condition variable the task sleeps on now (an event
 *		gate, a blocking callback), or NULL: an_cancel_fire()
 *		broadcasts it.
 */
struct an_cancel {
	_Atomic uint32_t word;
	pthread_mutex_t lock;
	pthread_mutex_t *mutex;
	pthread_cond_t *cond;
};

void an_cancel_init(struct an_cancel *c);
void an_cancel_destroy(struct an_cancel *c);
/* Sets @c->word and wakes whatever the task sleeps in. */
void an_cancel_fire(struct an_cancel *c);
void an_cancel_clear(struct an_cancel *c);
static inline bool an_cancelled(struct an_cancel *c)
{
	return atomic_load_explicit(&c->word, memory_order_acquire) != 0;
}
/*
 * Around a pthread_cond_wait() on @cond/@mutex that must end on @c:
 * call an_cancel_cond_enter() before taking @mutex, check an_cancelled()
 * under it before every wait, and an_cancel_cond_leave() after releasing
 * it. an_cancel_fire() takes @mutex to broadcast, so it cannot slip
 * between the check and the wait.
 */
void an_cancel_cond_enter(struct an_cancel *c, pthread_mutex_t *mutex,
			  pthread_cond_t *cond);
void an_cancel_cond_leave(struct an_cancel *c);

/*
 * Blocks until @obj's record number @seq (or a later one) ended, the
 * absolute CLOCK_MONOTONIC @deadline_ns (ASCEND_NOTIFY_FOREVER: none)
 * passed (-ETIMEDOUT) or @cancel fired (-ECANCELED). On 0, *@outcome is
 * how the record ended.
 */
typedef int (*an_wait_gate_fn)(struct an_obj *obj, uint64_t seq,
			       uint64_t deadline_ns, struct an_cancel *cancel,
			       aclError *outcome);
/* an_stream_wait, but the task runs @gate(@obj, @seq, ...), not a wait on @kh. */
aclError an_stream_wait_gated(struct an_stream *s, struct an_obj *obj,
			      uint32_t kh, uint64_t timeout_ns,
			      const char *func, an_wait_gate_fn gate,
			      uint64_t seq);
aclError an_stream_reset(struct an_stream *s, struct an_obj *obj,
			 uint32_t kh, const char *func);
aclError an_stream_host_func(struct an_stream *s, aclrtHostFunc fn,
			     void *arg);
aclError an_stream_memcpy(struct an_stream *s, void *dst, const void *src,
			  size_t count, struct an_obj *a, struct an_obj *b);
aclError an_stream_memset(struct an_stream *s, void *dst, int value,
			  size_t count, struct an_obj *a);
/*
 * Waits on kernel handle @kh from the calling thread until it is set,
 * @deadline_ns (ASCEND_NOTIFY_FOREVER: none) passes (-ETIMEDOUT) or
 * *@cancel (may be NULL) is nonzero when ASCEND_NOTIFY_IOC_CANCEL wakes it
 * (-ECANCELED). One ioctl, no polling. Returns 0 or -errno.
 */
int an_wait_kh(uint32_t kh, uint64_t deadline_ns,
	       const _Atomic uint32_t *cancel);
void an_streams_destroy_device(int dev, bool force);

/* ---- library-internal stream tasks ---- */
/**
 * struct an_call - a task whose work is a library function
 * @run:	runs on the stream's thread, in order; returns the task's
 *		error. A blocking @run must end when @cancel fires (forced
 *		destroy), with ACL_ERROR_RT_STREAM_ABORT, and so must sleep
 *		where an_cancel_fire() wakes it (see struct an_cancel).
 * @release:	frees the call, whether it ran, was discarded or refused.
 * @func:	the API call that queued it, for logs.
 */
struct an_call {
	aclError (*run)(struct an_call *call, struct an_cancel *cancel);
	void (*release)(struct an_call *call);
	const char *func;
};
/* Queues @call, holding @hold (may be NULL); releases @call on failure. */
aclError an_stream_call(struct an_stream *s, struct an_call *call,
			struct an_obj *hold);
aclError an_streams_sync_device(int dev);
void an_streams_reset_after_fork(void);

/* ---- notify.c ---------------------------------------------------------------- */

/**
 * struct an_notify - a notify handle of this process
 * @obj:	handle-table head.
 * @kh:		the kernel handle in an_rt.fd.
 * @dev:	the notify's device (the creator's).
 * @handle_dev:	the device this handle is bound to.
 * @imported:	from aclrtNotifyImportByKey.
 * @pending:	records queued and not yet run or discarded, and
 *		AN_NOTIFY_DEAD once the handle was destroyed: the destroy
 *		closes @kh if no record is pending then, and no record
 *		starts after it.
 * @kh_gone:	@kh was closed by the destroy (else the release closes it).
 */
struct an_notify {
	struct an_obj obj;
	uint32_t kh;
	int dev;
	int handle_dev;
	bool imported;
	atomic_uint pending;
	bool kh_gone;
};

#define AN_NOTIFY_DEAD	0x80000000u

void an_notifies_destroy_device(int dev);
/* Is @sdid the super-pod device id of one of this host's devices? */
bool an_sdid_is_local(uint32_t sdid);

/* ---- event.c ------------------------------------------------------------------ */

void an_events_destroy_device(int dev);

/* ---- memory.c ----------------------------------------------------------------- */

void an_mem_release_device(int dev);
void an_mem_reset_after_fork(void);
/*
 * After a library store into [@p, @p + @count) (a copy or a fill): wakes
 * the value waits of this process on a word in that range (value.c).
 */
void an_value_wake_range(const void *p, size_t count);
/*
 * checks that @count bytes at @p lie in one live device
 * allocation and returns it in *@hold with a reference (107000 if not).
 */
aclError an_mem_hold(const char *func, const void *p, size_t count,
		     struct an_obj **hold);

/* ---- hostmem.c, callback.c, event timing ------------------------ */

/* Is [@p, @p + @count) inside one registered host range? */
bool an_host_registered(const void *p, size_t count);
void an_host_reset_after_fork(void);
void an_cb_reset_after_fork(void);


/* The two ways a user thread takes a stream's callbacks (callback.c). */
enum an_sub_kind { AN_SUB_REPORT, AN_SUB_HOSTFUNC, AN_SUB_KINDS };
/* Is a thread subscribed to @s for @kind? */
bool an_cb_subscribed(struct an_stream *s, enum an_sub_kind kind);
/* Queues fn(arg) on @s, to run in the thread subscribed for @kind. */
aclError an_cb_launch(struct an_stream *s, enum an_sub_kind kind,
		      void (*fn)(void *), void *arg, bool block);
/*
 * @s is destroyed: its subscriptions end; with @force, the callbacks it
 * handed to a thread and that did not run yet are dropped too.
 */
void an_cb_forget(struct an_stream *s, bool force);
/*
 * Task @task_id of stream @stream_id on @dev failed with @err: calls the
 * exception callbacks (callback.c), in the calling thread, no lock held.
 */
void an_exception_report(int dev, uint32_t stream_id, uint32_t task_id,
			 aclError err);
/* Tells the stream state callbacks of a created or destroyed @stream. */
void an_stream_state_notify(aclrtStream stream, bool create);

/* ---- VMM: vmm.c and its ranges in memory.c's table ------------ */

struct an_mem;
/*
 * Enters [base, base + size) of device @dev in the table of device memory;
 * when its last reference goes (aclrtUnmapMem, then queued tasks) @gone
 * runs with @arg instead of munmap(). NULL when out of memory.
 */
struct an_mem *an_mem_range_add(void *base, size_t size, int dev,
				void (*gone)(void *arg), void *arg);
/* Takes the range out of the table and drops the table's reference. */
void an_mem_range_remove(struct an_mem *m);
void an_vmm_release_device(int dev);
void an_vmm_reset_after_fork(void);

#endif /* LIBASCENDCL_INTERNAL_H */
