// SPDX-License-Identifier: GPL-2.0
/*
 * The PID trustlist: who may import an exported notify, who may change the
 * list, and that trust is in a process, not in a PID number.
 */
#include <dirent.h>
#include <linux/sched.h>
#include <pthread.h>
#include <sched.h>
#include <sys/socket.h>

#include "an_test.h"
#include "kselftest_harness.h"

/*
 * A child that imports on request. Protocol over a socketpair: the child
 * sends its bare TGID and its namespaced getpid(); then, for every key it
 * receives, it answers with the import's result (0 or -errno), destroying
 * the handle it got. It exits when the socket closes.
 */
static int importer_loop(int sock)
{
	char key[ASCEND_NOTIFY_KEY_LEN];
	int32_t ids[2];
	uint32_t h;
	int fd, ret;

	fd = an_open();
	if (fd < 0)
		return 10;
	ids[0] = an_bare_tgid(fd);
	ids[1] = getpid();
	if (!an_send(sock, ids, sizeof(ids)))
		return 11;
	while (an_recv(sock, key, sizeof(key))) {
		ret = an_import(fd, key, 0, 0, &h);
		if (!ret)
			an_destroy(fd, h);
		if (!an_send(sock, &ret, sizeof(ret)))
			return 12;
	}
	close(fd);
	return 0;
}

struct importer {
	pid_t pid;
	int sock;
	int32_t bare;	/* bare TGID */
	int32_t local;	/* getpid() in its own namespace */
};

static bool importer_start(struct importer *im)
{
	int32_t ids[2];
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return false;
	im->pid = an_fork();
	if (im->pid < 0)
		return false;
	if (im->pid == 0) {
		close(sv[0]);
		_exit(importer_loop(sv[1]));
	}
	close(sv[1]);
	im->sock = sv[0];
	if (!an_recv(im->sock, ids, sizeof(ids)))
		return false;
	im->bare = ids[0];
	im->local = ids[1];
	return true;
}

/* The importer's answer to @key: 0 or -errno. */
static int importer_try(struct importer *im, const char *key)
{
	int ret = -EPIPE;

	if (an_send(im->sock, key, ASCEND_NOTIFY_KEY_LEN))
		an_recv(im->sock, &ret, sizeof(ret));
	return ret;
}

static int importer_stop(struct importer *im)
{
	close(im->sock);
	return an_reap(im->pid);
}

FIXTURE(trust) {
	int fd;
	uint32_t h;
	char key[AN_KEY_BUF];
	struct importer b;
};

FIXTURE_SETUP(trust)
{
	self->fd = an_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, an_create(self->fd, 0, 0, &self->h));
	ASSERT_TRUE(importer_start(&self->b));
}

FIXTURE_TEARDOWN(trust)
{
	EXPECT_EQ(0, importer_stop(&self->b));
	close(self->fd);
	EXPECT_EQ(0, an_live_objects());
}

TEST_F(trust, untrusted_importer_is_refused)
{
	ASSERT_EQ(0, an_export(self->fd, self->h, 0, self->key));
	EXPECT_EQ(-EACCES, importer_try(&self->b, self->key));
	/* Not even the exporting process is trusted implicitly. */
	EXPECT_EQ(-EACCES, an_import(self->fd, self->key, 0, 0, NULL));
}

TEST_F(trust, trusted_importer_is_accepted)
{
	ASSERT_EQ(0, an_export(self->fd, self->h, 0, self->key));
	ASSERT_EQ(0, an_set_pids(self->fd, self->h, &self->b.bare, 1));
	EXPECT_EQ(0, importer_try(&self->b, self->key));
	/* Trust lasts: a second import works too. */
	EXPECT_EQ(0, importer_try(&self->b, self->key));
}

TEST_F(trust, no_pid_check_export_lets_anyone_import)
{
	ASSERT_EQ(0, an_export(self->fd, self->h,
			       ASCEND_NOTIFY_EXPORT_NO_PID_CHECK, self->key));
	EXPECT_EQ(0, importer_try(&self->b, self->key));
}

TEST_F(trust, set_pids_after_no_pid_check_export_is_refused)
{
	ASSERT_EQ(0, an_export(self->fd, self->h,
			       ASCEND_NOTIFY_EXPORT_NO_PID_CHECK, self->key));
	EXPECT_EQ(-EACCES, an_set_pids(self->fd, self->h, &self->b.bare, 1));
}

TEST_F(trust, set_pids_before_export_is_refused)
{
	EXPECT_EQ(-ENOKEY, an_set_pids(self->fd, self->h, &self->b.bare, 1));
}

