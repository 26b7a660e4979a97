// SPDX-License-Identifier: GPL-2.0
/*
 * Load and faults, bounded in time: many processes cycling through every
 * operation, a SIGKILL storm against processes in every state, the device
 * limit raced by several processes, a signal storm against waiters, a
 * descriptor closed under a waiter, and module unload while a context is
 * open. Afterwards nothing is left.
 */
#include <pthread.h>
#include <stdatomic.h>

#include "an_test.h"
#include "kselftest_harness.h"

#define PROCS	16

/* A pipe the children write a byte to per round, so the parent can act
 * while they are busy, without sleeping.
 */
FIXTURE(stress) {
	int progress[2];
};

FIXTURE_SETUP(stress)
{
	ASSERT_EQ(0, pipe2(self->progress, O_CLOEXEC));
}

FIXTURE_TEARDOWN(stress)
{
	close(self->progress[0]);
	close(self->progress[1]);
	EXPECT_EQ(0, an_live_objects());
}

/*
 * One full cycle on device @dev: create, export, trust ourselves, import,
 * record through the import, wait through the creator, destroy both.
 */
static int cycle(int fd, uint32_t dev, int32_t me)
{
	char key[AN_KEY_BUF];
	uint32_t h, imp;
	int ret;

	ret = an_create(fd, dev, 0, &h);
	if (ret)
		return ret;
	ret = an_export(fd, h, 0, key) ?: an_set_pids(fd, h, &me, 1) ?:
	      an_import(fd, key, dev, 0, &imp);
	if (!ret) {
		ret = an_record(fd, imp) ?: an_wait(fd, h, 0) ?:
		      an_destroy(fd, imp);
	}
	return ret ?: an_destroy(fd, h);
}

TEST_F_TIMEOUT(stress, many_processes_cycle_every_operation, 300)
{
	enum { CYCLES = 1500 };
	pid_t kids[PROCS];
	uint64_t start = an_now_ns();
	int i;

	for (i = 0; i < PROCS; i++) {
		kids[i] = an_fork();
		ASSERT_LE(0, kids[i]);
		if (kids[i] == 0) {
			int fd = an_open(), j, me;

			me = an_bare_tgid(fd);
			for (j = 0; j < CYCLES; j++)
				if (cycle(fd, (i + j) % 8, me))
					_exit(1);
			_exit(0);
		}
	}
	for (i = 0; i < PROCS; i++)
		EXPECT_EQ(0, an_reap(kids[i]));
	TH_LOG("%d cycles (%d ioctls) in %llu ms", PROCS * CYCLES,
	       PROCS * CYCLES * 9,
	       (unsigned long long)(an_now_ns() - start) / 1000000);
}

/*
 * Workers share notifies through keys exported without PID check, and do
 * everything at random: create, export, import, record, wait with and
 * without deadlines, destroy. Each reports progress; the parent kills
 * them at random moments, in whatever state they are, and starts new
 * ones, until enough were killed.
 */
static void chaos(int progress, unsigned int seed, char (*keys)[AN_KEY_BUF])
{
	uint32_t hs[32] = { 0 };
	int fd = an_open();

	if (fd < 0)
		_exit(1);
	srand(seed);
	for (;;) {
		unsigned int slot = rand() % 32, op = rand() % 8;
		uint32_t dev = rand() % 8;

		switch (op) {
		case 0:
			if (!hs[slot])
				an_create(fd, dev, 0, &hs[slot]);
			break;
		case 1:
			/* Shared with the others; a torn key is refused. */
			an_export(fd, hs[slot], ASCEND_NOTIFY_EXPORT_NO_PID_CHECK,
				  keys[slot % 16]);
			break;
		case 2:
			if (!hs[slot] && keys[slot % 16][0])
				an_import(fd, keys[slot % 16], dev,
					  ASCEND_NOTIFY_IMPORT_PEER_ACCESS,
					  &hs[slot]);
			break;
		case 3:
			an_record(fd, hs[slot]);
			break;
		case 4:
			an_wait_for(fd, hs[slot], 1000000);
			break;
		case 5:
			/* A long wait: killed here, sometimes. */
			an_wait_for(fd, hs[slot], 50000000);
			break;
		case 6:
			if (!an_destroy(fd, hs[slot]))
				hs[slot] = 0;
			break;
		case 7:
			if (write(progress, "", 1) != 1)
				_exit(0);
			break;
		}
	}
}

