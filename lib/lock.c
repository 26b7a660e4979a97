// SPDX-License-Identifier: MIT
/*
 * The slow paths of lock.h's mutex and condition variable: the futex
 * system calls, when a lock is contended or somebody waits.
 */
#include <errno.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lock.h"

static long an_futex(_Atomic uint32_t *word, int op, uint32_t val,
		     const struct timespec *until)
{
	return syscall(SYS_futex, word, op, val, until, NULL,
		       FUTEX_BITSET_MATCH_ANY);
}

/* Takes @m, which was not free: marks it waited for, sleeps until free. */
void an_mutex_lock_slow(struct an_mutex *m)
{
	while (atomic_exchange_explicit(&m->word, 2, memory_order_acquire))
		an_futex(&m->word, FUTEX_WAIT_PRIVATE, 2, NULL);
}

/* Wakes one thread sleeping in an_mutex_lock_slow(). */
void an_mutex_wake(struct an_mutex *m)
{
	an_futex(&m->word, FUTEX_WAKE_PRIVATE, 1, NULL);
}

/*
 * Releases @m, sleeps until @c is signalled (or @until, CLOCK_MONOTONIC,
 * if given, passes), takes @m again. Returns ETIMEDOUT when the deadline
 * passed, else 0 (a signal, or a spurious end: the caller checks).
 */
int an_cond_wait(struct an_cond *c, struct an_mutex *m,
		 const struct timespec *until)
{
	uint32_t seq = atomic_load_explicit(&c->seq, memory_order_relaxed);
	int ret = 0;

	c->waiters++;
	an_mutex_unlock(m);
	/* FUTEX_WAIT_BITSET: an absolute CLOCK_MONOTONIC deadline. */
	if (an_futex(&c->seq, FUTEX_WAIT_BITSET_PRIVATE, seq, until) &&
	    errno == ETIMEDOUT)
		ret = ETIMEDOUT;
	/* Others may sleep on @m meanwhile: take it as waited for. */
	an_mutex_lock_slow(m);
	c->waiters--;
	return ret;
}

/* Bumps @c's sequence and wakes up to @nr of its waiters. */
void an_cond_wake(struct an_cond *c, int nr)
{
	atomic_fetch_add_explicit(&c->seq, 1, memory_order_relaxed);
	an_futex(&c->seq, FUTEX_WAKE_PRIVATE, (uint32_t)nr, NULL);
}
