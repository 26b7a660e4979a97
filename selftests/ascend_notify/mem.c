// SPDX-License-Identifier: GPL-2.0
/*
 * Device memory: MEM_ALLOC, MEM_INFO, DEVICE_MEM, mmap() of the device
 * file at a handle's offset, and sharing it between processes with the
 * same export, trustlist, import and unexport as notifies.
 */
#include <sys/socket.h>

#include "an_test.h"
#include "kselftest_harness.h"

static long page;

static void *map(int fd, const struct ascend_notify_mem *m, size_t len)
{
	return mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		    m->mmap_offset);
}

/* -errno of a mapping that must fail, 0 if it did not. */
static int map_err(int fd, size_t len, int flags, off_t off)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, fd, off);

	if (p != MAP_FAILED) {
		munmap(p, len);
		return 0;
	}
	return -errno;
}

/* ---- a child that imports and maps on command ------------------------------ */

/*
 * Over a socketpair: the child sends its bare TGID; then takes a key (64
 * bytes) and a device (u32), imports it as MEM with PEER_ACCESS and maps
 * it, answering the result (0 or -errno); then serves commands: 'r' sends
 * the u32 at offset 0, 'w' takes a u32 and stores it there (answers 0),
 * 'q' exits.
 */
static int child_loop(int sock)
{
	char key[ASCEND_NOTIFY_KEY_LEN];
	struct ascend_notify_mem m;
	volatile uint32_t *mem = NULL;
	uint32_t h, dev, v;
	char cmd;
	int fd, ret;

	fd = an_open();
	if (fd < 0)
		return 10;
	if (!an_send_u32(sock, an_bare_tgid(fd)))
		return 11;
	/* A test that needs no import just closes the socket. */
	if (!an_recv(sock, key, sizeof(key)) || !an_recv(sock, &dev, 4))
		return 0;
	ret = an_import_kind(fd, key, dev, ASCEND_NOTIFY_IMPORT_PEER_ACCESS,
			     ASCEND_NOTIFY_KIND_MEM, &h);
	if (!ret)
		ret = an_mem_info(fd, h, &m);
	if (!ret) {
		mem = map(fd, &m, m.size);
		if (mem == MAP_FAILED)
			ret = -errno;
	}
	if (!an_send_u32(sock, ret) || ret)
		return 0;
	while (an_recv(sock, &cmd, 1)) {
		switch (cmd) {
		case 'r':
			an_send_u32(sock, mem[0]);
			break;
		case 'w':
			if (!an_recv(sock, &v, 4))
				return 13;
			mem[0] = v;
			an_send_u32(sock, 0);
			break;
		default:
			return 0;
		}
	}
	return 0;
}

struct child {
	pid_t pid;
	int sock;
	int32_t bare;
};

static bool child_start(struct child *c)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return false;
	c->pid = an_fork();
	if (c->pid < 0)
		return false;
	if (c->pid == 0) {
		close(sv[0]);
		_exit(child_loop(sv[1]));
	}
	close(sv[1]);
	c->sock = sv[0];
	c->bare = an_recv_u32(c->sock);
	return c->bare > 0;
}

/* The child's import and mapping of @key on @dev: 0 or -errno. */
static int child_import(struct child *c, const char *key, uint32_t dev)
{
	if (!an_send(c->sock, key, ASCEND_NOTIFY_KEY_LEN) ||
	    !an_send_u32(c->sock, dev))
		return -EPIPE;
	return (int32_t)an_recv_u32(c->sock);
}

static uint32_t child_read(struct child *c)
{
	return an_send(c->sock, "r", 1) ? an_recv_u32(c->sock) : UINT32_MAX;
}

static bool child_write(struct child *c, uint32_t v)
{
	return an_send(c->sock, "w", 1) && an_send_u32(c->sock, v) &&
	       an_recv_u32(c->sock) == 0;
}

static int child_stop(struct child *c)
{
	/* The child may be gone already: no SIGPIPE. */
	send(c->sock, "q", 1, MSG_NOSIGNAL);
	close(c->sock);
	return an_reap(c->pid);
}

/* ---- alone ------------------------------------------------------------------- */

FIXTURE(mem) {
	int fd;
};

