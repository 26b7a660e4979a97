// SPDX-License-Identifier: GPL-2.0
/*
 * ascend_notify - the generic netlink family
 *
 * Inspection for people debugging a hang: per-device state, every notify
 * with its creator, importers, waiters and counters, every open context,
 * module-wide totals, and a multicast group that reports what happens as
 * it happens. Plus DEVICE_SET, which changes the emulated topology.
 *
 * Dumps walk the per-device xarrays and the context list and resume from
 * where the previous message ended (cb->args). an_generation changes
 * whenever a notify, handle or context appears or goes; a dump that spans
 * a change is flagged NLM_F_DUMP_INTR. PIDs are translated into the
 * reader's PID namespace: a process the reader cannot see reads as 0. Keys
 * never leave the kernel; a fingerprint identifies one.
 */
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/pid_namespace.h>
#include <linux/sched/signal.h>
#include <net/genetlink.h>

#include "compat.h"
#include "internal.h"

static struct genl_family an_nl_family;

enum { AN_NL_MCGRP_EVENTS };

/*
 * Longest list (importer PIDs, peer pairs) in one object's message, so an
 * object always fits in one: a dump message that cannot hold even one
 * object would end the dump.
 */
#define AN_NL_LIST_MAX	256

static const struct genl_multicast_group an_nl_mcgrps[] = {
	/* PIDs of every process using notifies: administrators only. */
	[AN_NL_MCGRP_EVENTS] = { .name = ASCEND_NOTIFY_GENL_MCGRP_EVENTS,
				 .flags = GENL_MCAST_CAP_NET_ADMIN },
};

/*
 * Only what a request may carry; every other attribute has no policy, so
 * strict validation rejects it.
 */
static const struct nla_policy an_nl_policy[ASCEND_NOTIFY_A_MAX + 1] = {
	[ASCEND_NOTIFY_A_DEV] = NLA_POLICY_MAX(NLA_U32,
					       ASCEND_NOTIFY_MAX_DEVICES - 1),
	[ASCEND_NOTIFY_A_DEV_PEERS] = { .type = NLA_U64 },
	[ASCEND_NOTIFY_A_DEV_VIRTUAL] = NLA_POLICY_MAX(NLA_U8, 1),
	[ASCEND_NOTIFY_A_PID] = NLA_POLICY_MIN(NLA_U32, 1),
	[ASCEND_NOTIFY_A_EXPORTED_ONLY] = { .type = NLA_FLAG },
	[ASCEND_NOTIFY_A_WITH_MEM] = { .type = NLA_FLAG },
	/* DEVICE_SET checks them against the device's own limits. */
	[ASCEND_NOTIFY_A_USER_MAX_NOTIFIES] = { .type = NLA_U32 },
	[ASCEND_NOTIFY_A_USER_MAX_MEM] = { .type = NLA_U64 },
	[ASCEND_NOTIFY_A_USER_MAX_HANDLES] = { .type = NLA_U32 },
};

/* The netlink attribute of each per-user limit, per enum an_res. */
static const int an_nl_user_max_attr[AN_NR_RES] = {
	[AN_RES_NOTIFIES] = ASCEND_NOTIFY_A_USER_MAX_NOTIFIES,
	[AN_RES_HANDLES] = ASCEND_NOTIFY_A_USER_MAX_HANDLES,
	[AN_RES_MEM] = ASCEND_NOTIFY_A_USER_MAX_MEM,
};

/* ... and of what a user holds. */
static const int an_nl_user_used_attr[AN_NR_RES] = {
	[AN_RES_NOTIFIES] = ASCEND_NOTIFY_A_USER_NOTIFIES,
	[AN_RES_HANDLES] = ASCEND_NOTIFY_A_USER_HANDLES,
	[AN_RES_MEM] = ASCEND_NOTIFY_A_USER_MEM,
};

/* Counts are u32, memory u64: the attributes' types. */
static int an_nl_put_res(struct sk_buff *skb, int attr, enum an_res res,
			 u64 v)
{
	if (res == AN_RES_MEM)
		return nla_put_u64_64bit(skb, attr, v, ASCEND_NOTIFY_A_PAD);
	return nla_put_u32(skb, attr, min_t(u64, v, U32_MAX));
}

