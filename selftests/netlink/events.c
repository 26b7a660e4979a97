// SPDX-License-Identifier: GPL-2.0
/*
 * The "events" multicast group: create, export, trust, import, denied
 * import, wait timeout, destroy and owner exit arrive in the order they
 * happened, each with the attributes the uapi header lists.
 */
#include "nl_test.h"

#include "kselftest_harness.h"

FIXTURE(events) {
	struct nlt nl;
	int fd;
};

FIXTURE_SETUP(events)
{
	ASSERT_LE(3, nlt_num_devices());
	ASSERT_EQ(0, nlt_open(&self->nl));
	ASSERT_EQ(0, nlt_subscribe(&self->nl));
	self->fd = an_open();
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(events)
{
	nlt_close(&self->nl);
	close(self->fd);
}

/* What one event should carry; dev < 0 means no A_DEV/A_ID at all. */
struct want {
	uint32_t event;
	int64_t dev;
	uint32_t id;
	uint32_t pid;
	int extra_attr;		/* one more attribute to check, or 0 */
	uint64_t extra;
};

/* Checks the next event against @w; a failure names @step. */
static void expect_event(struct __test_metadata *_metadata, struct nlt *nl,
			 struct want w, const char *step)
{
	struct nlt_rec ev = { 0 };

	ASSERT_EQ(0, nlt_next_event(nl, &ev, 5000)) {
		TH_LOG("step %s: no event", step);
	}
	EXPECT_EQ(w.event, ev.v[ASCEND_NOTIFY_A_EVENT]) {
		TH_LOG("step %s", step);
	}
	EXPECT_EQ(w.pid, ev.v[ASCEND_NOTIFY_A_PID]) {
		TH_LOG("step %s", step);
	}
	EXPECT_EQ(w.dev >= 0, ev.has[ASCEND_NOTIFY_A_DEV]) {
		TH_LOG("step %s", step);
	}
	EXPECT_EQ(w.dev >= 0, ev.has[ASCEND_NOTIFY_A_ID]);
	if (w.dev >= 0) {
		EXPECT_EQ(w.dev, ev.v[ASCEND_NOTIFY_A_DEV]);
		EXPECT_EQ(w.id, ev.v[ASCEND_NOTIFY_A_ID]) {
			TH_LOG("step %s", step);
		}
	}
	if (w.extra_attr) {
		EXPECT_TRUE(ev.has[w.extra_attr]) {
			TH_LOG("step %s: attribute %d missing", step,
			       w.extra_attr);
		}
		EXPECT_EQ(w.extra, ev.v[w.extra_attr]) {
			TH_LOG("step %s", step);
		}
	}
}

#define EXPECT_EVENT(step, ...) \
	expect_event(_metadata, &self->nl, (struct want){ __VA_ARGS__ }, step)

/* Nothing more arrives within @ms. */
#define EXPECT_NO_EVENT(ms) do {					\
	struct nlt_rec ev_ = { 0 };						\
	EXPECT_EQ(-EAGAIN, nlt_next_event(&self->nl, &ev_, ms)) {	\
		TH_LOG("unexpected event %llu from %llu",		\
		       (unsigned long long)ev_.v[ASCEND_NOTIFY_A_EVENT], \
		       (unsigned long long)ev_.v[ASCEND_NOTIFY_A_PID]); \
	}								\
} while (0)

static uint32_t notify_id(int fd, uint32_t h)
{
	struct ascend_notify_info info;

	return an_info(fd, h, &info) ? UINT32_MAX : info.id;
}

/*
 * The trusted child: sends its TGID; imports the key onto device 1;
 * destroys that handle; creates a notify on device 2, sends its id and
 * exits holding it. Each step when told, each acknowledged.
 */
static int trusted(struct nlt_link *l)
{
	char key[AN_KEY_BUF];
	uint32_t h;
	int fd = an_open();

	if (fd < 0)
		return 10;
	an_send_u32(NLT_CHILD_OUT(l), an_bare_tgid(fd));
	if (!an_recv(NLT_CHILD_IN(l), key, ASCEND_NOTIFY_KEY_LEN) ||
	    an_import(fd, key, 1, ASCEND_NOTIFY_IMPORT_PEER_ACCESS, &h))
		return 11;
	an_send_u32(NLT_CHILD_OUT(l), 1);
	an_recv_u32(NLT_CHILD_IN(l));
	if (an_destroy(fd, h))
		return 12;
	an_send_u32(NLT_CHILD_OUT(l), 2);
	an_recv_u32(NLT_CHILD_IN(l));
	if (an_create(fd, 2, 0, &h))
		return 13;
	an_send_u32(NLT_CHILD_OUT(l), notify_id(fd, h));
	return 0;	/* exits with the notify: an owner exit */
}