FIXTURE_SETUP(mem)
{
	page = sysconf(_SC_PAGESIZE);
	self->fd = an_open();
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(mem)
{
	int fd;

	close(self->fd);
	EXPECT_EQ(0, an_live_objects());
	fd = an_open();
	EXPECT_EQ(0, an_mem_used(fd, 0));
	EXPECT_EQ(0, an_mem_used(fd, 1));
	close(fd);
}

TEST_F(mem, alloc_map_write_read)
{
	struct ascend_notify_mem m, info;
	struct ascend_notify_info ni;
	uint8_t *p;
	size_t i;

	ASSERT_EQ(0, an_mem_alloc(self->fd, 1, 3 * page + 1, &m));
	EXPECT_EQ(4 * page, m.size);
	EXPECT_NE(0, m.handle);
	EXPECT_EQ((uint64_t)m.handle * page, m.mmap_offset);
	ASSERT_EQ(0, an_mem_info(self->fd, m.handle, &info));
	EXPECT_EQ(1, info.dev);
	EXPECT_EQ(m.size, info.size);
	EXPECT_EQ(m.mmap_offset, info.mmap_offset);
	ASSERT_EQ(0, an_info(self->fd, m.handle, &ni));
	EXPECT_TRUE(ni.info_flags & ASCEND_NOTIFY_INFO_MEM);
	EXPECT_EQ(1, ni.dev);

	p = map(self->fd, &m, m.size);
	ASSERT_NE(MAP_FAILED, p);
	/* Fresh memory reads as zeroes. */
	for (i = 0; i < m.size; i++)
		ASSERT_EQ(0, p[i]);
	for (i = 0; i < m.size; i++)
		p[i] = i * 7;
	/* A second mapping of the same memory sees the same bytes. */
	{
		uint8_t *q = map(self->fd, &m, page);

		ASSERT_NE(MAP_FAILED, q);
		for (i = 0; i < (size_t)page; i++)
			ASSERT_EQ((uint8_t)(i * 7), q[i]);
		q[1] = 0xaa;
		EXPECT_EQ(0xaa, p[1]);
		munmap(q, page);
	}
	EXPECT_EQ(0, munmap(p, m.size));
	EXPECT_EQ(0, an_destroy(self->fd, m.handle));
}

TEST_F(mem, sizes_and_budget)
{
	struct ascend_notify_device_mem dm = { .dev = 0 };
	struct ascend_notify_mem m, big;

	ASSERT_EQ(0, an_ioctl(self->fd, ASCEND_NOTIFY_IOC_DEVICE_MEM, &dm));
	EXPECT_EQ(1024ull << 20, dm.total);
	EXPECT_EQ(0, dm.used);

	EXPECT_EQ(-EINVAL, an_mem_alloc(self->fd, 0, 0, &m));
	ASSERT_EQ(0, an_mem_alloc(self->fd, 0, 1, &m));
	EXPECT_EQ(page, m.size);
	EXPECT_EQ(page, an_mem_used(self->fd, 0));

	/* Over the budget, however large, even when rounding would wrap. */
	EXPECT_EQ(-ENOMEM, an_mem_alloc(self->fd, 0, dm.total, &big));
	EXPECT_EQ(-ENOMEM, an_mem_alloc(self->fd, 0, dm.total + 1, &big));
	EXPECT_EQ(-ENOMEM, an_mem_alloc(self->fd, 0, UINT64_MAX, &big));
	EXPECT_EQ(-ENOMEM, an_mem_alloc(self->fd, 0, UINT64_MAX - 1, &big));
	/* The rest fits exactly: memory is virtual until touched. */
	ASSERT_EQ(0, an_mem_alloc(self->fd, 0, dm.total - page, &big));
	EXPECT_EQ(dm.total, an_mem_used(self->fd, 0));
	EXPECT_EQ(-ENOMEM, an_mem_alloc(self->fd, 0, 1, &m));
	/* Other devices have their own budget. */
	EXPECT_EQ(0, an_mem_used(self->fd, 1));
	/* Destroying credits it back. */
	ASSERT_EQ(0, an_destroy(self->fd, big.handle));
	EXPECT_EQ(page, an_mem_used(self->fd, 0));
	ASSERT_EQ(0, an_mem_alloc(self->fd, 0, dm.total - page, &big));
	ASSERT_EQ(0, an_destroy(self->fd, big.handle));
}

TEST_F(mem, device_mem_accounting)
{
	struct ascend_notify_mem a, b, c, d;
	struct ascend_notify_device_mem dm = { .dev = 8 };

	ASSERT_EQ(0, an_mem_alloc(self->fd, 0, 10 * page, &a));
	ASSERT_EQ(0, an_mem_alloc(self->fd, 0, 5 * page - 1, &b));
	ASSERT_EQ(0, an_mem_alloc(self->fd, 1, page + 1, &c));
	EXPECT_EQ(15 * page, an_mem_used(self->fd, 0));
	EXPECT_EQ(2 * page, an_mem_used(self->fd, 1));
	EXPECT_EQ(-ENODEV, an_ioctl(self->fd, ASCEND_NOTIFY_IOC_DEVICE_MEM,
				    &dm));
	EXPECT_EQ(-ENODEV, an_mem_alloc(self->fd, 8, page, &d));
	ASSERT_EQ(0, an_destroy(self->fd, a.handle));
	EXPECT_EQ(5 * page, an_mem_used(self->fd, 0));
	/* The context's end frees the rest. */
}

/* mmap refusals, one per test, each next to a mapping that works. */
TEST_F(mem, mmap_private_is_einval)
{
	struct ascend_notify_mem m;

	ASSERT_EQ(0, an_mem_alloc(self->fd, 0, 2 * page, &m));
	EXPECT_EQ(-EINVAL, map_err(self->fd, page, MAP_PRIVATE,
				   m.mmap_offset));
	EXPECT_EQ(0, map_err(self->fd, page, MAP_SHARED, m.mmap_offset));
}

TEST_F(mem, mmap_longer_than_the_object_is_einval)
{
	struct ascend_notify_mem m;

	ASSERT_EQ(0, an_mem_alloc(self->fd, 0, 2 * page, &m));
	EXPECT_EQ(-EINVAL, map_err(self->fd, 3 * page, MAP_SHARED,
				   m.mmap_offset));
	/* Shorter than the object is fine. */
	EXPECT_EQ(0, map_err(self->fd, page, MAP_SHARED, m.mmap_offset));
}

/* An offset inside the object is no handle's offset. */
TEST_F(mem, mmap_offset_inside_the_object_is_einval)
{
	struct ascend_notify_mem m;

	ASSERT_EQ(0, an_mem_alloc(self->fd, 0, 2 * page, &m));
	EXPECT_EQ(-EINVAL, map_err(self->fd, page, MAP_SHARED,
				   m.mmap_offset + page));
}

TEST_F(mem, mmap_offset_of_no_handle_is_einval)
{
	struct ascend_notify_mem m;

	ASSERT_EQ(0, an_mem_alloc(self->fd, 0, 2 * page, &m));
	EXPECT_EQ(-EINVAL, map_err(self->fd, page, MAP_SHARED, 0));
	EXPECT_EQ(-EINVAL, map_err(self->fd, page, MAP_SHARED,
				   (off_t)0x7fffffff * page));
}

/* A notify's handle is no memory. */
TEST_F(mem, mmap_of_a_notify_is_einval)
{
	uint32_t n;

	ASSERT_EQ(0, an_create(self->fd, 0, 0, &n));
	EXPECT_EQ(-EINVAL, map_err(self->fd, page, MAP_SHARED,
				   (off_t)n * page));
}

TEST_F(mem, mmap_of_a_destroyed_handle_is_einval)
{
	struct ascend_notify_mem gone;

	ASSERT_EQ(0, an_mem_alloc(self->fd, 0, page, &gone));
	ASSERT_EQ(0, an_destroy(self->fd, gone.handle));
	EXPECT_EQ(-EINVAL, map_err(self->fd, page, MAP_SHARED,
				   gone.mmap_offset));
}

/* A process that did not open the file, though it holds it. */
TEST_F(mem, mmap_by_another_process_is_ebadfd)
{
	struct ascend_notify_mem m;
	pid_t pid;

	ASSERT_EQ(0, an_mem_alloc(self->fd, 0, 2 * page, &m));
	pid = an_fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(-map_err(self->fd, page, MAP_SHARED, m.mmap_offset));
	EXPECT_EQ(EBADFD, an_reap(pid));
}

TEST_F(mem, mapping_outlives_handle_and_file)
{
	struct ascend_notify_mem m;
	volatile uint32_t *p;
	int fd;

	ASSERT_EQ(0, an_mem_alloc(self->fd, 0, page, &m));
	p = map(self->fd, &m, page);
	ASSERT_NE(MAP_FAILED, p);
	p[0] = 0x1234;
	ASSERT_EQ(0, an_destroy(self->fd, m.handle));
	/* The object and its charge are gone; the pages are not. */
	EXPECT_EQ(0, an_mem_used(self->fd, 0));
	EXPECT_EQ(0x1234, p[0]);
	p[0] = 0x5678;
	EXPECT_EQ(0x5678, p[0]);

	/* Closing the file (the whole context) keeps mappings too. */
	fd = an_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, an_mem_alloc(fd, 0, page, &m));
	p = map(fd, &m, page);
	ASSERT_NE(MAP_FAILED, p);
	p[0] = 42;
	close(fd);
	EXPECT_EQ(42, p[0]);
	EXPECT_EQ(0, an_mem_used(self->fd, 0));
	munmap((void *)p, page);
}

