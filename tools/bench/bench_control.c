// SPDX-License-Identifier: GPL-2.0
/*
 * bench_control - the control path of ascend-notify.
 *
 *   3. Throughput of create, export, set-trustlist, import and destroy, in
 *      one process and in 4 processes at once. A worker runs each operation
 *      on a batch of BATCH notifies. One worker forms the single-process
 *      group, four others the parallel group; the workers of a group run a
 *      phase at the same time (they start together on a shared futex
 *      word), and its throughput is all their operations over the time from
 *      the first start to the last end. The two groups run each phase one
 *      after the other, so the two figures of an operation are measured
 *      milliseconds apart.
 *
 *   4. The cost of one import with 64 live exported keys and with 65,536
 *      (num_devices x max_notifies, 8 x 8192 by default: every notify id of
 *      every device). 64 base keys stay live throughout (8 per device); for
 *      the large case one holder process per device fills the rest of its
 *      id space with exported notifies and exits afterwards. Each
 *      repetition imports IMPORTS keys drawn at random among all the live
 *      ones (so the large case also pays for a cold key table and cold
 *      notifies), timed in blocks of 100 (a repetition's figure is its
 *      median block); the handles are destroyed untimed. Small and large
 *      alternate. For reference, the large case also imports keys drawn
 *      among the 64 base keys only: the size of the key table alone.
 *
 *   5. Kernel memory per notify object, per handle and per export, as the
 *      module reports them (netlink STATS_GET), and as measured: the
 *      growth of the slab memory charged to a memory cgroup while a process
 *      in it creates, exports and imports MEM_N notifies.
 *
 * Environment: BENCH_REPS, BENCH_BATCH, BENCH_IMPORTS, BENCH_MEM_N.
 */
#include <linux/futex.h>

#include "bench.h"

#define PAR_WORKERS	4
/* worker 0: the single-process group; 1 .. PAR_WORKERS: the parallel one */
#define NWORKERS	(1 + PAR_WORKERS)

static long sys_futex(uint32_t *uaddr, int op, uint32_t val)
{
	return syscall(SYS_futex, uaddr, op, val, NULL, NULL, 0);
}

