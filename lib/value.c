// SPDX-License-Identifier: MIT
/*
 * Stream memory operations: aclrtValueWrite and aclrtValueWait, stream
 * tasks on a 64-bit word of device memory (Documentation/user-guide.rst,
 * "Stream value operations").
 *
 * Device memory is a shmem object mapped MAP_SHARED (memory.c), in this
 * process and in every process that imported it by key, so a futex on it
 * is a shared futex keyed by the object's page: a write in one process
 * wakes a wait in another. A 64-bit value spans two futex words; a wait
 * sleeps in futex_waitv() on both halves, which checks both against the
 * value it last read before sleeping, so a write that changes either half
 * cannot be missed. A write stores the word atomically, then wakes the
 * low half, on which every waiter sleeps.
 *
 * A waiting task sleeps without a timeout. Its stream's cancel word is a
 * third futex of the vector (a private one), so a forced destroy ends it
 * (an_cancel_fire() wakes that word). The library's own stores into
 * device memory (copies and fills, an_value_wake_range()) wake the waits
 * of this process on a word they cover: a wait registers in an_value_waits
 * before it reads the word. Any other store (host code, a kernel, another
 * process's copy) is seen at the next wake: an aclrtValueWrite on the word.
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

#ifndef SYS_futex_waitv
#define SYS_futex_waitv 449
#endif

/**
 * struct an_value - a queued value write or wait
 * @call:	the stream task.
 * @addr:	the 8-byte aligned word; the task holds its allocation.
 * @value:	what to write, or the operand of the condition.
 * @flag:	WAIT: ACL_STREAM_WAIT_VALUE_*.
 * @next:	WAIT: link in an_value_waits while it runs.
 */
struct an_value {
	struct an_call call;
	uint64_t *addr;
	uint64_t value;
	uint32_t flag;
	struct an_value *next;
};

/*
 * The value waits running now in this process, for the library's stores
 * to wake. @count is read without @lock by every store: a store reads it
 * after its data (a fence), a wait bumps it before it reads the word, so
 * either the store sees the wait registered or the wait sees the store.
 */
static struct {
	pthread_mutex_t lock;
	struct an_value *head;
	atomic_uint count;
} an_value_waits = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void an_value_wake(uint64_t *addr)
{
	/* Every waiter sleeps on the low half too (see an_value_sleep). */
	syscall(SYS_futex, (uint32_t *)addr, FUTEX_WAKE, INT_MAX, NULL, NULL,
		0);
}

void an_value_wake_range(const void *p, size_t count)
{
	uintptr_t lo = (uintptr_t)p, hi = lo + count;
	struct an_value *v;

	atomic_thread_fence(memory_order_seq_cst);
	if (!count || !atomic_load_explicit(&an_value_waits.count,
					    memory_order_relaxed))
		return;
	pthread_mutex_lock(&an_value_waits.lock);
	for (v = an_value_waits.head; v; v = v->next)
		if ((uintptr_t)v->addr < hi &&
		    (uintptr_t)v->addr + sizeof(*v->addr) > lo)
			an_value_wake(v->addr);
	pthread_mutex_unlock(&an_value_waits.lock);
}

static void an_value_register(struct an_value *v)
{
	pthread_mutex_lock(&an_value_waits.lock);
	v->next = an_value_waits.head;
	an_value_waits.head = v;
	atomic_fetch_add(&an_value_waits.count, 1);	/* seq_cst */
	pthread_mutex_unlock(&an_value_waits.lock);
}

static void an_value_unregister(struct an_value *v)
{
	struct an_value **pp;

	pthread_mutex_lock(&an_value_waits.lock);
	for (pp = &an_value_waits.head; *pp; pp = &(*pp)->next) {
		if (*pp == v) {
			*pp = v->next;
			break;
		}
	}
	atomic_fetch_sub(&an_value_waits.count, 1);
	pthread_mutex_unlock(&an_value_waits.lock);
}

static bool an_value_met(uint64_t cur, uint64_t value, uint32_t flag)
{
	switch (flag) {
	case ACL_STREAM_WAIT_VALUE_GEQ:
		return (int64_t)(cur - value) >= 0;
	case ACL_STREAM_WAIT_VALUE_EQ:
		return cur == value;
	case ACL_STREAM_WAIT_VALUE_AND:
		return (cur & value) != 0;
	default:	/* ACL_STREAM_WAIT_VALUE_NOR, checked at enqueue */
		return ~(cur | value) != 0;
	}
}

/*
 * Sleeps until a wake on @addr or @cancel, either half differing from
 * @cur, or @cancel nonzero; 0 or -errno (-EAGAIN and -EINTR are "look
 * again").
 */