TEST_F(mem, unexport_rules)
{
	struct ascend_notify_mem m;
	char key[AN_KEY_BUF];
	uint32_t imp;

	ASSERT_EQ(0, an_mem_alloc(self->fd, 0, page, &m));
	/* Never exported. */
	EXPECT_EQ(-ENOKEY, an_unexport(self->fd, m.handle));
	ASSERT_EQ(0, an_export(self->fd, m.handle,
			       ASCEND_NOTIFY_EXPORT_NO_PID_CHECK, key));
	EXPECT_EQ(-EEXIST, an_export(self->fd, m.handle, 0, NULL));
	ASSERT_EQ(0, an_import_kind(self->fd, key, 0, 0,
				    ASCEND_NOTIFY_KIND_MEM, &imp));
	/* Only the creator's handle. */
	EXPECT_EQ(-EPERM, an_unexport(self->fd, imp));
	EXPECT_EQ(0, an_unexport(self->fd, m.handle));
	EXPECT_EQ(-ENOKEY, an_unexport(self->fd, m.handle));
	EXPECT_EQ(-ENOKEY, an_import_kind(self->fd, key, 0, 0,
					  ASCEND_NOTIFY_KIND_MEM, NULL));
	/* Withdrawn is withdrawn: no second export. */
	EXPECT_EQ(-EEXIST, an_export(self->fd, m.handle, 0, NULL));
	EXPECT_EQ(-ENOENT, an_unexport(self->fd, 0));
	/* Kinds do not mix. */
	EXPECT_EQ(-ENOENT, an_record(self->fd, m.handle));
	EXPECT_EQ(-ENOENT, an_wait(self->fd, m.handle, 0));
	EXPECT_EQ(-ENOENT, an_batch_reset(self->fd, &m.handle, 1));
}

