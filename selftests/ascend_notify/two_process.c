// SPDX-License-Identifier: GPL-2.0
/*
 * The flow IPC notify exists for: process A on device 0 creates a notify,
 * exports it, trusts B and waits; process B on device 1 imports it and
 * records; A's wait returns only after B's record.
 */
#include "an_test.h"
#include "kselftest_harness.h"

/* What B sends A: the time just before its record. */
struct b_report {
	uint64_t before_record_ns;
	int32_t status;
};

/*
 * Process B: announce the bare TGID, receive the key, import on device 1
 * (with the peer-access import flag or after enabling peer access), wait
 * until A sleeps in its wait, record, report.
 */
static int run_b(int to_a, int from_a, pid_t a, bool enable_first)
{
	char key[AN_KEY_BUF];
	struct b_report rep = { 0 };
	uint32_t h, flags = 0;
	int fd, tgid;

	fd = an_open();
	if (fd < 0)
		return 10;
	tgid = an_bare_tgid(fd);
	if (tgid <= 0 || !an_send(to_a, &tgid, sizeof(tgid)))
		return 11;
	if (!an_recv(from_a, key, ASCEND_NOTIFY_KEY_LEN))
		return 12;
	if (enable_first) {
		if (an_peer(fd, true, 1, 0))
			return 13;
	} else {
		flags = ASCEND_NOTIFY_IMPORT_PEER_ACCESS;
	}
	if (an_import(fd, key, 1, flags, &h))
		return 14;
	if (!an_waiting(a))
		return 15;
	rep.before_record_ns = an_now_ns();
	rep.status = an_record(fd, h);
	if (!an_send(to_a, &rep, sizeof(rep)))
		return 16;
	/* Importers keep and destroy their own handle. */
	if (an_destroy(fd, h))
		return 17;
	close(fd);
	return rep.status ? 18 : 0;
}

FIXTURE(flow) {
	int fd;
	int to_b[2];
	int from_b[2];
};

FIXTURE_VARIANT(flow) {
	uint32_t export_flags;
	bool enable_peer_first;
};

FIXTURE_VARIANT_ADD(flow, trusted) {
	.export_flags = 0,
	.enable_peer_first = true,
};

FIXTURE_VARIANT_ADD(flow, trusted_import_flag) {
	.export_flags = 0,
	.enable_peer_first = false,
};

FIXTURE_VARIANT_ADD(flow, no_pid_check) {
	.export_flags = ASCEND_NOTIFY_EXPORT_NO_PID_CHECK,
	.enable_peer_first = true,
};

FIXTURE_SETUP(flow)
{
	self->fd = an_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, pipe(self->to_b));
	ASSERT_EQ(0, pipe(self->from_b));
}

FIXTURE_TEARDOWN(flow)
{
	close(self->fd);
}

TEST_F(flow, wait_returns_only_after_peer_record)
{
	char key[AN_KEY_BUF];
	struct b_report rep;
	uint64_t woke_ns;
	int32_t b_tgid;
	uint32_t h;
	pid_t b;

	b = an_fork();
	ASSERT_LE(0, b);
	if (b == 0)
		_exit(run_b(self->from_b[1], self->to_b[0], getppid(),
			    variant->enable_peer_first));

	ASSERT_EQ(0, an_create(self->fd, 0, 0, &h));
	ASSERT_EQ(0, an_export(self->fd, h, variant->export_flags, key));
	ASSERT_TRUE(an_recv(self->from_b[0], &b_tgid, sizeof(b_tgid)));
	if (!variant->export_flags)
		ASSERT_EQ(0, an_set_pids(self->fd, h, &b_tgid, 1));
	ASSERT_TRUE(an_send(self->to_b[1], key, ASCEND_NOTIFY_KEY_LEN));

	/* Nothing recorded yet: the bit is clear. */
	ASSERT_EQ(0, an_is_set(self->fd, h));
	ASSERT_EQ(0, an_wait(self->fd, h, ASCEND_NOTIFY_FOREVER));
	woke_ns = an_now_ns();

	ASSERT_TRUE(an_recv(self->from_b[0], &rep, sizeof(rep)));
	EXPECT_EQ(0, rep.status);
	EXPECT_LE(rep.before_record_ns, woke_ns);
	EXPECT_EQ(0, an_reap(b));
	/* The wait consumed the record. */
	EXPECT_EQ(0, an_is_set(self->fd, h));
	EXPECT_EQ(0, an_destroy(self->fd, h));
}

TEST_HARNESS_MAIN
