// SPDX-License-Identifier: GPL-2.0
/*
 * Per-user limits through the netlink family: DEVICE_GET reports each
 * device's limits, DEVICE_SET changes them (CAP_SYS_ADMIN in the initial
 * user namespace only, every value checked before any is applied),
 * USER_GET lists what each user holds on each device, and a LIMIT event
 * names the limit that refused a request, so an administrator can tell a
 * user at its share from a full device.
 */
#include "nl_test.h"

#include "kselftest_harness.h"

#define NOBODY	65534
#define MIB	(1ull << 20)

/* A DEVICE_SET of the per-user limits; a value < 0 is left out. */
static int set_limits(struct nlt *t, uint32_t dev, int64_t notifies,
		      int64_t handles, int64_t mem, struct nlt_reply *r)
{
	struct nl_msg *m = nlt_msg(t, ASCEND_NOTIFY_CMD_DEVICE_SET, NLM_F_ACK);

	if (m)
		nla_put_u32(m, ASCEND_NOTIFY_A_DEV, dev);
	if (m && notifies >= 0)
		nla_put_u32(m, ASCEND_NOTIFY_A_USER_MAX_NOTIFIES, notifies);
	if (m && handles >= 0)
		nla_put_u32(m, ASCEND_NOTIFY_A_USER_MAX_HANDLES, handles);
	if (m && mem >= 0)
		nla_put_u64(m, ASCEND_NOTIFY_A_USER_MAX_MEM, mem);
	return nlt_request(t, m, r);
}

static bool become(uid_t uid)
{
	return !setgroups(0, NULL) && !setresgid(uid, uid, uid) &&
	       !setresuid(uid, uid, uid);
}

/* The limits of @dev as USER_INFO reports them. */
static struct ascend_notify_user_info limits_of(uint32_t dev)
{
	struct ascend_notify_user_info ui;
	int fd = an_open();

	memset(&ui, 0xff, sizeof(ui));
	if (fd >= 0) {
		an_user_info(fd, dev, &ui);
		close(fd);
	}
	return ui;
}

FIXTURE(users) {
	struct nlt nl;
	struct nlt_reply r;
	struct nlt_link l;
	struct ascend_notify_user_info saved[2];
	int fd;
};

