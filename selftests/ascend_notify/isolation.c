// SPDX-License-Identifier: GPL-2.0
/*
 * Isolation and resources: the claims of Documentation/security.rst that
 * no other file checks. Any local user may open the device, but a context
 * is usable only by the process that opened it, whatever its privileges;
 * a key is worth nothing to an importer the exporter did not trust, root
 * included; and every object a process creates is charged to its memory
 * cgroup, so the cgroup's limit bounds what it can make the kernel hold.
 */
#include <grp.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "an_test.h"
#include "kselftest_harness.h"

#define NOBODY	65534

/* Drops to an unprivileged user with no capabilities left. */
static bool become_nobody(void)
{
	return setgroups(0, NULL) == 0 &&
	       setresgid(NOBODY, NOBODY, NOBODY) == 0 &&
	       setresuid(NOBODY, NOBODY, NOBODY) == 0;
}

static bool send_fd(int sock, int fd)
{
	char data = 'f';
	struct iovec iov = { .iov_base = &data, .iov_len = 1 };
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int))];
	} u = { 0 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = u.buf, .msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);

	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1;
}

static int recv_fd(int sock)
{
	char data;
	struct iovec iov = { .iov_base = &data, .iov_len = 1 };
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = u.buf, .msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *cmsg;
	int fd;

	if (recvmsg(sock, &msg, 0) != 1)
		return -1;
	cmsg = CMSG_FIRSTHDR(&msg);
	if (!cmsg || cmsg->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
	return fd;
}

FIXTURE(iso) {
	int fd;
};

FIXTURE_SETUP(iso)
{
	self->fd = an_open();
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(iso)
{
	if (self->fd >= 0)
		close(self->fd);
	EXPECT_EQ(0, an_live_objects());
}

TEST_F(iso, device_node_is_open_to_every_local_user)
{
	struct stat st;

	ASSERT_EQ(0, stat(ASCEND_NOTIFY_DEVICE_PATH, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0666, st.st_mode & 07777);
}

/* No capability is needed for the whole flow within one's own objects. */
TEST_F(iso, unprivileged_process_runs_the_whole_flow)
{
	pid_t child = an_fork();

	ASSERT_LE(0, child);
	if (child == 0) {
		char key[AN_KEY_BUF];
		uint32_t h, imp;
		int32_t me;
		int fd;

		if (!become_nobody())
			_exit(10);
		fd = an_open();
		if (fd < 0)
			_exit(11);
		me = an_bare_tgid(fd);
		if (an_create(fd, 0, 0, &h) || an_export(fd, h, 0, key) ||
		    an_set_pids(fd, h, &me, 1) ||
		    an_import(fd, key, 0, 0, &imp) || an_record(fd, imp) ||
		    an_wait(fd, h, ASCEND_NOTIFY_FOREVER))
			_exit(12);
		_exit(0);
	}
	EXPECT_EQ(0, an_reap(child));
}

/*
 * A descriptor passed over a UNIX socket carries the context but not the
 * right to use it: every ioctl, even one that names no handle, is refused.
 */
TEST_F(iso, descriptor_passed_to_another_process_is_refused)
{
	uint32_t h;
	int sv[2];
	pid_t child;

	ASSERT_EQ(0, an_create(self->fd, 0, 0, &h));
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	child = an_fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		struct ascend_notify_version v = { 0 };
		int fd = recv_fd(sv[1]);
		int r = 0;

		if (fd < 0)
			_exit(10);
		if (an_ioctl(fd, ASCEND_NOTIFY_IOC_VERSION, &v) != -EBADFD)
			r |= 1;
		if (an_record(fd, h) != -EBADFD)
			r |= 2;
		if (an_export(fd, h, ASCEND_NOTIFY_EXPORT_NO_PID_CHECK,
			      NULL) != -EBADFD)
			r |= 4;
		if (an_destroy(fd, h) != -EBADFD)
			r |= 8;
		_exit(r);
	}
	ASSERT_TRUE(send_fd(sv[0], self->fd));
	EXPECT_EQ(0, an_reap(child));
	/* The owner's handle is untouched and still unexported. */
	EXPECT_EQ(0, an_is_set(self->fd, h));
	EXPECT_EQ(0, an_record(self->fd, h));
	EXPECT_EQ(1, an_is_set(self->fd, h));
	EXPECT_EQ(0, an_destroy(self->fd, h));
	close(sv[0]);
	close(sv[1]);
}

/* Privilege is no substitute for trust: root is refused like anyone. */
TEST_F(iso, root_not_on_the_trustlist_is_refused)
{
	char key[AN_KEY_BUF];
	int keyp[2];
	pid_t owner;

	ASSERT_EQ(0, geteuid());
	ASSERT_EQ(0, pipe(keyp));
	owner = an_fork();
	ASSERT_LE(0, owner);
	if (owner == 0) {
		/* An unprivileged exporter trusting only itself. */
		uint32_t h;
		int32_t me;
		int fd;

		close(keyp[0]);
		if (!become_nobody())
			_exit(10);
		fd = an_open();
		me = an_bare_tgid(fd);
		if (fd < 0 || an_create(fd, 0, 0, &h) ||
		    an_export(fd, h, 0, key) || an_set_pids(fd, h, &me, 1) ||
		    !an_send(keyp[1], key, ASCEND_NOTIFY_KEY_LEN))
			_exit(11);
		/* Keep the key alive until the parent closes the pipe. */
		close(keyp[1]);
		pause();
		_exit(0);
	}
	close(keyp[1]);
	ASSERT_TRUE(an_recv(keyp[0], key, ASCEND_NOTIFY_KEY_LEN));
	key[ASCEND_NOTIFY_KEY_LEN] = '\0';
	EXPECT_EQ(-EACCES, an_import(self->fd, key, 0, 0, NULL));
	EXPECT_EQ(-EACCES, an_import(self->fd, key, 0,
				     ASCEND_NOTIFY_IMPORT_PEER_ACCESS, NULL));
	kill(owner, SIGKILL);
	EXPECT_EQ(128 + SIGKILL, an_reap(owner));
	close(keyp[0]);
}

/* ---- memory cgroup charging ------------------------------------------- */

#define CG_ROOT	"/sys/fs/cgroup"

static bool cg_write(const char *path, const char *s)
{
	return an_write_file(path, s, 0) == 0;
}

/* The value of @name in the cgroup's memory.stat, or -1. */
static long long cg_stat(const char *cg, const char *name)
{
	char path[256], line[256];
	long long v = -1;
	size_t len = strlen(name);
	FILE *f;

	snprintf(path, sizeof(path), "%s/memory.stat", cg);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, name, len) && line[len] == ' ') {
			v = atoll(line + len + 1);
			break;
		}
	}
	fclose(f);
	return v;
}

