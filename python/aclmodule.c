// SPDX-License-Identifier: MIT
/*
 * acl: the pyACL-compatible Python module over libascendcl.
 *
 *   import acl
 *   ret = acl.init()
 *   ret = acl.rt.set_device(0)
 *   notify, ret = acl.rt.create_notify(0)
 *   key, ret = acl.rt.notify_get_export_key(notify, 65, 0)
 *
 * Conventions, as in Huawei's pyACL:
 *
 * - Handles (notifies, streams) are Python ints: the value of the opaque
 *   aclrtNotify / aclrtStream pointer. 0 is NULL; for a stream it means the
 *   default stream (None is accepted as well).
 * - Every function returns the aclError as its last value: "ret = f(...)"
 *   when the C function has no output, "value, ret = f(...)" otherwise. A
 *   CANN error is a non-zero ret, never an exception; the output value is
 *   then 0 (or "" for a key).
 * - Exceptions are for misuse of the binding only: an argument of the wrong
 *   type raises TypeError, an integer that does not fit the C parameter
 *   OverflowError, a key with a NUL character ValueError.
 * - Lists replace C array/count pairs: notify_set_import_pid(notify, [pid,
 *   ...]) passes len(list) as num.
 *
 * Every call into the library runs with the GIL released, except
 * launch_host_func (see there), so a call that blocks (synchronize, destroy,
 * reset, finalize) never stops other Python threads, and host functions,
 * which take the GIL on a library thread, can run meanwhile.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "acl/acl.h"
#include "acl_constants.h"

#ifndef AN_PY_VERSION
#define AN_PY_VERSION "unknown"
#endif

/* notify_get_export_key never hands the library a buffer larger than this. */
#define AN_PY_KEY_BUF_MAX	4096

#define AN_NOGIL(stmt) do {			\
		Py_BEGIN_ALLOW_THREADS		\
		stmt;				\
		Py_END_ALLOW_THREADS		\
	} while (0)

/* ---- argument converters (for PyArg_Parse* "O&") ---------------------- */

/* An integer (anything with __index__) within [lo, hi]. */
static int an_int_in(PyObject *o, long long lo, unsigned long long hi,
		     unsigned long long *out)
{
	PyObject *i = PyNumber_Index(o);
	int overflow = 0;
	long long v;

	if (!i)
		return 0;	/* TypeError: not an integer */
	v = PyLong_AsLongLongAndOverflow(i, &overflow);
	if (overflow > 0) {
		/* Above LLONG_MAX: only an unsigned 64-bit range can hold it. */
		unsigned long long u = PyLong_AsUnsignedLongLong(i);

		Py_DECREF(i);
		if (u == (unsigned long long)-1 && PyErr_Occurred())
			return 0;
		if (u > hi)
			goto range;
		*out = u;
		return 1;
	}
	Py_DECREF(i);
	if (v == -1 && PyErr_Occurred())
		return 0;
	if (overflow < 0 || v < lo || (v >= 0 && (unsigned long long)v > hi))
		goto range;
	*out = (unsigned long long)v;
	return 1;
range:
	PyErr_Format(PyExc_OverflowError, "%R out of range %lld..%llu", o, lo,
		     hi);
	return 0;
}

static int an_conv_i32(PyObject *o, void *out)
{
	unsigned long long v;

	if (!an_int_in(o, INT32_MIN, INT32_MAX, &v))
		return 0;
	*(int32_t *)out = (int32_t)(long long)v;
	return 1;
}

static int an_conv_u32(PyObject *o, void *out)
{
	unsigned long long v;

	if (!an_int_in(o, 0, UINT32_MAX, &v))
		return 0;
	*(uint32_t *)out = (uint32_t)v;
	return 1;
}

static int an_conv_u64(PyObject *o, void *out)
{
	unsigned long long v;

	if (!an_int_in(o, 0, UINT64_MAX, &v))
		return 0;
	*(uint64_t *)out = v;
	return 1;
}

static int an_conv_size(PyObject *o, void *out)
{
	unsigned long long v;

	if (!an_int_in(o, 0, SIZE_MAX, &v))
		return 0;
	*(size_t *)out = (size_t)v;
	return 1;
}

/* A notify handle: an int (0 is NULL). */
static int an_conv_handle(PyObject *o, void *out)
{
	unsigned long long v;

	if (!an_int_in(o, 0, UINTPTR_MAX, &v))
		return 0;
	*(void **)out = (void *)(uintptr_t)v;
	return 1;
}

/* A stream handle: an int, or None (= 0) for the default stream. */
static int an_conv_stream(PyObject *o, void *out)
{
	if (o == Py_None) {
		*(void **)out = NULL;
		return 1;
	}
	return an_conv_handle(o, out);
}

static PyObject *an_handle(const void *h)
{
	return PyLong_FromUnsignedLongLong((uintptr_t)h);
}

static PyObject *an_ret(aclError ret)
{
	return PyLong_FromLong(ret);
}

/*
 * A list or tuple as a tuple we own: converting an item runs user code
 * (__index__), which may change a list while we walk it, so the walk goes
 * over a snapshot that holds its items.
 */
static PyObject *an_snapshot(PyObject *seq, const char *what)
{
	if (!PyList_Check(seq) && !PyTuple_Check(seq)) {
		PyErr_Format(PyExc_TypeError, "%s must be a list, not %.100s",
			     what, Py_TYPE(seq)->tp_name);
		return NULL;
	}
	return PySequence_Tuple(seq);
}

/*
 * A list (or tuple) of integers as a C array; *n gets its length. The array
 * is never NULL, even for an empty list, so that the library sees num == 0
 * and answers with its own error code. Free with PyMem_Free.
 */
static void *an_int_array(PyObject *seq, const char *what, size_t elem,
			  int (*conv)(PyObject *, void *), size_t *n)
{
	PyObject *fast;
	Py_ssize_t i, len;
	char *a;

	fast = an_snapshot(seq, what);
	if (!fast)
		return NULL;
	len = PyTuple_GET_SIZE(fast);
	a = PyMem_Calloc(len ? (size_t)len : 1, elem);
	if (!a) {
		Py_DECREF(fast);
		PyErr_NoMemory();
		return NULL;
	}
	for (i = 0; i < len; i++) {
		if (!conv(PyTuple_GET_ITEM(fast, i), a + i * elem)) {
			PyMem_Free(a);
			Py_DECREF(fast);
			return NULL;
		}
	}
	Py_DECREF(fast);
	*n = (size_t)len;
	return a;
}

