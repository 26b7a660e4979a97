// SPDX-License-Identifier: GPL-2.0
/*
 * bench_waiters - wake latency with many waiters.
 *
 * N waiter processes each sleep on a notify of their own (created on device
 * i % num_devices, exported without PID validation, imported by the
 * recorder with PEER_ACCESS). The recorder (this process) cycles through
 * them: it records waiter i's notify and waits on its own reply notify,
 * which every waiter imported and records once it woke. One way is half
 * such a round trip, with N - 1 other processes asleep in the module all
 * the while. The latency must not grow with N: the target compares
 * N = 1024 with N = 1. N = 2 is there for reference: from N = 2 on, the
 * CPU that runs the waiters switches address spaces at every wake, which
 * it never does with N = 1.
 *
 * For reference the same round trips run through eventfds (one per
 * waiter, one shared reply), in blocks alternating with the notify blocks
 * in the same waiters: what the emulated machine itself does with N
 * sleeping processes.
 *
 * Placements: unpinned; "split", the recorder on CPU 0 and every waiter on
 * CPU 1; "one CPU", all of them on CPU 0, where every wake switches
 * address spaces whatever N is.
 *
 * Each round spawns the N waiters afresh for every N (the order of the Ns
 * alternates from round to round), runs REPS repetitions per placement,
 * and kills them. A block visits every waiter max(1, 64 / N) times, all
 * through notifies or all through eventfds; a repetition is a warm-up
 * block of each, then notify and eventfd blocks alternating, at least 4
 * and TRIPS round trips of each. Its figures are the median blocks of each
 * method.
 *
 * Environment: BENCH_ROUNDS, BENCH_REPS, BENCH_TRIPS.
 */
#include <linux/futex.h>
#include <sys/eventfd.h>

#include "bench.h"

/* Round trips per block, at least (a block visits every waiter). */
#define BLOCK		64
/* Notify and eventfd blocks per repetition, at least. */
#define MIN_ALTS	4
#define MAX_BLOCKS	1024
#define MAX_SAMPLES	64

static const uint32_t sizes[] = { 1, 2, 64, 1024 };
#define NSIZES		ARRAY_SIZE(sizes)

static long sys_futex(uint32_t *uaddr, int op, uint32_t val)
{
	return syscall(SYS_futex, uaddr, op, val, NULL, NULL, 0);
}

static uint32_t num_devices;

/* Shared with the waiters. */
struct shared {
	uint32_t ready;
	char reply_key[ASCEND_NOTIFY_KEY_LEN];
	char keys[][ASCEND_NOTIFY_KEY_LEN];
};

/*
 * A waiter: it is woken @passes times through its notify, then @passes
 * times through its eventfd, and so on, and answers each wake-up.
 */
static void __attribute__((noreturn))
waiter_main(struct shared *sh, uint32_t i, uint32_t passes, int ev,
	    int ev_reply)
{
	uint32_t dev = i % num_devices, self, reply, c;
	uint64_t one = 1, v;
	int fd = bench_open();

	CHECK(an_create(fd, dev, 0, &self), "waiter create");
	CHECK(an_export_raw(fd, self, ASCEND_NOTIFY_EXPORT_NO_PID_CHECK,
			    sh->keys[i]), "waiter export");
	CHECK(an_import(fd, sh->reply_key, dev,
			ASCEND_NOTIFY_IMPORT_PEER_ACCESS, &reply),
	      "waiter import");
	__atomic_add_fetch(&sh->ready, 1, __ATOMIC_RELEASE);
	sys_futex(&sh->ready, FUTEX_WAKE, 1);
	for (;;) {
		for (c = 0; c < passes; c++) {
			CHECK(an_wait(fd, self, ASCEND_NOTIFY_FOREVER), "wait");
			CHECK(an_record(fd, reply), "record");
		}
		for (c = 0; c < passes; c++) {
			if (read(ev, &v, sizeof(v)) != sizeof(v) ||
			    write(ev_reply, &one, sizeof(one)) != sizeof(one))
				bench_die("eventfd: %s", strerror(errno));
		}
	}
}