TEST_F(trust, only_the_exporter_edits_the_list)
{
	int32_t me;
	uint32_t imp;
	int fd2;

	ASSERT_EQ(0, an_export(self->fd, self->h, 0, self->key));
	me = an_bare_tgid(self->fd);
	ASSERT_EQ(0, an_set_pids(self->fd, self->h, &me, 1));
	/* An importer's handle - here in a second context - may not. */
	fd2 = an_open();
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, an_import(fd2, self->key, 0, 0, &imp));
	EXPECT_EQ(-EPERM, an_set_pids(fd2, imp, &self->b.bare, 1));
	EXPECT_EQ(-EACCES, importer_try(&self->b, self->key));
	close(fd2);
}

TEST_F(trust, nonexistent_pid_is_refused)
{
	int32_t bad[] = { 0x3fffffff };	/* above any pid_max */

	ASSERT_EQ(0, an_export(self->fd, self->h, 0, self->key));
	EXPECT_EQ(-ESRCH, an_set_pids(self->fd, self->h, bad, 1));
	bad[0] = 0;
	EXPECT_EQ(-EINVAL, an_set_pids(self->fd, self->h, bad, 1));
	bad[0] = -5;
	EXPECT_EQ(-EINVAL, an_set_pids(self->fd, self->h, bad, 1));
	EXPECT_EQ(-EACCES, importer_try(&self->b, self->key));
}

static void *park(void *arg)
{
	pause();
	return NULL;
}

TEST_F(trust, thread_id_is_not_a_process)
{
	struct dirent *e;
	pthread_t t;
	int32_t tid;
	DIR *d;

	ASSERT_EQ(0, an_export(self->fd, self->h, 0, self->key));
	ASSERT_EQ(0, pthread_create(&t, NULL, park, NULL));
	/* Find the new thread's id in /proc/self/task. */
	tid = 0;
	d = opendir("/proc/self/task");
	ASSERT_NE(NULL, d);
	while ((e = readdir(d))) {
		int v = atoi(e->d_name);

		if (v > 0 && v != getpid())
			tid = v;
	}
	closedir(d);
	ASSERT_LT(0, tid);
	/* In the initial namespace, so the tid is also its bare number. */
	EXPECT_EQ(-ESRCH, an_set_pids(self->fd, self->h, &tid, 1));
	pthread_cancel(t);
	pthread_join(t, NULL);
}

TEST_F(trust, list_change_is_all_or_nothing)
{
	int32_t pids[2] = { self->b.bare, 0x3fffffff };

	ASSERT_EQ(0, an_export(self->fd, self->h, 0, self->key));
	EXPECT_EQ(-ESRCH, an_set_pids(self->fd, self->h, pids, 2));
	EXPECT_EQ(-EACCES, importer_try(&self->b, self->key));
}

TEST_F(trust, list_is_bounded)
{
	int32_t pids[ASCEND_NOTIFY_TRUST_MAX + 1];
	pid_t kids[ASCEND_NOTIFY_TRUST_MAX + 1];
	int hold[2], i;

	ASSERT_EQ(0, an_export(self->fd, self->h, 0, self->key));
	ASSERT_EQ(0, pipe2(hold, O_CLOEXEC));
	for (i = 0; i <= ASCEND_NOTIFY_TRUST_MAX; i++) {
		char c;

		kids[i] = an_fork();
		ASSERT_LE(0, kids[i]);
		if (kids[i] == 0) {
			close(hold[1]);
			_exit(read(hold[0], &c, 1) == 0 ? 0 : 1);
		}
		pids[i] = kids[i];	/* initial namespace: bare == pid */
	}
	close(hold[0]);

	EXPECT_EQ(-E2BIG, an_set_pids(self->fd, self->h, pids,
				      ASCEND_NOTIFY_TRUST_MAX + 1));
	/* Fill it in two steps; repeats take no slot. */
	EXPECT_EQ(0, an_set_pids(self->fd, self->h, pids, 10));
	EXPECT_EQ(0, an_set_pids(self->fd, self->h, pids, 10));
	EXPECT_EQ(0, an_set_pids(self->fd, self->h, pids,
				 ASCEND_NOTIFY_TRUST_MAX));
	EXPECT_EQ(-E2BIG, an_set_pids(self->fd, self->h,
				      &pids[ASCEND_NOTIFY_TRUST_MAX], 1));
	EXPECT_EQ(-E2BIG, an_set_pids(self->fd, self->h, &self->b.bare, 1));
	EXPECT_EQ(-EACCES, importer_try(&self->b, self->key));

	close(hold[1]);
	for (i = 0; i <= ASCEND_NOTIFY_TRUST_MAX; i++)
		EXPECT_EQ(0, an_reap(kids[i]));
}

