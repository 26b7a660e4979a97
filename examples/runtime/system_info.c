// SPDX-License-Identifier: MIT
/*
 * System information: versions, run mode, SoC and what each device says
 * about itself.
 */
#include "runtime_common.h"

int main(void)
{
	char pkg[] = "runtime", ver[ACL_PKG_VERSION_MAX_SIZE];
	int32_t num, major, minor, patch, ok;
	aclrtDeviceStatus status;
	aclrtRunMode mode;
	uint32_t count, d;
	int64_t mem, cores;

	CHECK(aclInit(NULL));
	CHECK(aclsysGetVersionStr(pkg, ver));
	CHECK(aclsysGetVersionNum(pkg, &num));
	CHECK(aclrtGetVersion(&major, &minor, &patch));
	printf("package %s: version %s (%d), library %d.%d.%d\n", pkg, ver,
	       num, major, minor, patch);
	CHECK(aclrtGetRunMode(&mode));
	printf("run mode: %s\n", mode == ACL_HOST ? "ACL_HOST" : "ACL_DEVICE");
	printf("SoC: %s\n", aclrtGetSocName());
	CHECK(aclrtCheckArchCompatibility(aclrtGetSocName(), &ok));
	EXPECT(ok == 1);

	CHECK(aclrtGetDeviceCount(&count));
	for (d = 0; d < count; d++) {
		CHECK(aclrtQueryDeviceStatus(d, &status));
		CHECK(aclrtGetDeviceInfo(d, ACL_DEV_ATTR_TOTAL_GLOBAL_MEM_SIZE,
					 &mem));
		CHECK(aclrtGetDeviceInfo(d, ACL_DEV_ATTR_AICORE_CORE_NUM,
					 &cores));
		printf("device %u: %s, %lld MiB, %lld AI Core\n", d,
		       status == ACL_RT_DEVICE_STATUS_NORMAL ? "normal" :
							       "abnormal",
		       (long long)(mem >> 20), (long long)cores);
	}
	CHECK(aclFinalize());
	printf("SUCCESS\n");
	return 0;
}
