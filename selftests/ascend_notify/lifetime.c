// SPDX-License-Identifier: GPL-2.0
/*
 * Lifetimes: every handle belongs to one context of one process; a notify
 * lives until its last handle anywhere is gone; processes that exit or are
 * killed in any state leave nothing behind; the per-device limit counts
 * live notifies and frees up again.
 */
#include "an_test.h"
#include "kselftest_harness.h"

FIXTURE(life) {
	int fd;
};

FIXTURE_SETUP(life)
{
	self->fd = an_open();
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(life)
{
	if (self->fd >= 0)
		close(self->fd);
	EXPECT_EQ(0, an_live_objects());
}

TEST_F(life, handles_start_at_one_and_are_per_context)
{
	uint32_t h;
	int fd2;

	ASSERT_EQ(0, an_create(self->fd, 0, 0, &h));
	EXPECT_NE(0, h);
	fd2 = an_open();
	ASSERT_LE(0, fd2);
	/* The same number means nothing in another context. */
	EXPECT_EQ(-ENOENT, an_record(fd2, h));
	EXPECT_EQ(-ENOENT, an_destroy(fd2, h));
	EXPECT_EQ(0, an_record(self->fd, h));
	close(fd2);
}

TEST_F(life, destroyed_handle_is_invalid_everywhere)
{
	struct ascend_notify_info info;
	char key[AN_KEY_BUF];
	int32_t me = getpid();
	uint32_t h;

	ASSERT_EQ(0, an_create(self->fd, 0, 0, &h));
	ASSERT_EQ(0, an_destroy(self->fd, h));
	EXPECT_EQ(-ENOENT, an_destroy(self->fd, h));
	EXPECT_EQ(-ENOENT, an_record(self->fd, h));
	EXPECT_EQ(-ENOENT, an_wait(self->fd, h, 0));
	EXPECT_EQ(-ENOENT, an_batch_reset(self->fd, &h, 1));
	EXPECT_EQ(-ENOENT, an_info(self->fd, h, &info));
	EXPECT_EQ(-ENOENT, an_export(self->fd, h, 0, key));
	EXPECT_EQ(-ENOENT, an_set_pids(self->fd, h, &me, 1));
}

TEST_F(life, importer_keeps_working_handle_after_creator_destroy)
{
	char key[AN_KEY_BUF];
	uint32_t h, imp;
	int fd2;

	ASSERT_EQ(0, an_create(self->fd, 2, 0, &h));
	ASSERT_EQ(0, an_export(self->fd, h, ASCEND_NOTIFY_EXPORT_NO_PID_CHECK,
			       key));
	fd2 = an_open();
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, an_import(fd2, key, 2, 0, &imp));
	ASSERT_EQ(0, an_destroy(self->fd, h));

	EXPECT_EQ(0, an_record(fd2, imp));
	EXPECT_EQ(0, an_wait(fd2, imp, 0));
	EXPECT_EQ(-ETIMEDOUT, an_wait(fd2, imp, 0));
	EXPECT_EQ(0, an_destroy(fd2, imp));
	close(fd2);
}

TEST_F(life, notify_id_lives_until_last_handle)
{
	struct ascend_notify_create c = { .dev = 4 };
	struct ascend_notify_info info;
	char key[AN_KEY_BUF];
	uint32_t h, imp, id;
	int fd2;

	ASSERT_EQ(0, an_ioctl(self->fd, ASCEND_NOTIFY_IOC_CREATE, &c));
	h = c.handle;
	id = c.id;
	ASSERT_EQ(0, an_info(self->fd, h, &info));
	EXPECT_EQ(id, info.id);
	EXPECT_EQ(4, info.dev);
	ASSERT_EQ(0, an_export(self->fd, h, ASCEND_NOTIFY_EXPORT_NO_PID_CHECK,
			       key));
	fd2 = an_open();
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, an_import(fd2, key, 4, 0, &imp));
	ASSERT_EQ(0, an_info(fd2, imp, &info));
	EXPECT_EQ(id, info.id);
	ASSERT_EQ(0, an_destroy(self->fd, h));

	/* The id stays taken while the importer holds the notify. */
	memset(&c, 0, sizeof(c));
	c.dev = 4;
	ASSERT_EQ(0, an_ioctl(self->fd, ASCEND_NOTIFY_IOC_CREATE, &c));
	EXPECT_NE(id, c.id);
	ASSERT_EQ(0, an_destroy(fd2, imp));
	ASSERT_EQ(0, an_destroy(self->fd, c.handle));
	/* Now it is free again (ids are reused lowest first). */
	memset(&c, 0, sizeof(c));
	c.dev = 4;
	ASSERT_EQ(0, an_ioctl(self->fd, ASCEND_NOTIFY_IOC_CREATE, &c));
	EXPECT_EQ(id, c.id);
	close(fd2);
}

