// SPDX-License-Identifier: GPL-2.0
/*
 * Malformed requests: each is refused with the errno the kernel gives it
 * (and its extended ACK message where there is one), as one error
 * message, with nothing changed and nothing in the kernel log that looks
 * like a warning or a crash.
 */
#include "nl_test.h"

#include "kselftest_harness.h"

FIXTURE(malformed) {
	struct nlt nl;
	struct nlt_reply r;
	int kmsg;
};

FIXTURE_VARIANT(malformed) {
	struct nl_msg *(*make)(struct nlt *t);
	int err;
	const char *msg;	/* extended ACK message, NULL if none */
};

FIXTURE_SETUP(malformed)
{
	ASSERT_EQ(0, nlt_open(&self->nl));
	self->kmsg = nlt_kmsg_open();
	ASSERT_LE(0, self->kmsg);
}

FIXTURE_TEARDOWN(malformed)
{
	char line[512];

	EXPECT_FALSE(nlt_kmsg_bad(self->kmsg, line, sizeof(line))) {
		TH_LOG("kernel log: %s", line);
	}
	close(self->kmsg);
	nlt_reply_free(&self->r);
	nlt_close(&self->nl);
}

static struct nl_msg *dump_req(struct nlt *t, uint8_t cmd)
{
	return nlt_msg(t, cmd, NLM_F_DUMP);
}

static struct nl_msg *do_req(struct nlt *t, uint8_t cmd)
{
	return nlt_msg(t, cmd, NLM_F_ACK);
}

static struct genlmsghdr *genl_hdr(struct nl_msg *m)
{
	return nlmsg_data(nlmsg_hdr(m));
}

static struct nl_msg *unknown_attribute(struct nlt *t)
{
	struct nl_msg *m = dump_req(t, ASCEND_NOTIFY_CMD_NOTIFY_GET);

	nla_put_u32(m, ASCEND_NOTIFY_A_MAX + 1, 1);
	return m;
}

static struct nl_msg *reply_only_attribute(struct nlt *t)
{
	struct nl_msg *m = dump_req(t, ASCEND_NOTIFY_CMD_NOTIFY_GET);

	nla_put_u32(m, ASCEND_NOTIFY_A_ID, 1);
	return m;
}

static struct nl_msg *short_u32(struct nlt *t)
{
	struct nl_msg *m = dump_req(t, ASCEND_NOTIFY_CMD_NOTIFY_GET);

	nla_put_u8(m, ASCEND_NOTIFY_A_DEV, 0);
	return m;
}

static struct nl_msg *long_u32(struct nlt *t)
{
	struct nl_msg *m = dump_req(t, ASCEND_NOTIFY_CMD_NOTIFY_GET);

	nla_put_u64(m, ASCEND_NOTIFY_A_DEV, 0);
	return m;
}

static struct nl_msg *short_u64(struct nlt *t)
{
	struct nl_msg *m = do_req(t, ASCEND_NOTIFY_CMD_DEVICE_SET);

	nla_put_u32(m, ASCEND_NOTIFY_A_DEV, 1);
	nla_put_u32(m, ASCEND_NOTIFY_A_DEV_PEERS, 1);
	return m;
}

static struct nl_msg *flag_with_payload(struct nlt *t)
{
	struct nl_msg *m = dump_req(t, ASCEND_NOTIFY_CMD_NOTIFY_GET);

	nla_put_u32(m, ASCEND_NOTIFY_A_EXPORTED_ONLY, 1);
	return m;
}

static struct nl_msg *nest_for_u32(struct nlt *t)
{
	struct nl_msg *m = dump_req(t, ASCEND_NOTIFY_CMD_NOTIFY_GET);
	struct nlattr *nest = nla_nest_start(m, ASCEND_NOTIFY_A_PID);

	nla_put_u32(m, ASCEND_NOTIFY_A_PID, 1);
	nla_nest_end(m, nest);
	return m;
}

static struct nl_msg *device_beyond_max_in_dump(struct nlt *t)
{
	struct nl_msg *m = dump_req(t, ASCEND_NOTIFY_CMD_NOTIFY_GET);

	nla_put_u32(m, ASCEND_NOTIFY_A_DEV, ASCEND_NOTIFY_MAX_DEVICES);
	return m;
}

static struct nl_msg *device_beyond_max_in_set(struct nlt *t)
{
	struct nl_msg *m = do_req(t, ASCEND_NOTIFY_CMD_DEVICE_SET);

	nla_put_u32(m, ASCEND_NOTIFY_A_DEV, ASCEND_NOTIFY_MAX_DEVICES);
	nla_put_u8(m, ASCEND_NOTIFY_A_DEV_VIRTUAL, 0);
	return m;
}

static struct nl_msg *virtual_two(struct nlt *t)
{
	struct nl_msg *m = do_req(t, ASCEND_NOTIFY_CMD_DEVICE_SET);

	nla_put_u32(m, ASCEND_NOTIFY_A_DEV, 1);
	nla_put_u8(m, ASCEND_NOTIFY_A_DEV_VIRTUAL, 2);
	return m;
}

static struct nl_msg *pid_zero(struct nlt *t)
{
	struct nl_msg *m = dump_req(t, ASCEND_NOTIFY_CMD_NOTIFY_GET);

	nla_put_u32(m, ASCEND_NOTIFY_A_PID, 0);
	return m;
}

static struct nl_msg *reserved_in_do(struct nlt *t)
{
	struct nl_msg *m = do_req(t, ASCEND_NOTIFY_CMD_STATS_GET);

	genl_hdr(m)->reserved = 1;
	return m;
}

