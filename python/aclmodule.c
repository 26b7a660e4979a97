// SPDX-License-Identifier: MIT
/*
 * acl: the pyACL-compatible Python module over libascendcl.
 *
 *   import acl
 *   ret = acl.init()
 *   ret = acl.rt.set_device(0)
 *   notify, ret = acl.rt.create_notify(0)
 *   key, ret = acl.rt.notify_get_export_key(notify, 65, 0)
 *   soc = acl.rt.get_soc_name()
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
 * - Addresses are ints as well (malloc's dev_ptr); memcpy's host side may
 *   instead be an object with the buffer protocol, held for the call.
 *
 * Every call into the library runs with the GIL released, except
 * launch_host_func (see there), so a call that blocks (synchronize, destroy,
 * reset, finalize) never stops other Python threads, and host functions,
 * which take the GIL on a library thread, can run meanwhile.
 *
 * Structure: the bindings are data. python/acl.spec has one row per C
 * function (Python name, C function, its parameters in C order with their
 * kinds, hooks); gen_bindings.py turns it into acl_bindings.h: a typed
 * thunk per row and a struct an_fn descriptor. an_call, the one generic
 * caller, parses the arguments by the descriptor, converts each by its
 * kind (an_kinds[]), calls the thunk with the GIL released, runs the
 * hooks and builds (outputs..., ret), or the value alone for a C function
 * that does not return aclError (a ret_* kind). Only the functions that
 * take a Python callable are written by hand (@custom): launch_host_func,
 * launch_callback, the exception and stream state callbacks. Every
 * conversion that reads a container converts from a
 * tuple snapshot (an_snapshot), as an item's __index__ may change a list.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <float.h>
#include <math.h>
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
	bool callback;		/* launch_callback's: never swept */
};

#define AN_SEQ_LAUNCHING	UINT64_MAX

static struct an_hostfn an_hostfns = { &an_hostfns, &an_hostfns, NULL, NULL,
				       0, 0, false };
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

/* fn(arg), an exception going to sys.unraisablehook; GIL held. */
static void an_call_unraisable(PyObject *fn, PyObject *arg)
{
	PyObject *r = PyObject_CallOneArg(fn, arg);

	if (r)
		Py_DECREF(r);
	else
		PyErr_WriteUnraisable(fn);
}

/* Whether Python code may no longer run: the interpreter is exiting. */
static bool an_py_gone(void)
{
	return atomic_load(&an_py_exiting) || an_py_finalizing();
}

