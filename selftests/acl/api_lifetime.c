// SPDX-License-Identifier: GPL-2.0
/*
 * The library's lifetime against concurrent callers: aclFinalize does not
 * free the number of its descriptor for reuse while a late caller may
 * still hold it; aclrtSetDevice racing aclFinalize does not recreate a
 * default stream (and its thread) after the library ended; two threads
 * importing one IPC memory key get one import, not two; a device reset
 * closes the device's handles in one pass over the handle table.
 */
#include <dirent.h>
#include <limits.h>
#include <linux/ascend_notify.h>

#include "acl_test.h"
#include "kselftest_harness.h"

#define ROUNDS	200

/* The descriptor of this process open on /dev/ascend_notify, or -1. */
static int device_fd(void)
{
	char path[PATH_MAX], target[PATH_MAX];
	struct dirent *d;
	DIR *dir = opendir("/proc/self/fd");
	int fd = -1;
	ssize_t n;

	while (dir && fd < 0 && (d = readdir(dir))) {
		snprintf(path, sizeof(path), "/proc/self/fd/%s", d->d_name);
		n = readlink(path, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		if (!strcmp(target, ASCEND_NOTIFY_DEVICE_PATH))
			fd = atoi(d->d_name);
	}
	if (dir)
		closedir(dir);
	return fd;
}

/* Threads of this process. */
static int thread_count(void)
{
	DIR *dir = opendir("/proc/self/task");
	struct dirent *d;
	int n = 0;

	while (dir && (d = readdir(dir)))
		n += d->d_name[0] != '.';
	if (dir)
		closedir(dir);
	return n;
}

/*
 * Threads beyond @base, once the joined ones are gone: a thread
 * pthread_join() returned for may linger in /proc for a moment, a leaked
 * one stays. Gives them SETTLE_MS.
 */
#define SETTLE_MS	2000
static int extra_threads(int base)
{
	uint64_t end = now_ns() + SETTLE_MS * 1000000ull;
	int n;

	while ((n = thread_count() - base) > 0 && now_ns() < end)
		sched_yield();
	return n;
}

/*
 * Issue 20, item 11: after aclFinalize the descriptor number still points
 * at something whose ioctls fail, so a late ioctl cannot reach the context
 * a later aclInit opens; that one gets another number.
 */
TEST(finalize_does_not_recycle_the_descriptor_number)
{
	char path[64], target[PATH_MAX] = "";
	int fd, fd2;

	ASSERT_EQ(ACL_SUCCESS, aclInit(NULL));
	fd = device_fd();
	ASSERT_LE(0, fd);
	ASSERT_EQ(ACL_SUCCESS, aclFinalize());
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	EXPECT_LT(0, readlink(path, target, sizeof(target) - 1));
	EXPECT_STREQ("/dev/null", target);
	ASSERT_EQ(ACL_SUCCESS, aclInit(NULL));
	fd2 = device_fd();
	EXPECT_LE(0, fd2);
	EXPECT_NE(fd, fd2);
	ASSERT_EQ(ACL_SUCCESS, aclFinalize());
	/* Cycles do not pile up descriptors: at most one stays retired. */
	ASSERT_EQ(ACL_SUCCESS, aclInit(NULL));
	ASSERT_EQ(ACL_SUCCESS, aclFinalize());
	EXPECT_GT(0, fcntl(fd2, F_GETFD));
}

struct setter {
	atomic_bool started;
	aclError ret;
};

static void *nothing(void *arg)
{
	return arg;
}

static void *set_device_until_refused(void *arg)
{
	struct setter *t = arg;

	atomic_store(&t->started, true);
	while (!(t->ret = aclrtSetDevice(0)))
		;
	return NULL;
}

/*
 * Issue 20, item 11: aclrtSetDevice racing aclFinalize either completes
 * before it (and the finalize ends its stream) or is refused; it never
 * leaves a default stream thread behind a finished library.
 */
TEST(set_device_racing_finalize_leaves_no_stream)
{
	struct setter t;
	pthread_t th;
	int i, base, leaked = 0;

	/*
	 * The main thread, and a sanitizer's own if there is one: TSAN starts
	 * its background thread with the process's first pthread_create.
	 */
	ASSERT_EQ(0, pthread_create(&th, NULL, nothing, NULL));
	pthread_join(th, NULL);
	base = extra_threads(1) + 1;

	for (i = 0; i < ROUNDS && !leaked; i++) {
		ASSERT_EQ(ACL_SUCCESS, aclInit(NULL));
		atomic_init(&t.started, false);
		t.ret = -1;
		ASSERT_EQ(0, pthread_create(&th, NULL,
					    set_device_until_refused, &t));
		while (!atomic_load(&t.started))
			sched_yield();
		ASSERT_EQ(ACL_SUCCESS, aclFinalize());
		pthread_join(th, NULL);
		EXPECT_EQ(ACL_ERROR_UNINITIALIZE, t.ret);
		leaked = extra_threads(base);
	}
	EXPECT_EQ(0, leaked);
}

/* The exporting child: sends a key of a 4 KiB allocation, then waits. */
static int exporter(int to_parent, int from_parent)
{
	char key[KEY_BUF];
	void *p;
	char c;

	CHILD_CHECK(10, aclInit(NULL));
	CHILD_CHECK(11, aclrtSetDevice(0));
	CHILD_CHECK(12, aclrtMalloc(&p, 4096, ACL_MEM_MALLOC_HUGE_FIRST));
	CHILD_CHECK(13, aclrtIpcMemGetExportKey(p, 4096, key, KEY_BUF,
			ACL_RT_IPC_MEM_EXPORT_FLAG_DISABLE_PID_VALIDATION));
	if (!an_send(to_parent, key, KEY_BUF) ||
	    read(from_parent, &c, 1) != 1)
		return 14;
	return 0;
}

struct importer {
	pthread_barrier_t *go;
	const char *key;
	aclError ret;
};

static void *import_key(void *arg)
{
	struct importer *im = arg;
	void *p;

	if (aclrtSetDevice(0))
		abort();
	pthread_barrier_wait(im->go);
	im->ret = aclrtIpcMemImportByKey(&p, im->key, 0);
	return NULL;
}

/* Issue 20, item 13: of two threads importing one key, one succeeds. */
TEST(one_import_per_key_under_concurrency)
{
	int to_parent[2], to_child[2], i, ok = 0;
	struct importer im[2];
	pthread_barrier_t go;
	char key[KEY_BUF];
	pthread_t th[2];
	pid_t child;

	ASSERT_EQ(0, pipe(to_parent));
	ASSERT_EQ(0, pipe(to_child));
	child = an_fork();
	ASSERT_LE(0, child);
	if (child == 0)
		_exit(exporter(to_parent[1], to_child[0]));
	ASSERT_TRUE(an_recv(to_parent[0], key, KEY_BUF));
	ASSERT_EQ(ACL_SUCCESS, aclInit(NULL));
	for (i = 0; i < ROUNDS / 4; i++) {
		ASSERT_EQ(0, pthread_barrier_init(&go, NULL, 2));
		im[0] = (struct importer){ &go, key, -1 };
		im[1] = im[0];
		ASSERT_EQ(0, pthread_create(&th[0], NULL, import_key, &im[0]));
		ASSERT_EQ(0, pthread_create(&th[1], NULL, import_key, &im[1]));
		pthread_join(th[0], NULL);
		pthread_join(th[1], NULL);
		pthread_barrier_destroy(&go);
		ok = (im[0].ret == ACL_SUCCESS) + (im[1].ret == ACL_SUCCESS);
		EXPECT_EQ(1, ok);
		ASSERT_EQ(ACL_SUCCESS, aclrtIpcMemClose(key));
		if (ok != 1)
			break;
	}
	EXPECT_EQ(ACL_SUCCESS, aclFinalize());
	ASSERT_EQ(1, write(to_child[1], "x", 1));
	EXPECT_EQ(0, an_reap(child));
}

/*
 * Issue 20, item 12: resetting a device closes its handles in one pass
 * over the handle table, however many there are. The library's debug log
 * counts the slots each teardown visited: a pass per object closed would
 * visit n times the table.
 */
struct teardown {
	size_t closed, visited, table;
};

/* Creates @n events on device 0, resets it; the events' teardown counts. */
static bool teardown_events(struct __test_metadata *_metadata, int n,
			    int log, struct teardown *t)
{
	char line[512], *p;
	aclrtEvent e;
	bool found = false;
	FILE *f;
	int i, type;

	ASSERT_EQ(0, ftruncate(log, 0));
	ASSERT_EQ(0, lseek(log, 0, SEEK_SET));
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(0));
	for (i = 0; i < n; i++)
		ASSERT_EQ(ACL_SUCCESS, aclrtCreateEvent(&e));
	ASSERT_EQ(ACL_SUCCESS, aclrtResetDevice(0));
	f = fdopen(dup(log), "r");
	ASSERT_NE(NULL, f);
	rewind(f);
	while (fgets(line, sizeof(line), f)) {
		p = strstr(line, "an_obj_close_each: type ");
		if (!p || sscanf(p, "an_obj_close_each: type %d: %zu closed, "
				 "%zu slots visited of %zu", &type, &t->closed,
				 &t->visited, &t->table) != 4)
			continue;
		if (type == 3 /* AN_OBJ_EVENT */) {
			found = true;
			break;
		}
	}
	fclose(f);
	return found;
}

