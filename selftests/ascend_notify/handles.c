// SPDX-License-Identifier: GPL-2.0
/*
 * Handle ids. They start at 1 and are allocated cyclically within the
 * module's max_handles. An id reserved by a CREATE that is still copying
 * its reply out is not a handle yet: DESTROY of it fails and keeps the
 * reservation, so the allocator cannot hand the id to another handle that
 * the CREATE would then overwrite when it publishes its own.
 *
 * The module is reloaded with max_handles=4 so that the wrap-around is a
 * few calls away.
 */
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <sys/mman.h>

#include "an_test.h"
#include "kselftest_harness.h"

#define MAX_IDS 4

FIXTURE(handles) {
	int fd;
};

FIXTURE_SETUP(handles)
{
	ASSERT_EQ(0, an_module_reload("max_handles=4"));
	self->fd = an_open();
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(handles)
{
	close(self->fd);
	EXPECT_EQ(0, an_live_objects());
	EXPECT_EQ(0, an_module_restore());
}

TEST_F(handles, ids_wrap_within_the_limit)
{
	uint32_t h, i;

	for (i = 1; i <= MAX_IDS; i++) {
		ASSERT_EQ(0, an_create(self->fd, 0, 0, &h));
		EXPECT_EQ(i, h);
	}
	EXPECT_EQ(-EMFILE, an_create(self->fd, 0, 0, &h));
	/* The only free id, after a wrap-around. */
	ASSERT_EQ(0, an_destroy(self->fd, 2));
	ASSERT_EQ(0, an_create(self->fd, 0, 0, &h));
	EXPECT_EQ(2, h);
	for (i = 1; i <= MAX_IDS; i++)
		EXPECT_EQ(0, an_destroy(self->fd, i));
}

TEST(max_handles_out_of_range_is_refused)
{
	EXPECT_EQ(-EINVAL, an_module_reload("max_handles=0"));
	EXPECT_EQ(-EINVAL, an_module_reload("max_handles=2147483648"));
	EXPECT_EQ(0, an_module_restore());
}

struct create_call {
	int fd;
	struct ascend_notify_create *arg;
	int ret;
};

static void *create_main(void *p)
{
	struct create_call *c = p;

	c->ret = an_ioctl(c->fd, ASCEND_NOTIFY_IOC_CREATE, c->arg);
	return NULL;
}

/*
 * The CREATE's reply lies on a write-protected userfaultfd page, so the
 * CREATE stops in its copy-out with id 1 reserved, for as long as the test
 * likes. Meanwhile: DESTROY of id 1, then enough creates to wrap around.
 */
TEST_F_TIMEOUT(handles, destroy_of_a_reserved_id_keeps_it, 60)
{
	struct uffdio_api api = {
		.api = UFFD_API, .features = UFFD_FEATURE_PAGEFAULT_FLAG_WP,
	};
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_WP };
	struct uffdio_writeprotect wp = { .mode = UFFDIO_WRITEPROTECT_MODE_WP };
	struct ascend_notify_info info;
	struct create_call call;
	uint32_t h, i, ids[MAX_IDS];
	struct uffd_msg msg;
	struct pollfd pfd;
	long page_size = sysconf(_SC_PAGESIZE);
	pthread_t t;
	void *page;
	int uffd;

	uffd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (uffd < 0)
		SKIP(return, "no userfaultfd: %s", strerror(errno));
	if (ioctl(uffd, UFFDIO_API, &api))
		SKIP(return, "no userfaultfd write-protect: %s",
		     strerror(errno));
	page = mmap(NULL, page_size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, page);
	call = (struct create_call){ .fd = self->fd, .arg = page };
	*call.arg = (struct ascend_notify_create){ .dev = 0 };
	reg.range = (struct uffdio_range){ (uintptr_t)page, page_size };
	wp.range = reg.range;
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_REGISTER, &reg));
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_WRITEPROTECT, &wp));

	ASSERT_EQ(0, pthread_create(&t, NULL, create_main, &call));
	pfd = (struct pollfd){ .fd = uffd, .events = POLLIN };
	ASSERT_EQ(1, poll(&pfd, 1, 20000)) {
		TH_LOG("the CREATE never wrote its reply");
	}
	ASSERT_EQ(sizeof(msg), read(uffd, &msg, sizeof(msg)));
	ASSERT_EQ(UFFD_EVENT_PAGEFAULT, msg.event);
	ASSERT_TRUE(msg.arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WP);

	/* Id 1 is reserved, not a handle: nothing to destroy. */
	EXPECT_EQ(-ENOENT, an_destroy(self->fd, 1));
	for (i = 2; i <= MAX_IDS; i++) {
		ASSERT_EQ(0, an_create(self->fd, 0, 0, &h));
		EXPECT_EQ(i, h);
	}
	/* The reservation held: no id is left to wrap around to. */
	EXPECT_EQ(-EMFILE, an_create(self->fd, 0, 0, &h));

	wp.mode = 0;
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_WRITEPROTECT, &wp));
	ASSERT_EQ(0, pthread_join(t, NULL));
	ASSERT_EQ(0, call.ret);
	EXPECT_EQ(1, call.arg->handle);

	/* Four live handles, each of its own notify. */
	for (i = 1; i <= MAX_IDS; i++) {
		ASSERT_EQ(0, an_info(self->fd, i, &info));
		ids[i - 1] = info.id;
	}
	EXPECT_EQ(call.arg->id, ids[0]);
	for (i = 1; i < MAX_IDS; i++)
		EXPECT_NE(ids[0], ids[i]);
	for (i = 1; i <= MAX_IDS; i++)
		EXPECT_EQ(0, an_destroy(self->fd, i));
	munmap(page, page_size);
	close(uffd);
}

TEST_HARNESS_MAIN
