// SPDX-License-Identifier: GPL-2.0
/*
 * What the emulated device and the library say about themselves (issue
 * 14a): run mode, SoC name, versions, device status and attributes, and
 * the stream priority range, utilisation, hardware-fault detail and the
 * device resource limits.
 */
#include "acl_test.h"
#include "kselftest_harness.h"

FIXTURE(info) {
	uint32_t count;
};

FIXTURE_SETUP(info)
{
	ASSERT_EQ(ACL_SUCCESS, aclInit(NULL));
	ASSERT_EQ(ACL_SUCCESS, aclrtGetDeviceCount(&self->count));
}

FIXTURE_TEARDOWN(info)
{
	EXPECT_EQ(ACL_SUCCESS, aclFinalize());
}

TEST_F(info, run_mode_is_host)
{
	aclrtRunMode m = ACL_DEVICE;

	EXPECT_EQ(0, ACL_DEVICE);
	EXPECT_EQ(1, ACL_HOST);
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtGetRunMode(NULL));
	ASSERT_EQ(ACL_SUCCESS, aclrtGetRunMode(&m));
	EXPECT_EQ(ACL_HOST, m);
}

/* The SoC is ours, by default or as $ASCEND_NOTIFY_SOC_NAME says. */
TEST_F(info, soc_name_and_compatibility)
{
	const char *env = getenv("ASCEND_NOTIFY_SOC_NAME");
	const char *name = aclrtGetSocName();
	int32_t ok = -1;

	ASSERT_NE(NULL, name);
	EXPECT_STREQ(env && *env ? env : "AscendNotify-Emu", name);
	ASSERT_EQ(ACL_SUCCESS, aclrtCheckArchCompatibility(name, &ok));
	EXPECT_EQ(1, ok);
	ASSERT_EQ(ACL_SUCCESS, aclrtCheckArchCompatibility("Ascend910B1", &ok));
	EXPECT_EQ(0, ok);
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtCheckArchCompatibility(NULL, &ok));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtCheckArchCompatibility(name, NULL));
}

/* The string, the number and aclrtGetVersion tell the same version. */
TEST_F(info, versions_agree)
{
	char pkg[] = "runtime", other[] = "opp";
	char str[ACL_PKG_VERSION_MAX_SIZE] = "";
	int32_t num = -1, ma = -1, mi = -1, pa = -1;
	char expect[64];

	EXPECT_EQ(128, ACL_PKG_VERSION_MAX_SIZE);
	ASSERT_EQ(ACL_SUCCESS, aclsysGetVersionStr(pkg, str));
	ASSERT_EQ(ACL_SUCCESS, aclsysGetVersionNum(pkg, &num));
	ASSERT_EQ(ACL_SUCCESS, aclrtGetVersion(&ma, &mi, &pa));
	snprintf(expect, sizeof(expect), "%d.%d.%d", ma, mi, pa);
	EXPECT_STREQ(expect, str);
	EXPECT_EQ(ma * 10000000 + mi * 100000 + pa * 1000, num);
	EXPECT_LT(0, num);

	EXPECT_EQ(ACL_ERROR_INVALID_FILE, aclsysGetVersionStr(other, str));
	EXPECT_EQ(ACL_ERROR_INVALID_FILE, aclsysGetVersionNum(other, &num));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclsysGetVersionStr(NULL, str));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclsysGetVersionStr(pkg, NULL));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclsysGetVersionNum(NULL, &num));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclsysGetVersionNum(pkg, NULL));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtGetVersion(NULL, &mi, &pa));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtGetVersion(&ma, NULL, &pa));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtGetVersion(&ma, &mi, NULL));
}

TEST_F(info, stream_priority_range)
{
	int32_t least = -1, greatest = -1;

	ASSERT_EQ(ACL_SUCCESS,
		  aclrtDeviceGetStreamPriorityRange(&least, &greatest));
	EXPECT_EQ(7, least);
	EXPECT_EQ(0, greatest);
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtDeviceGetStreamPriorityRange(NULL, &greatest));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtDeviceGetStreamPriorityRange(&least, NULL));
}

TEST_F(info, device_status)
{
	aclrtDeviceStatus st = ACL_RT_DEVICE_STATUS_END;
	uint32_t i;

	for (i = 0; i < self->count; i++) {
		ASSERT_EQ(ACL_SUCCESS, aclrtQueryDeviceStatus(i, &st));
		EXPECT_EQ(ACL_RT_DEVICE_STATUS_NORMAL, st);
	}
	EXPECT_EQ(ACL_ERROR_RT_INVALID_DEVICEID,
		  aclrtQueryDeviceStatus(self->count, &st));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_DEVICEID,
		  aclrtQueryDeviceStatus(-1, &st));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtQueryDeviceStatus(0, NULL));
	ASSERT_EQ(ACL_SUCCESS, aclFinalize());
	EXPECT_EQ(ACL_ERROR_UNINITIALIZE, aclrtQueryDeviceStatus(0, &st));
	ASSERT_EQ(ACL_SUCCESS, aclInit(NULL));
}