static int an_nl_put_user_max(struct sk_buff *skb, struct an_device *d)
{
	int r;

	for (r = 0; r < AN_NR_RES; r++) {
		if (an_nl_put_res(skb, an_nl_user_max_attr[r], r,
				  READ_ONCE(d->user_max[r])))
			return -EMSGSIZE;
	}
	return 0;
}

/*
 * @pid as the reading task sees it; 0 when it cannot see it, or when the
 * process is gone (its number may belong to another one by now).
 */
static u32 an_nl_pid(struct pid *pid)
{
	if (!pid || !pid_has_task(pid, PIDTYPE_TGID))
		return 0;
	return pid_nr_ns(pid, task_active_pid_ns(current));
}

static void *an_nl_put_header(struct sk_buff *skb,
			      struct netlink_callback *cb, u8 cmd)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &an_nl_family, NLM_F_MULTI, cmd);
	if (hdr)
		genl_dump_check_consistent(cb, hdr);
	return hdr;
}

/* ---- DEVICE_GET, DEVICE_SET ----------------------------------------------- */

static int an_nl_fill_device(struct sk_buff *skb, struct an_device *d)
{
	if (nla_put_u32(skb, ASCEND_NOTIFY_A_DEV, d->id) ||
	    nla_put_u32(skb, ASCEND_NOTIFY_A_DEV_SDID, d->sdid) ||
	    nla_put_u32(skb, ASCEND_NOTIFY_A_DEV_LIVE_NOTIFIES,
			atomic_read(&d->live[ASCEND_NOTIFY_KIND_NOTIFY])) ||
	    nla_put_u32(skb, ASCEND_NOTIFY_A_DEV_LIVE_EVENTS,
			atomic_read(&d->live[ASCEND_NOTIFY_KIND_EVENT])) ||
	    nla_put_u32(skb, ASCEND_NOTIFY_A_DEV_LIVE_MEMS,
			atomic_read(&d->live[ASCEND_NOTIFY_KIND_MEM])) ||
	    nla_put_u32(skb, ASCEND_NOTIFY_A_DEV_LIMIT, an_max_notifies) ||
	    nla_put_u64_64bit(skb, ASCEND_NOTIFY_A_DEV_PEERS,
			      READ_ONCE(d->peers), ASCEND_NOTIFY_A_PAD) ||
	    nla_put_u8(skb, ASCEND_NOTIFY_A_DEV_VIRTUAL,
		       READ_ONCE(d->is_virtual)) ||
	    nla_put_u64_64bit(skb, ASCEND_NOTIFY_A_DEV_CREATED,
			      atomic64_read(&d->created), ASCEND_NOTIFY_A_PAD) ||
	    nla_put_u32(skb, ASCEND_NOTIFY_A_DEV_IMPORTS,
			atomic_read(&d->imports)) ||
	    nla_put_u64_64bit(skb, ASCEND_NOTIFY_A_DEV_MEM_TOTAL,
			      (u64)an_mem_mb << 20, ASCEND_NOTIFY_A_PAD) ||
	    nla_put_u64_64bit(skb, ASCEND_NOTIFY_A_DEV_MEM_USED,
			      atomic64_read(&d->mem_used), ASCEND_NOTIFY_A_PAD) ||
	    an_nl_put_user_max(skb, d))
		return -EMSGSIZE;
	return 0;
}

