// SPDX-License-Identifier: GPL-2.0
/*
 * STATS_GET: the totals count what lives, per kind; the raw-socket helper
 * the other suites use (an_stats(), selftests/common/an_genl.h) reads the
 * same figures as libnl; the memory figure is the objects of each kind
 * times their sizes, plus handles and exports; and once every
 * process that used notifies is gone - exited, or killed in the middle of
 * a wait - nothing is left alive.
 */
#include "nl_test.h"

#include "kselftest_harness.h"

FIXTURE(stats) {
	struct nlt nl;
	struct nlt_reply r;
};

FIXTURE_SETUP(stats)
{
	ASSERT_EQ(0, nlt_open(&self->nl));
}

FIXTURE_TEARDOWN(stats)
{
	nlt_reply_free(&self->r);
	nlt_close(&self->nl);
}

/* STATS_GET's one record, or NULL. */
static struct nlt_rec *stats_get(struct nlt *nl, struct nlt_reply *r)
{
	if (nlt_stats(nl, r) || r->n != 1)
		return NULL;
	return &r->recs[0];
}

/* A child imports @key twice, reports, exits when told. */
static int importer(struct nlt_link *l, const char *key)
{
	int fd = an_open();

	if (fd < 0 || an_import(fd, key, 1, ASCEND_NOTIFY_IMPORT_PEER_ACCESS,
				NULL) ||
	    an_import(fd, key, 0, 0, NULL))
		return 10;
	an_send_u32(NLT_CHILD_OUT(l), 1);
	an_recv_u32(NLT_CHILD_IN(l));
	return 0;
}

TEST_F(stats, raw_helper_and_libnl_totals_agree)
{
	struct an_stats st;
	char key[AN_KEY_BUF];
	struct nlt_link l;
	struct nlt_rec *s;
	uint32_t h[3];
	pid_t pid;
	int i, fd;

	fd = an_open();
	ASSERT_LE(0, fd);
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, an_create(fd, 0, 0, &h[i]));
	ASSERT_EQ(0, an_export(fd, h[0], ASCEND_NOTIFY_EXPORT_NO_PID_CHECK,
			       key));
	ASSERT_EQ(0, an_export(fd, h[1], 0, NULL));
	ASSERT_EQ(0, nlt_link_open(&l));
	pid = an_fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(importer(&l, key));
	ASSERT_EQ(1, an_recv_u32(NLT_FROM_CHILD(&l)));

	s = stats_get(&self->nl, &self->r);
	ASSERT_NE(NULL, s);
	ASSERT_EQ(0, an_stats(&st));
	/* Our context and the child's; 3 notifies; 3 + 2 handles; 2 keys. */
	EXPECT_EQ(2, s->v[ASCEND_NOTIFY_A_STAT_CONTEXTS]);
	EXPECT_EQ(3, s->v[ASCEND_NOTIFY_A_STAT_OBJECTS]);
	EXPECT_EQ(3, s->v[ASCEND_NOTIFY_A_STAT_NOTIFIES]);
	EXPECT_EQ(5, s->v[ASCEND_NOTIFY_A_STAT_HANDLES]);
	EXPECT_EQ(2, s->v[ASCEND_NOTIFY_A_STAT_KEYS]);
	EXPECT_EQ(st.contexts, s->v[ASCEND_NOTIFY_A_STAT_CONTEXTS]);
	EXPECT_EQ(st.objects, s->v[ASCEND_NOTIFY_A_STAT_OBJECTS]);
	EXPECT_EQ(st.notifies, s->v[ASCEND_NOTIFY_A_STAT_NOTIFIES]);
	EXPECT_EQ(st.events, s->v[ASCEND_NOTIFY_A_STAT_EVENTS]);
	EXPECT_EQ(st.mems, s->v[ASCEND_NOTIFY_A_STAT_MEMS]);
	EXPECT_EQ(st.memory, s->v[ASCEND_NOTIFY_A_STAT_MEMORY]);
	EXPECT_EQ(st.handles, s->v[ASCEND_NOTIFY_A_STAT_HANDLES]);
	EXPECT_EQ(st.keys, s->v[ASCEND_NOTIFY_A_STAT_KEYS]);
	EXPECT_EQ(st.notify_size, s->v[ASCEND_NOTIFY_A_STAT_NOTIFY_SIZE]);
	EXPECT_EQ(st.handle_size, s->v[ASCEND_NOTIFY_A_STAT_HANDLE_SIZE]);
	EXPECT_EQ(st.mem_size, s->v[ASCEND_NOTIFY_A_STAT_MEM_SIZE]);
	EXPECT_EQ(st.export_size, s->v[ASCEND_NOTIFY_A_STAT_EXPORT_SIZE]);

	/* The importer's exit takes its 2 handles and its context. */
	an_send_u32(NLT_TO_CHILD(&l), 0);
	ASSERT_EQ(0, an_reap(pid));
	s = stats_get(&self->nl, &self->r);
	ASSERT_NE(NULL, s);
	ASSERT_EQ(0, an_stats(&st));
	EXPECT_EQ(1, s->v[ASCEND_NOTIFY_A_STAT_CONTEXTS]);
	EXPECT_EQ(3, s->v[ASCEND_NOTIFY_A_STAT_HANDLES]);
	EXPECT_EQ(st.handles, s->v[ASCEND_NOTIFY_A_STAT_HANDLES]);
	EXPECT_EQ(st.contexts, s->v[ASCEND_NOTIFY_A_STAT_CONTEXTS]);
	close(fd);
}