FIXTURE(memcg) {
	char cg[128];
	bool made;
	bool usable;
};

FIXTURE_SETUP(memcg)
{
	char path[192];

	snprintf(self->cg, sizeof(self->cg), CG_ROOT "/an_isolation_%d",
		 getpid());
	if (access(CG_ROOT "/cgroup.controllers", R_OK))
		SKIP(return, "no cgroup2 hierarchy at " CG_ROOT);
	cg_write(CG_ROOT "/cgroup.subtree_control", "+memory");
	ASSERT_EQ(0, mkdir(self->cg, 0755));
	self->made = true;
	snprintf(path, sizeof(path), "%s/memory.stat", self->cg);
	if (access(path, R_OK))
		SKIP(return, "the memory controller is not available");
	self->usable = true;
}

FIXTURE_TEARDOWN(memcg)
{
	if (self->made)
		EXPECT_EQ(0, rmdir(self->cg));
	EXPECT_EQ(0, an_live_objects());
}

/*
 * A child in a fresh memory cgroup creates, exports and imports notifies;
 * the cgroup's slab grows by at least what the module reports the objects
 * to weigh. Because the charge goes to the creator's cgroup, its
 * memory.max bounds how much kernel memory a process can pin this way.
 */
TEST_F(memcg, objects_are_charged_to_the_creators_memory_cgroup)
{
	enum { N = 2000 };
	struct an_stats st;
	long long before, after;
	int go[2], res[2], fd;
	char path[192], pid[32];
	pid_t child;

	/* A SKIP in the setup does not stop the harness running the test. */
	if (!self->usable)
		return;
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(res));
	child = an_fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		static uint32_t h[N];
		long long b, a;
		int fd, i;

		close(go[1]);
		close(res[0]);
		if (an_recv_u32(go[0]) != 1)
			_exit(10);
		fd = an_open();
		if (fd < 0)
			_exit(11);
		b = cg_stat(self->cg, "slab");
		for (i = 0; i < N; i++) {
			if (an_create(fd, 0, 0, &h[i]) ||
			    an_export(fd, h[i], ASCEND_NOTIFY_EXPORT_NO_PID_CHECK,
				      NULL))
				_exit(12);
		}
		a = cg_stat(self->cg, "slab");
		if (!an_send(res[1], &b, sizeof(b)) ||
		    !an_send(res[1], &a, sizeof(a)))
			_exit(13);
		_exit(0);
	}
	close(go[0]);
	close(res[1]);
	snprintf(path, sizeof(path), "%s/cgroup.procs", self->cg);
	snprintf(pid, sizeof(pid), "%d", child);
	ASSERT_TRUE(cg_write(path, pid));
	ASSERT_TRUE(an_send_u32(go[1], 1));
	ASSERT_TRUE(an_recv(res[0], &before, sizeof(before)));
	ASSERT_TRUE(an_recv(res[0], &after, sizeof(after)));
	EXPECT_EQ(0, an_reap(child));
	ASSERT_LE(0, before);
	fd = an_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, an_stats(&st));
	close(fd);
	TH_LOG("slab charged for %d created and exported notifies: %lld bytes "
	       "(%lld per notify; module reports %u + %u + %u)", N,
	       after - before, (after - before) / N, st.notify_size,
	       st.handle_size, st.export_size);
	EXPECT_GE(after - before,
		  (long long)N * (st.notify_size + st.handle_size +
				  st.export_size));
	close(go[1]);
	close(res[0]);
}

TEST_HARNESS_MAIN
