// SPDX-License-Identifier: GPL-2.0
/*
 * NOTIFY_GET: what a dump says about notifies in a state the test built -
 * device, id, bit, flags, creator, importers, waiters, counters, export
 * state, key fingerprint, trustlist size - and its three filters; with
 * A_WITH_MEM, device memory too, with its size and mappings.
 */
#include <sys/mman.h>

#include "nl_test.h"

#include "kselftest_harness.h"

FIXTURE(notifies) {
	struct nlt nl;
	struct nlt_reply r;
	int fd;
	int ndev;
};

FIXTURE_SETUP(notifies)
{
	ASSERT_EQ(0, nlt_open(&self->nl));
	self->ndev = nlt_num_devices();
	ASSERT_LE(3, self->ndev);
	self->fd = an_open();
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(notifies)
{
	nlt_reply_free(&self->r);
	nlt_close(&self->nl);
	close(self->fd);
}

/* The id of the notify behind handle @h of @fd. */
static uint32_t notify_id(int fd, uint32_t h)
{
	struct ascend_notify_info info;

	return an_info(fd, h, &info) ? UINT32_MAX : info.id;
}

/* The record of notify (@dev, id of @h) in a fresh unfiltered dump. */
static struct nlt_rec *lookup(struct nlt *nl, struct nlt_reply *r, int fd,
			      uint32_t dev, uint32_t h)
{
	if (nlt_dump_notifies(nl, -1, 0, false, r))
		return NULL;
	return nlt_find_notify(r, dev, notify_id(fd, h));
}

TEST_F(notifies, fresh_notify_reports_its_creator_and_zero_counters)
{
	struct nlt_rec *n;
	uint32_t h;

	ASSERT_EQ(0, an_create(self->fd, 2, 0, &h));
	n = lookup(&self->nl, &self->r, self->fd, 2, h);
	ASSERT_NE(NULL, n);
	EXPECT_EQ(ASCEND_NOTIFY_CMD_NOTIFY_GET, n->cmd);
	EXPECT_EQ(0, n->v[ASCEND_NOTIFY_A_SET]);
	EXPECT_EQ(0, n->v[ASCEND_NOTIFY_A_FLAGS]);
	EXPECT_EQ(getpid(), n->v[ASCEND_NOTIFY_A_CREATOR_PID]);
	EXPECT_EQ(0, n->v[ASCEND_NOTIFY_A_WAITERS]);
	EXPECT_EQ(0, n->v[ASCEND_NOTIFY_A_RECORDS]);
	EXPECT_EQ(0, n->v[ASCEND_NOTIFY_A_WAITS]);
	EXPECT_EQ(0, n->v[ASCEND_NOTIFY_A_TIMEOUTS]);
	EXPECT_EQ(0, n->v[ASCEND_NOTIFY_A_DENIED]);
	EXPECT_EQ(0, n->v[ASCEND_NOTIFY_A_NR_IMPORTERS]);
	EXPECT_TRUE(n->has[ASCEND_NOTIFY_A_IMPORTERS]);
	EXPECT_EQ(0, n->nlist);
	EXPECT_TRUE(n->has[ASCEND_NOTIFY_A_EXPORTED]);
	EXPECT_EQ(0, n->v[ASCEND_NOTIFY_A_EXPORTED]);
	/* Export state only for exported notifies. */
	EXPECT_FALSE(n->has[ASCEND_NOTIFY_A_FINGERPRINT]);
	EXPECT_FALSE(n->has[ASCEND_NOTIFY_A_WITHDRAWN]);
	EXPECT_FALSE(n->has[ASCEND_NOTIFY_A_NR_TRUSTED]);
}

TEST_F(notifies, kind_is_reported)
{
	uint32_t n, e;
	struct nlt_rec *r;

	ASSERT_EQ(0, an_create(self->fd, 1, 0, &n));
	ASSERT_EQ(0, an_create(self->fd, 1, ASCEND_NOTIFY_CREATE_EVENT, &e));
	r = lookup(&self->nl, &self->r, self->fd, 1, n);
	ASSERT_NE(NULL, r);
	EXPECT_TRUE(r->has[ASCEND_NOTIFY_A_KIND]);
	EXPECT_EQ(ASCEND_NOTIFY_KIND_NOTIFY, r->v[ASCEND_NOTIFY_A_KIND]);
	r = nlt_find_notify(&self->r, 1, notify_id(self->fd, e));
	ASSERT_NE(NULL, r);
	EXPECT_EQ(ASCEND_NOTIFY_KIND_EVENT, r->v[ASCEND_NOTIFY_A_KIND]);
	EXPECT_EQ(ASCEND_NOTIFY_CREATE_EVENT, r->v[ASCEND_NOTIFY_A_FLAGS]);
}

TEST_F(notifies, device_only_flag_is_reported)
{
	struct nlt_rec *n;
	uint32_t h;

	ASSERT_EQ(0, an_create(self->fd, 1, ASCEND_NOTIFY_CREATE_DEVICE_ONLY,
			       &h));
	n = lookup(&self->nl, &self->r, self->fd, 1, h);
	ASSERT_NE(NULL, n);
	EXPECT_EQ(ASCEND_NOTIFY_CREATE_DEVICE_ONLY, n->v[ASCEND_NOTIFY_A_FLAGS]);
}

TEST_F(notifies, records_waits_and_timeouts_are_counted)
{
	struct nlt_rec *n;
	uint32_t h;

	ASSERT_EQ(0, an_create(self->fd, 0, 0, &h));
	/* Two records coalesce into one set bit, but both count. */
	ASSERT_EQ(0, an_record(self->fd, h));
	ASSERT_EQ(0, an_record(self->fd, h));
	n = lookup(&self->nl, &self->r, self->fd, 0, h);
	ASSERT_NE(NULL, n);
	EXPECT_EQ(1, n->v[ASCEND_NOTIFY_A_SET]);
	EXPECT_EQ(2, n->v[ASCEND_NOTIFY_A_RECORDS]);

	ASSERT_EQ(0, an_wait_for(self->fd, h, 1000000000ull));
	n = lookup(&self->nl, &self->r, self->fd, 0, h);
	ASSERT_NE(NULL, n);
	EXPECT_EQ(0, n->v[ASCEND_NOTIFY_A_SET]);
	EXPECT_EQ(1, n->v[ASCEND_NOTIFY_A_WAITS]);
	EXPECT_EQ(0, n->v[ASCEND_NOTIFY_A_TIMEOUTS]);

	/* A deadline already past, with the bit clear: a timeout. */
	ASSERT_EQ(-ETIMEDOUT, an_wait(self->fd, h, an_now_ns()));
	n = lookup(&self->nl, &self->r, self->fd, 0, h);
	ASSERT_NE(NULL, n);
	EXPECT_EQ(1, n->v[ASCEND_NOTIFY_A_WAITS]);
	EXPECT_EQ(1, n->v[ASCEND_NOTIFY_A_TIMEOUTS]);
	EXPECT_EQ(2, n->v[ASCEND_NOTIFY_A_RECORDS]);
}

/*
 * A child creates a notify on device 0, exports it to anyone, sends its id
 * and key, waits on it, reports the wait's result and exits when told.
 */
static int waiter(struct nlt_link *l)
{
	char key[AN_KEY_BUF];
	uint32_t h;
	int fd = an_open();

	if (fd < 0 || an_create(fd, 0, 0, &h) ||
	    an_export(fd, h, ASCEND_NOTIFY_EXPORT_NO_PID_CHECK, key))
		return 10;
	an_send_u32(NLT_CHILD_OUT(l), notify_id(fd, h));
	an_send(NLT_CHILD_OUT(l), key, ASCEND_NOTIFY_KEY_LEN);
	an_send_u32(NLT_CHILD_OUT(l), -an_wait(fd, h, ASCEND_NOTIFY_FOREVER));
	an_recv_u32(NLT_CHILD_IN(l));
	return 0;
}

TEST_F(notifies, sleeping_waiter_is_counted_until_a_record_wakes_it)
{
	char key[AN_KEY_BUF] = "";
	struct nlt_link l;
	struct nlt_rec *n;
	uint32_t id, h;
	pid_t pid;

	ASSERT_EQ(0, nlt_link_open(&l));
	pid = an_fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(waiter(&l));
	id = an_recv_u32(NLT_FROM_CHILD(&l));
	ASSERT_TRUE(an_recv(NLT_FROM_CHILD(&l), key, ASCEND_NOTIFY_KEY_LEN));
	ASSERT_TRUE(an_waiting(pid));

	ASSERT_EQ(0, nlt_dump_notifies(&self->nl, 0, 0, false, &self->r));
	n = nlt_find_notify(&self->r, 0, id);
	ASSERT_NE(NULL, n);
	EXPECT_EQ(pid, n->v[ASCEND_NOTIFY_A_CREATOR_PID]);
	EXPECT_EQ(1, n->v[ASCEND_NOTIFY_A_WAITERS]);
	EXPECT_EQ(0, n->v[ASCEND_NOTIFY_A_WAITS]);

	/* Import on the notify's device and record: the waiter wakes. */
	ASSERT_EQ(0, an_import(self->fd, key, 0, 0, &h));
	ASSERT_EQ(0, an_record(self->fd, h));
	ASSERT_EQ(0, an_recv_u32(NLT_FROM_CHILD(&l)));

	ASSERT_EQ(0, nlt_dump_notifies(&self->nl, 0, 0, false, &self->r));
	n = nlt_find_notify(&self->r, 0, id);
	ASSERT_NE(NULL, n);
	EXPECT_EQ(0, n->v[ASCEND_NOTIFY_A_WAITERS]);
	EXPECT_EQ(1, n->v[ASCEND_NOTIFY_A_WAITS]);
	EXPECT_EQ(1, n->v[ASCEND_NOTIFY_A_RECORDS]);
	EXPECT_EQ(0, n->v[ASCEND_NOTIFY_A_SET]);
	EXPECT_EQ(1, n->v[ASCEND_NOTIFY_A_NR_IMPORTERS]);
	EXPECT_EQ(1, nlt_in_list(n, getpid()));

	an_send_u32(NLT_TO_CHILD(&l), 0);
	EXPECT_EQ(0, an_reap(pid));
}

/*
 * A child sends its bare TGID, then imports the key @count times when it
 * gets it, then destroys its first handle, then exits, each step when told.
 */
static int trusted_importer(struct nlt_link *l, int count)
{
	char key[AN_KEY_BUF];
	uint32_t h[2];
	int i, fd = an_open();

	if (fd < 0)
		return 10;
	an_send_u32(NLT_CHILD_OUT(l), an_bare_tgid(fd));
	if (!an_recv(NLT_CHILD_IN(l), key, ASCEND_NOTIFY_KEY_LEN))
		return 11;
	for (i = 0; i < count; i++) {
		if (an_import(fd, key, 0, 0, &h[i]))
			return 12;
	}
	an_send_u32(NLT_CHILD_OUT(l), 1);
	an_recv_u32(NLT_CHILD_IN(l));
	if (an_destroy(fd, h[0]))
		return 13;
	an_send_u32(NLT_CHILD_OUT(l), 2);
	an_recv_u32(NLT_CHILD_IN(l));
	return 0;
}

TEST_F(notifies, importers_are_listed_one_per_handle)
{
	char key[AN_KEY_BUF];
	struct nlt_link l[2];
	int32_t tgid[2];
	struct nlt_rec *n;
	pid_t pid[2];
	uint32_t h;
	int i;

	ASSERT_EQ(0, an_create(self->fd, 0, 0, &h));
	ASSERT_EQ(0, an_export(self->fd, h, 0, key));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, nlt_link_open(&l[i]));
		pid[i] = an_fork();
		ASSERT_LE(0, pid[i]);
		if (pid[i] == 0)
			_exit(trusted_importer(&l[i], i + 1));
		tgid[i] = an_recv_u32(NLT_FROM_CHILD(&l[i]));
		EXPECT_EQ(pid[i], tgid[i]);
	}
	ASSERT_EQ(0, an_set_pids(self->fd, h, tgid, 2));
	for (i = 0; i < 2; i++) {
		ASSERT_TRUE(an_send(NLT_TO_CHILD(&l[i]), key,
				    ASCEND_NOTIFY_KEY_LEN));
		ASSERT_EQ(1, an_recv_u32(NLT_FROM_CHILD(&l[i])));
	}

	n = lookup(&self->nl, &self->r, self->fd, 0, h);
	ASSERT_NE(NULL, n);
	EXPECT_EQ(3, n->v[ASCEND_NOTIFY_A_NR_IMPORTERS]);
	EXPECT_EQ(3, n->nlist);
	EXPECT_EQ(1, nlt_in_list(n, pid[0]));
	EXPECT_EQ(2, nlt_in_list(n, pid[1]));
	EXPECT_EQ(0, nlt_in_list(n, getpid()));	/* the creator is no importer */
	EXPECT_EQ(2, n->v[ASCEND_NOTIFY_A_NR_TRUSTED]);
	EXPECT_EQ(1, n->v[ASCEND_NOTIFY_A_EXPORTED]);
	EXPECT_EQ(0, n->v[ASCEND_NOTIFY_A_NO_PID_CHECK]);
	EXPECT_EQ(0, n->v[ASCEND_NOTIFY_A_WITHDRAWN]);

	/* The first child destroys its only handle, the second one of two. */
	for (i = 0; i < 2; i++) {
		an_send_u32(NLT_TO_CHILD(&l[i]), 0);
		ASSERT_EQ(2, an_recv_u32(NLT_FROM_CHILD(&l[i])));
	}
	n = lookup(&self->nl, &self->r, self->fd, 0, h);
	ASSERT_NE(NULL, n);
	EXPECT_EQ(1, n->v[ASCEND_NOTIFY_A_NR_IMPORTERS]);
	EXPECT_EQ(0, nlt_in_list(n, pid[0]));
	EXPECT_EQ(1, nlt_in_list(n, pid[1]));

	for (i = 0; i < 2; i++) {
		an_send_u32(NLT_TO_CHILD(&l[i]), 0);
		EXPECT_EQ(0, an_reap(pid[i]));
	}
	n = lookup(&self->nl, &self->r, self->fd, 0, h);
	ASSERT_NE(NULL, n);
	EXPECT_EQ(0, n->v[ASCEND_NOTIFY_A_NR_IMPORTERS]);
}

