// SPDX-License-Identifier: GPL-2.0
/*
 * an_fuzz - a seeded, multi-process fuzzer for /dev/ascend_notify
 *
 *	an_fuzz --duration SECONDS [--seed N] [--procs N] [--ops N]
 *
 * Rounds until the duration is spent. Each round forks --procs workers
 * (bound to us with PR_SET_PDEATHSIG), each with 1-3 threads issuing
 * random ioctls, valid-looking (own handles, keys the others published in
 * a shared MAP_SHARED area, their PIDs) and malformed (bad pointers,
 * random flags, pads, handles, counts, devices, keys, PIDs); racing
 * destroy, import, wait and close across processes and threads; signals
 * to waiters (with and without SA_RESTART); the device fd closed from
 * another thread while a wait sleeps on it; a forked grandchild using the
 * worker's fd (must get EBADFD); mmap of the device; and SIGKILL of random
 * workers mid-sequence. It issues the ABI 1.2 and 1.3 ioctls too,
 * whatever the module answers.
 *
 * Workers run as three users - root, nobody (65534) and 65533 - so that
 * the per-user limits (ABI 1.3) are charged and uncharged by every path,
 * kills included. Unless --default-limits, the run lowers every device's
 * per-user limits through the netlink family (DEVICE_SET) to a few dozen
 * objects and 4 MiB, so that the unprivileged workers meet them often,
 * and puts them back at the end.
 *
 * It checks no errno value except that each ioctl's errno is one its
 * documentation (Documentation/uapi.rst) lists. After each round, with
 * every process reaped: netlink STATS_GET, with a fresh open, shows one
 * context and no object, handle or key; each of the three users, from
 * a fresh process of its own, holds nothing on any device
 * (ASCEND_NOTIFY_IOC_USER_INFO); the taint mask is unchanged; the kernel
 * log has no new warning (the module warns when a user's entry goes
 * while it still counts something). Exit status 0 only when every
 * invariant held in every round.
 *
 * Each worker thread's random stream derives from (seed, round, worker,
 * thread) by splitmix64: run again with the printed seed to replay the
 * same sequences (timing, and so the races, differ).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/ascend_notify.h>

#include "an_genl.h"

#define MAX_PROCS	64
#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define KEY_SLOTS	64
#define HANDLE_SLOTS	32
#define MAX_ERRNO	160
#define UNEXPECTED_LOG	16
#define TEMP_FD_BASE	900	/* per-thread fd numbers nothing else takes */
#define ROUND_STALL_S	60	/* no progress for this long: a hang */

/* ---- random numbers ------------------------------------------------------ */

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

struct rng {
	uint64_t s;
};

static void rng_init(struct rng *r, uint64_t seed, uint64_t a, uint64_t b,
		     uint64_t c)
{
	uint64_t x = seed;

	x ^= splitmix64(&x) ^ a;
	x ^= splitmix64(&x) ^ (b << 20);
	x ^= splitmix64(&x) ^ (c << 40);
	r->s = splitmix64(&x) | 1;
}

static uint64_t rnd(struct rng *r)	/* xorshift64* */
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dull;
}

static uint32_t below(struct rng *r, uint32_t n)
{
	return n ? (uint32_t)(rnd(r) % n) : 0;
}

static bool chance(struct rng *r, unsigned int percent)
{
	return below(r, 100) < percent;
}

/* ---- the commands and their documented errors ----------------------------- */

enum cmd {
	C_VERSION, C_DEVINFO, C_TGID, C_PEER_EN, C_PEER_DIS, C_OLDSTATS,
	C_CREATE, C_DESTROY, C_RECORD, C_WAIT, C_BATCH, C_INFO,
	C_EXPORT, C_SETPIDS, C_IMPORT, C_UNEXPORT,
	C_MEMALLOC, C_MEMINFO, C_DEVMEM, C_USERINFO, C_CANCEL, C_BOGUS, NCMD
};

static const struct {
	const char *name;
	unsigned long nr;
	size_t size;
	int errs[20];		/* besides EFAULT and EBADFD; 0-terminated */
} cmds[NCMD] = {
	[C_VERSION] = { "VERSION", ASCEND_NOTIFY_IOC_VERSION,
		sizeof(struct ascend_notify_version), { EINVAL } },
	[C_DEVINFO] = { "DEVICE_INFO", ASCEND_NOTIFY_IOC_DEVICE_INFO,
		sizeof(struct ascend_notify_device_info), { EINVAL, ENODEV } },
	[C_TGID] = { "BARE_TGID", ASCEND_NOTIFY_IOC_BARE_TGID,
		sizeof(struct ascend_notify_bare_tgid), { EINVAL } },
	[C_PEER_EN] = { "PEER_ENABLE", ASCEND_NOTIFY_IOC_PEER_ENABLE,
		sizeof(struct ascend_notify_peer),
		{ EINVAL, ENODEV, EHOSTUNREACH } },
	[C_PEER_DIS] = { "PEER_DISABLE", ASCEND_NOTIFY_IOC_PEER_DISABLE,
		sizeof(struct ascend_notify_peer), { EINVAL, ENODEV } },
	/* ABI 1.x's STATS (0x05, 32 bytes), gone in 2.0: never served. */
	[C_OLDSTATS] = { "STATS(1.x)",
		_IOC(_IOC_READ | _IOC_WRITE, ASCEND_NOTIFY_IOC_MAGIC, 0x05, 32),
		32, { ENOTTY } },
	[C_CREATE] = { "CREATE", ASCEND_NOTIFY_IOC_CREATE,
		sizeof(struct ascend_notify_create),
		{ EINVAL, ENODEV, ENOMEM, ENOSPC, EMFILE } },
	[C_DESTROY] = { "DESTROY", ASCEND_NOTIFY_IOC_DESTROY,
		sizeof(struct ascend_notify_handle_arg), { EINVAL, ENOENT } },
	[C_RECORD] = { "RECORD", ASCEND_NOTIFY_IOC_RECORD,
		sizeof(struct ascend_notify_handle_arg), { EINVAL, ENOENT } },
	[C_WAIT] = { "WAIT", ASCEND_NOTIFY_IOC_WAIT,
		sizeof(struct ascend_notify_wait),
		{ EINVAL, EFAULT, ENOENT, EXDEV, EIDRM, EINTR, ETIMEDOUT,
		  ECANCELED } },
	[C_CANCEL] = { "CANCEL", ASCEND_NOTIFY_IOC_CANCEL,
		sizeof(struct ascend_notify_cancel), { EINVAL } },
	[C_BATCH] = { "BATCH_RESET", ASCEND_NOTIFY_IOC_BATCH_RESET,
		sizeof(struct ascend_notify_batch),
		{ EINVAL, E2BIG, ENOMEM, ENOENT, EOPNOTSUPP } },
	[C_INFO] = { "INFO", ASCEND_NOTIFY_IOC_INFO,
		sizeof(struct ascend_notify_info), { EINVAL, ENOENT } },
	[C_EXPORT] = { "EXPORT", ASCEND_NOTIFY_IOC_EXPORT,
		sizeof(struct ascend_notify_export),
		{ EINVAL, ENOENT, EOPNOTSUPP, EPERM, EEXIST, ENOMEM } },
	[C_SETPIDS] = { "SET_PIDS", ASCEND_NOTIFY_IOC_SET_PIDS,
		sizeof(struct ascend_notify_trust),
		{ EINVAL, E2BIG, ENOENT, EOPNOTSUPP, EPERM, ENOMEM, ENOKEY,
		  EACCES, ESRCH } },
	[C_IMPORT] = { "IMPORT", ASCEND_NOTIFY_IOC_IMPORT,
		sizeof(struct ascend_notify_import),
		{ EINVAL, ENODEV, ENOKEY, EACCES, ENOMEM, EMFILE, EOPNOTSUPP,
		  EHOSTUNREACH, EXDEV } },
	/* ABI 1.2: ENOTTY until the module has them; permissive after. */
	[C_UNEXPORT] = { "UNEXPORT", ASCEND_NOTIFY_IOC_UNEXPORT,
		sizeof(struct ascend_notify_handle_arg),
		{ ENOTTY, EINVAL, ENOENT, EPERM, ENOKEY, EOPNOTSUPP, EBADR,
		  EALREADY } },
	[C_MEMALLOC] = { "MEM_ALLOC", ASCEND_NOTIFY_IOC_MEM_ALLOC,
		sizeof(struct ascend_notify_mem),
		{ ENOTTY, EINVAL, ENODEV, ENOMEM, ENOSPC, EMFILE, EOPNOTSUPP,
		  E2BIG, EFBIG, EOVERFLOW } },
	[C_MEMINFO] = { "MEM_INFO", ASCEND_NOTIFY_IOC_MEM_INFO,
		sizeof(struct ascend_notify_mem),
		{ ENOTTY, EINVAL, ENOENT, EBADR, EOPNOTSUPP } },
	[C_DEVMEM] = { "DEVICE_MEM", ASCEND_NOTIFY_IOC_DEVICE_MEM,
		sizeof(struct ascend_notify_device_mem),
		{ ENOTTY, EINVAL, ENODEV } },
	/* ABI 1.3 */
	[C_USERINFO] = { "USER_INFO", ASCEND_NOTIFY_IOC_USER_INFO,
		sizeof(struct ascend_notify_user_info),
		{ ENOTTY, EINVAL, ENODEV } },
	[C_BOGUS] = { "unknown", 0, 0, { ENOTTY } },
};