TEST_F_TIMEOUT(stress, kill_storm_leaves_nothing, 300)
{
	enum { KILLS = 200 };
	char (*keys)[AN_KEY_BUF];
	pid_t kids[PROCS];
	int i, killed = 0;
	char c;

	/* Key slots all workers see: imports cross processes. */
	keys = mmap(NULL, 16 * AN_KEY_BUF, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, keys);
	for (i = 0; i < PROCS; i++) {
		kids[i] = an_fork();
		ASSERT_LE(0, kids[i]);
		if (kids[i] == 0)
			chaos(self->progress[1], i, keys);
	}
	while (killed < KILLS) {
		/* Someone made progress: kill a random one, start another. */
		ASSERT_EQ(1, read(self->progress[0], &c, 1));
		i = rand() % PROCS;
		ASSERT_EQ(0, kill(kids[i], SIGKILL));
		ASSERT_EQ(128 + SIGKILL, an_reap(kids[i]));
		killed++;
		kids[i] = an_fork();
		ASSERT_LE(0, kids[i]);
		if (kids[i] == 0)
			chaos(self->progress[1], PROCS + killed, keys);
	}
	for (i = 0; i < PROCS; i++) {
		kill(kids[i], SIGKILL);
		EXPECT_EQ(128 + SIGKILL, an_reap(kids[i]));
	}
	TH_LOG("%d processes killed", killed + PROCS);
	munmap(keys, 16 * AN_KEY_BUF);
}

TEST_F_TIMEOUT(stress, device_limit_raced_by_several_processes, 120)
{
	struct ascend_notify_device_info di = { .dev = 3 };
	int got[4], total = 0, fd, i;
	pid_t kids[4];
	int done[2], hold[2];
	char c;

	fd = an_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, an_ioctl(fd, ASCEND_NOTIFY_IOC_DEVICE_INFO, &di));
	close(fd);
	ASSERT_EQ(0, pipe(done));
	ASSERT_EQ(0, pipe(hold));
	for (i = 0; i < 4; i++) {
		kids[i] = an_fork();
		ASSERT_LE(0, kids[i]);
		if (kids[i] == 0) {
			int n = 0, ret;

			fd = an_open();
			close(hold[1]);
			while (!(ret = an_create(fd, 3, 0, NULL)))
				n++;
			an_send(done[1], &n, sizeof(n));
			/* Keep them until the parent counted. */
			_exit(ret == -ENOSPC && read(hold[0], &c, 1) == 0 ?
			      0 : 1);
		}
	}
	close(hold[0]);
	for (i = 0; i < 4; i++) {
		ASSERT_TRUE(an_recv(done[0], &got[i], sizeof(got[i])));
		total += got[i];
	}
	/* Exactly the limit, however the processes interleaved. */
	EXPECT_EQ(di.max_notifies, total);
	close(hold[1]);
	for (i = 0; i < 4; i++)
		EXPECT_EQ(0, an_reap(kids[i]));
	close(done[0]);
	close(done[1]);
}

struct closer {
	int fd;
	uint32_t h;
	atomic_int tid;
	int ret;
};

static void *wait_forever(void *arg)
{
	struct closer *c = arg;

	atomic_store(&c->tid, gettid());
	c->ret = an_wait(c->fd, c->h, ASCEND_NOTIFY_FOREVER);
	return NULL;
}

TEST_F(stress, closing_the_descriptor_wakes_a_waiter)
{
	struct closer c = { 0 };
	pthread_t t;

	c.fd = an_open();
	ASSERT_LE(0, c.fd);
	ASSERT_EQ(0, an_create(c.fd, 0, 0, &c.h));
	ASSERT_EQ(0, pthread_create(&t, NULL, wait_forever, &c));
	while (!atomic_load(&c.tid))
		sched_yield();
	ASSERT_TRUE(an_waiting(atomic_load(&c.tid)));
	/*
	 * The last descriptor of its owner is gone: the context's handles
	 * go with it, and the waiter wakes instead of sleeping forever.
	 */
	ASSERT_EQ(0, close(c.fd));
	pthread_join(t, NULL);
	EXPECT_EQ(-EIDRM, c.ret);
}

TEST_F(stress, module_unload_refused_while_a_context_is_open)
{
	int fd = an_open();

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, an_create(fd, 0, 0, NULL));
	EXPECT_NE(0, syscall(SYS_delete_module, "ascend_notify", O_NONBLOCK));
	EXPECT_TRUE(errno == EWOULDBLOCK || errno == EBUSY);
	/* Still working. */
	EXPECT_EQ(0, an_record(fd, 1));
	close(fd);
	/* Now it unloads (and the teardown's check needs it back). */
	EXPECT_EQ(0, syscall(SYS_delete_module, "ascend_notify", O_NONBLOCK));
	ASSERT_EQ(0, an_module_restore());
}

/*
 * Signal storm against waiters in several processes: half wait forever and
 * are released by records, half have a deadline nobody meets. Signals keep
 * hitting all of them, with and without SA_RESTART (a waiter interrupted
 * with EINTR re-issues the same absolute deadline, as the library does).
 * Every released waiter returns 0 exactly once and consumes its record;
 * every timed waiter times out no earlier than its deadline and not
 * stretched by the storm.
 */
enum { STORM_WAITERS = 8 };

struct storm_slot {
	atomic_int signals;	/* handler runs in the waiter */
	atomic_int ready;
	pid_t pid;
	char key[AN_KEY_BUF];
};

static struct storm_slot *storm_slot;

