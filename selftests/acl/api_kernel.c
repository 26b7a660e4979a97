// SPDX-License-Identifier: GPL-2.0
/*
 * Kernels as host code: a host ELF shared object (api_kernel_bin.so) is
 * loaded, its kernels looked up by name and launched on streams, once per
 * block, in stream order, with the packed arguments; unloading with
 * launches queued is safe. Every rejection: binaries that are not ELF or
 * not host shared objects, missing kernels, argument lists misused.
 */
#include <elf.h>
#include <sys/stat.h>
#include <libgen.h>
#include <linux/limits.h>

#include "acl_test.h"
#include "kselftest_harness.h"

/* The test kernels' object, beside this program. */
static void bin_path(char *out, size_t len)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	self[n > 0 ? n : 0] = '\0';
	snprintf(out, len, "%s/api_kernel_bin.so", dirname(self));
}

FIXTURE(kernel) {
	aclrtStream stream;
	aclrtBinHandle bin;
	char path[PATH_MAX];
	char tmp[64];
	int gate[2];
};

FIXTURE_SETUP(kernel)
{
	ASSERT_EQ(ACL_SUCCESS, aclInit(NULL));
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(0));
	ASSERT_EQ(ACL_SUCCESS, aclrtCreateStream(&self->stream));
	bin_path(self->path, sizeof(self->path));
	ASSERT_EQ(ACL_SUCCESS, aclrtBinaryLoadFromFile(self->path, NULL,
						       &self->bin));
	snprintf(self->tmp, sizeof(self->tmp), "/tmp/api_kernel.%d", getpid());
	ASSERT_EQ(0, pipe(self->gate));
}

FIXTURE_TEARDOWN(kernel)
{
	unlink(self->tmp);
	aclFinalize();
	close(self->gate[0]);
	close(self->gate[1]);
}

/* Looks up record_blocks in @bin and builds its arguments (out, next). */
static aclError record_args(aclrtBinHandle bin, uint32_t *out, uint32_t *next,
			    aclrtFuncHandle *f, aclrtArgsHandle *args)
{
	aclrtParamHandle p;

	return aclrtBinaryGetFunction(bin, "record_blocks", f) ?:
	       aclrtKernelArgsInit(*f, args) ?:
	       aclrtKernelArgsAppend(*args, &out, sizeof(out), &p) ?:
	       aclrtKernelArgsAppend(*args, &next, sizeof(next), &p) ?:
	       aclrtKernelArgsFinalize(*args);
}

/*
 * Queues, on @stream, a host function that holds it until a byte arrives
 * on @gate, then @blocks blocks of record_blocks.
 */
static aclError gated_launch(aclrtBinHandle bin, aclrtStream stream, int *gate,
			     uint32_t blocks, uint32_t *out, uint32_t *next,
			     aclrtFuncHandle *f, aclrtArgsHandle *a)
{
	return record_args(bin, out, next, f, a) ?:
	       aclrtLaunchHostFunc(stream, block_fn, gate) ?:
	       aclrtLaunchKernelWithConfig(*f, blocks, stream, NULL, *a, NULL);
}

/* Looks up the kernel "packed" in @bin and starts an argument list. */
static aclError packed_args(aclrtBinHandle bin, aclrtFuncHandle *f,
			    aclrtArgsHandle *a)
{
	return aclrtBinaryGetFunction(bin, "packed", f) ?:
	       aclrtKernelArgsInit(*f, a);
}