/* cb->args[0]: the next device. */
static int an_nl_device_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct an_device *d;
	void *hdr;

	cb->seq = atomic_read(&an_generation);
	for (; (d = an_device(cb->args[0])); cb->args[0]++) {
		hdr = an_nl_put_header(skb, cb, ASCEND_NOTIFY_CMD_DEVICE_GET);
		if (!hdr)
			break;
		if (an_nl_fill_device(skb, d)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	return skb->len;
}

/*
 * The per-user limits a DEVICE_SET carries into @user_max (U64_MAX: not
 * given); false with an extended ACK when one is beyond the device's own.
 */
static bool an_nl_user_limits(struct genl_info *info, u64 *user_max,
			      bool *any)
{
	struct nlattr *a;
	int r;

	for (r = 0; r < AN_NR_RES; r++) {
		user_max[r] = U64_MAX;
		a = info->attrs[an_nl_user_max_attr[r]];
		if (!a)
			continue;
		user_max[r] = r == AN_RES_MEM ? nla_get_u64(a) : nla_get_u32(a);
		if (user_max[r] > an_user_limit_max(r)) {
			NL_SET_ERR_MSG_ATTR(info->extack, a,
					    "a user's share exceeds the device");
			return false;
		}
		*any = true;
	}
	return true;
}

static int an_nl_device_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **attrs = info->attrs;
	bool is_virtual, *virtp = NULL;
	u64 peers, *peersp = NULL;
	u64 user_max[AN_NR_RES];
	bool limits = false;
	u32 dev;
	int ret;

	/*
	 * The module's configuration, not the caller's network's: the
	 * capability in the initial user namespace, held by the opener of
	 * the socket as well as by the sender.
	 */
	if (!netlink_capable(skb, CAP_SYS_ADMIN))
		return -EPERM;
	if (GENL_REQ_ATTR_CHECK(info, ASCEND_NOTIFY_A_DEV))
		return -EINVAL;
	dev = nla_get_u32(attrs[ASCEND_NOTIFY_A_DEV]);
	if (attrs[ASCEND_NOTIFY_A_DEV_PEERS]) {
		peers = nla_get_u64(attrs[ASCEND_NOTIFY_A_DEV_PEERS]);
		peersp = &peers;
	}
	if (attrs[ASCEND_NOTIFY_A_DEV_VIRTUAL]) {
		is_virtual = nla_get_u8(attrs[ASCEND_NOTIFY_A_DEV_VIRTUAL]);
		virtp = &is_virtual;
	}
	if (!an_nl_user_limits(info, user_max, &limits))
		return -ERANGE;
	if (!peersp && !virtp && !limits) {
		NL_SET_ERR_MSG(info->extack, "nothing to change");
		return -EINVAL;
	}
	if (!an_device(dev)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[ASCEND_NOTIFY_A_DEV],
				    "no such device");
		return -ENODEV;
	}
	/* The topology first: a change refused there changes nothing. */
	ret = peersp || virtp ? an_device_set(dev, peersp, virtp) : 0;
	if (!ret && limits)
		ret = an_device_set_limits(dev, user_max);
	if (ret == -EBUSY)
		NL_SET_ERR_MSG(info->extack,
			       "a live import or export depends on it");
	else if (ret == -EINVAL)
		NL_SET_ERR_MSG_ATTR(info->extack,
				    attrs[ASCEND_NOTIFY_A_DEV_PEERS],
				    "peer mask names the device itself or no device");
	else if (ret == -ENODEV)
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[ASCEND_NOTIFY_A_DEV],
				    "no such device");
	return ret;
}

/* ---- NOTIFY_GET ------------------------------------------------------------- */

struct an_nl_filter {
	bool by_dev;
	u32 dev;
	struct pid *creator;	/* a reference, or NULL */
	bool exported_only;
	bool with_mem;		/* MEM objects too, after each device's notifies */
};

/*
 * The first AN_NL_LIST_MAX importers' PIDs (so that one notify always fits
 * in a message, and a notify imported a million times costs no more under
 * the locks than one imported a few times); *@count is the number of all
 * of them. Called with the object's lock held.
 */
