// SPDX-License-Identifier: GPL-2.0
/*
 * Per-user limits: no single unprivileged user can take a device away from
 * the others. Each device limits what one user (a real uid, counted over
 * all its processes and files, in every PID and user namespace) may hold
 * on it: notifies and events together, handles bound to it, and bytes of
 * device memory. A full share answers as a full device does (ENOSPC,
 * ENOMEM; EMFILE for handles, as a full handle table). CAP_SYS_RESOURCE
 * in the initial user namespace, of the opener and of the caller, lifts
 * the limits; the root of a user namespace has it only there.
 *
 * Most cases reload the module with small limits (filling the defaults
 * takes long under emulation); fills.nobody_fills_its_share_and_others_still_create
 * and defaults.* use the defaults. Children that change uid are bound to
 * the test with PR_SET_PDEATHSIG (an_fork()) and report through pipes.
 */
#include <grp.h>
#include <linux/capability.h>

#include "an_test.h"
#include "kselftest_harness.h"

#define NOBODY	65534
#define OTHER	65533
#define MIB	(1ull << 20)

static bool become(uid_t uid)
{
	return setgroups(0, NULL) == 0 && setresgid(uid, uid, uid) == 0 &&
	       setresuid(uid, uid, uid) == 0;
}

/* Sets the effective and permitted capability sets (masks of CAP_*). */
static int set_caps(uint64_t eff, uint64_t perm)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2] = {
		{ .effective = eff, .permitted = perm },
		{ .effective = eff >> 32, .permitted = perm >> 32 },
	};

	return syscall(SYS_capset, &hdr, data) ? -errno : 0;
}

static uint64_t get_caps(bool permitted)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2] = { 0 };

	if (syscall(SYS_capget, &hdr, data))
		return 0;
	if (permitted)
		return data[0].permitted | (uint64_t)data[1].permitted << 32;
	return data[0].effective | (uint64_t)data[1].effective << 32;
}

#define CAP_RES	(1ull << CAP_SYS_RESOURCE)

/*
 * Reloads the module with the parameters scripts/vmtest gave it plus
 * @extra (later parameters override earlier ones).
 */
static int reload_with(const char *extra)
{
	const char *base = getenv("ASCEND_NOTIFY_MODPARAMS");
	char params[512];

	snprintf(params, sizeof(params), "%s %s", base ? base : "", extra);
	return an_module_reload(params);
}

/* Everything USER_INFO says of the caller's user, for one device. */
static struct ascend_notify_user_info info_of(int fd, uint32_t dev)
{
	struct ascend_notify_user_info ui;

	if (an_user_info(fd, dev, &ui))
		memset(&ui, 0xff, sizeof(ui));
	return ui;
}

/*
 * Forks a child that becomes @uid and runs @fn(@arg); the child's exit
 * status is @fn's result (0: as expected, else the step that was not).
 */
static int as_user(uid_t uid, int (*fn)(void *), void *arg)
{
	pid_t pid = an_fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (!become(uid))
			_exit(90);
		_exit(fn(arg));
	}
	return an_reap(pid);
}

/* Is @uid's usage zero on every device, as a fresh process of it sees? */
static int usage_is_zero(void *arg)
{
	struct ascend_notify_version v;
	struct ascend_notify_user_info ui;
	uint32_t dev;
	int fd = an_open(), ret = 0;

	if (fd < 0 || an_version(fd, &v))
		return 1;
	for (dev = 0; dev < v.num_devices && !ret; dev++) {
		ui = info_of(fd, dev);
		if (ui.notifies || ui.handles || ui.mem)
			ret = 10 + dev;
	}
	close(fd);
	return ret;
}

/*
 * A process of @uid that keeps a file open, so the user's entry in the
 * module - and its counters - lives on while the user's other processes
 * come and go: a charge that was never given back shows in USER_INFO
 * instead of vanishing with the entry. It answers each request with
 * usage_is_zero() as seen through that file.
 */
struct witness {
	pid_t pid;
	int req[2], resp[2];
};

