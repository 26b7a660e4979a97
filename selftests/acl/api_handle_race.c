// SPDX-License-Identifier: GPL-2.0
/*
 * The library's handle table under concurrent use: threads create,
 * destroy and use notifies and streams in shared arrays at random, so
 * lookups race with destroys and with new handles taking a freed slot.
 * Every result is checked: a use of a handle that may be destroyed
 * meanwhile succeeds or reports ACL_ERROR_RT_INVALID_HANDLE, never
 * anything else (a handle must never resolve to a freed or reused
 * object); of racing destroys of one handle exactly one succeeds, which
 * the counts of created and destroyed handles check at the end.
 */
#include "acl_test.h"
#include "kselftest_harness.h"

#define THREADS		4
#define ITERS		600
#define NOTIFIES	8
#define STREAMS		4

struct table {
	void *_Atomic notify[NOTIFIES];
	void *_Atomic stream[STREAMS];
	atomic_long created, destroyed;	/* notifies and streams alike */
	atomic_long uses_ok, uses_stale;
	atomic_int failed;		/* the first unexpected result */
	aclrtStream own[THREADS];
};

struct worker {
	struct table *t;
	int id;
};

static void fail(struct table *t, int line, aclError r)
{
	int zero = 0;

	if (atomic_compare_exchange_strong(&t->failed, &zero, line))
		fprintf(stderr, "# line %d: result %d\n", line, r);
}

#define CHECK(t, cond, r) do { if (!(cond)) fail(t, __LINE__, r); } while (0)

/* A use of a handle that may be destroyed: success or a stale handle. */
static void count_use(struct table *t, aclError r, int line)
{
	if (r == ACL_SUCCESS)
		atomic_fetch_add(&t->uses_ok, 1);
	else if (r == ACL_ERROR_RT_INVALID_HANDLE)
		atomic_fetch_add(&t->uses_stale, 1);
	else
		fail(t, line, r);
}

/* Destroys @h if it is still live; counts it and empties its slot. */
static void destroy_one(struct table *t, void *_Atomic *slot, void *h,
			bool is_stream)
{
	aclError r = is_stream ? aclrtDestroyStream(h) : aclrtDestroyNotify(h);

	if (r == ACL_SUCCESS) {
		atomic_fetch_add(&t->destroyed, 1);
		atomic_compare_exchange_strong(slot, &h, NULL);
	} else {
		CHECK(t, r == ACL_ERROR_RT_INVALID_HANDLE, r);
	}
}

static void *work(void *arg)
{
	struct worker *w = arg;
	struct table *t = w->t;
	unsigned int seed = 0x9e37u * (w->id + 1);
	aclError r;
	int k;

	r = aclrtSetDevice(0);
	CHECK(t, r == ACL_SUCCESS, r);
	for (k = 0; k < ITERS && !atomic_load(&t->failed); k++) {
		int op = rand_r(&seed) % 16;
		int i = rand_r(&seed) % NOTIFIES;
		int j = rand_r(&seed) % STREAMS;
		void *n = atomic_load(&t->notify[i]);
		void *s = atomic_load(&t->stream[j]);
		void *nh = NULL;
		uint32_t id;

		if (op < 3 && !n) {
			r = aclrtCreateNotify(&nh, 0);
			CHECK(t, r == ACL_SUCCESS, r);
			if (r)
				continue;
			atomic_fetch_add(&t->created, 1);
			if (!atomic_compare_exchange_strong(&t->notify[i], &n,
							    nh))
				destroy_one(t, &t->notify[i], nh, false);
		} else if (op < 6 && n) {
			destroy_one(t, &t->notify[i], n, false);
		} else if (op == 6 && !s) {
			r = aclrtCreateStream(&nh);
			CHECK(t, r == ACL_SUCCESS, r);
			if (r)
				continue;
			atomic_fetch_add(&t->created, 1);
			if (!atomic_compare_exchange_strong(&t->stream[j], &s,
							    nh))
				destroy_one(t, &t->stream[j], nh, true);
		} else if (op == 7 && s) {
			destroy_one(t, &t->stream[j], s, true);
		} else if (op < 10 && s) {
			count_use(t, aclrtSynchronizeStream(s), __LINE__);
		} else if (op < 13 && n) {
			count_use(t, aclrtGetNotifyId(n, &id), __LINE__);
		} else if (n) {
			/*
			 * The record holds the notify: once queued it runs
			 * even if the handle is destroyed before it does.
			 */
			r = aclrtRecordNotify(n, t->own[w->id]);
			count_use(t, r, __LINE__);
			r = aclrtSynchronizeStream(t->own[w->id]);
			CHECK(t, r == ACL_SUCCESS, r);
		}
	}
	return NULL;
}

