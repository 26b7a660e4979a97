// SPDX-License-Identifier: GPL-2.0
/*
 * The bad-input matrix: every ioctl against every kind of malformed
 * argument, each time with an otherwise valid argument, so the rejection
 * seen is the one under test. A table describes each ioctl: its size, where
 * its flags and must-be-zero fields are, and how to build a valid argument.
 */
#include <stddef.h>

#include "an_test.h"
#include "kselftest_harness.h"

#define NONE	SIZE_MAX

struct ctx {
	int fd;
	int32_t me;
	char key[AN_KEY_BUF];	/* a no-PID-check export, device 0 */
	uint32_t handles[1];
};

struct ioc {
	const char *name;
	unsigned long cmd;
	size_t size;
	size_t flags_off;
	uint32_t valid_flags;
	size_t zero_off[2];	/* pad fields */
	size_t handle_off;	/* a handle field, or NONE */
	/* Builds a valid argument; may create objects. 0 on success. */
	int (*fill)(struct ctx *c, void *arg);
};

static int fill_nothing(struct ctx *c, void *arg)
{
	return 0;
}

static int fill_dev0(struct ctx *c, void *arg)
{
	((struct ascend_notify_device_info *)arg)->dev = 0;
	return 0;
}

static int fill_peer(struct ctx *c, void *arg)
{
	struct ascend_notify_peer *p = arg;

	p->dev = 1;
	p->peer = 0;
	return 0;
}

/* A fresh notify, with its bit set so that a wait on it succeeds. */
static int fresh(struct ctx *c, uint32_t *h)
{
	return an_create(c->fd, 0, 0, h) ?: an_record(c->fd, *h);
}

static int fill_handle(struct ctx *c, void *arg)
{
	return fresh(c, &((struct ascend_notify_handle_arg *)arg)->handle);
}

static int fill_wait(struct ctx *c, void *arg)
{
	struct ascend_notify_wait *w = arg;

	w->deadline_ns = 0;
	return fresh(c, &w->handle);
}

static int fill_batch(struct ctx *c, void *arg)
{
	struct ascend_notify_batch *b = arg;

	b->handles = (uintptr_t)c->handles;
	b->count = 1;
	return fresh(c, &c->handles[0]);
}

static int fill_info(struct ctx *c, void *arg)
{
	return fresh(c, &((struct ascend_notify_info *)arg)->handle);
}

static int fill_export(struct ctx *c, void *arg)
{
	return fresh(c, &((struct ascend_notify_export *)arg)->handle);
}

static int fill_trust(struct ctx *c, void *arg)
{
	struct ascend_notify_trust *t = arg;
	int ret;

	t->pids = (uintptr_t)&c->me;
	t->count = 1;
	ret = fresh(c, &t->handle);
	return ret ?: an_export(c->fd, t->handle, 0, NULL);
}

static int fill_import(struct ctx *c, void *arg)
{
	struct ascend_notify_import *im = arg;

	memcpy(im->key, c->key, ASCEND_NOTIFY_KEY_LEN);
	im->dev = 0;
	return 0;
}

static int fill_unexport(struct ctx *c, void *arg)
{
	uint32_t *h = &((struct ascend_notify_handle_arg *)arg)->handle;

	return fresh(c, h) ?: an_export(c->fd, *h, 0, NULL);
}

static int fill_mem_alloc(struct ctx *c, void *arg)
{
	struct ascend_notify_mem *m = arg;

	m->dev = 0;
	m->size = 4096;
	return 0;
}

static int fill_mem_info(struct ctx *c, void *arg)
{
	struct ascend_notify_mem m;
	int ret = an_mem_alloc(c->fd, 0, 4096, &m);

	((struct ascend_notify_mem *)arg)->handle = m.handle;
	return ret;
}

