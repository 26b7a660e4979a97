// SPDX-License-Identifier: GPL-2.0
/*
 * Short keys (ASCEND_NOTIFY_EXPORT_KEY64, ABI 1.4): the 64-bit names CANN's
 * VMM API calls shareable handles. They are keys like any other - random,
 * in the one key table, with the trustlist - only shorter: these tests
 * check the form, that guessing finds nothing, that a withdrawn key reads
 * as an unknown one, and that the trustlist still decides.
 */
#include <stdlib.h>
#include <sys/random.h>
#include <sys/socket.h>

#include "an_test.h"
#include "kselftest_harness.h"

#define NR_LIVE		8	/* exported short keys while guessing */
#define NR_GUESSES	1000000

/* The key's form: 16 random lowercase hex digits, then 48 '0'. */
static bool key64_form(const char *key)
{
	bool nonzero = false;
	int i;

	for (i = 0; i < ASCEND_NOTIFY_KEY_LEN; i++) {
		char c = key[i];

		if (i >= 16) {
			if (c != '0')
				return false;
			continue;
		}
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
		nonzero |= c != '0';
	}
	return nonzero;
}

static void key64_text(uint64_t v, char key[AN_KEY_BUF])
{
	snprintf(key, AN_KEY_BUF, "%016llx%048d", (unsigned long long)v, 0);
}

FIXTURE(key64) {
	int fd;
	uint32_t h[NR_LIVE];
	char key[NR_LIVE][AN_KEY_BUF];
};

/* A page of device memory on device 0; its handle. */
static uint32_t mem_page(struct __test_metadata *_metadata, int fd)
{
	struct ascend_notify_mem m;

	EXPECT_EQ(0, an_mem_alloc(fd, 0, 4096, &m));
	return m.handle;
}

/* NR_LIVE MEM objects exported with short keys, anyone may import. */
FIXTURE_SETUP(key64)
{
	int i;

	self->fd = an_open();
	ASSERT_LE(0, self->fd);
	for (i = 0; i < NR_LIVE; i++) {
		self->h[i] = mem_page(_metadata, self->fd);
		ASSERT_EQ(0, an_export(self->fd, self->h[i],
				       ASCEND_NOTIFY_EXPORT_KEY64 |
				       ASCEND_NOTIFY_EXPORT_NO_PID_CHECK,
				       self->key[i]));
	}
}

FIXTURE_TEARDOWN(key64)
{
	close(self->fd);
}

TEST_F(key64, form_and_distinct)
{
	int i, j;

	for (i = 0; i < NR_LIVE; i++) {
		EXPECT_TRUE(key64_form(self->key[i])) TH_LOG("key %s",
							      self->key[i]);
		for (j = 0; j < i; j++)
			EXPECT_NE(0, strcmp(self->key[i], self->key[j]));
	}
}

/* The real keys import; a sample of 10^6 random 64-bit guesses none. */
TEST_F(key64, guessing_imports_nothing)
{
	uint64_t guess[4096];
	char key[AN_KEY_BUF];
	unsigned long found = 0, other = 0;
	uint32_t h;
	int i, n;

	ASSERT_EQ(0, an_import_kind(self->fd, self->key[0], 0, 0,
				    ASCEND_NOTIFY_KIND_MEM, &h));
	for (n = 0; n < NR_GUESSES; n += ARRAY_SIZE(guess)) {
		ASSERT_EQ(sizeof(guess), getrandom(guess, sizeof(guess), 0));
		for (i = 0; i < (int)ARRAY_SIZE(guess); i++) {
			int ret;

			key64_text(guess[i], key);
			ret = an_import_kind(self->fd, key, 0, 0,
					     ASCEND_NOTIFY_KIND_MEM, &h);
			if (!ret)
				found++;
			else if (ret != -ENOKEY)
				other++;
		}
	}
	EXPECT_EQ(0, found);
	EXPECT_EQ(0, other);
}

/* A withdrawn short key is refused exactly like one never handed out. */
TEST_F(key64, withdrawn_reads_as_unknown)
{
	char wrong[AN_KEY_BUF];
	uint32_t h;

	memcpy(wrong, self->key[1], AN_KEY_BUF);
	wrong[0] = wrong[0] == 'a' ? 'b' : 'a';
	ASSERT_EQ(0, an_destroy(self->fd, self->h[1]));
	EXPECT_EQ(-ENOKEY, an_import_kind(self->fd, self->key[1], 0, 0,
					  ASCEND_NOTIFY_KIND_MEM, &h));
	EXPECT_EQ(-ENOKEY, an_import_kind(self->fd, wrong, 0, 0,
					  ASCEND_NOTIFY_KIND_MEM, &h));
}

/* A short key of a MEM object names no notify. */
TEST_F(key64, other_kind_reads_as_unknown)
{
	uint32_t h;

	EXPECT_EQ(-ENOKEY, an_import_kind(self->fd, self->key[2], 0, 0,
					  ASCEND_NOTIFY_KIND_NOTIFY, &h));
}

/* Without NO_PID_CHECK the trustlist decides, as for full keys. */
TEST_F(key64, trustlist_applies)
{
	char key[AN_KEY_BUF];
	int sv[2], tgid;
	uint32_t h;
	pid_t pid;

	h = mem_page(_metadata, self->fd);
	ASSERT_EQ(0, an_export(self->fd, h, ASCEND_NOTIFY_EXPORT_KEY64, key));
	ASSERT_TRUE(key64_form(key));
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	pid = an_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fd = an_open();
		uint32_t ch;

		close(sv[0]);
		if (fd < 0 || !an_send_u32(sv[1], an_bare_tgid(fd)))
			_exit(10);
		an_send_u32(sv[1], -an_import_kind(fd, key, 0, 0,
						   ASCEND_NOTIFY_KIND_MEM,
						   &ch));
		/* Trusted now? */
		if (an_recv_u32(sv[1]) != 1)
			_exit(11);
		an_send_u32(sv[1], -an_import_kind(fd, key, 0, 0,
						   ASCEND_NOTIFY_KIND_MEM,
						   &ch));
		_exit(0);
	}
	close(sv[1]);
	tgid = (int)an_recv_u32(sv[0]);
	EXPECT_EQ(EACCES, an_recv_u32(sv[0]));
	ASSERT_EQ(0, an_set_pids(self->fd, h, &tgid, 1));
	ASSERT_TRUE(an_send_u32(sv[0], 1));
	EXPECT_EQ(0, an_recv_u32(sv[0]));
	EXPECT_EQ(0, an_reap(pid));
	close(sv[0]);
}

/* Flags beyond those defined are refused. */
TEST_F(key64, unknown_export_flag)
{
	uint32_t h;

	h = mem_page(_metadata, self->fd);
	EXPECT_EQ(-EINVAL, an_export(self->fd, h, 1U << 2, NULL));
}

TEST_HARNESS_MAIN
