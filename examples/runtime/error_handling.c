// SPDX-License-Identifier: MIT
/*
 * Error handling: provoke a failure on purpose, read it back through the
 * thread's last error and the recent error message, and see both cleared.
 */
#include "runtime_common.h"

int main(void)
{
	aclrtRunMode mode;
	aclrtErrorInfo info;
	const char *msg;
	aclError ret;

	CHECK(aclInit(NULL));
	CHECK(aclrtSetDevice(0));
	CHECK(aclrtGetRunMode(&mode));
	printf("run mode: %s\n", mode == ACL_HOST ? "ACL_HOST" : "ACL_DEVICE");

	printf("calling aclrtGetRunMode(NULL) on purpose\n");
	ret = aclrtGetRunMode(NULL);
	EXPECT(ret == ACL_ERROR_INVALID_PARAM);
	EXPECT(aclrtPeekAtLastError(ACL_RT_THREAD_LEVEL) == ret);
	EXPECT(aclrtGetLastError(ACL_RT_THREAD_LEVEL) == ret);
	msg = aclGetRecentErrMsg();
	EXPECT(msg != NULL);
	printf("returned %d; recent error message: %s\n", ret, msg);

	/* Reading them cleared them. */
	EXPECT(aclrtPeekAtLastError(ACL_RT_THREAD_LEVEL) == ACL_SUCCESS);
	EXPECT(aclrtGetLastError(ACL_RT_THREAD_LEVEL) == ACL_SUCCESS);
	EXPECT(aclGetRecentErrMsg() == NULL);

	CHECK(aclrtGetErrorVerbose(0, &info));
	printf("device 0 hardware error type: %d\n", (int)info.errorType);

	CHECK(aclrtResetDeviceForce(0));
	CHECK(aclFinalize());
	printf("SUCCESS\n");
	return 0;
}