/*
 * A notify imported more often than a message can list: the first 256
 * importers are listed, and the count covers every one (the module keeps
 * it, rather than walking them all under the notify's lock).
 */
TEST_F(notifies, many_importers_list_256_and_count_all)
{
	enum { IMPORTS = 300, KEEP = 100 };
	char key[AN_KEY_BUF];
	uint32_t h, imp[IMPORTS];
	struct nlt_rec *n;
	int i;

	ASSERT_EQ(0, an_create(self->fd, 0, 0, &h));
	ASSERT_EQ(0, an_export(self->fd, h, ASCEND_NOTIFY_EXPORT_NO_PID_CHECK,
			       key));
	for (i = 0; i < IMPORTS; i++)
		ASSERT_EQ(0, an_import(self->fd, key, 0, 0, &imp[i]));
	n = lookup(&self->nl, &self->r, self->fd, 0, h);
	ASSERT_NE(NULL, n);
	EXPECT_EQ(IMPORTS, n->v[ASCEND_NOTIFY_A_NR_IMPORTERS]);
	EXPECT_EQ(256, n->nlist);
	for (i = KEEP; i < IMPORTS; i++)
		ASSERT_EQ(0, an_destroy(self->fd, imp[i]));
	n = lookup(&self->nl, &self->r, self->fd, 0, h);
	ASSERT_NE(NULL, n);
	EXPECT_EQ(KEEP, n->v[ASCEND_NOTIFY_A_NR_IMPORTERS]);
	EXPECT_EQ(KEEP, n->nlist);
}