/* The live counts of @dev, by kind, as DEVICE_GET and DEVICE_INFO report. */
static void dev_live(struct __test_metadata *_metadata, FIXTURE_DATA(stats) *self,
		     int fd, uint32_t dev, uint32_t want[3])
{
	struct ascend_notify_device_info di;
	size_t i;

	ASSERT_EQ(0, an_device_info(fd, dev, &di));
	EXPECT_EQ(want[0], di.live_notifies);
	EXPECT_EQ(want[1], di.live_events);
	EXPECT_EQ(want[2], di.live_mems);
	ASSERT_EQ(0, nlt_dump(&self->nl, ASCEND_NOTIFY_CMD_DEVICE_GET,
			      &self->r));
	for (i = 0; i < self->r.n; i++) {
		struct nlt_rec *d = &self->r.recs[i];

		if (d->v[ASCEND_NOTIFY_A_DEV] != dev)
			continue;
		EXPECT_EQ(want[0], d->v[ASCEND_NOTIFY_A_DEV_LIVE_NOTIFIES]);
		EXPECT_EQ(want[1], d->v[ASCEND_NOTIFY_A_DEV_LIVE_EVENTS]);
		EXPECT_EQ(want[2], d->v[ASCEND_NOTIFY_A_DEV_LIVE_MEMS]);
		return;
	}
	EXPECT_TRUE(false) TH_LOG("device %u not in the dump", dev);
}

/*
 * Each kind has its own count, module-wide and per device; the total is
 * their sum; the memory figure is each kind at its own size (a MEM object
 * is its header, not its pages) plus handles and exports.
 */