#define IOC(c, type, fl, valid, z0, z1, hoff, fn) {			\
	.name = #c, .cmd = ASCEND_NOTIFY_IOC_##c,			\
	.size = sizeof(struct type),					\
	.flags_off = offsetof(struct type, fl), .valid_flags = (valid),	\
	.zero_off = { z0, z1 }, .handle_off = (hoff), .fill = fn }

#define OFF(type, field) offsetof(struct type, field)

static const struct ioc iocs[] = {
	IOC(VERSION, ascend_notify_version, flags, 0,
	    OFF(ascend_notify_version, pad), NONE, NONE, fill_nothing),
	IOC(DEVICE_INFO, ascend_notify_device_info, flags, 0,
	    NONE, NONE, NONE, fill_dev0),
	IOC(BARE_TGID, ascend_notify_bare_tgid, flags, 0,
	    NONE, NONE, NONE, fill_nothing),
	IOC(PEER_ENABLE, ascend_notify_peer, flags, 0,
	    OFF(ascend_notify_peer, pad), NONE, NONE, fill_peer),
	IOC(PEER_DISABLE, ascend_notify_peer, flags, 0,
	    OFF(ascend_notify_peer, pad), NONE, NONE, fill_peer),
	IOC(CREATE, ascend_notify_create, flags,
	    ASCEND_NOTIFY_CREATE_DEVICE_ONLY | ASCEND_NOTIFY_CREATE_EVENT,
	    NONE, NONE, NONE, fill_dev0),
	IOC(DESTROY, ascend_notify_handle_arg, flags, 0, NONE, NONE,
	    OFF(ascend_notify_handle_arg, handle), fill_handle),
	IOC(RECORD, ascend_notify_handle_arg, flags, 0, NONE, NONE,
	    OFF(ascend_notify_handle_arg, handle), fill_handle),
	IOC(WAIT, ascend_notify_wait, flags, 0, NONE, NONE,
	    OFF(ascend_notify_wait, handle), fill_wait),
	IOC(BATCH_RESET, ascend_notify_batch, flags, 0, NONE, NONE, NONE,
	    fill_batch),
	IOC(INFO, ascend_notify_info, flags, 0, NONE, NONE,
	    OFF(ascend_notify_info, handle), fill_info),
	IOC(EXPORT, ascend_notify_export, flags,
	    ASCEND_NOTIFY_EXPORT_NO_PID_CHECK | ASCEND_NOTIFY_EXPORT_KEY64,
	    NONE, NONE,
	    OFF(ascend_notify_export, handle), fill_export),
	IOC(SET_PIDS, ascend_notify_trust, flags, 0,
	    OFF(ascend_notify_trust, pad), NONE,
	    OFF(ascend_notify_trust, handle), fill_trust),
	IOC(IMPORT, ascend_notify_import, flags,
	    ASCEND_NOTIFY_IMPORT_PEER_ACCESS, NONE,
	    NONE, NONE, fill_import),
	/* ABI 1.2 */
	IOC(UNEXPORT, ascend_notify_handle_arg, flags, 0, NONE, NONE,
	    OFF(ascend_notify_handle_arg, handle), fill_unexport),
	IOC(MEM_ALLOC, ascend_notify_mem, flags, 0,
	    OFF(ascend_notify_mem, pad), NONE, NONE, fill_mem_alloc),
	IOC(MEM_INFO, ascend_notify_mem, flags, 0,
	    OFF(ascend_notify_mem, pad), NONE,
	    OFF(ascend_notify_mem, handle), fill_mem_info),
	IOC(DEVICE_MEM, ascend_notify_device_mem, flags, 0, NONE, NONE, NONE,
	    fill_dev0),
	/* ABI 1.3 */
	IOC(USER_INFO, ascend_notify_user_info, flags, 0, NONE, NONE, NONE,
	    fill_dev0),
	/* ABI 2 */
	IOC(CANCEL, ascend_notify_cancel, flags, 0,
	    OFF(ascend_notify_cancel, pad), NONE, NONE, fill_nothing),
};