struct set {
	uint32_t n;
	uint32_t passes;	/* over all the waiters, per block */
	pid_t *pid;
	int *ev;
	uint32_t *h;
};

static void set_spawn(struct set *s, struct shared *sh, int fd, int ev_reply)
{
	uint32_t i, r;

	s->pid = calloc(s->n, sizeof(*s->pid));
	s->ev = calloc(s->n, sizeof(*s->ev));
	s->h = calloc(s->n, sizeof(*s->h));
	if (!s->pid || !s->ev || !s->h)
		bench_die("out of memory");
	__atomic_store_n(&sh->ready, 0, __ATOMIC_RELEASE);
	for (i = 0; i < s->n; i++) {
		s->ev[i] = eventfd(0, EFD_CLOEXEC);
		if (s->ev[i] < 0)
			bench_die("eventfd %u: %s", i, strerror(errno));
		s->pid[i] = bench_fork();
		if (s->pid[i] == 0) {
			int keep[] = { s->ev[i], ev_reply };

			close_except(keep, ARRAY_SIZE(keep));
			waiter_main(sh, i, s->passes, s->ev[i], ev_reply);
		}
	}
	while ((r = __atomic_load_n(&sh->ready, __ATOMIC_ACQUIRE)) < s->n)
		sys_futex(&sh->ready, FUTEX_WAIT, r);
	for (i = 0; i < s->n; i++)
		CHECK(an_import(fd, sh->keys[i], 0,
				ASCEND_NOTIFY_IMPORT_PEER_ACCESS, &s->h[i]),
		      "recorder import");
}

enum place { P_FREE, P_SPLIT, P_ONE, NPLACE };

static const char *const place_name[NPLACE] = {
	[P_FREE] = "unpinned",
	[P_SPLIT] = "split: recorder CPU 0, waiters CPU 1",
	[P_ONE] = "one CPU: all on CPU 0",
};

static const char *const place_short[NPLACE] = {
	[P_FREE] = "unpinned", [P_SPLIT] = "split", [P_ONE] = "one CPU",
};

static void set_place(struct set *s, int place)
{
	cpu_set_t set;
	uint32_t i;

	CPU_ZERO(&set);
	if (place == P_FREE) {
		for (i = 0; i < CPU_SETSIZE; i++)
			CPU_SET(i, &set);
	} else {
		CPU_SET(place == P_SPLIT ? 1 : 0, &set);
	}
	for (i = 0; i < s->n; i++)
		if (sched_setaffinity(s->pid[i], sizeof(set), &set))
			bench_die("sched_setaffinity: %s", strerror(errno));
	pin_process(place == P_FREE ? -1 : 0);
}

static void set_kill(struct set *s, int fd)
{
	uint32_t i;
	int status;

	bench_quitting = 1;
	for (i = 0; i < s->n; i++)
		kill(s->pid[i], SIGKILL);
	for (i = 0; i < s->n; i++) {
		if (waitpid(s->pid[i], &status, 0) != s->pid[i])
			bench_die("waitpid: %s", strerror(errno));
		if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
			bench_die("waiter %u ended otherwise than killed", i);
	}
	bench_quitting = 0;
	for (i = 0; i < s->n; i++) {
		CHECK(an_destroy(fd, s->h[i]), "recorder destroy");
		close(s->ev[i]);
	}
	free(s->pid);
	free(s->ev);
	free(s->h);
}

/*
 * One block: @s->passes passes over all the waiters, through notifies
 * (@notify) or eventfds. Returns the one-way latency in ns (half the mean
 * round trip).
 */
static double set_block(struct set *s, int fd, uint32_t reply, int ev_reply,
			bool notify)
{
	uint64_t one = 1, v, t0 = now_ns();
	uint32_t c, i;

	for (c = 0; c < s->passes; c++) {
		for (i = 0; i < s->n; i++) {
			if (notify) {
				CHECK(an_record(fd, s->h[i]), "record");
				CHECK(an_wait(fd, reply, ASCEND_NOTIFY_FOREVER),
				      "wait");
			} else if (write(s->ev[i], &one, sizeof(one)) !=
					   sizeof(one) ||
				   read(ev_reply, &v, sizeof(v)) != sizeof(v)) {
				bench_die("eventfd: %s", strerror(errno));
			}
		}
	}
	return (double)(now_ns() - t0) / (2.0 * s->passes * s->n);
}