static int witness_start(struct witness *w, uid_t uid)
{
	if (pipe(w->req) || pipe(w->resp))
		return -1;
	w->pid = an_fork();
	if (w->pid < 0)
		return -1;
	if (w->pid == 0) {
		int fd;

		close(w->req[1]);
		close(w->resp[0]);
		if (!become(uid))
			_exit(90);
		fd = an_open();
		if (fd < 0)
			_exit(91);
		while (an_recv_u32(w->req[0]) == 1)
			an_send_u32(w->resp[1], usage_is_zero(NULL));
		close(fd);
		_exit(0);
	}
	close(w->req[0]);
	close(w->resp[1]);
	return 0;
}

/* usage_is_zero() through the witness's file: 0 when it is. */
static int witness_usage(struct witness *w)
{
	if (!an_send_u32(w->req[1], 1))
		return -1;
	return an_recv_u32(w->resp[0]);
}

static int witness_stop(struct witness *w)
{
	close(w->req[1]);
	close(w->resp[0]);
	return an_reap(w->pid);
}

/* ---- the defaults -------------------------------------------------------- */

FIXTURE(defaults) {
	int fd;
	struct ascend_notify_version v;
};

FIXTURE_SETUP(defaults)
{
	self->fd = an_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, an_version(self->fd, &self->v));
	ASSERT_EQ(ASCEND_NOTIFY_ABI_MAJOR, self->v.major);
}

FIXTURE_TEARDOWN(defaults)
{
	close(self->fd);
	EXPECT_EQ(0, an_live_objects());
}

/*
 * Unless told otherwise, a user may hold half of each device's notifies
 * and memory, and a handle for every object it may hold on every device.
 */
TEST_F(defaults, a_user_may_hold_half_a_device)
{
	const char *params = getenv("ASCEND_NOTIFY_MODPARAMS");
	struct ascend_notify_device_info di;
	struct ascend_notify_device_mem dm = { 0 };
	struct ascend_notify_user_info ui;
	uint32_t dev;

	if (params && strstr(params, "user_"))
		SKIP(return, "per-user limits set by parameters: %s", params);
	for (dev = 0; dev < self->v.num_devices; dev++) {
		ASSERT_EQ(0, an_device_info(self->fd, dev, &di));
		dm.dev = dev;
		ASSERT_EQ(0, an_ioctl(self->fd, ASCEND_NOTIFY_IOC_DEVICE_MEM,
				      &dm));
		ASSERT_EQ(0, an_user_info(self->fd, dev, &ui));
		EXPECT_EQ(di.max_notifies / 2, ui.max_notifies);
		EXPECT_EQ(dm.total / 2, ui.max_mem);
		EXPECT_EQ(di.max_notifies / 2 * self->v.num_devices,
			  ui.max_handles);
	}
}

/* USER_INFO names the caller's user and says it holds nothing yet. */
TEST_F(defaults, user_info_names_the_real_uid)
{
	struct ascend_notify_user_info ui;

	ASSERT_EQ(0, an_user_info(self->fd, 0, &ui));
	EXPECT_EQ(0, ui.uid);
	/* root of the initial namespace: the limits do not apply */
	EXPECT_EQ(ASCEND_NOTIFY_USER_UNLIMITED, ui.user_flags);
	EXPECT_EQ(0, ui.notifies);
	EXPECT_EQ(0, ui.handles);
	EXPECT_EQ(0, ui.mem);
}

/* Every rejection of USER_INFO, each with an otherwise valid argument. */
TEST_F(defaults, user_info_rejections)
{
	struct ascend_notify_user_info ui = { 0 };
	void *ro;

	ui.flags = 1;
	EXPECT_EQ(-EINVAL, an_ioctl(self->fd, ASCEND_NOTIFY_IOC_USER_INFO, &ui));
	EXPECT_EQ(-ENODEV, an_user_info(self->fd, self->v.num_devices, &ui));
	EXPECT_EQ(-ENODEV, an_user_info(self->fd, UINT32_MAX, &ui));
	EXPECT_EQ(-EFAULT, an_ioctl(self->fd, ASCEND_NOTIFY_IOC_USER_INFO,
				    NULL));
	/* A read-only reply buffer that holds a valid request. */
	ro = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	ASSERT_EQ(0, mprotect(ro, 4096, PROT_READ));
	EXPECT_EQ(-EFAULT, an_ioctl(self->fd, ASCEND_NOTIFY_IOC_USER_INFO, ro));
	munmap(ro, 4096);
}

