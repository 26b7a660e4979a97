// SPDX-License-Identifier: GPL-2.0
/*
 * Export keys are capabilities: 64 lowercase hex digits of randomness,
 * one per notify, never shared, unguessable, and withdrawn with the
 * creator.
 */
#include <ctype.h>
#include <sys/random.h>

#include "an_test.h"
#include "kselftest_harness.h"

FIXTURE(keys) {
	int fd;
	uint32_t h;
	char key[AN_KEY_BUF];
};

FIXTURE_SETUP(keys)
{
	self->fd = an_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, an_create(self->fd, 0, 0, &self->h));
}

FIXTURE_TEARDOWN(keys)
{
	close(self->fd);
	EXPECT_EQ(0, an_live_objects());
}

static void random_key(char key[AN_KEY_BUF])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char raw[ASCEND_NOTIFY_KEY_LEN];
	int i;

	if (getrandom(raw, sizeof(raw), 0) != sizeof(raw))
		abort();
	for (i = 0; i < ASCEND_NOTIFY_KEY_LEN; i++)
		key[i] = hex[raw[i] & 15];
	key[ASCEND_NOTIFY_KEY_LEN] = '\0';
}

TEST_F(keys, key_is_64_lowercase_hex_digits)
{
	int i;

	ASSERT_EQ(0, an_export(self->fd, self->h, 0, self->key));
	for (i = 0; i < ASCEND_NOTIFY_KEY_LEN; i++)
		EXPECT_TRUE(isdigit(self->key[i]) ||
			    (self->key[i] >= 'a' && self->key[i] <= 'f'));
}

TEST_F(keys, second_export_is_refused)
{
	char again[AN_KEY_BUF];

	ASSERT_EQ(0, an_export(self->fd, self->h, 0, self->key));
	EXPECT_EQ(-EEXIST, an_export(self->fd, self->h, 0, again));
	EXPECT_EQ(-EEXIST, an_export(self->fd, self->h,
				     ASCEND_NOTIFY_EXPORT_NO_PID_CHECK, again));
}

TEST_F(keys, exports_never_share_a_key)
{
	enum { N = 512 };
	static char seen[N][AN_KEY_BUF];
	uint32_t h;
	int i, j;

	for (i = 0; i < N; i++) {
		ASSERT_EQ(0, an_create(self->fd, i % 8, 0, &h));
		ASSERT_EQ(0, an_export(self->fd, h, 0, seen[i]));
		/* Destroying frees the id for reuse; the key must not be. */
		ASSERT_EQ(0, an_destroy(self->fd, h));
	}
	for (i = 0; i < N; i++)
		for (j = i + 1; j < N; j++)
			ASSERT_NE(0, strcmp(seen[i], seen[j]));
}

TEST_F(keys, unknown_key_is_refused)
{
	random_key(self->key);
	EXPECT_EQ(-ENOKEY, an_import(self->fd, self->key, 0, 0, NULL));
}

TEST_F(keys, malformed_key_is_invalid)
{
	char k[AN_KEY_BUF];

	ASSERT_EQ(0, an_export(self->fd, self->h,
			       ASCEND_NOTIFY_EXPORT_NO_PID_CHECK, self->key));
	/* Uppercase is not the canonical form, even of a live key. */
	memcpy(k, self->key, sizeof(k));
	k[0] = 'A';
	EXPECT_EQ(-EINVAL, an_import(self->fd, k, 0, 0, NULL));
	memcpy(k, self->key, sizeof(k));
	k[63] = 'g';
	EXPECT_EQ(-EINVAL, an_import(self->fd, k, 0, 0, NULL));
	/* A NUL inside the key: the key is exactly 64 characters. */
	memcpy(k, self->key, sizeof(k));
	k[32] = '\0';
	EXPECT_EQ(-EINVAL, an_import(self->fd, k, 0, 0, NULL));
	/* And the untouched key imports. */
	EXPECT_EQ(0, an_import(self->fd, self->key, 0, 0, NULL));
}