static void storm_handler(int sig)
{
	atomic_fetch_add(&storm_slot->signals, 1);
}

struct storm_result {
	int idx;
	int ret;
	int64_t late_ns;	/* return time - deadline, timed waiters */
};

static void __attribute__((noreturn))
storm_waiter(struct storm_slot *slots, int idx, uint64_t deadline, int out)
{
	struct sigaction sa = { .sa_handler = storm_handler,
				.sa_flags = (idx & 2) ? SA_RESTART : 0 };
	struct storm_result res = { .idx = idx };
	uint32_t h;
	int fd;

	storm_slot = &slots[idx];
	fd = an_open();
	if (fd < 0 || sigaction(SIGUSR1, &sa, NULL) ||
	    an_create(fd, 0, 0, &h) ||
	    an_export(fd, h, ASCEND_NOTIFY_EXPORT_NO_PID_CHECK,
		      slots[idx].key))
		_exit(10);
	atomic_store(&slots[idx].ready, 1);
	do {
		res.ret = an_wait(fd, h, deadline);
	} while (res.ret == -EINTR);
	if (deadline != ASCEND_NOTIFY_FOREVER)
		res.late_ns = (int64_t)(an_now_ns() - deadline);
	else if (!res.ret && an_is_set(fd, h) != 0)
		res.ret = -EEXIST;	/* the record was not consumed */
	_exit(an_send(out, &res, sizeof(res)) ? 0 : 11);
}

TEST_F_TIMEOUT(stress, signal_storm_keeps_results_and_deadlines, 120)
{
	const uint64_t timed_ns = 400 * 1000000ull;
	const int64_t slack_ns = 3000 * 1000000ll;
	struct storm_slot *slots;
	uint32_t imp[STORM_WAITERS];
	int done = 0, results[2], fd, i;
	bool seen[STORM_WAITERS] = { 0 };
	uint64_t deadline, give_up;

	slots = mmap(NULL, sizeof(*slots) * STORM_WAITERS,
		     PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, slots);
	memset(slots, 0, sizeof(*slots) * STORM_WAITERS);
	ASSERT_EQ(0, pipe2(results, O_CLOEXEC | O_NONBLOCK));
	fd = an_open();
	ASSERT_LE(0, fd);

	/* Even waiters wait forever, odd ones until a shared deadline. */
	deadline = an_now_ns() + timed_ns;
	for (i = 0; i < STORM_WAITERS; i++) {
		pid_t pid = an_fork();

		ASSERT_LE(0, pid);
		if (pid == 0)
			storm_waiter(slots, i, (i & 1) ? deadline :
					       ASCEND_NOTIFY_FOREVER,
				     results[1]);
		slots[i].pid = pid;
	}
	for (i = 0; i < STORM_WAITERS; i++) {
		while (!atomic_load(&slots[i].ready))
			sched_yield();
		if (!(i & 1))
			ASSERT_EQ(0, an_import(fd, slots[i].key, 0, 0,
					       &imp[i]));
	}

	/* Storm until every waiter reported, recording once each was hit. */
	give_up = deadline + 10 * 1000000000ull;
	while (done < STORM_WAITERS) {
		struct storm_result res;

		for (i = 0; i < STORM_WAITERS; i++) {
			if (seen[i])
				continue;
			kill(slots[i].pid, SIGUSR1);
			if (!(i & 1) && imp[i] &&
			    atomic_load(&slots[i].signals) >= 50) {
				ASSERT_EQ(0, an_record(fd, imp[i]));
				imp[i] = 0;
			}
		}
		while (read(results[0], &res, sizeof(res)) == sizeof(res)) {
			ASSERT_LE(0, res.idx);
			ASSERT_GT(STORM_WAITERS, res.idx);
			ASSERT_FALSE(seen[res.idx]);
			seen[res.idx] = true;
			done++;
			if (res.idx & 1) {
				EXPECT_EQ(-ETIMEDOUT, res.ret);
				EXPECT_LE(0, res.late_ns);
				EXPECT_GT(slack_ns, res.late_ns);
			} else {
				EXPECT_EQ(0, res.ret);
				EXPECT_EQ(0, imp[res.idx]);
			}
		}
		ASSERT_GT(give_up, an_now_ns()) {
			TH_LOG("%d of %d waiters still waiting after the "
			       "storm outlasted every deadline",
			       STORM_WAITERS - done, STORM_WAITERS);
		}
	}
	for (i = 0; i < STORM_WAITERS; i++) {
		EXPECT_EQ(0, an_reap(slots[i].pid));
		EXPECT_LT(0, atomic_load(&slots[i].signals));
		TH_LOG("waiter %d (%s, %s): %d signals", i,
		       (i & 1) ? "deadline" : "released",
		       (i & 2) ? "SA_RESTART" : "EINTR",
		       atomic_load(&slots[i].signals));
	}
	close(fd);
	close(results[0]);
	close(results[1]);
	munmap(slots, sizeof(*slots) * STORM_WAITERS);
}

TEST_HARNESS_MAIN