/* Memory as aclrtGetMemInfo reports it; no AI cores. */
TEST_F(info, device_attributes)
{
	size_t free_b = 0, total = 0;
	int64_t v = -1;

	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(0));
	ASSERT_EQ(ACL_SUCCESS, aclrtGetMemInfo(ACL_HBM_MEM, &free_b, &total));
	ASSERT_EQ(ACL_SUCCESS,
		  aclrtGetDeviceInfo(0, ACL_DEV_ATTR_TOTAL_GLOBAL_MEM_SIZE, &v));
	EXPECT_EQ((int64_t)total, v);
	EXPECT_LT(0, v);
	ASSERT_EQ(ACL_SUCCESS,
		  aclrtGetDeviceInfo(0, ACL_DEV_ATTR_AICORE_CORE_NUM, &v));
	EXPECT_EQ(1, v);
	ASSERT_EQ(ACL_SUCCESS,
		  aclrtGetDeviceInfo(0, ACL_DEV_ATTR_VECTOR_CORE_NUM, &v));
	EXPECT_EQ(1, v);
	ASSERT_EQ(ACL_SUCCESS,
		  aclrtGetDeviceInfo(0, ACL_DEV_ATTR_AICPU_CORE_NUM, &v));
	EXPECT_EQ(0, v);
	ASSERT_EQ(ACL_SUCCESS,
		  aclrtGetDeviceInfo(1, ACL_DEV_ATTR_PHY_CHIP_ID, &v));
	EXPECT_EQ(1, v);
	ASSERT_EQ(ACL_SUCCESS,
		  aclrtGetDeviceInfo(0, ACL_DEV_ATTR_IS_VIRTUAL, &v));
	EXPECT_EQ(0, v);
	EXPECT_EQ(ACL_ERROR_RT_FEATURE_NOT_SUPPORT,
		  aclrtGetDeviceInfo(0, ACL_DEV_ATTR_WARP_SIZE, &v));
	for (uint32_t d = 0; d < 2 && d < self->count; d++) {
		struct ascend_notify_device_info di = { .dev = d };
		int fd = open(ASCEND_NOTIFY_DEVICE_PATH, O_RDWR | O_CLOEXEC);

		/* The SDID is the module's: sdid_base + dev. */
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, ioctl(fd, ASCEND_NOTIFY_IOC_DEVICE_INFO, &di));
		close(fd);
		ASSERT_EQ(ACL_SUCCESS,
			  aclrtGetDeviceInfo(d, ACL_DEV_ATTR_SUPER_POD_DEVICE_ID,
					     &v));
		EXPECT_EQ((int64_t)di.sdid, v);
	}
	EXPECT_EQ(ACL_ERROR_RT_INVALID_DEVICEID,
		  aclrtGetDeviceInfo(self->count, ACL_DEV_ATTR_IS_VIRTUAL, &v));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_DEVICEID,
		  aclrtGetDeviceInfo(UINT32_MAX, ACL_DEV_ATTR_IS_VIRTUAL, &v));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtGetDeviceInfo(0, ACL_DEV_ATTR_IS_VIRTUAL, NULL));
}

/* Nothing is measured: -1 for every kind, as CANN reports it. */
TEST_F(info, utilization_is_not_measured)
{
	aclrtUtilizationInfo u = { 5, 5, 5, 5, NULL };

	ASSERT_EQ(ACL_SUCCESS, aclrtGetDeviceUtilizationRate(0, &u));
	EXPECT_EQ(-1, u.cubeUtilization);
	EXPECT_EQ(-1, u.vectorUtilization);
	EXPECT_EQ(-1, u.aicpuUtilization);
	EXPECT_EQ(-1, u.memoryUtilization);
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtGetDeviceUtilizationRate(0, NULL));
	u.utilizationExtend = (aclrtUtilizationExtendInfo *)&u;
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtGetDeviceUtilizationRate(0, &u));
	u.utilizationExtend = NULL;
	EXPECT_EQ(ACL_ERROR_RT_INVALID_DEVICEID,
		  aclrtGetDeviceUtilizationRate(self->count, &u));
}