/* ---- filling a share ----------------------------------------------------- */

FIXTURE(fills) {
	int fd;
	bool reloaded;
};

FIXTURE_SETUP(fills)
{
	self->fd = -1;
}

FIXTURE_TEARDOWN(fills)
{
	if (self->fd >= 0)
		close(self->fd);
	if (self->reloaded)
		EXPECT_EQ(0, an_module_restore());
	EXPECT_EQ(0, as_user(NOBODY, usage_is_zero, NULL));
	EXPECT_EQ(0, an_live_objects());
}

struct filler {
	int ready;	/* the filler reports its result here */
	int hold;	/* and holds everything until this closes */
};

/*
 * Takes everything the user may hold: on every device its share of
 * notifies and events and of memory, on device 0 its share of handles
 * (importing one of its notifies again and again); checks each refusal
 * and that USER_INFO shows every share full; then holds on.
 */
static int fill_everything(void *arg)
{
	struct filler *f = arg;
	struct ascend_notify_version v;
	struct ascend_notify_user_info ui;
	struct ascend_notify_mem m;
	char key[AN_KEY_BUF];
	uint32_t dev, i, h, first = 0;
	int fd = an_open();
	char c;

	if (fd < 0 || an_version(fd, &v))
		return 1;
	for (dev = 0; dev < v.num_devices; dev++) {
		ui = info_of(fd, dev);
		if (ui.uid != NOBODY || ui.user_flags || !ui.max_notifies)
			return 2;
		/* Notifies and events share the share, as they share ids. */
		for (i = 0; i < ui.max_notifies; i++) {
			if (an_create(fd, dev, i % 2 ? ASCEND_NOTIFY_CREATE_EVENT
						     : 0, &h))
				return 3;
			if (!first)
				first = h;
		}
		if (an_create(fd, dev, 0, NULL) != -ENOSPC ||
		    an_create(fd, dev, ASCEND_NOTIFY_CREATE_EVENT, NULL) != -ENOSPC)
			return 4;
		if (an_mem_alloc(fd, dev, ui.max_mem, &m))
			return 5;
		if (an_mem_alloc(fd, dev, 1, &m) != -ENOMEM)
			return 6;
	}
	if (an_export(fd, first, ASCEND_NOTIFY_EXPORT_NO_PID_CHECK, key))
		return 7;
	ui = info_of(fd, 0);
	for (i = ui.handles; i < ui.max_handles; i++) {
		if (an_import(fd, key, 0, 0, NULL))
			return 8;
	}
	if (an_import(fd, key, 0, 0, NULL) != -EMFILE)
		return 9;
	for (dev = 0; dev < v.num_devices; dev++) {
		ui = info_of(fd, dev);
		if (ui.notifies != ui.max_notifies || ui.mem != ui.max_mem)
			return 10;
		if (dev == 0 && ui.handles != ui.max_handles)
			return 11;
	}
	if (!an_send_u32(f->ready, 0))
		return 12;
	/* Hold everything until the test lets go (or kills us). */
	if (read(f->hold, &c, 1) < 0)
		return 13;
	return 0;
}

/* What another user still can: a notify and 1 MiB on device 0. */
static int create_and_alloc(void *arg)
{
	struct ascend_notify_mem m;
	uint32_t h;
	int fd = an_open();

	if (fd < 0)
		return 1;
	if (an_create(fd, 0, 0, &h))
		return 2;
	if (an_mem_alloc(fd, 0, MIB, &m))
		return 3;
	return 0;
}

/*
 * The case, with the default limits: nobody takes all it may
 * have on every device; then root and another unprivileged user each
 * still create a notify and allocate 1 MiB on device 0; once nobody's
 * process is gone, so is its usage.
 */
