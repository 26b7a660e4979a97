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
 * A waiting task sleeps in slices of AN_VALUE_SLICE_NS, so that a forced
 * destroy of its stream ends it (as for notify waits); each slice also
 * re-reads the word, so a plain store (aclrtMemcpy, a host function)
 * that satisfies the condition is noticed within a slice.
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

#define AN_VALUE_SLICE_NS	(100 * 1000000ull)

#ifndef SYS_futex_waitv
#define SYS_futex_waitv 449
#endif

/**
 * struct an_value - a queued value write or wait
 * @call:	the stream task.
 * @addr:	the 8-byte aligned word; the task holds its allocation.
 * @value:	what to write, or the operand of the condition.
 * @flag:	WAIT: ACL_STREAM_WAIT_VALUE_*.
 */
struct an_value {
	struct an_call call;
	uint64_t *addr;
	uint64_t value;
	uint32_t flag;
};

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
 * Sleeps until a wake on @addr, either half differing from @cur, or
 * @until; 0 or -errno (-EAGAIN, -ETIMEDOUT and -EINTR are all "look again").
 */
static int an_value_sleep(uint64_t *addr, uint64_t cur, uint64_t until)
{
	uint32_t *w = (uint32_t *)addr, half[2];
	struct timespec ts = {
		.tv_sec = (time_t)(until / 1000000000ull),
		.tv_nsec = (long)(until % 1000000000ull),
	};
	struct futex_waitv v[2];
	int i;

	memcpy(half, &cur, sizeof(half));
	memset(v, 0, sizeof(v));
	for (i = 0; i < 2; i++) {
		v[i].val = half[i];
		v[i].uaddr = (uintptr_t)&w[i];
		v[i].flags = FUTEX_32;	/* shared: other processes wake us */
	}
	if (syscall(SYS_futex_waitv, v, 2, 0, &ts, CLOCK_MONOTONIC) >= 0)
		return 0;
	return -errno;
}

static aclError an_value_wait_run(struct an_call *call,
				  const atomic_bool *cancel)
{
	struct an_value *v = (struct an_value *)call;

	for (;;) {
		uint64_t cur = __atomic_load_n(v->addr, __ATOMIC_ACQUIRE);
		int err;

		if (an_value_met(cur, v->value, v->flag))
			return ACL_SUCCESS;
		if (atomic_load(cancel)) {
			an_log(AN_LOG_WARN, call->func,
			       "abandoning a value wait: stream destroyed");
			return ACL_ERROR_RT_STREAM_ABORT;
		}
		err = an_value_sleep(v->addr, cur,
				     an_now_ns() + AN_VALUE_SLICE_NS);
		if (err && err != -EAGAIN && err != -ETIMEDOUT &&
		    err != -EINTR) {
			an_log(AN_LOG_ERROR, call->func, "futex_waitv: %s",
			       strerror(-err));
			return an_errno_to_acl(err);
		}
	}
}

static aclError an_value_write_run(struct an_call *call,
				   const atomic_bool *cancel)
{
	struct an_value *v = (struct an_value *)call;

	__atomic_store_n(v->addr, v->value, __ATOMIC_SEQ_CST);
	/* Every waiter sleeps on the low half too (see an_value_sleep). */
	syscall(SYS_futex, (uint32_t *)v->addr, FUTEX_WAKE, INT_MAX, NULL,
		NULL, 0);
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