FIXTURE_SETUP(users)
{
	ASSERT_LE(2, nlt_num_devices());
	ASSERT_EQ(0, nlt_open(&self->nl));
	ASSERT_EQ(0, nlt_link_open(&self->l));
	self->saved[0] = limits_of(0);
	self->saved[1] = limits_of(1);
	self->fd = an_open();
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(users)
{
	int i;

	close(self->fd);
	/* Put the limits back as they were. */
	for (i = 0; i < 2; i++)
		EXPECT_EQ(0, set_limits(&self->nl, i,
					self->saved[i].max_notifies,
					self->saved[i].max_handles,
					self->saved[i].max_mem, &self->r));
	nlt_reply_free(&self->r);
	nlt_close(&self->nl);
	EXPECT_EQ(0, an_live_objects());
}

/* DEVICE_GET reports the limits USER_INFO enforces, on every device. */
TEST_F(users, device_get_reports_the_limits)
{
	struct ascend_notify_user_info ui;
	size_t i;

	ASSERT_EQ(0, nlt_dump(&self->nl, ASCEND_NOTIFY_CMD_DEVICE_GET,
			      &self->r));
	ASSERT_LE(2, self->r.n);
	for (i = 0; i < self->r.n; i++) {
		struct nlt_rec *d = &self->r.recs[i];

		ASSERT_EQ(0, an_user_info(self->fd, d->v[ASCEND_NOTIFY_A_DEV],
					  &ui));
		EXPECT_EQ(ui.max_notifies,
			  d->v[ASCEND_NOTIFY_A_USER_MAX_NOTIFIES]);
		EXPECT_EQ(ui.max_handles, d->v[ASCEND_NOTIFY_A_USER_MAX_HANDLES]);
		EXPECT_EQ(ui.max_mem, d->v[ASCEND_NOTIFY_A_USER_MAX_MEM]);
		EXPECT_EQ(4, d->len[ASCEND_NOTIFY_A_USER_MAX_NOTIFIES]);
		EXPECT_EQ(4, d->len[ASCEND_NOTIFY_A_USER_MAX_HANDLES]);
		EXPECT_EQ(8, d->len[ASCEND_NOTIFY_A_USER_MAX_MEM]);
	}
}

/* DEVICE_SET changes one device's limits and nothing else. */
TEST_F(users, device_set_changes_a_devices_limits)
{
	struct nlt_topology before, after;
	struct ascend_notify_user_info ui;

	ASSERT_EQ(0, nlt_topology_save(&self->nl, &before));
	ASSERT_EQ(0, set_limits(&self->nl, 1, 3, 7, 2 * MIB, &self->r));
	ui = limits_of(1);
	EXPECT_EQ(3, ui.max_notifies);
	EXPECT_EQ(7, ui.max_handles);
	EXPECT_EQ(2 * MIB, ui.max_mem);
	/* One at a time, the others stay. */
	ASSERT_EQ(0, set_limits(&self->nl, 1, 5, -1, -1, &self->r));
	ui = limits_of(1);
	EXPECT_EQ(5, ui.max_notifies);
	EXPECT_EQ(7, ui.max_handles);
	EXPECT_EQ(2 * MIB, ui.max_mem);
	/* Device 0 and the topology did not change. */
	ui = limits_of(0);
	EXPECT_EQ(self->saved[0].max_notifies, ui.max_notifies);
	EXPECT_EQ(self->saved[0].max_mem, ui.max_mem);
	ASSERT_EQ(0, nlt_topology_save(&self->nl, &after));
	EXPECT_EQ(0, memcmp(&before, &after, sizeof(before)));
}

/*
 * Each refusal, with otherwise valid requests; a refused request changes
 * none of the limits it carried.
 */
TEST_F(users, device_set_refusals_change_nothing)
{
	struct ascend_notify_device_info di;
	struct ascend_notify_device_mem dm = { .dev = 1 };
	struct ascend_notify_user_info ui;

	ASSERT_EQ(0, an_device_info(self->fd, 1, &di));
	ASSERT_EQ(0, an_ioctl(self->fd, ASCEND_NOTIFY_IOC_DEVICE_MEM, &dm));
	/* More than the device holds, for each limit. */
	EXPECT_EQ(-ERANGE, set_limits(&self->nl, 1, di.max_notifies + 1, -1,
				      -1, &self->r));
	EXPECT_STREQ("a user's share exceeds the device", self->r.msg);
	EXPECT_EQ(-ERANGE, set_limits(&self->nl, 1, 1, -1, dm.total + 1,
				      &self->r));
	EXPECT_EQ(-ERANGE, set_limits(&self->nl, 1, 1, (int64_t)INT32_MAX + 1,
				      -1, &self->r));
	ui = limits_of(1);
	EXPECT_EQ(self->saved[1].max_notifies, ui.max_notifies);
	EXPECT_EQ(self->saved[1].max_handles, ui.max_handles);
	EXPECT_EQ(self->saved[1].max_mem, ui.max_mem);
	/* The device's own sizes are fine. */
	EXPECT_EQ(0, set_limits(&self->nl, 1, di.max_notifies, -1, dm.total,
				&self->r));
	/* A device that does not exist. */
	EXPECT_EQ(-ENODEV, set_limits(&self->nl, nlt_num_devices(), 1, -1, -1,
				      &self->r));
	EXPECT_STREQ("no such device", self->r.msg);
}

/* What an unprivileged DEVICE_SET of the limits got, as a positive errno. */
static int try_set_as(struct nlt_link *l, int who)
{
	struct nlt_reply r = { 0 };
	struct nlt nl;
	int32_t err;

	if (who == 0 && nlt_become_nobody())
		return 10;
	if (who == 1 && nlt_keep_caps(nlt_caps() & ~(1ull << CAP_SYS_ADMIN)))
		return 11;
	if (who == 2) {
		if (nlt_become_nobody())
			return 12;
		if (unshare(CLONE_NEWUSER)) {
			err = -1;	/* user namespaces are disabled */
			an_send(NLT_CHILD_OUT(l), &err, sizeof(err));
			return 0;
		}
	}
	if (nlt_open(&nl))
		return 13;
	err = -set_limits(&nl, 1, 1, 1, 0, &r);
	an_send(NLT_CHILD_OUT(l), &err, sizeof(err));
	/* Listing what users hold needs nothing. */
	return nlt_dump(&nl, ASCEND_NOTIFY_CMD_USER_GET, &r) ? 14 : 0;
}

/*
 * Changing limits needs CAP_SYS_ADMIN in the initial user namespace:
 * nobody, root without it and the root of a user namespace are refused.
 */
TEST_F(users, only_sys_admin_changes_limits)
{
	int who;

	for (who = 0; who < 3; who++) {
		pid_t pid = an_fork();
		int32_t err;

		ASSERT_LE(0, pid);
		if (pid == 0)
			_exit(try_set_as(&self->l, who));
		ASSERT_TRUE(an_recv(NLT_FROM_CHILD(&self->l), &err,
				    sizeof(err)));
		EXPECT_EQ(0, an_reap(pid)) TH_LOG("case %d", who);
		if (err == -1)
			continue;
		EXPECT_EQ(EPERM, err) TH_LOG("case %d", who);
	}
	EXPECT_EQ(self->saved[1].max_notifies, limits_of(1).max_notifies);
}

/*
 * A nobody child that holds @n notifies, a 1 MiB allocation and one
 * import on device 1, reports USER_INFO and waits to be told to go.
 */
static int holder(struct nlt_link *l, uint32_t n)
{
	struct ascend_notify_user_info ui;
	struct ascend_notify_mem m;
	char key[AN_KEY_BUF], c;
	uint32_t i, h = 0;
	int fd;

	close(NLT_TO_CHILD(l));	/* so that the test's close ends the read */
	if (!become(NOBODY))
		return 10;
	fd = an_open();
	if (fd < 0)
		return 11;
	for (i = 0; i < n; i++) {
		if (an_create(fd, 1, 0, &h))
			return 12;
	}
	if (an_mem_alloc(fd, 1, MIB, &m) ||
	    an_export(fd, h, ASCEND_NOTIFY_EXPORT_NO_PID_CHECK, key) ||
	    an_import(fd, key, 1, 0, NULL) || an_user_info(fd, 1, &ui))
		return 13;
	if (!an_send(NLT_CHILD_OUT(l), &ui, sizeof(ui)))
		return 14;
	return read(NLT_CHILD_IN(l), &c, 1) < 0;
}

/* USER_GET: one message per user and device where it holds something. */
TEST_F(users, user_get_lists_what_each_user_holds)
{
	struct ascend_notify_user_info ui;
	struct nlt_rec *rec;
	pid_t pid;

	pid = an_fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(holder(&self->l, 3));
	ASSERT_TRUE(an_recv(NLT_FROM_CHILD(&self->l), &ui, sizeof(ui)));
	EXPECT_EQ(NOBODY, ui.uid);
	EXPECT_EQ(3, ui.notifies);
	EXPECT_EQ(5, ui.handles);	/* 3 notifies, the memory, the import */
	EXPECT_EQ(MIB, ui.mem);

	ASSERT_EQ(0, nlt_dump(&self->nl, ASCEND_NOTIFY_CMD_USER_GET, &self->r));
	EXPECT_EQ(1, nlt_count(&self->r, ASCEND_NOTIFY_A_UID, NOBODY));
	rec = nlt_find(&self->r, ASCEND_NOTIFY_A_UID, NOBODY,
		       ASCEND_NOTIFY_A_DEV, 1);
	ASSERT_NE(NULL, rec);
	EXPECT_EQ(ASCEND_NOTIFY_CMD_USER_GET, rec->cmd);
	EXPECT_EQ(3, rec->v[ASCEND_NOTIFY_A_USER_NOTIFIES]);
	EXPECT_EQ(5, rec->v[ASCEND_NOTIFY_A_USER_HANDLES]);
	EXPECT_EQ(MIB, rec->v[ASCEND_NOTIFY_A_USER_MEM]);
	EXPECT_EQ(ui.max_notifies, rec->v[ASCEND_NOTIFY_A_USER_MAX_NOTIFIES]);
	EXPECT_EQ(ui.max_handles, rec->v[ASCEND_NOTIFY_A_USER_MAX_HANDLES]);
	EXPECT_EQ(ui.max_mem, rec->v[ASCEND_NOTIFY_A_USER_MAX_MEM]);

	/* Gone with its process. */
	close(NLT_TO_CHILD(&self->l));
	EXPECT_EQ(0, an_reap(pid));
	ASSERT_EQ(0, nlt_dump(&self->nl, ASCEND_NOTIFY_CMD_USER_GET, &self->r));
	EXPECT_EQ(0, nlt_count(&self->r, ASCEND_NOTIFY_A_UID, NOBODY));
}

/*
 * A dump of many users on every device spans several messages and lists
 * every pair once.
 */
TEST_F_TIMEOUT(users, user_get_resumes_across_messages, 120)
{
	enum { USERS = 64, BASE = 20000 };
	int ndev = nlt_num_devices(), go[2], rdy[2];
	pid_t pids[USERS];
	unsigned int u, d;

	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(rdy));
	for (u = 0; u < USERS; u++) {
		pids[u] = an_fork();
		ASSERT_LE(0, pids[u]);
		if (pids[u] == 0) {
			int fd;
			char c;

			close(go[1]);
			if (!become(BASE + u))
				_exit(10);
			fd = an_open();
			for (d = 0; d < (unsigned int)ndev; d++) {
				if (an_create(fd, d, 0, NULL))
					_exit(11);
			}
			an_send_u32(rdy[1], 1);
			_exit(read(go[0], &c, 1) < 0);
		}
	}
	close(go[0]);
	for (u = 0; u < USERS; u++)
		ASSERT_EQ(1, an_recv_u32(rdy[0]));
	ASSERT_EQ(0, nlt_dump(&self->nl, ASCEND_NOTIFY_CMD_USER_GET, &self->r));
	EXPECT_LT(1, self->r.datagrams);
	for (u = 0; u < USERS; u++) {
		EXPECT_EQ(ndev, nlt_count(&self->r, ASCEND_NOTIFY_A_UID,
					  BASE + u));
		for (d = 0; d < (unsigned int)ndev; d++) {
			struct nlt_rec *rec = nlt_find(&self->r,
						       ASCEND_NOTIFY_A_UID,
						       BASE + u,
						       ASCEND_NOTIFY_A_DEV, d);

			ASSERT_NE(NULL, rec);
			EXPECT_EQ(1, rec->v[ASCEND_NOTIFY_A_USER_NOTIFIES]);
		}
	}
	close(go[1]);
	for (u = 0; u < USERS; u++)
		EXPECT_EQ(0, an_reap(pids[u]));
	close(rdy[0]);
	close(rdy[1]);
}

