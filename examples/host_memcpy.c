// SPDX-License-Identifier: MIT
/*
 * Host memory and every copy direction, in the shape of CANN's memory
 * samples (h2h, h2d, d2h, d2d, synchronous and on a stream) and its
 * zero-copy and managed-memory samples: a page-locked host buffer from
 * aclrtMallocHost goes to the device and back, through a second device
 * buffer, and a registered host buffer and a managed buffer are used by
 * the device directly. Exits 0 when every byte arrived where it should.
 */
#include "notify_common.h"

#define N 4096

static int check(const char *what, const unsigned char *p, unsigned char seed)
{
	size_t i;

	for (i = 0; i < N; i++) {
		if (p[i] != (unsigned char)(seed + i)) {
			say("host_memcpy", "%s: byte %zu is %u\n", what, i, p[i]);
			return 1;
		}
	}
	say("host_memcpy", "%s: ok\n", what);
	return 0;
}

int main(void)
{
	unsigned char *host, *back, *dev_a, *dev_b, *managed, *mapped;
	static unsigned char registered[N];
	aclrtStream stream;
	int bad = 0;
	size_t i;

	CHECK("host_memcpy", aclInit(NULL));
	CHECK("host_memcpy", aclrtSetDevice(0));
	CHECK("host_memcpy", aclrtCreateStream(&stream));
	CHECK("host_memcpy", aclrtMallocHost((void **)&host, N));
	CHECK("host_memcpy", aclrtMallocHost((void **)&back, N));
	CHECK("host_memcpy", aclrtMalloc((void **)&dev_a, N,
					 ACL_MEM_MALLOC_HUGE_FIRST));
	CHECK("host_memcpy", aclrtMalloc((void **)&dev_b, N,
					 ACL_MEM_MALLOC_HUGE_FIRST));
	for (i = 0; i < N; i++)
		host[i] = (unsigned char)i;

	/* h2h, then h2d, d2d, d2h synchronously. */
	CHECK("host_memcpy", aclrtMemcpy(back, N, host, N,
					 ACL_MEMCPY_HOST_TO_HOST));
	bad |= check("host to host", back, 0);
	CHECK("host_memcpy", aclrtMemcpy(dev_a, N, host, N,
					 ACL_MEMCPY_HOST_TO_DEVICE));
	CHECK("host_memcpy", aclrtMemcpy(dev_b, N, dev_a, N,
					 ACL_MEMCPY_DEVICE_TO_DEVICE));
	memset(back, 0, N);
	CHECK("host_memcpy", aclrtMemcpy(back, N, dev_b, N,
					 ACL_MEMCPY_DEVICE_TO_HOST));
	bad |= check("host to device to device to host", back, 0);

	/* The same on a stream: queued in order, done at the sync. */
	for (i = 0; i < N; i++)
		host[i] = (unsigned char)(7 + i);
	memset(back, 0, N);
	CHECK("host_memcpy", aclrtMemcpyAsync(dev_a, N, host, N,
					      ACL_MEMCPY_HOST_TO_DEVICE, stream));
	CHECK("host_memcpy", aclrtMemcpyAsync(dev_b, N, dev_a, N,
					      ACL_MEMCPY_DEVICE_TO_DEVICE,
					      stream));
	CHECK("host_memcpy", aclrtMemcpyAsync(back, N, dev_b, N,
					      ACL_MEMCPY_DEVICE_TO_HOST, stream));
	CHECK("host_memcpy", aclrtSynchronizeStream(stream));
	bad |= check("asynchronous copies", back, 7);

	/* A kind that does not match the pointers is refused. */
	if (aclrtMemcpy(back, N, host, N, ACL_MEMCPY_DEVICE_TO_HOST) !=
	    ACL_ERROR_RT_PARAM_INVALID) {
		say("host_memcpy", "a host source passed as device memory\n");
		bad = 1;
	}

	/* Zero copy: the device writes registered host memory in place. */
	CHECK("host_memcpy", aclrtHostRegisterV2(registered, N,
						 ACL_HOST_REG_MAPPED));
	CHECK("host_memcpy", aclrtHostGetDevicePointer(registered,
						       (void **)&mapped, 0));
	CHECK("host_memcpy", aclrtMemcpy(mapped, N, dev_a, N,
					 ACL_MEMCPY_DEVICE_TO_DEVICE));
	bad |= check("registered host memory", registered, 7);
	CHECK("host_memcpy", aclrtHostUnregister(registered));

	/* Managed memory: host and device memory at once. */
	CHECK("host_memcpy", aclrtMemAllocManaged((void **)&managed, N,
						  ACL_RT_MEM_ATTACH_GLOBAL));
	for (i = 0; i < N; i++)
		managed[i] = (unsigned char)(3 + i);
	CHECK("host_memcpy", aclrtMemcpy(dev_a, N, managed, N,
					 ACL_MEMCPY_HOST_TO_DEVICE));
	CHECK("host_memcpy", aclrtMemcpy(back, N, dev_a, N,
					 ACL_MEMCPY_DEVICE_TO_HOST));
	bad |= check("managed memory", back, 3);

	CHECK("host_memcpy", aclrtFree(managed));
	CHECK("host_memcpy", aclrtFree(dev_a));
	CHECK("host_memcpy", aclrtFree(dev_b));
	CHECK("host_memcpy", aclrtFreeHost(host));
	CHECK("host_memcpy", aclrtFreeHost(back));
	CHECK("host_memcpy", aclrtDestroyStream(stream));
	CHECK("host_memcpy", aclrtResetDevice(0));
	CHECK("host_memcpy", aclFinalize());
	say("host_memcpy", "%s\n", bad ? "FAILED" : "all copies correct");
	return bad;
}
