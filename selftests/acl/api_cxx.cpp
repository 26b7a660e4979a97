// SPDX-License-Identifier: GPL-2.0
/*
 * A C++ translation unit that includes acl/acl.h and calls the notify API,
 * as C++ users of CANN do. Built with -std=c++17 -Wall -Wextra -Werror;
 * prints TAP with a kselftest "Totals" line.
 */
#include <cstdio>
#include <cstring>

#include "acl/acl.h"

static int failed;
static int passed;

static void check(bool ok, const char *what)
{
	std::printf("%s %d %s\n", ok ? "ok" : "not ok", passed + failed + 1,
		    what);
	(ok ? passed : failed)++;
}

int main()
{
	aclrtNotify notify = nullptr, imported = nullptr;
	aclrtStream stream = nullptr;
	char key[65] = {};
	uint32_t id = 0;

	std::printf("TAP version 13\n1..6\n");
	check(aclInit(nullptr) == ACL_SUCCESS, "cxx.init");
	check(aclrtSetDevice(0) == ACL_SUCCESS &&
	      aclrtCreateStream(&stream) == ACL_SUCCESS, "cxx.device_and_stream");
	check(aclrtCreateNotify(&notify, ACL_NOTIFY_DEFAULT) == ACL_SUCCESS &&
	      aclrtGetNotifyId(notify, &id) == ACL_SUCCESS, "cxx.create_notify");
	check(aclrtNotifyGetExportKey(notify, key, sizeof(key),
			ACL_RT_NOTIFY_EXPORT_FLAG_DISABLE_PID_VALIDATION) ==
	      ACL_SUCCESS && std::strlen(key) == 64 &&
	      aclrtNotifyImportByKey(&imported, key,
			ACL_RT_NOTIFY_IMPORT_FLAG_DEFAULT) == ACL_SUCCESS,
	      "cxx.export_import");
	check(aclrtRecordNotify(imported, stream) == ACL_SUCCESS &&
	      aclrtWaitAndResetNotify(notify, stream, 1) == ACL_SUCCESS &&
	      aclrtSynchronizeStream(stream) == ACL_SUCCESS, "cxx.record_wait");
	check(aclrtDestroyNotify(imported) == ACL_SUCCESS &&
	      aclrtDestroyNotify(notify) == ACL_SUCCESS &&
	      aclrtDestroyStream(stream) == ACL_SUCCESS &&
	      aclFinalize() == ACL_SUCCESS, "cxx.teardown");
	std::printf("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:0 error:0\n",
		    passed, failed);
	return failed ? 1 : 0;
}