/* Does @len bytes at @buf occur in @hay? */
static bool contains(const char *hay, size_t n, const void *buf, size_t len)
{
	return memmem(hay, n, buf, len) != NULL;
}

TEST_F(notifies, fingerprint_is_sha256_of_the_key_and_the_key_stays_in)
{
	char key[2][AN_KEY_BUF], bin[ASCEND_NOTIFY_KEY_LEN / 2];
	struct nlt_rec *n;
	uint32_t h[2];
	int i, k;

	for (k = 0; k < 2; k++) {
		ASSERT_EQ(0, an_create(self->fd, 1, 0, &h[k]));
		ASSERT_EQ(0, an_export(self->fd, h[k], 0, key[k]));
	}
	self->r.keep_raw = true;
	for (k = 0; k < 2; k++) {
		n = lookup(&self->nl, &self->r, self->fd, 1, h[k]);
		ASSERT_NE(NULL, n);
		ASSERT_TRUE(n->has[ASCEND_NOTIFY_A_FINGERPRINT]);
		EXPECT_EQ(4, n->len[ASCEND_NOTIFY_A_FINGERPRINT]);
		EXPECT_EQ(nlt_fingerprint(key[k]),
			  n->v[ASCEND_NOTIFY_A_FINGERPRINT]);

		/* Neither the key's text nor its bits are in the reply. */
		ASSERT_LT(0, self->r.rawlen);
		EXPECT_FALSE(contains(self->r.raw, self->r.rawlen, key[k],
				      ASCEND_NOTIFY_KEY_LEN));
		for (i = 0; i < (int)sizeof(bin); i++)
			sscanf(key[k] + 2 * i, "%2hhx", &bin[i]);
		EXPECT_FALSE(contains(self->r.raw, self->r.rawlen, bin,
				      sizeof(bin)));
	}
	/* Different keys, different fingerprints (2^-32 chance otherwise). */
	EXPECT_NE(nlt_fingerprint(key[0]), nlt_fingerprint(key[1]));
}

