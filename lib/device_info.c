// SPDX-License-Identifier: MIT
/*
 * What the emulated device and this library say about themselves: run
 * mode, SoC name, versions, device attributes and status, and the stream
 * priority range.
 *
 * The device is emulated by the host, so the answers are the host's: the
 * program runs on the host (ACL_HOST), the SoC is named
 * AN_SOC_NAME_DEFAULT (or $ASCEND_NOTIFY_SOC_NAME). A kernel's blocks run
 * one after another on its stream's thread, so the device has one AI Core,
 * which is one Cube and one Vector core, and no AI CPU; no utilisation is
 * measured. Memory and super-pod ids come from the kernel module, as
 * aclrtGetMemInfo's do. Resource limits are recorded per device for the
 * process; with one core there is nothing for them to divide.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define AN_SOC_NAME_DEFAULT	"AscendNotify-Emu"
/* Cores of each kind (Cube, Vector) and AI Cores of a device. */
#define AN_CORE_NUM		1
/* CANN's value for a utilisation that is not measured (device.cpp). */
#define AN_UTIL_NOT_SUPPORTED	(-1)
#define AN_SOC_NAME_MAX		64

/* The package version, from packaging/VERSION (see lib/Makefile). */
#ifndef AN_PKG_VERSION
#error "AN_PKG_VERSION must be defined by the build"
#endif

/* CANN's version number weights (src/acl/aclrt_impl/acl.cpp). */
#define AN_WEIGHT_MAJOR	10000000
#define AN_WEIGHT_MINOR	100000
#define AN_WEIGHT_PATCH	1000

static struct {
	pthread_once_t once;
	char name[AN_SOC_NAME_MAX];
} an_soc = { .once = PTHREAD_ONCE_INIT };

static void an_soc_init(void)
{
	const char *env = getenv("ASCEND_NOTIFY_SOC_NAME");

	snprintf(an_soc.name, sizeof(an_soc.name), "%s",
		 env && *env ? env : AN_SOC_NAME_DEFAULT);
}

static const char *an_soc_name(void)
{
	pthread_once(&an_soc.once, an_soc_init);
	return an_soc.name;
}

AN_EXPORT aclError aclrtGetRunMode(aclrtRunMode *runMode)
{
	if (!runMode)
		return an_fail(ACL_ERROR_INVALID_PARAM, "runMode is NULL");
	*runMode = ACL_HOST;
	return ACL_SUCCESS;
}

AN_EXPORT const char *aclrtGetSocName(void)
{
	return an_soc_name();
}

AN_EXPORT aclError aclrtCheckArchCompatibility(const char *socVersion,
					       int32_t *canCompatible)
{
	if (!socVersion || !canCompatible)
		return an_fail(ACL_ERROR_INVALID_PARAM, "%s is NULL",
			       socVersion ? "canCompatible" : "socVersion");
	*canCompatible = !strcmp(socVersion, an_soc_name());
	return ACL_SUCCESS;
}

/* Parses "major.minor.patch" of the package version. */
static void an_pkg_version(int32_t *major, int32_t *minor, int32_t *patch)
{
	int ma = 0, mi = 0, pa = 0;

	if (sscanf(AN_PKG_VERSION, "%d.%d.%d", &ma, &mi, &pa) < 1)
		ma = mi = pa = 0;
	*major = ma;
	*minor = mi;
	*patch = pa;
}

AN_EXPORT aclError aclrtGetVersion(int32_t *majorVersion,
				   int32_t *minorVersion,
				   int32_t *patchVersion)
{
	if (!majorVersion || !minorVersion || !patchVersion)
		return an_fail(ACL_ERROR_INVALID_PARAM,
			       "a version pointer is NULL");
	an_pkg_version(majorVersion, minorVersion, patchVersion);
	return ACL_SUCCESS;
}

/* Only the runtime package is ours: "runtime", as CANN's samples ask. */
static aclError an_pkg_check(const char *func, const char *pkgName,
			     const void *out)
{
	if (!pkgName || !out) {
		an_log(AN_LOG_ERROR, func, "%s is NULL",
		       pkgName ? "the output" : "pkgName");
		return an_note_error(ACL_ERROR_INVALID_PARAM);
	}
	if (strcmp(pkgName, "runtime")) {
		an_log(AN_LOG_ERROR, func,
		       "package %s is not installed (only \"runtime\")",
		       pkgName);
		return an_note_error(ACL_ERROR_INVALID_FILE);
	}
	return ACL_SUCCESS;
}

AN_EXPORT aclError aclsysGetVersionStr(char *pkgName, char *versionStr)
{
	aclError ret = an_pkg_check(__func__, pkgName, versionStr);

	if (ret)
		return ret;
	snprintf(versionStr, ACL_PKG_VERSION_MAX_SIZE, "%s", AN_PKG_VERSION);
	return ACL_SUCCESS;
}