/*
 * A withdrawn key has nobody left to trust: the list cannot grow again
 * (the entries it had were dropped with the key).
 */
TEST_F(mem, trustlist_cannot_grow_after_unexport)
{
	int32_t me = an_bare_tgid(self->fd);
	uint32_t n;

	ASSERT_EQ(0, an_create(self->fd, 0, 0, &n));
	ASSERT_EQ(0, an_export(self->fd, n, 0, NULL));
	ASSERT_EQ(0, an_set_pids(self->fd, n, &me, 1));
	ASSERT_EQ(0, an_unexport(self->fd, n));
	EXPECT_EQ(-ENOKEY, an_set_pids(self->fd, n, &me, 1));
	EXPECT_EQ(0, an_destroy(self->fd, n));
}

TEST_F(mem, unexport_works_on_notifies)
{
	char key[AN_KEY_BUF];
	uint32_t n, imp;

	ASSERT_EQ(0, an_create(self->fd, 0, 0, &n));
	ASSERT_EQ(0, an_export(self->fd, n, ASCEND_NOTIFY_EXPORT_NO_PID_CHECK,
			       key));
	ASSERT_EQ(0, an_import(self->fd, key, 0, 0, &imp));
	ASSERT_EQ(0, an_unexport(self->fd, n));
	EXPECT_EQ(-ENOKEY, an_import(self->fd, key, 0, 0, NULL));
	/* The existing import still works. */
	ASSERT_EQ(0, an_record(self->fd, imp));
	EXPECT_EQ(0, an_wait(self->fd, n, 0));
}

