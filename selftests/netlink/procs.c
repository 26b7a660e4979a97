// SPDX-License-Identifier: GPL-2.0
/*
 * PROC_GET: one record per open context of /dev/ascend_notify with its
 * owner's PID, its handles (created and imported) and the peer access it
 * enabled; a context goes when its file is closed or its owner exits.
 */
#include "nl_test.h"

#include "kselftest_harness.h"

FIXTURE(procs) {
	struct nlt nl;
	struct nlt_reply r;
	int fd;
};

FIXTURE_SETUP(procs)
{
	ASSERT_EQ(0, nlt_open(&self->nl));
	ASSERT_LE(4, nlt_num_devices());
	self->fd = an_open();
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(procs)
{
	nlt_reply_free(&self->r);
	nlt_close(&self->nl);
	if (self->fd >= 0)
		close(self->fd);
}

/* Contexts of process @pid in a fresh dump; -1 when the dump fails. */
static int contexts_of(struct nlt *nl, struct nlt_reply *r, pid_t pid)
{
	if (nlt_dump(nl, ASCEND_NOTIFY_CMD_PROC_GET, r))
		return -1;
	return nlt_count(r, ASCEND_NOTIFY_A_PID, pid);
}

/*
 * A child opens the device @n times, imports @key (if any) twice through
 * its last file, reports, and exits when told.
 */
static int opener(struct nlt_link *l, int n, const char *key)
{
	int i, fd = -1;

	for (i = 0; i < n; i++) {
		fd = an_open();
		if (fd < 0)
			return 10;
	}
	if (key && (an_import(fd, key, 0, 0, NULL) ||
		    an_import(fd, key, 0, 0, NULL)))
		return 11;
	an_send_u32(NLT_CHILD_OUT(l), 1);
	an_recv_u32(NLT_CHILD_IN(l));
	return 0;
}

TEST_F(procs, each_open_context_is_listed_with_its_owner)
{
	struct nlt_link l;
	pid_t pid;

	ASSERT_EQ(1, contexts_of(&self->nl, &self->r, getpid()));
	ASSERT_EQ(0, nlt_link_open(&l));
	pid = an_fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(opener(&l, 2, NULL));
	ASSERT_EQ(1, an_recv_u32(NLT_FROM_CHILD(&l)));

	/* Two files, two contexts; ours is still one. */
	EXPECT_EQ(2, contexts_of(&self->nl, &self->r, pid));
	EXPECT_EQ(1, nlt_count(&self->r, ASCEND_NOTIFY_A_PID, getpid()));
	EXPECT_EQ(3, self->r.n);

	an_send_u32(NLT_TO_CHILD(&l), 0);
	ASSERT_EQ(0, an_reap(pid));
	/* The owner's exit closed both. */
	EXPECT_EQ(0, contexts_of(&self->nl, &self->r, pid));
	EXPECT_EQ(1, self->r.n);
}

TEST_F(procs, handles_are_split_into_created_and_imported)
{
	char key[AN_KEY_BUF];
	struct nlt_rec *c;
	struct nlt_link l;
	uint32_t h[3];
	pid_t pid;
	int i;

	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, an_create(self->fd, 0, 0, &h[i]));
	ASSERT_EQ(0, an_export(self->fd, h[1], ASCEND_NOTIFY_EXPORT_NO_PID_CHECK,
			       key));
	ASSERT_EQ(0, nlt_link_open(&l));
	pid = an_fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(opener(&l, 1, key));
	ASSERT_EQ(1, an_recv_u32(NLT_FROM_CHILD(&l)));

	ASSERT_EQ(0, nlt_dump(&self->nl, ASCEND_NOTIFY_CMD_PROC_GET, &self->r));
	c = nlt_find(&self->r, ASCEND_NOTIFY_A_PID, getpid(), 0, 0);
	ASSERT_NE(NULL, c);
	EXPECT_EQ(ASCEND_NOTIFY_CMD_PROC_GET, c->cmd);
	EXPECT_EQ(3, c->v[ASCEND_NOTIFY_A_HANDLES]);
	EXPECT_EQ(3, c->v[ASCEND_NOTIFY_A_CREATED]);
	EXPECT_EQ(0, c->v[ASCEND_NOTIFY_A_IMPORTED]);
	c = nlt_find(&self->r, ASCEND_NOTIFY_A_PID, pid, 0, 0);
	ASSERT_NE(NULL, c);
	EXPECT_EQ(2, c->v[ASCEND_NOTIFY_A_HANDLES]);
	EXPECT_EQ(0, c->v[ASCEND_NOTIFY_A_CREATED]);
	EXPECT_EQ(2, c->v[ASCEND_NOTIFY_A_IMPORTED]);

	ASSERT_EQ(0, an_destroy(self->fd, h[0]));
	ASSERT_EQ(0, nlt_dump(&self->nl, ASCEND_NOTIFY_CMD_PROC_GET, &self->r));
	c = nlt_find(&self->r, ASCEND_NOTIFY_A_PID, getpid(), 0, 0);
	ASSERT_NE(NULL, c);
	EXPECT_EQ(2, c->v[ASCEND_NOTIFY_A_HANDLES]);
	EXPECT_EQ(2, c->v[ASCEND_NOTIFY_A_CREATED]);

	an_send_u32(NLT_TO_CHILD(&l), 0);
	ASSERT_EQ(0, an_reap(pid));
}

TEST_F(procs, enabled_peer_access_is_listed_as_device_pairs)
{
	struct nlt_rec *c;

	ASSERT_EQ(0, an_peer(self->fd, true, 1, 3));
	ASSERT_EQ(0, an_peer(self->fd, true, 2, 0));
	ASSERT_EQ(0, nlt_dump(&self->nl, ASCEND_NOTIFY_CMD_PROC_GET, &self->r));
	c = nlt_find(&self->r, ASCEND_NOTIFY_A_PID, getpid(), 0, 0);
	ASSERT_NE(NULL, c);
	ASSERT_TRUE(c->has[ASCEND_NOTIFY_A_PEER_ACCESS]);
	EXPECT_EQ(2, c->nlist);
	EXPECT_EQ(1, nlt_in_list(c, 1ull << 32 | 3));
	EXPECT_EQ(1, nlt_in_list(c, 2ull << 32 | 0));

	/* One-directional: 3->1 was never enabled; 1->3 is disabled now. */
	ASSERT_EQ(0, an_peer(self->fd, false, 1, 3));
	ASSERT_EQ(0, nlt_dump(&self->nl, ASCEND_NOTIFY_CMD_PROC_GET, &self->r));
	c = nlt_find(&self->r, ASCEND_NOTIFY_A_PID, getpid(), 0, 0);
	ASSERT_NE(NULL, c);
	EXPECT_EQ(1, c->nlist);
	EXPECT_EQ(1, nlt_in_list(c, 2ull << 32 | 0));
}

TEST_F(procs, closing_the_file_removes_the_context)
{
	int fd2 = an_open();

	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, an_create(fd2, 0, 0, NULL));
	ASSERT_EQ(2, contexts_of(&self->nl, &self->r, getpid()));
	ASSERT_EQ(0, close(fd2));
	EXPECT_EQ(1, contexts_of(&self->nl, &self->r, getpid()));
	ASSERT_EQ(0, close(self->fd));
	self->fd = -1;
	EXPECT_EQ(0, contexts_of(&self->nl, &self->r, getpid()));
}

TEST_HARNESS_MAIN