TEST_F(kernel, add_custom_as_cann_s_sample_shapes_it)
{
	enum { N = 1024, BLOCKS = 8 };
	aclrtParamHandle p[4];
	aclrtFuncHandle f;
	aclrtArgsHandle a;
	float *x, *y, *z, host[N];
	int32_t *n;
	int i;

	ASSERT_EQ(ACL_SUCCESS, aclrtMalloc((void **)&x, sizeof(host), 0));
	ASSERT_EQ(ACL_SUCCESS, aclrtMalloc((void **)&y, sizeof(host), 0));
	ASSERT_EQ(ACL_SUCCESS, aclrtMalloc((void **)&z, sizeof(host), 0));
	for (i = 0; i < N; i++)
		host[i] = (float)i;
	ASSERT_EQ(ACL_SUCCESS, aclrtMemcpy(x, sizeof(host), host, sizeof(host),
					   ACL_MEMCPY_HOST_TO_DEVICE));
	ASSERT_EQ(ACL_SUCCESS, aclrtMemcpy(y, sizeof(host), host, sizeof(host),
					   ACL_MEMCPY_HOST_TO_DEVICE));
	ASSERT_EQ(ACL_SUCCESS, aclrtBinaryGetFunction(self->bin, "add_custom",
						      &f));
	ASSERT_EQ(ACL_SUCCESS, aclrtKernelArgsInit(f, &a));
	ASSERT_EQ(ACL_SUCCESS, aclrtKernelArgsAppend(a, (void **)&x,
						     sizeof(x), &p[0]));
	ASSERT_EQ(ACL_SUCCESS, aclrtKernelArgsAppend(a, (void **)&y,
						     sizeof(y), &p[1]));
	ASSERT_EQ(ACL_SUCCESS, aclrtKernelArgsAppend(a, (void **)&z,
						     sizeof(z), &p[2]));
	ASSERT_EQ(ACL_SUCCESS, aclrtKernelArgsAppendPlaceHolder(a, &p[3]));
	ASSERT_EQ(ACL_SUCCESS, aclrtKernelArgsGetPlaceHolderBuffer(
		a, p[3], sizeof(*n), (void **)&n));
	*n = N;
	ASSERT_EQ(ACL_SUCCESS, aclrtKernelArgsFinalize(a));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchKernelWithConfig(f, BLOCKS,
							   self->stream, NULL,
							   a, NULL));
	/* The launch copied the arguments: changing them now is harmless. */
	*n = 0;
	ASSERT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtMemcpy(host, sizeof(host), z, sizeof(host),
					   ACL_MEMCPY_DEVICE_TO_HOST));
	for (i = 0; i < N; i++)
		ASSERT_EQ(2.0f * i, host[i]) TH_LOG("element %d", i);
}

TEST_F(kernel, blocks_run_in_order_with_index_and_dim)
{
	uint32_t out[8] = { 0 }, next = 0, i;
	aclrtFuncHandle f;
	aclrtArgsHandle a;

	ASSERT_EQ(ACL_SUCCESS, record_args(self->bin, out, &next, &f, &a));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchKernelWithConfig(f, 5, self->stream,
							   NULL, a, NULL));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchKernelWithConfig(f, 3, NULL, NULL, a,
							   NULL));
	ASSERT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
	ASSERT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(NULL));
	ASSERT_EQ(8, next);
	/* The two streams may interleave; each stream's blocks are in order. */
	for (i = 0; i < 8; i++) {
		uint32_t dim = out[i] >> 16, idx = out[i] & 0xffff;
		uint32_t j, before = 0;

		ASSERT_TRUE(dim == 5 || dim == 3);
		for (j = 0; j < i; j++)
			before += (out[j] >> 16) == dim;
		EXPECT_EQ(before, idx);
	}
}

TEST_F(kernel, parameters_are_8_byte_aligned)
{
	uint64_t out[2] = { 0 }, v = 0x0123456789abcdefull, *po = out;
	aclrtParamHandle p;
	aclrtFuncHandle f;
	aclrtArgsHandle a;
	char c = 'k';

	ASSERT_EQ(ACL_SUCCESS, packed_args(self->bin, &f, &a));
	ASSERT_EQ(ACL_SUCCESS, aclrtKernelArgsAppend(a, &c, 1, &p));
	ASSERT_EQ(ACL_SUCCESS, aclrtKernelArgsAppend(a, &v, sizeof(v), &p));
	ASSERT_EQ(ACL_SUCCESS, aclrtKernelArgsAppend(a, &po, sizeof(po), &p));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchKernelWithConfig(f, 1, self->stream,
							   NULL, a, NULL));
	ASSERT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
	EXPECT_EQ('k', out[0]);
	EXPECT_EQ(v, out[1]);
}

