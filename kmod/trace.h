/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ascend_notify - tracepoints
 *
 * Every state change of a shareable object, for perf, trace-cmd and
 * bpftrace (system "ascend_notify"). Each event names the object (device,
 * id, kind) and the caller (its TGID and thread id in the initial PID
 * namespace, as BARE_TGID reports them). Disabled, a tracepoint is a
 * static branch: the record/wait path pays nothing for them.
 *
 *	perf record -e 'ascend_notify:*' -a -- PROGRAM
 *	trace-cmd record -e ascend_notify PROGRAM
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM ascend_notify

#if !defined(_ASCEND_NOTIFY_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _ASCEND_NOTIFY_TRACE_H

#include <linux/sched.h>
#include <linux/tracepoint.h>

#include "internal.h"

#define an_trace_kind(k)						\
	__print_symbolic(k,						\
			 { ASCEND_NOTIFY_KIND_NOTIFY, "notify" },	\
			 { ASCEND_NOTIFY_KIND_EVENT, "event" },		\
			 { ASCEND_NOTIFY_KIND_MEM, "mem" })

/*
 * How a wait ended. Results are stored as positive errnos (0: success):
 * libtraceevent (perf, trace-cmd) matches no negative symbol value.
 */
#define an_trace_wait_result(r)						\
	__print_symbolic(r,						\
			 { 0, "recorded" },				\
			 { ETIMEDOUT, "timeout" },			\
			 { ERESTARTSYS, "interrupted" },		\
			 { EINTR, "interrupted" },			\
			 { EIDRM, "destroyed" },			\
			 { EXDEV, "wrong-device" })

/* The object and the caller, the fields every event starts with. */
#define AN_TRACE_OBJECT_FIELDS						\
		__field(u32, dev)					\
		__field(u32, id)					\
		__field(u32, kind)					\
		__field(pid_t, tgid)					\
		__field(pid_t, tid)

#define AN_TRACE_OBJECT_ASSIGN(obj)					\
	do {								\
		__entry->dev = (obj)->dev;				\
		__entry->id = (obj)->id;				\
		__entry->kind = (obj)->kind;				\
		__entry->tgid = current->tgid;				\
		__entry->tid = current->pid;				\
	} while (0)

#define AN_TRACE_OBJECT_FMT	"dev=%u id=%u kind=%s tgid=%d tid=%d"
#define AN_TRACE_OBJECT_ARGS						\
	__entry->dev, __entry->id, an_trace_kind(__entry->kind),	\
	__entry->tgid, __entry->tid

DECLARE_EVENT_CLASS(an_object_class,
	TP_PROTO(const struct an_object *obj),
	TP_ARGS(obj),
	TP_STRUCT__entry(AN_TRACE_OBJECT_FIELDS),
	TP_fast_assign(AN_TRACE_OBJECT_ASSIGN(obj);),
	TP_printk(AN_TRACE_OBJECT_FMT, AN_TRACE_OBJECT_ARGS)
);

/* CREATE or MEM_ALLOC made the object (before its handle is visible). */
DEFINE_EVENT(an_object_class, obj_create,
	TP_PROTO(const struct an_object *obj), TP_ARGS(obj));
/* RECORD set the bit (or found it set). */
DEFINE_EVENT(an_object_class, notify_record,
	TP_PROTO(const struct an_object *obj), TP_ARGS(obj));
/* BATCH_RESET cleared the bit, one event per handle of the batch. */
DEFINE_EVENT(an_object_class, notify_reset,
	TP_PROTO(const struct an_object *obj), TP_ARGS(obj));
/* UNEXPORT withdrew the key. */
DEFINE_EVENT(an_object_class, obj_unexport,
	TP_PROTO(const struct an_object *obj), TP_ARGS(obj));

TRACE_EVENT(obj_export,
	TP_PROTO(const struct an_object *obj, bool no_pid_check),
	TP_ARGS(obj, no_pid_check),
	TP_STRUCT__entry(AN_TRACE_OBJECT_FIELDS
			 __field(bool, no_pid_check)),
	TP_fast_assign(AN_TRACE_OBJECT_ASSIGN(obj);
		       __entry->no_pid_check = no_pid_check;),
	TP_printk(AN_TRACE_OBJECT_FMT " no_pid_check=%d",
		  AN_TRACE_OBJECT_ARGS, __entry->no_pid_check)
);

/* SET_PIDS: @added PIDs given, @trusted on the list afterwards, @result. */
TRACE_EVENT(trust_set,
	TP_PROTO(const struct an_object *obj, u32 added, u32 trusted,
		 int result),
	TP_ARGS(obj, added, trusted, result),
	TP_STRUCT__entry(AN_TRACE_OBJECT_FIELDS
			 __field(u32, added)
			 __field(u32, trusted)
			 __field(int, result)),
	TP_fast_assign(AN_TRACE_OBJECT_ASSIGN(obj);
		       __entry->added = added;
		       __entry->trusted = trusted;
		       __entry->result = result;),
	TP_printk(AN_TRACE_OBJECT_FMT " added=%u trusted=%u result=%d",
		  AN_TRACE_OBJECT_ARGS, __entry->added, __entry->trusted,
		  __entry->result)
);