/* ---- host functions ------------------------------------------------------ */

/*
 * A Python callable queued by launch_host_func. The library runs
 * an_hostfn_trampoline on the stream's thread with the record as its
 * argument; the record holds references to the callable and its argument
 * until then.
 *
 * A task that never runs (discarded by destroy_stream_force, by a failed
 * stream, by finalize) leaves its record behind: the library has no way to
 * tell. Records are therefore kept on a list and released by the calls
 * after which their task can no longer run (see an_hostfn_sweep). All of
 * it, list and sequence numbers, is guarded by the GIL.
 */
struct an_hostfn {
	struct an_hostfn *prev, *next;
	PyObject *fn;
	PyObject *arg;
	uint64_t seq;		/* launch order; AN_SEQ_LAUNCHING until queued */
	uintptr_t stream;	/* the handle passed; 0 = a default stream */
};

#define AN_SEQ_LAUNCHING	UINT64_MAX

static struct an_hostfn an_hostfns = { &an_hostfns, &an_hostfns, NULL, NULL,
				       0, 0 };
static uint64_t an_hostfn_seq;

/* Set when the interpreter exits: host functions then no longer run. */
static atomic_bool an_py_exiting;

/* The host function the calling thread is running, if any. */
static _Thread_local bool an_in_hostfn;

static bool an_py_finalizing(void)
{
#if PY_VERSION_HEX >= 0x030D0000
	return Py_IsFinalizing();
#else
	return _Py_IsFinalizing();
#endif
}

static void an_hostfn_link(struct an_hostfn *h)
{
	h->prev = an_hostfns.prev;
	h->next = &an_hostfns;
	an_hostfns.prev->next = h;
	an_hostfns.prev = h;
}

static void an_hostfn_unlink(struct an_hostfn *h)
{
	h->prev->next = h->next;
	h->next->prev = h->prev;
	h->prev = h->next = h;
}

/* Drops the record's references; may run arbitrary Python code. */
static void an_hostfn_free(struct an_hostfn *h)
{
	Py_XDECREF(h->fn);
	Py_XDECREF(h->arg);
	PyMem_RawFree(h);
}

static void an_hostfn_trampoline(void *p)
{
	struct an_hostfn *h = p;
	PyGILState_STATE st;
	PyObject *r;

	/*
	 * Once the interpreter is shutting down no Python code may run:
	 * leave the record (the process is exiting) and return at once, so
	 * the stream's thread finishes its queue.
	 */
	if (atomic_load(&an_py_exiting) || an_py_finalizing())
		return;
	st = PyGILState_Ensure();
	an_in_hostfn = true;
	r = PyObject_CallOneArg(h->fn, h->arg);
	if (r)
		Py_DECREF(r);
	else
		PyErr_WriteUnraisable(h->fn);
	an_in_hostfn = false;
	an_hostfn_unlink(h);
	an_hostfn_free(h);
	PyGILState_Release(st);
}

/*
 * Releases the records, launched before @before, whose task can no longer
 * run: those on @stream (any stream if @all). The caller has just seen the
 * library finish every task queued on that stream before the call (a
 * successful synchronize), or end the stream (destroy, finalize).
 *
 * Why the sequence numbers suffice: a record gets its number only after
 * aclrtLaunchHostFunc returned, with the GIL held throughout, so a record
 * numbered below @before was queued before the caller's call started.
 */
static void an_hostfn_sweep(bool all, uintptr_t stream, uint64_t before)
{
	struct an_hostfn dead = { &dead, &dead, NULL, NULL, 0, 0 };
	struct an_hostfn *h, *next;

	for (h = an_hostfns.next; h != &an_hostfns; h = next) {
		next = h->next;
		if (h->seq < before && (all || h->stream == stream)) {
			an_hostfn_unlink(h);
			h->prev = dead.prev;
			h->next = &dead;
			dead.prev->next = h;
			dead.prev = h;
		}
	}
	/* Apart from the list: a __del__ run here may call back into acl. */
	while ((h = dead.next) != &dead) {
		an_hostfn_unlink(h);
		an_hostfn_free(h);
	}
}

/* ---- acl ------------------------------------------------------------------ */

static int an_conv_path(PyObject *o, void *out)
{
	if (o == Py_None) {
		*(PyObject **)out = NULL;
		return 1;
	}
	return PyUnicode_FSConverter(o, out);
}

PyDoc_STRVAR(acl_init_doc,
"init($module, /, config_path=None)\n--\n\n"
"aclInit: initialize the library for this process.\n\n"
"ret = acl.init(config_path)\n"
"config_path (str, optional) names a configuration file; None or '' for\n"
"none. Opens /dev/ascend_notify and checks the module's ABI. A second\n"
"call returns ACL_ERROR_REPEAT_INITIALIZE (100002).");

static PyObject *acl_init(PyObject *self, PyObject *args, PyObject *kwargs)
{
	static char *kw[] = { "config_path", NULL };
	PyObject *path = NULL;
	aclError ret;

	if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|O&:init", kw,
					 an_conv_path, &path))
		return NULL;
	AN_NOGIL(ret = aclInit(path ? PyBytes_AS_STRING(path) : NULL));
	Py_XDECREF(path);
	return an_ret(ret);
}

PyDoc_STRVAR(acl_finalize_doc,
"finalize($module, /)\n--\n\n"
"aclFinalize: release every device, stream and notify of the process.\n\n"
"ret = acl.finalize()\n"
"Queued host functions that have not run are dropped. A repeated call\n"
"returns ACL_ERROR_REPEAT_FINALIZE (100037). Must not be called from a\n"
"host function (returns ACL_ERROR_RT_PARAM_INVALID).");