TEST_F(stats, objects_are_counted_per_kind)
{
	uint32_t n[2], ev, mem, want[3] = { 0, 0, 0 };
	struct ascend_notify_mem m;
	struct an_stats st, st0;
	struct nlt_rec *s;
	uint64_t expect;
	int fd;

	fd = an_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, an_stats(&st0));
	ASSERT_EQ(0, st0.objects);
	dev_live(_metadata, self, fd, 1, want);

	ASSERT_EQ(0, an_create(fd, 1, 0, &n[0]));
	ASSERT_EQ(0, an_create(fd, 1, 0, &n[1]));
	ASSERT_EQ(0, an_create(fd, 1, ASCEND_NOTIFY_CREATE_EVENT, &ev));
	ASSERT_EQ(0, an_mem_alloc(fd, 1, 3 * 4096, &m));
	mem = m.handle;
	ASSERT_EQ(0, an_export(fd, n[1], 0, NULL));
	ASSERT_EQ(0, an_export(fd, mem, 0, NULL));
	want[0] = 2, want[1] = 1, want[2] = 1;
	dev_live(_metadata, self, fd, 1, want);

	s = stats_get(&self->nl, &self->r);
	ASSERT_NE(NULL, s);
	ASSERT_EQ(0, an_stats(&st));
	EXPECT_EQ(4, st.objects);
	EXPECT_EQ(2, st.notifies);
	EXPECT_EQ(1, st.events);
	EXPECT_EQ(1, st.mems);
	EXPECT_EQ(4, st.handles);
	EXPECT_EQ(2, st.keys);
	EXPECT_LT(0, st.notify_size);
	EXPECT_LT(0, st.mem_size);
	EXPECT_LT(0, st.handle_size);
	EXPECT_LT(0, st.export_size);
	/* The MEM object's pages are device memory, not this figure. */
	EXPECT_GT(3 * 4096, st.mem_size);
	expect = (uint64_t)(st.notifies + st.events) * st.notify_size +
		 (uint64_t)st.mems * st.mem_size +
		 (uint64_t)st.handles * st.handle_size +
		 (uint64_t)st.keys * st.export_size;
	EXPECT_EQ(expect, st.memory);
	EXPECT_EQ(expect, s->v[ASCEND_NOTIFY_A_STAT_MEMORY]);
	EXPECT_EQ(8, s->len[ASCEND_NOTIFY_A_STAT_MEMORY]);
	EXPECT_EQ(4, s->v[ASCEND_NOTIFY_A_STAT_OBJECTS]);

	/* Each destroy moves its own kind's counts, and only those. */
	ASSERT_EQ(0, an_destroy(fd, ev));
	ASSERT_EQ(0, an_stats(&st));
	EXPECT_EQ(3, st.objects);
	EXPECT_EQ(2, st.notifies);
	EXPECT_EQ(0, st.events);
	EXPECT_EQ(1, st.mems);
	EXPECT_EQ(expect - st.notify_size - st.handle_size, st.memory);
	want[1] = 0;
	dev_live(_metadata, self, fd, 1, want);

	ASSERT_EQ(0, an_destroy(fd, mem));
	ASSERT_EQ(0, an_stats(&st));
	EXPECT_EQ(2, st.objects);
	EXPECT_EQ(2, st.notifies);
	EXPECT_EQ(0, st.mems);
	EXPECT_EQ(1, st.keys);
	EXPECT_EQ((uint64_t)2 * st.notify_size + 2 * st.handle_size +
		  st.export_size, st.memory);
	want[2] = 0;
	dev_live(_metadata, self, fd, 1, want);

	ASSERT_EQ(0, an_destroy(fd, n[0]));
	ASSERT_EQ(0, an_destroy(fd, n[1]));
	ASSERT_EQ(0, an_stats(&st));
	EXPECT_EQ(0, st.objects);
	EXPECT_EQ(0, st.notifies);
	EXPECT_EQ(0, st.memory);
	want[0] = 0;
	dev_live(_metadata, self, fd, 1, want);
	close(fd);
}

/*
 * Children that leave state behind: a creator that exports and exits
 * without destroying, an importer, a waiter killed in its wait.
 */
static int leaver(struct nlt_link *l, int role, const char *key)
{
	char mykey[AN_KEY_BUF];
	uint32_t h;
	int fd = an_open();

	if (fd < 0)
		return 10;
	switch (role) {
	case 0:		/* creator: exports, hands out its key */
		if (an_create(fd, 0, 0, &h) || an_create(fd, 3, 0, NULL) ||
		    an_export(fd, h, ASCEND_NOTIFY_EXPORT_NO_PID_CHECK, mykey))
			return 11;
		an_send(NLT_CHILD_OUT(l), mykey, ASCEND_NOTIFY_KEY_LEN);
		an_recv_u32(NLT_CHILD_IN(l));
		return 0;
	case 1:		/* importer */
		if (an_import(fd, key, 2, ASCEND_NOTIFY_IMPORT_PEER_ACCESS,
			      NULL))
			return 12;
		an_send_u32(NLT_CHILD_OUT(l), 1);
		an_recv_u32(NLT_CHILD_IN(l));
		return 0;
	default:	/* waiter, until killed */
		if (an_create(fd, 1, 0, &h) || an_export(fd, h, 0, NULL))
			return 13;
		an_send_u32(NLT_CHILD_OUT(l), 1);
		an_wait(fd, h, ASCEND_NOTIFY_FOREVER);
		return 14;
	}
}