/*
 * Processes killed at any point of alloc, map, export, import, unexport,
 * unmap and destroy leave no object, handle, key or charge behind.
 */
static void churn(int dev, int ready)
{
	struct ascend_notify_mem m, im;
	char key[AN_KEY_BUF];
	volatile uint32_t *p, *q;
	bool told = false;
	uint32_t h;
	int fd = an_open();

	if (fd < 0)
		_exit(10);
	for (;;) {
		if (an_mem_alloc(fd, dev, 2 * page, &m))
			_exit(11);
		p = map(fd, &m, m.size);
		if (p == MAP_FAILED)
			_exit(12);
		p[0] = m.handle;
		if (an_export(fd, m.handle, ASCEND_NOTIFY_EXPORT_NO_PID_CHECK,
			      key) ||
		    an_import_kind(fd, key, dev, 0, ASCEND_NOTIFY_KIND_MEM, &h) ||
		    an_mem_info(fd, h, &im))
			_exit(13);
		q = map(fd, &im, im.size);
		if (q == MAP_FAILED || q[0] != m.handle)
			_exit(14);
		if (an_unexport(fd, m.handle))
			_exit(15);
		if (!told) {
			told = an_send_u32(ready, 1);
			if (!told)
				_exit(16);
		}
		munmap((void *)q, im.size);
		munmap((void *)p, m.size);
		if (an_destroy(fd, h) || an_destroy(fd, m.handle))
			_exit(17);
	}
}

TEST_F_TIMEOUT(mem, killed_mid_use_leaves_nothing, 120)
{
	enum { PROCS = 4 };
	pid_t pids[PROCS];
	int p[2], i;

	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	for (i = 0; i < PROCS; i++) {
		pids[i] = an_fork();
		ASSERT_LE(0, pids[i]);
		if (pids[i] == 0)
			churn(i % 2, p[1]);
	}
	/* Each has done a whole cycle at least once. */
	for (i = 0; i < PROCS; i++)
		ASSERT_EQ(1, an_recv_u32(p[0]));
	for (i = 0; i < PROCS; i++)
		kill(pids[i], SIGKILL);
	for (i = 0; i < PROCS; i++)
		EXPECT_EQ(128 + SIGKILL, an_reap(pids[i]));
	close(p[0]);
	close(p[1]);
	/* The teardown checks that nothing is left. */
}

/* ---- shared -------------------------------------------------------------------- */

FIXTURE(share) {
	int fd;
	struct ascend_notify_mem m;
	volatile uint32_t *p;
	char key[AN_KEY_BUF];
	struct child c;
};

FIXTURE_SETUP(share)
{
	page = sysconf(_SC_PAGESIZE);
	self->fd = an_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, an_mem_alloc(self->fd, 0, 2 * page, &self->m));
	self->p = map(self->fd, &self->m, self->m.size);
	ASSERT_NE(MAP_FAILED, self->p);
	self->p[0] = 0xc0ffee;
	ASSERT_TRUE(child_start(&self->c));
}

FIXTURE_TEARDOWN(share)
{
	int fd;

	EXPECT_EQ(0, child_stop(&self->c));
	munmap((void *)self->p, self->m.size);
	close(self->fd);
	EXPECT_EQ(0, an_live_objects());
	fd = an_open();
	EXPECT_EQ(0, an_mem_used(fd, 0));
	close(fd);
}

TEST_F(share, trusted_importer_shares_the_bytes)
{
	ASSERT_EQ(0, an_export(self->fd, self->m.handle, 0, self->key));
	ASSERT_EQ(0, an_set_pids(self->fd, self->m.handle, &self->c.bare, 1));
	ASSERT_EQ(0, child_import(&self->c, self->key, 0));
	EXPECT_EQ(0xc0ffee, child_read(&self->c));
	ASSERT_TRUE(child_write(&self->c, 0xbeef));
	EXPECT_EQ(0xbeef, self->p[0]);
	self->p[0] = 7;
	EXPECT_EQ(7, child_read(&self->c));
	/* Sharing does not charge twice. */
	EXPECT_EQ(self->m.size, an_mem_used(self->fd, 0));
}