/* The untrusted child: tries to import the key, reports the errno. */
static int untrusted(struct nlt_link *l)
{
	char key[AN_KEY_BUF];
	int fd = an_open();

	if (fd < 0 || !an_recv(NLT_CHILD_IN(l), key, ASCEND_NOTIFY_KEY_LEN))
		return 10;
	an_send_u32(NLT_CHILD_OUT(l), -an_import(fd, key, 0, 0, NULL));
	return 0;
}

TEST_F(events, lifecycle_events_arrive_in_order_with_their_attributes)
{
	uint32_t me = getpid(), h, id, cid;
	char key[AN_KEY_BUF];
	struct nlt_link c, d;
	int32_t ctgid;
	pid_t cpid, dpid;

	ASSERT_EQ(0, nlt_link_open(&c));
	ASSERT_EQ(0, nlt_link_open(&d));
	cpid = an_fork();
	ASSERT_LE(0, cpid);
	if (cpid == 0)
		_exit(trusted(&c));
	dpid = an_fork();
	ASSERT_LE(0, dpid);
	if (dpid == 0)
		_exit(untrusted(&d));
	ctgid = an_recv_u32(NLT_FROM_CHILD(&c));
	ASSERT_EQ(cpid, ctgid);

	/* create, export, trust: the creator's own. */
	ASSERT_EQ(0, an_create(self->fd, 0, 0, &h));
	id = notify_id(self->fd, h);
	EXPECT_EVENT("create", .event = ASCEND_NOTIFY_EVENT_CREATE, .dev = 0,
		     .id = id, .pid = me);
	ASSERT_EQ(0, an_export(self->fd, h, 0, key));
	EXPECT_EVENT("export", .event = ASCEND_NOTIFY_EVENT_EXPORT, .dev = 0,
		     .id = id, .pid = me,
		     .extra_attr = ASCEND_NOTIFY_A_FINGERPRINT,
		     .extra = nlt_fingerprint(key));
	ASSERT_EQ(0, an_set_pids(self->fd, h, &ctgid, 1));
	EXPECT_EVENT("trust", .event = ASCEND_NOTIFY_EVENT_TRUST, .dev = 0,
		     .id = id, .pid = me,
		     .extra_attr = ASCEND_NOTIFY_A_NR_TRUSTED, .extra = 1);

	/* import by the trusted child, refusal of the other one */
	ASSERT_TRUE(an_send(NLT_TO_CHILD(&c), key, ASCEND_NOTIFY_KEY_LEN));
	ASSERT_EQ(1, an_recv_u32(NLT_FROM_CHILD(&c)));
	EXPECT_EVENT("import", .event = ASCEND_NOTIFY_EVENT_IMPORT, .dev = 0,
		     .id = id, .pid = cpid);
	ASSERT_TRUE(an_send(NLT_TO_CHILD(&d), key, ASCEND_NOTIFY_KEY_LEN));
	ASSERT_EQ(EACCES, an_recv_u32(NLT_FROM_CHILD(&d)));
	EXPECT_EVENT("denied", .event = ASCEND_NOTIFY_EVENT_DENIED, .dev = 0,
		     .id = id, .pid = dpid, .extra_attr = ASCEND_NOTIFY_A_REASON,
		     .extra = EACCES);
	ASSERT_EQ(0, an_reap(dpid));

	/* a wait whose deadline passes */
	ASSERT_EQ(-ETIMEDOUT, an_wait(self->fd, h, an_now_ns()));
	EXPECT_EVENT("timeout", .event = ASCEND_NOTIFY_EVENT_TIMEOUT, .dev = 0,
		     .id = id, .pid = me);

	/* destroy: the importer's handle, then the creator's */
	an_send_u32(NLT_TO_CHILD(&c), 0);
	ASSERT_EQ(2, an_recv_u32(NLT_FROM_CHILD(&c)));
	EXPECT_EVENT("destroy import", .event = ASCEND_NOTIFY_EVENT_DESTROY,
		     .dev = 0, .id = id, .pid = cpid,
		     .extra_attr = ASCEND_NOTIFY_A_IS_CREATOR, .extra = 0);
	ASSERT_EQ(0, an_destroy(self->fd, h));
	EXPECT_EVENT("destroy creator", .event = ASCEND_NOTIFY_EVENT_DESTROY,
		     .dev = 0, .id = id, .pid = me,
		     .extra_attr = ASCEND_NOTIFY_A_IS_CREATOR, .extra = 1);

	/* the child exits holding a notify: destroy, then owner exit */
	an_send_u32(NLT_TO_CHILD(&c), 0);
	cid = an_recv_u32(NLT_FROM_CHILD(&c));
	ASSERT_EQ(0, an_reap(cpid));
	EXPECT_EVENT("child create", .event = ASCEND_NOTIFY_EVENT_CREATE,
		     .dev = 2, .id = cid, .pid = cpid);
	EXPECT_EVENT("exit destroy", .event = ASCEND_NOTIFY_EVENT_DESTROY,
		     .dev = 2, .id = cid, .pid = cpid,
		     .extra_attr = ASCEND_NOTIFY_A_IS_CREATOR, .extra = 1);
	EXPECT_EVENT("owner exit", .event = ASCEND_NOTIFY_EVENT_OWNER_EXIT,
		     .dev = -1, .id = 0, .pid = cpid,
		     .extra_attr = ASCEND_NOTIFY_A_HANDLES, .extra = 1);
	EXPECT_NO_EVENT(200);
}

