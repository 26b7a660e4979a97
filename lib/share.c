// SPDX-License-Identifier: MIT
/*
 * Sharing by key, as notifies, IPC events and IPC memory all do it: the
 * checks a CANN call makes on a key and its import flags, and the import
 * itself with its diagnostics. The kernel owns keys, trustlists and
 * imports (kmod/share.c); this is only the library's side of the call.
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

bool an_key_ok(const char *key)
{
	return strnlen(key, AN_KEY_SIZE) == ASCEND_NOTIFY_KEY_LEN;
}

aclError an_import_args(const char *func, const void *out,
			const char *out_name, const char *key, uint64_t flags,
			uint64_t peer_flag)
{
	aclError ret;

	if (!out || !key) {
		an_log(AN_LOG_ERROR, func, "%s is NULL",
		       out ? "key" : out_name);
		return ACL_ERROR_INVALID_PARAM;
	}
	ret = an_rt_ready();
	if (ret)
		return ret;
	if (flags && flags != peer_flag) {
		an_log(AN_LOG_ERROR, func, "flags %#llx",
		       (unsigned long long)flags);
		return ACL_ERROR_RT_PARAM_INVALID;
	}
	if (!an_key_ok(key)) {
		an_log(AN_LOG_ERROR, func, "a key is %d characters and a NUL",
		       ASCEND_NOTIFY_KEY_LEN);
		return ACL_ERROR_RT_PARAM_INVALID;
	}
	return ACL_SUCCESS;
}

aclError an_import_key(const char *func, const char *key, int dev,
		       bool peer, uint32_t kind, uint32_t *kh)
{
	static const char *const what[] = {
		[ASCEND_NOTIFY_KIND_NOTIFY] = "no peer access to the notify's device",
		[ASCEND_NOTIFY_KIND_EVENT] = "no peer access to the event's device",
		[ASCEND_NOTIFY_KIND_MEM] = "no peer access to the memory's device",
	};
	int err;

	err = an_drv_import(an_rt.fd, key, dev,
			    peer ? ASCEND_NOTIFY_IMPORT_PEER_ACCESS : 0, kind,
			    kh);
	if (!err)
		return ACL_SUCCESS;
	an_log(AN_LOG_ERROR, func, "%s",
	       err == -ENOKEY ? "unknown or withdrawn key" :
	       err == -EINVAL ? "malformed key" :
	       err == -EACCES ? "this process is not trusted" :
	       err == -EXDEV && kind <= ASCEND_NOTIFY_KIND_MEM ? what[kind] :
	       err == -EHOSTUNREACH ? "devices not connected" :
	       err == -EOPNOTSUPP ? "virtual instance" :
	       strerror(-err));
	return an_errno_to_acl(err);
}