/* 64-bit xorshift: the importer's key choice. */
static uint64_t rnd_next(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

static uint32_t num_devices, max_notifies;

/* ---- 3. throughput -------------------------------------------------------- */

enum op { OP_CREATE, OP_EXPORT, OP_SET_PIDS, OP_IMPORT, OP_DESTROY_IMPORT,
	  OP_DESTROY_CREATOR, NOPS };

static const char *const op_name[NOPS] = {
	[OP_CREATE] = "create",
	[OP_EXPORT] = "export (trustlist on)",
	[OP_SET_PIDS] = "set-trustlist (1 PID)",
	[OP_IMPORT] = "import (trusted, same device)",
	[OP_DESTROY_IMPORT] = "destroy an imported handle",
	[OP_DESTROY_CREATOR] = "destroy the creator's handle",
};

/*
 * Shared between the parent and the workers. The parent advances @go (and
 * wakes everyone waiting on it) to start the next phase of a group: its
 * low bits name the group (GROUP_*), so a worker that wakes late still
 * knows whether the phase it sees is its own. Each worker of the group
 * reports its start and end times, then counts itself in @done.
 */
#define GROUP_SINGLE	1u
#define GROUP_PAR	2u
#define GO_GROUP_MASK	3u
#define GO_STEP		4u

struct tp_shared {
	uint32_t go;
	uint32_t quit;
	uint32_t done;
	uint64_t start[NWORKERS], end[NWORKERS];
};

struct tp_worker {
	int fd, dev;
	int32_t tgid;
	uint32_t n;
	uint32_t *h, *g;
	char (*keys)[ASCEND_NOTIFY_KEY_LEN];
};

static void tp_phase(struct tp_worker *w, int op)
{
	uint32_t i;

	for (i = 0; i < w->n; i++) {
		switch (op) {
		case OP_CREATE:
			CHECK(an_create(w->fd, w->dev, 0, &w->h[i]), "create");
			break;
		case OP_EXPORT:
			CHECK(an_export_raw(w->fd, w->h[i], 0, w->keys[i]),
			      "export");
			break;
		case OP_SET_PIDS:
			CHECK(an_set_pids(w->fd, w->h[i], &w->tgid, 1),
			      "set-pids");
			break;
		case OP_IMPORT:
			CHECK(an_import(w->fd, w->keys[i], w->dev, 0, &w->g[i]),
			      "import");
			break;
		case OP_DESTROY_IMPORT:
			CHECK(an_destroy(w->fd, w->g[i]), "destroy import");
			break;
		case OP_DESTROY_CREATOR:
			CHECK(an_destroy(w->fd, w->h[i]), "destroy creator");
			break;
		}
	}
}

static void __attribute__((noreturn))
tp_worker_main(struct tp_shared *sh, int idx, uint32_t n)
{
	struct tp_worker w = { .n = n, .dev = idx % num_devices };
	uint32_t seen = 0, group = idx ? GROUP_PAR : GROUP_SINGLE;
	int op = 0;

	w.fd = bench_open();
	w.tgid = an_bare_tgid(w.fd);
	if (w.tgid < 0)
		bench_die("bare tgid: %s", strerror(-w.tgid));
	w.h = calloc(n, sizeof(*w.h));
	w.g = calloc(n, sizeof(*w.g));
	w.keys = calloc(n, sizeof(*w.keys));
	if (!w.h || !w.g || !w.keys)
		bench_die("out of memory");
	for (;;) {
		uint32_t go;

		while ((go = __atomic_load_n(&sh->go, __ATOMIC_ACQUIRE)) == seen)
			sys_futex(&sh->go, FUTEX_WAIT, seen);
		seen = go;
		if (__atomic_load_n(&sh->quit, __ATOMIC_ACQUIRE))
			break;
		if ((go & GO_GROUP_MASK) != group)
			continue;
		sh->start[idx] = now_ns();
		tp_phase(&w, op);
		sh->end[idx] = now_ns();
		/* The phases run in order, in every worker taking part. */
		op = (op + 1) % NOPS;
		__atomic_add_fetch(&sh->done, 1, __ATOMIC_RELEASE);
		sys_futex(&sh->done, FUTEX_WAKE, 1);
	}
	close(w.fd);
	exit(0);
}

/* Runs the next phase in a group of workers; returns operations/s. */
static double tp_run_phase(struct tp_shared *sh, uint32_t group, uint32_t n)
{
	uint32_t d, i, lo = group == GROUP_SINGLE ? 0 : 1;
	uint32_t active = group == GROUP_SINGLE ? 1 : PAR_WORKERS;
	uint64_t first = UINT64_MAX, last = 0;

	__atomic_store_n(&sh->done, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&sh->go, ((sh->go & ~GO_GROUP_MASK) + GO_STEP) |
			 group, __ATOMIC_RELEASE);
	sys_futex(&sh->go, FUTEX_WAKE, INT32_MAX);
	while ((d = __atomic_load_n(&sh->done, __ATOMIC_ACQUIRE)) < active)
		sys_futex(&sh->done, FUTEX_WAIT, d);
	for (i = lo; i < lo + active; i++) {
		if (sh->start[i] < first)
			first = sh->start[i];
		if (sh->end[i] > last)
			last = sh->end[i];
	}
	return (double)active * n * 1e9 / (double)(last - first);
}

static void run_throughput(int reps, uint32_t n)
{
	static double tp[2][NOPS][64];
	struct tp_shared *sh = shared_alloc(sizeof(*sh));
	pid_t pid[NWORKERS];
	char label[96];
	int r, k, op, i;

	printf("\n== 3. control-path throughput (thousand operations per "
	       "second, higher is better)\n");
	printf("   %d repetitions x %u operations per process and phase; "
	       "for every phase, 1 process,\n   then %d at once; worker i "
	       "uses device i; the importer is the exporter (trusting its\n"
	       "   own bare TGID)\n", reps, n, PAR_WORKERS);
	for (i = 0; i < NWORKERS; i++) {
		pid[i] = bench_fork();
		if (pid[i] == 0) {
			close_except(NULL, 0);
			tp_worker_main(sh, i, n);
		}
	}
	for (r = 0; r < reps; r++) {
		for (op = 0; op < NOPS; op++) {
			tp[0][op][r] = tp_run_phase(sh, GROUP_SINGLE, n);
			tp[1][op][r] = tp_run_phase(sh, GROUP_PAR, n);
		}
	}
	__atomic_store_n(&sh->quit, 1, __ATOMIC_RELEASE);
	bench_quitting = 1;
	__atomic_add_fetch(&sh->go, GO_STEP, __ATOMIC_RELEASE);
	sys_futex(&sh->go, FUTEX_WAKE, INT32_MAX);
	for (i = 0; i < NWORKERS; i++)
		bench_reap(pid[i], "throughput worker");
	bench_quitting = 0;

	print_header("operation", "k ops/s");
	for (op = 0; op < NOPS; op++) {
		for (k = 0; k < 2; k++) {
			snprintf(label, sizeof(label), "%s, %d proc%s",
				 op_name[op], k ? PAR_WORKERS : 1,
				 k ? "s" : "");
			print_row(label, stats_of(tp[k][op], reps), 1e-3,
				  "k/s");
		}
	}
	printf("  scaling, %d processes / 1 (median of per-repetition "
	       "ratios; %d CPUs):\n", PAR_WORKERS, online_cpus());
	for (op = 0; op < NOPS; op++) {
		struct stats s = ratio_of(tp[1][op], tp[0][op], reps);

		print_info_ratio(op_name[op], s);
	}
	munmap(sh, sizeof(*sh));
}

/* ---- 4. import cost against live keys -------------------------------------- */

/*
 * A process holding @n notifies of device @dev, exported without PID
 * validation, their keys written to @keys. It lives until the parent
 * closes its end of @ctl; its exit releases everything.
 */
struct holder {
	pid_t pid;
	int ctl, res;
};

static void holder_start(struct holder *hd, uint32_t dev, uint32_t n,
			 char (*keys)[ASCEND_NOTIFY_KEY_LEN])
{
	int ctl[2], res[2];
	char c = 0;

	bench_pipe(ctl);
	bench_pipe(res);
	hd->pid = bench_fork();
	if (hd->pid == 0) {
		int keep[] = { ctl[0], res[1] };
		uint32_t i, h;
		int fd;

		close_except(keep, ARRAY_SIZE(keep));
		fd = bench_open();
		for (i = 0; i < n; i++) {
			CHECK(an_create(fd, dev, 0, &h), "holder create");
			CHECK(an_export_raw(fd, h,
					    ASCEND_NOTIFY_EXPORT_NO_PID_CHECK,
					    keys[i]), "holder export");
		}
		msg_send(res[1], &c, 1);
		msg_recv_eof(ctl[0], &c, 1);
		_exit(0);
	}
	close(ctl[0]);
	close(res[1]);
	hd->ctl = ctl[1];
	hd->res = res[0];
}

static void holder_ready(struct holder *hd)
{
	char c;

	msg_recv(hd->res, &c, 1);
}

static void holder_stop(struct holder *hd)
{
	bench_quitting = 1;
	close(hd->ctl);
	bench_reap(hd->pid, "key holder");
	bench_quitting = 0;
	close(hd->res);
}

#define IMPORT_BLOCK	100

/*
 * Imports @k keys drawn at random among the first @live, then destroys the
 * handles. Returns ns per import in the median block of IMPORT_BLOCK.
 */
static double import_batch(int fd, char (*keys)[ASCEND_NOTIFY_KEY_LEN],
			   uint32_t live, uint32_t k, uint32_t *h,
			   char (*pick)[ASCEND_NOTIFY_KEY_LEN], uint64_t *seed)
{
	double blk[k / IMPORT_BLOCK + 1];
	uint32_t i, nb = 0;
	uint64_t t0, t;

	/*
	 * The chosen keys are copied side by side first, so that reading
	 * them costs the same whatever the number of live keys.
	 */
	for (i = 0; i < k; i++)
		memcpy(pick[i], keys[rnd_next(seed) % live],
		       ASCEND_NOTIFY_KEY_LEN);
	t0 = now_ns();
	for (i = 0; i < k; i++) {
		CHECK(an_import(fd, pick[i], 0,
				ASCEND_NOTIFY_IMPORT_PEER_ACCESS, &h[i]),
		      "import");
		if ((i + 1) % IMPORT_BLOCK == 0) {
			t = now_ns();
			blk[nb++] = (double)(t - t0) / IMPORT_BLOCK;
			t0 = t;
		}
	}
	if (!nb)
		blk[nb++] = (double)(now_ns() - t0) / k;
	for (i = 0; i < k; i++)
		CHECK(an_destroy(fd, h[i]), "destroy import");
	return stats_of(blk, nb).med;
}

static void expect_keys(uint32_t n)
{
	struct an_stats st;

	CHECK(an_stats(&st), "stats");
	if (st.keys != n)
		bench_die("%u live keys, expected %u", st.keys, n);
}

static void run_import_scaling(int fd, int reps, uint32_t k)
{
	static double cost[3][64], fill[64], drain[64];
	struct holder base[ASCEND_NOTIFY_MAX_DEVICES];
	struct holder bulk[ASCEND_NOTIFY_MAX_DEVICES];
	uint32_t total = num_devices * max_notifies, per_dev, small, dev, off;
	uint64_t seed = 0x9e3779b97f4a7c15ull, t0;
	char (*keys)[ASCEND_NOTIFY_KEY_LEN];
	uint32_t *h = calloc(k, sizeof(*h));
	char (*pick)[ASCEND_NOTIFY_KEY_LEN] = calloc(k, sizeof(*pick));
	char label[64];
	int r;

	if (total > 65536)
		total = 65536;
	/* 64 base keys spread over the devices (8 each by default) */
	per_dev = (64 + num_devices - 1) / num_devices;
	if (per_dev * 2 > max_notifies)
		per_dev = max_notifies / 2;
	small = per_dev * num_devices;
	keys = shared_alloc((size_t)total * ASCEND_NOTIFY_KEY_LEN);
	if (!h || !pick)
		bench_die("out of memory");

	printf("\n== 4. import cost against live exported keys (us per "
	       "import, lower is better)\n");
	printf("   %d repetitions x %u imports of keys drawn at random among "
	       "all live keys; %u and %u live keys alternate\n",
	       reps, k, small, total);

	for (dev = 0; dev < num_devices; dev++)
		holder_start(&base[dev], dev, per_dev, keys + dev * per_dev);
	for (dev = 0; dev < num_devices; dev++)
		holder_ready(&base[dev]);
	expect_keys(small);
	import_batch(fd, keys, small, k / 4 + 1, h, pick, &seed);	/* warm up */

	for (r = 0; r < reps; r++) {
		cost[0][r] = import_batch(fd, keys, small, k, h, pick, &seed);

		/* every remaining id of every device */
		t0 = now_ns();
		off = small;
		for (dev = 0; dev < num_devices; dev++) {
			uint32_t n = max_notifies - per_dev;

			if (off + n > total)
				n = total - off;
			holder_start(&bulk[dev], dev, n, keys + off);
			off += n;
		}
		for (dev = 0; dev < num_devices; dev++)
			holder_ready(&bulk[dev]);
		fill[r] = (now_ns() - t0) / 1e9;
		expect_keys(total);
		import_batch(fd, keys, total, k / 8 + 1, h, pick, &seed);
		cost[1][r] = import_batch(fd, keys, total, k, h, pick, &seed);
		/* reference: only the base keys, with all the others live */
		cost[2][r] = import_batch(fd, keys, small, k, h, pick, &seed);

		t0 = now_ns();
		for (dev = 0; dev < num_devices; dev++)
			holder_stop(&bulk[dev]);
		drain[r] = (now_ns() - t0) / 1e9;
		expect_keys(small);
		import_batch(fd, keys, small, k / 8 + 1, h, pick, &seed);
	}
	for (dev = 0; dev < num_devices; dev++)
		holder_stop(&base[dev]);

	print_header("live keys", "us");
	snprintf(label, sizeof(label), "%u live keys", small);
	print_row(label, stats_of(cost[0], reps), 1e-3, "us");
	snprintf(label, sizeof(label), "%u live keys", total);
	print_row(label, stats_of(cost[1], reps), 1e-3, "us");
	snprintf(label, sizeof(label), "%u live, drawn among %u", total,
		 small);
	print_row(label, stats_of(cost[2], reps), 1e-3, "us");
	printf("  (adding the other %u keys took %.2f s, median; removing "
	       "them %.2f s)\n", total - small, stats_of(fill, reps).med,
	       stats_of(drain, reps).med);
	snprintf(label, sizeof(label), "import at %u keys / at %u keys",
		 total, small);
	print_ratio(label, ratio_of(cost[1], cost[0], reps), 1.5, NULL);
	snprintf(label, sizeof(label), "same %u keys, %u live / %u live", small,
		 total, small);
	print_info_ratio(label, ratio_of(cost[2], cost[0], reps));
	munmap(keys, (size_t)total * ASCEND_NOTIFY_KEY_LEN);
	free(pick);
	free(h);
}

/* ---- 5. memory ---------------------------------------------------------------- */

#define CG_DIR	"/sys/fs/cgroup/ascend_notify_bench"

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -EIO;
}