TEST_F(kernel, launch_waits_for_the_tasks_before_it)
{
	uint32_t out[4] = { 0 }, next = 0;
	aclrtFuncHandle f;
	aclrtArgsHandle a;

	ASSERT_EQ(ACL_SUCCESS, gated_launch(self->bin, self->stream,
					    &self->gate[0], 2, out, &next,
					    &f, &a));
	EXPECT_EQ(ACL_ERROR_RT_STREAM_SYNC_TIMEOUT,
		  aclrtSynchronizeStreamWithTimeout(self->stream, 50));
	EXPECT_EQ(0, next);
	ASSERT_EQ(1, write(self->gate[1], "g", 1));
	ASSERT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
	EXPECT_EQ(2, next);
}

TEST_F(kernel, unload_with_a_launch_queued_is_safe)
{
	uint32_t out[4] = { 0 }, next = 0;
	aclrtFuncHandle f;
	aclrtArgsHandle a;

	ASSERT_EQ(ACL_SUCCESS, gated_launch(self->bin, self->stream,
					    &self->gate[0], 3, out, &next,
					    &f, &a));
	ASSERT_EQ(ACL_SUCCESS, aclrtBinaryUnLoad(self->bin));
	/* The handles die at once ... */
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE,
		  aclrtLaunchKernelWithConfig(f, 1, self->stream, NULL, a,
					      NULL));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE, aclrtKernelArgsInit(f, &a));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE,
		  aclrtBinaryGetFunction(self->bin, "record_blocks", &f));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE, aclrtBinaryUnLoad(self->bin));
	/* ... the code stays until the queued launch ran. */
	ASSERT_EQ(1, write(self->gate[1], "g", 1));
	ASSERT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
	EXPECT_EQ(3, next);
}

TEST_F(kernel, same_name_same_handle)
{
	aclrtFuncHandle f1, f2;

	ASSERT_EQ(ACL_SUCCESS, aclrtBinaryGetFunction(self->bin, "packed", &f1));
	ASSERT_EQ(ACL_SUCCESS, aclrtBinaryGetFunction(self->bin, "packed", &f2));
	EXPECT_EQ(f1, f2);
}

TEST_F(kernel, binary_outlives_finalize)
{
	aclrtFuncHandle f;

	ASSERT_EQ(ACL_SUCCESS, aclFinalize());
	EXPECT_EQ(ACL_ERROR_UNINITIALIZE,
		  aclrtBinaryGetFunction(self->bin, "packed", &f));
	ASSERT_EQ(ACL_SUCCESS, aclInit(NULL));
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(0));
	EXPECT_EQ(ACL_SUCCESS, aclrtBinaryGetFunction(self->bin, "packed", &f));
	EXPECT_EQ(ACL_SUCCESS, aclrtBinaryUnLoad(self->bin));
}

TEST_F(kernel, lazy_load_option_is_accepted)
{
	aclrtBinaryLoadOption o = { .type = ACL_RT_BINARY_LOAD_OPT_LAZY_LOAD,
				    .value.isLazyLoad = 1 };
	aclrtBinaryLoadOptions opts = { &o, 1 };
	aclrtBinHandle b;

	ASSERT_EQ(ACL_SUCCESS, aclrtBinaryLoadFromFile(self->path, &opts, &b));
	EXPECT_EQ(ACL_SUCCESS, aclrtBinaryUnLoad(b));
}

/* ---- binaries that are refused ---- */