static int an_nl_put_importers(struct sk_buff *skb, struct an_object *obj,
			       u32 *count)
{
	struct an_handle *h;
	struct nlattr *nest;
	u32 listed = 0;

	lockdep_assert_held(&obj->lock);
	nest = nla_nest_start(skb, ASCEND_NOTIFY_A_IMPORTERS);
	if (!nest)
		return -EMSGSIZE;
	list_for_each_entry(h, &obj->importers, node) {
		if (listed == AN_NL_LIST_MAX)
			break;
		if (nla_put_u32(skb, ASCEND_NOTIFY_A_PID, an_nl_pid(h->owner))) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
		listed++;
	}
	*count = obj->nr_importers;
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * What every kind shares: who imported it and how it is exported. Takes
 * the object's lock.
 */
static int an_nl_fill_share(struct sk_buff *skb, struct an_object *obj)
{
	struct an_share *share;
	u32 importers;
	int ret;

	mutex_lock(&obj->lock);
	share = obj->share;
	ret = an_nl_put_importers(skb, obj, &importers);
	if (!ret &&
	    (nla_put_u32(skb, ASCEND_NOTIFY_A_NR_IMPORTERS, importers) ||
	     nla_put_u8(skb, ASCEND_NOTIFY_A_EXPORTED, !!share)))
		ret = -EMSGSIZE;
	if (!ret && share &&
	    (nla_put_u8(skb, ASCEND_NOTIFY_A_WITHDRAWN, share->withdrawn) ||
	     nla_put_u8(skb, ASCEND_NOTIFY_A_NO_PID_CHECK,
			share->no_pid_check) ||
	     nla_put_u32(skb, ASCEND_NOTIFY_A_FINGERPRINT, share->fingerprint) ||
	     nla_put_u32(skb, ASCEND_NOTIFY_A_NR_TRUSTED, share->npids)))
		ret = -EMSGSIZE;
	mutex_unlock(&obj->lock);
	return ret;
}

static int an_nl_fill_notify(struct sk_buff *skb, struct an_notify *n)
{
	if (nla_put_u32(skb, ASCEND_NOTIFY_A_ID, n->obj.id) ||
	    nla_put_u8(skb, ASCEND_NOTIFY_A_SET,
		       test_bit(AN_NOTIFY_SET, &n->state)) ||
	    nla_put_u32(skb, ASCEND_NOTIFY_A_FLAGS, n->flags) ||
	    nla_put_u32(skb, ASCEND_NOTIFY_A_WAITERS,
			atomic_read(&n->waiters)) ||
	    nla_put_u64_64bit(skb, ASCEND_NOTIFY_A_RECORDS,
			      atomic64_read(&n->records), ASCEND_NOTIFY_A_PAD) ||
	    nla_put_u64_64bit(skb, ASCEND_NOTIFY_A_WAITS,
			      atomic64_read(&n->waits), ASCEND_NOTIFY_A_PAD) ||
	    nla_put_u64_64bit(skb, ASCEND_NOTIFY_A_TIMEOUTS,
			      atomic64_read(&n->timeouts), ASCEND_NOTIFY_A_PAD))
		return -EMSGSIZE;
	return 0;
}

/*
 * A MEM object has no id and no bit: its size, and its mappings as the
 * shmem file's address space counts them: the shared mappings that may be
 * written (i_mmap_writable); A_MEM_MAPPED says whether any mapping exists.
 */
static int an_nl_fill_mem(struct sk_buff *skb, struct an_mem *m)
{
	struct address_space *mapping = m->file->f_mapping;

	if (nla_put_u64_64bit(skb, ASCEND_NOTIFY_A_MEM_SIZE, m->size,
			      ASCEND_NOTIFY_A_PAD) ||
	    nla_put_u32(skb, ASCEND_NOTIFY_A_MEM_MAPPINGS,
			max(atomic_read(&mapping->i_mmap_writable), 0)) ||
	    nla_put_u8(skb, ASCEND_NOTIFY_A_MEM_MAPPED,
		       mapping_mapped(mapping)))
		return -EMSGSIZE;
	return 0;
}

/* One object's message body: what all kinds have, then its own. */
static int an_nl_fill_object(struct sk_buff *skb, struct an_object *obj)
{
	int ret;

	if (nla_put_u32(skb, ASCEND_NOTIFY_A_DEV, obj->dev) ||
	    nla_put_u32(skb, ASCEND_NOTIFY_A_KIND, obj->kind) ||
	    nla_put_u32(skb, ASCEND_NOTIFY_A_CREATOR_PID,
			an_nl_pid(obj->creator)) ||
	    nla_put_u64_64bit(skb, ASCEND_NOTIFY_A_DENIED,
			      atomic64_read(&obj->denied), ASCEND_NOTIFY_A_PAD))
		return -EMSGSIZE;
	ret = an_is_notify(obj) ? an_nl_fill_notify(skb, an_notify(obj)) :
				  an_nl_fill_mem(skb, an_mem(obj));
	return ret ?: an_nl_fill_share(skb, obj);
}

static bool an_nl_match(const struct an_nl_filter *f, struct an_object *obj)
{
	if (f->creator && obj->creator != f->creator)
		return false;
	/* The share is set once; a racy read only decides a listing. */
	if (f->exported_only && !READ_ONCE(obj->share))
		return false;
	return true;
}

/*
 * The next live object at or after *@id in @xa - a device's notifies, or
 * with @mem its MEM objects - with a reference.
 */
static struct an_object *an_nl_next(struct xarray *xa, unsigned long *id,
				    bool mem)
{
	struct an_object *obj;
	void *p;

	rcu_read_lock();
	for (;;) {
		p = xa_find(xa, id, ULONG_MAX, XA_PRESENT);
		if (!p) {
			obj = NULL;
			break;
		}
		obj = mem ? &((struct an_mem *)p)->obj :
			    &((struct an_notify *)p)->obj;
		if (kref_get_unless_zero(&obj->ref))
			break;
		(*id)++;	/* being freed, or not yet live: skip it */
	}
	rcu_read_unlock();
	return obj;
}

/*
 * cb->args[0]: the device, [1]: the next id on it, [2]: the filter
 * (allocated in .start, freed in .done), [3]: 0 while listing the
 * device's notifies, 1 while listing its MEM objects (A_WITH_MEM).
 */
static int an_nl_notify_start(struct netlink_callback *cb)
{
	struct nlattr **attrs = an_dumpit_attrs(cb);
	struct an_nl_filter *f;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	if (attrs[ASCEND_NOTIFY_A_DEV]) {
		f->by_dev = true;
		f->dev = nla_get_u32(attrs[ASCEND_NOTIFY_A_DEV]);
		if (!an_device(f->dev)) {
			kfree(f);
			NL_SET_ERR_MSG_ATTR(cb->extack, attrs[ASCEND_NOTIFY_A_DEV],
					    "no such device");
			return -ENODEV;
		}
	}
	if (attrs[ASCEND_NOTIFY_A_PID]) {
		/* A PID as the reader knows it. */
		f->creator = find_get_pid(nla_get_u32(attrs[ASCEND_NOTIFY_A_PID]));
		if (!f->creator) {
			kfree(f);
			NL_SET_ERR_MSG_ATTR(cb->extack, attrs[ASCEND_NOTIFY_A_PID],
					    "no such process");
			return -ESRCH;
		}
	}
	f->exported_only = nla_get_flag(attrs[ASCEND_NOTIFY_A_EXPORTED_ONLY]);
	f->with_mem = nla_get_flag(attrs[ASCEND_NOTIFY_A_WITH_MEM]);
	cb->args[0] = f->by_dev ? f->dev : 0;
	cb->args[2] = (unsigned long)f;
	return 0;
}

static int an_nl_notify_done(struct netlink_callback *cb)
{
	struct an_nl_filter *f = (struct an_nl_filter *)cb->args[2];

	if (f) {
		put_pid(f->creator);
		kfree(f);
	}
	return 0;
}

static int an_nl_notify_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct an_nl_filter *f = (struct an_nl_filter *)cb->args[2];
	struct an_object *obj;
	struct an_device *d;
	unsigned long id;
	void *hdr;
	int ret;

	cb->seq = atomic_read(&an_generation);
	for (; (d = an_device(cb->args[0]));
	     cb->args[0]++, cb->args[1] = 0, cb->args[3] = 0) {
		if (f->by_dev && d->id != f->dev)
			break;
		for (; cb->args[3] < 2; cb->args[3]++, cb->args[1] = 0) {
			bool mem = cb->args[3];

			if (mem && !f->with_mem)
				break;
			for (id = cb->args[1];
			     (obj = an_nl_next(mem ? &d->mems : &d->notifies,
					       &id, mem));
			     an_object_put(obj), id++) {
				if (!an_nl_match(f, obj))
					continue;
				hdr = an_nl_put_header(skb, cb,
						       ASCEND_NOTIFY_CMD_NOTIFY_GET);
				ret = hdr ? an_nl_fill_object(skb, obj) :
					    -EMSGSIZE;
				if (ret) {
					if (hdr)
						genlmsg_cancel(skb, hdr);
					an_object_put(obj);
					/* Resume at this object next time. */
					cb->args[1] = id;
					/* Nothing fits at all: an error. */
					return skb->len ?: -EMSGSIZE;
				}
				genlmsg_end(skb, hdr);
			}
		}
	}
	return skb->len;
}

