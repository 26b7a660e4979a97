// SPDX-License-Identifier: GPL-2.0
/*
 * The library's own mutex and condition variable (lib/lock.h), which
 * order every stream's queue: mutual exclusion under contention, no lost
 * signal, broadcasts that reach every waiter, deadlines kept. Built with
 * lib/lock.c, without the rest of the library.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <time.h>

#include "lock.h"
#include "kselftest_harness.h"

struct shared {
	struct an_mutex lock;
	struct an_cond cond;
	unsigned long counter;	/* plain: only the mutex protects it */
	int turn;
	int rounds;
	int go;
	int arrived;
};

static void shared_init(struct shared *sh)
{
	an_mutex_init(&sh->lock);
	an_cond_init(&sh->cond);
	sh->counter = 0;
	sh->turn = 0;
	sh->go = 0;
	sh->arrived = 0;
}

#define INCREMENTS 20000

static void *increment(void *arg)
{
	struct shared *sh = arg;
	int i;

	for (i = 0; i < INCREMENTS; i++) {
		an_mutex_lock(&sh->lock);
		sh->counter++;
		/* Let the others find it locked, and sleep on it. */
		if (!(i % 64))
			sched_yield();
		an_mutex_unlock(&sh->lock);
	}
	return NULL;
}

/*
 * Four threads on two CPUs, one of them now and then yielding with the lock
 * held: contended locks sleep and are woken.
 */
TEST(mutex_excludes_under_contention)
{
	struct shared sh;
	pthread_t t[4];
	int i;

	shared_init(&sh);
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, increment, &sh));
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, pthread_join(t[i], NULL));
	EXPECT_EQ(4ul * INCREMENTS, sh.counter);
	EXPECT_EQ(0, atomic_load(&sh.lock.word));
}

/* Waits for its turn (@turn == @me), then passes it on, @rounds times. */
static void take_turns(struct shared *sh, int me)
{
	int i;

	an_mutex_lock(&sh->lock);
	for (i = 0; i < sh->rounds; i++) {
		while (sh->turn != me)
			an_cond_wait(&sh->cond, &sh->lock, NULL);
		sh->turn = !me;
		an_cond_signal(&sh->cond);
	}
	an_mutex_unlock(&sh->lock);
}

static void *player_one(void *arg)
{
	take_turns(arg, 1);
	return NULL;
}

/*
 * Ping-pong through one condition variable: a signal lost between a
 * waiter's check and its sleep would hang both (the harness's timeout).
 */
TEST(signal_is_never_lost)
{
	struct shared sh;
	pthread_t t;

	shared_init(&sh);
	sh.rounds = 20000;
	ASSERT_EQ(0, pthread_create(&t, NULL, player_one, &sh));
	take_turns(&sh, 0);
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(0, sh.turn);
	EXPECT_EQ(0, sh.cond.waiters);
}

static void *wait_for_go(void *arg)
{
	struct shared *sh = arg;

	an_mutex_lock(&sh->lock);
	sh->arrived++;
	an_cond_broadcast(&sh->cond);	/* tells the test */
	while (!sh->go)
		an_cond_wait(&sh->cond, &sh->lock, NULL);
	sh->arrived--;
	an_mutex_unlock(&sh->lock);
	return NULL;
}

/*
 * One broadcast ends every wait. A waiter goes from counting itself in
 * @arrived to sleeping without letting go of the mutex in between: once
 * the test holds the mutex and sees them all, all of them wait.
 */
TEST(broadcast_wakes_every_waiter)
{
	enum { WAITERS = 8 };
	struct shared sh;
	pthread_t t[WAITERS];
	int i;

	shared_init(&sh);
	for (i = 0; i < WAITERS; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, wait_for_go, &sh));
	an_mutex_lock(&sh.lock);
	while (sh.arrived < WAITERS)
		an_cond_wait(&sh.cond, &sh.lock, NULL);
	EXPECT_EQ(WAITERS, sh.cond.waiters);
	sh.go = 1;
	an_cond_broadcast(&sh.cond);
	an_mutex_unlock(&sh.lock);
	for (i = 0; i < WAITERS; i++)
		ASSERT_EQ(0, pthread_join(t[i], NULL));
	EXPECT_EQ(0, sh.arrived);
	EXPECT_EQ(0, sh.cond.waiters);
}

/* A wait with a deadline and no signal ends at the deadline, not before. */
TEST(timed_wait_ends_at_its_deadline)
{
	struct timespec until, now;
	struct shared sh;
	int ret;

	shared_init(&sh);
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_nsec += 50000000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	an_mutex_lock(&sh.lock);
	do
		ret = an_cond_wait(&sh.cond, &sh.lock, &until);
	while (!ret);
	/* The mutex is held again. */
	EXPECT_NE(0, atomic_load(&sh.lock.word));
	an_mutex_unlock(&sh.lock);
	clock_gettime(CLOCK_MONOTONIC, &now);
	EXPECT_EQ(ETIMEDOUT, ret);
	EXPECT_TRUE(now.tv_sec > until.tv_sec ||
		    (now.tv_sec == until.tv_sec &&
		     now.tv_nsec >= until.tv_nsec));
}

TEST_HARNESS_MAIN