TEST_F(info, error_verbose_reports_no_fault)
{
	aclrtErrorInfo e;

	memset(&e, 0xa5, sizeof(e));
	ASSERT_EQ(ACL_SUCCESS, aclrtGetErrorVerbose(0, &e));
	EXPECT_EQ(ACL_RT_NO_ERROR, e.errorType);
	EXPECT_EQ(0, e.tryRepair);
	EXPECT_EQ(0, e.hasDetail);
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtGetErrorVerbose(0, NULL));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_DEVICEID,
		  aclrtGetErrorVerbose(-1, &e));
}

/* Limits are per device, default to the device's one core, and reset. */
TEST_F(info, resource_limits)
{
	uint32_t v = 99;

	EXPECT_EQ(0, ACL_RT_DEV_RES_CUBE_CORE);
	EXPECT_EQ(1, ACL_RT_DEV_RES_VECTOR_CORE);
	ASSERT_EQ(ACL_SUCCESS,
		  aclrtGetDeviceResLimit(1, ACL_RT_DEV_RES_VECTOR_CORE, &v));
	EXPECT_EQ(1u, v);
	ASSERT_EQ(ACL_SUCCESS,
		  aclrtSetDeviceResLimit(1, ACL_RT_DEV_RES_VECTOR_CORE, 1));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtSetDeviceResLimit(1, ACL_RT_DEV_RES_VECTOR_CORE, 0));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtSetDeviceResLimit(1, ACL_RT_DEV_RES_CUBE_CORE, 2));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtSetDeviceResLimit(1, (aclrtDevResLimitType)2, 1));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtGetDeviceResLimit(1, (aclrtDevResLimitType)2, &v));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtGetDeviceResLimit(1, ACL_RT_DEV_RES_CUBE_CORE, NULL));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_DEVICEID,
		  aclrtGetDeviceResLimit(self->count, ACL_RT_DEV_RES_CUBE_CORE,
					 &v));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_DEVICEID,
		  aclrtSetDeviceResLimit(-1, ACL_RT_DEV_RES_CUBE_CORE, 1));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_DEVICEID,
		  aclrtResetDeviceResLimit(self->count));
	EXPECT_EQ(ACL_SUCCESS, aclrtResetDeviceResLimit(1));
	ASSERT_EQ(ACL_SUCCESS,
		  aclrtGetDeviceResLimit(1, ACL_RT_DEV_RES_VECTOR_CORE, &v));
	EXPECT_EQ(1u, v);

	/* The calling thread's: its current device's. */
	EXPECT_EQ(ACL_ERROR_RT_CONTEXT_NULL,
		  aclrtGetResInCurrentThread(ACL_RT_DEV_RES_CUBE_CORE, &v));
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(1));
	ASSERT_EQ(ACL_SUCCESS,
		  aclrtGetResInCurrentThread(ACL_RT_DEV_RES_CUBE_CORE, &v));
	EXPECT_EQ(1u, v);
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtGetResInCurrentThread(ACL_RT_DEV_RES_CUBE_CORE, NULL));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtGetResInCurrentThread((aclrtDevResLimitType)7, &v));
}

/* Neither CANN attribute nor device feature is present here. */
TEST_F(info, cann_attributes_and_capabilities)
{
	const aclCannAttr *list = NULL;
	size_t n = 0, i;
	int32_t v = -1;

	ASSERT_EQ(ACL_SUCCESS, aclGetCannAttributeList(&list, &n));
	ASSERT_EQ(3u, n);
	for (i = 0; i < n; i++) {
		v = -1;
		ASSERT_EQ(ACL_SUCCESS, aclGetCannAttribute(list[i], &v));
		EXPECT_EQ(0, v);
	}
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclGetCannAttribute(ACL_CANN_ATTR_UNDEFINED, &v));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclGetCannAttribute(ACL_CANN_ATTR_BF16, NULL));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclGetCannAttributeList(NULL, &n));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclGetCannAttributeList(&list, NULL));

	v = -1;
	ASSERT_EQ(ACL_SUCCESS, aclrtGetDeviceCapability(0,
		  ACL_FEATURE_TSCPU_TASK_UPDATE_SUPPORT_AIC_AIV, &v));
	EXPECT_EQ(0, v);
	v = -1;
	ASSERT_EQ(ACL_SUCCESS, aclrtGetDeviceCapability(0,
		  ACL_FEATURE_SYSTEM_MEMQ_EVENT_CROSS_DEV, &v));
	EXPECT_EQ(0, v);
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtGetDeviceCapability(0, (aclrtDevFeatureType)2, &v));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtGetDeviceCapability(0,
		  ACL_FEATURE_SYSTEM_MEMQ_EVENT_CROSS_DEV, NULL));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_DEVICEID, aclrtGetDeviceCapability(-1,
		  ACL_FEATURE_SYSTEM_MEMQ_EVENT_CROSS_DEV, &v));
}

TEST_HARNESS_MAIN
