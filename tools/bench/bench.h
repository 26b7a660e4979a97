/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the ascend-notify benchmarks: the clock, statistics,
 * processes bound to their parent, pipe messages, CPU pinning and the
 * result table. The ioctl wrappers (0 or -errno) are the selftests' own,
 * selftests/common/an_ioctl.h, so that both drive the module alike.
 *
 * Benchmarks are not tests: a figure that misses its target is printed
 * with MISS and the program still exits 0. Only a functional failure (an
 * ioctl that should succeed fails, a child dies) exits non-zero, through
 * bench_die().
 */
#ifndef BENCH_H
#define BENCH_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/ascend_notify.h>

#include "an_ioctl.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* ---- failures ------------------------------------------------------------ */

static const char *bench_name = "bench";

static void bench_die(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));
static void bench_die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s[%d]: FAILED: ", bench_name, (int)getpid());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* Dies unless @ret (0 or -errno) is 0. */
#define CHECK(ret, what)						\
	do {								\
		int _r = (ret);						\
		if (_r)							\
			bench_die("%s: %s", (what), strerror(-_r));	\
	} while (0)

/* ---- time and statistics ------------------------------------------------- */

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

struct stats {
	double med, min, max, p10, p90;
	int n;
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Percentile @p (0..1) of sorted @v, linear between ranks. */
static double pct_sorted(const double *v, int n, double p)
{
	double r = p * (n - 1);
	int i = (int)r;

	if (i >= n - 1)
		return v[n - 1];
	return v[i] + (r - i) * (v[i + 1] - v[i]);
}

static struct stats stats_of(const double *v, int n)
{
	struct stats s = { .n = n };
	double *c;

	if (n <= 0)
		return s;
	c = malloc(n * sizeof(*c));
	if (!c)
		bench_die("out of memory");
	memcpy(c, v, n * sizeof(*c));
	qsort(c, n, sizeof(*c), cmp_double);
	s.med = pct_sorted(c, n, 0.5);
	s.p10 = pct_sorted(c, n, 0.1);
	s.p90 = pct_sorted(c, n, 0.9);
	s.min = c[0];
	s.max = c[n - 1];
	free(c);
	return s;
}

/*
 * Ratio of two figures measured side by side: the median of the ratios of
 * the repetitions that ran next to each other (a[i] / b[i]), so a drift
 * of the machine during the run hits both sides of each ratio alike.
 */
static struct stats ratio_of(const double *a, const double *b, int n)
{
	double r[n > 0 ? n : 1];
	int i;

	for (i = 0; i < n; i++)
		r[i] = b[i] > 0 ? a[i] / b[i] : 0;
	return stats_of(r, n);
}

/* ---- output -------------------------------------------------------------- */

static int bench_missed;

/* One line of a result table: median and min..max of @s, scaled. */
static void print_row(const char *label, struct stats s, double scale,
		      const char *unit)
{
	printf("  %-40s %10.2f  %10.2f .. %-10.2f %s\n", label, s.med * scale,
	       s.min * scale, s.max * scale, unit);
}

static void print_header(const char *what, const char *unit)
{
	printf("  %-40s %10s  %24s %s\n", what, "median", "min .. max", unit);
}

/*
 * A ratio line with its target: PASS or MISS. The program still exits 0
 * on a MISS; bench_missed counts them for the summary.
 */
static void print_ratio(const char *label, struct stats r, double target,
			const char *what)
{
	bool pass = r.med <= target;

	if (!pass)
		bench_missed++;
	printf("  %-44s %6.3fx  [%.2f .. %.2f]  target <= %.2fx %-5s %s\n",
	       label, r.med, r.min, r.max, target, pass ? "PASS" : "MISS",
	       what ? what : "");
}

/* A ratio without a target. */
static void print_info_ratio(const char *label, struct stats r)
{
	printf("  %-44s %6.3fx  [%.2f .. %.2f]\n", label, r.med, r.min, r.max);
}

/* ---- the module's ioctls ------------------------------------------------- */

/* The device; dies without it. */
static inline int bench_open(void)
{
	int fd = an_open();

	if (fd < 0)
		bench_die("open %s: %s", ASCEND_NOTIFY_DEVICE_PATH,
			  strerror(errno));
	return fd;
}

/* ---- processes and messages ---------------------------------------------- */

/*
 * fork() a child that is killed when its parent dies, so an aborted run
 * never leaves processes behind (the guest then unloads the module).
 */
static inline pid_t bench_fork(void)
{
	pid_t parent = getpid();
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		bench_die("fork: %s", strerror(errno));
	if (pid == 0) {
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
			_exit(99);
		signal(SIGCHLD, SIG_DFL);
	}
	return pid;
}

/*
 * Set while children are expected to end. At any other time the end of a
 * child is a failure: it died in a way its parent would otherwise only
 * notice as a hang.
 */
static volatile sig_atomic_t bench_quitting;

static void bench_on_sigchld(int sig)
{
	char msg[160];
	siginfo_t si;
	int n;

	(void)sig;
	if (bench_quitting)
		return;
	memset(&si, 0, sizeof(si));
	if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) || !si.si_pid)
		return;
	n = snprintf(msg, sizeof(msg), "%s[%d]: FAILED: child %d %s %d\n",
		     bench_name, (int)getpid(), (int)si.si_pid,
		     si.si_code == CLD_EXITED ? "exited with status" :
						"was killed by signal",
		     si.si_status);
	if (write(2, msg, n) < 0)
		_exit(1);
	_exit(1);
}

