// SPDX-License-Identifier: GPL-2.0
/*
 * ascend_notify - export keys and PID trustlists
 *
 * A key is a capability: 256 bits from the kernel's random generator,
 * written as 64 lowercase hex digits. Nothing about the object, its
 * device, its id or its creator goes into it, so knowing one key says
 * nothing about another. Keys live in one resizable hash table keyed by
 * their bits: lookups are RCU and O(1) however many keys are live, inserts
 * and removals take only the table's per-bucket locks.
 *
 * A trustlist holds references to struct pid of thread-group leaders, not
 * PID numbers, so a process that later gets a trusted PID number is not
 * trusted. Its entries are put when the share is withdrawn.
 *
 * Every kind of object (notify, event, memory) shares through this one
 * mechanism. The state of a share (withdrawn, trustlist) is guarded by its
 * owner's mutex; the functions below that touch it assert the owner holds it.
 */
#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/pid_namespace.h>
#include <linux/random.h>
#include <linux/rhashtable.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <crypto/sha2.h>

#include "internal.h"

static const struct rhashtable_params an_key_params = {
	.key_len = AN_KEY_BYTES,
	.key_offset = offsetof(struct an_share, key),
	.head_offset = offsetof(struct an_share, node),
	.automatic_shrinking = true,
};

static struct rhashtable an_keys;

int an_keys_init(void)
{
	return rhashtable_init(&an_keys, &an_key_params);
}

void an_keys_exit(void)
{
	/* Every share was withdrawn when its owner died. */
	WARN_ON(atomic_read(&an_nr_keys));
	rhashtable_destroy(&an_keys);
}

struct an_share *an_share_create(struct an_object *owner, bool no_pid_check)
{
	struct an_share *share;

	share = kzalloc(sizeof(*share), GFP_KERNEL_ACCOUNT);
	if (!share)
		return NULL;
	share->owner = owner;
	share->no_pid_check = no_pid_check;
	return share;
}

/*
 * Draws a fresh key and writes its text to @text. A short key has 64
 * random bits, never all zero, and zeros after them: a VMM shareable
 * handle is a u64. A full key with 192 trailing zero bits is as likely as
 * guessing it, so the two forms do not meet.
 */
void an_share_new_key(struct an_share *share, char text[ASCEND_NOTIFY_KEY_LEN],
		      bool short_key)
{
	u8 digest[SHA256_DIGEST_SIZE];

	if (short_key) {
		memset(share->key, 0, sizeof(share->key));
		do {
			get_random_bytes(share->key, sizeof(u64));
		} while (!memchr_inv(share->key, 0, sizeof(u64)));
	} else {
		get_random_bytes(share->key, sizeof(share->key));
	}
	bin2hex(text, share->key, sizeof(share->key));
	sha256(text, ASCEND_NOTIFY_KEY_LEN, digest);
	share->fingerprint = (u32)digest[0] << 24 | (u32)digest[1] << 16 |
			     (u32)digest[2] << 8 | digest[3];
}

/*
 * Makes the share importable under its key. A key already in the table is
 * never handed out twice: -EEXIST tells the caller to draw another (with
 * 256 bits this is a formality).
 *
 * Return: 0, -EEXIST, or -ENOMEM when the table cannot take it now.
 */
int an_share_publish(struct an_share *share)
{
	int ret;

	an_object_assert_held(share->owner);
	ret = rhashtable_lookup_insert_fast(&an_keys, &share->node,
					    an_key_params);
	if (ret == -EEXIST)
		return ret;
	if (ret)
		return -ENOMEM;
	atomic_inc(&an_nr_keys);
	return 0;
}

static void an_share_put_pids(struct an_share *share)
{
	u32 i;

	for (i = 0; i < share->npids; i++)
		put_pid(share->pids[i]);
	kfree(share->pids);
	share->pids = NULL;
	share->npids = 0;
}

/* Removes the key for good. Concurrent lookups may still see the share. */
void an_share_withdraw(struct an_share *share)
{
	an_object_assert_held(share->owner);
	if (share->withdrawn)
		return;
	share->withdrawn = true;
	rhashtable_remove_fast(&an_keys, &share->node, an_key_params);
	atomic_dec(&an_nr_keys);
	an_share_put_pids(share);
}

/*
 * Called by the owner, at least one RCU grace period after withdrawal, or
 * for a share that was never published.
 */
void an_share_free(struct an_share *share)
{
	WARN_ON(share->npids);
	kfree(share);
}