TEST_F(notifies, export_without_pid_check_is_reported)
{
	char key[AN_KEY_BUF];
	struct nlt_rec *n;
	uint32_t h;

	ASSERT_EQ(0, an_create(self->fd, 0, 0, &h));
	ASSERT_EQ(0, an_export(self->fd, h, ASCEND_NOTIFY_EXPORT_NO_PID_CHECK,
			       key));
	n = lookup(&self->nl, &self->r, self->fd, 0, h);
	ASSERT_NE(NULL, n);
	EXPECT_EQ(1, n->v[ASCEND_NOTIFY_A_EXPORTED]);
	EXPECT_EQ(1, n->v[ASCEND_NOTIFY_A_NO_PID_CHECK]);
	EXPECT_EQ(0, n->v[ASCEND_NOTIFY_A_WITHDRAWN]);
	EXPECT_EQ(0, n->v[ASCEND_NOTIFY_A_NR_TRUSTED]);
	EXPECT_EQ(nlt_fingerprint(key), n->v[ASCEND_NOTIFY_A_FINGERPRINT]);
}

/* A child imports the key onto device 0, says so, exits when told. */
static int open_importer(struct nlt_link *l, const char *key)
{
	uint32_t h;
	int fd = an_open();

	if (fd < 0 || an_import(fd, key, 0, 0, &h))
		return 10;
	an_send_u32(NLT_CHILD_OUT(l), 1);
	an_recv_u32(NLT_CHILD_IN(l));
	return 0;
}

