// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/PID/fdinfo/N of /dev/ascend_notify: what a process holds, without
 * any tool. The opener, the number of handles, and a line per handle with
 * the object's kind, device and id, the bound device, created or imported,
 * exported or private, and the bit and waiters (notify, event) or the size
 * (memory).
 */
#include <pthread.h>

#include "an_test.h"
#include "kselftest_harness.h"

FIXTURE(fdinfo) {
	int fd;
};

FIXTURE_SETUP(fdinfo)
{
	self->fd = an_open();
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(fdinfo)
{
	close(self->fd);
	EXPECT_EQ(0, an_live_objects());
}

/* The fdinfo of descriptor @fd of process @pid, NUL-terminated. */
static bool read_fdinfo(pid_t pid, int fd, char *buf, size_t len)
{
	char path[64];
	ssize_t n;
	int f;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)pid, fd);
	f = open(path, O_RDONLY | O_CLOEXEC);
	if (f < 0)
		return false;
	n = read(f, buf, len - 1);
	close(f);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	return true;
}

/* The value of key @key ("ascend-owner"), or -1. */
static long key_value(const char *buf, const char *key)
{
	char want[64];
	const char *p;

	snprintf(want, sizeof(want), "\n%s:\t", key);
	p = strstr(buf, want);
	return p ? strtol(p + strlen(want), NULL, 10) : -1;
}

/* The rest of the line of handle @h, copied into @line; false if none. */
static bool handle_line(const char *buf, uint32_t h, char *line, size_t len)
{
	char want[64];
	const char *p, *end;

	snprintf(want, sizeof(want), "\nascend-handle:\t%u ", h);
	p = strstr(buf, want);
	if (!p)
		return false;
	p += strlen(want);
	end = strchr(p, '\n');
	snprintf(line, len, "%.*s", (int)(end ? end - p : (long)strlen(p)), p);
	return true;
}

TEST_F(fdinfo, empty_context_names_its_owner)
{
	char buf[4096];

	ASSERT_TRUE(read_fdinfo(getpid(), self->fd, buf, sizeof(buf)));
	EXPECT_EQ(getpid(), key_value(buf, "ascend-owner"));
	EXPECT_EQ(0, key_value(buf, "ascend-handles"));
	EXPECT_EQ(NULL, strstr(buf, "ascend-handle:"));
}

TEST_F(fdinfo, every_handle_has_a_line)
{
	struct ascend_notify_mem m;
	char buf[4096], line[256], key[AN_KEY_BUF], want[256];
	uint32_t n, e, imp;
	struct ascend_notify_info info;

	ASSERT_EQ(0, an_create(self->fd, 0, 0, &n));
	ASSERT_EQ(0, an_create(self->fd, 3, ASCEND_NOTIFY_CREATE_EVENT, &e));
	ASSERT_EQ(0, an_export(self->fd, n, ASCEND_NOTIFY_EXPORT_NO_PID_CHECK,
			       key));
	ASSERT_EQ(0, an_import(self->fd, key, 2,
			       ASCEND_NOTIFY_IMPORT_PEER_ACCESS, &imp));
	ASSERT_EQ(0, an_mem_alloc(self->fd, 1, 8192, &m));
	ASSERT_EQ(0, an_record(self->fd, e));

	ASSERT_TRUE(read_fdinfo(getpid(), self->fd, buf, sizeof(buf)));
	EXPECT_EQ(4, key_value(buf, "ascend-handles"));

	ASSERT_EQ(0, an_info(self->fd, n, &info));
	ASSERT_TRUE(handle_line(buf, n, line, sizeof(line)));
	snprintf(want, sizeof(want),
		 "kind=notify dev=0 id=%u bound=0 created exported set=0 waiters=0",
		 info.id);
	EXPECT_STREQ(want, line);

	ASSERT_TRUE(handle_line(buf, imp, line, sizeof(line)));
	snprintf(want, sizeof(want),
		 "kind=notify dev=0 id=%u bound=2 imported exported set=0 waiters=0",
		 info.id);
	EXPECT_STREQ(want, line);

	ASSERT_EQ(0, an_info(self->fd, e, &info));
	ASSERT_TRUE(handle_line(buf, e, line, sizeof(line)));
	snprintf(want, sizeof(want),
		 "kind=event dev=3 id=%u bound=3 created private set=1 waiters=0",
		 info.id);
	EXPECT_STREQ(want, line);

	ASSERT_TRUE(handle_line(buf, m.handle, line, sizeof(line)));
	EXPECT_STREQ("kind=mem dev=1 id=0 bound=1 created private size=8192",
		     line);

	/* A destroyed handle has no line; the withdrawn key is private. */
	ASSERT_EQ(0, an_destroy(self->fd, n));
	ASSERT_TRUE(read_fdinfo(getpid(), self->fd, buf, sizeof(buf)));
	EXPECT_EQ(3, key_value(buf, "ascend-handles"));
	EXPECT_FALSE(handle_line(buf, n, line, sizeof(line)));
	ASSERT_TRUE(handle_line(buf, imp, line, sizeof(line)));
	EXPECT_NE(NULL, strstr(line, " imported private "));
}

struct waiter {
	int fd;
	uint32_t h;
	int ready;
	int ret;
};

static void *waiter_main(void *arg)
{
	struct waiter *w = arg;

	an_send_u32(w->ready, syscall(SYS_gettid));
	w->ret = an_wait(w->fd, w->h, an_now_ns() + 20000000000ull);
	return NULL;
}

TEST_F(fdinfo, a_sleeping_waiter_is_counted)
{
	struct waiter w = { .fd = self->fd, .ret = 1 };
	char buf[4096], line[256];
	pthread_t t;
	int p[2];

	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	ASSERT_EQ(0, an_create(self->fd, 0, 0, &w.h));
	w.ready = p[1];
	ASSERT_EQ(0, pthread_create(&t, NULL, waiter_main, &w));
	ASSERT_TRUE(an_waiting(an_recv_u32(p[0])));
	ASSERT_TRUE(read_fdinfo(getpid(), self->fd, buf, sizeof(buf)));
	ASSERT_TRUE(handle_line(buf, w.h, line, sizeof(line)));
	EXPECT_NE(NULL, strstr(line, " set=0 waiters=1"));
	ASSERT_EQ(0, an_record(self->fd, w.h));
	pthread_join(t, NULL);
	EXPECT_EQ(0, w.ret);
	close(p[0]);
	close(p[1]);
}

/* Another process (root may read it) sees the same, owner and all. */
TEST_F(fdinfo, another_process_reads_it)
{
	char buf[4096], line[256];
	int p[2], q[2];
	uint32_t h;
	pid_t pid;
	int fd;

	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(q, O_CLOEXEC));
	pid = an_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		fd = an_open();
		if (fd < 0 || an_create(fd, 5, 0, &h))
			_exit(1);
		an_send_u32(p[1], fd);
		an_send_u32(p[1], h);
		an_recv_u32(q[0]);
		_exit(0);
	}
	fd = an_recv_u32(p[0]);
	h = an_recv_u32(p[0]);
	ASSERT_TRUE(read_fdinfo(pid, fd, buf, sizeof(buf)));
	EXPECT_EQ(pid, key_value(buf, "ascend-owner"));
	ASSERT_TRUE(handle_line(buf, h, line, sizeof(line)));
	EXPECT_NE(NULL, strstr(line, "kind=notify dev=5 "));
	an_send_u32(q[1], 0);
	EXPECT_EQ(0, an_reap(pid));
	close(p[0]);
	close(p[1]);
	close(q[0]);
	close(q[1]);
}

TEST_HARNESS_MAIN