TEST_F_TIMEOUT(fills, nobody_fills_its_share_and_others_still_create, 300)
{
	struct ascend_notify_mem m;
	struct witness w;
	struct filler f;
	int ready[2], hold[2];
	pid_t pid;
	uint32_t h;

	ASSERT_EQ(0, witness_start(&w, NOBODY));
	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(hold));
	pid = an_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(ready[0]);
		close(hold[1]);
		f.ready = ready[1];
		f.hold = hold[0];
		_exit(become(NOBODY) ? fill_everything(&f) : 90);
	}
	close(ready[1]);
	close(hold[0]);
	ASSERT_EQ(0, an_recv_u32(ready[0])) {
		close(hold[1]);
		TH_LOG("the filler stopped at step %d", an_reap(pid));
	}

	self->fd = an_open();
	ASSERT_LE(0, self->fd);
	EXPECT_EQ(0, an_create(self->fd, 0, 0, &h));
	EXPECT_EQ(0, an_mem_alloc(self->fd, 0, MIB, &m));
	EXPECT_EQ(0, as_user(OTHER, create_and_alloc, NULL));

	/* nobody's process dies holding everything: all of it comes back */
	kill(pid, SIGKILL);
	EXPECT_EQ(128 + SIGKILL, an_reap(pid));
	EXPECT_EQ(0, witness_usage(&w));
	EXPECT_EQ(0, witness_stop(&w));
	close(ready[0]);
	close(hold[1]);
}

/* ---- one test per limit -------------------------------------------------- */

static int notify_limit(void *arg)
{
	struct ascend_notify_user_info ui;
	uint32_t h[4], i;
	int fd = an_open();

	if (fd < 0)
		return 1;
	ui = info_of(fd, 0);
	if (ui.max_notifies != 4 || ui.notifies || ui.user_flags)
		return 2;
	for (i = 0; i < 4; i++) {
		if (an_create(fd, 0, 0, &h[i]))
			return 3;
	}
	if (an_create(fd, 0, 0, NULL) != -ENOSPC)
		return 4;
	/* A refused create takes nothing. */
	ui = info_of(fd, 0);
	if (ui.notifies != 4 || ui.handles != 4)
		return 5;
	/* The share is per device. */
	if (an_create(fd, 1, 0, NULL))
		return 6;
	/* A destroyed notify gives its place back. */
	if (an_destroy(fd, h[0]) || an_create(fd, 0, 0, &h[0]))
		return 7;
	if (an_create(fd, 0, 0, NULL) != -ENOSPC)
		return 8;
	/* A second file of the same user counts in the same share. */
	close(fd);
	fd = an_open();
	if (fd < 0 || an_create(fd, 0, 0, NULL))
		return 9;
	return 0;
}

/* Four notifies per user per device; the fifth is refused as if full. */
TEST_F(fills, notify_limit)
{
	uint32_t h;

	ASSERT_EQ(0, reload_with("user_max_notifies=4"));
	self->reloaded = true;
	EXPECT_EQ(0, as_user(NOBODY, notify_limit, NULL));
	/* The device is not full: another user, and root, still create. */
	EXPECT_EQ(0, as_user(OTHER, notify_limit, NULL));
	self->fd = an_open();
	ASSERT_LE(0, self->fd);
	EXPECT_EQ(0, an_create(self->fd, 0, 0, &h));
}

static int event_limit(void *arg)
{
	struct ascend_notify_user_info ui;
	uint32_t h, i;
	int fd = an_open();

	if (fd < 0)
		return 1;
	for (i = 0; i < 3; i++) {
		if (an_create(fd, 0, ASCEND_NOTIFY_CREATE_EVENT, &h))
			return 2;
	}
	if (an_create(fd, 0, 0, NULL))
		return 3;
	/* Events and notifies share the share. */
	if (an_create(fd, 0, ASCEND_NOTIFY_CREATE_EVENT, NULL) != -ENOSPC ||
	    an_create(fd, 0, 0, NULL) != -ENOSPC)
		return 4;
	ui = info_of(fd, 0);
	if (ui.notifies != 4)
		return 5;
	if (an_destroy(fd, h) ||
	    an_create(fd, 0, ASCEND_NOTIFY_CREATE_EVENT, NULL))
		return 6;
	return 0;
}