AN_EXPORT aclError aclsysGetVersionNum(char *pkgName, int32_t *versionNum)
{
	aclError ret = an_pkg_check(__func__, pkgName, versionNum);
	int32_t ma, mi, pa;

	if (ret)
		return ret;
	an_pkg_version(&ma, &mi, &pa);
	*versionNum = ma * AN_WEIGHT_MAJOR + mi * AN_WEIGHT_MINOR +
		      pa * AN_WEIGHT_PATCH;
	return ACL_SUCCESS;
}

AN_EXPORT aclError aclrtDeviceGetStreamPriorityRange(int32_t *leastPriority,
						     int32_t *greatestPriority)
{
	if (!leastPriority || !greatestPriority)
		return an_fail(ACL_ERROR_INVALID_PARAM, "%s is NULL",
			       leastPriority ? "greatestPriority" :
					       "leastPriority");
	*leastPriority = AN_STREAM_PRIORITY_LEAST;
	*greatestPriority = AN_STREAM_PRIORITY_GREATEST;
	return ACL_SUCCESS;
}

/* The checks of a per-device query: @out, initialized, a valid @dev. */
static aclError an_dev_query_args(const void *out, int64_t dev)
{
	if (!out)
		return an_fail(ACL_ERROR_INVALID_PARAM, "output is NULL");
	return an_rt_ready() ?:
	       an_check_device(dev > INT32_MAX ? -1 : (int32_t)dev);
}

AN_EXPORT aclError aclrtQueryDeviceStatus(int32_t deviceId,
					  aclrtDeviceStatus *deviceStatus)
{
	struct ascend_notify_device_info di;
	aclError ret = an_dev_query_args(deviceStatus, deviceId);
	int err;

	if (ret)
		return ret;
	/* The device answers when its module does. */
	err = an_drv_device_info(an_rt.fd, deviceId, &di);
	*deviceStatus = err ? ACL_RT_DEVICE_STATUS_ABNORMAL :
			      ACL_RT_DEVICE_STATUS_NORMAL;
	return ACL_SUCCESS;
}

AN_EXPORT aclError aclrtGetDeviceInfo(uint32_t deviceId, aclrtDevAttr attr,
				      int64_t *value)
{
	struct ascend_notify_device_mem dm;
	aclError ret = an_dev_query_args(value, deviceId);
	int err;

	if (ret)
		return ret;
	switch (attr) {
	case ACL_DEV_ATTR_AICORE_CORE_NUM:
	case ACL_DEV_ATTR_CUBE_CORE_NUM:
	case ACL_DEV_ATTR_VECTOR_CORE_NUM:
		*value = AN_CORE_NUM;
		return ACL_SUCCESS;
	case ACL_DEV_ATTR_AICPU_CORE_NUM:
	case ACL_DEV_ATTR_IS_VIRTUAL:
	case ACL_DEV_ATTR_L2_CACHE_SIZE:
		/* No AI CPU, no cache, not a virtual instance. */
		*value = 0;
		return ACL_SUCCESS;
	case ACL_DEV_ATTR_TOTAL_GLOBAL_MEM_SIZE:
		err = an_drv_device_mem(an_rt.fd, deviceId, &dm);
		if (err)
			return an_fail(an_errno_to_acl(err), "device %u: %s",
				       deviceId, strerror(-err));
		*value = (int64_t)dm.total;
		return ACL_SUCCESS;
	case ACL_DEV_ATTR_SUPER_POD_DEVICE_ID:
		*value = an_rt.dev[deviceId].sdid;
		return ACL_SUCCESS;
	case ACL_DEV_ATTR_PHY_CHIP_ID:
		*value = deviceId;
		return ACL_SUCCESS;
	default:
		return an_fail(ACL_ERROR_RT_FEATURE_NOT_SUPPORT,
			       "attribute %d is not emulated", (int)attr);
	}
}

AN_EXPORT aclError aclrtGetDeviceUtilizationRate(int32_t deviceId,
						 aclrtUtilizationInfo *utilizationInfo)
{
	aclError ret = an_dev_query_args(utilizationInfo, deviceId);

	if (ret)
		return ret;
	if (utilizationInfo->utilizationExtend)
		return an_fail(ACL_ERROR_INVALID_PARAM,
			       "utilizationExtend is reserved: must be NULL");
	utilizationInfo->cubeUtilization = AN_UTIL_NOT_SUPPORTED;
	utilizationInfo->vectorUtilization = AN_UTIL_NOT_SUPPORTED;
	utilizationInfo->aicpuUtilization = AN_UTIL_NOT_SUPPORTED;
	utilizationInfo->memoryUtilization = AN_UTIL_NOT_SUPPORTED;
	return ACL_SUCCESS;
}

AN_EXPORT aclError aclrtGetErrorVerbose(int32_t deviceId,
					aclrtErrorInfo *errorInfo)
{
	aclError ret = an_dev_query_args(errorInfo, deviceId);

	if (ret)
		return ret;
	/* An emulated device has no hardware faults to describe. */
	memset(errorInfo, 0, sizeof(*errorInfo));
	errorInfo->errorType = ACL_RT_NO_ERROR;
	return ACL_SUCCESS;
}

/* ---- resource limits ------------------------------------------------------------ */

#define AN_RES_TYPES	2	/* ACL_RT_DEV_RES_CUBE_CORE, _VECTOR_CORE */