/* Writes @len bytes of @data to the fixture's temporary file. */
static int write_tmp(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int ok = fd >= 0 && write(fd, data, len) == (ssize_t)len;

	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

/* The test object's ELF header with one field changed by @patch. */
static int write_patched_elf(const char *src, const char *dst,
			     void (*patch)(Elf64_Ehdr *eh))
{
	Elf64_Ehdr eh;
	int fd = open(src, O_RDONLY);

	if (fd < 0 || read(fd, &eh, sizeof(eh)) != sizeof(eh))
		return -1;
	close(fd);
	patch(&eh);
	return write_tmp(dst, &eh, sizeof(eh));
}

static void to_ascend_machine(Elf64_Ehdr *eh) { eh->e_machine = 0x1029; }
static void to_relocatable(Elf64_Ehdr *eh) { eh->e_type = ET_REL; }
static void to_class32(Elf64_Ehdr *eh) { eh->e_ident[EI_CLASS] = ELFCLASS32; }

TEST_F(kernel, not_elf)
{
	aclrtBinHandle b;

	ASSERT_EQ(0, write_tmp(self->tmp, "#!/bin/sh\nexit 0\n", 17));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtBinaryLoadFromFile(self->tmp, NULL, &b));
}

TEST_F(kernel, empty_file)
{
	aclrtBinHandle b;

	ASSERT_EQ(0, write_tmp(self->tmp, "", 0));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtBinaryLoadFromFile(self->tmp, NULL, &b));
}

TEST_F(kernel, missing_file)
{
	aclrtBinHandle b;

	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtBinaryLoadFromFile("/nonexistent/k.so", NULL, &b));
}

TEST_F(kernel, not_a_regular_file)
{
	aclrtBinHandle b;

	ASSERT_EQ(0, mkfifo(self->tmp, 0600));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtBinaryLoadFromFile(self->tmp, NULL, &b));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtBinaryLoadFromFile("/tmp", NULL, &b));
}

TEST_F(kernel, other_machine_is_unsupported)
{
	aclrtBinHandle b;

	ASSERT_EQ(0, write_patched_elf(self->path, self->tmp,
				       to_ascend_machine));
	EXPECT_EQ(ACL_ERROR_RT_FEATURE_NOT_SUPPORT,
		  aclrtBinaryLoadFromFile(self->tmp, NULL, &b));
}

TEST_F(kernel, relocatable_object_is_unsupported)
{
	aclrtBinHandle b;

	ASSERT_EQ(0, write_patched_elf(self->path, self->tmp, to_relocatable));
	EXPECT_EQ(ACL_ERROR_RT_FEATURE_NOT_SUPPORT,
		  aclrtBinaryLoadFromFile(self->tmp, NULL, &b));
}

TEST_F(kernel, elf32_is_unsupported)
{
	aclrtBinHandle b;

	ASSERT_EQ(0, write_patched_elf(self->path, self->tmp, to_class32));
	EXPECT_EQ(ACL_ERROR_RT_FEATURE_NOT_SUPPORT,
		  aclrtBinaryLoadFromFile(self->tmp, NULL, &b));
}

static void keep(Elf64_Ehdr *eh) { (void)eh; }

TEST_F(kernel, truncated_shared_object)
{
	aclrtBinHandle b;

	/* A host header and nothing behind it: dlopen() refuses it. */
	ASSERT_EQ(0, write_patched_elf(self->path, self->tmp, keep));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtBinaryLoadFromFile(self->tmp, NULL, &b));
}

TEST_F(kernel, load_null_arguments)
{
	aclrtBinHandle b;

	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtBinaryLoadFromFile(NULL, NULL, &b));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtBinaryLoadFromFile(self->path, NULL, NULL));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtBinaryUnLoad(NULL));
	/* The fixture's binary is still loaded. */
	EXPECT_EQ(ACL_SUCCESS, aclrtBinaryUnLoad(self->bin));
}