/* Only the canonical form (lowercase hex) is accepted. */
int an_key_parse(const char text[ASCEND_NOTIFY_KEY_LEN], u8 key[AN_KEY_BYTES])
{
	int i;

	for (i = 0; i < ASCEND_NOTIFY_KEY_LEN; i++) {
		if (!isdigit(text[i]) && (text[i] < 'a' || text[i] > 'f'))
			return -EINVAL;
	}
	return hex2bin(key, text, AN_KEY_BYTES);
}

/*
 * Finds the share of @key and pins its owner. Returns NULL when the key is
 * unknown or its owner is being freed. The caller must still check
 * an_share_check_import() under the owner's lock: the share may have been
 * withdrawn since.
 */
struct an_share *an_share_lookup(const u8 key[AN_KEY_BYTES])
{
	struct an_share *share;

	rcu_read_lock();
	share = rhashtable_lookup(&an_keys, key, an_key_params);
	if (share && !kref_get_unless_zero(&share->owner->ref))
		share = NULL;
	rcu_read_unlock();
	return share;
}

static bool an_share_trusts(const struct an_share *share, struct pid *pid)
{
	u32 i;

	for (i = 0; i < share->npids; i++) {
		if (share->pids[i] == pid)
			return true;
	}
	return false;
}

/* May the calling process import this share? */
int an_share_check_import(const struct an_share *share)
{
	an_object_assert_held(share->owner);
	if (share->withdrawn)
		return -ENOKEY;
	if (!share->no_pid_check && !an_share_trusts(share, task_tgid(current)))
		return -EACCES;
	return 0;
}

/* A reference to the live process whose bare TGID is @nr, or NULL. */
static struct pid *an_get_tgid(s32 nr)
{
	struct pid *pid;

	rcu_read_lock();
	pid = find_pid_ns(nr, &init_pid_ns);
	if (pid && !pid_task(pid, PIDTYPE_TGID))
		pid = NULL;
	pid = get_pid(pid);
	rcu_read_unlock();
	return pid;
}

/*
 * Drops the entries of processes that have exited: they can never import
 * again (a new process is a new struct pid), so their slots are free.
 */
static void an_share_prune(struct an_share *share)
{
	u32 i, kept = 0;

	an_object_assert_held(share->owner);
	for (i = 0; i < share->npids; i++) {
		bool alive;

		rcu_read_lock();
		alive = pid_task(share->pids[i], PIDTYPE_TGID);
		rcu_read_unlock();
		if (alive)
			share->pids[kept++] = share->pids[i];
		else
			put_pid(share->pids[i]);
	}
	share->npids = kept;
}

/*
 * Adds the processes whose bare TGIDs are @nrs to the trustlist; on any
 * error none of them is added (a full list may still have dropped the
 * entries of exited processes, which could never import anyway). Entries
 * already on the list, or repeated in @nrs, take one slot.
 *
 * Return: 0, -EINVAL for a PID <= 0, -ESRCH for a PID with no live
 * process, -E2BIG when the list would exceed ASCEND_NOTIFY_TRUST_MAX even
 * without the entries of exited processes, -ENOMEM.
 */
int an_share_add_pids(struct an_share *share, const s32 *nrs, u32 count)
{
	struct pid **pids, **grown;
	u32 i, n = 0;
	int ret = 0;

	an_object_assert_held(share->owner);
	pids = kcalloc(count, sizeof(*pids), GFP_KERNEL_ACCOUNT);
	if (!pids)
		return -ENOMEM;

	for (i = 0; i < count; i++) {
		struct pid *pid;
		u32 j;

		if (nrs[i] <= 0) {
			ret = -EINVAL;
			goto out_put;
		}
		pid = an_get_tgid(nrs[i]);
		if (!pid) {
			ret = -ESRCH;
			goto out_put;
		}
		for (j = 0; j < n && pids[j] != pid; j++)
			;
		if (j < n || an_share_trusts(share, pid)) {
			put_pid(pid);
			continue;
		}
		pids[n++] = pid;
	}

	if (share->npids + n > ASCEND_NOTIFY_TRUST_MAX)
		an_share_prune(share);
	if (share->npids + n > ASCEND_NOTIFY_TRUST_MAX) {
		ret = -E2BIG;
		goto out_put;
	}
	if (!n)
		goto out_free;

	grown = krealloc_array(share->pids, share->npids + n, sizeof(*pids),
			       GFP_KERNEL_ACCOUNT);
	if (!grown) {
		ret = -ENOMEM;
		goto out_put;
	}
	memcpy(grown + share->npids, pids, n * sizeof(*pids));
	share->pids = grown;
	share->npids += n;
	goto out_free;

out_put:
	while (n)
		put_pid(pids[--n]);
out_free:
	kfree(pids);
	return ret;
}