TEST_F(life, device_limit_is_reached_then_released)
{
	struct ascend_notify_device_info di = { .dev = 1 };
	uint32_t *hs, extra, i, max;

	ASSERT_EQ(0, an_ioctl(self->fd, ASCEND_NOTIFY_IOC_DEVICE_INFO, &di));
	max = di.max_notifies;
	hs = calloc(max, sizeof(*hs));
	ASSERT_NE(NULL, hs);
	for (i = 0; i < max; i++)
		ASSERT_EQ(0, an_create(self->fd, 1, 0, &hs[i]));
	EXPECT_EQ(-ENOSPC, an_create(self->fd, 1, 0, &extra));
	ASSERT_EQ(0, an_ioctl(self->fd, ASCEND_NOTIFY_IOC_DEVICE_INFO, &di));
	EXPECT_EQ(max, di.live_notifies);
	/* Other devices have their own limit. */
	ASSERT_EQ(0, an_create(self->fd, 2, 0, &extra));
	ASSERT_EQ(0, an_destroy(self->fd, extra));
	/* One released, one available. */
	ASSERT_EQ(0, an_destroy(self->fd, hs[max / 2]));
	ASSERT_EQ(0, an_create(self->fd, 1, 0, &hs[max / 2]));
	EXPECT_EQ(-ENOSPC, an_create(self->fd, 1, 0, &extra));
	/* Closing the context releases them all. */
	close(self->fd);
	self->fd = an_open();
	ASSERT_LE(0, self->fd);
	di.live_notifies = 0;
	ASSERT_EQ(0, an_ioctl(self->fd, ASCEND_NOTIFY_IOC_DEVICE_INFO, &di));
	EXPECT_EQ(0, di.live_notifies);
	ASSERT_EQ(0, an_create(self->fd, 1, 0, &extra));
	free(hs);
}

/*
 * The creator is killed while it sleeps in a wait on a notify that another
 * process imported: the importer's handle keeps working, and once it is
 * gone nothing is left.
 */
TEST_F(life, creator_killed_mid_wait_leaves_nothing)
{
	char key[AN_KEY_BUF];
	uint32_t imp;
	int p[2];
	pid_t a;

	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	a = an_fork();
	ASSERT_LE(0, a);
	if (a == 0) {
		int fd = an_open();
		uint32_t h;

		if (fd < 0 || an_create(fd, 0, 0, &h) ||
		    an_export(fd, h, ASCEND_NOTIFY_EXPORT_NO_PID_CHECK, key) ||
		    !an_send(p[1], key, ASCEND_NOTIFY_KEY_LEN))
			_exit(1);
		an_wait(fd, h, ASCEND_NOTIFY_FOREVER);
		_exit(2);
	}
	close(p[1]);
	ASSERT_TRUE(an_recv(p[0], key, ASCEND_NOTIFY_KEY_LEN));
	ASSERT_EQ(0, an_import(self->fd, key, 0, 0, &imp));
	ASSERT_TRUE(an_waiting(a));
	ASSERT_EQ(0, kill(a, SIGKILL));
	ASSERT_EQ(128 + SIGKILL, an_reap(a));

	EXPECT_EQ(0, an_record(self->fd, imp));
	EXPECT_EQ(-ENOKEY, an_import(self->fd, key, 0, 0, NULL));
	close(p[0]);
}

