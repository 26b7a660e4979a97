// SPDX-License-Identifier: GPL-2.0
/*
 * Devices, peer access and the topology: an import onto another device
 * needs peer access towards the notify's device; devices the topology does
 * not connect never share; virtual instances neither export nor import;
 * only the notify's own device waits.
 */
#include "an_test.h"
#include "kselftest_harness.h"

static int device_info(int fd, uint32_t dev,
		       struct ascend_notify_device_info *di)
{
	memset(di, 0, sizeof(*di));
	di->dev = dev;
	return an_ioctl(fd, ASCEND_NOTIFY_IOC_DEVICE_INFO, di);
}

/* Default topology: eight devices, all connected. */
FIXTURE(peer) {
	int fd;		/* the creator's context */
	int imp_fd;	/* the importer's context */
	uint32_t h;
	char key[AN_KEY_BUF];
};

FIXTURE_SETUP(peer)
{
	struct ascend_notify_version v = { 0 };

	self->fd = an_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, an_ioctl(self->fd, ASCEND_NOTIFY_IOC_VERSION, &v));
	ASSERT_EQ(8, v.num_devices);
	self->imp_fd = an_open();
	ASSERT_LE(0, self->imp_fd);
	ASSERT_EQ(0, an_create(self->fd, 0, 0, &self->h));
	ASSERT_EQ(0, an_export(self->fd, self->h,
			       ASCEND_NOTIFY_EXPORT_NO_PID_CHECK, self->key));
}

FIXTURE_TEARDOWN(peer)
{
	close(self->imp_fd);
	close(self->fd);
	EXPECT_EQ(0, an_live_objects());
}

TEST_F(peer, all_devices_are_peers_by_default)
{
	struct ascend_notify_device_info di;
	uint32_t d;

	for (d = 0; d < 8; d++) {
		ASSERT_EQ(0, device_info(self->fd, d, &di));
		EXPECT_EQ(0xffull & ~(1ull << d), di.peers);
		EXPECT_EQ(0, di.dev_flags);
		EXPECT_EQ(d, di.sdid);
		EXPECT_EQ(8192, di.max_notifies);
	}
}

TEST_F(peer, same_device_import_needs_no_peer_access)
{
	EXPECT_EQ(0, an_import(self->imp_fd, self->key, 0, 0, NULL));
}

TEST_F(peer, other_device_import_needs_peer_access)
{
	EXPECT_EQ(-EXDEV, an_import(self->imp_fd, self->key, 1, 0, NULL));
}

TEST_F(peer, import_flag_grants_peer_access_for_that_import)
{
	EXPECT_EQ(0, an_import(self->imp_fd, self->key, 1,
			       ASCEND_NOTIFY_IMPORT_PEER_ACCESS, NULL));
	/* It did not enable peer access for later imports. */
	EXPECT_EQ(-EXDEV, an_import(self->imp_fd, self->key, 1, 0, NULL));
}

TEST_F(peer, enabled_peer_access_allows_import)
{
	struct ascend_notify_device_info di;

	ASSERT_EQ(0, an_peer(self->imp_fd, true, 1, 0));
	ASSERT_EQ(0, device_info(self->imp_fd, 1, &di));
	EXPECT_EQ(1ull << 0, di.peers_enabled);
	EXPECT_EQ(0, an_import(self->imp_fd, self->key, 1, 0, NULL));
	/* Enabling twice is harmless. */
	EXPECT_EQ(0, an_peer(self->imp_fd, true, 1, 0));
}

TEST_F(peer, peer_access_is_one_directional)
{
	/* 0 -> 1 does not let device 1 reach device 0. */
	ASSERT_EQ(0, an_peer(self->imp_fd, true, 0, 1));
	EXPECT_EQ(-EXDEV, an_import(self->imp_fd, self->key, 1, 0, NULL));
}