/* ---- state shared by every process of the run ----------------------------- */

struct published_key {
	char key[ASCEND_NOTIFY_KEY_LEN];
	uint32_t kind;
};

struct unexpected {
	int cmd, err, proc, thread;
	uint32_t round;
	uint64_t op;
};

struct shared {
	struct published_key keys[KEY_SLOTS];
	_Atomic int32_t tgids[MAX_PROCS];
	_Atomic uint64_t results[NCMD][MAX_ERRNO + 1];	/* [0]: success */
	_Atomic uint64_t ioctls;
	_Atomic uint64_t foreign;		/* ioctls on other files */
	_Atomic uint64_t mmaps, mmap_ok;
	_Atomic uint64_t forks, ebadfd_ok;
	_Atomic uint64_t signals, closes, forever;
	_Atomic uint64_t nunexpected;
	_Atomic uint32_t nlog;
	struct unexpected log[UNEXPECTED_LOG];
};

static struct shared *sh;
static uint64_t g_seed;
static uint32_t g_round, g_procs = 8, g_ops = 400, g_num_devices = 8;

/* ---- per-thread state ----------------------------------------------------- */

struct worker;

struct thr {
	struct worker *w;
	struct rng r;
	int index;
	uint64_t op;
	pid_t tid;
};

struct worker {
	int proc;
	int fd;				/* the worker's context */
	int32_t tgid;
	_Atomic uint32_t handles[HANDLE_SLOTS];
	char *rw, *ro, *none;		/* a RW page, a RO page, a PROT_NONE page */
	int progress;
	bool restart;
};

static void record_result(struct thr *t, int cmd, int ret, int err,
			  bool temp_fd)
{
	int i;

	atomic_fetch_add_explicit(&sh->ioctls, 1, memory_order_relaxed);
	if (ret == 0) {
		atomic_fetch_add_explicit(&sh->results[cmd][0], 1,
					  memory_order_relaxed);
		return;
	}
	atomic_fetch_add_explicit(&sh->results[cmd][err <= MAX_ERRNO ? err : 0],
				  err <= MAX_ERRNO ? 1 : 0,
				  memory_order_relaxed);
	if (err == EFAULT || err == EBADFD)
		return;
	if (err == EBADF && temp_fd)	/* closed by the other thread first */
		return;
	for (i = 0; cmds[cmd].errs[i]; i++)
		if (cmds[cmd].errs[i] == err)
			return;
	atomic_fetch_add(&sh->nunexpected, 1);
	i = atomic_fetch_add(&sh->nlog, 1);
	if (i < UNEXPECTED_LOG) {
		sh->log[i] = (struct unexpected){
			.cmd = cmd, .err = err, .proc = t->w->proc,
			.thread = t->index, .round = g_round, .op = t->op,
		};
	}
}

/* Issues @cmd on @fd and accounts its result. */
static int do_ioctl(struct thr *t, int fd, int cmd, unsigned long nr,
		    void *arg, bool temp_fd)
{
	int ret = ioctl(fd, nr, arg);
	int err = ret ? errno : 0;

	t->op++;
	record_result(t, cmd, ret, err, temp_fd);
	return ret ? -err : 0;
}

static int xioctl(struct thr *t, int cmd, void *arg)
{
	return do_ioctl(t, t->w->fd, cmd, cmds[cmd].nr, arg, false);
}

static uint32_t any_handle(struct thr *t)
{
	struct rng *r = &t->r;

	switch (below(r, 10)) {
	case 0:
		return 0;
	case 1:
		return (uint32_t)rnd(r);
	case 2:
		return below(r, 64);
	default:
		return atomic_load(&t->w->handles[below(r, HANDLE_SLOTS)]);
	}
}

static void keep_handle(struct thr *t, uint32_t h)
{
	atomic_store(&t->w->handles[below(&t->r, HANDLE_SLOTS)], h);
}

static uint32_t any_dev(struct thr *t)
{
	struct rng *r = &t->r;

	if (chance(r, 90))
		return below(r, g_num_devices);
	return chance(r, 50) ? g_num_devices + below(r, 4) : (uint32_t)rnd(r);
}

static uint32_t any_flags(struct thr *t, uint32_t valid)
{
	struct rng *r = &t->r;

	if (chance(r, 85))
		return (uint32_t)rnd(r) & valid;
	return chance(r, 50) ? 1u << below(r, 32) : (uint32_t)rnd(r);
}