TEST_F(kernel, load_options_refused)
{
	aclrtBinaryLoadOption bad_lazy = {
		.type = ACL_RT_BINARY_LOAD_OPT_LAZY_LOAD, .value.isLazyLoad = 2 };
	aclrtBinaryLoadOption magic = {
		.type = ACL_RT_BINARY_LOAD_OPT_MAGIC,
		.value.magic = ACL_RT_BINARY_MAGIC_ELF_AICORE };
	aclrtBinaryLoadOption cpu = {
		.type = ACL_RT_BINARY_LOAD_OPT_CPU_KERNEL_MODE };
	aclrtBinaryLoadOptions o = { NULL, 1 };
	aclrtBinHandle b;

	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtBinaryLoadFromFile(self->path, &o, &b));
	o.options = &bad_lazy;
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtBinaryLoadFromFile(self->path, &o, &b));
	o.options = &magic;
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtBinaryLoadFromFile(self->path, &o, &b));
	o.options = &cpu;
	EXPECT_EQ(ACL_ERROR_RT_FEATURE_NOT_SUPPORT,
		  aclrtBinaryLoadFromFile(self->path, &o, &b));
}

TEST_F(kernel, load_uninitialised)
{
	aclrtBinHandle b;

	ASSERT_EQ(ACL_SUCCESS, aclFinalize());
	EXPECT_EQ(ACL_ERROR_UNINITIALIZE,
		  aclrtBinaryLoadFromFile(self->path, NULL, &b));
}

/* ---- functions and argument lists ---- */

TEST_F(kernel, missing_kernel)
{
	aclrtFuncHandle f;

	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtBinaryGetFunction(self->bin, "no_such_kernel", &f));
}

TEST_F(kernel, get_function_null_arguments)
{
	aclrtFuncHandle f;

	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtBinaryGetFunction(NULL, "packed", &f));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtBinaryGetFunction(self->bin, NULL, &f));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtBinaryGetFunction(self->bin, "packed", NULL));
}

TEST_F(kernel, bogus_handles)
{
	void *bogus = (void *)(uintptr_t)0x12345678;
	aclrtFuncHandle f;
	aclrtArgsHandle a;

	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE,
		  aclrtBinaryGetFunction(bogus, "packed", &f));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE, aclrtBinaryUnLoad(bogus));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE, aclrtKernelArgsInit(bogus, &a));
	/* A binary handle is not a function handle. */
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE,
		  aclrtKernelArgsInit(self->bin, &a));
}

TEST_F(kernel, args_null_arguments)
{
	aclrtParamHandle p;
	aclrtFuncHandle f;
	aclrtArgsHandle a;
	void *buf;
	int v = 1;

	ASSERT_EQ(ACL_SUCCESS, aclrtBinaryGetFunction(self->bin, "packed", &f));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtKernelArgsInit(NULL, &a));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtKernelArgsInit(f, NULL));
	ASSERT_EQ(ACL_SUCCESS, aclrtKernelArgsInit(f, &a));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtKernelArgsAppend(NULL, &v, sizeof(v), &p));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtKernelArgsAppend(a, NULL, sizeof(v), &p));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtKernelArgsAppend(a, &v, 0, &p));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtKernelArgsAppend(a, &v, sizeof(v), NULL));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtKernelArgsAppendPlaceHolder(NULL, &p));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtKernelArgsAppendPlaceHolder(a, NULL));
	ASSERT_EQ(ACL_SUCCESS, aclrtKernelArgsAppendPlaceHolder(a, &p));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtKernelArgsGetPlaceHolderBuffer(NULL, p, 4, &buf));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtKernelArgsGetPlaceHolderBuffer(a, NULL, 4, &buf));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtKernelArgsGetPlaceHolderBuffer(a, p, 0, &buf));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtKernelArgsGetPlaceHolderBuffer(a, p, 4, NULL));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclrtKernelArgsFinalize(NULL));
}