TEST(device_teardown_is_one_pass)
{
	struct teardown small, large;
	char path[] = "/tmp/api_lifetime.XXXXXX";
	int log, saved;

	/* Read once, at the library's first message in this process. */
	ASSERT_EQ(0, setenv("ASCEND_NOTIFY_LOG", "debug", 1));
	log = mkstemp(path);
	ASSERT_LE(0, log);
	unlink(path);
	saved = dup(STDERR_FILENO);
	ASSERT_LE(0, saved);
	ASSERT_EQ(STDERR_FILENO, dup2(log, STDERR_FILENO));
	ASSERT_EQ(ACL_SUCCESS, aclInit(NULL));
	EXPECT_TRUE(teardown_events(_metadata, 64, log, &small));
	EXPECT_TRUE(teardown_events(_metadata, 256, log, &large));
	EXPECT_EQ(ACL_SUCCESS, aclFinalize());
	ASSERT_EQ(STDERR_FILENO, dup2(saved, STDERR_FILENO));
	close(saved);
	close(log);

	EXPECT_EQ(64, small.closed);
	EXPECT_EQ(256, large.closed);
	/* One pass each: every slot once, not once per object closed. */
	EXPECT_EQ(small.table, small.visited);
	EXPECT_EQ(large.table, large.visited);
	EXPECT_LE(256, large.table);
	/* Four times the objects, at most four times the work (plus streams). */
	EXPECT_GE(4 * small.visited + 8, large.visited);
}

TEST_HARNESS_MAIN