static int an_value_sleep(uint64_t *addr, uint64_t cur,
			  _Atomic uint32_t *cancel)
{
	uint32_t *w = (uint32_t *)addr, half[2];
	struct futex_waitv v[3];
	int i;

	memcpy(half, &cur, sizeof(half));
	memset(v, 0, sizeof(v));
	for (i = 0; i < 2; i++) {
		v[i].val = half[i];
		v[i].uaddr = (uintptr_t)&w[i];
		v[i].flags = FUTEX_32;	/* shared: other processes wake us */
	}
	v[2].val = 0;
	v[2].uaddr = (uintptr_t)cancel;
	v[2].flags = FUTEX_32 | FUTEX_PRIVATE_FLAG;
	if (syscall(SYS_futex_waitv, v, 3, 0, NULL, 0) >= 0)
		return 0;
	return -errno;
}

static aclError an_value_wait_run(struct an_call *call,
				  struct an_cancel *cancel)
{
	struct an_value *v = (struct an_value *)call;
	aclError ret = ACL_SUCCESS;

	an_value_register(v);
	for (;;) {
		uint64_t cur = __atomic_load_n(v->addr, __ATOMIC_ACQUIRE);
		int err;

		if (an_value_met(cur, v->value, v->flag))
			break;
		if (an_cancelled(cancel)) {
			an_log(AN_LOG_WARN, call->func,
			       "abandoning a value wait: stream destroyed");
			ret = ACL_ERROR_RT_STREAM_ABORT;
			break;
		}
		err = an_value_sleep(v->addr, cur, &cancel->word);
		if (err && err != -EAGAIN && err != -EINTR) {
			an_log(AN_LOG_ERROR, call->func, "futex_waitv: %s",
			       strerror(-err));
			ret = an_errno_to_acl(err);
			break;
		}
	}
	an_value_unregister(v);
	return ret;
}

static aclError an_value_write_run(struct an_call *call,
				   struct an_cancel *cancel)
{
	struct an_value *v = (struct an_value *)call;

	(void)cancel;
	__atomic_store_n(v->addr, v->value, __ATOMIC_SEQ_CST);
	an_value_wake(v->addr);
	return ACL_SUCCESS;
}

static void an_value_release(struct an_call *call)
{
	free(call);
}

/*
 * The checks and the enqueue both calls share, in CANN's order: devAddr
 * (ACL), the stream, the flag, the address (runtime).
 */
static aclError an_value_op(const char *func, void *devAddr, uint64_t value,
			    uint32_t flag, aclrtStream stream, bool wait)
{
	struct an_obj *hold = NULL;
	struct an_stream *s;
	struct an_value *v;
	aclError ret;

	if (!devAddr) {
		an_log(AN_LOG_ERROR, func, "devAddr is NULL");
		return ACL_ERROR_INVALID_PARAM;
	}
	ret = an_rt_ready();
	if (!ret)
		ret = an_stream_resolve(stream, &s);
	if (ret)
		return ret;
	if (wait ? flag > ACL_STREAM_WAIT_VALUE_NOR : flag != 0) {
		an_log(AN_LOG_ERROR, func, "flag %#x", flag);
		ret = ACL_ERROR_RT_PARAM_INVALID;
	} else if ((uintptr_t)devAddr % sizeof(uint64_t)) {
		an_log(AN_LOG_ERROR, func, "devAddr %p is not 8-byte aligned",
		       devAddr);
		ret = ACL_ERROR_RT_PARAM_INVALID;
	} else {
		ret = an_mem_hold(func, devAddr, sizeof(uint64_t), &hold);
	}
	v = ret ? NULL : calloc(1, sizeof(*v));
	if (!ret && !v)
		ret = an_fail(ACL_ERROR_RT_MEMORY_ALLOCATION, "out of memory");
	if (v) {
		v->call.run = wait ? an_value_wait_run : an_value_write_run;
		v->call.release = an_value_release;
		v->call.func = func;
		v->addr = devAddr;
		v->value = value;
		v->flag = flag;
		ret = an_stream_call(s, &v->call, hold);
	}
	if (hold)
		an_obj_put(hold);
	an_stream_put(s);
	return ret;
}

AN_EXPORT aclError aclrtValueWrite(void *devAddr, uint64_t value,
				   uint32_t flag, aclrtStream stream)
{
	return an_value_op(__func__, devAddr, value, flag, stream, false);
}

AN_EXPORT aclError aclrtValueWait(void *devAddr, uint64_t value,
				  uint32_t flag, aclrtStream stream)
{
	return an_value_op(__func__, devAddr, value, flag, stream, true);
}