static PyObject *acl_finalize(PyObject *self, PyObject *unused)
{
	uint64_t before = an_hostfn_seq;
	aclError ret;

	/* Finalizing joins every stream thread, the caller's own included. */
	if (an_in_hostfn)
		return an_ret(ACL_ERROR_RT_PARAM_INVALID);
	AN_NOGIL(ret = aclFinalize());
	if (ret == ACL_SUCCESS)
		an_hostfn_sweep(true, 0, before);
	return an_ret(ret);
}

static PyObject *acl_at_exit(PyObject *self, PyObject *unused)
{
	atomic_store(&an_py_exiting, true);
	Py_RETURN_NONE;
}

static PyMethodDef acl_at_exit_def = {
	"_at_exit", acl_at_exit, METH_NOARGS,
	"Stops running Python host functions: the interpreter is exiting."
};

/* ---- acl.rt: devices ------------------------------------------------------ */

/* For the functions whose only argument is a device id. */
static PyObject *rt_device_call(PyObject *args, PyObject *kwargs,
				const char *fmt, char **kw,
				aclError (*fn)(int32_t))
{
	int32_t dev;
	aclError ret;

	if (!PyArg_ParseTupleAndKeywords(args, kwargs, fmt, kw, an_conv_i32,
					 &dev))
		return NULL;
	AN_NOGIL(ret = fn(dev));
	return an_ret(ret);
}

PyDoc_STRVAR(rt_set_device_doc,
"set_device($module, /, device_id)\n--\n\n"
"aclrtSetDevice: make device_id the calling thread's current device.\n\n"
"ret = acl.rt.set_device(device_id)");

static PyObject *rt_set_device(PyObject *self, PyObject *args, PyObject *kw)
{
	static char *kwl[] = { "device_id", NULL };

	return rt_device_call(args, kw, "O&:set_device", kwl, aclrtSetDevice);
}

PyDoc_STRVAR(rt_reset_device_doc,
"reset_device($module, /, device_id)\n--\n\n"
"aclrtResetDevice: drop one set_device reference on device_id.\n\n"
"ret = acl.rt.reset_device(device_id)\n"
"The last one releases the process's streams and notifies on the device.\n"
"Not from a host function (returns ACL_ERROR_RT_PARAM_INVALID).");

static PyObject *rt_reset_device(PyObject *self, PyObject *args,
				 PyObject *kw)
{
	static char *kwl[] = { "device_id", NULL };

	if (an_in_hostfn)
		return an_ret(ACL_ERROR_RT_PARAM_INVALID);
	return rt_device_call(args, kw, "O&:reset_device", kwl,
			      aclrtResetDevice);
}

PyDoc_STRVAR(rt_reset_device_force_doc,
"reset_device_force($module, /, device_id)\n--\n\n"
"aclrtResetDeviceForce: release device_id for the whole process at once.\n\n"
"ret = acl.rt.reset_device_force(device_id)\n"
"Not from a host function (returns ACL_ERROR_RT_PARAM_INVALID).");

static PyObject *rt_reset_device_force(PyObject *self, PyObject *args,
				       PyObject *kw)
{
	static char *kwl[] = { "device_id", NULL };

	if (an_in_hostfn)
		return an_ret(ACL_ERROR_RT_PARAM_INVALID);
	return rt_device_call(args, kw, "O&:reset_device_force", kwl,
			      aclrtResetDeviceForce);
}

PyDoc_STRVAR(rt_get_device_doc,
"get_device($module, /)\n--\n\n"
"aclrtGetDevice: the calling thread's current device.\n\n"
"device_id, ret = acl.rt.get_device()");

static PyObject *rt_get_device(PyObject *self, PyObject *unused)
{
	int32_t dev = 0;
	aclError ret;

	AN_NOGIL(ret = aclrtGetDevice(&dev));
	return Py_BuildValue("(ii)", (int)dev, ret);
}

PyDoc_STRVAR(rt_get_device_count_doc,
"get_device_count($module, /)\n--\n\n"
"aclrtGetDeviceCount: the number of (emulated) devices.\n\n"
"count, ret = acl.rt.get_device_count()");

static PyObject *rt_get_device_count(PyObject *self, PyObject *unused)
{
	uint32_t count = 0;
	aclError ret;

	AN_NOGIL(ret = aclrtGetDeviceCount(&count));
	return Py_BuildValue("(Ii)", (unsigned int)count, ret);
}

PyDoc_STRVAR(rt_device_can_access_peer_doc,
"device_can_access_peer($module, /, device_id, peer_device_id)\n--\n\n"
"aclrtDeviceCanAccessPeer: whether the topology connects two devices.\n\n"
"can_access_peer, ret = acl.rt.device_can_access_peer(device_id,\n"
"                                                      peer_device_id)\n"
"can_access_peer is 1 or 0.");

static PyObject *rt_device_can_access_peer(PyObject *self, PyObject *args,
					   PyObject *kwargs)
{
	static char *kw[] = { "device_id", "peer_device_id", NULL };
	int32_t dev, peer, can = 0;
	aclError ret;

	if (!PyArg_ParseTupleAndKeywords(args, kwargs,
					 "O&O&:device_can_access_peer", kw,
					 an_conv_i32, &dev, an_conv_i32, &peer))
		return NULL;
	AN_NOGIL(ret = aclrtDeviceCanAccessPeer(&can, dev, peer));
	return Py_BuildValue("(ii)", (int)can, ret);
}

PyDoc_STRVAR(rt_device_enable_peer_access_doc,
"device_enable_peer_access($module, /, peer_device_id, flags=0)\n--\n\n"
"aclrtDeviceEnablePeerAccess: let the current device access a peer.\n\n"
"ret = acl.rt.device_enable_peer_access(peer_device_id, flags)\n"
"One direction only; flags must be 0.");

static PyObject *rt_device_enable_peer_access(PyObject *self, PyObject *args,
					      PyObject *kwargs)
{
	static char *kw[] = { "peer_device_id", "flags", NULL };
	uint32_t flags = 0;
	int32_t peer;
	aclError ret;

	if (!PyArg_ParseTupleAndKeywords(args, kwargs,
					 "O&|O&:device_enable_peer_access", kw,
					 an_conv_i32, &peer, an_conv_u32,
					 &flags))
		return NULL;
	AN_NOGIL(ret = aclrtDeviceEnablePeerAccess(peer, flags));
	return an_ret(ret);
}