/*
 * Creates two notifies, imports @key, reports, then blocks until killed.
 */
static int holder(struct nlt_link *l, const char *key)
{
	int fd = an_open();

	if (fd < 0 || an_create(fd, 1, 0, NULL) || an_create(fd, 2, 0, NULL) ||
	    an_import(fd, key, 0, 0, NULL))
		return 10;
	an_send_u32(NLT_CHILD_OUT(l), 1);
	an_recv_u32(NLT_CHILD_IN(l));
	return 11;
}

TEST_F(events, killed_owner_releases_every_handle_then_reports_its_exit)
{
	char key[AN_KEY_BUF];
	struct nlt_link l;
	struct nlt_rec ev = { 0 };
	uint32_t h, id;
	pid_t pid;
	int i;

	ASSERT_EQ(0, an_create(self->fd, 0, 0, &h));
	ASSERT_EQ(0, an_export(self->fd, h, ASCEND_NOTIFY_EXPORT_NO_PID_CHECK,
			       key));
	id = notify_id(self->fd, h);
	ASSERT_EQ(0, nlt_next_event(&self->nl, &ev, 5000));	/* create */
	ASSERT_EQ(0, nlt_next_event(&self->nl, &ev, 5000));	/* export */
	EXPECT_EQ(1, ev.v[ASCEND_NOTIFY_A_NO_PID_CHECK]);

	ASSERT_EQ(0, nlt_link_open(&l));
	pid = an_fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(holder(&l, key));
	ASSERT_EQ(1, an_recv_u32(NLT_FROM_CHILD(&l)));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, nlt_next_event(&self->nl, &ev, 5000));
		EXPECT_EQ(i < 2 ? ASCEND_NOTIFY_EVENT_CREATE :
				  ASCEND_NOTIFY_EVENT_IMPORT,
			  ev.v[ASCEND_NOTIFY_A_EVENT]);
		EXPECT_EQ(pid, ev.v[ASCEND_NOTIFY_A_PID]);
	}

	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(128 + SIGKILL, an_reap(pid));
	/* Its three handles, in the order it got them, then the exit. */
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, nlt_next_event(&self->nl, &ev, 5000));
		EXPECT_EQ(ASCEND_NOTIFY_EVENT_DESTROY,
			  ev.v[ASCEND_NOTIFY_A_EVENT]);
		EXPECT_EQ(pid, ev.v[ASCEND_NOTIFY_A_PID]);
		EXPECT_EQ(i < 2, ev.v[ASCEND_NOTIFY_A_IS_CREATOR]);
		EXPECT_EQ(i < 2 ? i + 1 : 0, ev.v[ASCEND_NOTIFY_A_DEV]);
	}
	EXPECT_EQ(id, ev.v[ASCEND_NOTIFY_A_ID]);
	EXPECT_EVENT("owner exit", .event = ASCEND_NOTIFY_EVENT_OWNER_EXIT,
		     .dev = -1, .id = 0, .pid = pid,
		     .extra_attr = ASCEND_NOTIFY_A_HANDLES, .extra = 3);
	EXPECT_NO_EVENT(200);
}

