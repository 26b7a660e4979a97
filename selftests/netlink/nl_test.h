/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the generic netlink selftests: a libnl-genl socket on the
 * ascend_notify family whose replies are read datagram by datagram (so a
 * test sees every message, its flags, the ACK and the extended ACK), the
 * reply's messages decoded into plain records, a small SHA-256 for key
 * fingerprints, dropping privileges, and a look at the kernel log.
 *
 * The ioctl, process and pipe helpers come from the ioctl selftests.
 */
#ifndef NL_TEST_H
#define NL_TEST_H

#include <linux/capability.h>
#include <sys/socket.h>
#include <grp.h>
#include <poll.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "an_test.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define NLT_A_MAX	ASCEND_NOTIFY_A_MAX
#define NLT_LIST_MAX	256	/* the module lists at most 256 */

/* One message of a reply, or one event: every attribute as a number. */
struct nlt_rec {
	uint8_t cmd;
	uint16_t nlflags;
	bool has[NLT_A_MAX + 1];
	uint64_t v[NLT_A_MAX + 1];
	uint16_t len[NLT_A_MAX + 1];	/* payload bytes */
	/* A_IMPORTERS (A_PID each) or A_PEER_ACCESS (A_PEER_PAIR each) */
	uint32_t nlist;
	uint64_t list[NLT_LIST_MAX];
};

/* Everything a request brought back. */
struct nlt_reply {
	int err;		/* errno of NLMSG_ERROR or NLMSG_DONE, or 0 */
	char msg[256];		/* NLMSGERR_ATTR_MSG */
	bool acked;		/* an NLMSG_ERROR (ACK or error) arrived */
	bool done;		/* the request is complete */
	bool intr;		/* a message had NLM_F_DUMP_INTR */
	unsigned int datagrams;	/* recvmsg calls that returned data */
	size_t n, cap;
	struct nlt_rec *recs;
	/* Every byte received, when keep_raw is set before the request. */
	bool keep_raw;
	size_t rawlen;
	char *raw;
};

struct nlt {
	struct nl_sock *sk;
	int fd;
	int family;
	int events;		/* the multicast group id */
	uint32_t seq;
	/*
	 * Send with write(), without a destination address, as a program
	 * writing to a descriptor it was handed does; the kernel then also
	 * checks the capabilities of the socket's opener.
	 */
	bool use_write;
};

static inline void nlt_reply_free(struct nlt_reply *r)
{
	free(r->recs);
	free(r->raw);
	memset(r, 0, sizeof(*r));
}

static inline int nlt_open(struct nlt *t)
{
	int one = 1;

	memset(t, 0, sizeof(*t));
	t->sk = nl_socket_alloc();
	if (!t->sk)
		return -ENOMEM;
	if (genl_connect(t->sk))
		return -EIO;
	t->family = genl_ctrl_resolve(t->sk, ASCEND_NOTIFY_GENL_NAME);
	if (t->family < 0)
		return -ENOENT;
	t->events = genl_ctrl_resolve_grp(t->sk, ASCEND_NOTIFY_GENL_NAME,
					  ASCEND_NOTIFY_GENL_MCGRP_EVENTS);
	if (t->events < 0)
		return -ENOENT;
	t->fd = nl_socket_get_fd(t->sk);
	/* Extended ACKs, without the echo of the request. */
	if (setsockopt(t->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    setsockopt(t->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one)))
		return -errno;
	t->seq = 1000;
	return 0;
}

static inline void nlt_close(struct nlt *t)
{
	if (t->sk)
		nl_socket_free(t->sk);
	t->sk = NULL;
}

/* A request for @cmd with @nlflags (NLM_F_DUMP, NLM_F_ACK...). */
static inline struct nl_msg *nlt_msg(struct nlt *t, uint8_t cmd, int nlflags)
{
	struct nl_msg *m = nlmsg_alloc();

	if (m && !genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, t->family, 0,
			      nlflags, cmd, ASCEND_NOTIFY_GENL_VERSION)) {
		nlmsg_free(m);
		return NULL;
	}
	return m;
}