TEST_F(kernel, append_after_finalize)
{
	aclrtParamHandle p;
	aclrtFuncHandle f;
	aclrtArgsHandle a;
	int v = 1;

	ASSERT_EQ(ACL_SUCCESS, packed_args(self->bin, &f, &a));
	ASSERT_EQ(ACL_SUCCESS, aclrtKernelArgsFinalize(a));
	EXPECT_EQ(ACL_ERROR_RT_FEATURE_NOT_SUPPORT,
		  aclrtKernelArgsAppend(a, &v, sizeof(v), &p));
	EXPECT_EQ(ACL_ERROR_RT_FEATURE_NOT_SUPPORT,
		  aclrtKernelArgsAppendPlaceHolder(a, &p));
}

TEST_F(kernel, append_after_placeholder_buffer)
{
	aclrtParamHandle p, q;
	aclrtFuncHandle f;
	aclrtArgsHandle a;
	void *buf;
	int v = 1;

	ASSERT_EQ(ACL_SUCCESS, packed_args(self->bin, &f, &a));
	ASSERT_EQ(ACL_SUCCESS, aclrtKernelArgsAppendPlaceHolder(a, &p));
	ASSERT_EQ(ACL_SUCCESS,
		  aclrtKernelArgsGetPlaceHolderBuffer(a, p, 4, &buf));
	EXPECT_EQ(ACL_ERROR_RT_FEATURE_NOT_SUPPORT,
		  aclrtKernelArgsAppend(a, &v, sizeof(v), &q));
	EXPECT_EQ(ACL_ERROR_RT_FEATURE_NOT_SUPPORT,
		  aclrtKernelArgsAppendPlaceHolder(a, &q));
}

TEST_F(kernel, placeholder_buffer_of_a_common_parameter)
{
	aclrtParamHandle p;
	aclrtFuncHandle f;
	aclrtArgsHandle a;
	void *buf;
	int v = 1;

	ASSERT_EQ(ACL_SUCCESS, packed_args(self->bin, &f, &a));
	ASSERT_EQ(ACL_SUCCESS, aclrtKernelArgsAppend(a, &v, sizeof(v), &p));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtKernelArgsGetPlaceHolderBuffer(a, p, 4, &buf));
}

TEST_F(kernel, placeholder_buffer_after_finalize)
{
	aclrtParamHandle p;
	aclrtFuncHandle f;
	aclrtArgsHandle a;
	void *buf;

	ASSERT_EQ(ACL_SUCCESS, packed_args(self->bin, &f, &a));
	ASSERT_EQ(ACL_SUCCESS, aclrtKernelArgsAppendPlaceHolder(a, &p));
	ASSERT_EQ(ACL_SUCCESS, aclrtKernelArgsFinalize(a));
	EXPECT_EQ(ACL_ERROR_RT_FEATURE_NOT_SUPPORT,
		  aclrtKernelArgsGetPlaceHolderBuffer(a, p, 4, &buf));
}

TEST_F(kernel, too_many_parameters)
{
	aclrtParamHandle p;
	aclrtFuncHandle f;
	aclrtArgsHandle a;
	int i, v = 1;

	ASSERT_EQ(ACL_SUCCESS, packed_args(self->bin, &f, &a));
	for (i = 0; i < 128; i++)
		ASSERT_EQ(ACL_SUCCESS,
			  aclrtKernelArgsAppend(a, &v, sizeof(v), &p));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtKernelArgsAppend(a, &v, sizeof(v), &p));
}

TEST_F(kernel, arguments_over_64k)
{
	static char big[64 * 1024];
	aclrtParamHandle p;
	aclrtFuncHandle f;
	aclrtArgsHandle a;

	ASSERT_EQ(ACL_SUCCESS, packed_args(self->bin, &f, &a));
	ASSERT_EQ(ACL_SUCCESS, aclrtKernelArgsAppend(a, big, 8, &p));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtKernelArgsAppend(a, big, sizeof(big) - 7, &p));
}