/* Child of clone3(): import @key and exit with 0 or the errno. */
static int try_import_and_exit(const char *key)
{
	int fd = an_open();
	int ret;

	if (fd < 0)
		return 100;
	ret = an_import(fd, key, 0, 0, NULL);
	return -ret;
}

TEST_F(trust, reused_pid_of_trusted_process_is_refused)
{
	struct clone_args args = { .exit_signal = SIGCHLD };
	pid_t tid[1];
	int32_t victim;
	pid_t pid;
	int status;

	ASSERT_EQ(0, an_export(self->fd, self->h, 0, self->key));
	ASSERT_EQ(0, an_set_pids(self->fd, self->h, &self->b.bare, 1));
	EXPECT_EQ(0, importer_try(&self->b, self->key));

	/* The trusted process exits; its PID number becomes free. */
	victim = self->b.bare;
	ASSERT_EQ(0, importer_stop(&self->b));

	/* A new process takes exactly that number (needs CAP_SYS_ADMIN). */
	tid[0] = victim;
	args.set_tid = (uintptr_t)tid;
	args.set_tid_size = 1;
	pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid == 0)
		_exit(try_import_and_exit(self->key));
	ASSERT_EQ(victim, pid) TH_LOG("clone3(set_tid): %s", strerror(errno));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(EACCES, WEXITSTATUS(status));

	/* Teardown reaps an importer: give it a fresh one. */
	ASSERT_TRUE(importer_start(&self->b));
}

/*
 * A process in a new PID namespace: its getpid() is 1 there, its bare TGID
 * is its number in the initial namespace. Trust follows the bare TGID.
 */
TEST_F(trust, importer_in_pid_namespace_is_trusted_by_bare_tgid)
{
	struct importer inner;
	int32_t ids[2];
	int sv[2];
	pid_t mid;

	ASSERT_EQ(0, an_export(self->fd, self->h, 0, self->key));
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	mid = an_fork();
	ASSERT_LE(0, mid);
	if (mid == 0) {
		pid_t in;

		close(sv[0]);
		if (unshare(CLONE_NEWPID))
			_exit(20);
		in = an_fork();
		if (in == 0)
			_exit(importer_loop(sv[1]));
		_exit(an_reap(in));
	}
	close(sv[1]);
	inner.pid = mid;
	inner.sock = sv[0];
	ASSERT_TRUE(an_recv(inner.sock, ids, sizeof(ids)));
	inner.bare = ids[0];
	inner.local = ids[1];
	EXPECT_EQ(1, inner.local);
	EXPECT_NE(inner.local, inner.bare);

	/* Its namespaced PID names another process (init) here. */
	ASSERT_EQ(0, an_set_pids(self->fd, self->h, &inner.local, 1));
	EXPECT_EQ(-EACCES, importer_try(&inner, self->key));
	ASSERT_EQ(0, an_set_pids(self->fd, self->h, &inner.bare, 1));
	EXPECT_EQ(0, importer_try(&inner, self->key));
	EXPECT_EQ(0, importer_stop(&inner));
}

/*
 * An exporter in a PID namespace names trusted peers by their bare TGIDs,
 * which are numbers of the initial namespace: a host process it cannot
 * see is accepted, a number that names nothing is ESRCH. That tells it
 * whether a host TGID exists, and nothing more (security.rst says why
 * this stays).
 */
TEST(pid_namespace_learns_only_whether_a_host_tgid_exists)
{
	int32_t host = getpid();	/* the test runs in the initial namespace */
	pid_t mid;

	mid = an_fork();
	ASSERT_LE(0, mid);
	if (mid == 0) {
		pid_t in;

		if (unshare(CLONE_NEWPID))
			_exit(20);
		in = an_fork();
		if (in == 0) {
			int32_t none = 0x3fffffff;	/* above any pid_max */
			char key[AN_KEY_BUF];
			uint32_t h;
			int fd = an_open();

			if (fd < 0 || an_create(fd, 0, 0, &h) ||
			    an_export(fd, h, 0, key))
				_exit(21);
			/* Not visible here, yet trusted by its host number. */
			if (kill(host, 0) == 0 || errno != ESRCH)
				_exit(22);
			if (an_set_pids(fd, h, &host, 1))
				_exit(23);
			_exit(an_set_pids(fd, h, &none, 1) == -ESRCH ? 0 : 24);
		}
		_exit(an_reap(in));
	}
	EXPECT_EQ(0, an_reap(mid));
	EXPECT_EQ(0, an_live_objects());
}

TEST_HARNESS_MAIN