FIXTURE(race) {
	struct table t;
};

FIXTURE_SETUP(race)
{
	int i;

	memset(&self->t, 0, sizeof(self->t));
	ASSERT_EQ(ACL_SUCCESS, aclInit(NULL));
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(0));
	for (i = 0; i < THREADS; i++)
		ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&self->t.own[i]));
}

FIXTURE_TEARDOWN(race)
{
	int i;

	for (i = 0; i < THREADS; i++)
		if (self->t.own[i])
			aclrtDestroyStream(self->t.own[i]);
	aclFinalize();
}

TEST_F(race, create_destroy_and_use_from_many_threads)
{
	struct worker w[THREADS];
	pthread_t th[THREADS];
	struct table *t = &self->t;
	int i;

	for (i = 0; i < THREADS; i++) {
		w[i] = (struct worker){ t, i };
		ASSERT_EQ(0, pthread_create(&th[i], NULL, work, &w[i]));
	}
	for (i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	ASSERT_EQ(0, atomic_load(&t->failed));
	/* Every handle left is live: its destroy succeeds, once. */
	for (i = 0; i < NOTIFIES; i++) {
		void *n = atomic_load(&t->notify[i]);

		if (!n)
			continue;
		EXPECT_EQ(ACL_SUCCESS, aclrtDestroyNotify(n));
		EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE, aclrtDestroyNotify(n));
		atomic_fetch_add(&t->destroyed, 1);
	}
	for (i = 0; i < STREAMS; i++) {
		void *s = atomic_load(&t->stream[i]);

		if (!s)
			continue;
		EXPECT_EQ(ACL_SUCCESS, aclrtDestroyStream(s));
		EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE, aclrtDestroyStream(s));
		atomic_fetch_add(&t->destroyed, 1);
	}
	/* Exactly one of any racing destroys succeeded. */
	EXPECT_EQ(atomic_load(&t->created), atomic_load(&t->destroyed));
	/* The races happened: some uses found their handle gone. */
	EXPECT_LT(0, atomic_load(&t->uses_ok));
	TH_LOG("%ld handles, %ld uses, %ld of them stale",
	       atomic_load(&t->created),
	       atomic_load(&t->uses_ok) + atomic_load(&t->uses_stale),
	       atomic_load(&t->uses_stale));
}

/* Two threads destroy the same handles at once: one wins each time. */
static void *destroy_all(void *arg)
{
	void **h = arg;
	long won = 0;
	int i;

	for (i = 0; i < 64; i++)
		if (aclrtDestroyNotify(h[i]) == ACL_SUCCESS)
			won++;
		else if (aclrtGetNotifyId(h[i], &(uint32_t){ 0 }) !=
			 ACL_ERROR_RT_INVALID_HANDLE)
			return (void *)-1L;
	return (void *)won;
}