/* ---- PROC_GET ------------------------------------------------------------------- */

static int an_nl_fill_proc(struct sk_buff *skb, struct an_context *ctx)
{
	unsigned int bit, pairs = 0;
	struct nlattr *nest;

	if (nla_put_u32(skb, ASCEND_NOTIFY_A_PID, an_nl_pid(ctx->owner)) ||
	    nla_put_u32(skb, ASCEND_NOTIFY_A_HANDLES,
			atomic_read(&ctx->nr_created) +
			atomic_read(&ctx->nr_imported)) ||
	    nla_put_u32(skb, ASCEND_NOTIFY_A_CREATED,
			atomic_read(&ctx->nr_created)) ||
	    nla_put_u32(skb, ASCEND_NOTIFY_A_IMPORTED,
			atomic_read(&ctx->nr_imported)))
		return -EMSGSIZE;
	nest = nla_nest_start(skb, ASCEND_NOTIFY_A_PEER_ACCESS);
	if (!nest)
		return -EMSGSIZE;
	for_each_set_bit(bit, ctx->peers_enabled,
			 ASCEND_NOTIFY_MAX_DEVICES * ASCEND_NOTIFY_MAX_DEVICES) {
		u64 pair = (u64)(bit / ASCEND_NOTIFY_MAX_DEVICES) << 32 |
			   bit % ASCEND_NOTIFY_MAX_DEVICES;

		if (++pairs > AN_NL_LIST_MAX)
			break;
		if (nla_put_u64_64bit(skb, ASCEND_NOTIFY_A_PEER_PAIR, pair,
				      ASCEND_NOTIFY_A_PAD)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* A PROC_GET dump pass: where it writes, and contexts walked so far. */
struct an_nl_proc_walk {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	unsigned long i;
};

/*
 * One context of a PROC_GET pass: skipped when an earlier pass reported
 * it. Stops the walk (1) when the message is full, or fails it with
 * -EMSGSIZE when not even one context fits.
 */
static int an_nl_proc_one(struct an_context *ctx, void *arg)
{
	struct an_nl_proc_walk *w = arg;
	void *hdr;

	if (w->i++ < w->cb->args[0])
		return 0;
	hdr = an_nl_put_header(w->skb, w->cb, ASCEND_NOTIFY_CMD_PROC_GET);
	if (!hdr)
		return 1;
	if (an_nl_fill_proc(w->skb, ctx)) {
		genlmsg_cancel(w->skb, hdr);
		return w->skb->len ? 1 : -EMSGSIZE;
	}
	genlmsg_end(w->skb, hdr);
	w->cb->args[0]++;
	return 0;
}

/* cb->args[0]: contexts already reported. */
static int an_nl_proc_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct an_nl_proc_walk w = { .skb = skb, .cb = cb };
	int ret;

	cb->seq = atomic_read(&an_generation);
	ret = an_context_for_each(an_nl_proc_one, &w);
	return ret < 0 ? ret : skb->len;
}

/* ---- USER_GET ------------------------------------------------------------------ */

static int an_nl_fill_user(struct sk_buff *skb, struct an_user *u,
			   struct an_device *d)
{
	int r;

	if (nla_put_u32(skb, ASCEND_NOTIFY_A_UID,
			from_kuid(&init_user_ns, u->uid)) ||
	    nla_put_u32(skb, ASCEND_NOTIFY_A_DEV, d->id) ||
	    an_nl_put_user_max(skb, d))
		return -EMSGSIZE;
	for (r = 0; r < AN_NR_RES; r++) {
		if (an_nl_put_res(skb, an_nl_user_used_attr[r], r,
				  atomic64_read(&u->dev[d->id].used[r])))
			return -EMSGSIZE;
	}
	return 0;
}

static bool an_nl_user_holds(struct an_user *u, u32 dev)
{
	int r;

	for (r = 0; r < AN_NR_RES; r++) {
		if (atomic64_read(&u->dev[dev].used[r]))
			return true;
	}
	return false;
}

/*
 * One message per user and device where the user holds something.
 * cb->args[0]: the next uid, [1]: the next device of that user.
 */
static int an_nl_user_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	unsigned long uid = cb->args[0];
	struct an_device *d;
	struct an_user *u;
	void *hdr;

	cb->seq = atomic_read(&an_generation);
	for (; (u = an_user_next(&uid)); an_user_put(u), uid++,
	     cb->args[1] = 0) {
		for (; (d = an_device(cb->args[1])); cb->args[1]++) {
			if (!an_nl_user_holds(u, d->id))
				continue;
			hdr = an_nl_put_header(skb, cb,
					       ASCEND_NOTIFY_CMD_USER_GET);
			if (hdr && !an_nl_fill_user(skb, u, d)) {
				genlmsg_end(skb, hdr);
				continue;
			}
			if (hdr)
				genlmsg_cancel(skb, hdr);
			an_user_put(u);
			cb->args[0] = uid;
			/* Nothing fits at all: an error, not an end. */
			return skb->len ?: -EMSGSIZE;
		}
	}
	cb->args[0] = uid;
	return skb->len;
}

/* ---- STATS_GET ---------------------------------------------------------------- */

/* The attribute of each kind's live count in STATS_GET. */
static const u16 an_nl_stat_kind_attr[AN_NR_KINDS] = {
	[ASCEND_NOTIFY_KIND_NOTIFY] = ASCEND_NOTIFY_A_STAT_NOTIFIES,
	[ASCEND_NOTIFY_KIND_EVENT] = ASCEND_NOTIFY_A_STAT_EVENTS,
	[ASCEND_NOTIFY_KIND_MEM] = ASCEND_NOTIFY_A_STAT_MEMS,
};

/*
 * The module-wide counters. Each is read once; they are not a snapshot of
 * one instant, so the total may disagree with the sum of the kinds while
 * objects come and go.
 */
static int an_nl_stats_get(struct sk_buff *skb, struct genl_info *info)
{
	u32 export_size = kmalloc_size_roundup(sizeof(struct an_share));
	u64 handles = atomic_read(&an_nr_handles);
	u64 keys = atomic_read(&an_nr_keys);
	u64 objects[AN_NR_KINDS], total = 0, memory;
	struct sk_buff *msg;
	void *hdr;
	u32 kind;

	memory = handles * an_handle_size() + keys * export_size;
	for (kind = 0; kind < AN_NR_KINDS; kind++) {
		objects[kind] = atomic_read(&an_nr_objects[kind]);
		total += objects[kind];
		memory += objects[kind] * an_object_size(kind);
	}
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &an_nl_family, 0,
				ASCEND_NOTIFY_CMD_STATS_GET);
	if (!hdr)
		goto err_size;
	for (kind = 0; kind < AN_NR_KINDS; kind++) {
		if (nla_put_u32(msg, an_nl_stat_kind_attr[kind], objects[kind]))
			goto err_size;
	}
	if (nla_put_u32(msg, ASCEND_NOTIFY_A_STAT_CONTEXTS,
			atomic_read(&an_nr_contexts)) ||
	    nla_put_u32(msg, ASCEND_NOTIFY_A_STAT_OBJECTS, total) ||
	    nla_put_u32(msg, ASCEND_NOTIFY_A_STAT_HANDLES, handles) ||
	    nla_put_u32(msg, ASCEND_NOTIFY_A_STAT_KEYS, keys) ||
	    nla_put_u64_64bit(msg, ASCEND_NOTIFY_A_STAT_MEMORY, memory,
			      ASCEND_NOTIFY_A_PAD) ||
	    nla_put_u32(msg, ASCEND_NOTIFY_A_STAT_NOTIFY_SIZE,
			an_object_size(ASCEND_NOTIFY_KIND_NOTIFY)) ||
	    nla_put_u32(msg, ASCEND_NOTIFY_A_STAT_MEM_SIZE,
			an_object_size(ASCEND_NOTIFY_KIND_MEM)) ||
	    nla_put_u32(msg, ASCEND_NOTIFY_A_STAT_HANDLE_SIZE,
			an_handle_size()) ||
	    nla_put_u32(msg, ASCEND_NOTIFY_A_STAT_EXPORT_SIZE, export_size))
		goto err_size;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_size:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/* ---- events --------------------------------------------------------------------- */

/**
 * an_event - report something to the "events" multicast group
 * @event:	enum ascend_notify_event.
 * @obj:	the object concerned, or NULL. Notifies and events are
 *		reported with their id, memory without; all with their kind.
 * @pid:	the process that acted, reported as its bare TGID.
 * @extra_attr:	one more u32 attribute (0 for none) ...
 * @extra:	... and its value.
 *
 * Costs nothing when nobody listens. Sleeps: process context only.
 */
void an_event(u32 event, const struct an_object *obj, struct pid *pid,
	      u32 extra_attr, u32 extra)
{
	struct an_share *share = obj ? READ_ONCE(obj->share) : NULL;
	struct sk_buff *msg;
	void *hdr;

	if (!genl_has_listeners(&an_nl_family, &init_net, AN_NL_MCGRP_EVENTS))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &an_nl_family, 0, ASCEND_NOTIFY_CMD_EVENT);
	if (!hdr ||
	    nla_put_u32(msg, ASCEND_NOTIFY_A_EVENT, event) ||
	    nla_put_u32(msg, ASCEND_NOTIFY_A_PID, pid_nr(pid)) ||
	    (obj && (nla_put_u32(msg, ASCEND_NOTIFY_A_DEV, obj->dev) ||
		     nla_put_u32(msg, ASCEND_NOTIFY_A_KIND, obj->kind) ||
		     (an_is_notify(obj) &&
		      nla_put_u32(msg, ASCEND_NOTIFY_A_ID, obj->id)))) ||
	    (event == ASCEND_NOTIFY_EVENT_EXPORT && share &&
	     (nla_put_u32(msg, ASCEND_NOTIFY_A_FINGERPRINT, share->fingerprint) ||
	      nla_put_u8(msg, ASCEND_NOTIFY_A_NO_PID_CHECK,
			 share->no_pid_check))) ||
	    (extra_attr && nla_put_u32(msg, extra_attr, extra))) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast(&an_nl_family, msg, 0, AN_NL_MCGRP_EVENTS,
			  GFP_KERNEL);
}