/* Slab bytes charged to the cgroup (memory.stat "slab"), or -1. */
static long long cg_slab(void)
{
	char line[256];
	long long v = -1;
	FILE *f = fopen(CG_DIR "/memory.stat", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "slab %lld", &v) == 1)
			break;
	}
	fclose(f);
	return v;
}

/*
 * In a child moved into a fresh memory cgroup: creates @n notifies (spread
 * over the devices), exports them, imports them all in a second context,
 * then destroys everything, reading the cgroup's slab bytes between steps.
 */
static void __attribute__((noreturn)) mem_child(uint32_t n, int out)
{
	long long v[4];
	uint32_t *h = calloc(n, sizeof(*h)), *g = calloc(n, sizeof(*g)), i;
	char (*keys)[ASCEND_NOTIFY_KEY_LEN] = calloc(n, sizeof(*keys));
	int fd, fd2;

	if (!h || !g || !keys)
		bench_die("out of memory");
	fd = bench_open();
	fd2 = bench_open();
	v[0] = cg_slab();
	for (i = 0; i < n; i++)
		CHECK(an_create(fd, i % num_devices, 0, &h[i]), "create");
	v[1] = cg_slab();
	for (i = 0; i < n; i++)
		CHECK(an_export_raw(fd, h[i], ASCEND_NOTIFY_EXPORT_NO_PID_CHECK,
				    keys[i]), "export");
	v[2] = cg_slab();
	for (i = 0; i < n; i++)
		CHECK(an_import(fd2, keys[i], i % num_devices, 0, &g[i]),
		      "import");
	v[3] = cg_slab();
	msg_send(out, v, sizeof(v));
	close(fd2);
	close(fd);
	exit(0);
}