PyDoc_STRVAR(rt_device_disable_peer_access_doc,
"device_disable_peer_access($module, /, peer_device_id)\n--\n\n"
"aclrtDeviceDisablePeerAccess: withdraw access to a peer device.\n\n"
"ret = acl.rt.device_disable_peer_access(peer_device_id)");

static PyObject *rt_device_disable_peer_access(PyObject *self, PyObject *args,
					       PyObject *kw)
{
	static char *kwl[] = { "peer_device_id", NULL };

	return rt_device_call(args, kw, "O&:device_disable_peer_access", kwl,
			      aclrtDeviceDisablePeerAccess);
}

PyDoc_STRVAR(rt_device_get_bare_tgid_doc,
"device_get_bare_tgid($module, /)\n--\n\n"
"aclrtDeviceGetBareTgid: this process's PID for other processes' trustlists.\n\n"
"pid, ret = acl.rt.device_get_bare_tgid()\n"
"The TGID in the initial PID namespace (differs from os.getpid() in a\n"
"container). Pass it to the exporter's notify_set_import_pid.");

static PyObject *rt_device_get_bare_tgid(PyObject *self, PyObject *unused)
{
	int32_t pid = 0;
	aclError ret;

	AN_NOGIL(ret = aclrtDeviceGetBareTgid(&pid));
	return Py_BuildValue("(ii)", (int)pid, ret);
}

PyDoc_STRVAR(rt_synchronize_device_doc,
"synchronize_device($module, /)\n--\n\n"
"aclrtSynchronizeDevice: wait until every stream of the current device\n"
"has run its queued tasks.\n\n"
"ret = acl.rt.synchronize_device()");

static PyObject *rt_synchronize_device(PyObject *self, PyObject *unused)
{
	aclError ret;

	AN_NOGIL(ret = aclrtSynchronizeDevice());
	return an_ret(ret);
}

/* ---- acl.rt: streams -------------------------------------------------------- */

PyDoc_STRVAR(rt_create_stream_doc,
"create_stream($module, /)\n--\n\n"
"aclrtCreateStream: a new stream on the current device.\n\n"
"stream, ret = acl.rt.create_stream()");

static PyObject *rt_create_stream(PyObject *self, PyObject *unused)
{
	aclrtStream stream = NULL;
	aclError ret;

	AN_NOGIL(ret = aclrtCreateStream(&stream));
	return Py_BuildValue("(Ni)", an_handle(stream), ret);
}

static PyObject *rt_destroy(PyObject *args, PyObject *kwargs, const char *fmt,
			    aclError (*fn)(aclrtStream))
{
	static char *kw[] = { "stream", NULL };
	uint64_t before = an_hostfn_seq;
	aclrtStream stream;
	aclError ret;

	if (!PyArg_ParseTupleAndKeywords(args, kwargs, fmt, kw,
					 an_conv_stream, &stream))
		return NULL;
	AN_NOGIL(ret = fn(stream));
	/* The stream's thread is joined: its tasks ran or were dropped. */
	if (ret == ACL_SUCCESS && stream)
		an_hostfn_sweep(false, (uintptr_t)stream, before);
	return an_ret(ret);
}

PyDoc_STRVAR(rt_destroy_stream_doc,
"destroy_stream($module, /, stream)\n--\n\n"
"aclrtDestroyStream: destroy a stream once its queued tasks have run.\n\n"
"ret = acl.rt.destroy_stream(stream)");

static PyObject *rt_destroy_stream(PyObject *self, PyObject *args,
				   PyObject *kw)
{
	return rt_destroy(args, kw, "O&:destroy_stream", aclrtDestroyStream);
}

PyDoc_STRVAR(rt_destroy_stream_force_doc,
"destroy_stream_force($module, /, stream)\n--\n\n"
"aclrtDestroyStreamForce: destroy a stream, dropping its queued tasks.\n\n"
"ret = acl.rt.destroy_stream_force(stream)\n"
"Dropped host functions release their callable and argument.");

static PyObject *rt_destroy_stream_force(PyObject *self, PyObject *args,
					 PyObject *kw)
{
	return rt_destroy(args, kw, "O&:destroy_stream_force",
			  aclrtDestroyStreamForce);
}

/* After a synchronization that waited for the tasks queued before it. */
static void rt_synced(aclrtStream stream, aclError ret, uint64_t before)
{
	/*
	 * A task error ends the wait too, having discarded the tasks behind
	 * the failed one; other codes may mean that nothing was waited for.
	 * Default streams are left alone: "0" names a different stream after
	 * a reset, and finalize releases what they leave behind.
	 */
	if (stream && (ret == ACL_SUCCESS || ret == ACL_ERROR_RT_TASK_TIMEOUT))
		an_hostfn_sweep(false, (uintptr_t)stream, before);
}

PyDoc_STRVAR(rt_synchronize_stream_doc,
"synchronize_stream($module, /, stream)\n--\n\n"
"aclrtSynchronizeStream: wait until a stream has run its queued tasks.\n\n"
"ret = acl.rt.synchronize_stream(stream)\n"
"stream 0 (or None) is the current device's default stream. A failed task\n"
"reports here, e.g. ACL_ERROR_RT_TASK_TIMEOUT (107020) for an expired\n"
"notify wait.");

static PyObject *rt_synchronize_stream(PyObject *self, PyObject *args,
				       PyObject *kwargs)
{
	static char *kw[] = { "stream", NULL };
	uint64_t before = an_hostfn_seq;
	aclrtStream stream;
	aclError ret;

	if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O&:synchronize_stream",
					 kw, an_conv_stream, &stream))
		return NULL;
	AN_NOGIL(ret = aclrtSynchronizeStream(stream));
	rt_synced(stream, ret, before);
	return an_ret(ret);
}

PyDoc_STRVAR(rt_synchronize_stream_with_timeout_doc,
"synchronize_stream_with_timeout($module, /, stream, timeout)\n--\n\n"
"aclrtSynchronizeStreamWithTimeout: synchronize_stream, giving up after\n"
"timeout milliseconds.\n\n"
"ret = acl.rt.synchronize_stream_with_timeout(stream, timeout)\n"
"timeout > 0 in ms, or -1 to wait forever. Expiry returns\n"
"ACL_ERROR_RT_STREAM_SYNC_TIMEOUT (507046).");

