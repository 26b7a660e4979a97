/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Thin helpers around a libnl-genl socket talking to the ascend_notify
 * generic netlink family: open it, build a request, run it to its end
 * (reply messages, then the ACK, NLMSG_DONE or an error with its extended
 * ACK message), and listen to the events group.
 */
#ifndef AN_GENL_H
#define AN_GENL_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include <netlink/attr.h>
#include <linux/ascend_notify.h>

struct nl_sock;
struct nl_msg;

struct an_genl {
	struct nl_sock *sk;
	int family;
};

/* What a request came back with, besides its messages. */
struct an_reply {
	int err;		/* errno the kernel reported, 0 if none */
	char msg[256];		/* the extended ACK message, "" if none */
	bool intr;		/* a dump message had NLM_F_DUMP_INTR */
};

/* Called with the attributes of every reply or event message. */
typedef int (*an_msg_fn)(struct nlattr **tb, void *arg);

/* 0; -ENOENT when the family is not registered (module not loaded). */
int an_genl_open(struct an_genl *g);
void an_genl_close(struct an_genl *g);

/* A request for @cmd; a dump when @dump. NULL when out of memory. */
struct nl_msg *an_genl_msg(struct an_genl *g, uint8_t cmd, bool dump);

/*
 * Sends @msg (and frees it), passes each reply message to @fn and reads
 * until the request is complete. Returns 0 or -errno; the kernel's errno
 * and message are also left in @r.
 */
int an_genl_call(struct an_genl *g, struct nl_msg *msg, an_msg_fn fn,
		 void *arg, struct an_reply *r);

/* Joins the "events" multicast group: 0 or -errno (-EPERM). */
int an_genl_subscribe(struct an_genl *g);

/*
 * Waits for events and passes each to @fn until @fn returns non-zero
 * (returned) or *@stop becomes true (0). -errno on failure, -ENOBUFS
 * when events were lost (the caller may call again).
 */
int an_genl_listen(struct an_genl *g, an_msg_fn fn, void *arg,
		   volatile sig_atomic_t *stop);

#endif /* AN_GENL_H */