static struct nl_msg *reserved_in_dump(struct nlt *t)
{
	struct nl_msg *m = dump_req(t, ASCEND_NOTIFY_CMD_NOTIFY_GET);

	genl_hdr(m)->reserved = 0x80;
	return m;
}

static struct nl_msg *command_42(struct nlt *t)
{
	return do_req(t, 42);
}

static struct nl_msg *command_unspec(struct nlt *t)
{
	return do_req(t, ASCEND_NOTIFY_CMD_UNSPEC);
}

static struct nl_msg *command_event(struct nlt *t)
{
	return do_req(t, ASCEND_NOTIFY_CMD_EVENT);
}

static struct nl_msg *stats_as_dump(struct nlt *t)
{
	return dump_req(t, ASCEND_NOTIFY_CMD_STATS_GET);
}

static struct nl_msg *device_set_as_dump(struct nlt *t)
{
	return dump_req(t, ASCEND_NOTIFY_CMD_DEVICE_SET);
}

static struct nl_msg *notify_get_as_do(struct nlt *t)
{
	return do_req(t, ASCEND_NOTIFY_CMD_NOTIFY_GET);
}

static struct nl_msg *device_get_as_do(struct nlt *t)
{
	struct nl_msg *m = do_req(t, ASCEND_NOTIFY_CMD_DEVICE_GET);

	nla_put_u32(m, ASCEND_NOTIFY_A_DEV, 0);
	return m;
}

static struct nl_msg *proc_get_as_do(struct nlt *t)
{
	return do_req(t, ASCEND_NOTIFY_CMD_PROC_GET);
}

static struct nl_msg *truncated_header(struct nlt *t)
{
	struct nl_msg *m = nlmsg_alloc_simple(t->family, NLM_F_ACK);
	uint8_t cmd = ASCEND_NOTIFY_CMD_STATS_GET;

	nlmsg_append(m, &cmd, 1, 0);
	return m;
}

static struct nl_msg *set_without_device(struct nlt *t)
{
	struct nl_msg *m = do_req(t, ASCEND_NOTIFY_CMD_DEVICE_SET);

	nla_put_u8(m, ASCEND_NOTIFY_A_DEV_VIRTUAL, 0);
	return m;
}

static struct nl_msg *set_with_nothing_to_change(struct nlt *t)
{
	struct nl_msg *m = do_req(t, ASCEND_NOTIFY_CMD_DEVICE_SET);

	nla_put_u32(m, ASCEND_NOTIFY_A_DEV, 1);
	return m;
}

#define CASE(name, errno_, msg_)					\
	FIXTURE_VARIANT_ADD(malformed, name) {				\
		.make = name, .err = errno_, .msg = msg_,		\
	}

/* Attributes: strict validation against the family's request policy. */
CASE(unknown_attribute, EINVAL, "Unknown attribute type");
CASE(reply_only_attribute, EINVAL, "Unsupported attribute");
CASE(short_u32, EINVAL, "invalid attribute length");
CASE(long_u32, EINVAL, "invalid attribute length");
CASE(short_u64, EINVAL, "invalid attribute length");
CASE(flag_with_payload, ERANGE, "Attribute failed policy validation");
CASE(nest_for_u32, EINVAL, "invalid attribute length");
/* Values out of the policy's range. */
CASE(device_beyond_max_in_dump, ERANGE, "integer out of range");
CASE(device_beyond_max_in_set, ERANGE, "integer out of range");
CASE(virtual_two, ERANGE, "integer out of range");
CASE(pid_zero, ERANGE, "integer out of range");
/* The generic netlink header. */
CASE(reserved_in_do, EINVAL, "genlmsghdr.reserved field is not 0");
CASE(reserved_in_dump, EINVAL, "genlmsghdr.reserved field is not 0");
CASE(truncated_header, EINVAL, NULL);
/* Commands the family does not have, or not in that form. */
CASE(command_42, EOPNOTSUPP, NULL);
CASE(command_unspec, EOPNOTSUPP, NULL);
CASE(command_event, EOPNOTSUPP, NULL);
CASE(stats_as_dump, EOPNOTSUPP, NULL);
CASE(device_set_as_dump, EOPNOTSUPP, NULL);
CASE(notify_get_as_do, EOPNOTSUPP, NULL);
CASE(proc_get_as_do, EOPNOTSUPP, NULL);
CASE(device_get_as_do, EOPNOTSUPP, NULL);	/* DEVICE_GET is dump-only */
/* DEVICE_SET's own checks. */
CASE(set_without_device, EINVAL, NULL);
CASE(set_with_nothing_to_change, EINVAL, "nothing to change");

TEST_F(malformed, is_refused_with_one_error_message)
{
	struct nl_msg *m = variant->make(&self->nl);
	struct nlt_reply extra = { 0 };

	ASSERT_NE(NULL, m);
	EXPECT_EQ(-variant->err, nlt_request(&self->nl, m, &self->r)) {
		TH_LOG("extended ACK: '%s'", self->r.msg);
	}
	EXPECT_TRUE(self->r.acked);
	EXPECT_EQ(0, self->r.n);
	EXPECT_EQ(1, self->r.datagrams);
	if (variant->msg)
		EXPECT_STREQ(variant->msg, self->r.msg);
	/* Nothing follows the error, and the socket still works. */
	EXPECT_EQ(-EAGAIN, nlt_recv(&self->nl, &extra, 100));
	nlt_reply_free(&extra);
	EXPECT_EQ(0, nlt_stats(&self->nl, &self->r));
	EXPECT_EQ(1, self->r.n);
}

TEST_HARNESS_MAIN
