// SPDX-License-Identifier: GPL-2.0
/*
 * PIDs are reported as the reader's PID namespace sees them: a process in
 * a new namespace reads its own PID as 1, reads 0 for processes outside
 * it, and filters by the PIDs it knows. Events carry bare TGIDs whoever
 * the actor is.
 */
#include "nl_test.h"

#include "kselftest_harness.h"

FIXTURE(pidns) {
	struct nlt nl;
	struct nlt_reply r;
	struct nlt_link l;
	int fd;
};

FIXTURE_SETUP(pidns)
{
	ASSERT_EQ(0, nlt_open(&self->nl));
	ASSERT_LE(2, nlt_num_devices());
	self->fd = an_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, nlt_link_open(&self->l));
}

FIXTURE_TEARDOWN(pidns)
{
	nlt_reply_free(&self->r);
	nlt_close(&self->nl);
	close(self->fd);
}

/* What the child in the new namespace reports, in this order. */
struct ns_view {
	int32_t getpid;		/* its PID as it sees it */
	int32_t bare;		/* its bare TGID */
	uint32_t id;		/* id of the notify it created on device 1 */
	/* Its own dump of its own notify. */
	uint32_t own_creator;
	/* Its dump of the test's notify (on device 0): creator, importers. */
	uint32_t other_found;
	uint32_t other_creator;
	uint32_t other_importer;
	/* PROC_GET: its own context's PID, the test's context's PID. */
	uint32_t own_ctx_pid;
	uint32_t ctx_zero;	/* contexts it reads as PID 0 */
	/* NOTIFY_GET filtered by PID 1 (itself, there). */
	uint32_t by_pid1;
	uint32_t by_pid1_creator;
};

/*
 * In a new PID namespace: create a notify on device 1, import the test's
 * key onto device 0, look at everything, report, exit when told.
 */
static int ns_child(struct nlt_link *l, const char *key)
{
	struct ns_view v = { 0 };
	struct nlt_reply r = { 0 };
	struct nlt_rec *n;
	struct nlt nl;
	uint32_t h;
	size_t i;
	int fd;

	fd = an_open();
	if (fd < 0 || nlt_open(&nl))
		return 10;
	v.getpid = getpid();
	v.bare = an_bare_tgid(fd);
	if (an_create(fd, 1, 0, &h) || an_import(fd, key, 0, 0, NULL))
		return 11;
	v.id = UINT32_MAX;
	{
		struct ascend_notify_info info;

		if (!an_info(fd, h, &info))
			v.id = info.id;
	}
	if (nlt_dump_notifies(&nl, -1, 0, false, &r))
		return 12;
	n = nlt_find_notify(&r, 1, v.id);
	v.own_creator = n ? n->v[ASCEND_NOTIFY_A_CREATOR_PID] : UINT32_MAX;
	for (i = 0; i < r.n; i++) {
		if (r.recs[i].v[ASCEND_NOTIFY_A_DEV] != 0)
			continue;
		v.other_found++;
		v.other_creator = r.recs[i].v[ASCEND_NOTIFY_A_CREATOR_PID];
		v.other_importer = r.recs[i].nlist == 1 ?
				   r.recs[i].list[0] : UINT32_MAX;
	}
	if (nlt_dump(&nl, ASCEND_NOTIFY_CMD_PROC_GET, &r))
		return 13;
	v.own_ctx_pid = nlt_count(&r, ASCEND_NOTIFY_A_PID, 1) == 1 ? 1 : 0;
	v.ctx_zero = nlt_count(&r, ASCEND_NOTIFY_A_PID, 0);
	if (nlt_dump_notifies(&nl, -1, 1, false, &r))
		return 14;
	v.by_pid1 = r.n;
	v.by_pid1_creator = r.n ? r.recs[0].v[ASCEND_NOTIFY_A_CREATOR_PID] : 0;
	an_send(NLT_CHILD_OUT(l), &v, sizeof(v));
	an_recv_u32(NLT_CHILD_IN(l));
	return 0;
}