/*
 * A lowered limit takes nothing a user holds away; its next request is
 * refused until it is back under the limit or the limit is raised.
 */
TEST_F(users, a_lowered_limit_refuses_only_what_comes_next)
{
	struct ascend_notify_user_info ui;
	pid_t pid;
	int p[2];

	ASSERT_EQ(0, pipe(p));
	pid = an_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		uint32_t h[3], i;
		int fd;

		if (!become(NOBODY))
			_exit(10);
		fd = an_open();
		for (i = 0; i < 3; i++) {
			if (an_create(fd, 1, 0, &h[i]))
				_exit(11);
		}
		an_send_u32(NLT_CHILD_OUT(&self->l), 0);
		if (an_recv_u32(p[0]) != 1)	/* the limit is now 1 */
			_exit(12);
		if (an_user_info(fd, 1, &ui) || ui.notifies != 3 ||
		    ui.max_notifies != 1)
			_exit(13);
		if (an_create(fd, 1, 0, NULL) != -ENOSPC)
			_exit(14);
		/* still over the limit after one destroy */
		if (an_destroy(fd, h[0]) || an_create(fd, 1, 0, NULL) != -ENOSPC)
			_exit(15);
		an_send_u32(NLT_CHILD_OUT(&self->l), 0);
		if (an_recv_u32(p[0]) != 2)	/* raised to 4 */
			_exit(16);
		if (an_create(fd, 1, 0, NULL) || an_create(fd, 1, 0, NULL) ||
		    an_create(fd, 1, 0, NULL) != -ENOSPC)
			_exit(17);
		_exit(0);
	}
	ASSERT_EQ(0, an_recv_u32(NLT_FROM_CHILD(&self->l)));
	ASSERT_EQ(0, set_limits(&self->nl, 1, 1, -1, -1, &self->r));
	ASSERT_TRUE(an_send_u32(p[1], 1));
	ASSERT_EQ(0, an_recv_u32(NLT_FROM_CHILD(&self->l)));
	ASSERT_EQ(0, set_limits(&self->nl, 1, 4, -1, -1, &self->r));
	ASSERT_TRUE(an_send_u32(p[1], 2));
	EXPECT_EQ(0, an_reap(pid));
	close(p[0]);
	close(p[1]);
}