TEST_F(race, racing_destroys_of_one_handle_succeed_once)
{
	void *h[64], *r1, *r2;
	pthread_t a, b;
	int i;

	for (i = 0; i < 64; i++)
		ASSERT_EQ(ACL_SUCCESS, aclrtCreateNotify(&h[i], 0));
	ASSERT_EQ(0, pthread_create(&a, NULL, destroy_all, h));
	ASSERT_EQ(0, pthread_create(&b, NULL, destroy_all, h));
	pthread_join(a, &r1);
	pthread_join(b, &r2);
	ASSERT_NE(-1L, (long)r1);
	ASSERT_NE(-1L, (long)r2);
	EXPECT_EQ(64, (long)r1 + (long)r2);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The table hands slots out in chunks of 1024 that never move: slots of
 * a later chunk, freed and handed out again, each name their own new
 * object, and the handles they had before stay invalid.
 */
#define MANY	2600

TEST_F(race, slots_beyond_the_first_chunk_are_reused)
{
	static void *old[MANY], *h[MANY];
	static uint32_t ids[MANY];
	int i;

	for (i = 0; i < MANY; i++)
		ASSERT_EQ(ACL_SUCCESS, aclrtCreateNotify(&old[i], 0));
	/* the free list then starts with the first chunk's slots */
	for (i = MANY - 1; i >= 0; i--)
		ASSERT_EQ(ACL_SUCCESS, aclrtDestroyNotify(old[i]));
	for (i = 0; i < MANY; i++)
		ASSERT_EQ(ACL_SUCCESS, aclrtCreateNotify(&h[i], 0));
	for (i = 0; i < MANY; i++) {
		ASSERT_EQ(ACL_ERROR_RT_INVALID_HANDLE,
			  aclrtGetNotifyId(old[i], &ids[i]));
		ASSERT_EQ(ACL_SUCCESS, aclrtGetNotifyId(h[i], &ids[i]));
	}
	qsort(ids, MANY, sizeof(ids[0]), cmp_u32);
	for (i = 1; i < MANY; i++)
		ASSERT_NE(ids[i - 1], ids[i]);
	for (i = 0; i < MANY; i++) {
		ASSERT_EQ(ACL_SUCCESS, aclrtDestroyNotify(h[i]));
		ASSERT_EQ(ACL_ERROR_RT_INVALID_HANDLE, aclrtDestroyNotify(h[i]));
	}
}

/*
 * NULL, the current context's default stream, is resolved without a
 * lock: threads keep launching on it and synchronising it while the
 * context is destroyed under them. Every call succeeds or finds no
 * context; every launch that was accepted runs, exactly once (a destroy
 * drains its streams); and once a thread found the context gone, it
 * stays gone.
 */
struct def_user {
	aclrtContext ctx;
	pthread_barrier_t started;
	atomic_long accepted, ran;
	atomic_int failed;
};

static void count_ran(void *arg)
{
	atomic_fetch_add(&((struct def_user *)arg)->ran, 1);
}

static void *use_default_stream(void *arg)
{
	struct def_user *u = arg;
	aclError r = aclrtSetCurrentContext(u->ctx);
	int line = 0;

	if (r)
		line = __LINE__;
	else if ((r = aclrtLaunchHostFunc(NULL, count_ran, u)) ||
		 (r = aclrtSynchronizeStream(NULL)))
		line = __LINE__;
	else
		atomic_fetch_add(&u->accepted, 1);
	pthread_barrier_wait(&u->started);
	while (!line) {
		r = aclrtLaunchHostFunc(NULL, count_ran, u);
		if (r == ACL_ERROR_RT_CONTEXT_NULL)
			break;
		if (r) {
			line = __LINE__;
			break;
		}
		atomic_fetch_add(&u->accepted, 1);
		r = aclrtSynchronizeStream(NULL);
		if (r && r != ACL_ERROR_RT_CONTEXT_NULL)
			line = __LINE__;
	}
	if (!line && (r = aclrtSynchronizeStream(NULL)) !=
		     ACL_ERROR_RT_CONTEXT_NULL)
		line = __LINE__;
	if (line) {
		fprintf(stderr, "# line %d: result %d\n", line, r);
		atomic_store(&u->failed, line);
	}
	return NULL;
}

TEST_F(race, default_stream_of_a_context_destroyed_while_in_use)
{
	struct def_user u = { 0 };
	pthread_t th[THREADS];
	int i;

	ASSERT_EQ(0, pthread_barrier_init(&u.started, NULL, THREADS + 1));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateContext(&u.ctx, 0));
	for (i = 0; i < THREADS; i++)
		ASSERT_EQ(0, pthread_create(&th[i], NULL, use_default_stream,
					    &u));
	/* Every thread has used the default stream once. */
	pthread_barrier_wait(&u.started);
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyContext(u.ctx));
	for (i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	EXPECT_EQ(0, atomic_load(&u.failed));
	EXPECT_LE(THREADS, atomic_load(&u.accepted));
	EXPECT_EQ(atomic_load(&u.accepted), atomic_load(&u.ran));
	pthread_barrier_destroy(&u.started);
}