static uint32_t any_pad(struct thr *t)
{
	return chance(&t->r, 95) ? 0 : (uint32_t)rnd(&t->r) | 1;
}

/*
 * Where the argument goes: usually a buffer, sometimes a bad pointer. For
 * a valid-looking call @buf (a stack copy) is used as is.
 */
static void *place(struct thr *t, void *buf, size_t size, bool *bad)
{
	struct rng *r = &t->r;
	struct worker *w = t->w;

	*bad = true;
	if (chance(r, 88)) {
		*bad = false;
		return buf;
	}
	switch (below(r, 7)) {
	case 0:
		return NULL;
	case 1:
		return w->none;			/* PROT_NONE */
	case 2:
		/* Straddles the end of the RW page into the PROT_NONE one. */
		memcpy(w->rw + 4096 - size / 2, buf, size / 2);
		return w->rw + 4096 - size / 2;
	case 3:
		/* Read-only: in-only ioctls work, others fail the copy out. */
		return w->ro;
	case 4:
		return (void *)(uintptr_t)0xffff888000000000ull;
	case 5:
		return (void *)(uintptr_t)0x8000000000000000ull;
	default:
		return (void *)(uintptr_t)rnd(r);
	}
}

static uint64_t any_user_ptr(struct thr *t, void *good)
{
	struct rng *r = &t->r;

	if (chance(r, 85))
		return (uintptr_t)good;
	switch (below(r, 4)) {
	case 0:
		return 0;
	case 1:
		return (uintptr_t)t->w->none;
	case 2:
		return (uintptr_t)t->w->ro;
	default:
		return rnd(r);
	}
}

static void any_key(struct thr *t, char key[ASCEND_NOTIFY_KEY_LEN],
		    uint32_t *kind)
{
	struct rng *r = &t->r;
	int i;

	memcpy(key, sh->keys[below(r, KEY_SLOTS)].key, ASCEND_NOTIFY_KEY_LEN);
	*kind = 0;
	switch (below(r, 13)) {
	case 0:		/* one digit off */
		i = below(r, ASCEND_NOTIFY_KEY_LEN);
		key[i] = "0123456789abcdef"[below(r, 16)];
		break;
	case 1:		/* upper case: not canonical */
		for (i = 0; i < ASCEND_NOTIFY_KEY_LEN; i++)
			if (key[i] >= 'a' && key[i] <= 'f')
				key[i] -= 32;
		break;
	case 2:		/* random bytes */
		for (i = 0; i < ASCEND_NOTIFY_KEY_LEN; i++)
			key[i] = (char)rnd(r);
		break;
	case 3:		/* random canonical */
		for (i = 0; i < ASCEND_NOTIFY_KEY_LEN; i++)
			key[i] = "0123456789abcdef"[below(r, 16)];
		break;
	case 4:
		*kind = chance(r, 50) ? below(r, 4) : (uint32_t)rnd(r);
		break;
	case 5:		/* a guessed VMM shareable handle (KEY64 form) */
		for (i = 0; i < ASCEND_NOTIFY_KEY_LEN; i++)
			key[i] = i < 16 ? "0123456789abcdef"[below(r, 16)] : '0';
		*kind = ASCEND_NOTIFY_KIND_MEM;
		break;
	default:
		break;
	}
}

static void publish_key(struct thr *t, const char *key, uint32_t kind)
{
	struct published_key *p = &sh->keys[below(&t->r, KEY_SLOTS)];

	/* Torn by concurrent writers sometimes: the kernel must refuse it. */
	memcpy(p->key, key, ASCEND_NOTIFY_KEY_LEN);
	p->kind = kind;
}

static uint64_t deadline_in(uint64_t ns)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec + ns;
}

/* ---- single random operations ------------------------------------------- */