TEST_F(share, untrusted_importer_is_refused)
{
	ASSERT_EQ(0, an_export(self->fd, self->m.handle, 0, self->key));
	EXPECT_EQ(-EACCES, child_import(&self->c, self->key, 0));
}

TEST_F(share, no_pid_check_lets_anyone_import)
{
	ASSERT_EQ(0, an_export(self->fd, self->m.handle,
			       ASCEND_NOTIFY_EXPORT_NO_PID_CHECK, self->key));
	EXPECT_EQ(-EACCES, an_set_pids(self->fd, self->m.handle,
				       &self->c.bare, 1));
	ASSERT_EQ(0, child_import(&self->c, self->key, 1));
	EXPECT_EQ(0xc0ffee, child_read(&self->c));
}

TEST_F(share, unknown_key_is_enokey)
{
	memset(self->key, 'a', ASCEND_NOTIFY_KEY_LEN);
	EXPECT_EQ(-ENOKEY, child_import(&self->c, self->key, 0));
}

TEST_F(share, import_as_another_kind_is_enokey)
{
	ASSERT_EQ(0, an_export(self->fd, self->m.handle,
			       ASCEND_NOTIFY_EXPORT_NO_PID_CHECK, self->key));
	EXPECT_EQ(-ENOKEY, an_import(self->fd, self->key, 0, 0, NULL));
	EXPECT_EQ(-ENOKEY, an_import_kind(self->fd, self->key, 0, 0,
					  ASCEND_NOTIFY_KIND_EVENT, NULL));
}

TEST_F(share, other_device_needs_peer_access)
{
	ASSERT_EQ(0, an_export(self->fd, self->m.handle,
			       ASCEND_NOTIFY_EXPORT_NO_PID_CHECK, self->key));
	EXPECT_EQ(-EXDEV, an_import_kind(self->fd, self->key, 1, 0,
					 ASCEND_NOTIFY_KIND_MEM, NULL));
	ASSERT_EQ(0, an_peer(self->fd, true, 1, 0));
	EXPECT_EQ(0, an_import_kind(self->fd, self->key, 1, 0,
				    ASCEND_NOTIFY_KIND_MEM, NULL));
}

TEST_F(share, importer_maps_at_its_own_offset)
{
	struct ascend_notify_mem info;
	volatile uint32_t *q;
	uint32_t h;

	ASSERT_EQ(0, an_export(self->fd, self->m.handle,
			       ASCEND_NOTIFY_EXPORT_NO_PID_CHECK, self->key));
	ASSERT_EQ(0, an_import_kind(self->fd, self->key, 2,
				    ASCEND_NOTIFY_IMPORT_PEER_ACCESS,
				    ASCEND_NOTIFY_KIND_MEM, &h));
	ASSERT_EQ(0, an_mem_info(self->fd, h, &info));
	EXPECT_EQ(0, info.dev);
	EXPECT_EQ(self->m.size, info.size);
	EXPECT_EQ((uint64_t)h * page, info.mmap_offset);
	q = map(self->fd, &info, info.size);
	ASSERT_NE(MAP_FAILED, q);
	EXPECT_EQ(0xc0ffee, q[0]);
	munmap((void *)q, info.size);
}

TEST_F(share, unexport_keeps_existing_importer)
{
	ASSERT_EQ(0, an_export(self->fd, self->m.handle,
			       ASCEND_NOTIFY_EXPORT_NO_PID_CHECK, self->key));
	ASSERT_EQ(0, child_import(&self->c, self->key, 0));
	ASSERT_EQ(0, an_unexport(self->fd, self->m.handle));
	EXPECT_EQ(-ENOKEY, an_import_kind(self->fd, self->key, 0, 0,
					  ASCEND_NOTIFY_KIND_MEM, NULL));
	ASSERT_TRUE(child_write(&self->c, 99));
	EXPECT_EQ(99, self->p[0]);
}