/*
 * A record racing the destroy of its notify or event: refused as a stale
 * handle, or accepted and then run without error (a destroy lets queued
 * records finish; it must not close the kernel handle under a record
 * that has started). Every other handle is destroyed only after the
 * recorder used it, so that records also run.
 */
struct record_race {
	bool event;
	void *_Atomic cur;
	void *_Atomic used;	/* the handle of the recorder's last try */
	atomic_int done;
	atomic_long ran, refused;
	atomic_int failed;
	aclrtStream stream;
};

static void *record_current(void *arg)
{
	struct record_race *r = arg;
	aclError e, e2;

	e = aclrtSetDevice(0);
	while (!e && !atomic_load(&r->done)) {
		void *h = atomic_load(&r->cur);

		if (!h)
			continue;
		e = r->event ? aclrtRecordEvent(h, r->stream) :
			       aclrtRecordNotify(h, r->stream);
		if (e == ACL_ERROR_RT_INVALID_HANDLE) {
			atomic_fetch_add(&r->refused, 1);
			e = ACL_SUCCESS;
			continue;
		}
		e2 = aclrtSynchronizeStream(r->stream);
		if (!e && e2)
			e = e2;
		if (!e)
			atomic_fetch_add(&r->ran, 1);
		atomic_store(&r->used, h);
	}
	if (e) {
		fprintf(stderr, "# record or synchronise: %d\n", e);
		atomic_store(&r->failed, e);
	}
	return NULL;
}

static void race_records_with_destroys(struct __test_metadata *_metadata,
				       bool event)
{
	struct record_race r = { .event = event };
	pthread_t t;
	void *h;
	int i;

	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&r.stream));
	ASSERT_EQ(0, pthread_create(&t, NULL, record_current, &r));
	for (i = 0; i < 2000 && !atomic_load(&r.failed); i++) {
		ASSERT_EQ(ACL_SUCCESS, event ? aclrtCreateEvent(&h) :
					       aclrtCreateNotify(&h, 0));
		atomic_store(&r.cur, h);
		while (i % 2 && atomic_load(&r.used) != h &&
		       !atomic_load(&r.failed))
			sched_yield();
		ASSERT_EQ(ACL_SUCCESS, event ? aclrtDestroyEvent(h) :
					       aclrtDestroyNotify(h));
	}
	atomic_store(&r.done, 1);
	pthread_join(t, NULL);
	EXPECT_EQ(0, atomic_load(&r.failed));
	/* At least the records of the handles waited for. */
	EXPECT_LE(1000, atomic_load(&r.ran));
	TH_LOG("%ld records ran, %ld refused", atomic_load(&r.ran),
	       atomic_load(&r.refused));
	EXPECT_EQ(ACL_SUCCESS, aclrtDestroyStream(r.stream));
}

TEST_F(race, notify_record_racing_its_destroy_is_refused_or_runs)
{
	race_records_with_destroys(_metadata, false);
}

TEST_F(race, event_record_racing_its_destroy_is_refused_or_runs)
{
	race_records_with_destroys(_metadata, true);
}

TEST_HARNESS_MAIN