static PyObject *rt_synchronize_stream_with_timeout(PyObject *self,
						    PyObject *args,
						    PyObject *kwargs)
{
	static char *kw[] = { "stream", "timeout", NULL };
	uint64_t before = an_hostfn_seq;
	aclrtStream stream;
	int32_t timeout;
	aclError ret;

	if (!PyArg_ParseTupleAndKeywords(args, kwargs,
					 "O&O&:synchronize_stream_with_timeout",
					 kw, an_conv_stream, &stream,
					 an_conv_i32, &timeout))
		return NULL;
	AN_NOGIL(ret = aclrtSynchronizeStreamWithTimeout(stream, timeout));
	rt_synced(stream, ret, before);
	return an_ret(ret);
}

PyDoc_STRVAR(rt_set_stream_failure_mode_doc,
"set_stream_failure_mode($module, /, stream, mode)\n--\n\n"
"aclrtSetStreamFailureMode: what a stream does with the tasks behind a\n"
"failed task.\n\n"
"ret = acl.rt.set_stream_failure_mode(stream, mode)\n"
"mode: ACL_CONTINUE_ON_FAILURE (0, the default: they run) or\n"
"ACL_STOP_ON_FAILURE (1: they are discarded until a synchronisation\n"
"reported the failure). stream None is the default stream.");

static PyObject *rt_set_stream_failure_mode(PyObject *self, PyObject *args,
					    PyObject *kwargs)
{
	static char *kw[] = { "stream", "mode", NULL };
	aclrtStream stream;
	uint64_t mode;
	aclError ret;

	if (!PyArg_ParseTupleAndKeywords(args, kwargs,
					 "O&O&:set_stream_failure_mode", kw,
					 an_conv_stream, &stream, an_conv_u64,
					 &mode))
		return NULL;
	AN_NOGIL(ret = aclrtSetStreamFailureMode(stream, mode));
	return an_ret(ret);
}

PyDoc_STRVAR(rt_stream_query_doc,
"stream_query($module, /, stream)\n--\n\n"
"aclrtStreamQuery: whether a stream has run all its queued tasks.\n\n"
"status, ret = acl.rt.stream_query(stream)\n"
"status is ACL_STREAM_STATUS_COMPLETE (0) or ACL_STREAM_STATUS_NOT_READY (1).");

static PyObject *rt_stream_query(PyObject *self, PyObject *args,
				 PyObject *kwargs)
{
	static char *kw[] = { "stream", NULL };
	aclrtStreamStatus status = ACL_STREAM_STATUS_COMPLETE;
	aclrtStream stream;
	aclError ret;

	if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O&:stream_query", kw,
					 an_conv_stream, &stream))
		return NULL;
	AN_NOGIL(ret = aclrtStreamQuery(stream, &status));
	return Py_BuildValue("(ii)", (int)status, ret);
}

PyDoc_STRVAR(rt_launch_host_func_doc,
"launch_host_func($module, /, stream, fn, args=None)\n--\n\n"
"aclrtLaunchHostFunc: queue fn(args) on a stream.\n\n"
"ret = acl.rt.launch_host_func(stream, fn, args)\n"
"fn runs on the stream's library thread, with the GIL, after the tasks\n"
"queued before it; later tasks wait for it to return. The module keeps\n"
"fn and args alive until then. An exception in fn goes to\n"
"sys.unraisablehook and does not fail the stream. fn must not\n"
"synchronize or destroy its own stream.");

static PyObject *rt_launch_host_func(PyObject *self, PyObject *args,
				     PyObject *kwargs)
{
	static char *kw[] = { "stream", "fn", "args", NULL };
	PyObject *fn, *arg = Py_None;
	struct an_hostfn *h;
	aclrtStream stream;
	aclError ret;

	if (!PyArg_ParseTupleAndKeywords(args, kwargs,
					 "O&O|O:launch_host_func", kw,
					 an_conv_stream, &stream, &fn, &arg))
		return NULL;
	if (!PyCallable_Check(fn)) {
		PyErr_Format(PyExc_TypeError,
			     "fn must be callable, not %.100s",
			     Py_TYPE(fn)->tp_name);
		return NULL;
	}
	h = PyMem_RawCalloc(1, sizeof(*h));
	if (!h)
		return PyErr_NoMemory();
	Py_INCREF(fn);
	Py_INCREF(arg);
	h->fn = fn;
	h->arg = arg;
	h->seq = AN_SEQ_LAUNCHING;
	h->stream = (uintptr_t)stream;
	an_hostfn_link(h);
	/*
	 * With the GIL held, unlike every other call: the trampoline needs
	 * the GIL before it touches the record, so it cannot free it before
	 * the sequence number is set below. Queueing never waits for stream
	 * work, only for the library's short internal locks, none of which
	 * is held by a thread that waits for the GIL.
	 */
	ret = aclrtLaunchHostFunc(stream, an_hostfn_trampoline, h);
	if (ret != ACL_SUCCESS) {
		an_hostfn_unlink(h);
		an_hostfn_free(h);
	} else {
		h->seq = an_hostfn_seq++;
	}
	return an_ret(ret);
}

/* ---- acl.rt: notifies ----------------------------------------------------- */

PyDoc_STRVAR(rt_create_notify_doc,
"create_notify($module, /, flag)\n--\n\n"
"aclrtCreateNotify: a new notify on the current device.\n\n"
"notify, ret = acl.rt.create_notify(flag)\n"
"flag: ACL_NOTIFY_DEFAULT (0) or ACL_NOTIFY_DEVICE_USE_ONLY (1).");

static PyObject *rt_create_notify(PyObject *self, PyObject *args,
				  PyObject *kwargs)
{
	static char *kw[] = { "flag", NULL };
	aclrtNotify notify = NULL;
	uint64_t flag;
	aclError ret;

	if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O&:create_notify", kw,
					 an_conv_u64, &flag))
		return NULL;
	AN_NOGIL(ret = aclrtCreateNotify(&notify, flag));
	return Py_BuildValue("(Ni)", an_handle(notify), ret);
}

