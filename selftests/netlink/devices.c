// SPDX-License-Identifier: GPL-2.0
/*
 * DEVICE_GET: every emulated device with its super-pod id, its limit, its
 * live and created notifies, the imports bound to it, its peers and its
 * virtual-instance flag, as the ioctls see them.
 */
#include "nl_test.h"

#include "kselftest_harness.h"

FIXTURE(devices) {
	struct nlt nl;
	struct nlt_reply r;
	int fd;
	int ndev;
};

FIXTURE_SETUP(devices)
{
	ASSERT_EQ(0, nlt_open(&self->nl));
	self->ndev = nlt_num_devices();
	ASSERT_LT(0, self->ndev);
	self->fd = an_open();
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(devices)
{
	nlt_reply_free(&self->r);
	nlt_close(&self->nl);
	close(self->fd);
}

/* The DEVICE_GET record of @dev in a fresh dump (NULL if missing). */
static struct nlt_rec *dev_rec(struct nlt *nl, struct nlt_reply *r,
			       uint32_t dev)
{
	if (nlt_dump(nl, ASCEND_NOTIFY_CMD_DEVICE_GET, r))
		return NULL;
	return nlt_find(r, ASCEND_NOTIFY_A_DEV, dev, 0, 0);
}

/* Attribute @a of device @dev in a fresh dump; ~0 if missing. */
static uint64_t dev_attr(struct nlt *nl, struct nlt_reply *r, uint32_t dev,
			 int a)
{
	struct nlt_rec *d = dev_rec(nl, r, dev);

	return d && d->has[a] ? d->v[a] : ~0ull;
}

TEST_F(devices, memory_budget_is_reported)
{
	struct ascend_notify_device_mem dm = { .dev = 1 };
	struct ascend_notify_mem m;
	int fd = an_open();

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, an_mem_alloc(fd, 1, 3 * 4096, &m));
	ASSERT_EQ(0, an_ioctl(fd, ASCEND_NOTIFY_IOC_DEVICE_MEM, &dm));
	EXPECT_EQ(dm.total, dev_attr(&self->nl, &self->r, 1,
				     ASCEND_NOTIFY_A_DEV_MEM_TOTAL));
	EXPECT_EQ(dm.used, dev_attr(&self->nl, &self->r, 1,
				    ASCEND_NOTIFY_A_DEV_MEM_USED));
	EXPECT_EQ(m.size, dm.used);
	close(fd);
	EXPECT_EQ(0, dev_attr(&self->nl, &self->r, 1,
			      ASCEND_NOTIFY_A_DEV_MEM_USED));
}

TEST_F(devices, dump_reports_every_device_once_as_the_ioctl_does)
{
	struct ascend_notify_device_info info;
	struct nlt_rec *d;
	int i;

	ASSERT_EQ(0, nlt_dump(&self->nl, ASCEND_NOTIFY_CMD_DEVICE_GET,
			      &self->r));
	ASSERT_EQ(self->ndev, self->r.n);
	for (i = 0; i < self->ndev; i++) {
		EXPECT_EQ(1, nlt_count(&self->r, ASCEND_NOTIFY_A_DEV, i));
		d = nlt_find(&self->r, ASCEND_NOTIFY_A_DEV, i, 0, 0);
		ASSERT_NE(NULL, d);
		EXPECT_EQ(ASCEND_NOTIFY_CMD_DEVICE_GET, d->cmd);
		EXPECT_TRUE(d->nlflags & NLM_F_MULTI);

		memset(&info, 0, sizeof(info));
		info.dev = i;
		ASSERT_EQ(0, an_ioctl(self->fd, ASCEND_NOTIFY_IOC_DEVICE_INFO,
				      &info));
		EXPECT_EQ(info.sdid, d->v[ASCEND_NOTIFY_A_DEV_SDID]);
		EXPECT_EQ(info.max_notifies, d->v[ASCEND_NOTIFY_A_DEV_LIMIT]);
		EXPECT_EQ(info.live_notifies, d->v[ASCEND_NOTIFY_A_DEV_LIVE_NOTIFIES]);
		EXPECT_EQ(info.peers, d->v[ASCEND_NOTIFY_A_DEV_PEERS]);
		EXPECT_EQ(!!(info.dev_flags & ASCEND_NOTIFY_DEV_VIRTUAL),
			  d->v[ASCEND_NOTIFY_A_DEV_VIRTUAL]);
		/* The widths the uapi header documents. */
		EXPECT_EQ(4, d->len[ASCEND_NOTIFY_A_DEV_LIVE_NOTIFIES]);
		EXPECT_EQ(8, d->len[ASCEND_NOTIFY_A_DEV_PEERS]);
		EXPECT_EQ(1, d->len[ASCEND_NOTIFY_A_DEV_VIRTUAL]);
		EXPECT_EQ(8, d->len[ASCEND_NOTIFY_A_DEV_CREATED]);
		EXPECT_EQ(4, d->len[ASCEND_NOTIFY_A_DEV_IMPORTS]);
		/* A device is never its own peer. */
		EXPECT_EQ(0, d->v[ASCEND_NOTIFY_A_DEV_PEERS] & (1ull << i));
	}
}