/* The importer goes first: the exporter's memory is unaffected. */
TEST_F(share, importer_exits)
{
	ASSERT_EQ(0, an_export(self->fd, self->m.handle,
			       ASCEND_NOTIFY_EXPORT_NO_PID_CHECK, self->key));
	ASSERT_EQ(0, child_import(&self->c, self->key, 0));
	ASSERT_TRUE(child_write(&self->c, 1234));
	EXPECT_EQ(0, child_stop(&self->c));
	EXPECT_EQ(1234, self->p[0]);
	EXPECT_EQ(self->m.size, an_mem_used(self->fd, 0));
	/* For the teardown. */
	ASSERT_TRUE(child_start(&self->c));
}

/* The exporter goes first: destroy its handle, the importer still maps. */
TEST_F(share, exporter_destroys_first)
{
	ASSERT_EQ(0, an_export(self->fd, self->m.handle,
			       ASCEND_NOTIFY_EXPORT_NO_PID_CHECK, self->key));
	ASSERT_EQ(0, child_import(&self->c, self->key, 0));
	ASSERT_EQ(0, an_destroy(self->fd, self->m.handle));
	/* The importer's handle keeps the object and its charge. */
	EXPECT_EQ(self->m.size, an_mem_used(self->fd, 0));
	ASSERT_TRUE(child_write(&self->c, 4321));
	EXPECT_EQ(4321, self->p[0]);
	EXPECT_EQ(4321, child_read(&self->c));
}

/*
 * The exporter is killed while this process maps its memory: the pages
 * stay, with the last value written.
 */
TEST_F(share, exporter_killed_while_mapped)
{
	struct ascend_notify_mem info;
	struct an_stats st;
	volatile uint32_t *q;
	int sv[2], fd;
	uint32_t h;
	pid_t pid;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	pid = an_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct ascend_notify_mem m;
		char key[AN_KEY_BUF];
		volatile uint32_t *x;

		fd = an_open();
		if (fd < 0 || an_mem_alloc(fd, 3, page, &m))
			_exit(10);
		x = map(fd, &m, page);
		if (x == MAP_FAILED)
			_exit(11);
		x[0] = 0xdead;
		if (an_export(fd, m.handle, ASCEND_NOTIFY_EXPORT_NO_PID_CHECK,
			      key))
			_exit(12);
		an_send(sv[1], key, ASCEND_NOTIFY_KEY_LEN);
		/* Wait to be told, then write once more, then wait to die. */
		an_recv_u32(sv[1]);
		x[0] = 0xfeed;
		an_send_u32(sv[1], 0);
		pause();
		_exit(13);
	}
	close(sv[1]);
	ASSERT_TRUE(an_recv(sv[0], self->key, ASCEND_NOTIFY_KEY_LEN));
	fd = an_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, an_import_kind(fd, self->key, 3, 0,
				    ASCEND_NOTIFY_KIND_MEM, &h));
	ASSERT_EQ(0, an_mem_info(fd, h, &info));
	q = map(fd, &info, page);
	ASSERT_NE(MAP_FAILED, q);
	EXPECT_EQ(0xdead, q[0]);
	ASSERT_TRUE(an_send_u32(sv[0], 1));
	ASSERT_EQ(0, an_recv_u32(sv[0]));
	kill(pid, SIGKILL);
	EXPECT_EQ(128 + SIGKILL, an_reap(pid));
	close(sv[0]);

	EXPECT_EQ(0xfeed, q[0]);
	q[0] = 1;
	EXPECT_EQ(1, q[0]);
	/* The exporter's key is gone, our handle is not. */
	EXPECT_EQ(-ENOKEY, an_import_kind(fd, self->key, 3, 0,
					  ASCEND_NOTIFY_KIND_MEM, NULL));
	ASSERT_EQ(0, an_mem_info(fd, h, &info));
	EXPECT_EQ(page, an_mem_used(fd, 3));
	ASSERT_EQ(0, an_stats(&st));
	EXPECT_EQ(0, st.keys);
	close(fd);
	/* Last handle gone: uncharged, yet still mapped. */
	fd = an_open();
	EXPECT_EQ(0, an_mem_used(fd, 3));
	close(fd);
	EXPECT_EQ(1, q[0]);
	munmap((void *)q, page);
}

TEST_HARNESS_MAIN