static void run_memory(uint32_t n)
{
	struct an_stats st;
	long long v[4] = { -1, -1, -1, -1 };
	char buf[32];
	bool cg = false;
	int p[2];
	pid_t pid;

	CHECK(an_stats(&st), "stats");
	printf("\n== 5. kernel memory (bytes)\n");
	printf("  %-52s %6u\n", "notify object (STATS notify_size)",
	       st.notify_size);
	printf("  %-52s %6u\n", "handle (STATS handle_size)", st.handle_size);
	printf("  %-52s %6u\n", "export, trustlist aside (STATS export_size)",
	       st.export_size);

	/* The measured figure: slab charged to a memory cgroup. */
	if (!mkdir(CG_DIR, 0755) || errno == EEXIST) {
		write_str("/sys/fs/cgroup/cgroup.subtree_control", "+memory");
		cg = access(CG_DIR "/memory.stat", R_OK) == 0;
	}
	if (cg) {
		bench_pipe(p);
		bench_quitting = 1;	/* a failure here only loses figures */
		pid = bench_fork();
		if (pid == 0) {
			close_except(&p[1], 1);
			snprintf(buf, sizeof(buf), "%d", (int)getpid());
			if (write_str(CG_DIR "/cgroup.procs", buf))
				_exit(3);
			mem_child(n, p[1]);
		}
		close(p[1]);
		if (!msg_recv_eof(p[0], v, sizeof(v)))
			v[0] = -1;
		close(p[0]);
		waitpid(pid, NULL, 0);
		bench_quitting = 0;
		rmdir(CG_DIR);
	}
	if (v[0] < 0 || v[1] < 0 || v[2] < 0 || v[3] < 0) {
		printf("  (no memory cgroup in this guest: no measured figures)\n");
	} else {
		printf("  measured: slab charged to a memory cgroup, over %u "
		       "notifies:\n", n);
		printf("  %-52s %6.0f\n",
		       "  per created notify (object, handle, id, table)",
		       (double)(v[1] - v[0]) / n);
		printf("  %-52s %6.0f\n", "  per export (share)",
		       (double)(v[2] - v[1]) / n);
		printf("  %-52s %6.0f\n", "  per imported handle (handle, table)",
		       (double)(v[3] - v[2]) / n);
	}
	printf("  %-44s %6u B   target <= 256 B  %s\n",
	       "notify object", st.notify_size,
	       st.notify_size <= 256 ? "PASS" : "MISS");
	if (st.notify_size > 256)
		bench_missed++;
}