/* Call once in the parent, before the first fork. */
static inline void bench_catch_children(void)
{
	struct sigaction sa = { .sa_handler = bench_on_sigchld };

	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGCHLD, &sa, NULL);
}

/* Reaps @pid; dies unless it exited with status 0. */
static inline void bench_reap(pid_t pid, const char *who)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		bench_die("waitpid %s: %s", who, strerror(errno));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return;
	if (WIFSIGNALED(status))
		bench_die("%s killed by signal %d", who, WTERMSIG(status));
	bench_die("%s exited with status %d", who, WEXITSTATUS(status));
}

static inline void bench_pipe(int fds[2])
{
	if (pipe2(fds, O_CLOEXEC))
		bench_die("pipe: %s", strerror(errno));
}

/* Fixed-size messages; a short transfer (the peer died) is fatal. */
static inline void msg_send(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			bench_die("write to a peer: %s",
				  w ? strerror(errno) : "short");
		p += w;
		len -= w;
	}
}

/* false on end of file before the first byte (the peer closed). */
static inline bool msg_recv_eof(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t r = read(fd, (char *)buf + got, len - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0 && got == 0)
			return false;
		if (r <= 0)
			bench_die("read from a peer: %s",
				  r ? strerror(errno) : "short message");
		got += r;
	}
	return true;
}

static inline void msg_recv(int fd, void *buf, size_t len)
{
	if (!msg_recv_eof(fd, buf, len))
		bench_die("a peer process died (end of file)");
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return x < y ? -1 : x > y;
}

/*
 * Closes every descriptor above stderr except those in @keep (negative
 * entries are ignored), so a child holds no end of another child's pipe.
 */
static inline void close_except(const int *keep, int n)
{
	int k[n > 0 ? n : 1], i, lo = 3;

	if (n)
		memcpy(k, keep, n * sizeof(*k));
	qsort(k, n, sizeof(*k), cmp_int);
	for (i = 0; i < n; i++) {
		if (k[i] < lo)
			continue;
		if (k[i] > lo)
			syscall(SYS_close_range, lo, k[i] - 1, 0);
		lo = k[i] + 1;
	}
	syscall(SYS_close_range, lo, ~0u, 0);
}

/* ---- CPUs ---------------------------------------------------------------- */

static inline int online_cpus(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set))
		return 1;
	return CPU_COUNT(&set);
}

/*
 * Pins every thread of the calling process to @cpu, or lets them run on
 * every CPU when @cpu < 0. Threads (a library's stream threads) are found
 * in /proc/self/task.
 */
static inline void pin_process(int cpu)
{
	cpu_set_t set;
	struct dirent *e;
	DIR *d;
	int i;

	CPU_ZERO(&set);
	if (cpu >= 0) {
		CPU_SET(cpu, &set);
	} else {
		for (i = 0; i < CPU_SETSIZE; i++)
			CPU_SET(i, &set);
	}
	d = opendir("/proc/self/task");
	if (!d)
		bench_die("/proc/self/task: %s", strerror(errno));
	while ((e = readdir(d))) {
		pid_t tid = atoi(e->d_name);

		if (tid > 0 && sched_setaffinity(tid, sizeof(set), &set))
			bench_die("sched_setaffinity: %s", strerror(errno));
	}
	closedir(d);
}

/* Shared anonymous memory, inherited across fork. */
static inline void *shared_alloc(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		bench_die("mmap %zu bytes: %s", size, strerror(errno));
	return p;
}

/* Raises the open-file limit to at least @n (up to the hard limit). */
static inline void raise_nofile(rlim_t n)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return;
	if (rl.rlim_cur >= n)
		return;
	if (rl.rlim_max < n) {
		rl.rlim_max = n;	/* root may raise the hard limit */
		rl.rlim_cur = n;
		if (!setrlimit(RLIMIT_NOFILE, &rl))
			return;
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	rl.rlim_cur = rl.rlim_max < n ? rl.rlim_max : n;
	setrlimit(RLIMIT_NOFILE, &rl);
}

/* Integer option from the environment, for quick experiments. */
static inline long env_long(const char *name, long def)
{
	const char *v = getenv(name);

	return v && *v ? strtol(v, NULL, 0) : def;
}

#endif /* BENCH_H */
