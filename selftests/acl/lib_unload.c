// SPDX-License-Identifier: GPL-2.0
/*
 * The library under dlopen() and dlclose(), as a plugin host loads it: a
 * thread that used it may outlive the dlclose(). The library keeps
 * per-thread state behind pthread keys whose destructors run at thread
 * exit, so it must stay mapped (-z nodelete) or such a thread crashes
 * when it ends. This program does not link the library.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <unistd.h>

#include "acl/acl.h"
#include "kselftest_harness.h"

struct user {
	void *lib;
	int go[2];		/* the test tells the thread to end */
	int used[2];		/* the thread tells the test it used the lib */
};

static void *use_then_wait(void *arg)
{
	struct user *u = arg;
	aclError (*run_mode)(aclrtRunMode *);
	const char *(*recent)(void);
	char ok = 0, c;

	run_mode = (aclError (*)(aclrtRunMode *))dlsym(u->lib,
						       "aclrtGetRunMode");
	recent = (const char *(*)(void))dlsym(u->lib, "aclGetRecentErrMsg");
	/* A failure: its message goes to this thread's heap buffer. */
	if (run_mode && recent && run_mode(NULL) != ACL_SUCCESS) {
		run_mode(NULL);
		ok = recent() != NULL;
	}
	if (write(u->used[1], &ok, 1) != 1 || read(u->go[0], &c, 1) != 1)
		return (void *)1;
	return NULL;	/* the thread's key destructors run after this */
}

TEST(thread_that_used_it_outlives_dlclose)
{
	struct user u;
	pthread_t t;
	void *ret = (void *)-1;
	char ok = 0;

	u.lib = dlopen(AN_LIBDIR "/libascendcl.so.1", RTLD_NOW | RTLD_LOCAL);
	ASSERT_NE(NULL, u.lib) TH_LOG("%s", dlerror());
	ASSERT_EQ(0, pipe(u.go));
	ASSERT_EQ(0, pipe(u.used));
	ASSERT_EQ(0, pthread_create(&t, NULL, use_then_wait, &u));
	ASSERT_EQ(1, read(u.used[0], &ok, 1));
	EXPECT_EQ(1, ok);
	EXPECT_EQ(0, dlclose(u.lib));
	ASSERT_EQ(1, write(u.go[1], "x", 1));
	ASSERT_EQ(0, pthread_join(t, &ret));
	EXPECT_EQ(NULL, ret);
}

TEST_HARNESS_MAIN
