/* SPDX-License-Identifier: MIT */
/*
 * An inline mutex and condition variable for the stream queue.
 *
 * A stream's lock is taken four times in the record, wait and synchronise
 * round trip (tools/bench/bench_wake's "api"), never contended there. As
 * pthread_mutex_lock()/unlock() that is eight calls into libc, each a
 * lookup of translated code and, after a context switch, a page of libc
 * to map again under emulation; here the uncontended lock and unlock are
 * one atomic instruction each, inlined (performance.rst, "Pages: the
 * stream lock, static TLS, hot text").
 *
 * The mutex is the three-state futex mutex of Drepper's "Futexes Are
 * Tricky" (0 free, 1 locked, 2 locked and maybe waited for). The
 * condition variable is a sequence word: a waiter reads it with the mutex
 * held, unlocks, and sleeps only while it is unchanged; signals and
 * broadcasts bump it. They must be made with the mutex held, which lets
 * them skip the system call when nobody waits (@waiters, guarded by the
 * mutex). Waits may end without a signal: callers loop on their
 * condition, as with pthread_cond_wait(). A waiter that slept through
 * exactly 2^32 signals would miss one; the stream queue sends at most a
 * few per task.
 *
 * Private futexes: the objects never cross a fork or a shared mapping
 * (a forked child starts without the parent's streams).
 */
#ifndef LIBASCENDCL_LOCK_H
#define LIBASCENDCL_LOCK_H

#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

struct an_mutex {
	_Atomic uint32_t word;
};

struct an_cond {
	_Atomic uint32_t seq;
	unsigned int waiters;	/* guarded by the mutex waited with */
};

void an_mutex_lock_slow(struct an_mutex *m);
void an_mutex_wake(struct an_mutex *m);
int an_cond_wait(struct an_cond *c, struct an_mutex *m,
		 const struct timespec *until);
void an_cond_wake(struct an_cond *c, int nr);

static inline void an_mutex_init(struct an_mutex *m)
{
	atomic_init(&m->word, 0);
}

static inline void an_mutex_lock(struct an_mutex *m)
{
	uint32_t free = 0;

	if (!atomic_compare_exchange_strong_explicit(&m->word, &free, 1,
						     memory_order_acquire,
						     memory_order_relaxed))
		an_mutex_lock_slow(m);
}

static inline void an_mutex_unlock(struct an_mutex *m)
{
	if (atomic_exchange_explicit(&m->word, 0, memory_order_release) == 2)
		an_mutex_wake(m);
}

static inline void an_cond_init(struct an_cond *c)
{
	atomic_init(&c->seq, 0);
	c->waiters = 0;
}

/* Wakes one waiter of @c, if any; the caller holds @c's mutex. */
static inline void an_cond_signal(struct an_cond *c)
{
	if (c->waiters)
		an_cond_wake(c, 1);
}

/* Wakes every waiter of @c, if any; the caller holds @c's mutex. */
static inline void an_cond_broadcast(struct an_cond *c)
{
	if (c->waiters)
		an_cond_wake(c, INT32_MAX);
}

#endif /* LIBASCENDCL_LOCK_H */