#define NR_IOCS (sizeof(iocs) / sizeof(iocs[0]))

/* The table's entry for ioctl @name: a test names the ioctl it tests. */
static const struct ioc *ioc(const char *name)
{
	size_t i;

	for (i = 0; i < NR_IOCS; i++)
		if (!strcmp(iocs[i].name, name))
			return &iocs[i];
	fprintf(stderr, "bad_input: no ioctl %s in the table\n", name);
	abort();
}

static uint32_t *field(void *arg, size_t off)
{
	return (uint32_t *)((char *)arg + off);
}

FIXTURE(bad) {
	struct ctx c;
	uint64_t arg[16];	/* big and aligned enough for any argument */
};

FIXTURE_SETUP(bad)
{
	uint32_t h;

	self->c.fd = an_open();
	ASSERT_LE(0, self->c.fd);
	self->c.me = an_bare_tgid(self->c.fd);
	ASSERT_LT(0, self->c.me);
	ASSERT_EQ(0, an_create(self->c.fd, 0, 0, &h));
	ASSERT_EQ(0, an_export(self->c.fd, h, ASCEND_NOTIFY_EXPORT_NO_PID_CHECK,
			       self->c.key));
}

FIXTURE_TEARDOWN(bad)
{
	close(self->c.fd);
	EXPECT_EQ(0, an_live_objects());
}

/* A valid argument for @io in self->arg. */
#define VALID(io) do {							\
		memset(self->arg, 0, sizeof(self->arg));		\
		ASSERT_EQ(0, (io)->fill(&self->c, self->arg))		\
			TH_LOG("%s: fill", (io)->name);			\
	} while (0)

TEST_F(bad, valid_arguments_succeed)
{
	const struct ioc *io;

	/* Proves that every "otherwise valid" argument below is valid. */
	for (io = iocs; io < iocs + NR_IOCS; io++) {
		VALID(io);
		EXPECT_EQ(0, an_ioctl(self->c.fd, io->cmd, self->arg))
			TH_LOG("%s", io->name);
	}
}

TEST_F(bad, unknown_command_is_enotty)
{
	static const unsigned long cmds[] = {
		_IO(ASCEND_NOTIFY_IOC_MAGIC, 0x7f),
		_IOWR(ASCEND_NOTIFY_IOC_MAGIC, 0x30, struct ascend_notify_info),
		/* A known number with the wrong size or direction. */
		_IOWR(ASCEND_NOTIFY_IOC_MAGIC, 0x10, uint64_t),
		_IOR(ASCEND_NOTIFY_IOC_MAGIC, 0x10, struct ascend_notify_create),
		_IOW(ASCEND_NOTIFY_IOC_MAGIC, 0x12, uint32_t),
		/* Another driver's magic. */
		_IOWR('N', 0x10, struct ascend_notify_create),
		FIONREAD,
	};
	unsigned int i;

	memset(self->arg, 0, sizeof(self->arg));
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		EXPECT_EQ(-ENOTTY, an_ioctl(self->c.fd, cmds[i], self->arg))
			TH_LOG("cmd %#lx", cmds[i]);
}

/*
 * ABI 2.0 dropped ASCEND_NOTIFY_IOC_STATS (nr 0x05, a 32-byte struct) for
 * netlink STATS_GET and moved every ioctl off the code 0xB8: the old
 * numbers are unknown commands, whatever the argument.
 */