/*
 * Sends @m as it is (no flags added but NLM_F_REQUEST), with the next
 * sequence number, and frees it. 0 or -errno.
 */
static inline int nlt_send(struct nlt *t, struct nl_msg *m)
{
	struct nlmsghdr *h = nlmsg_hdr(m);
	struct sockaddr_nl to = { .nl_family = AF_NETLINK };
	ssize_t n;

	h->nlmsg_flags |= NLM_F_REQUEST;
	h->nlmsg_seq = ++t->seq;
	h->nlmsg_pid = 0;
	if (t->use_write)
		n = write(t->fd, h, h->nlmsg_len);
	else
		n = sendto(t->fd, h, h->nlmsg_len, 0, (struct sockaddr *)&to,
			   sizeof(to));
	nlmsg_free(m);
	return n < 0 ? -errno : 0;
}

static inline void nlt_decode_attrs(struct nlt_rec *rec, struct nlattr *head,
				    int len)
{
	struct nlattr *a, *b;
	int rem, rem2, type;

	nla_for_each_attr(a, head, len, rem) {
		type = nla_type(a);
		if (type > NLT_A_MAX)
			continue;
		rec->has[type] = true;
		rec->len[type] = nla_len(a);
		switch (nla_len(a)) {
		case 1:
			rec->v[type] = nla_get_u8(a);
			break;
		case 2:
			rec->v[type] = nla_get_u16(a);
			break;
		case 4:
			rec->v[type] = nla_get_u32(a);
			break;
		case 8:
			rec->v[type] = nla_get_u64(a);
			break;
		}
		if (type != ASCEND_NOTIFY_A_IMPORTERS &&
		    type != ASCEND_NOTIFY_A_PEER_ACCESS)
			continue;
		nla_for_each_nested(b, a, rem2) {
			if (rec->nlist == NLT_LIST_MAX)
				break;
			rec->list[rec->nlist++] = nla_len(b) == 8 ?
				nla_get_u64(b) : nla_get_u32(b);
		}
	}
}

/* The extended ACK message after @e, if any. */
static inline void nlt_extack(const struct nlmsghdr *h, char *buf,
			      size_t size)
{
	const struct nlmsgerr *e = nlmsg_data(h);
	size_t off = sizeof(*e);
	struct nlattr *a;
	int rem;

	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	off = NLMSG_ALIGN(off);
	if (h->nlmsg_len < NLMSG_HDRLEN + off)
		return;
	nla_for_each_attr(a, (struct nlattr *)((char *)e + off),
			  h->nlmsg_len - NLMSG_HDRLEN - off, rem) {
		if (nla_type(a) == NLMSGERR_ATTR_MSG)
			nla_strlcpy(buf, a, size);
	}
}

/*
 * Reads one datagram (waiting at most @timeout_ms, -1 forever) and adds
 * its messages to @r. 0, -EAGAIN on timeout, or -errno.
 */
