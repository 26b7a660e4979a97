// SPDX-License-Identifier: GPL-2.0
/*
 * Who may do what: DEVICE_SET needs CAP_SYS_ADMIN and joining the events
 * group CAP_NET_ADMIN, both in the initial user namespace; listing needs
 * nothing. Each case runs in a child that gave up its privileges.
 */
#include "nl_test.h"

#include "kselftest_harness.h"

FIXTURE(privilege) {
	struct nlt nl;
	struct nlt_reply r;
	struct nlt_topology topo;
	struct nlt_link l;
	int fd;
};

FIXTURE_SETUP(privilege)
{
	ASSERT_EQ(0, nlt_open(&self->nl));
	ASSERT_EQ(0, nlt_topology_save(&self->nl, &self->topo));
	ASSERT_LE(2, self->topo.n);
	ASSERT_EQ(0, nlt_link_open(&self->l));
	self->fd = an_open();
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(privilege)
{
	struct nlt_topology now;

	/* A refused change changed nothing. */
	EXPECT_EQ(0, nlt_topology_save(&self->nl, &now));
	EXPECT_EQ(0, memcmp(&now, &self->topo, sizeof(now)));
	EXPECT_EQ(0, nlt_topology_restore(&self->nl, &self->topo));
	nlt_reply_free(&self->r);
	nlt_close(&self->nl);
	close(self->fd);
}

/* What an unprivileged child found, errnos as positive numbers. */
struct outcome {
	int32_t drop;		/* dropping privileges */
	int32_t set;		/* DEVICE_SET */
	char set_msg[256];	/* its extended ACK message */
	int32_t join;		/* NETLINK_ADD_MEMBERSHIP */
	int32_t bind;		/* bind() with the group bit, if it has one */
	int32_t dumps;		/* DEVICE_GET, NOTIFY_GET, PROC_GET, STATS_GET */
	uint32_t creator;	/* creator of the test's notify, as listed */
};

enum who { NOBODY, NET_ADMIN_ONLY, SYS_ADMIN_ONLY, USERNS_ROOT };

static int drop(enum who who)
{
	switch (who) {
	case NOBODY:
		return nlt_become_nobody();
	case NET_ADMIN_ONLY:
		return nlt_keep_caps(1ull << CAP_NET_ADMIN);
	case SYS_ADMIN_ONLY:
		return nlt_keep_caps(1ull << CAP_SYS_ADMIN);
	case USERNS_ROOT:
		/* Every capability, but in a user namespace of its own. */
		if (nlt_become_nobody())
			return -EPERM;
		if (unshare(CLONE_NEWUSER))
			return -errno;
		return nlt_caps() & 1ull << CAP_SYS_ADMIN ? 0 : -EPERM;
	}
	return -EINVAL;
}

/*
 * Gives up privileges, then tries a no-op DEVICE_SET (device 1 stays as it
 * is), joining the events group and every listing; reports what happened.
 */
static int try_all(struct nlt_link *l, enum who who, uint64_t peers,
		   int virt, uint32_t dev0_id)
{
	struct outcome o = { 0 };
	struct nlt_reply r = { 0 };
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct nlt nl;
	struct nlt_rec *n;

	o.drop = -drop(who);
	if (nlt_open(&nl))
		return 10;
	o.set = -nlt_device_set(&nl, 1, &peers, virt, &r);
	snprintf(o.set_msg, sizeof(o.set_msg), "%s", r.msg);
	o.join = -nlt_subscribe(&nl);
	o.bind = -1;
	if (nl.events <= 32) {
		/* Bound already by libnl: the same address, plus a group. */
		sa.nl_pid = nl_socket_get_local_port(nl.sk);
		sa.nl_groups = 1u << (nl.events - 1);
		o.bind = bind(nl.fd, (struct sockaddr *)&sa, sizeof(sa)) ?
			 errno : 0;
	}
	o.dumps = -nlt_dump(&nl, ASCEND_NOTIFY_CMD_DEVICE_GET, &r);
	if (!o.dumps)
		o.dumps = -nlt_dump(&nl, ASCEND_NOTIFY_CMD_PROC_GET, &r);
	if (!o.dumps)
		o.dumps = -nlt_stats(&nl, &r);
	if (!o.dumps)
		o.dumps = -nlt_dump_notifies(&nl, 0, 0, false, &r);
	n = nlt_find_notify(&r, 0, dev0_id);
	o.creator = n ? n->v[ASCEND_NOTIFY_A_CREATOR_PID] : UINT32_MAX;
	an_send(NLT_CHILD_OUT(l), &o, sizeof(o));
	return 0;
}

/* Runs try_all() in a child as @who and collects its outcome. */
static int run_as(struct __test_metadata *_metadata, FIXTURE_DATA(privilege) *self,
		  enum who who, struct outcome *o)
{
	struct ascend_notify_info info;
	uint32_t h;
	pid_t pid;

	if (an_create(self->fd, 0, 0, &h) || an_info(self->fd, h, &info))
		return -1;
	pid = an_fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(try_all(&self->l, who, self->topo.peers[1],
			      self->topo.virt[1], info.id));
	if (!an_recv(NLT_FROM_CHILD(&self->l), o, sizeof(*o)))
		return -1;
	return an_reap(pid);
}

TEST_F(privilege, nobody_may_list_but_not_change_or_subscribe)
{
	struct outcome o;

	ASSERT_EQ(0, run_as(_metadata, self, NOBODY, &o));
	ASSERT_EQ(0, o.drop);
	EXPECT_EQ(EPERM, o.set);
	EXPECT_EQ(EPERM, o.join);
	if (o.bind >= 0)
		EXPECT_EQ(EPERM, o.bind);
	EXPECT_EQ(0, o.dumps);
	/* Listings show it everything, PIDs included. */
	EXPECT_EQ(getpid(), o.creator);
}

TEST_F(privilege, net_admin_alone_may_subscribe_but_not_change)
{
	struct outcome o;

	ASSERT_EQ(0, run_as(_metadata, self, NET_ADMIN_ONLY, &o));
	ASSERT_EQ(0, o.drop);
	EXPECT_EQ(EPERM, o.set);
	EXPECT_EQ(0, o.join);
	if (o.bind >= 0)
		EXPECT_EQ(0, o.bind);
	EXPECT_EQ(0, o.dumps);
}

TEST_F(privilege, sys_admin_alone_may_change_but_not_subscribe)
{
	struct outcome o;

	ASSERT_EQ(0, run_as(_metadata, self, SYS_ADMIN_ONLY, &o));
	ASSERT_EQ(0, o.drop);
	EXPECT_EQ(0, o.set) {
		TH_LOG("DEVICE_SET: %s", o.set_msg);
	}
	EXPECT_EQ(EPERM, o.join);
	if (o.bind >= 0)
		EXPECT_EQ(EPERM, o.bind);
	EXPECT_EQ(0, o.dumps);
}

TEST_F(privilege, root_of_a_user_namespace_is_not_privileged)
{
	struct outcome o;

	ASSERT_EQ(0, run_as(_metadata, self, USERNS_ROOT, &o));
	if (o.drop == EPERM || o.drop == ENOSPC)
		SKIP(return, "unprivileged user namespaces are disabled");
	ASSERT_EQ(0, o.drop);
	EXPECT_EQ(EPERM, o.set);
	EXPECT_EQ(EPERM, o.join);
	EXPECT_EQ(0, o.dumps);
}

/*
 * The pattern of CVE-2014-0181: a socket opened without the capability and
 * written by a process that has it (a setuid program writing to a socket
 * it was handed as stdout: write(), no destination address). Here one
 * process opens the socket with CAP_SYS_ADMIN out of its effective set,
 * then takes it back: DEVICE_SET checks the socket's opener too
 * (netlink_capable()), so the write is refused, while a socket opened
 * with the capability works.
 */
TEST_F(privilege, privileged_write_on_a_socket_opened_without_is_refused)
{
	uint64_t all = nlt_caps();
	struct nlt opened_without, opened_with;

	ASSERT_TRUE(all & 1ull << CAP_SYS_ADMIN);
	ASSERT_EQ(0, nlt_set_effective(all & ~(1ull << CAP_SYS_ADMIN)));
	ASSERT_EQ(0, nlt_open(&opened_without));
	ASSERT_EQ(0, nlt_set_effective(all));
	ASSERT_EQ(all, nlt_caps());
	opened_without.use_write = true;
	EXPECT_EQ(-EPERM, nlt_device_set(&opened_without, 1,
					 &self->topo.peers[1],
					 self->topo.virt[1], &self->r));
	ASSERT_EQ(0, nlt_open(&opened_with));
	opened_with.use_write = true;
	EXPECT_EQ(0, nlt_device_set(&opened_with, 1, &self->topo.peers[1],
				    self->topo.virt[1], &self->r));
	nlt_close(&opened_without);
	nlt_close(&opened_with);
}

TEST_HARNESS_MAIN