PyDoc_STRVAR(rt_destroy_notify_doc,
"destroy_notify($module, /, notify)\n--\n\n"
"aclrtDestroyNotify: close this process's handle on a notify.\n\n"
"ret = acl.rt.destroy_notify(notify)\n"
"The creator's destroy withdraws the export key.");

static PyObject *rt_destroy_notify(PyObject *self, PyObject *args,
				   PyObject *kwargs)
{
	static char *kw[] = { "notify", NULL };
	aclrtNotify notify;
	aclError ret;

	if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O&:destroy_notify", kw,
					 an_conv_handle, &notify))
		return NULL;
	AN_NOGIL(ret = aclrtDestroyNotify(notify));
	return an_ret(ret);
}

PyDoc_STRVAR(rt_record_notify_doc,
"record_notify($module, /, notify, stream)\n--\n\n"
"aclrtRecordNotify: queue a record (set the notify's bit) on a stream.\n\n"
"ret = acl.rt.record_notify(notify, stream)");

static PyObject *rt_record_notify(PyObject *self, PyObject *args,
				  PyObject *kwargs)
{
	static char *kw[] = { "notify", "stream", NULL };
	aclrtNotify notify;
	aclrtStream stream;
	aclError ret;

	if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O&O&:record_notify", kw,
					 an_conv_handle, &notify,
					 an_conv_stream, &stream))
		return NULL;
	AN_NOGIL(ret = aclrtRecordNotify(notify, stream));
	return an_ret(ret);
}

PyDoc_STRVAR(rt_wait_and_reset_notify_doc,
"wait_and_reset_notify($module, /, notify, stream, timeout)\n--\n\n"
"aclrtWaitAndResetNotify: queue a wait-and-reset of a notify on a stream.\n\n"
"ret = acl.rt.wait_and_reset_notify(notify, stream, timeout)\n"
"timeout is passed to the C function unchanged: in SECONDS, 0 = forever\n"
"(pyACL's documentation says milliseconds; CANN's runtime uses seconds).\n"
"Expiry shows at the next synchronize as ACL_ERROR_RT_TASK_TIMEOUT.");

static PyObject *rt_wait_and_reset_notify(PyObject *self, PyObject *args,
					  PyObject *kwargs)
{
	static char *kw[] = { "notify", "stream", "timeout", NULL };
	aclrtNotify notify;
	aclrtStream stream;
	uint32_t timeout;
	aclError ret;

	if (!PyArg_ParseTupleAndKeywords(args, kwargs,
					 "O&O&O&:wait_and_reset_notify", kw,
					 an_conv_handle, &notify,
					 an_conv_stream, &stream,
					 an_conv_u32, &timeout))
		return NULL;
	AN_NOGIL(ret = aclrtWaitAndResetNotify(notify, stream, timeout));
	return an_ret(ret);
}

PyDoc_STRVAR(rt_get_notify_id_doc,
"get_notify_id($module, /, notify)\n--\n\n"
"aclrtGetNotifyId: a notify's id on its device (the creator's id for an\n"
"imported notify).\n\n"
"notify_id, ret = acl.rt.get_notify_id(notify)");

static PyObject *rt_get_notify_id(PyObject *self, PyObject *args,
				  PyObject *kwargs)
{
	static char *kw[] = { "notify", NULL };
	aclrtNotify notify;
	uint32_t id = 0;
	aclError ret;

	if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O&:get_notify_id", kw,
					 an_conv_handle, &notify))
		return NULL;
	AN_NOGIL(ret = aclrtGetNotifyId(notify, &id));
	return Py_BuildValue("(Ii)", (unsigned int)id, ret);
}

PyDoc_STRVAR(rt_notify_batch_reset_doc,
"notify_batch_reset($module, /, notifies)\n--\n\n"
"aclrtNotifyBatchReset: clear the bits of a list of notifies at once.\n\n"
"ret = acl.rt.notify_batch_reset([notify_1, notify_2, ...])\n"
"All or nothing: one invalid handle changes none.");

static PyObject *rt_notify_batch_reset(PyObject *self, PyObject *args,
				       PyObject *kwargs)
{
	static char *kw[] = { "notifies", NULL };
	aclrtNotify *notifies;
	PyObject *list;
	aclError ret;
	size_t n;

	if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:notify_batch_reset",
					 kw, &list))
		return NULL;
	notifies = an_int_array(list, "notifies", sizeof(*notifies),
				an_conv_handle, &n);
	if (!notifies)
		return NULL;
	AN_NOGIL(ret = aclrtNotifyBatchReset(notifies, n));
	PyMem_Free(notifies);
	return an_ret(ret);
}

PyDoc_STRVAR(rt_notify_get_export_key_doc,
"notify_get_export_key($module, /, notify, len, flags)\n--\n\n"
"aclrtNotifyGetExportKey: make a notify shareable and get its key.\n\n"
"key, ret = acl.rt.notify_get_export_key(notify, len, flags)\n"
"len >= 65 (the C buffer size); key is a 64-character str ('' on error).\n"
"flags: ACL_RT_NOTIFY_EXPORT_FLAG_DEFAULT (0, importers must be on the\n"
"trustlist) or ACL_RT_NOTIFY_EXPORT_FLAG_DISABLE_PID_VALIDATION (2).");

static PyObject *rt_notify_get_export_key(PyObject *self, PyObject *args,
					  PyObject *kwargs)
{
	static char *kw[] = { "notify", "len", "flags", NULL };
	aclrtNotify notify;
	uint64_t flags;
	PyObject *key;
	size_t len;
	aclError ret;
	char *buf;

	if (!PyArg_ParseTupleAndKeywords(args, kwargs,
					 "O&O&O&:notify_get_export_key", kw,
					 an_conv_handle, &notify,
					 an_conv_size, &len,
					 an_conv_u64, &flags))
		return NULL;
	/* Any len >= 65 is as good as another: never allocate more. */
	if (len > AN_PY_KEY_BUF_MAX)
		len = AN_PY_KEY_BUF_MAX;
	buf = PyMem_Calloc(len ? len : 1, 1);
	if (!buf)
		return PyErr_NoMemory();
	AN_NOGIL(ret = aclrtNotifyGetExportKey(notify, buf, len, flags));
	key = PyUnicode_DecodeLatin1(buf, ret == ACL_SUCCESS ?
				     (Py_ssize_t)strnlen(buf, len) : 0, NULL);
	PyMem_Free(buf);
	if (!key)
		return NULL;
	return Py_BuildValue("(Ni)", key, ret);
}