static void op_random(struct thr *t)
{
	struct rng *r = &t->r;
	struct worker *w = t->w;
	union {
		struct ascend_notify_version v;
		struct ascend_notify_device_info di;
		struct ascend_notify_bare_tgid bt;
		struct ascend_notify_peer p;
		struct ascend_notify_create c;
		struct ascend_notify_handle_arg h;
		struct ascend_notify_wait wt;
		struct ascend_notify_cancel cn;
		struct ascend_notify_batch b;
		struct ascend_notify_info i;
		struct ascend_notify_export e;
		struct ascend_notify_trust tr;
		struct ascend_notify_import im;
		struct ascend_notify_mem m;
		struct ascend_notify_device_mem dm;
		struct ascend_notify_user_info ui;
		char raw[128];
	} a;
	uint32_t hs[64], word = 0;
	int32_t pids[ASCEND_NOTIFY_TRUST_MAX + 4];
	int cmd = below(r, NCMD), ret, i;
	bool bad;
	void *arg;

	memset(&a, 0, sizeof(a));
	switch (cmd) {
	case C_VERSION:
		a.v.flags = any_flags(t, 0);
		a.v.pad = any_pad(t);
		break;
	case C_DEVINFO:
	case C_DEVMEM:
		a.di.dev = any_dev(t);
		a.di.flags = any_flags(t, 0);
		break;
	case C_TGID:
	case C_OLDSTATS:
		a.bt.flags = any_flags(t, 0);
		break;
	case C_PEER_EN:
	case C_PEER_DIS:
		a.p.dev = any_dev(t);
		a.p.peer = any_dev(t);
		a.p.flags = any_flags(t, 0);
		a.p.pad = any_pad(t);
		break;
	case C_CREATE:
		a.c.dev = any_dev(t);
		a.c.flags = any_flags(t, ASCEND_NOTIFY_CREATE_DEVICE_ONLY |
				      (chance(r, 20) ? ASCEND_NOTIFY_CREATE_EVENT : 0));
		break;
	case C_DESTROY:
	case C_RECORD:
	case C_UNEXPORT:
		a.h.handle = any_handle(t);
		a.h.flags = any_flags(t, 0);
		break;
	case C_WAIT:
		a.wt.handle = any_handle(t);
		a.wt.flags = any_flags(t, 0);
		/* No cancel word, one set or clear, or a bad pointer. */
		word = chance(r, 30);
		a.wt.cancel = chance(r, 50) ? 0 : any_user_ptr(t, &word);
		switch (below(r, 4)) {
		case 0:
			a.wt.deadline_ns = 0;	/* in the past */
			break;
		case 1:
			a.wt.deadline_ns = deadline_in(below(r, 2000000));
			break;
		default:
			a.wt.deadline_ns = deadline_in(below(r, 200000));
			break;
		}
		break;
	case C_BATCH:
		for (i = 0; i < 64; i++)
			hs[i] = any_handle(t);
		a.b.handles = any_user_ptr(t, hs);
		switch (below(r, 8)) {
		case 0:
			a.b.count = (uint32_t)rnd(r);	/* huge */
			break;
		case 1:
			a.b.count = ASCEND_NOTIFY_BATCH_MAX + below(r, 2);
			break;
		case 2:
			a.b.count = 0;
			break;
		default:
			a.b.count = 1 + below(r, 64);
			break;
		}
		a.b.flags = any_flags(t, 0);
		break;
	case C_INFO:
		a.i.handle = any_handle(t);
		a.i.flags = any_flags(t, 0);
		break;
	case C_CANCEL:
		a.cn.flags = any_flags(t, 0);
		a.cn.pad = any_pad(t);
		break;
	case C_EXPORT:
		a.e.handle = any_handle(t);
		a.e.flags = any_flags(t, ASCEND_NOTIFY_EXPORT_NO_PID_CHECK |
					  ASCEND_NOTIFY_EXPORT_KEY64);
		break;
	case C_SETPIDS:
		for (i = 0; i < (int)(sizeof(pids) / sizeof(pids[0])); i++) {
			switch (below(r, 6)) {
			case 0:
				pids[i] = (int32_t)rnd(r);
				break;
			case 1:
				pids[i] = -(int32_t)below(r, 3);
				break;
			case 2:
				pids[i] = w->tgid;
				break;
			default:
				pids[i] = atomic_load(&sh->tgids[below(r, g_procs)]);
				break;
			}
		}
		a.tr.pids = any_user_ptr(t, pids);
		a.tr.handle = any_handle(t);
		a.tr.count = chance(r, 90) ? 1 + below(r, 8) :
			     chance(r, 50) ? (uint32_t)rnd(r) :
			     ASCEND_NOTIFY_TRUST_MAX + below(r, 4);
		a.tr.flags = any_flags(t, 0);
		a.tr.pad = any_pad(t);
		break;
	case C_IMPORT:
		any_key(t, a.im.key, &a.im.kind);
		a.im.dev = any_dev(t);
		a.im.flags = any_flags(t, ASCEND_NOTIFY_IMPORT_PEER_ACCESS);
		break;
	case C_MEMALLOC:
		a.m.dev = any_dev(t);
		a.m.flags = any_flags(t, 0);
		a.m.size = chance(r, 80) ? 1 + below(r, 65536) : rnd(r);
		a.m.pad = any_pad(t);
		break;
	case C_MEMINFO:
		a.m.handle = any_handle(t);
		a.m.flags = any_flags(t, 0);
		break;
	case C_USERINFO:
		a.ui.dev = any_dev(t);
		a.ui.flags = any_flags(t, 0);
		break;
	case C_BOGUS: {
		/* Our magic with another number, or a known one with another
		 * size or direction: ENOTTY.
		 */
		unsigned long nr;

		do {
			nr = _IOC(below(r, 4), ASCEND_NOTIFY_IOC_MAGIC,
				  below(r, 0x40), below(r, 256));
			for (i = 0; i < C_BOGUS && cmds[i].nr != nr; i++)
				;
		} while (i < C_BOGUS);
		for (i = 0; i < (int)sizeof(a.raw); i++)
			a.raw[i] = (char)rnd(r);
		ret = do_ioctl(t, w->fd, C_BOGUS, nr,
			       place(t, &a, sizeof(a), &bad), false);
		return;
	}
	}
	arg = place(t, &a, cmds[cmd].size, &bad);
	ret = xioctl(t, cmd, arg);
	if (ret || bad)
		return;
	/* Keep what we made: handles for later, keys for the others. */
	switch (cmd) {
	case C_CREATE:
		keep_handle(t, a.c.handle);
		break;
	case C_IMPORT:
		keep_handle(t, a.im.handle);
		break;
	case C_MEMALLOC:
		keep_handle(t, a.m.handle);
		break;
	case C_EXPORT:
		publish_key(t, a.e.key, 0);
		break;
	}
}

/* A valid-looking sequence: create, export, trust, publish; or import. */
static void op_share(struct thr *t)
{
	struct rng *r = &t->r;
	struct ascend_notify_create c = { .dev = below(r, g_num_devices) };
	struct ascend_notify_export e = { 0 };
	struct ascend_notify_trust tr = { 0 };
	struct ascend_notify_import im = { 0 };
	int32_t pids[4];
	int i;

	if (chance(r, 50)) {
		any_key(t, im.key, &im.kind);
		im.dev = below(r, g_num_devices);
		im.flags = chance(r, 70) ? ASCEND_NOTIFY_IMPORT_PEER_ACCESS : 0;
		if (!xioctl(t, C_IMPORT, &im))
			keep_handle(t, im.handle);
		return;
	}
	if (chance(r, 10))
		c.flags = ASCEND_NOTIFY_CREATE_EVENT;	/* ABI 1.2 */
	if (xioctl(t, C_CREATE, &c))
		return;
	keep_handle(t, c.handle);
	e.handle = c.handle;
	e.flags = chance(r, 50) ? ASCEND_NOTIFY_EXPORT_NO_PID_CHECK : 0;
	if (chance(r, 30))
		e.flags |= ASCEND_NOTIFY_EXPORT_KEY64;	/* ABI 1.4 */
	if (xioctl(t, C_EXPORT, &e))
		return;
	if (!(e.flags & ASCEND_NOTIFY_EXPORT_NO_PID_CHECK)) {
		for (i = 0; i < 4; i++)
			pids[i] = atomic_load(&sh->tgids[below(r, g_procs)]) ?:
				  t->w->tgid;
		tr.pids = (uintptr_t)pids;
		tr.handle = c.handle;
		tr.count = 1 + below(r, 4);
		xioctl(t, C_SETPIDS, &tr);
	}
	publish_key(t, e.key, 0);
}

/* Records, waits and resets on our handles; some destroy. */
static void op_notify(struct thr *t)
{
	struct rng *r = &t->r;
	struct ascend_notify_handle_arg h = { .handle = any_handle(t) };
	struct ascend_notify_wait wt = { .handle = h.handle };
	struct ascend_notify_batch b = { 0 };
	uint32_t hs[8];
	int i;

	switch (below(r, 5)) {
	case 0:
		xioctl(t, C_RECORD, &h);
		break;
	case 1:
		wt.deadline_ns = deadline_in(below(r, 3000000));
		xioctl(t, C_WAIT, &wt);
		break;
	case 2:
		for (i = 0; i < 8; i++)
			hs[i] = any_handle(t);
		b.handles = (uintptr_t)hs;
		b.count = 1 + below(r, 8);
		xioctl(t, C_BATCH, &b);
		break;
	case 3:
		if (!xioctl(t, C_DESTROY, &h))
			for (i = 0; i < HANDLE_SLOTS; i++) {
				uint32_t v = h.handle;

				atomic_compare_exchange_strong(&t->w->handles[i],
							       &v, 0);
			}
		break;
	default:
		xioctl(t, C_RECORD, &h);
		xioctl(t, C_WAIT, &wt);
		break;
	}
}