TEST_F(bad, abi1_numbers_are_enotty)
{
	/* The layout of struct ascend_notify_stats, which is gone. */
	struct abi1_stats {
		uint32_t v[8];
	};
	static const unsigned long cmds[] = {
		_IOWR(ASCEND_NOTIFY_IOC_MAGIC, 0x05, struct abi1_stats),
		_IOWR(0xB8, 0x05, struct abi1_stats),
		_IOWR(0xB8, 0x00, struct ascend_notify_version),
		_IOWR(0xB8, 0x10, struct ascend_notify_create),
	};
	unsigned int i;

	memset(self->arg, 0, sizeof(self->arg));
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		EXPECT_EQ(-ENOTTY, an_ioctl(self->c.fd, cmds[i], self->arg))
			TH_LOG("cmd %#lx", cmds[i]);
	/* The argument was not written. */
	for (i = 0; i < sizeof(self->arg); i++)
		ASSERT_EQ(0, ((unsigned char *)self->arg)[i]);
}

/* The module and this header agree: ABI 2.0, on the code 0xBC. */
TEST_F(bad, version_is_2_0)
{
	struct ascend_notify_version v = { 0 };

	ASSERT_EQ(0, an_version(self->c.fd, &v));
	EXPECT_EQ(2, v.major);
	EXPECT_EQ(0, v.minor);
	EXPECT_EQ(ASCEND_NOTIFY_ABI_MAJOR, v.major);
	EXPECT_EQ(ASCEND_NOTIFY_ABI_MINOR, v.minor);
	EXPECT_EQ(0xBC, _IOC_TYPE(ASCEND_NOTIFY_IOC_VERSION));
}

TEST_F(bad, null_argument_is_efault)
{
	const struct ioc *io;

	for (io = iocs; io < iocs + NR_IOCS; io++)
		EXPECT_EQ(-EFAULT, an_ioctl(self->c.fd, io->cmd, NULL))
			TH_LOG("%s", io->name);
}

TEST_F(bad, unmapped_argument_is_efault)
{
	const struct ioc *io;
	void *page;

	page = mmap(NULL, 8192, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, page);
	for (io = iocs; io < iocs + NR_IOCS; io++)
		EXPECT_EQ(-EFAULT, an_ioctl(self->c.fd, io->cmd, page))
			TH_LOG("%s", io->name);
	/* Straddling the end of a mapping. */
	ASSERT_EQ(0, mprotect(page, 4096, PROT_READ | PROT_WRITE));
	ASSERT_EQ(0, munmap((char *)page + 4096, 4096));
	for (io = iocs; io < iocs + NR_IOCS; io++)
		EXPECT_EQ(-EFAULT, an_ioctl(self->c.fd, io->cmd,
					    (char *)page + 4096 - 4))
			TH_LOG("%s", io->name);
	munmap(page, 4096);
}

TEST_F(bad, every_unknown_flag_bit_is_einval)
{
	const struct ioc *io;
	int bit;

	for (io = iocs; io < iocs + NR_IOCS; io++) {
		for (bit = 0; bit < 32; bit++) {
			if (io->valid_flags & (1u << bit))
				continue;
			VALID(io);
			*field(self->arg, io->flags_off) |= 1u << bit;
			EXPECT_EQ(-EINVAL,
				  an_ioctl(self->c.fd, io->cmd, self->arg))
				TH_LOG("%s flag bit %d", io->name, bit);
		}
	}
}

TEST_F(bad, nonzero_pad_is_einval)
{
	const struct ioc *io;
	int i, tested = 0;

	for (io = iocs; io < iocs + NR_IOCS; io++) {
		for (i = 0; i < 2; i++) {
			if (io->zero_off[i] == NONE)
				continue;
			VALID(io);
			*field(self->arg, io->zero_off[i]) = 1;
			EXPECT_EQ(-EINVAL,
				  an_ioctl(self->c.fd, io->cmd, self->arg))
				TH_LOG("%s pad at %zu", io->name,
				       io->zero_off[i]);
			tested++;
		}
	}
	EXPECT_EQ(7, tested);
}

