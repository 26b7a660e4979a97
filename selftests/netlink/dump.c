// SPDX-License-Identifier: GPL-2.0
/*
 * Dumps larger than one message: 10,000 notifies (more than one device
 * holds by default) come back complete, each exactly once and in order,
 * across many messages; a dump during which another process creates or
 * destroys a notify, or opens a context, is flagged NLM_F_DUMP_INTR.
 *
 * The kernel fills one message per read, so a test that reads a dump
 * message by message can change the set between two reads and knows
 * that the rest of the dump is produced after the change.
 */
#include "nl_test.h"

#include "kselftest_harness.h"

#define TOTAL	10000

FIXTURE(dump) {
	struct nlt nl;
	struct nlt_reply r;
	int fd;
	int ndev;
	uint32_t limit;
};

FIXTURE_SETUP(dump)
{
	struct ascend_notify_device_info info = { .dev = 0 };

	ASSERT_EQ(0, nlt_open(&self->nl));
	self->ndev = nlt_num_devices();
	ASSERT_LE(2, self->ndev);
	self->fd = an_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, an_ioctl(self->fd, ASCEND_NOTIFY_IOC_DEVICE_INFO, &info));
	self->limit = info.max_notifies;
}

FIXTURE_TEARDOWN(dump)
{
	nlt_reply_free(&self->r);
	nlt_close(&self->nl);
	close(self->fd);
}

/*
 * Fills device 0 to its limit (one more is refused) and puts the rest of
 * TOTAL on the next devices. Records which (dev, id) were created in
 * @made. Returns how many devices were used, or -errno.
 */
static int create_total(int fd, uint32_t limit, int ndev, uint8_t *made)
{
	struct ascend_notify_create c;
	int i, dev = 0, ret;

	for (i = 0; i < TOTAL; i++) {
		memset(&c, 0, sizeof(c));
		c.dev = dev;
		ret = an_ioctl(fd, ASCEND_NOTIFY_IOC_CREATE, &c);
		if (ret == -ENOSPC && dev < ndev - 1) {
			dev++;
			i--;
			continue;
		}
		if (ret)
			return ret;
		made[(size_t)c.dev * limit + c.id]++;
	}
	return dev + 1;
}

TEST_F_TIMEOUT(dump, ten_thousand_notifies_come_back_exactly_once, 600)
{
	size_t slots = (size_t)self->ndev * self->limit, i;
	uint8_t *made = calloc(slots, 1), *seen = calloc(slots, 1);
	int64_t last_dev = -1, last_id = -1;
	uint32_t per_dev[2] = { 0 };
	int used;

	ASSERT_NE(NULL, made);
	ASSERT_NE(NULL, seen);
	if ((uint64_t)self->ndev * self->limit < TOTAL)
		SKIP(return, "devices hold fewer than %d notifies", TOTAL);
	used = create_total(self->fd, self->limit, self->ndev, made);
	ASSERT_LT(0, used);
	/* With the default limit of 8192 they spread over two devices. */
	if (self->limit < TOTAL)
		EXPECT_LE(2, used);

	ASSERT_EQ(0, nlt_dump_notifies(&self->nl, -1, 0, false, &self->r));
	EXPECT_FALSE(self->r.intr);
	EXPECT_LT(1, self->r.datagrams);
	TH_LOG("%zu notifies in %u messages", self->r.n, self->r.datagrams);
	ASSERT_EQ(TOTAL, self->r.n);
	for (i = 0; i < self->r.n; i++) {
		struct nlt_rec *n = &self->r.recs[i];
		uint64_t dev = n->v[ASCEND_NOTIFY_A_DEV];
		uint64_t id = n->v[ASCEND_NOTIFY_A_ID];

		ASSERT_LT(dev, (uint64_t)self->ndev);
		ASSERT_LT(id, self->limit);
		EXPECT_EQ(getpid(), n->v[ASCEND_NOTIFY_A_CREATOR_PID]);
		EXPECT_TRUE(n->nlflags & NLM_F_MULTI);
		seen[dev * self->limit + id]++;
		/* Resumed where the previous message ended: strictly in order. */
		EXPECT_TRUE((int64_t)dev > last_dev ||
			    ((int64_t)dev == last_dev && (int64_t)id > last_id)) {
			TH_LOG("record %zu: %llu/%llu after %lld/%lld", i,
			       (unsigned long long)dev, (unsigned long long)id,
			       (long long)last_dev, (long long)last_id);
		}
		last_dev = dev;
		last_id = id;
		if (dev < 2)
			per_dev[dev]++;
	}
	/* Each one we created, exactly once; nothing else. */
	EXPECT_EQ(0, memcmp(made, seen, slots));

	/* Device filters split the same set. */
	if (self->limit < TOTAL) {
		ASSERT_EQ(0, nlt_dump_notifies(&self->nl, 0, 0, false,
					       &self->r));
		EXPECT_EQ(self->limit, self->r.n);
		EXPECT_EQ(per_dev[0], self->r.n);
		ASSERT_EQ(0, nlt_dump_notifies(&self->nl, 1, 0, false,
					       &self->r));
		EXPECT_EQ(per_dev[1], self->r.n);
	}
	ASSERT_EQ(0, nlt_dump_notifies(&self->nl, -1, getpid(), false,
				       &self->r));
	EXPECT_EQ(TOTAL, self->r.n);
	free(made);
	free(seen);
}