/* An importer is killed while it records in a loop. */
TEST_F(life, importer_killed_mid_record_leaves_nothing)
{
	char key[AN_KEY_BUF];
	uint32_t h;
	int p[2];
	pid_t b;

	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	ASSERT_EQ(0, an_create(self->fd, 0, 0, &h));
	ASSERT_EQ(0, an_export(self->fd, h, ASCEND_NOTIFY_EXPORT_NO_PID_CHECK,
			       key));
	b = an_fork();
	ASSERT_LE(0, b);
	if (b == 0) {
		int fd = an_open();
		uint32_t imp;

		if (fd < 0 || an_import(fd, key, 1,
					ASCEND_NOTIFY_IMPORT_PEER_ACCESS, &imp))
			_exit(1);
		an_send_u32(p[1], imp);
		for (;;)
			if (an_record(fd, imp))
				_exit(2);
	}
	close(p[1]);
	ASSERT_NE(UINT32_MAX, an_recv_u32(p[0]));
	/* It is recording: consume a few of its records first. */
	EXPECT_EQ(0, an_wait(self->fd, h, ASCEND_NOTIFY_FOREVER));
	EXPECT_EQ(0, an_wait(self->fd, h, ASCEND_NOTIFY_FOREVER));
	ASSERT_EQ(0, kill(b, SIGKILL));
	ASSERT_EQ(128 + SIGKILL, an_reap(b));
	close(p[0]);
}

/*
 * A forked child inherits the descriptor but not the context: every ioctl
 * on it is refused, and the parent's objects die with the parent even
 * while the child keeps the file open.
 */
TEST_F(life, forked_child_cannot_use_inherited_context)
{
	struct ascend_notify_version v = { 0 };
	struct an_stats st;
	int fd, go[2], done[2], r = -1;
	pid_t parent, child;
	uint32_t h;
	char c;

	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(done));
	parent = an_fork();
	ASSERT_LE(0, parent);
	if (parent == 0) {
		/* An inheritable descriptor, unlike an_open()'s. */
		fd = open(ASCEND_NOTIFY_DEVICE_PATH, O_RDWR);
		if (fd < 0 || an_create(fd, 0, 0, &h) ||
		    an_export(fd, h, ASCEND_NOTIFY_EXPORT_NO_PID_CHECK, NULL))
			_exit(1);
		child = fork();
		if (child == 0) {
			int r = 0;

			close(go[1]);

			if (an_ioctl(fd, ASCEND_NOTIFY_IOC_VERSION, &v) !=
			    -EBADFD)
				r |= 1;
			if (an_record(fd, h) != -EBADFD)
				r |= 2;
			if (an_destroy(fd, h) != -EBADFD)
				r |= 4;
			if (an_create(fd, 0, 0, NULL) != -EBADFD)
				r |= 8;
			/* Report, then hold the file until told. */
			an_send(done[1], &r, sizeof(r));
			_exit(read(go[0], &c, 1) == 0 ? 0 : 1);
		}
		/* Still usable here. */
		_exit(an_record(fd, h) ? 3 : 0);
	}
	close(done[1]);
	close(go[0]);
	ASSERT_TRUE(an_recv(done[0], &r, sizeof(r)));
	EXPECT_EQ(0, r);
	close(done[0]);
	EXPECT_EQ(0, an_reap(parent));
	/*
	 * The parent is gone and its child still holds the file: the
	 * context exists, with nothing in it.
	 */
	ASSERT_EQ(0, an_stats(&st));
	EXPECT_EQ(0, st.objects);
	EXPECT_EQ(0, st.handles);
	EXPECT_EQ(0, st.keys);
	EXPECT_EQ(2, st.contexts);
	close(go[1]);
	/* Teardown checks that the context went with the child. */
	while (an_stats(&st) == 0 && st.contexts > 1)
		sched_yield();
}

TEST_F(life, many_processes_create_and_exit)
{
	enum { N = 16, PER = 200 };
	pid_t kids[N];
	int i;

	for (i = 0; i < N; i++) {
		kids[i] = an_fork();
		ASSERT_LE(0, kids[i]);
		if (kids[i] == 0) {
			int fd = an_open(), j;
			char key[AN_KEY_BUF];
			uint32_t h;

			if (fd < 0)
				_exit(1);
			for (j = 0; j < PER; j++) {
				if (an_create(fd, (i + j) % 8, 0, &h) ||
				    an_export(fd, h, 0, key) ||
				    an_record(fd, h) || an_wait(fd, h, 0))
					_exit(2);
				/* Leave every other one for exit to clean. */
				if (j % 2 && an_destroy(fd, h))
					_exit(3);
			}
			_exit(0);
		}
	}
	for (i = 0; i < N; i++)
		EXPECT_EQ(0, an_reap(kids[i]));
}

TEST_HARNESS_MAIN