static void an_hostfn_trampoline(void *p)
{
	struct an_hostfn *h = p;
	PyGILState_STATE st;

	/*
	 * Once the interpreter is shutting down no Python code may run:
	 * leave the record (the process is exiting) and return at once, so
	 * the stream's thread finishes its queue.
	 */
	if (an_py_gone())
		return;
	st = PyGILState_Ensure();
	/* A report callback runs on the user's own thread, not the stream's. */
	an_in_hostfn = !h->callback;
	an_call_unraisable(h->fn, h->arg);
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
	struct an_hostfn dead = { &dead, &dead, NULL, NULL, 0, 0, false };
	struct an_hostfn *h, *next;

	for (h = an_hostfns.next; h != &an_hostfns; h = next) {
		next = h->next;
		if (h->seq < before && !h->callback &&
		    (all || h->stream == stream)) {
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


static PyObject *acl_at_exit(PyObject *self, PyObject *unused)
{
	atomic_store(&an_py_exiting, true);
	Py_RETURN_NONE;
}

static PyMethodDef acl_at_exit_def = {
	"_at_exit", acl_at_exit, METH_NOARGS,
	"Stops running Python host functions: the interpreter is exiting."
};

/* ---- argument kinds -------------------------------------------------------- */

/*
 * One argument of a call, in the order of the C parameters: the converted
 * input in v (and n for an array or buffer length), the storage of an
 * output in out, and what the conversion holds until the call returned
 * (obj: a bytes object; buf: an exported buffer).
 */
struct an_slot {
	union {
		long long i;
		unsigned long long u;
		double d;
		void *p;
	} v;
	size_t n;
	union {
		int32_t i32;
		uint32_t u32;
		size_t sz;
		void *p;
		aclrtIpcEventHandle ieh;
		int64_t i64;
		uint64_t u64;
		float f;
		char str[ACL_PKG_VERSION_MAX_SIZE];
		aclrtUtilizationInfo util;
		aclrtErrorInfo err;
		aclrtPhysicalMemProp prop;
		aclrtMemLocation loc;
		aclrtMemFabricHandle fab;
	} out;
	PyObject *obj;
	Py_buffer buf;
	bool has_buf;
};

/* Converts Python argument @o into slot @a: 1, or 0 with an exception set. */
typedef int (*an_conv_fn)(PyObject *o, struct an_slot *a, const char *name);

static int an_k_i32(PyObject *o, struct an_slot *a, const char *name)
{
	int32_t v;

	if (!an_conv_i32(o, &v))
		return 0;
	a->v.i = v;
	return 1;
}

static int an_k_u32(PyObject *o, struct an_slot *a, const char *name)
{
	unsigned long long v;

	if (!an_int_in(o, 0, UINT32_MAX, &v))
		return 0;
	a->v.u = v;
	return 1;
}

static int an_k_u64(PyObject *o, struct an_slot *a, const char *name)
{
	return an_conv_u64(o, &a->v.u);
}

static int an_k_size(PyObject *o, struct an_slot *a, const char *name)
{
	return an_int_in(o, 0, SIZE_MAX, &a->v.u);
}

/* A handle or an address: an int, 0 for NULL. */
static int an_k_handle(PyObject *o, struct an_slot *a, const char *name)
{
	return an_conv_handle(o, &a->v.p);
}

static int an_k_stream(PyObject *o, struct an_slot *a, const char *name)
{
	return an_conv_stream(o, &a->v.p);
}

/*
 * An address (an int) or, for host memory, an object with the buffer
 * protocol, held until the call returned; @writable for a destination.
 */
static int an_k_buffer(PyObject *o, struct an_slot *a, const char *name,
		       bool writable)
{
	if (PyIndex_Check(o))
		return an_conv_handle(o, &a->v.p);
	if (!PyObject_CheckBuffer(o)) {
		PyErr_Format(PyExc_TypeError,
			     "%s must be an address (int) or a buffer, not %.100s",
			     name, Py_TYPE(o)->tp_name);
		return 0;
	}
	if (PyObject_GetBuffer(o, &a->buf, PyBUF_SIMPLE) < 0)
		return 0;
	a->has_buf = true;
	if (writable && a->buf.readonly) {
		PyErr_Format(PyExc_TypeError, "%s must be a writable buffer, "
			     "not %.100s", name, Py_TYPE(o)->tp_name);
		return 0;
	}
	a->v.p = a->buf.buf;
	return 1;
}

static int an_k_src(PyObject *o, struct an_slot *a, const char *name)
{
	return an_k_buffer(o, a, name, false);
}

static int an_k_dst(PyObject *o, struct an_slot *a, const char *name)
{
	return an_k_buffer(o, a, name, true);
}

/* A file system path, or None for NULL. */
static int an_k_path(PyObject *o, struct an_slot *a, const char *name)
{
	if (o == Py_None)
		return 1;
	if (!PyUnicode_FSConverter(o, &a->obj))
		return 0;
	a->v.p = PyBytes_AS_STRING(a->obj);
	return 1;
}

/* An export key: a str or bytes without NUL characters. */
static int an_k_key(PyObject *o, struct an_slot *a, const char *name)
{
	if (PyUnicode_Check(o)) {
		a->obj = PyUnicode_AsUTF8String(o);
		if (!a->obj)
			return 0;
	} else if (PyBytes_Check(o)) {
		a->obj = Py_NewRef(o);
	} else {
		PyErr_Format(PyExc_TypeError, "%s must be str or bytes, not %.100s",
			     name, Py_TYPE(o)->tp_name);
		return 0;
	}
	if (strlen(PyBytes_AS_STRING(a->obj)) !=
	    (size_t)PyBytes_GET_SIZE(a->obj)) {
		PyErr_Format(PyExc_ValueError, "%s contains a NUL character",
			     name);
		return 0;
	}
	a->v.p = PyBytes_AS_STRING(a->obj);
	return 1;
}

/* A string argument (a name, a SoC version): str or bytes without NUL. */
static int an_k_str(PyObject *o, struct an_slot *a, const char *name)
{
	return an_k_key(o, a, name);
}

static int an_k_u16(PyObject *o, struct an_slot *a, const char *name)
{
	return an_int_in(o, 0, UINT16_MAX, &a->v.u);
}

/*
 * A float (or an int): TypeError for anything else, OverflowError for a
 * finite value beyond float's range (converting it would be undefined).
 */
static int an_k_float(PyObject *o, struct an_slot *a, const char *name)
{
	a->v.d = PyFloat_AsDouble(o);
	if (a->v.d == -1.0 && PyErr_Occurred())
		return 0;
	if (isfinite(a->v.d) && fabs(a->v.d) > FLT_MAX) {
		PyErr_Format(PyExc_OverflowError, "%s out of float range", name);
		return 0;
	}
	return 1;
}

static int an_conv_pid(PyObject *o, void *out)
{
	return an_conv_i32(o, out);
}

static int an_k_list_i32(PyObject *o, struct an_slot *a, const char *name)
{
	a->v.p = an_int_array(o, name, sizeof(int32_t), an_conv_pid, &a->n);
	return a->v.p != NULL;
}

static int an_k_list_handle(PyObject *o, struct an_slot *a, const char *name)
{
	a->v.p = an_int_array(o, name, sizeof(void *), an_conv_handle, &a->n);
	return a->v.p != NULL;
}

/* One (sdid, pid) or (sdid, [pid, ...]) entry of server_pids. */
static int an_server_pid(PyObject *item, void *out)
{
	aclrtServerPid *sp = out;
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

/*
 * A list (or tuple) as a C array of @elem-byte structs, each converted by
 * @conv: the array in a->v.p (set before converting, so that the kind's
 * release frees what was converted), its length in a->n. Never NULL, even
 * for an empty list: the library sees a count of 0 and answers.
 */
static int an_struct_array(PyObject *o, struct an_slot *a, const char *name,
			   size_t elem, int (*conv)(PyObject *, void *))
{
	PyObject *fast;
	Py_ssize_t i, n;
	char *arr;
	int ok = 1;

	fast = an_snapshot(o, name);
	if (!fast)
		return 0;
	n = PyTuple_GET_SIZE(fast);
	arr = PyMem_Calloc(n ? (size_t)n : 1, elem);
	if (!arr) {
		Py_DECREF(fast);
		PyErr_NoMemory();
		return 0;
	}
	a->v.p = arr;
	a->n = (size_t)n;
	for (i = 0; i < n && ok; i++)
		ok = conv(PyTuple_GET_ITEM(fast, i), arr + i * elem);
	Py_DECREF(fast);
	return ok;
}

/* A list of server_pids entries: an aclrtServerPid array, a->n long. */
static int an_k_server_pids(PyObject *o, struct an_slot *a, const char *name)
{
	return an_struct_array(o, a, name, sizeof(aclrtServerPid),
			       an_server_pid);
}

/* A key buffer of len bytes (capped: any len >= 65 is as good as another). */
static int an_k_keybuf(PyObject *o, struct an_slot *a, const char *name)
{
	unsigned long long len;

	if (!an_int_in(o, 0, SIZE_MAX, &len))
		return 0;
	if (len > AN_PY_KEY_BUF_MAX)
		len = AN_PY_KEY_BUF_MAX;
	a->v.p = PyMem_Calloc(len ? (size_t)len : 1, 1);
	if (!a->v.p) {
		PyErr_NoMemory();
		return 0;
	}
	a->n = (size_t)len;
	return 1;
}

/* The bytes of an aclrtIpcEventHandle, copied into the slot. */
static int an_k_ipc_event_handle(PyObject *o, struct an_slot *a,
				 const char *name)
{
	Py_buffer b;
	int ok = 0;

	if (PyObject_GetBuffer(o, &b, PyBUF_SIMPLE) < 0)
		return 0;
	if (b.len != (Py_ssize_t)sizeof(a->out.ieh)) {
		PyErr_Format(PyExc_ValueError, "%s must be %zu bytes, not %zd",
			     name, sizeof(a->out.ieh), b.len);
	} else {
		memcpy(&a->out.ieh, b.buf, sizeof(a->out.ieh));
		a->v.p = &a->out.ieh;
		ok = 1;
	}
	PyBuffer_Release(&b);
	return ok;
}

/* ---- VMM structs: dicts with pyACL's snake_case member names ---------- */

/* How a dict key is converted into a struct member. */
enum an_field_type { AN_F_I32, AN_F_U32, AN_F_U64, AN_F_LOCATION };

struct an_field {
	const char *key;
	size_t off;
	enum an_field_type type;
};

/* Members of enum type are int-sized: AN_F_I32 writes an int32_t. */
static const struct an_field an_location_fields[] = {
	{ "id", offsetof(aclrtMemLocation, id), AN_F_U32 },
	{ "type", offsetof(aclrtMemLocation, type), AN_F_I32 },
	{ NULL, 0, 0 },
};

static const struct an_field an_prop_fields[] = {
	{ "handle_type", offsetof(aclrtPhysicalMemProp, handleType), AN_F_I32 },
	{ "allocation_type", offsetof(aclrtPhysicalMemProp, allocationType),
	  AN_F_I32 },
	{ "mem_attr", offsetof(aclrtPhysicalMemProp, memAttr), AN_F_I32 },
	{ "location", offsetof(aclrtPhysicalMemProp, location), AN_F_LOCATION },
	{ "reserve", offsetof(aclrtPhysicalMemProp, reserve), AN_F_U64 },
	{ NULL, 0, 0 },
};

static const struct an_field an_access_fields[] = {
	{ "flags", offsetof(aclrtMemAccessDesc, flags), AN_F_I32 },
	{ "location", offsetof(aclrtMemAccessDesc, location), AN_F_LOCATION },
	{ NULL, 0, 0 },
};

_Static_assert(sizeof(aclrtMemLocationType) == sizeof(int32_t) &&
	       sizeof(aclrtMemAccessFlags) == sizeof(int32_t) &&
	       sizeof(aclrtMemAttr) == sizeof(int32_t),
	       "AN_F_I32 writes the enum members as int32_t");

/* ValueError naming the first key of @d that is not in @fields. */
static void an_unknown_key(PyObject *d, const struct an_field *fields,
			   const char *what)
{
	const struct an_field *f = fields;
	PyObject *key, *v;
	Py_ssize_t pos = 0;

	while (PyDict_Next(d, &pos, &key, &v)) {
		for (f = fields; f->key; f++)
			if (PyUnicode_Check(key) &&
			    !PyUnicode_CompareWithASCIIString(key, f->key))
				break;
		if (!f->key)
			break;
	}
	PyErr_Format(PyExc_ValueError, "%s: unknown key %R", what, key);
}

/*
 * A dict as the struct @fields describe, into @out (zeroed first: a key
 * left out is 0, as in a zero-initialised C struct). TypeError for a
 * non-dict or a non-integer value, ValueError for a key not in @fields.
 * The walk goes over a copy: converting a value runs user code.
 */
static int an_dict_struct(PyObject *o, const struct an_field *fields,
			  void *out, size_t size, const char *what)
{
	const struct an_field *f;
	Py_ssize_t found = 0;
	PyObject *d, *v;
	int ok = 0;

	if (!PyDict_Check(o)) {
		PyErr_Format(PyExc_TypeError, "%s must be a dict, not %.100s",
			     what, Py_TYPE(o)->tp_name);
		return 0;
	}
	d = PyDict_Copy(o);
	if (!d)
		return 0;
	memset(out, 0, size);
	for (f = fields; f->key; f++) {
		char *p = (char *)out + f->off;

		v = PyDict_GetItemString(d, f->key);
		if (!v)
			continue;
		found++;
		if (!(f->type == AN_F_I32 ? an_conv_i32(v, p) :
		      f->type == AN_F_U32 ? an_conv_u32(v, p) :
		      f->type == AN_F_U64 ? an_conv_u64(v, p) :
		      an_dict_struct(v, an_location_fields, p,
				     sizeof(aclrtMemLocation), f->key)))
			goto out;
	}
	if (found != PyDict_GET_SIZE(d)) {
		an_unknown_key(d, fields, what);
		goto out;
	}
	ok = 1;
out:
	Py_DECREF(d);
	return ok;
}

/* An aclrtPhysicalMemProp dict, or None for NULL. */
static int an_k_mem_prop(PyObject *o, struct an_slot *a, const char *name)
{
	if (o == Py_None)
		return 1;
	a->v.p = &a->out.prop;
	return an_dict_struct(o, an_prop_fields, &a->out.prop,
			      sizeof(a->out.prop), name);
}

/* An aclrtMemLocation dict, or None for NULL. */
static int an_k_mem_location(PyObject *o, struct an_slot *a, const char *name)
{
	if (o == Py_None)
		return 1;
	a->v.p = &a->out.loc;
	return an_dict_struct(o, an_location_fields, &a->out.loc,
			      sizeof(a->out.loc), name);
}

static int an_access_desc(PyObject *o, void *out)
{
	return an_dict_struct(o, an_access_fields, out,
			      sizeof(aclrtMemAccessDesc), "a desc entry");
}

/* A list of aclrtMemAccessDesc dicts: the array and its count (a->n). */
static int an_k_access_descs(PyObject *o, struct an_slot *a, const char *name)
{
	return an_struct_array(o, a, name, sizeof(aclrtMemAccessDesc),
			       an_access_desc);
}

/*
 * A V2 shareable handle (void * in C), converted after the other
 * arguments as it depends on the row's share_type: 128 bytes (an
 * aclrtMemFabricHandle) for ACL_MEM_SHARE_HANDLE_TYPE_FABRIC, an int (a
 * uint64_t) for any other type, which the library then judges.
 */
static int an_late_share_handle(PyObject *o, struct an_slot *a,
				const char *name, long long share_type)
{
	Py_buffer b;

	if (share_type != ACL_MEM_SHARE_HANDLE_TYPE_FABRIC) {
		a->v.p = &a->out.u64;
		return an_conv_u64(o, &a->out.u64);
	}
	if (PyIndex_Check(o) || !PyObject_CheckBuffer(o)) {
		PyErr_Format(PyExc_TypeError, "%s must be bytes for a FABRIC "
			     "handle, not %.100s", name, Py_TYPE(o)->tp_name);
		return 0;
	}
	if (PyObject_GetBuffer(o, &b, PyBUF_SIMPLE) < 0)
		return 0;
	if (b.len != (Py_ssize_t)sizeof(a->out.fab)) {
		PyErr_Format(PyExc_ValueError, "%s must be %zu bytes, not %zd",
			     name, sizeof(a->out.fab), b.len);
		PyBuffer_Release(&b);
		return 0;
	}
	memcpy(&a->out.fab, b.buf, sizeof(a->out.fab));
	PyBuffer_Release(&b);
	a->v.p = &a->out.fab;
	return 1;
}

/* The output form of a V2 shareable handle: remembers the share type. */
static int an_late_out_share_handle(PyObject *o, struct an_slot *a,
				    const char *name, long long share_type)
{
	a->n = share_type == ACL_MEM_SHARE_HANDLE_TYPE_FABRIC;
	a->v.p = &a->out.fab;
	return 1;
}

/* What a call holds for a slot: freed whether the call was made or not. */
static void an_free_array(struct an_slot *a)
{
	PyMem_Free(a->v.p);
}

static void an_free_server_pids(struct an_slot *a)
{
	aclrtServerPid *sp = a->v.p;
	size_t i;

	for (i = 0; sp && i < a->n; i++)
		PyMem_Free(sp[i].pid);
	PyMem_Free(sp);
}

/* Builds the Python value of output slot @a (ret is the call's). */
typedef PyObject *(*an_out_fn)(const struct an_slot *a, aclError ret);

static PyObject *an_o_i32(const struct an_slot *a, aclError ret)
{
	return PyLong_FromLong(ret ? 0 : a->out.i32);
}

static PyObject *an_o_u32(const struct an_slot *a, aclError ret)
{
	return PyLong_FromUnsignedLong(ret ? 0 : a->out.u32);
}

static PyObject *an_o_size(const struct an_slot *a, aclError ret)
{
	return PyLong_FromSize_t(ret ? 0 : a->out.sz);
}

static PyObject *an_o_i64(const struct an_slot *a, aclError ret)
{
	return PyLong_FromLongLong(ret ? 0 : a->out.i64);
}

static PyObject *an_o_u64(const struct an_slot *a, aclError ret)
{
	return PyLong_FromUnsignedLongLong(ret ? 0 : a->out.u64);
}

static PyObject *an_o_float(const struct an_slot *a, aclError ret)
{
	return PyFloat_FromDouble(ret ? 0.0 : a->out.f);
}

/* A C string the library returned or filled in ("" for NULL or an error). */
static PyObject *an_o_str(const struct an_slot *a, aclError ret)
{
	const char *p = a->out.p;

	return PyUnicode_DecodeUTF8(ret || !p ? "" : p,
				    ret || !p ? 0 : (Py_ssize_t)strlen(p),
				    "replace");
}

static PyObject *an_o_verstr(const struct an_slot *a, aclError ret)
{
	return PyUnicode_DecodeUTF8(a->out.str, ret ? 0 : (Py_ssize_t)
				    strnlen(a->out.str, sizeof(a->out.str)),
				    "replace");
}

/* aclGetCannAttributeList's array (a->n entries) as a list of ints. */
static PyObject *an_o_attr_list(const struct an_slot *a, aclError ret)
{
	const aclCannAttr *attr = a->out.p;
	size_t n = ret || !attr ? 0 : a->n, i;
	PyObject *l = PyList_New((Py_ssize_t)n), *v;

	for (i = 0; l && i < n; i++) {
		v = PyLong_FromLong(attr[i]);
		if (!v) {
			Py_CLEAR(l);
			break;
		}
		PyList_SET_ITEM(l, (Py_ssize_t)i, v);
	}
	return l;
}

/* A struct as a dict: pyACL's snake_case member names, 0s on an error. */
static PyObject *an_o_utilization(const struct an_slot *a, aclError ret)
{
	aclrtUtilizationInfo u = { 0 };

	if (!ret)
		u = a->out.util;
	return Py_BuildValue("{sisisisi}", "cube_utilization",
			     u.cubeUtilization, "vector_utilization",
			     u.vectorUtilization, "aicpu_utilization",
			     u.aicpuUtilization, "memory_utilization",
			     u.memoryUtilization);
}

static PyObject *an_o_error_info(const struct an_slot *a, aclError ret)
{
	aclrtErrorInfo e;

	memset(&e, 0, sizeof(e));
	if (!ret)
		e = a->out.err;
	return Py_BuildValue("{sisisi}", "try_repair", e.tryRepair,
			     "has_detail", e.hasDetail, "error_type",
			     (int)e.errorType);
}

static PyObject *an_o_pointer(const struct an_slot *a, aclError ret)
{
	return an_handle(ret ? NULL : a->out.p);
}

static PyObject *an_o_ipc_event_handle(const struct an_slot *a, aclError ret)
{
	return PyBytes_FromStringAndSize(ret ? "" : a->out.ieh.reserved,
					 ret ? 0 : (Py_ssize_t)sizeof(a->out.ieh));
}

/* A V2 shareable handle: bytes for FABRIC (b"" on an error), else an int. */
static PyObject *an_o_share_handle(const struct an_slot *a, aclError ret)
{
	if (!a->n)
		return an_o_u64(a, ret);
	return PyBytes_FromStringAndSize((const char *)a->out.fab.data,
					 ret ? 0 : (Py_ssize_t)sizeof(a->out.fab));
}

static PyObject *an_o_keybuf(const struct an_slot *a, aclError ret)
{
	return PyUnicode_DecodeLatin1(a->v.p, ret ? 0 :
				      (Py_ssize_t)strnlen(a->v.p, a->n), NULL);
}

/* The kinds of acl.spec: gen_bindings.py's KINDS name the same ones. */
enum an_kind {
	AN_K_I32, AN_K_U32, AN_K_U64, AN_K_SIZE, AN_K_HANDLE, AN_K_STREAM,
	AN_K_PTR, AN_K_SRC, AN_K_DST, AN_K_PATH, AN_K_KEY, AN_K_LIST_I32,
	AN_K_LIST_HANDLE, AN_K_SERVER_PIDS, AN_K_KEYBUF, AN_K_IPC_EVENT_HANDLE,
	AN_K_OBJECT, AN_K_OUT_I32, AN_K_OUT_U32, AN_K_OUT_SIZE,
	AN_K_OUT_HANDLE, AN_K_OUT_PTR, AN_K_OUT_IPC_EVENT_HANDLE,
	AN_K_U16, AN_K_FLOAT, AN_K_STR, AN_K_OUT_I64, AN_K_OUT_U64,
	AN_K_OUT_FLOAT, AN_K_OUT_VERSTR, AN_K_OUT_ATTR_LIST,
	AN_K_OUT_UTILIZATION, AN_K_OUT_ERROR_INFO,
	AN_K_RET_PTR, AN_K_RET_STR, AN_K_RET_U32, AN_K_RET_SIZE,
	AN_K_RET_FLOAT,
	/* VMM */
	AN_K_MEM_PROP, AN_K_MEM_LOCATION, AN_K_ACCESS_DESCS, AN_K_SHARE_TYPE,
	AN_K_SHARE_HANDLE, AN_K_OUT_SHARE_HANDLE,
	AN_K_COUNT
};

static const struct an_kind_ops {
	an_conv_fn conv;		/* NULL: an output only */
	void (*release)(struct an_slot *a);
	an_out_fn out;			/* NULL: an input only */
	bool ret;			/* the C return value: no ret */
	/*
	 * Instead of conv: converted after every other argument, with the
	 * value of the row's share_type argument (0 if none); @o is NULL for
	 * an output.
	 */
	int (*late)(PyObject *o, struct an_slot *a, const char *name,
		    long long share_type);
} an_kinds[AN_K_COUNT] = {
	[AN_K_I32] = { an_k_i32, NULL, NULL },
	[AN_K_U32] = { an_k_u32, NULL, NULL },
	[AN_K_U64] = { an_k_u64, NULL, NULL },
	[AN_K_SIZE] = { an_k_size, NULL, NULL },
	[AN_K_HANDLE] = { an_k_handle, NULL, NULL },
	[AN_K_STREAM] = { an_k_stream, NULL, NULL },
	[AN_K_PTR] = { an_k_handle, NULL, NULL },
	[AN_K_SRC] = { an_k_src, NULL, NULL },
	[AN_K_DST] = { an_k_dst, NULL, NULL },
	[AN_K_PATH] = { an_k_path, NULL, NULL },
	[AN_K_KEY] = { an_k_key, NULL, NULL },
	[AN_K_LIST_I32] = { an_k_list_i32, an_free_array, NULL },
	[AN_K_LIST_HANDLE] = { an_k_list_handle, an_free_array, NULL },
	[AN_K_SERVER_PIDS] = { an_k_server_pids, an_free_server_pids, NULL },
	[AN_K_KEYBUF] = { an_k_keybuf, an_free_array, an_o_keybuf },
	[AN_K_IPC_EVENT_HANDLE] = { an_k_ipc_event_handle, NULL, NULL },
	[AN_K_OBJECT] = { NULL, NULL, NULL },
	[AN_K_OUT_I32] = { NULL, NULL, an_o_i32 },
	[AN_K_OUT_U32] = { NULL, NULL, an_o_u32 },
	[AN_K_OUT_SIZE] = { NULL, NULL, an_o_size },
	[AN_K_OUT_HANDLE] = { NULL, NULL, an_o_pointer },
	[AN_K_OUT_PTR] = { NULL, NULL, an_o_pointer },
	[AN_K_OUT_IPC_EVENT_HANDLE] = { NULL, NULL, an_o_ipc_event_handle },
	[AN_K_U16] = { an_k_u16, NULL, NULL },
	[AN_K_FLOAT] = { an_k_float, NULL, NULL },
	[AN_K_STR] = { an_k_str, NULL, NULL },
	[AN_K_OUT_I64] = { NULL, NULL, an_o_i64 },
	[AN_K_OUT_U64] = { NULL, NULL, an_o_u64 },
	[AN_K_OUT_FLOAT] = { NULL, NULL, an_o_float },
	[AN_K_OUT_VERSTR] = { NULL, NULL, an_o_verstr },
	[AN_K_OUT_ATTR_LIST] = { NULL, NULL, an_o_attr_list },
	[AN_K_OUT_UTILIZATION] = { NULL, NULL, an_o_utilization },
	[AN_K_OUT_ERROR_INFO] = { NULL, NULL, an_o_error_info },
	[AN_K_RET_PTR] = { NULL, NULL, an_o_pointer, true },
	[AN_K_RET_STR] = { NULL, NULL, an_o_str, true },
	[AN_K_RET_U32] = { NULL, NULL, an_o_u32, true },
	[AN_K_RET_SIZE] = { NULL, NULL, an_o_size, true },
	[AN_K_RET_FLOAT] = { NULL, NULL, an_o_float, true },
	[AN_K_MEM_PROP] = { an_k_mem_prop, NULL, NULL },
	[AN_K_MEM_LOCATION] = { an_k_mem_location, NULL, NULL },
	[AN_K_ACCESS_DESCS] = { an_k_access_descs, an_free_array, NULL },
	[AN_K_SHARE_TYPE] = { an_k_i32, NULL, NULL },
	[AN_K_SHARE_HANDLE] = { .late = an_late_share_handle },
	[AN_K_OUT_SHARE_HANDLE] = { .out = an_o_share_handle,
				    .late = an_late_out_share_handle },
};

/* ---- the descriptors and their caller --------------------------------------- */

#define AN_MAX_SLOTS	8

/* What the caller does around the C call (@HOOK in acl.spec). */
enum {
	AN_HOOK_NO_HOSTFN = 1 << 0,	/* refused from a host function */
	AN_HOOK_SWEEP_ALL = 1 << 1,	/* success: every host fn record goes */
	AN_HOOK_SWEEP_STREAM = 1 << 2,	/* success: the stream's records go */
	AN_HOOK_SYNCED = 1 << 3,	/* a stream synchronisation */
	AN_HOOK_GIL = 1 << 4,		/* keeps the GIL during the call */
	AN_HOOK_CUSTOM = 1 << 5,	/* written by hand: see .custom */
};

/**
 * struct an_fn - one binding: a row of acl.spec
 * @module:	"acl", "rt" or "util": the (sub)module it belongs to.
 * @name:	its Python name; @c_name the C function it calls.
 * @call:	the generated thunk: calls @c_name with the slots.
 * @custom:	instead of the generic caller, for @custom rows.
 * @nslots:	C-order parameters; @kind the kind of each.
 * @npy:	Python parameters; @pslot the slot each fills, @kw their
 *		names (NULL-terminated), @dflt the value of an omitted
 *		optional one, @fmt the PyArg format ("O" each, "|" before
 *		the optional ones).
 * @stream_slot: the slot of the stream argument, -1 if none.
 * @hooks:	AN_HOOK_* flags.
 * @doc:	the docstring, text signature first.
 */
struct an_fn {
	const char *module;
	const char *name;
	const char *c_name;
	aclError (*call)(struct an_slot *a);
	PyCFunctionWithKeywords custom;
	int nslots;
	unsigned char kind[AN_MAX_SLOTS];
	int npy;
	signed char pslot[AN_MAX_SLOTS];
	const char *kw[AN_MAX_SLOTS + 1];
	long long dflt[AN_MAX_SLOTS];
	const char *fmt;
	int stream_slot;
	unsigned int hooks;
	const char *doc;
};

#define AN_CUSTOM(name) static PyObject *an_custom_rt_##name(PyObject *self, \
	PyObject *args, PyObject *kwargs)
AN_CUSTOM(launch_host_func);
AN_CUSTOM(launch_callback);
AN_CUSTOM(set_exception_info_callback);
AN_CUSTOM(exception_info_callback_register);
AN_CUSTOM(exception_info_callback_unregister);
AN_CUSTOM(reg_stream_state_callback);

/* Deprecated C functions (aclGetDataBufferSize) are bound all the same. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#include "acl_bindings.h"
#pragma GCC diagnostic pop

#define AN_NFNS	(sizeof(an_fns) / sizeof(an_fns[0]))

/* Runs the hooks after the call: host function records that can go. */
static void an_after_call(const struct an_fn *f, const struct an_slot *a,
			  aclError ret, uint64_t before)
{
	uintptr_t stream = f->stream_slot < 0 ? 0 :
			   (uintptr_t)a[f->stream_slot].v.p;

	if ((f->hooks & AN_HOOK_SWEEP_ALL) && ret == ACL_SUCCESS)
		an_hostfn_sweep(true, 0, before);
	/* Destroyed: the stream's thread is joined, its tasks ran or went. */
	if ((f->hooks & AN_HOOK_SWEEP_STREAM) && ret == ACL_SUCCESS && stream)
		an_hostfn_sweep(false, stream, before);
	/*
	 * A synchronisation: a task error ends the wait too, having discarded
	 * the tasks behind the failed one; other codes may mean that nothing
	 * was waited for. Default streams are left alone: "0" names a
	 * different stream after a reset, and finalize releases what they
	 * leave behind.
	 */
	if ((f->hooks & AN_HOOK_SYNCED) && stream &&
	    (ret == ACL_SUCCESS || ret == ACL_ERROR_RT_TASK_TIMEOUT))
		an_hostfn_sweep(false, stream, before);
}

/* (out_1, ..., ret), or ret alone for a function without outputs. */
static PyObject *an_results(const struct an_fn *f, const struct an_slot *a,
			    aclError ret)
{
	PyObject *t, *v;
	int i, n = 0, k = 0;

	for (i = 0; i < f->nslots; i++)
		n += an_kinds[f->kind[i]].out != NULL;
	if (!n)
		return an_ret(ret);
	/* A function that does not return aclError: its value alone. */
	if (an_kinds[f->kind[0]].ret)
		return an_kinds[f->kind[0]].out(&a[0], ACL_SUCCESS);
	t = PyTuple_New(n + 1);
	if (!t)
		return NULL;
	for (i = 0; i < f->nslots; i++) {
		if (!an_kinds[f->kind[i]].out)
			continue;
		v = an_kinds[f->kind[i]].out(&a[i], ret);
		if (!v) {
			Py_DECREF(t);
			return NULL;
		}
		PyTuple_SET_ITEM(t, k++, v);
	}
	v = an_ret(ret);
	if (!v) {
		Py_DECREF(t);
		return NULL;
	}
	PyTuple_SET_ITEM(t, k, v);
	return t;
}

/*
 * Converts the arguments of the late kinds, which depend on the row's
 * share_type argument (already converted). 1, or 0 with an exception set.
 */
static int an_convert_late(const struct an_fn *f, PyObject *const *o,
			   struct an_slot *a)
{
	long long share_type = 0;
	int i, j;

	for (i = 0; i < f->nslots; i++)
		if (f->kind[i] == AN_K_SHARE_TYPE)
			share_type = a[i].v.i;
	for (i = 0; i < f->nslots; i++) {
		if (!an_kinds[f->kind[i]].late)
			continue;
		for (j = 0; j < f->npy && f->pslot[j] != i; j++)
			;
		if (!an_kinds[f->kind[i]].late(j < f->npy ? o[j] : NULL, &a[i],
					       j < f->npy ? f->kw[j] : NULL,
					       share_type))
			return 0;
	}
	return 1;
}

/*
 * The generic caller of every generated binding: parses the arguments
 * (PyArg_ParseTupleAndKeywords with the row's names), converts each by its
 * kind, calls the thunk with the GIL released, builds the results, and
 * releases what the conversions hold. @self is a capsule of the row.
 */
static PyObject *an_call(PyObject *self, PyObject *args, PyObject *kwargs)
{
	const struct an_fn *f = PyCapsule_GetPointer(self, NULL);
	PyObject *o[AN_MAX_SLOTS] = { NULL };
	struct an_slot a[AN_MAX_SLOTS];
	PyObject *result = NULL;
	uint64_t before;
	aclError ret;
	int i;

	if (!f)
		return NULL;
	memset(a, 0, sizeof(a));
	/* Formats have at most AN_MAX_SLOTS "O"s: the rest stay unused. */
	if (!PyArg_ParseTupleAndKeywords(args, kwargs, f->fmt,
					 (char **)f->kw, &o[0], &o[1], &o[2],
					 &o[3], &o[4], &o[5], &o[6], &o[7]))
		return NULL;
	for (i = 0; i < f->npy; i++) {
		struct an_slot *s = &a[(int)f->pslot[i]];

		if (an_kinds[f->kind[(int)f->pslot[i]]].late)
			continue;
		if (!o[i])
			s->v.i = f->dflt[i];
		else if (!an_kinds[f->kind[(int)f->pslot[i]]].conv(o[i], s,
								  f->kw[i]))
			goto out;
	}
	if (!an_convert_late(f, o, a))
		goto out;
	if ((f->hooks & AN_HOOK_NO_HOSTFN) && an_in_hostfn) {
		/* It would have to join the very thread it runs on. */
		result = an_ret(ACL_ERROR_RT_PARAM_INVALID);
		goto out;
	}
	before = an_hostfn_seq;
	if (f->hooks & AN_HOOK_GIL)
		ret = f->call(a);
	else
		AN_NOGIL(ret = f->call(a));
	an_after_call(f, a, ret, before);
	result = an_results(f, a, ret);
out:
	for (i = 0; i < f->nslots; i++) {
		if (an_kinds[f->kind[i]].release)
			an_kinds[f->kind[i]].release(&a[i]);
		if (a[i].has_buf)
			PyBuffer_Release(&a[i].buf);
		Py_XDECREF(a[i].obj);
	}
	return result;
}

/* ---- the @custom rows: Python callables --------------------------------- */

static bool an_check_callable(PyObject *fn, const char *name, bool none_ok)
{
	if ((none_ok && fn == Py_None) || PyCallable_Check(fn))
		return true;
	PyErr_Format(PyExc_TypeError, "%s must be callable, not %.100s", name,
		     Py_TYPE(fn)->tp_name);
	return false;
}

/*
 * launch_host_func and launch_callback: queue fn(arg) on @stream through
 * an_hostfn_trampoline. With the GIL held, unlike every other call: the
 * trampoline needs the GIL before it touches the record, so it cannot free
 * it before the sequence number is set below. Queueing never waits for
 * stream work, only for the library's short internal locks, none of which
 * is held by a thread that waits for the GIL. A callback's record is never
 * swept: a synchronisation does not tell whether the subscribed thread ran
 * it (ACL_CALLBACK_NO_BLOCK), so only running it releases it.
 */
static PyObject *an_queue_fn(aclrtStream stream, PyObject *fn, PyObject *arg,
			     bool callback, int32_t block)
{
	struct an_hostfn *h;
	aclError ret;

	if (!an_check_callable(fn, "fn", false))
		return NULL;
	h = PyMem_RawCalloc(1, sizeof(*h));
	if (!h)
		return PyErr_NoMemory();
	h->fn = Py_NewRef(fn);
	h->arg = Py_NewRef(arg);
	h->seq = AN_SEQ_LAUNCHING;
	h->stream = (uintptr_t)stream;
	h->callback = callback;
	an_hostfn_link(h);
	if (callback)
		ret = aclrtLaunchCallback(an_hostfn_trampoline, h,
					  (aclrtCallbackBlockType)block, stream);
	else
		ret = aclrtLaunchHostFunc(stream, an_hostfn_trampoline, h);
	if (ret != ACL_SUCCESS) {
		an_hostfn_unlink(h);
		an_hostfn_free(h);
	} else {
		h->seq = an_hostfn_seq++;
	}
	return an_ret(ret);
}

AN_CUSTOM(launch_host_func)
{
	static char *kw[] = { "stream", "fn", "args", NULL };
	PyObject *fn, *arg = Py_None;
	aclrtStream stream;

	if (!PyArg_ParseTupleAndKeywords(args, kwargs,
					 "O&O|O:launch_host_func", kw,
					 an_conv_stream, &stream, &fn, &arg))
		return NULL;
	return an_queue_fn(stream, fn, arg, false, 0);
}

AN_CUSTOM(launch_callback)
{
	static char *kw[] = { "fn", "user_data", "block_type", "stream", NULL };
	PyObject *fn, *arg;
	aclrtStream stream;
	int32_t block;

	if (!PyArg_ParseTupleAndKeywords(args, kwargs,
					 "OOO&O&:launch_callback", kw, &fn,
					 &arg, an_conv_i32, &block,
					 an_conv_stream, &stream))
		return NULL;
	return an_queue_fn(stream, fn, arg, true, block);
}

/*
 * Exception and stream state callbacks: the library keeps C function
 * pointers without (exception) or with (stream state) a user argument, so
 * the Python callables live here, guarded by the GIL, and one C trampoline
 * per slot finds them when it runs: set_exception_info_callback's callable
 * (an_exc_set), the registered ones (an_exc_reg, a list: the C trampoline
 * is registered while it is not empty), and the stream state ones by name
 * (an_state: {name: (callback, args)}). The C argument of a stream state
 * trampoline is the name, a str kept in an_state_names for good: the
 * library may call it after it was unregistered (it calls a copy of its
 * table), so it must stay valid.
 */
static PyObject *an_exc_set, *an_exc_reg, *an_state, *an_state_names;

/* Calls fn(info) for each fn in @fns (a callable or a list) with the GIL. */
static void an_exc_call(PyObject **fns, aclrtExceptionInfo *info)
{
	PyGILState_STATE st;
	PyObject *snap, *i;
	Py_ssize_t k;

	if (an_py_gone())
		return;
	st = PyGILState_Ensure();
	snap = *fns && PyList_Check(*fns) ? PyList_AsTuple(*fns) :
	       Py_BuildValue("(O)", *fns ? *fns : Py_None);
	i = PyLong_FromVoidPtr(info);
	for (k = 0; snap && i && k < PyTuple_GET_SIZE(snap); k++)
		if (PyTuple_GET_ITEM(snap, k) != Py_None)
			an_call_unraisable(PyTuple_GET_ITEM(snap, k), i);
	if (!snap || !i)
		PyErr_WriteUnraisable(NULL);
	Py_XDECREF(snap);
	Py_XDECREF(i);
	PyGILState_Release(st);
}

static void an_exc_set_tramp(aclrtExceptionInfo *info)
{
	an_exc_call(&an_exc_set, info);
}

static void an_exc_reg_tramp(aclrtExceptionInfo *info)
{
	an_exc_call(&an_exc_reg, info);
}

/* Parses the one "callback" argument of the exception callback rows. */
static PyObject *an_parse_callback(PyObject *args, PyObject *kwargs,
				   const char *fmt, bool none_ok)
{
	static char *kw[] = { "callback", NULL };
	PyObject *fn;

	if (!PyArg_ParseTupleAndKeywords(args, kwargs, fmt, kw, &fn) ||
	    !an_check_callable(fn, "callback", none_ok))
		return NULL;
	return fn;
}

AN_CUSTOM(set_exception_info_callback)
{
	PyObject *fn = an_parse_callback(args, kwargs,
					 "O:set_exception_info_callback", true);
	aclError ret;

	if (!fn)
		return NULL;
	/* Stored first: the trampoline may run as soon as it is set. */
	Py_XSETREF(an_exc_set, Py_NewRef(fn));
	ret = aclrtSetExceptionInfoCallback(fn == Py_None ? NULL :
					    an_exc_set_tramp);
	return an_ret(ret);
}

AN_CUSTOM(exception_info_callback_register)
{
	PyObject *fn = an_parse_callback(args, kwargs,
		"O:exception_info_callback_register", false);
	aclError ret;

	if (!fn)
		return NULL;
	ret = aclrtExceptionInfoCallbackRegister(an_exc_reg_tramp);
	if (ret == ACL_SUCCESS && PyList_Append(an_exc_reg, fn) < 0)
		return NULL;
	return an_ret(ret);
}

AN_CUSTOM(exception_info_callback_unregister)
{
	PyObject *fn = an_parse_callback(args, kwargs,
		"O:exception_info_callback_unregister", false);
	Py_ssize_t k;

	if (!fn)
		return NULL;
	/* Not registered: nothing to do, as the library answers. */
	for (k = 0; k < PyList_GET_SIZE(an_exc_reg); k++)
		if (PyList_GET_ITEM(an_exc_reg, k) == fn)
			break;
	if (k < PyList_GET_SIZE(an_exc_reg) &&
	    PySequence_DelItem(an_exc_reg, k) < 0)
		return NULL;
	if (PyList_GET_SIZE(an_exc_reg))
		return an_ret(ACL_SUCCESS);
	return an_ret(aclrtExceptionInfoCallbackUnregister(an_exc_reg_tramp));
}

static void an_state_tramp(aclrtStream stm, aclrtStreamState state,
			   void *name)
{
	PyGILState_STATE st;
	PyObject *rec, *r;

	if (an_py_gone())
		return;
	st = PyGILState_Ensure();
	rec = PyDict_GetItemWithError(an_state, name);	/* borrowed */
	if (rec) {
		Py_INCREF(rec);
		r = PyObject_CallFunction(PyTuple_GET_ITEM(rec, 0), "NiO",
					  an_handle(stm), (int)state,
					  PyTuple_GET_ITEM(rec, 1));
		if (r)
			Py_DECREF(r);
		else
			PyErr_WriteUnraisable(PyTuple_GET_ITEM(rec, 0));
		Py_DECREF(rec);
	} else if (PyErr_Occurred()) {
		PyErr_WriteUnraisable(NULL);
	}
	PyGILState_Release(st);
}

AN_CUSTOM(reg_stream_state_callback)
{
	static char *kw[] = { "reg_name", "callback", "args", NULL };
	PyObject *name, *fn, *arg = Py_None, *key, *rec = NULL;
	const char *utf8;
	Py_ssize_t len;
	aclError ret;

	if (!PyArg_ParseTupleAndKeywords(args, kwargs,
					 "UO|O:reg_stream_state_callback", kw,
					 &name, &fn, &arg) ||
	    !an_check_callable(fn, "callback", true))
		return NULL;
	utf8 = PyUnicode_AsUTF8AndSize(name, &len);	/* lone surrogate */
	if (!utf8)
		return NULL;
	if (strlen(utf8) != (size_t)len) {
		PyErr_SetString(PyExc_ValueError,
				"reg_name contains a NUL character");
		return NULL;
	}
	/* The one str object for this name: kept, the library may hold it. */
	key = PyDict_SetDefault(an_state_names, name, name);
	if (!key)
		return NULL;
	if (fn != Py_None) {
		rec = Py_BuildValue("(OO)", fn, arg);
		if (!rec)
			return NULL;
		/* A name registered already: the library refuses it. */
		if (PyDict_Contains(an_state, key) == 0 &&
		    PyDict_SetItem(an_state, key, rec) < 0) {
			Py_DECREF(rec);
			return NULL;
		}
	}
	ret = aclrtRegStreamStateCallback(utf8,
					  fn == Py_None ? NULL : an_state_tramp,
					  key);
	if (fn == Py_None || (ret != ACL_SUCCESS &&
			      PyDict_GetItem(an_state, key) == rec))
		if (PyDict_DelItem(an_state, key) < 0)
			PyErr_Clear();	/* was not registered */
	Py_XDECREF(rec);
	return an_ret(ret);
}

/* ---- acl.util and acl._c_names ----------------------------------------------- */

PyDoc_STRVAR(util_ptr_to_bytes_doc,
"ptr_to_bytes($module, /, ptr, size)\n--\n\n"
"A copy of size bytes at address ptr (host memory, or this emulation's\n"
"device memory) as bytes.\n\n"
"data = acl.util.ptr_to_bytes(ptr, size)\n"
"No ret: the address is not checked; a bad one crashes the process.");

static PyObject *util_ptr_to_bytes(PyObject *self, PyObject *args,
				   PyObject *kwargs)
{
	static char *kw[] = { "ptr", "size", NULL };
	void *ptr;
	size_t size;

	if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O&O&:ptr_to_bytes", kw,
					 an_conv_handle, &ptr, an_conv_size,
					 &size))
		return NULL;
	if (size > PY_SSIZE_T_MAX) {
		PyErr_SetString(PyExc_OverflowError, "size too large");
		return NULL;
	}
	if (!ptr && size) {
		PyErr_SetString(PyExc_ValueError, "ptr is NULL");
		return NULL;
	}
	return PyBytes_FromStringAndSize(ptr ? ptr : "", (Py_ssize_t)size);
}

PyDoc_STRVAR(util_bytes_to_ptr_doc,
"bytes_to_ptr($module, /, data)\n--\n\n"
"The address of the memory of a bytes-like object, as an int.\n\n"
"ptr = acl.util.bytes_to_ptr(data)\n"
"No copy: the address is valid while data lives and is not resized.\n"
"Pass bytearray to write through it.");

static PyObject *util_bytes_to_ptr(PyObject *self, PyObject *args,
				   PyObject *kwargs)
{
	static char *kw[] = { "data", NULL };
	PyObject *data, *r;
	Py_buffer b;

	if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:bytes_to_ptr", kw,
					 &data))
		return NULL;
	if (PyObject_GetBuffer(data, &b, PyBUF_SIMPLE) < 0)
		return NULL;
	r = an_handle(b.buf);
	PyBuffer_Release(&b);
	return r;
}