/* Does what it is told: 1 create, 2 destroy, 3 open; acknowledges. */
static int changer(struct nlt_link *l)
{
	uint32_t h, what;
	int fd = an_open();

	if (fd < 0 || an_create(fd, 0, 0, &h))
		return 10;
	an_send_u32(NLT_CHILD_OUT(l), 0);
	while ((what = an_recv_u32(NLT_CHILD_IN(l))) != UINT32_MAX) {
		if (what == 1 && an_create(fd, 1, 0, NULL))
			return 11;
		if (what == 2 && an_destroy(fd, h))
			return 12;
		if (what == 3 && an_open() < 0)
			return 13;
		an_send_u32(NLT_CHILD_OUT(l), 1);
	}
	return 0;
}

FIXTURE(intr) {
	struct nlt nl;
	struct nlt_reply r;
	struct nlt_link l;
	int fd;
	pid_t changer;
};

FIXTURE_VARIANT(intr) {
	uint8_t cmd;
	uint32_t change;	/* what the changer does, see changer() */
};

FIXTURE_VARIANT_ADD(intr, notify_created) {
	.cmd = ASCEND_NOTIFY_CMD_NOTIFY_GET, .change = 1,
};
FIXTURE_VARIANT_ADD(intr, notify_destroyed) {
	.cmd = ASCEND_NOTIFY_CMD_NOTIFY_GET, .change = 2,
};
FIXTURE_VARIANT_ADD(intr, context_opened) {
	.cmd = ASCEND_NOTIFY_CMD_PROC_GET, .change = 3,
};

FIXTURE_SETUP(intr)
{
	int i;

	ASSERT_EQ(0, nlt_open(&self->nl));
	ASSERT_LE(2, nlt_num_devices());
	self->fd = an_open();
	ASSERT_LE(0, self->fd);
	/* Enough notifies, or contexts, for a dump of many messages. */
	for (i = 0; i < 2000; i++)
		ASSERT_EQ(0, an_create(self->fd, 0, 0, NULL));
	for (i = 0; i < 300 && variant->cmd == ASCEND_NOTIFY_CMD_PROC_GET; i++)
		ASSERT_LE(0, an_open());
	ASSERT_EQ(0, nlt_link_open(&self->l));
	self->changer = an_fork();
	ASSERT_LE(0, self->changer);
	if (self->changer == 0)
		_exit(changer(&self->l));
	ASSERT_EQ(0, an_recv_u32(NLT_FROM_CHILD(&self->l)));
}

FIXTURE_TEARDOWN(intr)
{
	an_send_u32(NLT_TO_CHILD(&self->l), UINT32_MAX);
	EXPECT_EQ(0, an_reap(self->changer));
	nlt_reply_free(&self->r);
	nlt_close(&self->nl);
}

TEST_F(intr, unchanged_dump_is_not_flagged)
{
	ASSERT_EQ(0, nlt_dump(&self->nl, variant->cmd, &self->r));
	EXPECT_FALSE(self->r.intr);
	EXPECT_LT(2, self->r.datagrams);
	EXPECT_LE(300, self->r.n);
}

TEST_F(intr, change_between_two_messages_sets_dump_intr)
{
	size_t i;

	ASSERT_EQ(0, nlt_send(&self->nl, nlt_msg(&self->nl, variant->cmd,
						 NLM_F_DUMP)));
	ASSERT_EQ(0, nlt_recv(&self->nl, &self->r, 10000));
	ASSERT_FALSE(self->r.done);	/* the dump takes more messages */
	EXPECT_FALSE(self->r.intr);

	an_send_u32(NLT_TO_CHILD(&self->l), variant->change);
	ASSERT_EQ(1, an_recv_u32(NLT_FROM_CHILD(&self->l)));
	ASSERT_EQ(0, nlt_finish(&self->nl, &self->r));
	EXPECT_EQ(0, self->r.err);
	EXPECT_TRUE(self->r.intr);
	/* Flagged once, on the first message made after the change. */
	for (i = 0; i < self->r.n && !(self->r.recs[i].nlflags &
				       NLM_F_DUMP_INTR); i++)
		;
	TH_LOG("%zu records, the first flagged is #%zu, %u messages",
	       self->r.n, i, self->r.datagrams);
	EXPECT_LT(0, i);
}

TEST_HARNESS_MAIN