TEST_F(devices, live_and_created_follow_create_and_destroy)
{
	uint32_t dev = self->ndev - 1, h[3];
	uint64_t live0, created0;
	struct nlt_rec *d;
	int i;

	d = dev_rec(&self->nl, &self->r, dev);
	ASSERT_NE(NULL, d);
	live0 = d->v[ASCEND_NOTIFY_A_DEV_LIVE_NOTIFIES];
	created0 = d->v[ASCEND_NOTIFY_A_DEV_CREATED];

	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, an_create(self->fd, dev, 0, &h[i]));
	d = dev_rec(&self->nl, &self->r, dev);
	ASSERT_NE(NULL, d);
	EXPECT_EQ(live0 + 3, d->v[ASCEND_NOTIFY_A_DEV_LIVE_NOTIFIES]);
	EXPECT_EQ(created0 + 3, d->v[ASCEND_NOTIFY_A_DEV_CREATED]);

	ASSERT_EQ(0, an_destroy(self->fd, h[0]));
	ASSERT_EQ(0, an_destroy(self->fd, h[1]));
	d = dev_rec(&self->nl, &self->r, dev);
	ASSERT_NE(NULL, d);
	EXPECT_EQ(live0 + 1, d->v[ASCEND_NOTIFY_A_DEV_LIVE_NOTIFIES]);
	/* Created counts notifies ever created: destroy leaves it. */
	EXPECT_EQ(created0 + 3, d->v[ASCEND_NOTIFY_A_DEV_CREATED]);
}

/*
 * The child imports the key twice onto device 2, then destroys one handle,
 * then exits, each step when told.
 */
static int importer(struct nlt_link *l, const char *key)
{
	uint32_t h[2];
	int fd = an_open();

	if (fd < 0)
		return 10;
	if (an_import(fd, key, 2, ASCEND_NOTIFY_IMPORT_PEER_ACCESS, &h[0]) ||
	    an_import(fd, key, 2, ASCEND_NOTIFY_IMPORT_PEER_ACCESS, &h[1]))
		return 11;
	an_send_u32(NLT_CHILD_OUT(l), 1);
	an_recv_u32(NLT_CHILD_IN(l));
	if (an_destroy(fd, h[0]))
		return 12;
	an_send_u32(NLT_CHILD_OUT(l), 2);
	an_recv_u32(NLT_CHILD_IN(l));
	return 0;
}

TEST_F(devices, imports_count_handles_bound_to_the_device)
{
	uint64_t imports0[3];
	char key[AN_KEY_BUF];
	struct nlt_link l;
	struct nlt_rec *d;
	uint32_t h;
	pid_t pid;
	int i;

	if (self->ndev < 3)
		SKIP(return, "needs 3 devices");
	ASSERT_EQ(0, an_create(self->fd, 0, 0, &h));
	ASSERT_EQ(0, an_export(self->fd, h, ASCEND_NOTIFY_EXPORT_NO_PID_CHECK,
			       key));
	for (i = 0; i < 3; i++) {
		d = dev_rec(&self->nl, &self->r, i);
		ASSERT_NE(NULL, d);
		imports0[i] = d->v[ASCEND_NOTIFY_A_DEV_IMPORTS];
	}
	ASSERT_EQ(0, nlt_link_open(&l));
	pid = an_fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(importer(&l, key));

	ASSERT_EQ(1, an_recv_u32(NLT_FROM_CHILD(&l)));
	/* Two handles bound to device 2; the notify's device 0 gains none. */
	EXPECT_EQ(imports0[2] + 2,
		  dev_attr(&self->nl, &self->r, 2,
			   ASCEND_NOTIFY_A_DEV_IMPORTS));
	EXPECT_EQ(imports0[0],
		  dev_attr(&self->nl, &self->r, 0,
			   ASCEND_NOTIFY_A_DEV_IMPORTS));
	EXPECT_EQ(imports0[1],
		  dev_attr(&self->nl, &self->r, 1,
			   ASCEND_NOTIFY_A_DEV_IMPORTS));

	an_send_u32(NLT_TO_CHILD(&l), 0);
	ASSERT_EQ(2, an_recv_u32(NLT_FROM_CHILD(&l)));
	EXPECT_EQ(imports0[2] + 1,
		  dev_attr(&self->nl, &self->r, 2,
			   ASCEND_NOTIFY_A_DEV_IMPORTS));

	an_send_u32(NLT_TO_CHILD(&l), 0);
	ASSERT_EQ(0, an_reap(pid));
	/* The importer's exit released its last handle. */
	EXPECT_EQ(imports0[2],
		  dev_attr(&self->nl, &self->r, 2,
			   ASCEND_NOTIFY_A_DEV_IMPORTS));
}

TEST_HARNESS_MAIN