TEST_F(fills, event_limit)
{
	ASSERT_EQ(0, reload_with("user_max_notifies=4"));
	self->reloaded = true;
	EXPECT_EQ(0, as_user(NOBODY, event_limit, NULL));
}

static int memory_limit(void *arg)
{
	struct ascend_notify_user_info ui;
	struct ascend_notify_mem m, big;
	int fd = an_open();

	if (fd < 0)
		return 1;
	ui = info_of(fd, 0);
	if (ui.max_mem != 2 * MIB || ui.mem)
		return 2;
	if (an_mem_alloc(fd, 0, MIB, &big) ||
	    an_mem_alloc(fd, 0, MIB - 4096, &m) ||
	    an_mem_alloc(fd, 0, 4096, &m))
		return 3;
	if (an_mem_alloc(fd, 0, 1, &m) != -ENOMEM)
		return 4;
	if (info_of(fd, 0).mem != 2 * MIB)
		return 5;
	/* More than a share at once is refused though the device has it. */
	if (an_mem_alloc(fd, 1, 3 * MIB, &m) != -ENOMEM ||
	    info_of(fd, 1).mem)
		return 6;
	/* Freed memory comes back to the share. */
	if (an_destroy(fd, big.handle) || an_mem_alloc(fd, 0, MIB, &m))
		return 7;
	return 0;
}

/* 2 MiB per user per device of 8 MiB: the rest is refused with ENOMEM. */
TEST_F(fills, memory_limit)
{
	struct ascend_notify_mem m;

	ASSERT_EQ(0, reload_with("mem_mb=8 user_mem_mb=2"));
	self->reloaded = true;
	EXPECT_EQ(0, as_user(NOBODY, memory_limit, NULL));
	/* Not the device's budget: another user, and root, still allocate. */
	EXPECT_EQ(0, as_user(OTHER, memory_limit, NULL));
	self->fd = an_open();
	ASSERT_LE(0, self->fd);
	EXPECT_EQ(0, an_mem_alloc(self->fd, 0, 4 * MIB, &m));
}

static int handle_limit(void *arg)
{
	struct ascend_notify_user_info ui;
	struct ascend_notify_mem m;
	char key[AN_KEY_BUF];
	uint32_t h, imp, i;
	int fd = an_open();

	if (fd < 0)
		return 1;
	if (an_create(fd, 0, 0, &h) ||
	    an_export(fd, h, ASCEND_NOTIFY_EXPORT_NO_PID_CHECK, key))
		return 2;
	for (i = 0; i < 5; i++) {
		if (an_import(fd, key, 0, 0, &imp))
			return 3;
	}
	ui = info_of(fd, 0);
	if (ui.max_handles != 6 || ui.handles != 6 || ui.notifies != 1)
		return 4;
	/* Every way to a new handle on device 0 is refused... */
	if (an_import(fd, key, 0, 0, NULL) != -EMFILE)
		return 5;
	if (an_create(fd, 0, 0, NULL) != -EMFILE)
		return 6;
	if (an_mem_alloc(fd, 0, 4096, &m) != -EMFILE)
		return 7;
	/* ... and takes nothing else. */
	ui = info_of(fd, 0);
	if (ui.handles != 6 || ui.notifies != 1 || ui.mem)
		return 8;
	/* An import counts on the device it is bound to. */
	if (an_import(fd, key, 1, ASCEND_NOTIFY_IMPORT_PEER_ACCESS, NULL) ||
	    info_of(fd, 1).handles != 1 || info_of(fd, 0).handles != 6)
		return 9;
	/* A destroyed handle gives its place back. */
	if (an_destroy(fd, imp) || an_import(fd, key, 0, 0, NULL))
		return 10;
	return 0;
}

TEST_F(fills, handle_limit)
{
	ASSERT_EQ(0, reload_with("user_max_handles=6"));
	self->reloaded = true;
	EXPECT_EQ(0, as_user(NOBODY, handle_limit, NULL));
}

/* A limit of 0 leaves the device to privileged users. */
static int zero_limit(void *arg)
{
	struct ascend_notify_mem m;
	int fd = an_open();

	if (fd < 0)
		return 1;
	if (an_create(fd, 0, 0, NULL) != -ENOSPC)
		return 2;
	if (an_mem_alloc(fd, 0, 4096, &m) != -ENOMEM)
		return 3;
	return 0;
}