TEST_F(bad, invalid_handles_are_enoent)
{
	const struct ioc *io;
	uint32_t bad[5], gone;
	int other, i;

	ASSERT_EQ(0, an_create(self->c.fd, 0, 0, &gone));
	ASSERT_EQ(0, an_destroy(self->c.fd, gone));
	other = an_open();
	ASSERT_LE(0, other);
	bad[0] = 0;
	bad[1] = 0x7fffffff;
	bad[2] = 0xffffffff;
	bad[3] = gone;
	/* A handle of another context, not allocated in ours. */
	ASSERT_EQ(0, an_create(other, 0, 0, &bad[4]));
	for (i = 0; i < 1000; i++)
		ASSERT_EQ(0, an_create(other, 0, 0, &bad[4]));

	for (io = iocs; io < iocs + NR_IOCS; io++) {
		if (io->handle_off == NONE)
			continue;
		for (i = 0; i < 5; i++) {
			VALID(io);
			*field(self->arg, io->handle_off) = bad[i];
			EXPECT_EQ(-ENOENT,
				  an_ioctl(self->c.fd, io->cmd, self->arg))
				TH_LOG("%s handle %#x", io->name, bad[i]);
		}
	}
	/* The batch: a bad handle alone. */
	for (i = 0; i < 5; i++)
		EXPECT_EQ(-ENOENT, an_batch_reset(self->c.fd, &bad[i], 1));
	close(other);
}

TEST_F(bad, out_of_range_device_is_enodev)
{
	static const uint32_t devs[] = { 8, 64, 0x80000000u, UINT32_MAX };
	struct ascend_notify_device_info di;
	unsigned int i;

	for (i = 0; i < sizeof(devs) / sizeof(devs[0]); i++) {
		EXPECT_EQ(-ENODEV, an_create(self->c.fd, devs[i], 0, NULL));
		memset(&di, 0, sizeof(di));
		di.dev = devs[i];
		EXPECT_EQ(-ENODEV, an_ioctl(self->c.fd,
					    ASCEND_NOTIFY_IOC_DEVICE_INFO,
					    &di));
		EXPECT_EQ(-ENODEV, an_peer(self->c.fd, true, devs[i], 0));
		EXPECT_EQ(-ENODEV, an_peer(self->c.fd, true, 0, devs[i]));
		EXPECT_EQ(-ENODEV, an_peer(self->c.fd, false, devs[i], 0));
		EXPECT_EQ(-ENODEV, an_import(self->c.fd, self->c.key, devs[i],
					     0, NULL));
	}
}

/* One rejection of BATCH_RESET's count or pointer per test. */
static int batch_with(struct __test_metadata *_metadata, FIXTURE_DATA(bad) *self,
		      uint32_t count, bool null_handles)
{
	struct ascend_notify_batch *b = (void *)self->arg;

	VALID(ioc("BATCH_RESET"));
	b->count = count;
	if (null_handles)
		b->handles = 0;
	return an_ioctl(self->c.fd, ioc("BATCH_RESET")->cmd, b);
}

TEST_F(bad, batch_count_zero_is_einval)
{
	EXPECT_EQ(-EINVAL, batch_with(_metadata, self, 0, false));
}

TEST_F(bad, batch_count_over_max_is_e2big)
{
	EXPECT_EQ(-E2BIG, batch_with(_metadata, self,
				     ASCEND_NOTIFY_BATCH_MAX + 1, false));
	EXPECT_EQ(-E2BIG, batch_with(_metadata, self, UINT32_MAX, false));
}

TEST_F(bad, batch_null_handles_is_efault)
{
	EXPECT_EQ(-EFAULT, batch_with(_metadata, self, 1, true));
}

/* More handles than the memory behind the pointer. */
TEST_F(bad, batch_count_beyond_the_handles_is_efault)
{
	EXPECT_EQ(-EFAULT, batch_with(_metadata, self,
				      ASCEND_NOTIFY_BATCH_MAX, false));
}