/* The next LIMIT event, skipping the others; 0 or -errno. */
static int next_limit_event(struct nlt *nl, struct nlt_rec *ev)
{
	int ret;

	do {
		ret = nlt_next_event(nl, ev, 5000);
	} while (!ret && ev->v[ASCEND_NOTIFY_A_EVENT] != ASCEND_NOTIFY_EVENT_LIMIT);
	return ret;
}

/* Refusals of nobody, each at one of its shares on device 1. */
static int at_each_share(void)
{
	struct ascend_notify_mem m;
	char key[AN_KEY_BUF];
	uint32_t h;
	int fd;

	if (!become(NOBODY))
		return 10;
	fd = an_open();
	if (fd < 0)
		return 11;
	/* limits on device 1: 2 notifies, 3 handles, 1 MiB */
	if (an_create(fd, 1, 0, &h) ||
	    an_create(fd, 1, ASCEND_NOTIFY_CREATE_EVENT, NULL))
		return 12;
	if (an_create(fd, 1, ASCEND_NOTIFY_CREATE_EVENT, NULL) != -ENOSPC)
		return 13;
	if (an_mem_alloc(fd, 1, 2 * MIB, &m) != -ENOMEM)
		return 14;
	if (an_export(fd, h, ASCEND_NOTIFY_EXPORT_NO_PID_CHECK, key) ||
	    an_import(fd, key, 1, 0, NULL))
		return 15;
	if (an_import(fd, key, 1, 0, NULL) != -EMFILE)
		return 16;
	return 0;
}