TEST_F(notifies, creator_destroy_withdraws_while_an_importer_holds_it)
{
	char key[AN_KEY_BUF];
	struct nlt_link l;
	struct nlt_rec *n;
	uint32_t h, id;
	pid_t pid;

	ASSERT_EQ(0, an_create(self->fd, 0, 0, &h));
	ASSERT_EQ(0, an_export(self->fd, h, ASCEND_NOTIFY_EXPORT_NO_PID_CHECK,
			       key));
	id = notify_id(self->fd, h);
	ASSERT_EQ(0, nlt_link_open(&l));
	pid = an_fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(open_importer(&l, key));
	ASSERT_EQ(1, an_recv_u32(NLT_FROM_CHILD(&l)));

	ASSERT_EQ(0, an_destroy(self->fd, h));
	ASSERT_EQ(0, nlt_dump_notifies(&self->nl, 0, 0, false, &self->r));
	n = nlt_find_notify(&self->r, 0, id);
	ASSERT_NE(NULL, n);
	EXPECT_EQ(1, n->v[ASCEND_NOTIFY_A_EXPORTED]);
	EXPECT_EQ(1, n->v[ASCEND_NOTIFY_A_WITHDRAWN]);
	EXPECT_EQ(getpid(), n->v[ASCEND_NOTIFY_A_CREATOR_PID]);
	EXPECT_EQ(1, nlt_in_list(n, pid));

	an_send_u32(NLT_TO_CHILD(&l), 0);
	ASSERT_EQ(0, an_reap(pid));
	/* The last handle went with the importer: so did the notify. */
	ASSERT_EQ(0, nlt_dump_notifies(&self->nl, 0, 0, false, &self->r));
	EXPECT_EQ(NULL, nlt_find_notify(&self->r, 0, id));
}

/* A child tries to import the key onto device 1, without peer access. */
static int refused_importer(struct nlt_link *l, const char *key)
{
	int fd = an_open();

	if (fd < 0)
		return 10;
	an_send_u32(NLT_CHILD_OUT(l), -an_import(fd, key, 0, 0, NULL));
	an_send_u32(NLT_CHILD_OUT(l), -an_import(fd, key, 1, 0, NULL));
	return 0;
}