TEST_F(keys, withdrawn_key_is_refused_after_creator_destroy)
{
	struct ascend_notify_info info;
	uint32_t imp;
	int fd2;

	ASSERT_EQ(0, an_export(self->fd, self->h,
			       ASCEND_NOTIFY_EXPORT_NO_PID_CHECK, self->key));
	fd2 = an_open();
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, an_import(fd2, self->key, 0, 0, &imp));
	ASSERT_EQ(0, an_destroy(self->fd, self->h));
	EXPECT_EQ(-ENOKEY, an_import(fd2, self->key, 0, 0, NULL));
	/* The importer's handle lives on and says so. */
	ASSERT_EQ(0, an_info(fd2, imp, &info));
	EXPECT_TRUE(info.info_flags & ASCEND_NOTIFY_INFO_WITHDRAWN);
	close(fd2);
}

TEST_F(keys, withdrawn_key_is_refused_after_creator_exit)
{
	int p[2];
	pid_t c;

	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	c = an_fork();
	ASSERT_LE(0, c);
	if (c == 0) {
		char key[AN_KEY_BUF];
		int fd = an_open();
		uint32_t h;

		if (fd < 0 || an_create(fd, 3, 0, &h) ||
		    an_export(fd, h, ASCEND_NOTIFY_EXPORT_NO_PID_CHECK, key))
			_exit(1);
		_exit(an_send(p[1], key, ASCEND_NOTIFY_KEY_LEN) ? 0 : 2);
	}
	close(p[1]);
	ASSERT_TRUE(an_recv(p[0], self->key, ASCEND_NOTIFY_KEY_LEN));
	ASSERT_EQ(0, an_reap(c));
	EXPECT_EQ(-ENOKEY, an_import(self->fd, self->key, 3, 0, NULL));
	close(p[0]);
}

TEST_F(keys, random_keys_never_import)
{
	enum { LIVE = 64, TRIES = 20000 };
	uint32_t hs[LIVE];
	char k[AN_KEY_BUF];
	int i, hits = 0;

	for (i = 0; i < LIVE; i++) {
		ASSERT_EQ(0, an_create(self->fd, 0, 0, &hs[i]));
		ASSERT_EQ(0, an_export(self->fd, hs[i],
				       ASCEND_NOTIFY_EXPORT_NO_PID_CHECK, k));
	}
	for (i = 0; i < TRIES; i++) {
		random_key(k);
		if (an_import(self->fd, k, 0, 0, NULL) != -ENOKEY)
			hits++;
	}
	EXPECT_EQ(0, hits);
}

TEST_F(keys, key_one_digit_off_never_imports)
{
	char k[AN_KEY_BUF];
	int i;

	ASSERT_EQ(0, an_export(self->fd, self->h,
			       ASCEND_NOTIFY_EXPORT_NO_PID_CHECK, self->key));
	for (i = 0; i < ASCEND_NOTIFY_KEY_LEN; i++) {
		memcpy(k, self->key, sizeof(k));
		k[i] = k[i] == '0' ? '1' : '0';
		EXPECT_EQ(-ENOKEY, an_import(self->fd, k, 0, 0, NULL));
	}
}

TEST_F(keys, importer_cannot_export)
{
	uint32_t imp;

	ASSERT_EQ(0, an_export(self->fd, self->h,
			       ASCEND_NOTIFY_EXPORT_NO_PID_CHECK, self->key));
	ASSERT_EQ(0, an_import(self->fd, self->key, 0, 0, &imp));
	EXPECT_EQ(-EPERM, an_export(self->fd, imp, 0, NULL));
}

TEST_F(keys, export_to_readonly_buffer_exports_nothing)
{
	struct ascend_notify_export *e;
	void *page;

	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, page);
	e = page;
	e->handle = self->h;
	ASSERT_EQ(0, mprotect(page, 4096, PROT_READ));
	EXPECT_EQ(-EFAULT, an_ioctl(self->fd, ASCEND_NOTIFY_IOC_EXPORT, e));
	/* Nothing was published: the notify can still be exported. */
	EXPECT_EQ(0, an_export(self->fd, self->h, 0, self->key));
	munmap(page, 4096);
}

TEST_HARNESS_MAIN