/* mmap of the device at random offsets (ABI 1.2 MEM; refused before). */
static void op_mmap(struct thr *t)
{
	struct rng *r = &t->r;
	struct ascend_notify_mem m = { .dev = below(r, g_num_devices),
				       .size = 4096 * (1 + below(r, 4)) };
	size_t len = 4096 * (1 + below(r, 4));
	off_t off;
	void *p;

	if (chance(r, 50) && !xioctl(t, C_MEMALLOC, &m)) {
		keep_handle(t, m.handle);
		off = m.mmap_offset + (chance(r, 70) ? 0 : 4096 * below(r, 8));
		len = chance(r, 70) ? m.size : len;
	} else {
		off = (off_t)(rnd(r) & ~4095ull & 0x7fffffffffffull);
	}
	atomic_fetch_add(&sh->mmaps, 1);
	p = mmap(NULL, len, chance(r, 80) ? PROT_READ | PROT_WRITE : PROT_READ,
		 chance(r, 90) ? MAP_SHARED : MAP_PRIVATE, t->w->fd, off);
	if (p == MAP_FAILED)
		return;
	atomic_fetch_add(&sh->mmap_ok, 1);
	/* Only a whole allocation we were handed is safe to touch. */
	if (off == (off_t)m.mmap_offset && m.handle && len <= m.size)
		((volatile char *)p)[0] = 1;
	munmap(p, len);
}