TEST_F(notifies, refused_imports_are_counted)
{
	char key[AN_KEY_BUF];
	struct nlt_link l;
	struct nlt_rec *n;
	uint32_t h;
	pid_t pid;

	ASSERT_EQ(0, an_create(self->fd, 0, 0, &h));
	ASSERT_EQ(0, an_export(self->fd, h, 0, key));
	ASSERT_EQ(0, nlt_link_open(&l));
	pid = an_fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(refused_importer(&l, key));
	/* Not on the trustlist, twice. */
	EXPECT_EQ(EACCES, an_recv_u32(NLT_FROM_CHILD(&l)));
	EXPECT_EQ(EACCES, an_recv_u32(NLT_FROM_CHILD(&l)));
	ASSERT_EQ(0, an_reap(pid));

	/* Our own import from device 1 without peer access: EXDEV. */
	ASSERT_EQ(0, an_set_pids(self->fd, h, (int32_t[]){ getpid() }, 1));
	ASSERT_EQ(-EXDEV, an_import(self->fd, key, 1, 0, NULL));

	n = lookup(&self->nl, &self->r, self->fd, 0, h);
	ASSERT_NE(NULL, n);
	EXPECT_EQ(3, n->v[ASCEND_NOTIFY_A_DENIED]);
	EXPECT_EQ(0, n->v[ASCEND_NOTIFY_A_NR_IMPORTERS]);
	EXPECT_EQ(1, n->v[ASCEND_NOTIFY_A_NR_TRUSTED]);
}

/* Creates @n notifies on @dev; a child, it reports and waits for "exit". */
static int creator(struct nlt_link *l, uint32_t dev, int n)
{
	int i, fd = an_open();

	if (fd < 0)
		return 10;
	for (i = 0; i < n; i++) {
		if (an_create(fd, dev, 0, NULL))
			return 11;
	}
	an_send_u32(NLT_CHILD_OUT(l), 1);
	an_recv_u32(NLT_CHILD_IN(l));
	return 0;
}

TEST_F(notifies, filters_select_by_device_creator_and_export)
{
	char key[AN_KEY_BUF];
	uint32_t h[3], self_pid = getpid();
	struct nlt_link l;
	size_t i;
	pid_t pid;

	/* Ours: device 1, device 2, device 2 exported. Child's: 2 on 2. */
	ASSERT_EQ(0, an_create(self->fd, 1, 0, &h[0]));
	ASSERT_EQ(0, an_create(self->fd, 2, 0, &h[1]));
	ASSERT_EQ(0, an_create(self->fd, 2, 0, &h[2]));
	ASSERT_EQ(0, an_export(self->fd, h[2], 0, key));
	ASSERT_EQ(0, nlt_link_open(&l));
	pid = an_fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(creator(&l, 2, 2));
	ASSERT_EQ(1, an_recv_u32(NLT_FROM_CHILD(&l)));

	ASSERT_EQ(0, nlt_dump_notifies(&self->nl, -1, 0, false, &self->r));
	EXPECT_EQ(5, self->r.n);

	ASSERT_EQ(0, nlt_dump_notifies(&self->nl, 2, 0, false, &self->r));
	EXPECT_EQ(4, self->r.n);
	for (i = 0; i < self->r.n; i++)
		EXPECT_EQ(2, self->r.recs[i].v[ASCEND_NOTIFY_A_DEV]);

	ASSERT_EQ(0, nlt_dump_notifies(&self->nl, -1, pid, false, &self->r));
	EXPECT_EQ(2, self->r.n);
	EXPECT_EQ(2, nlt_count(&self->r, ASCEND_NOTIFY_A_CREATOR_PID, pid));

	ASSERT_EQ(0, nlt_dump_notifies(&self->nl, -1, self_pid, false,
				       &self->r));
	EXPECT_EQ(3, self->r.n);
	EXPECT_EQ(3, nlt_count(&self->r, ASCEND_NOTIFY_A_CREATOR_PID, self_pid));

	ASSERT_EQ(0, nlt_dump_notifies(&self->nl, -1, 0, true, &self->r));
	ASSERT_EQ(1, self->r.n);
	EXPECT_EQ(notify_id(self->fd, h[2]), self->r.recs[0].v[ASCEND_NOTIFY_A_ID]);

	/* All three at once. */
	ASSERT_EQ(0, nlt_dump_notifies(&self->nl, 2, self_pid, true, &self->r));
	EXPECT_EQ(1, self->r.n);
	ASSERT_EQ(0, nlt_dump_notifies(&self->nl, 1, self_pid, true, &self->r));
	EXPECT_EQ(0, self->r.n);
	ASSERT_EQ(0, nlt_dump_notifies(&self->nl, 2, pid, true, &self->r));
	EXPECT_EQ(0, self->r.n);

	/* A process with no notify: an empty, successful dump. */
	ASSERT_EQ(0, nlt_dump_notifies(&self->nl, -1, getppid(), false,
				       &self->r));
	EXPECT_EQ(0, self->r.n);

	an_send_u32(NLT_TO_CHILD(&l), 0);
	ASSERT_EQ(0, an_reap(pid));
	/* An exited process: no such process. */
	EXPECT_EQ(-ESRCH, nlt_dump_notifies(&self->nl, -1, pid, false,
					    &self->r));
}