static inline int nlt_recv(struct nlt *t, struct nlt_reply *r, int timeout_ms)
{
	static char buf[65536];
	struct pollfd p = { .fd = t->fd, .events = POLLIN };
	struct nlmsghdr *h;
	ssize_t n;
	int len;

	n = poll(&p, 1, timeout_ms);
	if (n < 0)
		return -errno;
	if (!n)
		return -EAGAIN;
	n = recv(t->fd, buf, sizeof(buf), MSG_TRUNC);
	if (n < 0)
		return -errno;
	if (n > (ssize_t)sizeof(buf))
		return -EMSGSIZE;
	r->datagrams++;
	if (r->keep_raw) {
		r->raw = realloc(r->raw, r->rawlen + n);
		memcpy(r->raw + r->rawlen, buf, n);
		r->rawlen += n;
	}
	len = n;
	for (h = (struct nlmsghdr *)buf; nlmsg_ok(h, len);
	     h = nlmsg_next(h, &len)) {
		struct genlmsghdr *g = nlmsg_data(h);
		struct nlt_rec *rec;

		if (h->nlmsg_flags & NLM_F_DUMP_INTR)
			r->intr = true;
		if (h->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = nlmsg_data(h);

			r->err = -e->error;
			r->acked = true;
			r->done = true;
			nlt_extack(h, r->msg, sizeof(r->msg));
			continue;
		}
		if (h->nlmsg_type == NLMSG_DONE) {
			int err = 0;

			if (nlmsg_datalen(h) >= (int)sizeof(err))
				memcpy(&err, nlmsg_data(h), sizeof(err));
			r->err = err < 0 ? -err : 0;
			r->done = true;
			continue;
		}
		if (h->nlmsg_type != t->family)
			continue;
		if (r->n == r->cap) {
			r->cap = r->cap ? 2 * r->cap : 16;
			r->recs = realloc(r->recs, r->cap * sizeof(*r->recs));
			if (!r->recs)
				return -ENOMEM;
		}
		rec = &r->recs[r->n++];
		memset(rec, 0, sizeof(*rec));
		rec->cmd = g->cmd;
		rec->nlflags = h->nlmsg_flags;
		nlt_decode_attrs(rec, genlmsg_attrdata(g, 0),
				 genlmsg_attrlen(g, 0));
	}
	return 0;
}

/*
 * Reads until the request is complete: at an NLMSG_ERROR (an error, or
 * the ACK a do-request asked for) or a dump's NLMSG_DONE. 0 or -errno of
 * the transport; the kernel's errno is in r->err.
 */
static inline int nlt_finish(struct nlt *t, struct nlt_reply *r)
{
	int ret;

	while (!r->done) {
		ret = nlt_recv(t, r, 10000);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Sends @m and reads its whole reply into @r (freed first). Returns the
 * kernel's result: 0 or -errno.
 */
static inline int nlt_request(struct nlt *t, struct nl_msg *m,
			      struct nlt_reply *r)
{
	bool keep = r->keep_raw;
	int ret;

	nlt_reply_free(r);
	r->keep_raw = keep;
	if (!m)
		return -ENOMEM;
	ret = nlt_send(t, m);
	if (!ret)
		ret = nlt_finish(t, r);
	return ret ? ret : -r->err;
}

static inline int nlt_dump(struct nlt *t, uint8_t cmd, struct nlt_reply *r)
{
	return nlt_request(t, nlt_msg(t, cmd, NLM_F_DUMP), r);
}

/* NOTIFY_GET, with the filters given: @dev < 0 and @pid 0 for none. */
static inline int nlt_dump_notifies(struct nlt *t, int dev, uint32_t pid,
				    bool exported, struct nlt_reply *r)
{
	struct nl_msg *m = nlt_msg(t, ASCEND_NOTIFY_CMD_NOTIFY_GET, NLM_F_DUMP);

	if (m && dev >= 0)
		nla_put_u32(m, ASCEND_NOTIFY_A_DEV, dev);
	if (m && pid)
		nla_put_u32(m, ASCEND_NOTIFY_A_PID, pid);
	if (m && exported)
		nla_put_flag(m, ASCEND_NOTIFY_A_EXPORTED_ONLY);
	return nlt_request(t, m, r);
}

/* STATS_GET, acknowledged: its reply, then the ACK. */
static inline int nlt_stats(struct nlt *t, struct nlt_reply *r)
{
	return nlt_request(t, nlt_msg(t, ASCEND_NOTIFY_CMD_STATS_GET,
				      NLM_F_ACK), r);
}

/* DEVICE_SET: @peers NULL and @virt < 0 leave them out. */
static inline int nlt_device_set(struct nlt *t, uint32_t dev,
				 const uint64_t *peers, int virt,
				 struct nlt_reply *r)
{
	struct nl_msg *m = nlt_msg(t, ASCEND_NOTIFY_CMD_DEVICE_SET, NLM_F_ACK);

	if (m)
		nla_put_u32(m, ASCEND_NOTIFY_A_DEV, dev);
	if (m && peers)
		nla_put_u64(m, ASCEND_NOTIFY_A_DEV_PEERS, *peers);
	if (m && virt >= 0)
		nla_put_u8(m, ASCEND_NOTIFY_A_DEV_VIRTUAL, virt);
	return nlt_request(t, m, r);
}

/* The first record whose attribute @a1 is @v1 and @a2 is @v2 (a2 0: any). */
static inline struct nlt_rec *nlt_find(struct nlt_reply *r, int a1,
				       uint64_t v1, int a2, uint64_t v2)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		struct nlt_rec *rec = &r->recs[i];

		if (rec->has[a1] && rec->v[a1] == v1 &&
		    (!a2 || (rec->has[a2] && rec->v[a2] == v2)))
			return rec;
	}
	return NULL;
}