TEST_F(peer, peer_access_belongs_to_the_context)
{
	/* The creator's context enabling it does not help the importer. */
	ASSERT_EQ(0, an_peer(self->fd, true, 1, 0));
	EXPECT_EQ(-EXDEV, an_import(self->imp_fd, self->key, 1, 0, NULL));
}

TEST_F(peer, disabled_peer_access_refuses_import)
{
	struct ascend_notify_device_info di;

	ASSERT_EQ(0, an_peer(self->imp_fd, true, 1, 0));
	ASSERT_EQ(0, an_peer(self->imp_fd, false, 1, 0));
	ASSERT_EQ(0, device_info(self->imp_fd, 1, &di));
	EXPECT_EQ(0, di.peers_enabled);
	EXPECT_EQ(-EXDEV, an_import(self->imp_fd, self->key, 1, 0, NULL));
	/* Disabling what is disabled is harmless. */
	EXPECT_EQ(0, an_peer(self->imp_fd, false, 1, 0));
}

TEST_F(peer, peer_access_with_itself_is_invalid)
{
	EXPECT_EQ(-EINVAL, an_peer(self->imp_fd, true, 2, 2));
	EXPECT_EQ(-EINVAL, an_peer(self->imp_fd, false, 2, 2));
}

TEST_F(peer, peer_access_out_of_range_device)
{
	EXPECT_EQ(-ENODEV, an_peer(self->imp_fd, true, 8, 0));
	EXPECT_EQ(-ENODEV, an_peer(self->imp_fd, true, 0, 8));
	EXPECT_EQ(-ENODEV, an_peer(self->imp_fd, false, UINT32_MAX, 0));
}

TEST_F(peer, only_the_notify_device_waits)
{
	uint32_t far, near;

	ASSERT_EQ(0, an_import(self->imp_fd, self->key, 1,
			       ASCEND_NOTIFY_IMPORT_PEER_ACCESS, &far));
	ASSERT_EQ(0, an_import(self->imp_fd, self->key, 0, 0, &near));
	/* The importer on device 1 records; it cannot wait. */
	ASSERT_EQ(0, an_record(self->imp_fd, far));
	EXPECT_EQ(-EXDEV, an_wait(self->imp_fd, far, 0));
	EXPECT_EQ(1, an_is_set(self->fd, self->h));
	/* An importer on the notify's own device may wait. */
	EXPECT_EQ(0, an_wait(self->imp_fd, near, 0));
}

TEST_F(peer, info_reports_both_devices)
{
	struct ascend_notify_info info;
	uint32_t far;

	ASSERT_EQ(0, an_import(self->imp_fd, self->key, 5,
			       ASCEND_NOTIFY_IMPORT_PEER_ACCESS, &far));
	ASSERT_EQ(0, an_info(self->imp_fd, far, &info));
	EXPECT_EQ(0, info.dev);
	EXPECT_EQ(5, info.handle_dev);
	EXPECT_TRUE(info.info_flags & ASCEND_NOTIFY_INFO_IMPORTED);
	EXPECT_TRUE(info.info_flags & ASCEND_NOTIFY_INFO_EXPORTED);
	EXPECT_TRUE(info.info_flags & ASCEND_NOTIFY_INFO_NO_PID_CHECK);
}

/*
 * Two islands (0-3, 4-7), device 7 a virtual instance, SDIDs from 100: a
 * configuration given as module parameters, so the module is reloaded.
 */
FIXTURE(islands) {
	int fd;
	int imp_fd;
};

FIXTURE_SETUP(islands)
{
	ASSERT_EQ(0, an_module_reload("island=0,0,0,0,1,1,1,1 "
				      "virtual_mask=0x80 sdid_base=100"));
	self->fd = an_open();
	ASSERT_LE(0, self->fd);
	self->imp_fd = an_open();
	ASSERT_LE(0, self->imp_fd);
}