/**
 * an_event_limit - report a create, import or allocation a limit refused
 * @ctx:	the caller's context.
 * @dev:	the device whose limit, or whose per-user limit, refused.
 * @kind:	the ASCEND_NOTIFY_KIND_* of the object concerned.
 * @limit:	enum ascend_notify_limit.
 *
 * So that an administrator can tell a user at its share from a full
 * device: both return the same errno.
 */
void an_event_limit(const struct an_context *ctx, u32 dev, u32 kind,
		    u32 limit)
{
	struct sk_buff *msg;
	void *hdr;

	if (!genl_has_listeners(&an_nl_family, &init_net, AN_NL_MCGRP_EVENTS))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &an_nl_family, 0, ASCEND_NOTIFY_CMD_EVENT);
	if (!hdr ||
	    nla_put_u32(msg, ASCEND_NOTIFY_A_EVENT, ASCEND_NOTIFY_EVENT_LIMIT) ||
	    nla_put_u32(msg, ASCEND_NOTIFY_A_PID, pid_nr(ctx->owner)) ||
	    nla_put_u32(msg, ASCEND_NOTIFY_A_DEV, dev) ||
	    nla_put_u32(msg, ASCEND_NOTIFY_A_KIND, kind) ||
	    nla_put_u32(msg, ASCEND_NOTIFY_A_UID,
			from_kuid(&init_user_ns, ctx->user->uid)) ||
	    nla_put_u32(msg, ASCEND_NOTIFY_A_LIMIT, limit)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast(&an_nl_family, msg, 0, AN_NL_MCGRP_EVENTS,
			  GFP_KERNEL);
}

