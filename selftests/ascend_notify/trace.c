// SPDX-License-Identifier: GPL-2.0
/*
 * Tracepoints (system "ascend_notify"): every event is listed in tracefs,
 * and a whole export -> import -> record -> wait -> destroy flow, and a
 * refused import, leave the events with the fields they should have.
 * Skipped on a kernel without tracing (the debug kernel).
 */
#include <dirent.h>
#include <sys/mount.h>

#include "an_test.h"
#include "kselftest_harness.h"

#define TRACEFS "/sys/kernel/tracing"
#define EVENTS TRACEFS "/events/ascend_notify"

static const char *const events[] = {
	"obj_create", "obj_export", "trust_set", "obj_import", "notify_record",
	"notify_wait_start", "notify_wait_end", "notify_reset",
	"obj_unexport", "obj_destroy", "mem_alloc", "mem_map", "mem_free",
	"context_open", "context_close",
};

static bool write_file(const char *path, const char *s)
{
	return an_write_file(path, s, O_TRUNC) == 0;
}

/* The trace buffer, NUL-terminated, in a malloc()ed buffer. */
static char *read_trace(void)
{
	size_t cap = 1 << 20, len = 0;
	char *buf = malloc(cap);
	ssize_t n;
	int fd;

	fd = open(TRACEFS "/trace", O_RDONLY | O_CLOEXEC);
	if (!buf || fd < 0) {
		free(buf);
		return NULL;
	}
	while (len < cap - 1 && (n = read(fd, buf + len, cap - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	return buf;
}

FIXTURE(trace) {
	int fd;
	char *buf;
};

FIXTURE_SETUP(trace)
{
	self->buf = NULL;
	if (access(EVENTS, F_OK))
		mount("tracefs", TRACEFS, "tracefs", 0, NULL);
	self->fd = an_open();
	ASSERT_LE(0, self->fd);
	if (access(EVENTS, F_OK) == 0) {
		ASSERT_TRUE(write_file(TRACEFS "/trace", ""));
		ASSERT_TRUE(write_file(EVENTS "/enable", "1"));
	}
}

FIXTURE_TEARDOWN(trace)
{
	write_file(EVENTS "/enable", "0");
	free(self->buf);
	close(self->fd);
	EXPECT_EQ(0, an_live_objects());
}

#define NEED_TRACEFS()							\
	do {								\
		if (access(EVENTS, F_OK))				\
			SKIP(return, "no %s: a kernel without tracing",	\
			     EVENTS);					\
	} while (0)

/* Stops tracing and reads what was recorded. */
#define COLLECT()							\
	do {								\
		ASSERT_TRUE(write_file(EVENTS "/enable", "0"));		\
		self->buf = read_trace();				\
		ASSERT_NE(NULL, self->buf);				\
	} while (0)

/* Is there an event line "NAME: FIELDS..." (FIELDS a prefix)? */
static bool has_event(const char *buf, const char *name, const char *fmt, ...)
{
	char want[256], fields[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(fields, sizeof(fields), fmt, ap);
	va_end(ap);
	snprintf(want, sizeof(want), " %s: %s", name, fields);
	return strstr(buf, want) != NULL;
}

TEST_F(trace, every_event_is_listed)
{
	char path[256];
	size_t i;

	NEED_TRACEFS();
	for (i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		snprintf(path, sizeof(path), EVENTS "/%s/format", events[i]);
		EXPECT_EQ(0, access(path, R_OK)) {
			TH_LOG("no event %s", events[i]);
		}
	}
}

TEST_F(trace, a_whole_flow_is_traced_with_its_fields)
{
	struct ascend_notify_info info;
	char key[AN_KEY_BUF];
	uint32_t h, imp;
	pid_t me = getpid();
	int fd2;

	NEED_TRACEFS();
	fd2 = an_open();
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, an_create(self->fd, 0, 0, &h));
	ASSERT_EQ(0, an_info(self->fd, h, &info));
	ASSERT_EQ(0, an_export(self->fd, h, 0, key));
	ASSERT_EQ(0, an_set_pids(self->fd, h, &me, 1));
	ASSERT_EQ(0, an_import(fd2, key, 1, ASCEND_NOTIFY_IMPORT_PEER_ACCESS,
			       &imp));
	ASSERT_EQ(0, an_record(fd2, imp));
	ASSERT_EQ(0, an_wait(self->fd, h, an_now_ns() + 1000000000ull));
	ASSERT_EQ(-ETIMEDOUT, an_wait(self->fd, h, 0));
	ASSERT_EQ(0, an_batch_reset(self->fd, &h, 1));
	ASSERT_EQ(0, an_unexport(self->fd, h));
	ASSERT_EQ(0, an_destroy(fd2, imp));
	ASSERT_EQ(0, an_destroy(self->fd, h));
	close(fd2);
	COLLECT();

#define OBJ "dev=0 id=%u kind=notify tgid=%d tid=%d"
	EXPECT_TRUE(has_event(self->buf, "obj_create", OBJ, info.id, me, me));
	EXPECT_TRUE(has_event(self->buf, "obj_export", OBJ " no_pid_check=0",
			      info.id, me, me));
	EXPECT_TRUE(has_event(self->buf, "trust_set",
			      OBJ " added=1 trusted=1 result=0",
			      info.id, me, me));
	EXPECT_TRUE(has_event(self->buf, "obj_import",
			      OBJ " bound=1 result=accepted", info.id, me, me));
	EXPECT_TRUE(has_event(self->buf, "notify_record", OBJ, info.id, me,
			      me));
	EXPECT_TRUE(has_event(self->buf, "notify_wait_start", OBJ " deadline_ns=",
			      info.id, me, me));
	EXPECT_TRUE(has_event(self->buf, "notify_wait_end",
			      OBJ " result=recorded waited_ns=", info.id, me,
			      me));
	EXPECT_TRUE(has_event(self->buf, "notify_wait_end",
			      OBJ " result=timeout waited_ns=", info.id, me,
			      me));
	EXPECT_TRUE(has_event(self->buf, "notify_reset", OBJ, info.id, me,
			      me));
	EXPECT_TRUE(has_event(self->buf, "obj_unexport", OBJ, info.id, me,
			      me));
	EXPECT_TRUE(has_event(self->buf, "obj_destroy", OBJ " creator=0",
			      info.id, me, me));
	EXPECT_TRUE(has_event(self->buf, "obj_destroy", OBJ " creator=1",
			      info.id, me, me));
	EXPECT_TRUE(has_event(self->buf, "context_open", "owner=%d tid=%d",
			      me, me));
	EXPECT_TRUE(has_event(self->buf, "context_close", "owner=%d tid=%d",
			      me, me));
#undef OBJ
}

TEST_F(trace, a_refused_import_says_why_and_who)
{
	struct ascend_notify_info info;
	char key[AN_KEY_BUF];
	int p[2];
	uint32_t h;
	pid_t pid;

	NEED_TRACEFS();
	ASSERT_EQ(0, an_create(self->fd, 2, 0, &h));
	ASSERT_EQ(0, an_info(self->fd, h, &info));
	ASSERT_EQ(0, an_export(self->fd, h, 0, key));
	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	pid = an_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fd = an_open();

		/* Not on the trustlist. */
		_exit(fd >= 0 && an_import(fd, key, 2, 0, NULL) == -EACCES ?
		      0 : 1);
	}
	ASSERT_EQ(0, an_reap(pid));
	COLLECT();
	EXPECT_TRUE(has_event(self->buf, "obj_import",
			      "dev=2 id=%u kind=notify tgid=%d tid=%d bound=2 result=untrusted",
			      info.id, pid, pid));
	close(p[0]);
	close(p[1]);
}

TEST_F(trace, device_memory_is_traced)
{
	struct ascend_notify_mem m;
	pid_t me = getpid();
	void *p;

	NEED_TRACEFS();
	ASSERT_EQ(0, an_mem_alloc(self->fd, 1, 8192, &m));
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd,
		 m.mmap_offset);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, munmap(p, 4096));
	ASSERT_EQ(0, an_destroy(self->fd, m.handle));
	COLLECT();
#define MEM "dev=1 id=0 kind=mem tgid=%d tid=%d size=%d"
	EXPECT_TRUE(has_event(self->buf, "mem_alloc", MEM, me, me, 8192));
	EXPECT_TRUE(has_event(self->buf, "mem_map", MEM, me, me, 4096));
	EXPECT_TRUE(has_event(self->buf, "mem_free", MEM, me, me, 8192));
#undef MEM
}

TEST_HARNESS_MAIN