TEST_F(fills, zero_limits_refuse_everything)
{
	ASSERT_EQ(0, reload_with("user_max_notifies=0 user_mem_mb=0"));
	self->reloaded = true;
	EXPECT_EQ(0, as_user(NOBODY, zero_limit, NULL));
}

/* Parameters beyond the device's own limits are refused at load. */
TEST_F(fills, bad_parameters_are_refused)
{
	static const char *const bad[] = {
		"max_notifies=4 user_max_notifies=5",
		"user_max_notifies=-2",
		"mem_mb=8 user_mem_mb=9",
		"user_mem_mb=-2",
		"user_max_handles=-2",
	};
	unsigned int i;

	self->reloaded = true;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_EQ(-EINVAL, an_module_reload(bad[i]))
			TH_LOG("parameters \"%s\"", bad[i]);
	ASSERT_EQ(0, reload_with("max_notifies=4 user_max_notifies=4"));
	self->fd = an_open();
	ASSERT_LE(0, self->fd);
	EXPECT_EQ(4, info_of(self->fd, 0).max_notifies);
}

/* ---- one user, many processes and namespaces ------------------------------ */

/* Creates on device 0 until refused; reports how many it created. */
static int create_until_refused(int out)
{
	uint32_t n = 0;
	int fd = an_open(), ret;

	if (fd < 0)
		return 1;
	while (!(ret = an_create(fd, 0, 0, NULL)))
		n++;
	if (ret != -ENOSPC || !an_send_u32(out, n))
		return 2;
	return 0;
}

/*
 * Two processes of one user, the second in a PID namespace of its own,
 * share one count: the first takes 3 of 4, the second gets 1.
 */
TEST_F(fills, processes_in_pid_namespaces_share_the_users_count)
{
	int p[2], go[2];
	pid_t first, second;

	ASSERT_EQ(0, reload_with("user_max_notifies=4"));
	self->reloaded = true;
	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(0, pipe(go));
	first = an_fork();
	ASSERT_LE(0, first);
	if (first == 0) {
		int fd;
		char c;

		if (!become(NOBODY))
			_exit(90);
		fd = an_open();
		if (fd < 0 || an_create(fd, 0, 0, NULL) ||
		    an_create(fd, 0, 0, NULL) || an_create(fd, 0, 0, NULL) ||
		    !an_send_u32(p[1], 3))
			_exit(1);
		close(go[1]);
		_exit(read(go[0], &c, 1) < 0);	/* hold until the test ends */
	}
	ASSERT_EQ(3, an_recv_u32(p[0]));
	second = syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0);
	ASSERT_LE(0, second);
	if (second == 0) {
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getpid() != 1 ||
		    !become(NOBODY))
			_exit(90);
		_exit(create_until_refused(p[1]));
	}
	EXPECT_EQ(1, an_recv_u32(p[0]));
	EXPECT_EQ(0, an_reap(second));
	close(go[1]);
	EXPECT_EQ(0, an_reap(first));
	close(go[0]);
	close(p[0]);
	close(p[1]);
}

/* What a process in a new user namespace found. */
struct ns_outcome {
	int32_t step;
	uint32_t uid;
	uint32_t user_flags;
	uint32_t created;
	uint64_t caps;
};

static void in_new_userns(uid_t uid, int out)
{
	struct ns_outcome o = { 0 };
	struct ascend_notify_user_info ui;
	int fd, ret;

	if (uid != 0 && !become(uid)) {
		o.step = 90;
	} else if (unshare(CLONE_NEWUSER)) {
		o.step = errno == EPERM || errno == ENOSPC || errno == EINVAL ?
			 -1 : 91;	/* -1: user namespaces are disabled */
	} else {
		o.caps = get_caps(false);
		fd = an_open();
		if (fd < 0 || an_user_info(fd, 0, &ui)) {
			o.step = 92;
		} else {
			o.uid = ui.uid;
			o.user_flags = ui.user_flags;
			while (!(ret = an_create(fd, 0, 0, NULL)))
				o.created++;
			if (ret != -ENOSPC)
				o.step = 93;
		}
	}
	an_send(out, &o, sizeof(o));
	_exit(0);
}