/* NOTIFY_GET with A_WITH_MEM, and the A_PID / A_EXPORTED_ONLY filters. */
static int dump_with_mem(struct nlt *nl, uint32_t pid, bool exported,
			 struct nlt_reply *r)
{
	struct nl_msg *m = nlt_msg(nl, ASCEND_NOTIFY_CMD_NOTIFY_GET,
				   NLM_F_DUMP);

	if (m)
		nla_put_flag(m, ASCEND_NOTIFY_A_WITH_MEM);
	if (m && pid)
		nla_put_u32(m, ASCEND_NOTIFY_A_PID, pid);
	if (m && exported)
		nla_put_flag(m, ASCEND_NOTIFY_A_EXPORTED_ONLY);
	return nlt_request(nl, m, r);
}

/* The one MEM record of the reply, or NULL (also when there are two). */
static struct nlt_rec *only_mem(struct nlt_reply *r)
{
	if (nlt_count(r, ASCEND_NOTIFY_A_KIND, ASCEND_NOTIFY_KIND_MEM) != 1)
		return NULL;
	return nlt_find(r, ASCEND_NOTIFY_A_KIND, ASCEND_NOTIFY_KIND_MEM, 0, 0);
}

TEST_F(notifies, memory_is_listed_only_with_a_with_mem)
{
	struct ascend_notify_mem m;
	uint32_t h;

	ASSERT_EQ(0, an_create(self->fd, 1, 0, &h));
	ASSERT_EQ(0, an_mem_alloc(self->fd, 1, 10000, &m));
	/* Without the flag, a dump is what it always was: notifies. */
	ASSERT_EQ(0, nlt_dump_notifies(&self->nl, -1, getpid(), false,
				       &self->r));
	EXPECT_EQ(1, self->r.n);
	EXPECT_EQ(0, nlt_count(&self->r, ASCEND_NOTIFY_A_KIND,
			       ASCEND_NOTIFY_KIND_MEM));
	ASSERT_EQ(0, dump_with_mem(&self->nl, getpid(), false, &self->r));
	EXPECT_EQ(2, self->r.n);
	EXPECT_NE(NULL, only_mem(&self->r));
}

