// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink socket of ascend-notify. Every request asks for an
 * ACK (nl_send_auto does), so a "do" is complete at its ACK or error and a
 * dump at NLMSG_DONE or an error; reading exactly that far keeps the
 * socket's sequence numbers in step for the next request. Errors keep the
 * kernel's errno and its extended ACK message.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>

#include "genl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* What userspace reads: types only, so lengths are checked before use. */
static struct nla_policy an_policy[ASCEND_NOTIFY_A_MAX + 1] = {
	[ASCEND_NOTIFY_A_DEV] = { .type = NLA_U32 },
	[ASCEND_NOTIFY_A_DEV_SDID] = { .type = NLA_U32 },
	[ASCEND_NOTIFY_A_DEV_LIVE_NOTIFIES] = { .type = NLA_U32 },
	[ASCEND_NOTIFY_A_DEV_LIVE_EVENTS] = { .type = NLA_U32 },
	[ASCEND_NOTIFY_A_DEV_LIVE_MEMS] = { .type = NLA_U32 },
	[ASCEND_NOTIFY_A_DEV_LIMIT] = { .type = NLA_U32 },
	[ASCEND_NOTIFY_A_DEV_PEERS] = { .type = NLA_U64 },
	[ASCEND_NOTIFY_A_DEV_VIRTUAL] = { .type = NLA_U8 },
	[ASCEND_NOTIFY_A_DEV_CREATED] = { .type = NLA_U64 },
	[ASCEND_NOTIFY_A_DEV_IMPORTS] = { .type = NLA_U32 },
	[ASCEND_NOTIFY_A_ID] = { .type = NLA_U32 },
	[ASCEND_NOTIFY_A_SET] = { .type = NLA_U8 },
	[ASCEND_NOTIFY_A_FLAGS] = { .type = NLA_U32 },
	[ASCEND_NOTIFY_A_CREATOR_PID] = { .type = NLA_U32 },
	[ASCEND_NOTIFY_A_IS_CREATOR] = { .type = NLA_U32 },
	[ASCEND_NOTIFY_A_IMPORTERS] = { .type = NLA_NESTED },
	[ASCEND_NOTIFY_A_NR_IMPORTERS] = { .type = NLA_U32 },
	[ASCEND_NOTIFY_A_WAITERS] = { .type = NLA_U32 },
	[ASCEND_NOTIFY_A_RECORDS] = { .type = NLA_U64 },
	[ASCEND_NOTIFY_A_WAITS] = { .type = NLA_U64 },
	[ASCEND_NOTIFY_A_TIMEOUTS] = { .type = NLA_U64 },
	[ASCEND_NOTIFY_A_DENIED] = { .type = NLA_U64 },
	[ASCEND_NOTIFY_A_EXPORTED] = { .type = NLA_U8 },
	[ASCEND_NOTIFY_A_WITHDRAWN] = { .type = NLA_U8 },
	[ASCEND_NOTIFY_A_NO_PID_CHECK] = { .type = NLA_U8 },
	[ASCEND_NOTIFY_A_FINGERPRINT] = { .type = NLA_U32 },
	[ASCEND_NOTIFY_A_NR_TRUSTED] = { .type = NLA_U32 },
	[ASCEND_NOTIFY_A_PID] = { .type = NLA_U32 },
	[ASCEND_NOTIFY_A_HANDLES] = { .type = NLA_U32 },
	[ASCEND_NOTIFY_A_CREATED] = { .type = NLA_U32 },
	[ASCEND_NOTIFY_A_IMPORTED] = { .type = NLA_U32 },
	[ASCEND_NOTIFY_A_PEER_ACCESS] = { .type = NLA_NESTED },
	[ASCEND_NOTIFY_A_STAT_CONTEXTS] = { .type = NLA_U32 },
	[ASCEND_NOTIFY_A_STAT_OBJECTS] = { .type = NLA_U32 },
	[ASCEND_NOTIFY_A_STAT_NOTIFIES] = { .type = NLA_U32 },
	[ASCEND_NOTIFY_A_STAT_EVENTS] = { .type = NLA_U32 },
	[ASCEND_NOTIFY_A_STAT_MEMS] = { .type = NLA_U32 },
	[ASCEND_NOTIFY_A_STAT_HANDLES] = { .type = NLA_U32 },
	[ASCEND_NOTIFY_A_STAT_KEYS] = { .type = NLA_U32 },
	[ASCEND_NOTIFY_A_STAT_MEMORY] = { .type = NLA_U64 },
	[ASCEND_NOTIFY_A_STAT_NOTIFY_SIZE] = { .type = NLA_U32 },
	[ASCEND_NOTIFY_A_STAT_HANDLE_SIZE] = { .type = NLA_U32 },
	[ASCEND_NOTIFY_A_STAT_MEM_SIZE] = { .type = NLA_U32 },
	[ASCEND_NOTIFY_A_STAT_EXPORT_SIZE] = { .type = NLA_U32 },
	[ASCEND_NOTIFY_A_EVENT] = { .type = NLA_U32 },
	[ASCEND_NOTIFY_A_REASON] = { .type = NLA_U32 },
	[ASCEND_NOTIFY_A_KIND] = { .type = NLA_U32 },
	[ASCEND_NOTIFY_A_UID] = { .type = NLA_U32 },
	[ASCEND_NOTIFY_A_LIMIT] = { .type = NLA_U32 },
	[ASCEND_NOTIFY_A_USER_MAX_NOTIFIES] = { .type = NLA_U32 },
	[ASCEND_NOTIFY_A_USER_MAX_MEM] = { .type = NLA_U64 },
	[ASCEND_NOTIFY_A_USER_MAX_HANDLES] = { .type = NLA_U32 },
	[ASCEND_NOTIFY_A_USER_NOTIFIES] = { .type = NLA_U32 },
	[ASCEND_NOTIFY_A_USER_MEM] = { .type = NLA_U64 },
	[ASCEND_NOTIFY_A_USER_HANDLES] = { .type = NLA_U32 },
	[ASCEND_NOTIFY_A_MEM_SIZE] = { .type = NLA_U64 },
	[ASCEND_NOTIFY_A_MEM_MAPPINGS] = { .type = NLA_U32 },
	[ASCEND_NOTIFY_A_MEM_MAPPED] = { .type = NLA_U8 },
};