/* ---- the family ------------------------------------------------------------------ */

static const struct genl_ops an_nl_ops[] = {
	{
		.cmd = ASCEND_NOTIFY_CMD_DEVICE_GET,
		.dumpit = an_nl_device_dump,
	},
	{
		.cmd = ASCEND_NOTIFY_CMD_DEVICE_SET,
		.doit = an_nl_device_set,
	},
	{
		.cmd = ASCEND_NOTIFY_CMD_NOTIFY_GET,
		.start = an_nl_notify_start,
		.dumpit = an_nl_notify_dump,
		.done = an_nl_notify_done,
	},
	{
		.cmd = ASCEND_NOTIFY_CMD_PROC_GET,
		.dumpit = an_nl_proc_dump,
	},
	{
		.cmd = ASCEND_NOTIFY_CMD_STATS_GET,
		.doit = an_nl_stats_get,
	},
	{
		.cmd = ASCEND_NOTIFY_CMD_USER_GET,
		.dumpit = an_nl_user_dump,
	},
};

static struct genl_family an_nl_family __ro_after_init = {
	.name = ASCEND_NOTIFY_GENL_NAME,
	.version = ASCEND_NOTIFY_GENL_VERSION,
	.maxattr = ASCEND_NOTIFY_A_MAX,
	.policy = an_nl_policy,
	/* Every command validates strictly, reserved header bytes too. */
	.resv_start_op = ASCEND_NOTIFY_CMD_UNSPEC + 1,
	.module = THIS_MODULE,
	.ops = an_nl_ops,
	.n_ops = ARRAY_SIZE(an_nl_ops),
	.mcgrps = an_nl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(an_nl_mcgrps),
};

int an_netlink_init(void)
{
	return genl_register_family(&an_nl_family);
}

void an_netlink_exit(void)
{
	genl_unregister_family(&an_nl_family);
}