static void *init_on_thread(void *arg)
{
	aclrtArgsHandle a;

	if (aclrtKernelArgsInit(arg, &a))
		return NULL;
	return a;
}

TEST_F(kernel, another_thread_s_list)
{
	aclrtParamHandle p;
	aclrtFuncHandle f;
	pthread_t t;
	void *a, *buf;
	int v = 1;

	ASSERT_EQ(ACL_SUCCESS, aclrtBinaryGetFunction(self->bin, "packed", &f));
	ASSERT_EQ(0, pthread_create(&t, NULL, init_on_thread, f));
	ASSERT_EQ(0, pthread_join(t, &a));
	ASSERT_NE(NULL, a);
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE,
		  aclrtKernelArgsAppend(a, &v, sizeof(v), &p));
	p = (aclrtParamHandle)&v;
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE,
		  aclrtKernelArgsGetPlaceHolderBuffer(a, p, sizeof(v), &buf));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE, aclrtKernelArgsFinalize(a));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE,
		  aclrtLaunchKernelWithConfig(f, 1, self->stream, NULL, a,
					      NULL));
}

/* ---- launch ---- */

TEST_F(kernel, launch_arguments)
{
	aclrtLaunchKernelAttr attr = { .id = 0 };
	aclrtLaunchKernelCfg cfg = { &attr, 1 }, no_attrs = { NULL, 1 };
	aclrtFuncHandle f, g;
	aclrtArgsHandle a;
	int r;

	ASSERT_EQ(ACL_SUCCESS, aclrtBinaryGetFunction(self->bin, "packed", &f));
	ASSERT_EQ(ACL_SUCCESS, aclrtBinaryGetFunction(self->bin,
						      "record_blocks", &g));
	ASSERT_EQ(ACL_SUCCESS, aclrtKernelArgsInit(f, &a));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtLaunchKernelWithConfig(NULL, 1, self->stream, NULL, a,
					      NULL));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtLaunchKernelWithConfig(f, 0, self->stream, NULL, a,
					      NULL));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtLaunchKernelWithConfig(f, 1, self->stream, NULL, NULL,
					      NULL));
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM,
		  aclrtLaunchKernelWithConfig(f, 1, self->stream, NULL, a,
					      &r));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtLaunchKernelWithConfig(f, 1, self->stream, &cfg, a,
					      NULL));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtLaunchKernelWithConfig(f, 1, self->stream, &no_attrs, a,
					      NULL));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  aclrtLaunchKernelWithConfig(g, 1, self->stream, NULL, a,
					      NULL));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE,
		  aclrtLaunchKernelWithConfig(self->bin, 1, self->stream, NULL,
					      a, NULL));
	ASSERT_EQ(ACL_SUCCESS, aclrtDestroyStream(self->stream));
	EXPECT_EQ(ACL_ERROR_RT_INVALID_HANDLE,
		  aclrtLaunchKernelWithConfig(f, 1, self->stream, NULL, a,
					      NULL));
}

TEST_F(kernel, launch_config_attributes_accepted)
{
	uint32_t out[2], next = 0;
	aclrtLaunchKernelAttr attr = {
		.id = ACL_RT_LAUNCH_KERNEL_ATTR_TIMEOUT, .value.timeout = 5 };
	aclrtLaunchKernelCfg cfg = { &attr, 1 };
	aclrtFuncHandle f;
	aclrtArgsHandle a;

	ASSERT_EQ(ACL_SUCCESS, record_args(self->bin, out, &next, &f, &a));
	ASSERT_EQ(ACL_SUCCESS, aclrtLaunchKernelWithConfig(f, 2, self->stream,
							   &cfg, a, NULL));
	ASSERT_EQ(ACL_SUCCESS, aclrtSynchronizeStream(self->stream));
	EXPECT_EQ(2, next);
}

TEST_HARNESS_MAIN