/* Our ioctls on files that are not ours: whatever they say, not counted. */
static void op_foreign(struct thr *t)
{
	char buf[128];
	int fd = open(chance(&t->r, 50) ? "/dev/null" : "/dev/zero",
		      O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return;
	memset(buf, 0, sizeof(buf));
	ioctl(fd, cmds[below(&t->r, C_BOGUS)].nr, buf);
	atomic_fetch_add(&sh->foreign, 1);
	close(fd);
}

/* A forked child may hold our fd but not use it: EBADFD, always. */
static void op_fork(struct thr *t)
{
	struct ascend_notify_version v = { 0 };
	struct ascend_notify_create c = { 0 };
	int status = 0;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return;
	if (pid == 0) {
		bool ok;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(t->w->progress);
		ok = ioctl(t->w->fd, ASCEND_NOTIFY_IOC_VERSION, &v) &&
		     errno == EBADFD &&
		     ioctl(t->w->fd, ASCEND_NOTIFY_IOC_CREATE, &c) &&
		     errno == EBADFD;
		_exit(ok ? 0 : 1);
	}
	atomic_fetch_add(&sh->forks, 1);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;	/* a signal storm's late SIGUSR1 */
	if (WIFEXITED(status)) {
		if (WEXITSTATUS(status) == 0) {
			atomic_fetch_add(&sh->ebadfd_ok, 1);
		} else {
			record_result(t, C_VERSION, -1, EBADR, false);
			fprintf(stderr, "an_fuzz: a forked child used its parent's context\n");
		}
	}
}

/* ---- two-thread races ----------------------------------------------------- */

enum race { R_CLOSE_DUP, R_CLOSE_CONTEXT, R_SIGNAL, R_FOREVER_RECORD,
	    R_FOREVER_DESTROY, NRACES };

struct race_arg {
	struct thr *t;
	enum race kind;
	int fd;			/* the fd the waiter uses */
	uint32_t handle;
	pid_t waiter_tid;
	int go[2];		/* waiter -> partner: about to wait */
	int done[2];		/* waiter -> partner: the wait returned */
};

static void *race_partner(void *p)
{
	struct race_arg *ra = p;
	struct ascend_notify_handle_arg h = { .handle = ra->handle };
	struct pollfd pfd = { .fd = ra->done[0], .events = POLLIN };
	char c;
	int i;

	if (read(ra->go[0], &c, 1) != 1)
		return NULL;
	switch (ra->kind) {
	case R_CLOSE_DUP:
	case R_CLOSE_CONTEXT:
		atomic_fetch_add(&sh->closes, 1);
		close(ra->fd);
		break;
	case R_SIGNAL:
		/* A storm until the wait ends. */
		for (i = 0; i < 10000 && poll(&pfd, 1, 0) == 0; i++) {
			syscall(SYS_tgkill, getpid(), ra->waiter_tid, SIGUSR1);
			atomic_fetch_add(&sh->signals, 1);
		}
		break;
	case R_FOREVER_RECORD:
		/* Other threads may reset the bit: record until it is seen. */
		for (i = 0; i < 2000 && poll(&pfd, 1, i ? 1 : 0) == 0; i++)
			ioctl(ra->t->w->fd, ASCEND_NOTIFY_IOC_RECORD, &h);
		if (i == 2000)
			ioctl(ra->t->w->fd, ASCEND_NOTIFY_IOC_DESTROY, &h);
		break;
	case R_FOREVER_DESTROY:
		ioctl(ra->t->w->fd, ASCEND_NOTIFY_IOC_DESTROY, &h);
		break;
	default:
		break;
	}
	return NULL;
}

/*
 * The waiter (this thread) and a partner thread: the partner closes the
 * fd the wait uses, closes the context's only fd, storms the waiter with
 * signals, or releases a wait without deadline by records or a destroy.
 */
static void op_race(struct thr *t)
{
	struct rng *r = &t->r;
	struct worker *w = t->w;
	struct race_arg ra = { .t = t, .kind = below(r, NRACES), .fd = w->fd };
	struct ascend_notify_create c = { .dev = 0 };
	struct ascend_notify_wait wt = { 0 };
	int slot = TEMP_FD_BASE + t->index * 4, ctxfd = -1, ret;
	bool temp = false;
	pthread_t th;

	if (pipe2(ra.go, O_CLOEXEC))
		return;
	if (pipe2(ra.done, O_CLOEXEC)) {
		close(ra.go[0]);
		close(ra.go[1]);
		return;
	}
	ra.waiter_tid = t->tid;
	if (ra.kind == R_CLOSE_DUP) {
		ra.fd = fcntl(w->fd, F_DUPFD_CLOEXEC, slot);
		temp = true;
	} else if (ra.kind == R_CLOSE_CONTEXT) {
		/* A second context whose only fd is closed under the wait. */
		ctxfd = open(ASCEND_NOTIFY_DEVICE_PATH, O_RDWR | O_CLOEXEC);
		ra.fd = ctxfd < 0 ? -1 : fcntl(ctxfd, F_DUPFD_CLOEXEC, slot + 1);
		if (ctxfd >= 0)
			close(ctxfd);
		temp = true;
	}
	if (ra.fd < 0 || do_ioctl(t, ra.fd, C_CREATE, ASCEND_NOTIFY_IOC_CREATE,
				  &c, temp))
		goto out;
	ra.handle = c.handle;
	wt.handle = c.handle;
	switch (ra.kind) {
	case R_FOREVER_RECORD:
	case R_FOREVER_DESTROY:
	case R_CLOSE_CONTEXT:
		wt.deadline_ns = ASCEND_NOTIFY_FOREVER;
		atomic_fetch_add(&sh->forever, 1);
		break;
	default:
		wt.deadline_ns = deadline_in(1000000 + below(r, 20000000));
		break;
	}
	if (pthread_create(&th, NULL, race_partner, &ra))
		goto out_destroy;
	if (write(ra.go[1], "g", 1) != 1)
		abort();
	ret = do_ioctl(t, ra.fd, C_WAIT, ASCEND_NOTIFY_IOC_WAIT, &wt, temp);
	(void)ret;
	if (write(ra.done[1], "d", 1) != 1)
		abort();
	pthread_join(th, NULL);
out_destroy:
	if (ra.kind == R_CLOSE_CONTEXT || ra.kind == R_CLOSE_DUP) {
		/* Closed by the partner: the handle died with the context
		 * (R_CLOSE_CONTEXT) or lives in ours (R_CLOSE_DUP).
		 */
		if (ra.kind == R_CLOSE_DUP)
			keep_handle(t, c.handle);
	} else if (ra.kind != R_FOREVER_DESTROY) {
		struct ascend_notify_handle_arg h = { .handle = c.handle };

		ioctl(w->fd, ASCEND_NOTIFY_IOC_DESTROY, &h);
	}
out:
	if (temp && ra.fd >= 0 && ra.kind != R_CLOSE_DUP &&
	    ra.kind != R_CLOSE_CONTEXT)
		close(ra.fd);
	close(ra.go[0]);
	close(ra.go[1]);
	close(ra.done[0]);
	close(ra.done[1]);
}

/* ---- workers ---------------------------------------------------------------- */

static void *thread_main(void *p)
{
	struct thr *t = p;
	struct rng *r = &t->r;
	uint32_t n = g_ops / 2 + below(r, g_ops), i;

	t->tid = (pid_t)syscall(SYS_gettid);
	for (i = 0; i < n; i++) {
		uint32_t what = below(r, 100);

		if (what < 45)
			op_random(t);
		else if (what < 60)
			op_share(t);
		else if (what < 85)
			op_notify(t);
		else if (what < 90)
			op_race(t);
		else if (what < 93)
			op_mmap(t);
		else if (what < 95)
			op_foreign(t);
		else if (what < 96)
			op_fork(t);
		else if (write(t->w->progress, "p", 1) != 1)
			_exit(0);
	}
	return NULL;
}

static void on_usr1(int sig)
{
	(void)sig;
}

/* The users workers run as, in turn: root and two unprivileged ones. */
static const uid_t worker_uids[] = { 0, 65534, 65533 };
#define NR_UIDS	(sizeof(worker_uids) / sizeof(worker_uids[0]))

static bool become(uid_t uid)
{
	return setgroups(0, NULL) == 0 && setresgid(uid, uid, uid) == 0 &&
	       setresuid(uid, uid, uid) == 0;
}

static void worker(int proc, int progress, pid_t parent)
{
	static struct worker w;
	struct thr thr[3];
	pthread_t th[3];
	struct sigaction sa = { .sa_handler = on_usr1 };
	struct ascend_notify_bare_tgid bt = { 0 };
	struct rng r;
	int nthreads, i;
	char *map;

	/* First: a change of credentials clears the parent-death signal. */
	if (worker_uids[proc % NR_UIDS] && !become(worker_uids[proc % NR_UIDS]))
		_exit(96);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
		_exit(99);
	rng_init(&r, g_seed, g_round, proc, 99);
	w.proc = proc;
	w.progress = progress;
	w.restart = below(&r, 2);
	sa.sa_flags = w.restart ? SA_RESTART : 0;
	sigaction(SIGUSR1, &sa, NULL);
	map = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		_exit(98);
	w.rw = map;
	w.ro = map + 4096;
	w.none = map + 8192;
	mprotect(w.ro, 4096, PROT_READ);
	mprotect(w.none, 4096, PROT_NONE);
	w.fd = open(ASCEND_NOTIFY_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (w.fd < 0)
		_exit(97);
	if (!ioctl(w.fd, ASCEND_NOTIFY_IOC_BARE_TGID, &bt))
		w.tgid = bt.tgid;
	atomic_store(&sh->tgids[proc], w.tgid);
	nthreads = 1 + below(&r, 3);
	for (i = 0; i < nthreads; i++) {
		thr[i] = (struct thr){ .w = &w, .index = i };
		rng_init(&thr[i].r, g_seed, g_round, proc, i);
	}
	for (i = 1; i < nthreads; i++)
		if (pthread_create(&th[i], NULL, thread_main, &thr[i]))
			nthreads = i;
	thread_main(&thr[0]);
	for (i = 1; i < nthreads; i++)
		pthread_join(th[i], NULL);
	/* Leave the rest to exit: handles, keys and the context go with it. */
	_exit(0);
}

/* ---- the kernel's health ---------------------------------------------------- */

static const char *const bad_log[] = {
	"WARNING:", "BUG:", "KASAN", "kmemleak", "ODEBUG",
	"possible circular locking", "inconsistent lock state",
	"suspicious RCU usage", "Oops", "general protection", "UBSAN",
	"Call Trace", "blocked for more than",
};

static int kmsg = -1;

/* New kernel log lines that show trouble; printed, and counted. */
static unsigned int kmsg_scan(void)
{
	char buf[8192];
	unsigned int bad = 0;
	size_t i;

	if (kmsg < 0)
		return 0;
	for (;;) {
		ssize_t n = read(kmsg, buf, sizeof(buf) - 1);

		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten records: go on */
		if (n <= 0)
			break;
		buf[n] = '\0';
		for (i = 0; i < sizeof(bad_log) / sizeof(bad_log[0]); i++) {
			if (strstr(buf, bad_log[i])) {
				char *msg = strchr(buf, ';');

				fprintf(stderr, "an_fuzz: kernel log: %s",
					msg ? msg + 1 : buf);
				bad++;
				break;
			}
		}
	}
	return bad;
}

static long read_tainted(void)
{
	char buf[32] = "";
	int fd = open("/proc/sys/kernel/tainted", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? strtol(buf, NULL, 10) : -1;
}

static uint64_t now_ns(void)
{
	return deadline_in(0);
}

/* Live objects seen from a fresh context; polls a little for stragglers. */
static int check_stats(struct an_stats *st)
{
	uint64_t end = now_ns() + 2000000000ull;
	int fd, ret;

	do {
		fd = open(ASCEND_NOTIFY_DEVICE_PATH, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		ret = an_stats(st);
		close(fd);
		if (ret)
			return ret;
		if (st->contexts == 1 && !st->objects && !st->handles &&
		    !st->keys)
			return 0;
		sched_yield();
	} while (now_ns() < end);
	return 1;
}

/*
 * Does every worker user hold nothing, as a fresh process of its own sees
 * it? Returns the number of users that still hold something (printed).
 */
static unsigned int check_users(void)
{
	unsigned int bad = 0, u;

	for (u = 0; u < NR_UIDS; u++) {
		pid_t pid = fork();
		int status;

		if (pid < 0)
			return bad + 1;
		if (pid == 0) {
			struct ascend_notify_user_info ui;
			uint32_t dev;
			int fd, held = 0;

			if (worker_uids[u] && !become(worker_uids[u]))
				_exit(2);
			fd = open(ASCEND_NOTIFY_DEVICE_PATH, O_RDWR | O_CLOEXEC);
			if (fd < 0)
				_exit(2);
			for (dev = 0; dev < g_num_devices; dev++) {
				memset(&ui, 0, sizeof(ui));
				ui.dev = dev;
				if (ioctl(fd, ASCEND_NOTIFY_IOC_USER_INFO, &ui))
					_exit(errno == ENOTTY ? 0 : 2);
				if (!ui.notifies && !ui.handles && !ui.mem)
					continue;
				fprintf(stderr, "an_fuzz: round %u: LEAK: user %u holds %u notifies, %u handles, %llu bytes on device %u\n",
					g_round, ui.uid, ui.notifies, ui.handles,
					(unsigned long long)ui.mem, dev);
				held = 1;
			}
			_exit(held);
		}
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			bad++;
	}
	return bad;
}

/* ---- per-user limits through the netlink family ------------------------------ */

/*
 * Lowers every device's per-user limits to at most @lim (NULL: puts
 * @saved back) through DEVICE_SET, saving the current ones into @saved
 * first when @lim is given. 0 or -errno.
 */
static int set_user_limits(const struct ascend_notify_user_info *lim,
			   struct ascend_notify_user_info *saved)
{
	struct an_genl_req q;
	uint16_t family;
	uint32_t dev;
	int fd, dfd, ret;

	fd = an_genl_open(&family);
	if (fd < 0)
		return fd;
	ret = 0;
	dfd = open(ASCEND_NOTIFY_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (dfd < 0)
		ret = -errno;
	for (dev = 0; dev < g_num_devices && !ret; dev++) {
		struct ascend_notify_user_info *was = &saved[dev];
		uint32_t n = was->max_notifies, h = was->max_handles;
		uint64_t mem = was->max_mem;

		if (lim) {
			/* Lower only: what the module has may be lower still. */
			memset(was, 0, sizeof(*was));
			was->dev = dev;
			if (ioctl(dfd, ASCEND_NOTIFY_IOC_USER_INFO, was)) {
				ret = -errno;
				break;
			}
			n = MIN(lim->max_notifies, was->max_notifies);
			h = MIN(lim->max_handles, was->max_handles);
			mem = MIN(lim->max_mem, was->max_mem);
		}
		an_genl_init(&q, family, ASCEND_NOTIFY_CMD_DEVICE_SET);
		an_genl_put(&q, ASCEND_NOTIFY_A_DEV, &dev, sizeof(dev));
		an_genl_put(&q, ASCEND_NOTIFY_A_USER_MAX_NOTIFIES, &n, sizeof(n));
		an_genl_put(&q, ASCEND_NOTIFY_A_USER_MAX_HANDLES, &h, sizeof(h));
		an_genl_put(&q, ASCEND_NOTIFY_A_USER_MAX_MEM, &mem, sizeof(mem));
		ret = an_genl_talk(fd, &q, NULL, NULL);
	}
	if (dfd >= 0)
		close(dfd);
	close(fd);
	return ret;
}

/* ---- rounds ------------------------------------------------------------------ */

struct totals {
	uint32_t rounds, killed, leaks, hangs, log_issues, taints, failed_spawn;
};

static void run_round(struct totals *tot, long taint0)
{
	pid_t kids[MAX_PROCS], parent = getpid();
	uint32_t kill_at[4], nkill, kills = 0, progress = 0, i;
	struct an_stats st;
	struct rng r;
	int pipefd[2], alive = 0;
	long taint;

	rng_init(&r, g_seed, g_round, 1000, 0);
	if (pipe2(pipefd, O_CLOEXEC)) {
		perror("pipe");
		exit(2);
	}
	memset(sh->tgids, 0, sizeof(sh->tgids));
	for (i = 0; i < g_procs; i++) {
		kids[i] = fork();
		if (kids[i] == 0) {
			close(pipefd[0]);
			worker(i, pipefd[1], parent);
		}
		if (kids[i] < 0)
			tot->failed_spawn++;
		else
			alive++;
	}
	close(pipefd[1]);
	/* Kill a few workers at random moments of their progress. */
	nkill = below(&r, 4);
	for (i = 0; i < nkill; i++)
		kill_at[i] = below(&r, g_procs * g_ops / 40 + 1);
	for (;;) {
		struct pollfd pfd = { .fd = pipefd[0], .events = POLLIN };
		char buf[64];
		ssize_t n;
		int pr = poll(&pfd, 1, ROUND_STALL_S * 1000);

		if (pr == 0) {
			fprintf(stderr, "an_fuzz: round %u: no progress for %d s: hang\n",
				g_round, ROUND_STALL_S);
			tot->hangs++;
			for (i = 0; i < g_procs; i++) {
				char path[64], stack[4096];
				int fd;

				if (kids[i] <= 0)
					continue;
				snprintf(path, sizeof(path), "/proc/%d/stack", kids[i]);
				fd = open(path, O_RDONLY);
				if (fd >= 0) {
					n = read(fd, stack, sizeof(stack) - 1);
					if (n > 0) {
						stack[n] = '\0';
						fprintf(stderr, "an_fuzz: worker %u (pid %d):\n%s",
							i, kids[i], stack);
					}
					close(fd);
				}
				kill(kids[i], SIGKILL);
			}
			break;
		}
		n = read(pipefd[0], buf, sizeof(buf));
		if (n <= 0)
			break;		/* every writer is gone */
		progress += n;
		for (i = 0; i < nkill; i++) {
			if (kill_at[i] && progress >= kill_at[i]) {
				uint32_t k = below(&r, g_procs);

				kill_at[i] = 0;
				if (kids[k] > 0 && !kill(kids[k], SIGKILL))
					kills++;
			}
		}
	}
	close(pipefd[0]);
	/* Workers, and orphaned grandchildren (we are their subreaper). */
	while (wait(NULL) > 0 || errno == EINTR)
		;
	tot->killed += kills;
	tot->rounds++;

	if (check_stats(&st)) {
		fprintf(stderr, "an_fuzz: round %u: LEAK: contexts %u (want 1), objects %u, handles %u, keys %u\n",
			g_round, st.contexts, st.objects, st.handles, st.keys);
		tot->leaks++;
	}
	tot->leaks += check_users();
	taint = read_tainted();
	if (taint != taint0) {
		fprintf(stderr, "an_fuzz: round %u: tainted %ld, was %ld\n",
			g_round, taint, taint0);
		tot->taints++;
	}
	tot->log_issues += kmsg_scan();
}

static const char *errname(int e)
{
	static char buf[16];
	const char *s = e ? strerrorname_np(e) : "ok";

	if (s)
		return s;
	snprintf(buf, sizeof(buf), "errno%d", e);
	return buf;
}

static void print_classes(void)
{
	uint64_t by[MAX_ERRNO + 1] = { 0 };
	int c, e;

	for (c = 0; c < NCMD; c++)
		for (e = 0; e <= MAX_ERRNO; e++)
			by[e] += atomic_load(&sh->results[c][e]);
	printf("an_fuzz: results:");
	for (e = 0; e <= MAX_ERRNO; e++)
		if (by[e])
			printf(" %s=%" PRIu64, errname(e), by[e]);
	printf("\n");
	for (c = 0; c < NCMD; c++) {
		printf("an_fuzz:   %-12s", cmds[c].name);
		for (e = 0; e <= MAX_ERRNO; e++)
			if (sh->results[c][e])
				printf(" %s=%" PRIu64, errname(e),
				       (uint64_t)sh->results[c][e]);
		printf("\n");
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: an_fuzz --duration SECONDS [--seed N] [--procs N] [--ops N] [--default-limits]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "duration", required_argument, NULL, 'd' },
		{ "seed", required_argument, NULL, 's' },
		{ "procs", required_argument, NULL, 'p' },
		{ "ops", required_argument, NULL, 'o' },
		{ "default-limits", no_argument, NULL, 'L' },
		{ NULL, 0, NULL, 0 },
	};
	/* Low enough that nobody and 65533 meet them in most rounds. */
	static const struct ascend_notify_user_info small = {
		.max_notifies = 24, .max_handles = 48, .max_mem = 4 << 20,
	};
	static struct ascend_notify_user_info saved[ASCEND_NOTIFY_MAX_DEVICES];
	bool limits = true, lowered = false;
	struct ascend_notify_version v = { 0 };
	struct an_stats st;
	struct totals tot = { 0 };
	uint64_t end, start, seed_src;
	long duration = -1, taint0;
	bool have_seed = false;
	uint32_t i;
	int c, fd;

	while ((c = getopt_long(argc, argv, "d:s:p:o:", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			duration = strtol(optarg, NULL, 0);
			break;
		case 's':
			g_seed = strtoull(optarg, NULL, 0);
			have_seed = true;
			break;
		case 'p':
			g_procs = strtoul(optarg, NULL, 0);
			break;
		case 'o':
			g_ops = strtoul(optarg, NULL, 0);
			break;
		case 'L':
			limits = false;
			break;
		default:
			usage();
		}
	}
	if (duration < 0 || optind != argc || !g_procs || g_procs > MAX_PROCS ||
	    !g_ops)
		usage();
	if (!have_seed) {
		seed_src = now_ns() ^ ((uint64_t)getpid() << 32);
		g_seed = splitmix64(&seed_src);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	fd = open(ASCEND_NOTIFY_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0 || ioctl(fd, ASCEND_NOTIFY_IOC_VERSION, &v)) {
		fprintf(stderr, "an_fuzz: %s: %s\n", ASCEND_NOTIFY_DEVICE_PATH,
			strerror(errno));
		return 2;
	}
	close(fd);
	g_num_devices = v.num_devices;
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	if (prctl(PR_SET_CHILD_SUBREAPER, 1))
		perror("PR_SET_CHILD_SUBREAPER");
	signal(SIGPIPE, SIG_IGN);
	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (kmsg < 0)
		fprintf(stderr, "an_fuzz: /dev/kmsg: %s: kernel log not checked\n",
			strerror(errno));
	else
		lseek(kmsg, 0, SEEK_END);
	taint0 = read_tainted();

	printf("an_fuzz: seed %" PRIu64 " (replay: --seed %" PRIu64
	       "), %u procs, %u ops per thread, %ld s, ABI %u.%u, %u devices\n",
	       g_seed, g_seed, g_procs, g_ops, duration, v.major, v.minor,
	       v.num_devices);
	if (check_stats(&st)) {
		fprintf(stderr, "an_fuzz: objects live before the first round: contexts %u, notifies %u, handles %u, keys %u\n",
			st.contexts, st.objects, st.handles, st.keys);
		return 2;
	}
	if (limits) {
		int ret = set_user_limits(&small, saved);

		if (ret)
			fprintf(stderr, "an_fuzz: lowering the per-user limits: %s; running with the module's\n",
				strerror(-ret));
		lowered = !ret;
		if (lowered)
			printf("an_fuzz: per-user limits %u notifies, %u handles, %llu bytes per device\n",
			       small.max_notifies, small.max_handles,
			       (unsigned long long)small.max_mem);
	}
	start = now_ns();
	end = start + (uint64_t)duration * 1000000000ull;
	do {
		uint64_t before = atomic_load(&sh->ioctls);

		run_round(&tot, taint0);
		printf("an_fuzz: round %u: %" PRIu64 " ioctls, %u killed so far, leaks %u, unexpected errnos %" PRIu64 "\n",
		       g_round, (uint64_t)atomic_load(&sh->ioctls) - before,
		       tot.killed, tot.leaks,
		       (uint64_t)atomic_load(&sh->nunexpected));
		g_round++;
	} while (now_ns() < end && !tot.hangs);

	printf("an_fuzz: %u rounds in %.1f s, %" PRIu64 " ioctls (+%" PRIu64
	       " on other files), %" PRIu64 " mmaps (%" PRIu64 " mapped), %"
	       PRIu64 " forks (%" PRIu64 " saw EBADFD), %" PRIu64
	       " signals, %" PRIu64 " closes under waits, %" PRIu64
	       " waits without deadline\n",
	       tot.rounds, (now_ns() - start) / 1e9,
	       (uint64_t)sh->ioctls, (uint64_t)sh->foreign,
	       (uint64_t)sh->mmaps, (uint64_t)sh->mmap_ok,
	       (uint64_t)sh->forks, (uint64_t)sh->ebadfd_ok,
	       (uint64_t)sh->signals, (uint64_t)sh->closes,
	       (uint64_t)sh->forever);
	if (lowered && set_user_limits(NULL, saved))
		fprintf(stderr, "an_fuzz: could not restore the per-user limits\n");
	print_classes();
	for (i = 0; i < atomic_load(&sh->nlog) && i < UNEXPECTED_LOG; i++)
		fprintf(stderr, "an_fuzz: unexpected: %s -> %s (round %u, worker %d, thread %d, op %" PRIu64 ")\n",
			cmds[sh->log[i].cmd].name, errname(sh->log[i].err),
			sh->log[i].round, sh->log[i].proc, sh->log[i].thread,
			sh->log[i].op);
	printf("an_fuzz: processes killed %u, leaks found %u, hangs %u, kernel log issues %u, taint changes %u, unexpected errnos %" PRIu64 "\n",
	       tot.killed, tot.leaks, tot.hangs, tot.log_issues, tot.taints,
	       (uint64_t)sh->nunexpected);
	if (tot.leaks || tot.hangs || tot.log_issues || tot.taints ||
	    sh->nunexpected || tot.failed_spawn) {
		printf("an_fuzz: FAIL (seed %" PRIu64 ")\n", g_seed);
		return 1;
	}
	printf("an_fuzz: PASS\n");
	return 0;
}