TEST_F(notifies, memory_reports_its_size_and_mappings)
{
	struct ascend_notify_mem m;
	struct nlt_rec *r;
	void *a, *b;

	ASSERT_EQ(0, an_mem_alloc(self->fd, 2, 10000, &m));
	ASSERT_EQ(0, dump_with_mem(&self->nl, getpid(), false, &self->r));
	r = only_mem(&self->r);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(2, r->v[ASCEND_NOTIFY_A_DEV]);
	EXPECT_EQ(getpid(), r->v[ASCEND_NOTIFY_A_CREATOR_PID]);
	/* Whole pages, as MEM_ALLOC answered. */
	EXPECT_EQ(m.size, r->v[ASCEND_NOTIFY_A_MEM_SIZE]);
	EXPECT_EQ(0, r->v[ASCEND_NOTIFY_A_MEM_SIZE] % getpagesize());
	EXPECT_LE(10000, r->v[ASCEND_NOTIFY_A_MEM_SIZE]);
	EXPECT_TRUE(r->has[ASCEND_NOTIFY_A_MEM_MAPPINGS]);
	EXPECT_EQ(0, r->v[ASCEND_NOTIFY_A_MEM_MAPPINGS]);
	EXPECT_TRUE(r->has[ASCEND_NOTIFY_A_MEM_MAPPED]);
	EXPECT_EQ(0, r->v[ASCEND_NOTIFY_A_MEM_MAPPED]);
	/* No id, no bit, no notify counters; the share state as for all. */
	EXPECT_FALSE(r->has[ASCEND_NOTIFY_A_ID]);
	EXPECT_FALSE(r->has[ASCEND_NOTIFY_A_SET]);
	EXPECT_FALSE(r->has[ASCEND_NOTIFY_A_RECORDS]);
	EXPECT_TRUE(r->has[ASCEND_NOTIFY_A_EXPORTED]);
	EXPECT_EQ(0, r->v[ASCEND_NOTIFY_A_EXPORTED]);

	a = mmap(NULL, m.size, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd,
		 m.mmap_offset);
	ASSERT_NE(MAP_FAILED, a);
	b = mmap(NULL, getpagesize(), PROT_READ | PROT_WRITE, MAP_SHARED,
		 self->fd, m.mmap_offset);
	ASSERT_NE(MAP_FAILED, b);
	ASSERT_EQ(0, dump_with_mem(&self->nl, getpid(), false, &self->r));
	r = only_mem(&self->r);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(2, r->v[ASCEND_NOTIFY_A_MEM_MAPPINGS]);
	EXPECT_EQ(1, r->v[ASCEND_NOTIFY_A_MEM_MAPPED]);

	ASSERT_EQ(0, munmap(a, m.size));
	ASSERT_EQ(0, dump_with_mem(&self->nl, getpid(), false, &self->r));
	r = only_mem(&self->r);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(1, r->v[ASCEND_NOTIFY_A_MEM_MAPPINGS]);

	/* Destroyed while mapped: the memory stays, the object goes. */
	ASSERT_EQ(0, an_destroy(self->fd, m.handle));
	ASSERT_EQ(0, dump_with_mem(&self->nl, getpid(), false, &self->r));
	EXPECT_EQ(0, self->r.n);
	ASSERT_EQ(0, munmap(b, getpagesize()));
}

TEST_F(notifies, memory_obeys_the_creator_and_export_filters)
{
	struct ascend_notify_mem m;
	struct nlt_rec *r;
	char key[AN_KEY_BUF];

	ASSERT_EQ(0, an_mem_alloc(self->fd, 0, 4096, &m));
	ASSERT_EQ(0, dump_with_mem(&self->nl, getppid(), false, &self->r));
	EXPECT_EQ(0, self->r.n);
	ASSERT_EQ(0, dump_with_mem(&self->nl, getpid(), true, &self->r));
	EXPECT_EQ(0, self->r.n);
	ASSERT_EQ(0, an_export(self->fd, m.handle, 0, key));
	ASSERT_EQ(0, dump_with_mem(&self->nl, getpid(), true, &self->r));
	r = only_mem(&self->r);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(1, r->v[ASCEND_NOTIFY_A_EXPORTED]);
	EXPECT_EQ(nlt_fingerprint(key), r->v[ASCEND_NOTIFY_A_FINGERPRINT]);
}

TEST_F(notifies, memory_dump_resumes_across_messages)
{
	enum { N = 600 };
	struct ascend_notify_mem m;
	uint32_t h;
	int i;

	/* Memory on device 4 between notifies on 3 and 5: both phases. */
	ASSERT_EQ(0, an_create(self->fd, 3, 0, &h));
	ASSERT_EQ(0, an_create(self->fd, 5, 0, &h));
	for (i = 0; i < N; i++)
		ASSERT_EQ(0, an_mem_alloc(self->fd, 4, 4096, &m));
	ASSERT_EQ(0, dump_with_mem(&self->nl, getpid(), false, &self->r));
	EXPECT_LT(1, self->r.datagrams);
	/* Every object once, in device order. */
	EXPECT_EQ(N + 2, self->r.n);
	EXPECT_EQ(N, nlt_count(&self->r, ASCEND_NOTIFY_A_KIND,
			       ASCEND_NOTIFY_KIND_MEM));
	EXPECT_EQ(N, nlt_count(&self->r, ASCEND_NOTIFY_A_DEV, 4));
	ASSERT_LT(0, self->r.n);
	EXPECT_EQ(3, self->r.recs[0].v[ASCEND_NOTIFY_A_DEV]);
	EXPECT_EQ(5, self->r.recs[self->r.n - 1].v[ASCEND_NOTIFY_A_DEV]);
	TH_LOG("%zu objects in %u messages", self->r.n, self->r.datagrams);
}

TEST_HARNESS_MAIN