/* Creates a notify, closes the device, reports, exits when told. */
static int closer(struct nlt_link *l)
{
	int fd = an_open();

	if (fd < 0 || an_create(fd, 1, 0, NULL))
		return 10;
	close(fd);
	an_send_u32(NLT_CHILD_OUT(l), 1);
	an_recv_u32(NLT_CHILD_IN(l));
	return 0;
}

TEST_F(events, closing_the_device_destroys_without_an_owner_exit)
{
	struct nlt_link l;
	struct nlt_rec ev = { 0 };
	uint32_t h;
	pid_t pid;

	ASSERT_EQ(0, nlt_link_open(&l));
	pid = an_fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(closer(&l));
	ASSERT_EQ(1, an_recv_u32(NLT_FROM_CHILD(&l)));
	an_send_u32(NLT_TO_CHILD(&l), 0);
	ASSERT_EQ(0, an_reap(pid));

	ASSERT_EQ(0, nlt_next_event(&self->nl, &ev, 5000));
	EXPECT_EQ(ASCEND_NOTIFY_EVENT_CREATE, ev.v[ASCEND_NOTIFY_A_EVENT]);
	ASSERT_EQ(0, nlt_next_event(&self->nl, &ev, 5000));
	EXPECT_EQ(ASCEND_NOTIFY_EVENT_DESTROY, ev.v[ASCEND_NOTIFY_A_EVENT]);
	EXPECT_EQ(pid, ev.v[ASCEND_NOTIFY_A_PID]);
	/* A marker of ours comes next: no owner exit came in between. */
	ASSERT_EQ(0, an_create(self->fd, 0, 0, &h));
	ASSERT_EQ(0, nlt_next_event(&self->nl, &ev, 5000));
	EXPECT_EQ(ASCEND_NOTIFY_EVENT_CREATE, ev.v[ASCEND_NOTIFY_A_EVENT]);
	EXPECT_EQ(getpid(), ev.v[ASCEND_NOTIFY_A_PID]);
}

TEST_F(events, denied_import_reports_why_and_unknown_keys_report_nothing)
{
	char key[AN_KEY_BUF], bogus[AN_KEY_BUF];
	uint32_t h, id, me = getpid();
	struct nlt_rec ev = { 0 };

	ASSERT_EQ(0, an_create(self->fd, 0, 0, &h));
	ASSERT_EQ(0, an_export(self->fd, h, 0, key));
	id = notify_id(self->fd, h);
	ASSERT_EQ(0, nlt_next_event(&self->nl, &ev, 5000));
	ASSERT_EQ(0, nlt_next_event(&self->nl, &ev, 5000));

	/* Not trusted. */
	ASSERT_EQ(-EACCES, an_import(self->fd, key, 0, 0, NULL));
	EXPECT_EVENT("untrusted", .event = ASCEND_NOTIFY_EVENT_DENIED, .dev = 0,
		     .id = id, .pid = me, .extra_attr = ASCEND_NOTIFY_A_REASON,
		     .extra = EACCES);
	/* Trusted, but from device 1 without peer access. */
	ASSERT_EQ(0, an_set_pids(self->fd, h, (int32_t[]){ me }, 1));
	EXPECT_EVENT("trust", .event = ASCEND_NOTIFY_EVENT_TRUST, .dev = 0,
		     .id = id, .pid = me,
		     .extra_attr = ASCEND_NOTIFY_A_NR_TRUSTED, .extra = 1);
	ASSERT_EQ(-EXDEV, an_import(self->fd, key, 1, 0, NULL));
	EXPECT_EVENT("no peer access", .event = ASCEND_NOTIFY_EVENT_DENIED,
		     .dev = 0, .id = id, .pid = me,
		     .extra_attr = ASCEND_NOTIFY_A_REASON, .extra = EXDEV);

	/* A key nobody exported names no notify: no event. */
	memset(bogus, 'a', ASCEND_NOTIFY_KEY_LEN);
	ASSERT_EQ(-ENOKEY, an_import(self->fd, bogus, 0, 0, NULL));
	ASSERT_EQ(0, an_destroy(self->fd, h));
	EXPECT_EVENT("marker", .event = ASCEND_NOTIFY_EVENT_DESTROY, .dev = 0,
		     .id = id, .pid = me, .extra_attr = ASCEND_NOTIFY_A_IS_CREATOR,
		     .extra = 1);
}