static inline struct nlt_rec *nlt_find_notify(struct nlt_reply *r,
					      uint32_t dev, uint32_t id)
{
	return nlt_find(r, ASCEND_NOTIFY_A_DEV, dev, ASCEND_NOTIFY_A_ID, id);
}

/* How many records have attribute @a equal to @v. */
static inline size_t nlt_count(struct nlt_reply *r, int a, uint64_t v)
{
	size_t i, n = 0;

	for (i = 0; i < r->n; i++)
		n += r->recs[i].has[a] && r->recs[i].v[a] == v;
	return n;
}

/* How many times @v is in the record's nested list. */
static inline unsigned int nlt_in_list(const struct nlt_rec *rec, uint64_t v)
{
	unsigned int i, n = 0;

	for (i = 0; i < rec->nlist; i++)
		n += rec->list[i] == v;
	return n;
}

/* ---- events -------------------------------------------------------------- */

/* Joins the events group: 0 or -errno (EPERM without CAP_NET_ADMIN). */
static inline int nlt_subscribe(struct nlt *t)
{
	return setsockopt(t->fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
			  &t->events, sizeof(t->events)) ? -errno : 0;
}

/*
 * The next event (an ASCEND_NOTIFY_CMD_EVENT message) into @ev within
 * @timeout_ms: 0, -EAGAIN or -errno. Events come one per datagram.
 */
static inline int nlt_next_event(struct nlt *t, struct nlt_rec *ev,
				 int timeout_ms)
{
	struct nlt_reply r = { 0 };
	int ret;

	for (;;) {
		ret = nlt_recv(t, &r, timeout_ms);
		if (ret)
			break;
		if (r.n && r.recs[r.n - 1].cmd == ASCEND_NOTIFY_CMD_EVENT) {
			*ev = r.recs[r.n - 1];
			break;
		}
	}
	nlt_reply_free(&r);
	return ret;
}

/* ---- SHA-256 (FIPS 180-4), for key fingerprints ------------------------- */

static inline uint32_t nlt_ror(uint32_t x, int n)
{
	return x >> n | x << (32 - n);
}

