/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ascend_notify - the differences between the kernels it builds for
 * (Debian 12's 6.1 and 6.12), in one place.
 */
#ifndef _ASCEND_NOTIFY_COMPAT_H
#define _ASCEND_NOTIFY_COMPAT_H

#include <linux/mm.h>
#include <linux/version.h>
#include <net/genetlink.h>

/* 6.2 moved a dump's parsed attributes into a struct genl_info. */
static inline struct nlattr **an_dumpit_attrs(struct netlink_callback *cb)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
	return genl_dumpit_info(cb)->attrs;
#else
	return genl_dumpit_info(cb)->info.attrs;
#endif
}

/*
 * A multicast group's flags, checked when a socket joins it, came with
 * 6.7 (and 6.1.69 in 6.1 stable). Before, the struct had no flags and any
 * user could join the events group, which reports the PIDs of every
 * process using notifies: refuse to build there rather than register it
 * open to everyone. (selftests/netlink/privilege checks the refusal at run
 * time.) The flag was renamed in 6.8.
 */
static_assert(sizeof(struct genl_multicast_group) > GENL_NAMSIZ,
	      "this kernel does not check a multicast group's permissions on bind");
#ifndef GENL_MCAST_CAP_NET_ADMIN
#define GENL_MCAST_CAP_NET_ADMIN GENL_UNS_ADMIN_PERM
#endif

/* 6.3 made vm_flags read-only outside the helpers that lock-check it. */
static inline void an_vm_flags_set(struct vm_area_struct *vma,
				   unsigned long flags)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
	vma->vm_flags |= flags;
#else
	vm_flags_set(vma, flags);
#endif
}

#endif /* _ASCEND_NOTIFY_COMPAT_H */