FIXTURE_TEARDOWN(islands)
{
	close(self->imp_fd);
	close(self->fd);
	EXPECT_EQ(0, an_live_objects());
	EXPECT_EQ(0, an_module_restore());
}

TEST_F(islands, topology_follows_islands)
{
	struct ascend_notify_device_info di;

	ASSERT_EQ(0, device_info(self->fd, 1, &di));
	EXPECT_EQ(0x0dull, di.peers);
	EXPECT_EQ(101, di.sdid);
	ASSERT_EQ(0, device_info(self->fd, 6, &di));
	EXPECT_EQ(0xb0ull, di.peers);
	ASSERT_EQ(0, device_info(self->fd, 7, &di));
	EXPECT_EQ(ASCEND_NOTIFY_DEV_VIRTUAL, di.dev_flags);
}

TEST_F(islands, unconnected_pair_never_imports)
{
	char key[AN_KEY_BUF];
	uint32_t h;

	ASSERT_EQ(0, an_create(self->fd, 0, 0, &h));
	ASSERT_EQ(0, an_export(self->fd, h, ASCEND_NOTIFY_EXPORT_NO_PID_CHECK,
			       key));
	EXPECT_EQ(-EHOSTUNREACH, an_peer(self->imp_fd, true, 4, 0));
	EXPECT_EQ(-EHOSTUNREACH, an_import(self->imp_fd, key, 4,
					   ASCEND_NOTIFY_IMPORT_PEER_ACCESS,
					   NULL));
	/* Within the island it works. */
	EXPECT_EQ(0, an_import(self->imp_fd, key, 3,
			       ASCEND_NOTIFY_IMPORT_PEER_ACCESS, NULL));
}

TEST_F(islands, virtual_instance_refuses_sharing)
{
	char key[AN_KEY_BUF];
	uint32_t v, h;
	int32_t me = getpid();

	/* A notify on the vNPU works locally... */
	ASSERT_EQ(0, an_create(self->fd, 7, 0, &v));
	ASSERT_EQ(0, an_record(self->fd, v));
	EXPECT_EQ(0, an_wait(self->fd, v, 0));
	/* ...but is never shared, nor batch-reset. */
	EXPECT_EQ(-EOPNOTSUPP, an_export(self->fd, v, 0, key));
	EXPECT_EQ(-EOPNOTSUPP, an_set_pids(self->fd, v, &me, 1));
	EXPECT_EQ(-EOPNOTSUPP, an_batch_reset(self->fd, &v, 1));

	/* Importing onto the vNPU is refused too. */
	ASSERT_EQ(0, an_create(self->fd, 6, 0, &h));
	ASSERT_EQ(0, an_export(self->fd, h, ASCEND_NOTIFY_EXPORT_NO_PID_CHECK,
			       key));
	EXPECT_EQ(-EOPNOTSUPP, an_import(self->imp_fd, key, 7,
					 ASCEND_NOTIFY_IMPORT_PEER_ACCESS,
					 NULL));
}

TEST_F(islands, bad_module_parameters_are_refused)
{
	static const char *const bad[] = {
		"num_devices=0",
		"num_devices=65",
		"max_notifies=0",
		"max_notifies=65537",
		"virtual_mask=0x100",
		"num_devices=4 virtual_mask=0x10",
		"island=0,0,1",
		"sdid_base=4294967295",
	};
	unsigned int i;

	close(self->imp_fd);
	close(self->fd);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_EQ(-EINVAL, an_module_reload(bad[i]))
			TH_LOG("parameters \"%s\"", bad[i]);
	ASSERT_EQ(0, an_module_reload("num_devices=2 max_notifies=4"));
	self->fd = an_open();
	self->imp_fd = an_open();
	ASSERT_LE(0, self->fd);
	ASSERT_LE(0, self->imp_fd);
	EXPECT_EQ(-ENODEV, an_create(self->fd, 2, 0, NULL));
}

TEST_HARNESS_MAIN