TEST_F(stats, nothing_lives_after_every_process_is_gone)
{
	struct an_stats st;
	char key[AN_KEY_BUF];
	struct nlt_link l[3];
	struct nlt_rec *s;
	pid_t pid[3];
	size_t i;
	int fd;

	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, nlt_link_open(&l[i]));
		pid[i] = an_fork();
		ASSERT_LE(0, pid[i]);
		if (pid[i] == 0)
			_exit(leaver(&l[i], i, key));
		if (i == 0) {
			ASSERT_TRUE(an_recv(NLT_FROM_CHILD(&l[0]), key,
					    ASCEND_NOTIFY_KEY_LEN));
		} else {
			ASSERT_EQ(1, an_recv_u32(NLT_FROM_CHILD(&l[i])));
		}
	}
	ASSERT_TRUE(an_waiting(pid[2]));
	s = stats_get(&self->nl, &self->r);
	ASSERT_NE(NULL, s);
	EXPECT_EQ(3, s->v[ASCEND_NOTIFY_A_STAT_CONTEXTS]);
	EXPECT_EQ(3, s->v[ASCEND_NOTIFY_A_STAT_OBJECTS]);
	EXPECT_EQ(3, s->v[ASCEND_NOTIFY_A_STAT_NOTIFIES]);
	EXPECT_EQ(4, s->v[ASCEND_NOTIFY_A_STAT_HANDLES]);
	EXPECT_EQ(2, s->v[ASCEND_NOTIFY_A_STAT_KEYS]);

	/* The creator goes first, the importer keeps its notify alive. */
	an_send_u32(NLT_TO_CHILD(&l[0]), 0);
	ASSERT_EQ(0, an_reap(pid[0]));
	s = stats_get(&self->nl, &self->r);
	ASSERT_NE(NULL, s);
	EXPECT_EQ(2, s->v[ASCEND_NOTIFY_A_STAT_OBJECTS]);
	EXPECT_EQ(2, s->v[ASCEND_NOTIFY_A_STAT_NOTIFIES]);
	EXPECT_EQ(1, s->v[ASCEND_NOTIFY_A_STAT_KEYS]);

	an_send_u32(NLT_TO_CHILD(&l[1]), 0);
	ASSERT_EQ(0, an_reap(pid[1]));
	ASSERT_EQ(0, kill(pid[2], SIGKILL));
	ASSERT_EQ(128 + SIGKILL, an_reap(pid[2]));

	/* Nobody has the device open: every total is zero. */
	s = stats_get(&self->nl, &self->r);
	ASSERT_NE(NULL, s);
	EXPECT_EQ(0, s->v[ASCEND_NOTIFY_A_STAT_CONTEXTS]);
	EXPECT_EQ(0, s->v[ASCEND_NOTIFY_A_STAT_OBJECTS]);
	EXPECT_EQ(0, s->v[ASCEND_NOTIFY_A_STAT_NOTIFIES]);
	EXPECT_EQ(0, s->v[ASCEND_NOTIFY_A_STAT_HANDLES]);
	EXPECT_EQ(0, s->v[ASCEND_NOTIFY_A_STAT_KEYS]);
	EXPECT_EQ(0, s->v[ASCEND_NOTIFY_A_STAT_MEMORY]);
	ASSERT_EQ(0, nlt_dump_notifies(&self->nl, -1, 0, false, &self->r));
	EXPECT_EQ(0, self->r.n);
	ASSERT_EQ(0, nlt_dump(&self->nl, ASCEND_NOTIFY_CMD_PROC_GET, &self->r));
	EXPECT_EQ(0, self->r.n);
	ASSERT_EQ(0, nlt_dump(&self->nl, ASCEND_NOTIFY_CMD_DEVICE_GET,
			      &self->r));
	for (i = 0; i < self->r.n; i++) {
		struct nlt_rec *d = &self->r.recs[i];

		EXPECT_EQ(0, d->v[ASCEND_NOTIFY_A_DEV_LIVE_NOTIFIES]);
		EXPECT_EQ(0, d->v[ASCEND_NOTIFY_A_DEV_LIVE_EVENTS]);
		EXPECT_EQ(0, d->v[ASCEND_NOTIFY_A_DEV_LIVE_MEMS]);
		EXPECT_EQ(0, d->v[ASCEND_NOTIFY_A_DEV_IMPORTS]);
	}

	/* And the raw helper, with the one context this opens, agrees. */
	fd = an_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, an_stats(&st));
	s = stats_get(&self->nl, &self->r);
	ASSERT_NE(NULL, s);
	EXPECT_EQ(1, st.contexts);
	EXPECT_EQ(st.contexts, s->v[ASCEND_NOTIFY_A_STAT_CONTEXTS]);
	EXPECT_EQ(0, st.objects + st.handles + st.keys);
	EXPECT_EQ(st.objects, s->v[ASCEND_NOTIFY_A_STAT_OBJECTS]);
	EXPECT_EQ(st.handles, s->v[ASCEND_NOTIFY_A_STAT_HANDLES]);
	EXPECT_EQ(st.keys, s->v[ASCEND_NOTIFY_A_STAT_KEYS]);
	close(fd);
}

TEST_HARNESS_MAIN