/* The errno behind the few libnl codes we can meet. */
static int an_nl_errno(int nlerr)
{
	switch (-nlerr) {
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	case NLE_PERM:
		return -EPERM;
	case NLE_NOMEM:
		return -ENOMEM;
	default:
		return -EIO;
	}
}

int an_genl_open(struct an_genl *g)
{
	int one = 1, fd, ret;

	g->sk = nl_socket_alloc();
	if (!g->sk)
		return -ENOMEM;
	ret = genl_connect(g->sk);
	if (ret < 0) {
		ret = an_nl_errno(ret);
		goto err;
	}
	/* Dump messages may be up to 32 KiB; events arrive in bursts. */
	nl_socket_set_msg_buf_size(g->sk, 65536);
	nl_socket_set_buffer_size(g->sk, 1 << 20, 0);
	fd = nl_socket_get_fd(g->sk);
	/* Extended ACK messages, without an echo of our request. */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	g->family = genl_ctrl_resolve(g->sk, ASCEND_NOTIFY_GENL_NAME);
	if (g->family < 0) {
		ret = an_nl_errno(g->family);
		goto err;
	}
	return 0;
err:
	nl_socket_free(g->sk);
	g->sk = NULL;
	return ret;
}

void an_genl_close(struct an_genl *g)
{
	nl_socket_free(g->sk);
	g->sk = NULL;
}

struct nl_msg *an_genl_msg(struct an_genl *g, uint8_t cmd, bool dump)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, g->family, 0,
				dump ? NLM_F_DUMP : 0, cmd,
				ASCEND_NOTIFY_GENL_VERSION)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

/* State of one request while its reply is read. */
struct an_call {
	an_msg_fn fn;
	void *arg;
	struct an_reply *r;
	int fn_ret;
	bool done;
};

static int an_on_valid(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[ASCEND_NOTIFY_A_MAX + 1];
	struct an_call *c = arg;
	int ret;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, ASCEND_NOTIFY_A_MAX,
			  an_policy) < 0) {
		c->fn_ret = -EPROTO;
		return NL_OK;	/* read on to the end of the reply */
	}
	if (c->fn && !c->fn_ret) {
		ret = c->fn(tb, c->arg);
		if (ret)
			c->fn_ret = ret;
	}
	return NL_OK;
}

static int an_on_intr(struct nl_msg *msg, void *arg)
{
	struct an_call *c = arg;

	(void)msg;
	c->r->intr = true;
	return NL_OK;
}