/*
 * The root of a user namespace has every capability there, and none in
 * the initial namespace: it is limited, and counted as the uid the
 * initial namespace knows, whether that is nobody or root itself.
 */
TEST_F(fills, root_of_a_user_namespace_is_limited)
{
	static const uid_t uids[] = { NOBODY, 0 };
	struct ns_outcome o;
	unsigned int i;
	int p[2];
	pid_t pid;

	ASSERT_EQ(0, reload_with("user_max_notifies=4"));
	self->reloaded = true;
	ASSERT_EQ(0, pipe(p));
	for (i = 0; i < 2; i++) {
		pid = an_fork();
		ASSERT_LE(0, pid);
		if (pid == 0)
			in_new_userns(uids[i], p[1]);
		ASSERT_TRUE(an_recv(p[0], &o, sizeof(o)));
		EXPECT_EQ(0, an_reap(pid));
		if (o.step == -1)
			SKIP(return, "user namespaces are disabled");
		ASSERT_EQ(0, o.step);
		EXPECT_TRUE(o.caps & CAP_RES);
		EXPECT_EQ(uids[i], o.uid);
		EXPECT_EQ(0, o.user_flags);
		EXPECT_EQ(4, o.created);
	}
	close(p[0]);
	close(p[1]);
}

/* ---- CAP_SYS_RESOURCE ---------------------------------------------------- */

/* How a root child handles CAP_SYS_RESOURCE around its open. */
enum capcase {
	KEEP_ONLY_RESOURCE,	/* every other capability dropped */
	DROP_BEFORE_OPEN,	/* gone for good before the open */
	DROP_AFTER_OPEN,	/* opened with it, then dropped it */
	RAISE_AFTER_OPEN,	/* opened without it effective, then raised */
};

/* 0 when a create beyond the share succeeded, 1 when refused; else > 1. */
static int beyond_the_share(enum capcase c)
{
	uint64_t all = get_caps(true);
	struct ascend_notify_user_info ui;
	int fd = -1, ret;

	switch (c) {
	case KEEP_ONLY_RESOURCE:
		if (set_caps(CAP_RES, CAP_RES))
			return 10;
		break;
	case DROP_BEFORE_OPEN:
		if (set_caps(all & ~CAP_RES, all & ~CAP_RES))
			return 10;
		break;
	case DROP_AFTER_OPEN:
		fd = an_open();
		if (set_caps(all & ~CAP_RES, all & ~CAP_RES))
			return 10;
		break;
	case RAISE_AFTER_OPEN:
		if (set_caps(all & ~CAP_RES, all))
			return 10;
		fd = an_open();
		if (set_caps(all, all))
			return 11;
		break;
	}
	if (fd < 0)
		fd = an_open();
	if (fd < 0 || an_user_info(fd, 0, &ui))
		return 12;
	/* root already holds more than its share (the test's notifies) */
	if (ui.notifies <= ui.max_notifies)
		return 13;
	ret = an_create(fd, 0, 0, NULL);
	if (ret && ret != -ENOSPC)
		return 14;
	/* USER_INFO says whether the limits apply to this caller. */
	if (!!ret == !!(ui.user_flags & ASCEND_NOTIFY_USER_UNLIMITED))
		return 15;
	return !!ret;
}

static int run_capcase(enum capcase c)
{
	pid_t pid = an_fork();

	if (pid == 0)
		_exit(beyond_the_share(c));
	return an_reap(pid);
}

/*
 * CAP_SYS_RESOURCE lifts the limits when both the opener of the file and
 * the caller have it in the initial user namespace, and only then.
 */