/*
 * A LIMIT event says which limit refused: the user's share (notifies,
 * memory, handles) or the device's own, with the device, the kind, the
 * process and the user.
 */
static void __attribute__((noinline))
limit_events(struct __test_metadata *_metadata, FIXTURE_DATA(users) *self)
{
	static const struct {
		uint32_t limit, kind;
	} want[] = {
		{ ASCEND_NOTIFY_LIMIT_USER_NOTIFIES, ASCEND_NOTIFY_KIND_EVENT },
		{ ASCEND_NOTIFY_LIMIT_USER_MEM, ASCEND_NOTIFY_KIND_MEM },
		{ ASCEND_NOTIFY_LIMIT_USER_HANDLES, ASCEND_NOTIFY_KIND_NOTIFY },
	};
	struct ascend_notify_device_mem dm = { .dev = 1 };
	struct ascend_notify_device_info di;
	struct ascend_notify_mem m;
	struct nlt_rec ev = { 0 };
	unsigned int i;
	struct nlt nl;
	pid_t pid;

	ASSERT_EQ(0, set_limits(&self->nl, 1, 2, 3, MIB, &self->r));
	ASSERT_EQ(0, nlt_subscribe(&self->nl));
	pid = an_fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(at_each_share());
	EXPECT_EQ(0, an_reap(pid));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, next_limit_event(&self->nl, &ev));
		EXPECT_EQ(want[i].limit, ev.v[ASCEND_NOTIFY_A_LIMIT]);
		EXPECT_EQ(want[i].kind, ev.v[ASCEND_NOTIFY_A_KIND]);
		EXPECT_EQ(1, ev.v[ASCEND_NOTIFY_A_DEV]);
		EXPECT_EQ(NOBODY, ev.v[ASCEND_NOTIFY_A_UID]);
		EXPECT_EQ(pid, ev.v[ASCEND_NOTIFY_A_PID]);
		EXPECT_FALSE(ev.has[ASCEND_NOTIFY_A_ID]);
	}

	/* The device's own limits, met by root (whom no share limits). */
	ASSERT_EQ(0, an_ioctl(self->fd, ASCEND_NOTIFY_IOC_DEVICE_MEM, &dm));
	EXPECT_EQ(-ENOMEM, an_mem_alloc(self->fd, 1, dm.total + 1, &m));
	ASSERT_EQ(0, next_limit_event(&self->nl, &ev));
	EXPECT_EQ(ASCEND_NOTIFY_LIMIT_DEV_MEM, ev.v[ASCEND_NOTIFY_A_LIMIT]);
	EXPECT_EQ(0, ev.v[ASCEND_NOTIFY_A_UID]);
	EXPECT_EQ(getpid(), ev.v[ASCEND_NOTIFY_A_PID]);

	/*
	 * Filling a device sends a CREATE event per notify: fill it but
	 * one unsubscribed, then listen for the last two creates.
	 */
	nlt_close(&self->nl);
	ASSERT_EQ(0, nlt_open(&self->nl));
	ASSERT_EQ(0, an_device_info(self->fd, 1, &di));
	for (i = di.live_notifies + di.live_events; i + 1 < di.max_notifies;
	     i++)
		ASSERT_EQ(0, an_create(self->fd, 1, 0, NULL));
	ASSERT_EQ(0, nlt_open(&nl));
	ASSERT_EQ(0, nlt_subscribe(&nl));
	EXPECT_EQ(0, an_create(self->fd, 1, 0, NULL));
	EXPECT_EQ(-ENOSPC, an_create(self->fd, 1, 0, NULL));
	ASSERT_EQ(0, next_limit_event(&nl, &ev));
	nlt_close(&nl);
	EXPECT_EQ(ASCEND_NOTIFY_LIMIT_DEV_NOTIFIES,
		  ev.v[ASCEND_NOTIFY_A_LIMIT]);
	EXPECT_EQ(ASCEND_NOTIFY_KIND_NOTIFY, ev.v[ASCEND_NOTIFY_A_KIND]);
	EXPECT_EQ(1, ev.v[ASCEND_NOTIFY_A_DEV]);
}

/* (A function of its own: the harness's setjmp() and locals.) */
TEST_F(users, limit_events_name_the_limit_that_refused)
{
	limit_events(_metadata, self);
}

TEST_HARNESS_MAIN