/* Per device and type: the limit set, or 0 for none (all cores). */
static atomic_uint an_res_limit[ASCEND_NOTIFY_MAX_DEVICES][AN_RES_TYPES];

static aclError an_res_args(int32_t dev, aclrtDevResLimitType type)
{
	aclError ret = an_rt_ready() ?: an_check_device(dev);

	if (ret)
		return ret;
	if ((unsigned int)type >= AN_RES_TYPES)
		return an_fail(ACL_ERROR_INVALID_PARAM, "type %d", (int)type);
	return ACL_SUCCESS;
}

static uint32_t an_res_get(int32_t dev, aclrtDevResLimitType type)
{
	uint32_t v = atomic_load(&an_res_limit[dev][type]);

	return v ? v : AN_CORE_NUM;
}

AN_EXPORT aclError aclrtGetDeviceResLimit(int32_t deviceId,
					  aclrtDevResLimitType type,
					  uint32_t *value)
{
	aclError ret;

	if (!value)
		return an_fail(ACL_ERROR_INVALID_PARAM, "value is NULL");
	ret = an_res_args(deviceId, type);
	if (ret)
		return ret;
	*value = an_res_get(deviceId, type);
	return ACL_SUCCESS;
}

AN_EXPORT aclError aclrtSetDeviceResLimit(int32_t deviceId,
					  aclrtDevResLimitType type,
					  uint32_t value)
{
	aclError ret = an_res_args(deviceId, type);

	if (ret)
		return ret;
	if (!value || value > AN_CORE_NUM)
		return an_fail(ACL_ERROR_RT_PARAM_INVALID,
			       "value %u out of range 1..%d", value,
			       AN_CORE_NUM);
	atomic_store(&an_res_limit[deviceId][type], value);
	return ACL_SUCCESS;
}

AN_EXPORT aclError aclrtResetDeviceResLimit(int32_t deviceId)
{
	aclError ret = an_rt_ready() ?: an_check_device(deviceId);
	int i;

	if (ret)
		return ret;
	for (i = 0; i < AN_RES_TYPES; i++)
		atomic_store(&an_res_limit[deviceId][i], 0);
	return ACL_SUCCESS;
}

AN_EXPORT aclError aclrtGetResInCurrentThread(aclrtDevResLimitType type,
					      uint32_t *value)
{
	aclError ret;
	int dev;

	ret = an_ready_arg(value);
	if (ret)
		return ret;
	ret = an_need_device(&dev);
	if (ret)
		return ret;
	ret = an_res_args(dev, type);
	if (ret)
		return ret;
	*value = an_res_get(dev, type);
	return ACL_SUCCESS;
}

/* ---- CANN attributes and device capabilities ------------------------------------- */

/*
 * CANN's attributes (src/acl/utils/cann_info_utils.cpp) describe its SoC
 * and compiler: inf/nan and bf16 support of the AI Core, and the JIT
 * operator compiler. Neither exists here, so each is listed and 0.
 */
static const aclCannAttr an_cann_attrs[] = {
	ACL_CANN_ATTR_INF_NAN, ACL_CANN_ATTR_BF16, ACL_CANN_ATTR_JIT_COMPILE,
};

AN_EXPORT aclError aclGetCannAttributeList(const aclCannAttr **cannAttrList,
					   size_t *num)
{
	if (!cannAttrList || !num)
		return an_fail(ACL_ERROR_INVALID_PARAM, "%s is NULL",
			       num ? "cannAttrList" : "num");
	*cannAttrList = an_cann_attrs;
	*num = sizeof(an_cann_attrs) / sizeof(an_cann_attrs[0]);
	return ACL_SUCCESS;
}

AN_EXPORT aclError aclGetCannAttribute(aclCannAttr cannAttr, int32_t *value)
{
	size_t i;

	if (!value)
		return an_fail(ACL_ERROR_INVALID_PARAM, "value is NULL");
	for (i = 0; i < sizeof(an_cann_attrs) / sizeof(an_cann_attrs[0]); i++) {
		if (an_cann_attrs[i] == cannAttr) {
			*value = 0;
			return ACL_SUCCESS;
		}
	}
	return an_fail(ACL_ERROR_INVALID_PARAM, "attribute %d", (int)cannAttr);
}

/*
 * Both features CANN names are of the device's task scheduler (updating
 * model tasks, memory-queue events across devices); the emulation has
 * neither.
 */
AN_EXPORT aclError aclrtGetDeviceCapability(int32_t deviceId,
					    aclrtDevFeatureType devFeatureType,
					    int32_t *value)
{
	aclError ret = an_dev_query_args(value, deviceId);

	if (ret)
		return ret;
	switch (devFeatureType) {
	case ACL_FEATURE_TSCPU_TASK_UPDATE_SUPPORT_AIC_AIV:
	case ACL_FEATURE_SYSTEM_MEMQ_EVENT_CROSS_DEV:
		*value = 0;
		return ACL_SUCCESS;
	default:
		return an_fail(ACL_ERROR_RT_PARAM_INVALID, "feature %d",
			       (int)devFeatureType);
	}
}