TEST_F(bad, trust_count_and_pointer)
{
	struct ascend_notify_trust *t = (void *)self->arg;

	VALID(ioc("SET_PIDS"));
	t->count = 0;
	EXPECT_EQ(-EINVAL, an_ioctl(self->c.fd, ioc("SET_PIDS")->cmd, t));
	t->count = ASCEND_NOTIFY_TRUST_MAX + 1;
	EXPECT_EQ(-E2BIG, an_ioctl(self->c.fd, ioc("SET_PIDS")->cmd, t));
	t->count = 1;
	t->pids = 0;
	EXPECT_EQ(-EFAULT, an_ioctl(self->c.fd, ioc("SET_PIDS")->cmd, t));
}

TEST_F(bad, import_key_must_be_canonical)
{
	struct ascend_notify_import *im = (void *)self->arg;

	VALID(ioc("IMPORT"));
	im->key[10] = 'Z';
	EXPECT_EQ(-EINVAL, an_ioctl(self->c.fd, ioc("IMPORT")->cmd, im));
	VALID(ioc("IMPORT"));
	memset(im->key, 0, sizeof(im->key));
	EXPECT_EQ(-EINVAL, an_ioctl(self->c.fd, ioc("IMPORT")->cmd, im));
}

TEST_F(bad, import_kind_out_of_range_is_einval)
{
	static const uint32_t kinds[] = { 3, 4, 0x80000000u, UINT32_MAX };
	struct ascend_notify_import *im = (void *)self->arg;
	unsigned int i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		VALID(ioc("IMPORT"));
		im->kind = kinds[i];
		EXPECT_EQ(-EINVAL, an_ioctl(self->c.fd, ioc("IMPORT")->cmd, im))
			TH_LOG("kind %u", kinds[i]);
	}
	/* A known kind that is not the key's: no such key. */
	VALID(ioc("IMPORT"));
	im->kind = ASCEND_NOTIFY_KIND_EVENT;
	EXPECT_EQ(-ENOKEY, an_ioctl(self->c.fd, ioc("IMPORT")->cmd, im));
}

TEST_F(bad, mem_size_is_checked)
{
	struct ascend_notify_mem *m = (void *)self->arg;

	VALID(ioc("MEM_ALLOC"));
	m->size = 0;
	EXPECT_EQ(-EINVAL, an_ioctl(self->c.fd, ioc("MEM_ALLOC")->cmd, m));
	VALID(ioc("MEM_ALLOC"));
	m->size = UINT64_MAX;
	EXPECT_EQ(-ENOMEM, an_ioctl(self->c.fd, ioc("MEM_ALLOC")->cmd, m));
	VALID(ioc("MEM_ALLOC"));
	m->dev = 8;
	EXPECT_EQ(-ENODEV, an_ioctl(self->c.fd, ioc("MEM_ALLOC")->cmd, m));
}

/*
 * A failed copy-out must leave nothing behind: the argument sits in a
 * read-only page, so the kernel can read it but not answer.
 */
TEST_F(bad, readonly_argument_creates_nothing)
{
	struct an_stats before, after;
	static const char *const creators[] = { "CREATE", "IMPORT", "MEM_ALLOC" };
	unsigned int i;
	void *page;

	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, page);
	for (i = 0; i < 3; i++) {
		const struct ioc *io = ioc(creators[i]);

		VALID(io);
		ASSERT_EQ(0, mprotect(page, 4096, PROT_READ | PROT_WRITE));
		memcpy(page, self->arg, io->size);
		ASSERT_EQ(0, mprotect(page, 4096, PROT_READ));
		ASSERT_EQ(0, an_stats(&before));
		EXPECT_EQ(-EFAULT, an_ioctl(self->c.fd, io->cmd, page))
			TH_LOG("%s", io->name);
		ASSERT_EQ(0, an_stats(&after));
		EXPECT_EQ(before.handles, after.handles) TH_LOG("%s", io->name);
		EXPECT_EQ(before.objects, after.objects);
	}
	munmap(page, 4096);
}

TEST_HARNESS_MAIN