/*
 * One repetition: a warm-up block of each method, then @alts alternations
 * of a notify block and an eventfd block. Its figures, per method, are the
 * median blocks.
 */
static void set_rep(struct set *s, int fd, uint32_t reply, int ev_reply,
		    uint32_t alts, double *notify, double *eventfd)
{
	static double blk[2][MAX_BLOCKS];
	uint32_t a;

	set_block(s, fd, reply, ev_reply, true);
	set_block(s, fd, reply, ev_reply, false);
	for (a = 0; a < alts; a++) {
		blk[0][a] = set_block(s, fd, reply, ev_reply, true);
		blk[1][a] = set_block(s, fd, reply, ev_reply, false);
	}
	*notify = stats_of(blk[0], alts).med;
	*eventfd = stats_of(blk[1], alts).med;
}

static long mem_available_kb(void)
{
	char line[128];
	long kb = -1;
	FILE *f = fopen("/proc/meminfo", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

int main(void)
{
	static double lat[NPLACE][2][NSIZES][MAX_SAMPLES];
	int rounds = env_long("BENCH_ROUNDS", 3);
	int reps = env_long("BENCH_REPS", 2);
	uint32_t trips = env_long("BENCH_TRIPS", 2048), alts;
	uint32_t maxn = sizes[NSIZES - 1], reply;
	struct ascend_notify_version ver;
	struct an_stats st0, st;
	double spawn_s[NSIZES] = { 0 };
	long avail0, avail_min = -1;
	int fd, ev_reply, round, k, pl, cnt[NSIZES] = { 0 };
	int nplace = online_cpus() >= 2 ? NPLACE : 1;
	struct shared *sh;
	uint64_t t0 = now_ns(), t;
	char label[96];

	bench_name = "bench_waiters";
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (rounds < 1 || reps < 1 || rounds * reps > MAX_SAMPLES)
		bench_die("BENCH_ROUNDS x BENCH_REPS must be 1..%d",
			  MAX_SAMPLES);
	bench_catch_children();
	raise_nofile(maxn + 64);

	fd = bench_open();
	CHECK(an_version(fd, &ver), "version");
	num_devices = ver.num_devices;
	sh = shared_alloc(sizeof(*sh) + maxn * ASCEND_NOTIFY_KEY_LEN);
	CHECK(an_create(fd, 0, 0, &reply), "create reply");
	CHECK(an_export_raw(fd, reply, ASCEND_NOTIFY_EXPORT_NO_PID_CHECK,
			    sh->reply_key), "export reply");
	ev_reply = eventfd(0, EFD_CLOEXEC);
	if (ev_reply < 0)
		bench_die("eventfd: %s", strerror(errno));
	CHECK(an_stats(&st0), "stats");
	avail0 = mem_available_kb();

	printf("== 6. many waiters: N processes each asleep on its own notify, "
	       "one recorder cycling through them\n");
	printf("   (one way = half of record -> wake -> record reply -> wake; "
	       "us)\n");
	printf("   %d rounds; each spawns N waiters for every N, runs %d "
	       "repetitions per method and placement, kills them.\n",
	       rounds, reps);
	printf("   A block visits every waiter max(1, %d / N) times; a "
	       "repetition alternates notify and eventfd\n   blocks in the "
	       "same waiters, at least %d and %u round trips of each (its "
	       "figures:\n   the median blocks).\n", BLOCK, MIN_ALTS, trips);

	for (round = 0; round < rounds; round++) {
		for (k = 0; k < (int)NSIZES; k++) {
			int idx = round % 2 ? (int)NSIZES - 1 - k : k;
			struct set s = { .n = sizes[idx] };
			long avail;
			int p;

			s.passes = BLOCK / s.n ? BLOCK / s.n : 1;
			alts = trips / (s.passes * s.n);
			if (alts < MIN_ALTS)
				alts = MIN_ALTS;
			if (alts > MAX_BLOCKS)
				alts = MAX_BLOCKS;
			t = now_ns();
			set_spawn(&s, sh, fd, ev_reply);
			spawn_s[idx] += (now_ns() - t) / 1e9;
			avail = mem_available_kb();
			if (avail >= 0 && (avail_min < 0 || avail < avail_min))
				avail_min = avail;
			for (p = 0; p < reps; p++) {
				for (pl = 0; pl < nplace; pl++) {
					set_place(&s, pl);
					set_rep(&s, fd, reply, ev_reply, alts,
						&lat[pl][0][idx][cnt[idx]],
						&lat[pl][1][idx][cnt[idx]]);
				}
				cnt[idx]++;
			}
			set_place(&s, P_FREE);
			set_kill(&s, fd);
		}
	}

	/* Every waiter's notify and handles must be gone. */
	CHECK(an_stats(&st), "stats");
	if (st.objects != st0.objects || st.handles != st0.handles ||
	    st.keys != st0.keys)
		bench_die("after the waiters: %u notifies, %u handles, %u keys "
			  "(before: %u, %u, %u)", st.objects, st.handles,
			  st.keys, st0.objects, st0.handles, st0.keys);

	for (pl = 0; pl < nplace; pl++) {
		printf("\n  -- %s\n", place_name[pl]);
		printf("  %-40s %10s  %24s %10s\n", "waiters (us)",
		       "notify", "min .. max", "eventfd");
		for (k = 0; k < (int)NSIZES; k++) {
			struct stats sn = stats_of(lat[pl][0][k], cnt[k]);
			struct stats se = stats_of(lat[pl][1][k], cnt[k]);

			snprintf(label, sizeof(label), "N = %u", sizes[k]);
			printf("  %-40s %10.2f  %10.2f .. %-10.2f %10.2f\n",
			       label, sn.med / 1e3, sn.min / 1e3, sn.max / 1e3,
			       se.med / 1e3);
		}
	}
	printf("  (notify: median and min .. max of the repetitions; "
	       "eventfd: median)\n");

	printf("\n  ratios (median of the ratios of repetitions of the same "
	       "round [min .. max]):\n");
	for (pl = 0; pl < nplace; pl++) {
		double (*l)[NSIZES][MAX_SAMPLES] = lat[pl];

		snprintf(label, sizeof(label), "notify, N = %u / N = %u, %s",
			 maxn, sizes[0], place_short[pl]);
		print_ratio(label, ratio_of(l[0][NSIZES - 1], l[0][0], cnt[0]),
			    1.5, NULL);
	}
	printf("  for reference (no target):\n");
	for (pl = 0; pl < nplace; pl++) {
		double (*l)[NSIZES][MAX_SAMPLES] = lat[pl];

		snprintf(label, sizeof(label), "notify, N = %u / N = %u, %s",
			 maxn, sizes[1], place_short[pl]);
		print_info_ratio(label, ratio_of(l[0][NSIZES - 1], l[0][1],
						 cnt[0]));
		snprintf(label, sizeof(label), "eventfd, N = %u / N = %u, %s",
			 maxn, sizes[0], place_short[pl]);
		print_info_ratio(label, ratio_of(l[1][NSIZES - 1], l[1][0],
						 cnt[0]));
		snprintf(label, sizeof(label), "notify / eventfd, N = %u, %s",
			 maxn, place_short[pl]);
		print_info_ratio(label, ratio_of(l[0][NSIZES - 1],
						 l[1][NSIZES - 1], cnt[0]));
	}
	printf("\n  spawning and setting up the waiters took, per round:");
	for (k = 0; k < (int)NSIZES; k++)
		printf(" %.2f s (N = %u)%s", spawn_s[k] / rounds, sizes[k],
		       k + 1 < (int)NSIZES ? "," : "\n");
	if (avail0 >= 0 && avail_min >= 0)
		printf("  guest memory: %ld MB available before, %ld MB at the "
		       "lowest (N = %u waiters alive)\n", avail0 / 1024,
		       avail_min / 1024, maxn);

	CHECK(an_destroy(fd, reply), "destroy reply");
	close(fd);
	printf("\n   bench_waiters: %.1f s, %d target(s) missed\n",
	       (now_ns() - t0) / 1e9, bench_missed);
	return 0;
}