/* ---- main ------------------------------------------------------------------ */

int main(void)
{
	int reps = env_long("BENCH_REPS", 9);
	uint32_t batch = env_long("BENCH_BATCH", 1000);
	uint32_t imports = env_long("BENCH_IMPORTS", 2000);
	uint32_t mem_n = env_long("BENCH_MEM_N", 16384);
	struct ascend_notify_device_info di;
	struct ascend_notify_version v;
	uint64_t t0 = now_ns();
	int fd;

	bench_name = "bench_control";
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (reps < 1 || reps > 64)
		bench_die("BENCH_REPS must be 1..64");
	bench_catch_children();
	fd = bench_open();
	CHECK(an_version(fd, &v), "version");
	CHECK(an_device_info(fd, 0, &di), "device info");
	num_devices = v.num_devices;
	max_notifies = di.max_notifies;
	if (mem_n > num_devices * max_notifies)
		mem_n = num_devices * max_notifies;
	if (batch * 2 > max_notifies)
		batch = max_notifies / 2;
	printf("== bench_control: %u devices x %u notifies\n", num_devices,
	       max_notifies);

	run_throughput(reps, batch);
	run_import_scaling(fd, reps, imports);
	run_memory(mem_n);

	close(fd);
	printf("\n   bench_control: %.1f s, %d target(s) missed\n",
	       (now_ns() - t0) / 1e9, bench_missed);
	return 0;
}
