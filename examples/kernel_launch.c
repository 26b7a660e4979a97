// SPDX-License-Identifier: MIT
/*
 * Kernel launch, in the shape of CANN's 0_launch_kernel sample: load a
 * kernel binary, look up add_custom, build its arguments (three device
 * pointers and a placeholder holding the length), launch it on 8 blocks
 * and check the sum. Here the binary is a host shared object
 * (kernel_add.c); a device binary would be refused as unsupported.
 *
 *   kernel_launch BINARY
 */
#include "ipc_common.h"

#define LEN	(8 * 2048)
#define BLOCKS	8

int main(int argc, char **argv)
{
	aclFloat16 *host, *x, *y, *z;
	aclrtParamHandle p[4];
	aclrtBinHandle bin;
	aclrtFuncHandle f;
	aclrtArgsHandle a;
	aclrtStream stream;
	size_t bytes = LEN * sizeof(aclFloat16);
	int32_t *n;
	int i, bad = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s BINARY\n", argv[0]);
		return 2;
	}
	host = malloc(bytes);
	if (!host)
		return 1;
	TRY("K", aclInit(NULL));
	TRY("K", aclrtSetDevice(0));
	TRY("K", aclrtCreateStream(&stream));
	TRY("K", aclrtMalloc((void **)&x, bytes, ACL_MEM_MALLOC_HUGE_FIRST));
	TRY("K", aclrtMalloc((void **)&y, bytes, ACL_MEM_MALLOC_HUGE_FIRST));
	TRY("K", aclrtMalloc((void **)&z, bytes, ACL_MEM_MALLOC_HUGE_FIRST));
	for (i = 0; i < LEN; i++)
		host[i] = aclFloatToFloat16((float)(i % 1000) / 4);
	TRY("K", aclrtMemcpy(x, bytes, host, bytes, ACL_MEMCPY_HOST_TO_DEVICE));
	TRY("K", aclrtMemcpy(y, bytes, host, bytes, ACL_MEMCPY_HOST_TO_DEVICE));

	TRY("K", aclrtBinaryLoadFromFile(argv[1], NULL, &bin));
	TRY("K", aclrtBinaryGetFunction(bin, "add_custom", &f));
	TRY("K", aclrtKernelArgsInit(f, &a));
	TRY("K", aclrtKernelArgsAppend(a, (void **)&x, sizeof(x), &p[0]));
	TRY("K", aclrtKernelArgsAppend(a, (void **)&y, sizeof(y), &p[1]));
	TRY("K", aclrtKernelArgsAppend(a, (void **)&z, sizeof(z), &p[2]));
	TRY("K", aclrtKernelArgsAppendPlaceHolder(a, &p[3]));
	TRY("K", aclrtKernelArgsGetPlaceHolderBuffer(a, p[3], sizeof(*n),
						     (void **)&n));
	*n = LEN;
	TRY("K", aclrtKernelArgsFinalize(a));
	TRY("K", aclrtLaunchKernelWithConfig(f, BLOCKS, stream, NULL, a, NULL));
	TRY("K", aclrtSynchronizeStream(stream));
	TRY("K", aclrtMemcpy(host, bytes, z, bytes, ACL_MEMCPY_DEVICE_TO_HOST));
	for (i = 0; i < LEN; i++)
		if (aclFloat16ToFloat(host[i]) != (float)(i % 1000) / 2)
			bad++;
	say("K", "%d blocks added %d halves, %d wrong\n", BLOCKS, LEN, bad);

	TRY("K", aclrtBinaryUnLoad(bin));
	TRY("K", aclrtFree(x));
	TRY("K", aclrtFree(y));
	TRY("K", aclrtFree(z));
	TRY("K", aclrtDestroyStream(stream));
	TRY("K", aclrtResetDevice(0));
	TRY("K", aclFinalize());
	free(host);
	return verdict("K", !bad);
}