TEST_F(pidns, each_reader_sees_pids_in_its_own_namespace)
{
	char key[AN_KEY_BUF];
	struct nlt_rec *n;
	struct ns_view v;
	uint32_t h, id;
	pid_t pid;

	ASSERT_EQ(0, an_create(self->fd, 0, 0, &h));
	ASSERT_EQ(0, an_export(self->fd, h, ASCEND_NOTIFY_EXPORT_NO_PID_CHECK,
			       key));
	pid = nlt_fork_newpid();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(ns_child(&self->l, key));
	ASSERT_TRUE(an_recv(NLT_FROM_CHILD(&self->l), &v, sizeof(v)));

	/* The child: PID 1 to itself, its real number to the kernel. */
	EXPECT_EQ(1, v.getpid);
	EXPECT_EQ(pid, v.bare);
	/* Its notify: created by PID 1, as it sees itself. */
	EXPECT_EQ(1, v.own_creator);
	/* Ours: created by a process it cannot see; imported by itself. */
	EXPECT_EQ(1, v.other_found);
	EXPECT_EQ(0, v.other_creator);
	EXPECT_EQ(1, v.other_importer);
	/* Contexts: its own as 1; ours (and any outside) as 0. */
	EXPECT_EQ(1, v.own_ctx_pid);
	EXPECT_LE(1, v.ctx_zero);
	/* PID 1 there is itself: the filter finds its one notify. */
	EXPECT_EQ(1, v.by_pid1);
	EXPECT_EQ(1, v.by_pid1_creator);

	/* From here, the same objects carry the numbers we know. */
	ASSERT_EQ(0, nlt_dump_notifies(&self->nl, -1, 0, false, &self->r));
	n = nlt_find_notify(&self->r, 1, v.id);
	ASSERT_NE(NULL, n);
	EXPECT_EQ(pid, n->v[ASCEND_NOTIFY_A_CREATOR_PID]);
	id = UINT32_MAX;
	{
		struct ascend_notify_info info;

		ASSERT_EQ(0, an_info(self->fd, h, &info));
		id = info.id;
	}
	n = nlt_find_notify(&self->r, 0, id);
	ASSERT_NE(NULL, n);
	EXPECT_EQ(getpid(), n->v[ASCEND_NOTIFY_A_CREATOR_PID]);
	EXPECT_EQ(1, n->nlist);
	EXPECT_EQ(1, nlt_in_list(n, pid));
	ASSERT_EQ(0, nlt_dump(&self->nl, ASCEND_NOTIFY_CMD_PROC_GET, &self->r));
	EXPECT_EQ(1, nlt_count(&self->r, ASCEND_NOTIFY_A_PID, pid));
	EXPECT_EQ(0, nlt_count(&self->r, ASCEND_NOTIFY_A_PID, 0));
	/* PID 1 here is init, which has no notify. */
	ASSERT_EQ(0, nlt_dump_notifies(&self->nl, -1, 1, false, &self->r));
	EXPECT_EQ(0, self->r.n);
	ASSERT_EQ(0, nlt_dump_notifies(&self->nl, -1, pid, false, &self->r));
	EXPECT_EQ(1, self->r.n);

	an_send_u32(NLT_TO_CHILD(&self->l), 0);
	EXPECT_EQ(0, an_reap(pid));
}

/*
 * Creates and exports (to anyone) a notify on device 1, sends the key and
 * its bare TGID, exits when told.
 */
static int ns_creator(struct nlt_link *l)
{
	char key[AN_KEY_BUF];
	uint32_t h;
	int fd = an_open();

	if (fd < 0 || an_create(fd, 1, 0, &h) ||
	    an_export(fd, h, ASCEND_NOTIFY_EXPORT_NO_PID_CHECK, key))
		return 10;
	an_send(NLT_CHILD_OUT(l), key, ASCEND_NOTIFY_KEY_LEN);
	an_send_u32(NLT_CHILD_OUT(l), an_bare_tgid(fd));
	an_recv_u32(NLT_CHILD_IN(l));
	return 0;
}