TEST_F(fills, cap_sys_resource_bypasses_the_limits)
{
	struct ascend_notify_user_info ui;
	uint32_t i;

	ASSERT_EQ(0, reload_with("user_max_notifies=2"));
	self->reloaded = true;
	ASSERT_TRUE(get_caps(false) & CAP_RES);
	self->fd = an_open();
	ASSERT_LE(0, self->fd);
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, an_create(self->fd, 0, 0, NULL));
	ASSERT_EQ(0, an_user_info(self->fd, 0, &ui));
	EXPECT_EQ(3, ui.notifies);
	EXPECT_EQ(2, ui.max_notifies);
	EXPECT_EQ(ASCEND_NOTIFY_USER_UNLIMITED, ui.user_flags);

	EXPECT_EQ(0, run_capcase(KEEP_ONLY_RESOURCE));
	EXPECT_EQ(1, run_capcase(DROP_BEFORE_OPEN));
	EXPECT_EQ(1, run_capcase(DROP_AFTER_OPEN));
	EXPECT_EQ(1, run_capcase(RAISE_AFTER_OPEN));
}

/* ---- kill storms ----------------------------------------------------------- */

/*
 * Creates, exports, imports, allocates and destroys in a loop, at its
 * limits most of the time; tells the test after the first round of
 * operations (so the kill lands mid-sequence), then never stops.
 */
static void churn(int out, unsigned int seed)
{
	struct ascend_notify_mem m;
	char key[AN_KEY_BUF];
	uint32_t hs[64] = { 0 };
	unsigned int i, n = 0;
	int fd = an_open();
	bool told = false;

	if (fd < 0)
		_exit(1);
	for (;;) {
		for (i = 0; i < 40; i++) {
			uint32_t *slot = &hs[rand_r(&seed) % 64];

			if (*slot && rand_r(&seed) % 3 == 0) {
				an_destroy(fd, *slot);
				*slot = 0;
				continue;
			}
			switch (rand_r(&seed) % 4) {
			case 0:
				an_create(fd, rand_r(&seed) % 2, 0, slot);
				break;
			case 1:
				if (!an_mem_alloc(fd, 0, 64 * 1024, &m))
					*slot = m.handle;
				break;
			case 2:
				if (!an_create(fd, 0, ASCEND_NOTIFY_CREATE_EVENT,
					       slot) &&
				    !an_export(fd, *slot,
					       ASCEND_NOTIFY_EXPORT_NO_PID_CHECK,
					       key))
					an_import_kind(fd, key, 0, 0,
						       ASCEND_NOTIFY_KIND_EVENT,
						       &hs[n++ % 64]);
				break;
			case 3:
				an_destroy(fd, *slot);
				*slot = 0;
				break;
			}
		}
		if (!told) {
			told = an_send_u32(out, 1);
			if (!told)
				_exit(2);
		}
	}
}

/*
 * Rounds of nobody's processes churning at their limits, each killed
 * mid-sequence: after every round nobody's usage is back to zero.
 */
TEST_F_TIMEOUT(fills, usage_returns_to_zero_after_kill_storms, 180)
{
	enum { ROUNDS = 6, PROCS = 4 };
	pid_t pids[PROCS];
	struct witness w;
	unsigned int r, i;
	int p[2];

	ASSERT_EQ(0, reload_with("user_max_notifies=16 user_mem_mb=1 user_max_handles=24"));
	self->reloaded = true;
	ASSERT_EQ(0, witness_start(&w, NOBODY));
	for (r = 0; r < ROUNDS; r++) {
		ASSERT_EQ(0, pipe(p));
		for (i = 0; i < PROCS; i++) {
			pids[i] = an_fork();
			ASSERT_LE(0, pids[i]);
			if (pids[i] == 0) {
				close(p[0]);
				if (!become(NOBODY))
					_exit(90);
				churn(p[1], r * PROCS + i);
			}
		}
		close(p[1]);
		for (i = 0; i < PROCS; i++)
			ASSERT_EQ(1, an_recv_u32(p[0]));
		for (i = 0; i < PROCS; i++)
			kill(pids[i], SIGKILL);
		for (i = 0; i < PROCS; i++)
			EXPECT_EQ(128 + SIGKILL, an_reap(pids[i]));
		close(p[0]);
		EXPECT_EQ(0, witness_usage(&w))
			TH_LOG("round %u", r);
		/* the witness's own context */
		EXPECT_EQ(1, an_live_objects());
	}
	EXPECT_EQ(0, witness_stop(&w));
}

TEST_HARNESS_MAIN