static PyObject *acl_c_names(PyObject *self, PyObject *unused)
{
	PyObject *d = PyDict_New(), *v;
	size_t i;

	if (!d)
		return NULL;
	for (i = 0; i < AN_NFNS; i++) {
		const struct an_fn *f = &an_fns[i];

		bool top = !strcmp(f->module, "acl");

		v = PyUnicode_FromFormat("acl.%s%s%s", top ? "" : f->module,
					 top ? "" : ".", f->name);
		if (!v || PyDict_SetItemString(d, f->c_name, v) < 0) {
			Py_XDECREF(v);
			goto fail;
		}
		Py_DECREF(v);
	}
	return d;
fail:
	Py_DECREF(d);
	return NULL;
}

static PyMethodDef acl_methods[] = {
	{ "_c_names", acl_c_names, METH_NOARGS,
	  "{C name: Python name} of every binding of a C function." },
	{ NULL, NULL, 0, NULL }
};

static PyMethodDef util_methods[] = {
	{ "ptr_to_bytes", (PyCFunction)(void (*)(void))util_ptr_to_bytes,
	  METH_VARARGS | METH_KEYWORDS, util_ptr_to_bytes_doc },
	{ "bytes_to_ptr", (PyCFunction)(void (*)(void))util_bytes_to_ptr,
	  METH_VARARGS | METH_KEYWORDS, util_bytes_to_ptr_doc },
	{ NULL, NULL, 0, NULL }
};

