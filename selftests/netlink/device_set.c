// SPDX-License-Identifier: GPL-2.0
/*
 * DEVICE_SET: a new peer mask makes a symmetric topology that imports and
 * peer access obey; a link a live import crosses cannot be cut, and a
 * device with exports or imports cannot become virtual (EBUSY); a virtual
 * device refuses export and import. Every test puts the topology back.
 */
#include "nl_test.h"

#include "kselftest_harness.h"

FIXTURE(device_set) {
	struct nlt nl;
	struct nlt_reply r;
	struct nlt_topology topo;
	int fd;
	unsigned int ndev;
	uint64_t all;		/* every device */
};

FIXTURE_SETUP(device_set)
{
	unsigned int i;

	ASSERT_EQ(0, nlt_open(&self->nl));
	ASSERT_EQ(0, nlt_topology_save(&self->nl, &self->topo));
	self->ndev = self->topo.n;
	ASSERT_LE(6, self->ndev);
	/* The tests assume the default: all pairs, nothing virtual. */
	self->all = self->ndev == 64 ? ~0ull : (1ull << self->ndev) - 1;
	for (i = 0; i < self->ndev; i++) {
		ASSERT_EQ(self->all & ~(1ull << i), self->topo.peers[i]);
		ASSERT_EQ(0, self->topo.virt[i]);
	}
	self->fd = an_open();
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(device_set)
{
	struct nlt_topology now;

	if (self->fd >= 0)
		close(self->fd);
	EXPECT_EQ(0, nlt_topology_restore(&self->nl, &self->topo));
	EXPECT_EQ(0, nlt_topology_save(&self->nl, &now));
	EXPECT_EQ(0, memcmp(&now, &self->topo, sizeof(now)));
	nlt_reply_free(&self->r);
	nlt_close(&self->nl);
}

static uint64_t peers_of(struct nlt *nl, uint32_t dev)
{
	struct nlt_topology t;

	return nlt_topology_save(nl, &t) ? ~0ull : t.peers[dev];
}

static uint64_t ioctl_peers(int fd, uint32_t dev)
{
	struct ascend_notify_device_info info = { .dev = dev };

	return an_ioctl(fd, ASCEND_NOTIFY_IOC_DEVICE_INFO, &info) ? ~0ull :
	       info.peers;
}

TEST_F(device_set, peer_mask_is_applied_symmetrically)
{
	uint64_t mask = 1ull << 0 | 1ull << 3;
	unsigned int i;

	ASSERT_EQ(0, nlt_device_set(&self->nl, 2, &mask, -1, &self->r));
	EXPECT_EQ(mask, peers_of(&self->nl, 2));
	EXPECT_EQ(mask, ioctl_peers(self->fd, 2));
	for (i = 0; i < self->ndev; i++) {
		if (i == 2)
			continue;
		/* i sees 2 exactly when 2 sees i; other links untouched. */
		EXPECT_EQ(!!(mask & 1ull << i),
			  !!(peers_of(&self->nl, i) & 1ull << 2)) {
			TH_LOG("device %u", i);
		}
		EXPECT_EQ(self->all & ~(1ull << i) & ~(1ull << 2),
			  peers_of(&self->nl, i) & ~(1ull << 2));
	}

	/* Linking again restores the default. */
	mask = self->all & ~(1ull << 2);
	ASSERT_EQ(0, nlt_device_set(&self->nl, 2, &mask, -1, &self->r));
	for (i = 0; i < self->ndev; i++)
		EXPECT_EQ(self->all & ~(1ull << i), peers_of(&self->nl, i));
}

TEST_F(device_set, cut_link_refuses_peer_access_and_imports)
{
	uint64_t mask = self->all & ~(1ull << 3) & ~(1ull << 1);
	char key[AN_KEY_BUF];
	uint32_t h;

	ASSERT_EQ(0, an_create(self->fd, 1, 0, &h));
	ASSERT_EQ(0, an_export(self->fd, h, ASCEND_NOTIFY_EXPORT_NO_PID_CHECK,
			       key));
	ASSERT_EQ(0, nlt_device_set(&self->nl, 3, &mask, -1, &self->r));
	EXPECT_EQ(-EHOSTUNREACH, an_peer(self->fd, true, 3, 1));
	EXPECT_EQ(-EHOSTUNREACH, an_peer(self->fd, true, 1, 3));
	EXPECT_EQ(-EHOSTUNREACH,
		  an_import(self->fd, key, 3, ASCEND_NOTIFY_IMPORT_PEER_ACCESS,
			    NULL));
	/* Other links still work. */
	EXPECT_EQ(0, an_import(self->fd, key, 4,
			       ASCEND_NOTIFY_IMPORT_PEER_ACCESS, NULL));
	EXPECT_EQ(0, an_peer(self->fd, true, 3, 0));
}

/* Imports @key onto device @dev, reports, destroys it when told, exits. */
static int importer(struct nlt_link *l, const char *key, uint32_t dev)
{
	uint32_t h;
	int fd = an_open();

	if (fd < 0 ||
	    an_import(fd, key, dev, ASCEND_NOTIFY_IMPORT_PEER_ACCESS, &h))
		return 10;
	an_send_u32(NLT_CHILD_OUT(l), 1);
	an_recv_u32(NLT_CHILD_IN(l));
	if (an_destroy(fd, h))
		return 11;
	an_send_u32(NLT_CHILD_OUT(l), 2);
	an_recv_u32(NLT_CHILD_IN(l));
	return 0;
}

TEST_F(device_set, link_under_a_live_import_cannot_be_cut)
{
	uint64_t without0 = self->all & ~(1ull << 1) & ~(1ull << 0);
	uint64_t without1 = self->all & ~(1ull << 0) & ~(1ull << 1);
	uint64_t without2 = self->all & ~(1ull << 1) & ~(1ull << 2);
	char key[AN_KEY_BUF];
	struct nlt_link l;
	uint32_t h;
	pid_t pid;

	/* A notify on device 0, imported onto device 1 by a child. */
	ASSERT_EQ(0, an_create(self->fd, 0, 0, &h));
	ASSERT_EQ(0, an_export(self->fd, h, ASCEND_NOTIFY_EXPORT_NO_PID_CHECK,
			       key));
	ASSERT_EQ(0, nlt_link_open(&l));
	pid = an_fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(importer(&l, key, 1));
	ASSERT_EQ(1, an_recv_u32(NLT_FROM_CHILD(&l)));

	/* Cutting 1-0 from either end: busy, and nothing changes. */
	EXPECT_EQ(-EBUSY, nlt_device_set(&self->nl, 1, &without0, -1,
					 &self->r));
	EXPECT_STREQ("a live import or export depends on it", self->r.msg);
	EXPECT_EQ(-EBUSY, nlt_device_set(&self->nl, 0, &without1, -1,
					 &self->r));
	EXPECT_EQ(self->all & ~(1ull << 1), peers_of(&self->nl, 1));
	EXPECT_EQ(self->all & ~(1ull << 0), peers_of(&self->nl, 0));
	/* A link the import does not cross can go. */
	EXPECT_EQ(0, nlt_device_set(&self->nl, 1, &without2, -1, &self->r));
	EXPECT_EQ(without2, peers_of(&self->nl, 1));

	/* Once the import is gone, the link can be cut too. */
	an_send_u32(NLT_TO_CHILD(&l), 0);
	ASSERT_EQ(2, an_recv_u32(NLT_FROM_CHILD(&l)));
	without0 &= without2;
	EXPECT_EQ(0, nlt_device_set(&self->nl, 1, &without0, -1, &self->r));
	EXPECT_EQ(without0, peers_of(&self->nl, 1));
	EXPECT_EQ(0, peers_of(&self->nl, 0) & 1ull << 1);
	an_send_u32(NLT_TO_CHILD(&l), 0);
	EXPECT_EQ(0, an_reap(pid));
}

TEST_F(device_set, device_with_an_export_cannot_become_virtual)
{
	struct ascend_notify_device_info info = { .dev = 4 };
	uint32_t h;

	ASSERT_EQ(0, an_create(self->fd, 4, 0, &h));
	ASSERT_EQ(0, an_export(self->fd, h, 0, NULL));
	EXPECT_EQ(-EBUSY, nlt_device_set(&self->nl, 4, NULL, 1, &self->r));
	EXPECT_STREQ("a live import or export depends on it", self->r.msg);
	EXPECT_EQ(0, an_ioctl(self->fd, ASCEND_NOTIFY_IOC_DEVICE_INFO, &info));
	EXPECT_EQ(0, info.dev_flags & ASCEND_NOTIFY_DEV_VIRTUAL);

	/* Destroying the export frees the device. */
	ASSERT_EQ(0, an_destroy(self->fd, h));
	EXPECT_EQ(0, nlt_device_set(&self->nl, 4, NULL, 1, &self->r));
	EXPECT_EQ(0, an_ioctl(self->fd, ASCEND_NOTIFY_IOC_DEVICE_INFO, &info));
	EXPECT_EQ(ASCEND_NOTIFY_DEV_VIRTUAL,
		  info.dev_flags & ASCEND_NOTIFY_DEV_VIRTUAL);
}

TEST_F(device_set, device_with_an_import_bound_cannot_become_virtual)
{
	char key[AN_KEY_BUF];
	uint32_t h, imp;

	/* Notify on 0, imported onto 5 by ourselves. */
	ASSERT_EQ(0, an_create(self->fd, 0, 0, &h));
	ASSERT_EQ(0, an_export(self->fd, h, ASCEND_NOTIFY_EXPORT_NO_PID_CHECK,
			       key));
	ASSERT_EQ(0, an_import(self->fd, key, 5,
			       ASCEND_NOTIFY_IMPORT_PEER_ACCESS, &imp));
	EXPECT_EQ(-EBUSY, nlt_device_set(&self->nl, 5, NULL, 1, &self->r));
	ASSERT_EQ(0, an_destroy(self->fd, imp));
	EXPECT_EQ(0, nlt_device_set(&self->nl, 5, NULL, 1, &self->r));
}

TEST_F(device_set, virtual_device_refuses_export_and_import)
{
	struct nlt_topology now;
	char key[AN_KEY_BUF];
	uint32_t h, v;

	ASSERT_EQ(0, an_create(self->fd, 0, 0, &h));
	ASSERT_EQ(0, an_export(self->fd, h, ASCEND_NOTIFY_EXPORT_NO_PID_CHECK,
			       key));
	ASSERT_EQ(0, nlt_device_set(&self->nl, 5, NULL, 1, &self->r));
	ASSERT_EQ(0, nlt_topology_save(&self->nl, &now));
	EXPECT_EQ(1, now.virt[5]);
	EXPECT_EQ(0, now.virt[4]);

	/* Creating on it works; sharing to or from it does not. */
	ASSERT_EQ(0, an_create(self->fd, 5, 0, &v));
	EXPECT_EQ(-EOPNOTSUPP, an_export(self->fd, v, 0, NULL));
	EXPECT_EQ(-EOPNOTSUPP, an_import(self->fd, key, 5,
					 ASCEND_NOTIFY_IMPORT_PEER_ACCESS,
					 NULL));

	/* Back to a physical device: both work again. */
	ASSERT_EQ(0, nlt_device_set(&self->nl, 5, NULL, 0, &self->r));
	EXPECT_EQ(0, an_export(self->fd, v, 0, NULL));
	EXPECT_EQ(0, an_import(self->fd, key, 5,
			       ASCEND_NOTIFY_IMPORT_PEER_ACCESS, NULL));
}

TEST_F(device_set, peers_and_virtual_change_in_one_request)
{
	uint64_t mask = 1ull << 1;
	struct nlt_topology now;

	ASSERT_EQ(0, nlt_device_set(&self->nl, 0, &mask, 1, &self->r));
	ASSERT_EQ(0, nlt_topology_save(&self->nl, &now));
	EXPECT_EQ(mask, now.peers[0]);
	EXPECT_EQ(1, now.virt[0]);
	EXPECT_EQ(1ull << 0, now.peers[1] & 1ull << 0);
	EXPECT_EQ(0, now.peers[2] & 1ull << 0);
}

TEST_F(device_set, impossible_masks_and_devices_are_refused)
{
	uint64_t self_bit = 1ull << 2 | 1ull << 0;
	uint64_t beyond = 1ull << self->ndev;
	uint64_t fine = 1ull << 0;
	struct nl_msg *m;
	struct nlt_topology now;

	EXPECT_EQ(-EINVAL, nlt_device_set(&self->nl, 2, &self_bit, -1,
					  &self->r));
	EXPECT_STREQ("peer mask names the device itself or no device",
		     self->r.msg);
	if (self->ndev < 64) {
		EXPECT_EQ(-EINVAL, nlt_device_set(&self->nl, 2, &beyond, -1,
						  &self->r));
	}
	if (self->ndev < ASCEND_NOTIFY_MAX_DEVICES) {
		EXPECT_EQ(-ENODEV, nlt_device_set(&self->nl, self->ndev, &fine,
						  -1, &self->r));
		EXPECT_STREQ("no such device", self->r.msg);
	}
	/* A valid change beside an unknown attribute: all refused. */
	m = nlt_msg(&self->nl, ASCEND_NOTIFY_CMD_DEVICE_SET, NLM_F_ACK);
	ASSERT_NE(NULL, m);
	nla_put_u32(m, ASCEND_NOTIFY_A_DEV, 2);
	nla_put_u64(m, ASCEND_NOTIFY_A_DEV_PEERS, fine);
	nla_put_u32(m, ASCEND_NOTIFY_A_MAX + 1, 0);
	EXPECT_EQ(-EINVAL, nlt_request(&self->nl, m, &self->r));

	ASSERT_EQ(0, nlt_topology_save(&self->nl, &now));
	EXPECT_EQ(0, memcmp(&now, &self->topo, sizeof(now)));
}

TEST_HARNESS_MAIN
