/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal client of the ascend_notify generic netlink family on a raw
 * NETLINK_GENERIC socket, and an_stats(): the module-wide counters of
 * STATS_GET. Shared by the ascend_notify and acl selftests, the benchmarks
 * and the fuzzer, none of which links libnl: a header of plain sockets
 * keeps them free of that dependency (the netlink selftests and the CLI,
 * which parse much more, use libnl-genl).
 */
#ifndef SELFTESTS_AN_GENL_H
#define SELFTESTS_AN_GENL_H

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/ascend_notify.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

struct an_genl_req {
	struct nlmsghdr n;
	struct genlmsghdr g;
	char attrs[128];
};

/* A request for @cmd of @family (GENL_ID_CTRL or the resolved id). */
static inline void an_genl_init(struct an_genl_req *q, uint16_t family,
				uint8_t cmd)
{
	memset(q, 0, sizeof(*q));
	q->n.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	q->n.nlmsg_type = family;
	q->n.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	q->g.cmd = cmd;
	q->g.version = family == GENL_ID_CTRL ? 1 : ASCEND_NOTIFY_GENL_VERSION;
}

static inline void an_genl_put(struct an_genl_req *q, uint16_t type,
			       const void *data, uint16_t len)
{
	struct nlattr *a = (struct nlattr *)((char *)q +
					     NLMSG_ALIGN(q->n.nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((char *)a + NLA_HDRLEN, data, len);
	q->n.nlmsg_len = NLMSG_ALIGN(q->n.nlmsg_len) + NLA_ALIGN(a->nla_len);
}

/* A u32 or u64 attribute's value, by its length. */
static inline uint64_t an_genl_uint(const struct nlattr *a)
{
	const char *p = (const char *)a + NLA_HDRLEN;
	uint32_t v32;
	uint64_t v64;

	if (a->nla_len >= NLA_HDRLEN + sizeof(v64)) {
		memcpy(&v64, p, sizeof(v64));
		return v64;
	}
	if (a->nla_len >= NLA_HDRLEN + sizeof(v32)) {
		memcpy(&v32, p, sizeof(v32));
		return v32;
	}
	return 0;
}

/* Called for every top-level attribute of every reply message. */
typedef void an_genl_attr_fn(const struct nlattr *a, uint16_t msg_type,
			     void *arg);

/*
 * Sends @q and reads until its ACK: 0 or -errno. Every attribute of the
 * replies before it goes to @fn (may be NULL).
 */
static inline int an_genl_talk(int fd, const struct an_genl_req *q,
			       an_genl_attr_fn *fn, void *arg)
{
	char buf[8192];

	if (send(fd, q, q->n.nlmsg_len, 0) < 0)
		return -errno;
	for (;;) {
		int len = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *h;

		if (len < 0)
			return -errno;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, len);
		     h = NLMSG_NEXT(h, len)) {
			struct nlattr *a;
			int rem;

			if (h->nlmsg_type == NLMSG_ERROR)
				return ((struct nlmsgerr *)NLMSG_DATA(h))->error;
			if (!fn || h->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
				continue;
			rem = h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
			for (a = (struct nlattr *)((char *)NLMSG_DATA(h) +
						   GENL_HDRLEN);
			     rem >= (int)NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
			     a->nla_len <= rem;
			     rem -= NLA_ALIGN(a->nla_len),
			     a = (struct nlattr *)((char *)a +
						   NLA_ALIGN(a->nla_len)))
				fn(a, h->nlmsg_type, arg);
		}
	}
}

static inline void an_genl_family_attr(const struct nlattr *a,
				       uint16_t msg_type, void *arg)
{
	if (msg_type == GENL_ID_CTRL && a->nla_type == CTRL_ATTR_FAMILY_ID)
		memcpy(arg, (const char *)a + NLA_HDRLEN, sizeof(uint16_t));
}

/*
 * A bound NETLINK_GENERIC socket and the family's id in *@family: the
 * socket, or -errno (-ENOENT: the module is not loaded).
 */
static inline int an_genl_open(uint16_t *family)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct an_genl_req q;
	int fd, ret;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		ret = -errno;
		goto err;
	}
	*family = 0;
	an_genl_init(&q, GENL_ID_CTRL, CTRL_CMD_GETFAMILY);
	an_genl_put(&q, CTRL_ATTR_FAMILY_NAME, ASCEND_NOTIFY_GENL_NAME,
		    sizeof(ASCEND_NOTIFY_GENL_NAME));
	ret = an_genl_talk(fd, &q, an_genl_family_attr, family);
	if (!ret && !*family)
		ret = -ENOENT;
	if (ret)
		goto err;
	return fd;