/* ---- the modules ---------------------------------------------------------- */

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

static struct PyModuleDef rt_module = {
	PyModuleDef_HEAD_INIT, "acl.rt",
	"acl.rt: the AscendCL runtime of ascend-notify (devices, streams,\n"
	"events, memory, notifies). Handles are ints; every function returns\n"
	"ret (an aclError) last.", -1, NULL, NULL, NULL, NULL, NULL
};

static struct PyModuleDef util_module = {
	PyModuleDef_HEAD_INIT, "acl.util",
	"acl.util: host buffers and addresses (pyACL's acl.util).", -1,
	util_methods, NULL, NULL, NULL, NULL
};

/* The method definitions of the descriptors: they must outlive the module. */
static PyMethodDef an_fn_defs[AN_NFNS];

/* Adds every descriptor of module @name ("acl", "rt", "util") to @m. */
static int an_add_functions(PyObject *m, const char *name)
{
	PyObject *cap, *fn, *modname;
	size_t i;
	int err;

	modname = PyModule_GetNameObject(m);
	if (!modname)
		return -1;
	for (i = 0; i < AN_NFNS; i++) {
		const struct an_fn *f = &an_fns[i];
		PyMethodDef *def = &an_fn_defs[i];

		if (strcmp(f->module, name))
			continue;
		def->ml_name = f->name;
		def->ml_meth = (PyCFunction)(void (*)(void))
			       (f->custom ? f->custom : an_call);
		def->ml_flags = METH_VARARGS | METH_KEYWORDS;
		def->ml_doc = f->doc;
		cap = PyCapsule_New((void *)f, NULL, NULL);
		if (!cap)
			goto fail;
		fn = PyCFunction_NewEx(def, cap, modname);
		Py_DECREF(cap);
		if (!fn)
			goto fail;
		err = PyModule_AddObject(m, f->name, fn);
		if (err < 0) {
			Py_DECREF(fn);
			goto fail;
		}
	}
	Py_DECREF(modname);
	return 0;
fail:
	Py_DECREF(modname);
	return -1;
}

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