static inline void nlt_sha256(const void *data, size_t len, uint8_t out[32])
{
	static const uint32_t k[64] = {
		0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b,
		0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
		0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7,
		0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
		0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152,
		0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
		0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
		0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
		0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
		0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
		0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
		0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
		0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
	};
	uint32_t h[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};
	size_t total = (len + 9 + 63) / 64 * 64, off, i;
	uint8_t *msg = calloc(1, total);

	memcpy(msg, data, len);
	msg[len] = 0x80;
	for (i = 0; i < 8; i++)
		msg[total - 1 - i] = (uint64_t)len * 8 >> (8 * i);
	for (off = 0; off < total; off += 64) {
		uint32_t w[64], s[8], t1, t2;

		for (i = 0; i < 16; i++)
			w[i] = (uint32_t)msg[off + 4 * i] << 24 |
			       msg[off + 4 * i + 1] << 16 |
			       msg[off + 4 * i + 2] << 8 | msg[off + 4 * i + 3];
		for (; i < 64; i++)
			w[i] = w[i - 16] + w[i - 7] +
			       (nlt_ror(w[i - 15], 7) ^ nlt_ror(w[i - 15], 18) ^
				w[i - 15] >> 3) +
			       (nlt_ror(w[i - 2], 17) ^ nlt_ror(w[i - 2], 19) ^
				w[i - 2] >> 10);
		memcpy(s, h, sizeof(s));
		for (i = 0; i < 64; i++) {
			t1 = s[7] + (nlt_ror(s[4], 6) ^ nlt_ror(s[4], 11) ^
				     nlt_ror(s[4], 25)) +
			     ((s[4] & s[5]) ^ (~s[4] & s[6])) + k[i] + w[i];
			t2 = (nlt_ror(s[0], 2) ^ nlt_ror(s[0], 13) ^
			      nlt_ror(s[0], 22)) +
			     ((s[0] & s[1]) ^ (s[0] & s[2]) ^ (s[1] & s[2]));
			memmove(s + 1, s, 7 * sizeof(*s));
			s[4] += t1;
			s[0] = t1 + t2;
		}
		for (i = 0; i < 8; i++)
			h[i] += s[i];
	}
	free(msg);
	for (i = 0; i < 32; i++)
		out[i] = h[i / 4] >> (24 - 8 * (i % 4));
}

/* The fingerprint of a key: the first 32 bits (big-endian) of its SHA-256. */
static inline uint32_t nlt_fingerprint(const char key[ASCEND_NOTIFY_KEY_LEN])
{
	uint8_t d[32];

	nlt_sha256(key, ASCEND_NOTIFY_KEY_LEN, d);
	return (uint32_t)d[0] << 24 | d[1] << 16 | d[2] << 8 | d[3];
}

/* ---- privileges ------------------------------------------------------------ */

/*
 * Keeps only the capabilities in @keep (a mask of CAP_* bits) in every
 * set, staying uid 0. 0 or -errno.
 */
static inline int nlt_keep_caps(uint64_t keep)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2] = {
		{ .effective = keep, .permitted = keep, .inheritable = 0 },
		{ .effective = keep >> 32, .permitted = keep >> 32 },
	};

	return syscall(SYS_capset, &hdr, data) ? -errno : 0;
}

/*
 * Sets the effective capabilities to @eff (within the permitted set,
 * which stays as it is). 0 or -errno.
 */
static inline int nlt_set_effective(uint64_t eff)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2] = { 0 };

	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	data[0].effective = eff & data[0].permitted;
	data[1].effective = (eff >> 32) & data[1].permitted;
	return syscall(SYS_capset, &hdr, data) ? -errno : 0;
}

/* The effective capability set of this process. */
static inline uint64_t nlt_caps(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2] = { 0 };

	if (syscall(SYS_capget, &hdr, data))
		return ~0ull;
	return data[0].effective | (uint64_t)data[1].effective << 32;
}

/*
 * Becomes user and group "nobody" (65534): a uid change from 0 clears
 * every capability. 0 or -errno; fails unless no capability is left.
 */
static inline int nlt_become_nobody(void)
{
	if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
	    setresuid(65534, 65534, 65534))
		return -errno;
	return nlt_caps() ? -EPERM : 0;
}

/* ---- topology ------------------------------------------------------------------ */

/* Every device's peers and virtual flag, to put back after a test. */
struct nlt_topology {
	unsigned int n;
	uint64_t peers[ASCEND_NOTIFY_MAX_DEVICES];
	int virt[ASCEND_NOTIFY_MAX_DEVICES];
};