/* IMPORT of a valid key: accepted (0) or refused (the errno, the reason). */
TRACE_EVENT(obj_import,
	TP_PROTO(const struct an_object *obj, u32 bound, int result),
	TP_ARGS(obj, bound, result),
	TP_STRUCT__entry(AN_TRACE_OBJECT_FIELDS
			 __field(u32, bound)
			 __field(int, result)),
	TP_fast_assign(AN_TRACE_OBJECT_ASSIGN(obj);
		       __entry->bound = bound;
		       __entry->result = -result;),
	TP_printk(AN_TRACE_OBJECT_FMT " bound=%u result=%s",
		  AN_TRACE_OBJECT_ARGS, __entry->bound,
		  __print_symbolic(__entry->result,
				   { 0, "accepted" },
				   { EACCES, "untrusted" },
				   { EXDEV, "no-peer-access" },
				   { EHOSTUNREACH, "unreachable" },
				   { EOPNOTSUPP, "virtual" },
				   { ENOMEM, "nomem" },
				   { ENOSPC, "limit" }))
);

/* A thread starts waiting; @deadline_ns on the host's CLOCK_MONOTONIC. */
TRACE_EVENT(notify_wait_start,
	TP_PROTO(const struct an_object *obj, u64 deadline_ns),
	TP_ARGS(obj, deadline_ns),
	TP_STRUCT__entry(AN_TRACE_OBJECT_FIELDS
			 __field(u64, deadline_ns)),
	TP_fast_assign(AN_TRACE_OBJECT_ASSIGN(obj);
		       __entry->deadline_ns = deadline_ns;),
	TP_printk(AN_TRACE_OBJECT_FMT " deadline_ns=%llu",
		  AN_TRACE_OBJECT_ARGS, __entry->deadline_ns)
);

/* The wait ended with @result after @waited_ns. */
TRACE_EVENT(notify_wait_end,
	TP_PROTO(const struct an_object *obj, int result, u64 waited_ns),
	TP_ARGS(obj, result, waited_ns),
	TP_STRUCT__entry(AN_TRACE_OBJECT_FIELDS
			 __field(int, result)
			 __field(u64, waited_ns)),
	TP_fast_assign(AN_TRACE_OBJECT_ASSIGN(obj);
		       __entry->result = -result;
		       __entry->waited_ns = waited_ns;),
	TP_printk(AN_TRACE_OBJECT_FMT " result=%s waited_ns=%llu",
		  AN_TRACE_OBJECT_ARGS, an_trace_wait_result(__entry->result),
		  __entry->waited_ns)
);

/* A handle went: DESTROY, or its context's end (@creator: the creator's). */
TRACE_EVENT(obj_destroy,
	TP_PROTO(const struct an_object *obj, bool creator),
	TP_ARGS(obj, creator),
	TP_STRUCT__entry(AN_TRACE_OBJECT_FIELDS
			 __field(bool, creator)),
	TP_fast_assign(AN_TRACE_OBJECT_ASSIGN(obj);
		       __entry->creator = creator;),
	TP_printk(AN_TRACE_OBJECT_FMT " creator=%d",
		  AN_TRACE_OBJECT_ARGS, __entry->creator)
);

DECLARE_EVENT_CLASS(an_mem_class,
	TP_PROTO(const struct an_object *obj, u64 size),
	TP_ARGS(obj, size),
	TP_STRUCT__entry(AN_TRACE_OBJECT_FIELDS
			 __field(u64, size)),
	TP_fast_assign(AN_TRACE_OBJECT_ASSIGN(obj);
		       __entry->size = size;),
	TP_printk(AN_TRACE_OBJECT_FMT " size=%llu",
		  AN_TRACE_OBJECT_ARGS, __entry->size)
);

/* MEM_ALLOC charged the device @size bytes. */
DEFINE_EVENT(an_mem_class, mem_alloc,
	TP_PROTO(const struct an_object *obj, u64 size), TP_ARGS(obj, size));
/* An mmap of @size bytes of the memory. */
DEFINE_EVENT(an_mem_class, mem_map,
	TP_PROTO(const struct an_object *obj, u64 size), TP_ARGS(obj, size));
/* The last handle went: @size bytes leave the device's budget. */
DEFINE_EVENT(an_mem_class, mem_free,
	TP_PROTO(const struct an_object *obj, u64 size), TP_ARGS(obj, size));

DECLARE_EVENT_CLASS(an_context_class,
	TP_PROTO(pid_t owner, u32 handles),
	TP_ARGS(owner, handles),
	TP_STRUCT__entry(__field(pid_t, owner)
			 __field(pid_t, tid)
			 __field(u32, handles)),
	TP_fast_assign(__entry->owner = owner;
		       __entry->tid = current->pid;
		       __entry->handles = handles;),
	TP_printk("owner=%d tid=%d handles=%u", __entry->owner, __entry->tid,
		  __entry->handles)
);

/* The device was opened: a new context. */
DEFINE_EVENT(an_context_class, context_open,
	TP_PROTO(pid_t owner, u32 handles), TP_ARGS(owner, handles));
/* The context's file was released, with @handles still held. */
DEFINE_EVENT(an_context_class, context_close,
	TP_PROTO(pid_t owner, u32 handles), TP_ARGS(owner, handles));

#endif /* _ASCEND_NOTIFY_TRACE_H */

/* This part must be outside the include guard. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