/* Creates submodule acl.@name, with its functions, as an attribute of @m. */
static int an_add_submodule(PyObject *m, struct PyModuleDef *def,
			    const char *name)
{
	PyObject *sub = PyModule_Create(def);

	if (!sub)
		return -1;
	/* import acl.rt and from acl import rt both find it. */
	if (an_add_functions(sub, name) < 0 ||
	    PyDict_SetItemString(PyImport_GetModuleDict(), def->m_name,
				 sub) < 0 ||
	    PyModule_AddObject(m, name, sub) < 0) {
		Py_DECREF(sub);
		return -1;
	}
	return 0;
}

PyMODINIT_FUNC PyInit_acl(void)
{
	PyObject *m;

	m = PyModule_Create(&acl_module);
	if (!m)
		return NULL;
	if (!an_exc_reg)
		an_exc_reg = PyList_New(0);
	if (!an_state)
		an_state = PyDict_New();
	if (!an_state_names)
		an_state_names = PyDict_New();
	if (!an_exc_reg || !an_state || !an_state_names)
		goto fail;
	if (an_add_functions(m, "acl") < 0 ||
	    an_add_submodule(m, &rt_module, "rt") < 0 ||
	    an_add_submodule(m, &util_module, "util") < 0 ||
	    an_add_constants(m) < 0 ||
	    PyModule_AddStringConstant(m, "__version__", AN_PY_VERSION) < 0 ||
	    an_register_at_exit(m) < 0)
		goto fail;
	return m;
fail:
	Py_DECREF(m);
	return NULL;
}