static inline int nlt_topology_save(struct nlt *t, struct nlt_topology *topo)
{
	struct nlt_reply r = { 0 };
	size_t i;
	int ret;

	memset(topo, 0, sizeof(*topo));
	ret = nlt_dump(t, ASCEND_NOTIFY_CMD_DEVICE_GET, &r);
	if (!ret) {
		topo->n = r.n;
		for (i = 0; i < r.n && i < ASCEND_NOTIFY_MAX_DEVICES; i++) {
			struct nlt_rec *d = &r.recs[i];

			topo->peers[d->v[ASCEND_NOTIFY_A_DEV]] =
				d->v[ASCEND_NOTIFY_A_DEV_PEERS];
			topo->virt[d->v[ASCEND_NOTIFY_A_DEV]] =
				d->v[ASCEND_NOTIFY_A_DEV_VIRTUAL];
		}
	}
	nlt_reply_free(&r);
	return ret;
}

/* Puts @topo back: 0, or the first error. */
static inline int nlt_topology_restore(struct nlt *t,
				       const struct nlt_topology *topo)
{
	struct nlt_reply r = { 0 };
	unsigned int i;
	int ret = 0;

	for (i = 0; i < topo->n && !ret; i++)
		ret = nlt_device_set(t, i, &topo->peers[i], topo->virt[i], &r);
	nlt_reply_free(&r);
	return ret;
}

/* ---- processes ------------------------------------------------------------------ */

/*
 * fork() into a new PID namespace, where the child is PID 1; it dies with
 * its parent. (Its getppid() is 0: the parent lives outside.)
 */
static inline pid_t nlt_fork_newpid(void)
{
	pid_t pid = syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0);

	if (pid == 0 && prctl(PR_SET_PDEATHSIG, SIGKILL))
		_exit(99);
	return pid;
}

/* Pipes from a test to one child (down) and back (up). */
struct nlt_link {
	int down[2];
	int up[2];
};

static inline int nlt_link_open(struct nlt_link *l)
{
	return pipe2(l->down, O_CLOEXEC) || pipe2(l->up, O_CLOEXEC) ? -errno : 0;
}

/* The child's ends: reads from the test, writes to it. */
#define NLT_CHILD_IN(l)		((l)->down[0])
#define NLT_CHILD_OUT(l)	((l)->up[1])
/* The test's ends. */
#define NLT_TO_CHILD(l)		((l)->down[1])
#define NLT_FROM_CHILD(l)	((l)->up[0])

/* ---- the kernel log ---------------------------------------------------------- */

/* /dev/kmsg, positioned after everything logged so far. */
static inline int nlt_kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

/*
 * Reads what was logged since; copies the first line that looks like a
 * kernel warning or crash into @line and returns true.
 */
static inline bool nlt_kmsg_bad(int fd, char *line, size_t size)
{
	static const char *const bad[] = {
		"WARNING:", "BUG:", "Oops", "general protection",
		"Call Trace", "UBSAN", "KASAN", "kmemleak",
	};
	char buf[8192];
	ssize_t n;
	size_t i;

	for (;;) {
		n = read(fd, buf, sizeof(buf) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten records */
		if (n <= 0)
			return false;
		buf[n] = '\0';
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			if (strstr(buf, bad[i])) {
				snprintf(line, size, "%.*s", (int)size - 1,
					 buf);
				return true;
			}
		}
	}
}

/* The number of emulated devices, from the version ioctl; -errno. */
static inline int nlt_num_devices(void)
{
	struct ascend_notify_version v = { 0 };
	int fd = an_open(), ret;

	if (fd < 0)
		return -errno;
	ret = an_ioctl(fd, ASCEND_NOTIFY_IOC_VERSION, &v);
	close(fd);
	return ret ? ret : (int)v.num_devices;
}

#endif /* NL_TEST_H */