TEST_F(events, unexport_names_the_object_and_who_withdrew_it)
{
	struct ascend_notify_mem m;
	uint32_t me = getpid(), h, id;
	struct nlt_rec ev = { 0 };

	ASSERT_EQ(0, an_create(self->fd, 1, 0, &h));
	id = notify_id(self->fd, h);
	ASSERT_EQ(0, an_export(self->fd, h, 0, NULL));
	ASSERT_EQ(0, an_unexport(self->fd, h));
	EXPECT_EVENT("create", .event = ASCEND_NOTIFY_EVENT_CREATE, .dev = 1,
		     .id = id, .pid = me);
	EXPECT_EVENT("export", .event = ASCEND_NOTIFY_EVENT_EXPORT, .dev = 1,
		     .id = id, .pid = me);
	EXPECT_EVENT("unexport", .event = ASCEND_NOTIFY_EVENT_UNEXPORT,
		     .dev = 1, .id = id, .pid = me,
		     .extra_attr = ASCEND_NOTIFY_A_KIND,
		     .extra = ASCEND_NOTIFY_KIND_NOTIFY);
	/* A refused unexport (withdrawn already) reports nothing. */
	ASSERT_EQ(-ENOKEY, an_unexport(self->fd, h));
	EXPECT_NO_EVENT(200);

	/* Device memory: its kind, and no id. */
	ASSERT_EQ(0, an_mem_alloc(self->fd, 2, 4096, &m));
	ASSERT_EQ(0, an_export(self->fd, m.handle, 0, NULL));
	ASSERT_EQ(0, an_unexport(self->fd, m.handle));
	do {
		ASSERT_EQ(0, nlt_next_event(&self->nl, &ev, 5000));
	} while (ev.v[ASCEND_NOTIFY_A_EVENT] != ASCEND_NOTIFY_EVENT_UNEXPORT);
	EXPECT_EQ(me, ev.v[ASCEND_NOTIFY_A_PID]);
	EXPECT_EQ(2, ev.v[ASCEND_NOTIFY_A_DEV]);
	EXPECT_EQ(ASCEND_NOTIFY_KIND_MEM, ev.v[ASCEND_NOTIFY_A_KIND]);
	EXPECT_FALSE(ev.has[ASCEND_NOTIFY_A_ID]);
}

/*
 * Two names, two meanings: a dump reports who created an object as
 * A_CREATOR_PID (a PID), a DESTROY event whether the handle that went was
 * the creator's as A_IS_CREATOR (0/1); neither carries the other.
 */
TEST_F(events, creator_pid_in_dumps_is_creator_in_destroy_events)
{
	struct nlt_reply r = { 0 };
	struct nlt_rec ev = { 0 }, *n;
	struct ascend_notify_info info;
	struct nlt dump;
	uint32_t h;

	ASSERT_EQ(0, an_create(self->fd, 1, 0, &h));
	ASSERT_EQ(0, an_info(self->fd, h, &info));
	ASSERT_EQ(0, nlt_next_event(&self->nl, &ev, 5000));
	EXPECT_EQ(ASCEND_NOTIFY_EVENT_CREATE, ev.v[ASCEND_NOTIFY_A_EVENT]);

	ASSERT_EQ(0, nlt_open(&dump));
	ASSERT_EQ(0, nlt_dump_notifies(&dump, 1, 0, false, &r));
	n = nlt_find_notify(&r, 1, info.id);
	ASSERT_NE(NULL, n);
	EXPECT_TRUE(n->has[ASCEND_NOTIFY_A_CREATOR_PID]);
	EXPECT_EQ(getpid(), n->v[ASCEND_NOTIFY_A_CREATOR_PID]);
	EXPECT_FALSE(n->has[ASCEND_NOTIFY_A_IS_CREATOR]);
	nlt_reply_free(&r);
	nlt_close(&dump);

	ASSERT_EQ(0, an_destroy(self->fd, h));
	ASSERT_EQ(0, nlt_next_event(&self->nl, &ev, 5000));
	EXPECT_EQ(ASCEND_NOTIFY_EVENT_DESTROY, ev.v[ASCEND_NOTIFY_A_EVENT]);
	EXPECT_TRUE(ev.has[ASCEND_NOTIFY_A_IS_CREATOR]);
	EXPECT_EQ(1, ev.v[ASCEND_NOTIFY_A_IS_CREATOR]);
	EXPECT_EQ(4, ev.len[ASCEND_NOTIFY_A_IS_CREATOR]);
	EXPECT_FALSE(ev.has[ASCEND_NOTIFY_A_CREATOR_PID]);
}

TEST_HARNESS_MAIN