static int an_on_done(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct an_call *c = arg;
	int err;

	/* NLMSG_DONE carries the dump's own status. */
	if (nlmsg_datalen(nlh) >= (int)sizeof(err)) {
		memcpy(&err, nlmsg_data(nlh), sizeof(err));
		if (err < 0)
			c->r->err = -err;
	}
	c->done = true;
	return NL_STOP;
}

static int an_on_ack(struct nl_msg *msg, void *arg)
{
	struct an_call *c = arg;

	(void)msg;
	c->done = true;
	return NL_STOP;
}

/* The NLMSGERR_ATTR_MSG string after @e, if the kernel sent one. */
static void an_extack(const struct nlmsgerr *e, char *buf, size_t len)
{
	const struct nlmsghdr *nlh = (const void *)((const char *)e -
						    NLMSG_HDRLEN);
	size_t off = sizeof(*e);
	struct nlattr *a;
	int rem;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	off = NLMSG_ALIGN(off);
	if (nlh->nlmsg_len < NLMSG_HDRLEN + off)
		return;
	nla_for_each_attr(a, (struct nlattr *)((char *)e + off),
			  nlh->nlmsg_len - NLMSG_HDRLEN - off, rem) {
		if (nla_type(a) == NLMSGERR_ATTR_MSG)
			nla_strlcpy(buf, a, len);
	}
}

static int an_on_error(struct sockaddr_nl *nla, struct nlmsgerr *e,
		       void *arg)
{
	struct an_call *c = arg;

	(void)nla;
	c->r->err = -e->error;
	an_extack(e, c->r->msg, sizeof(c->r->msg));
	c->done = true;
	return NL_STOP;
}

int an_genl_call(struct an_genl *g, struct nl_msg *msg, an_msg_fn fn,
		 void *arg, struct an_reply *r)
{
	struct an_call c = { .fn = fn, .arg = arg, .r = r };
	struct nl_cb *cb;
	int ret;

	memset(r, 0, sizeof(*r));
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, an_on_valid, &c);
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, an_on_intr, &c);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, an_on_done, &c);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, an_on_ack, &c);
	nl_cb_err(cb, NL_CB_CUSTOM, an_on_error, &c);

	ret = nl_send_auto(g->sk, msg);
	nlmsg_free(msg);
	if (ret < 0) {
		ret = an_nl_errno(ret);
		goto out;
	}
	ret = 0;
	while (!c.done) {
		int got = nl_recvmsgs(g->sk, cb);

		/* An error reply stops libnl with its own code: ours is in r. */
		if (got < 0 && !c.done) {
			ret = an_nl_errno(got);
			goto out;
		}
	}
	if (r->err)
		ret = -r->err;
	else if (c.fn_ret)
		ret = c.fn_ret;
out:
	nl_cb_put(cb);
	return ret;
}

int an_genl_subscribe(struct an_genl *g)
{
	int grp = genl_ctrl_resolve_grp(g->sk, ASCEND_NOTIFY_GENL_NAME,
					ASCEND_NOTIFY_GENL_MCGRP_EVENTS);

	if (grp < 0)
		return an_nl_errno(grp);
	/* Raw setsockopt: libnl would turn EPERM into its own code. */
	if (setsockopt(nl_socket_get_fd(g->sk), SOL_NETLINK,
		       NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp)))
		return -errno;
	return 0;
}

static int an_no_seq_check(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;	/* events carry sequence number 0 */
}

int an_genl_listen(struct an_genl *g, an_msg_fn fn, void *arg,
		   volatile sig_atomic_t *stop)
{
	struct an_reply r;
	struct an_call c = { .fn = fn, .arg = arg, .r = &r };
	struct pollfd p = { .fd = nl_socket_get_fd(g->sk), .events = POLLIN };
	struct nl_cb *cb;
	int ret = 0;

	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb)
		return -ENOMEM;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, an_on_valid, &c);
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, an_no_seq_check, NULL);
	while (!*stop && !c.fn_ret) {
		/* poll, unlike libnl's recvmsg loop, returns on a signal. */
		if (poll(&p, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			break;
		}
		ret = nl_recvmsgs(g->sk, cb);
		if (ret < 0) {
			/* recvmsg's ENOBUFS: the kernel dropped events. */
			ret = ret == -NLE_NOMEM ? -ENOBUFS : an_nl_errno(ret);
			break;
		}
		ret = 0;
	}
	nl_cb_put(cb);
	return ret ? ret : c.fn_ret;
}