err:
	close(fd);
	return ret;
}

/* STATS_GET: the module-wide counters (Documentation/netlink.rst). */
struct an_stats {
	uint32_t contexts;	/* open contexts */
	uint32_t objects;	/* live objects of every kind */
	uint32_t notifies;	/* live NOTIFY objects */
	uint32_t events;	/* live EVENT objects */
	uint32_t mems;		/* live MEM objects */
	uint32_t handles;	/* live handles */
	uint32_t keys;		/* importable keys */
	uint64_t memory;	/* kernel bytes of all of the above */
	uint32_t notify_size;	/* bytes of one NOTIFY or EVENT object */
	uint32_t mem_size;	/* bytes of one MEM object (its pages apart) */
	uint32_t handle_size;	/* bytes of one handle */
	uint32_t export_size;	/* bytes one export adds */
	uint32_t nr_attrs;	/* attributes the reply carried */
};

static inline void an_stats_attr(const struct nlattr *a, uint16_t msg_type,
				 void *arg)
{
	struct an_stats *st = arg;
	uint64_t v = an_genl_uint(a);

	(void)msg_type;
	st->nr_attrs++;
	switch (a->nla_type) {
	case ASCEND_NOTIFY_A_STAT_CONTEXTS: st->contexts = v; break;
	case ASCEND_NOTIFY_A_STAT_OBJECTS: st->objects = v; break;
	case ASCEND_NOTIFY_A_STAT_NOTIFIES: st->notifies = v; break;
	case ASCEND_NOTIFY_A_STAT_EVENTS: st->events = v; break;
	case ASCEND_NOTIFY_A_STAT_MEMS: st->mems = v; break;
	case ASCEND_NOTIFY_A_STAT_HANDLES: st->handles = v; break;
	case ASCEND_NOTIFY_A_STAT_KEYS: st->keys = v; break;
	case ASCEND_NOTIFY_A_STAT_MEMORY: st->memory = v; break;
	case ASCEND_NOTIFY_A_STAT_NOTIFY_SIZE: st->notify_size = v; break;
	case ASCEND_NOTIFY_A_STAT_MEM_SIZE: st->mem_size = v; break;
	case ASCEND_NOTIFY_A_STAT_HANDLE_SIZE: st->handle_size = v; break;
	case ASCEND_NOTIFY_A_STAT_EXPORT_SIZE: st->export_size = v; break;
	default: st->nr_attrs--; break;
	}
}

/* The module's counters through STATS_GET: 0 or -errno. */
static inline int an_stats(struct an_stats *st)
{
	struct an_genl_req q;
	uint16_t family;
	int fd, ret;

	memset(st, 0, sizeof(*st));
	fd = an_genl_open(&family);
	if (fd < 0)
		return fd;
	an_genl_init(&q, family, ASCEND_NOTIFY_CMD_STATS_GET);
	ret = an_genl_talk(fd, &q, an_stats_attr, st);
	close(fd);
	if (!ret && !st->nr_attrs)
		ret = -EPROTO;
	return ret;
}

#endif /* SELFTESTS_AN_GENL_H */