TEST_F(pidns, events_name_actors_by_bare_tgid)
{
	char key[AN_KEY_BUF];
	struct nlt_rec ev = { 0 };
	uint32_t bare;
	pid_t pid;

	ASSERT_EQ(0, nlt_subscribe(&self->nl));
	pid = nlt_fork_newpid();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(ns_creator(&self->l));
	ASSERT_TRUE(an_recv(NLT_FROM_CHILD(&self->l), key,
			    ASCEND_NOTIFY_KEY_LEN));
	bare = an_recv_u32(NLT_FROM_CHILD(&self->l));
	EXPECT_EQ(pid, bare);

	/* Its create and export name it by its bare TGID, not 1. */
	ASSERT_EQ(0, nlt_next_event(&self->nl, &ev, 5000));
	EXPECT_EQ(ASCEND_NOTIFY_EVENT_CREATE, ev.v[ASCEND_NOTIFY_A_EVENT]);
	EXPECT_EQ(bare, ev.v[ASCEND_NOTIFY_A_PID]);
	ASSERT_EQ(0, nlt_next_event(&self->nl, &ev, 5000));
	EXPECT_EQ(ASCEND_NOTIFY_EVENT_EXPORT, ev.v[ASCEND_NOTIFY_A_EVENT]);
	EXPECT_EQ(bare, ev.v[ASCEND_NOTIFY_A_PID]);

	an_send_u32(NLT_TO_CHILD(&self->l), 0);
	ASSERT_EQ(0, an_reap(pid));
	/* Its exit destroys its handle: still its bare TGID. */
	ASSERT_EQ(0, nlt_next_event(&self->nl, &ev, 5000));
	EXPECT_EQ(ASCEND_NOTIFY_EVENT_DESTROY, ev.v[ASCEND_NOTIFY_A_EVENT]);
	EXPECT_EQ(bare, ev.v[ASCEND_NOTIFY_A_PID]);
}

/*
 * The uapi header: A_CREATOR_PID is "PID, 0 when gone". A creator that exited
 * while an importer keeps its notify alive must not be reported by its
 * old number, which the system may give to another process.
 */
TEST_F(pidns, creator_that_exited_reads_zero)
{
	char key[AN_KEY_BUF];
	struct nlt_rec *n;
	pid_t pid;

	pid = an_fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(ns_creator(&self->l));
	ASSERT_TRUE(an_recv(NLT_FROM_CHILD(&self->l), key,
			    ASCEND_NOTIFY_KEY_LEN));
	ASSERT_EQ(pid, an_recv_u32(NLT_FROM_CHILD(&self->l)));
	ASSERT_EQ(0, an_import(self->fd, key, 1, 0, NULL));
	ASSERT_EQ(0, nlt_dump_notifies(&self->nl, 1, 0, false, &self->r));
	ASSERT_EQ(1, self->r.n);
	EXPECT_EQ(pid, self->r.recs[0].v[ASCEND_NOTIFY_A_CREATOR_PID]);

	an_send_u32(NLT_TO_CHILD(&self->l), 0);
	ASSERT_EQ(0, an_reap(pid));
	ASSERT_EQ(0, nlt_dump_notifies(&self->nl, 1, 0, false, &self->r));
	ASSERT_EQ(1, self->r.n);
	n = &self->r.recs[0];
	EXPECT_EQ(1, n->v[ASCEND_NOTIFY_A_WITHDRAWN]);
	EXPECT_EQ(1, nlt_in_list(n, getpid()));
	EXPECT_EQ(0, n->v[ASCEND_NOTIFY_A_CREATOR_PID]);
}

TEST_HARNESS_MAIN