static int an_conv_pid(PyObject *o, void *out)
{
	return an_conv_i32(o, out);
}

PyDoc_STRVAR(rt_notify_set_import_pid_doc,
"notify_set_import_pid($module, /, notify, pid)\n--\n\n"
"aclrtNotifySetImportPid: add processes to an exported notify's trustlist.\n\n"
"ret = acl.rt.notify_set_import_pid(notify, [pid_1, pid_2, ...])\n"
"The PIDs are the importers' device_get_bare_tgid() values; the count is\n"
"len(pid).");

static PyObject *rt_notify_set_import_pid(PyObject *self, PyObject *args,
					  PyObject *kwargs)
{
	static char *kw[] = { "notify", "pid", NULL };
	aclrtNotify notify;
	PyObject *list;
	int32_t *pids;
	aclError ret;
	size_t n;

	if (!PyArg_ParseTupleAndKeywords(args, kwargs,
					 "O&O:notify_set_import_pid", kw,
					 an_conv_handle, &notify, &list))
		return NULL;
	pids = an_int_array(list, "pid", sizeof(*pids), an_conv_pid, &n);
	if (!pids)
		return NULL;
	AN_NOGIL(ret = aclrtNotifySetImportPid(notify, pids, n));
	PyMem_Free(pids);
	return an_ret(ret);
}

/* One (sdid, pid) or (sdid, [pid, ...]) entry of server_pids. */
static int an_server_pid(PyObject *item, aclrtServerPid *sp)
{
	PyObject *fast, *pid;
	int ok = 0;

	fast = an_snapshot(item, "a server_pids entry");
	if (!fast)
		return 0;
	if (PyTuple_GET_SIZE(fast) != 2) {
		PyErr_SetString(PyExc_TypeError,
				"server_pids entries must be (sdid, pid) pairs");
		goto out;
	}
	if (!an_conv_u32(PyTuple_GET_ITEM(fast, 0), &sp->sdid))
		goto out;
	pid = PyTuple_GET_ITEM(fast, 1);
	if (PyList_Check(pid) || PyTuple_Check(pid)) {
		sp->pid = an_int_array(pid, "pid", sizeof(*sp->pid),
				       an_conv_pid, &sp->num);
		ok = sp->pid != NULL;
	} else {
		sp->pid = PyMem_Calloc(1, sizeof(*sp->pid));
		if (!sp->pid) {
			PyErr_NoMemory();
			goto out;
		}
		sp->num = 1;
		ok = an_conv_pid(pid, sp->pid);
	}
out:
	Py_DECREF(fast);
	return ok;
}

PyDoc_STRVAR(rt_notify_set_import_pid_inter_server_doc,
"notify_set_import_pid_inter_server($module, /, notify, server_pids)\n--\n\n"
"aclrtNotifySetImportPidInterServer: trust processes of super-node servers.\n\n"
"ret = acl.rt.notify_set_import_pid_inter_server(notify,\n"
"                                               [(sdid, pid), ...])\n"
"Each entry names a server by the SDID of one of its devices; the pid\n"
"may also be a list (C num = its length; ascend-notify accepts 1).");

static PyObject *rt_notify_set_import_pid_inter_server(PyObject *self,
						       PyObject *args,
						       PyObject *kwargs)
{
	static char *kw[] = { "notify", "server_pids", NULL };
	aclrtServerPid *sp = NULL;
	PyObject *list, *fast = NULL;
	aclrtNotify notify;
	Py_ssize_t i, n = 0;
	aclError ret;

	if (!PyArg_ParseTupleAndKeywords(args, kwargs,
					 "O&O:notify_set_import_pid_inter_server",
					 kw, an_conv_handle, &notify, &list))
		return NULL;
	fast = an_snapshot(list, "server_pids");
	if (!fast)
		return NULL;
	n = PyTuple_GET_SIZE(fast);
	sp = PyMem_Calloc(n ? (size_t)n : 1, sizeof(*sp));
	if (!sp) {
		PyErr_NoMemory();
		goto fail;
	}
	for (i = 0; i < n; i++)
		if (!an_server_pid(PyTuple_GET_ITEM(fast, i), &sp[i]))
			goto fail;
	AN_NOGIL(ret = aclrtNotifySetImportPidInterServer(notify, sp, (size_t)n));
	for (i = 0; i < n; i++)
		PyMem_Free(sp[i].pid);
	PyMem_Free(sp);
	Py_DECREF(fast);
	return an_ret(ret);
fail:
	if (sp)
		for (i = 0; i < n; i++)
			PyMem_Free(sp[i].pid);
	PyMem_Free(sp);
	Py_DECREF(fast);
	return NULL;
}

PyDoc_STRVAR(rt_notify_import_by_key_doc,
"notify_import_by_key($module, /, key, flags)\n--\n\n"
"aclrtNotifyImportByKey: open another process's notify by its key.\n\n"
"notify, ret = acl.rt.notify_import_by_key(key, flags)\n"
"key: the str (or bytes) from notify_get_export_key. flags:\n"
"ACL_RT_NOTIFY_IMPORT_FLAG_DEFAULT (0) or\n"
"ACL_RT_NOTIFY_IMPORT_FLAG_ENABLE_PEER_ACCESS (2). The handle is bound to\n"
"the current device; destroy it with destroy_notify.");

static PyObject *rt_notify_import_by_key(PyObject *self, PyObject *args,
					 PyObject *kwargs)
{
	static char *kw[] = { "key", "flags", NULL };
	aclrtNotify notify = NULL;
	PyObject *keyobj, *bytes;
	uint64_t flags;
	aclError ret;

	if (!PyArg_ParseTupleAndKeywords(args, kwargs,
					 "OO&:notify_import_by_key", kw,
					 &keyobj, an_conv_u64, &flags))
		return NULL;
	if (PyUnicode_Check(keyobj)) {
		bytes = PyUnicode_AsUTF8String(keyobj);
		if (!bytes)
			return NULL;
	} else if (PyBytes_Check(keyobj)) {
		bytes = Py_NewRef(keyobj);
	} else {
		PyErr_Format(PyExc_TypeError, "key must be str or bytes, not %.100s",
			     Py_TYPE(keyobj)->tp_name);
		return NULL;
	}
	if (strlen(PyBytes_AS_STRING(bytes)) != (size_t)PyBytes_GET_SIZE(bytes)) {
		Py_DECREF(bytes);
		PyErr_SetString(PyExc_ValueError, "key contains a NUL character");
		return NULL;
	}
	AN_NOGIL(ret = aclrtNotifyImportByKey(&notify, PyBytes_AS_STRING(bytes),
					      flags));
	Py_DECREF(bytes);
	return Py_BuildValue("(Ni)", an_handle(notify), ret);
}

/* ---- the modules ---------------------------------------------------------- */

#define KW(name) { #name, (PyCFunction)(void (*)(void))rt_##name,	\
		   METH_VARARGS | METH_KEYWORDS, rt_##name##_doc }
#define NOARGS(name) { #name, rt_##name, METH_NOARGS, rt_##name##_doc }

static PyMethodDef rt_methods[] = {
	KW(set_device),
	KW(reset_device),
	KW(reset_device_force),
	NOARGS(get_device),
	NOARGS(get_device_count),
	KW(device_can_access_peer),
	KW(device_enable_peer_access),
	KW(device_disable_peer_access),
	NOARGS(device_get_bare_tgid),
	NOARGS(synchronize_device),
	NOARGS(create_stream),
	KW(destroy_stream),
	KW(destroy_stream_force),
	KW(synchronize_stream),
	KW(synchronize_stream_with_timeout),
	KW(set_stream_failure_mode),
	KW(stream_query),
	KW(launch_host_func),
	KW(create_notify),
	KW(destroy_notify),
	KW(record_notify),
	KW(wait_and_reset_notify),
	KW(get_notify_id),
	KW(notify_batch_reset),
	KW(notify_get_export_key),
	KW(notify_set_import_pid),
	KW(notify_set_import_pid_inter_server),
	KW(notify_import_by_key),
	{ NULL, NULL, 0, NULL }
};

static PyMethodDef acl_methods[] = {
	{ "init", (PyCFunction)(void (*)(void))acl_init,
	  METH_VARARGS | METH_KEYWORDS, acl_init_doc },
	{ "finalize", acl_finalize, METH_NOARGS, acl_finalize_doc },
	{ NULL, NULL, 0, NULL }
};

PyDoc_STRVAR(rt_doc,
"acl.rt: the AscendCL runtime (devices, streams, notifies) of ascend-notify.\n\n"
"Handles are ints; every function returns ret (an aclError) last.");

static struct PyModuleDef rt_module = {
	PyModuleDef_HEAD_INIT, "acl.rt", rt_doc, -1, rt_methods,
	NULL, NULL, NULL, NULL
};

PyDoc_STRVAR(acl_doc,
"acl: pyACL-compatible bindings of ascend-notify's libascendcl.\n\n"
"    import acl\n"
"    ret = acl.init()\n"
"    ret = acl.rt.set_device(0)\n"
"    notify, ret = acl.rt.create_notify(0)\n\n"
"Handles and pointers are ints; every call returns ret (0 on success, an\n"
"aclError otherwise) as its last value; CANN errors are never raised.\n"
"Wrong argument types raise TypeError. The ACL_* error codes, flags and\n"
"enum values of the C headers are attributes of this module.");

static struct PyModuleDef acl_module = {
	PyModuleDef_HEAD_INIT, "acl", acl_doc, -1, acl_methods,
	NULL, NULL, NULL, NULL
};

static int an_add_constants(PyObject *m)
{
#define AN_PY_CONST(name) { #name, (long long)(name) },
	/* Not static: CANN's acl_base.h codes are not constant expressions. */
	const struct {
		const char *name;
		long long value;
	} consts[] = { AN_PY_CONSTANTS(AN_PY_CONST) };
#undef AN_PY_CONST
	size_t i;

	for (i = 0; i < sizeof(consts) / sizeof(consts[0]); i++)
		if (PyModule_AddObject(m, consts[i].name,
				       PyLong_FromLongLong(consts[i].value)) < 0)
			return -1;
	return 0;
}

/* Registers acl._at_exit with the atexit module. */
static int an_register_at_exit(PyObject *m)
{
	PyObject *fn, *atexit, *r;

	fn = PyCFunction_NewEx(&acl_at_exit_def, NULL, NULL);
	if (!fn)
		return -1;
	atexit = PyImport_ImportModule("atexit");
	if (!atexit) {
		Py_DECREF(fn);
		return -1;
	}
	r = PyObject_CallMethod(atexit, "register", "O", fn);
	Py_DECREF(atexit);
	if (!r || PyModule_AddObject(m, "_at_exit", fn) < 0) {
		Py_XDECREF(r);
		Py_DECREF(fn);
		return -1;
	}
	Py_DECREF(r);
	return 0;
}

PyMODINIT_FUNC PyInit_acl(void)
{
	PyObject *m, *rt;

	m = PyModule_Create(&acl_module);
	if (!m)
		return NULL;
	rt = PyModule_Create(&rt_module);
	if (!rt)
		goto fail;
	/* import acl.rt and from acl import rt both find it. */
	if (PyDict_SetItemString(PyImport_GetModuleDict(), "acl.rt", rt) < 0 ||
	    PyModule_AddObject(m, "rt", rt) < 0) {
		Py_DECREF(rt);
		goto fail;
	}
	if (an_add_constants(m) < 0 ||
	    PyModule_AddStringConstant(m, "__version__", AN_PY_VERSION) < 0 ||
	    an_register_at_exit(m) < 0)
		goto fail;
	return m;
fail:
	Py_DECREF(m);
	return NULL;
}
