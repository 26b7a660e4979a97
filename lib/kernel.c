// SPDX-License-Identifier: MIT
/*
 * Kernels as host code: aclrtBinaryLoadFromFile, aclrtBinaryGetFunction,
 * the aclrtKernelArgs* builder and aclrtLaunchKernelWithConfig
 * (Documentation/user-guide.rst, "Kernels as host code").
 *
 * A kernel binary here is a host ELF shared object: the file's ELF header
 * must name this host's class, byte order and machine and ET_DYN. Anything
 * else that is ELF (an Ascend device binary) is refused as unsupported;
 * anything that is not ELF is an invalid argument, as in CANN. The object
 * is dlopen()ed RTLD_LOCAL (two binaries may define the same kernel name)
 * and RTLD_NOW (a missing symbol fails the load, not a launch).
 *
 * A kernel is a function
 *	void name(uint32_t blockIdx, uint32_t blockDim, void *args);
 * a launch runs it on the stream's thread, in stream order, once per block
 * (blockIdx 0 .. numBlocks - 1), with a private copy of the packed
 * arguments: each appended parameter at its offset (8-byte aligned, as on
 * the device), each placeholder an 8-byte slot holding the address of its
 * data in the same copy.
 *
 * Lifetimes: a binary and its functions are handle-table objects. Each
 * function holds a reference on its binary, an argument list holds one on
 * its function and a queued launch one on its function, so
 * aclrtBinaryUnLoad (which invalidates the handles at once) never unmaps
 * code that a queued launch will still run: dlclose() comes with the last
 * reference.
 *
 * Argument lists are per thread, as CANN's: aclrtKernelArgsInit returns the
 * calling thread's list, reset; it is valid on that thread until the next
 * aclrtKernelArgsInit there, and freed when the thread exits.
 */
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#if defined(__x86_64__)
#define AN_HOST_MACHINE	EM_X86_64
#elif defined(__aarch64__)
#define AN_HOST_MACHINE	EM_AARCH64
#elif defined(__riscv) && __riscv_xlen == 64
#define AN_HOST_MACHINE	EM_RISCV
#else
#error "kernel.c: name this host's ELF machine"
#endif
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define AN_HOST_DATA	ELFDATA2LSB
#else
#define AN_HOST_DATA	ELFDATA2MSB
#endif

/* CANN's limits (args_handle_allocator.hpp, runtime.hpp). */
#define AN_ARGS_MAX_PARAMS	128
#define AN_ARGS_MAX_SIZE	(64 * 1024)
#define AN_ARGS_ALIGN		8

typedef void (*an_kernel_fn)(uint32_t block_idx, uint32_t block_dim,
			     void *args);

struct an_func;

/**
 * struct an_bin - a loaded host kernel binary
 * @obj:	handle-table head; each of its functions holds a reference.
 * @dl:		the dlopen() handle, closed by the release.
 * @lock:	guards @funcs.
 * @funcs:	the functions looked up so far, each once (until unload).
 */
struct an_bin {
	struct an_obj obj;
	void *dl;
	pthread_mutex_t lock;
	struct an_func *funcs;
};

/**
 * struct an_func - a kernel of a binary
 * @obj:	handle-table head.
 * @bin:	the binary, referenced.
 * @fn:		the kernel.
 * @handle:	its handle, returned again for the same name.
 * @next:	in @bin->funcs.
 * @name:	the kernel's name.
 */
struct an_func {
	struct an_obj obj;
	struct an_bin *bin;
	an_kernel_fn fn;
	void *handle;
	struct an_func *next;
	char name[];
};

/**
 * struct an_args - a thread's argument list
 * @func:	the function it is for (referenced), NULL before Init.
 * @size:	bytes of @buf used.
 * @nparam:	parameters appended.
 * @got_ph:	a placeholder buffer was handed out: no more parameters.
 * @finalized:	aclrtKernelArgsFinalize was called.
 * @para:	per parameter: a placeholder?, its offset, its data's offset
 *		(placeholders with a buffer; 0 for none).
 * @buf:	the packed arguments.
 */
struct an_args {
	struct an_func *func;
	size_t size;
	uint32_t nparam;
	bool got_ph;
	bool finalized;
	struct an_param {
		bool ph;
		size_t off;
		size_t data_off;
	} para[AN_ARGS_MAX_PARAMS];
	_Alignas(16) uint8_t buf[AN_ARGS_MAX_SIZE];
};

/* A queued launch; @buf is a copy of the packed arguments. */
struct an_launch {
	struct an_call call;
	struct an_func *func;
	uint32_t blocks;
	_Alignas(16) uint8_t buf[];
};

static void an_bin_release(struct an_obj *obj)
{
	struct an_bin *b = (struct an_bin *)obj;

	dlclose(b->dl);
	pthread_mutex_destroy(&b->lock);
	free(b);
}

static void an_func_release(struct an_obj *obj)
{
	struct an_func *f = (struct an_func *)obj;

	an_obj_put(&f->bin->obj);
	free(f);
}

/*
 * The binary behind handle @h, with the table's reference taken over
 * (@close: aclrtBinaryUnLoad) or a new one; fails @func with 100001 before
 * aclInit, 107017 for a handle that is not a loaded binary.
 */
static aclError an_bin_lookup(const char *func, const void *h, bool close,
			      struct an_bin **out)
{
	aclError ret = an_rt_ready();

	if (ret)
		return ret;
	*out = (struct an_bin *)(close ? an_obj_close(h, AN_OBJ_BIN) :
					 an_obj_get(h, AN_OBJ_BIN));
	if (!*out) {
		an_log(AN_LOG_ERROR, func, "binHandle %p is not a loaded binary",
		       h);
		return ACL_ERROR_RT_INVALID_HANDLE;
	}
	return ACL_SUCCESS;
}

/* The function behind handle @h, referenced, or NULL (logged as @func's). */
static struct an_func *an_func_lookup(const char *func, const void *h)
{
	struct an_func *f = (struct an_func *)an_obj_get(h, AN_OBJ_FUNC);

	if (!f)
		an_log(AN_LOG_ERROR, func, "funcHandle %p is not a kernel", h);
	return f;
}

/*
 * 0 when @path is a host ELF shared object, else the error: not ELF (or
 * unreadable) 107000, another machine's or type's ELF 207000.
 */
static aclError an_check_elf(const char *path)
{
	unsigned char *id;
	struct stat st;
	Elf64_Ehdr eh;
	ssize_t n;
	int fd;

	/* O_NONBLOCK: a FIFO must not hang the call; it is refused below. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return an_fail(ACL_ERROR_RT_PARAM_INVALID, "cannot open %s: %s",
			       path, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return an_fail(ACL_ERROR_RT_PARAM_INVALID,
			       "%s is not a regular file", path);
	}
	n = read(fd, &eh, sizeof(eh));
	close(fd);
	id = eh.e_ident;
	if (n < EI_NIDENT || memcmp(id, ELFMAG, SELFMAG))
		return an_fail(ACL_ERROR_RT_PARAM_INVALID,
			       "%s is not an ELF file", path);
	if (n < (ssize_t)sizeof(eh) || id[EI_CLASS] != ELFCLASS64 ||
	    id[EI_DATA] != AN_HOST_DATA || eh.e_machine != AN_HOST_MACHINE ||
	    eh.e_type != ET_DYN)
		return an_fail(ACL_ERROR_RT_FEATURE_NOT_SUPPORT,
			       "%s: ELF class %u, machine %u, type %u is not a host shared object (a device binary?)",
			       path, id[EI_CLASS],
			       n < (ssize_t)sizeof(eh) ? 0 : eh.e_machine,
			       n < (ssize_t)sizeof(eh) ? 0 : eh.e_type);
	return ACL_SUCCESS;
}

/* The load options CANN accepts from a file; we load eagerly anyway. */
static aclError an_check_options(const aclrtBinaryLoadOptions *o)
{
	size_t i;

	if (!o)
		return ACL_SUCCESS;
	if (!o->options && o->numOpt)
		return an_fail(ACL_ERROR_RT_PARAM_INVALID,
			       "options->options is NULL");
	for (i = 0; i < o->numOpt; i++) {
		const aclrtBinaryLoadOption *p = &o->options[i];

		if (p->type == ACL_RT_BINARY_LOAD_OPT_LAZY_LOAD &&
		    p->value.isLazyLoad <= 1)
			continue;
		if (p->type == ACL_RT_BINARY_LOAD_OPT_CPU_KERNEL_MODE)
			return an_fail(ACL_ERROR_RT_FEATURE_NOT_SUPPORT,
				       "AI CPU kernels are not supported");
		return an_fail(ACL_ERROR_RT_PARAM_INVALID,
			       "option %zu: type %d, value %u", i,
			       (int)p->type, p->value.rsv[0]);
	}
	return ACL_SUCCESS;
}

AN_EXPORT aclError aclrtBinaryLoadFromFile(const char *binPath,
					   aclrtBinaryLoadOptions *options,
					   aclrtBinHandle *binHandle)
{
	char real[PATH_MAX];
	struct an_bin *b;
	aclError ret;
	void *dl, *h;

	if (!binPath || !binHandle)
		return an_fail(ACL_ERROR_INVALID_PARAM, "%s is NULL",
			       binPath ? "binHandle" : "binPath");
	ret = an_rt_ready() ?: an_check_options(options);
	if (ret)
		return ret;
	/* An absolute path, so dlopen() never searches the library path. */
	if (!realpath(binPath, real))
		return an_fail(ACL_ERROR_RT_PARAM_INVALID, "%s: %s", binPath,
			       strerror(errno));
	ret = an_check_elf(real);
	if (ret)
		return ret;
	dl = dlopen(real, RTLD_NOW | RTLD_LOCAL);
	if (!dl)
		return an_fail(ACL_ERROR_RT_PARAM_INVALID, "dlopen: %s",
			       dlerror());
	b = calloc(1, sizeof(*b));
	if (!b) {
		dlclose(dl);
		return an_fail(ACL_ERROR_RT_MEMORY_ALLOCATION, "out of memory");
	}
	atomic_init(&b->obj.refs, 1);
	b->obj.type = AN_OBJ_BIN;
	b->obj.release = an_bin_release;
	b->dl = dl;
	pthread_mutex_init(&b->lock, NULL);
	h = an_obj_open(&b->obj);
	if (!h) {
		an_bin_release(&b->obj);
		return an_fail(ACL_ERROR_RT_MEMORY_ALLOCATION, "out of memory");
	}
	*binHandle = h;
	an_log(AN_LOG_DEBUG, __func__, "%s loaded as %p", real, h);
	return ACL_SUCCESS;
}

AN_EXPORT aclError aclrtBinaryUnLoad(aclrtBinHandle binHandle)
{
	struct an_func *f, *next;
	struct an_bin *b;
	aclError ret;

	if (!binHandle)
		return an_fail(ACL_ERROR_INVALID_PARAM, "binHandle is NULL");
	ret = an_bin_lookup(__func__, binHandle, true, &b);
	if (ret)
		return ret;
	pthread_mutex_lock(&b->lock);
	f = b->funcs;
	b->funcs = NULL;
	pthread_mutex_unlock(&b->lock);
	for (; f; f = next) {
		next = f->next;
		/* The table's reference; queued launches keep theirs. */
		an_obj_put(an_obj_close(f->handle, AN_OBJ_FUNC));
	}
	an_obj_put(&b->obj);
	return ACL_SUCCESS;
}

/* The function @name of @b, new or found; called with b->lock held. */
static aclError an_bin_function(struct an_bin *b, const char *name,
				void **out)
{
	size_t len = strlen(name);
	struct an_func *f;
	void *sym;

	for (f = b->funcs; f; f = f->next) {
		if (!strcmp(f->name, name)) {
			*out = f->handle;
			return ACL_SUCCESS;
		}
	}
	dlerror();
	sym = dlsym(b->dl, name);
	if (!sym)
		return an_fail(ACL_ERROR_RT_PARAM_INVALID,
			       "no kernel named \"%s\" in the binary", name);
	f = calloc(1, sizeof(*f) + len + 1);
	if (!f)
		return an_fail(ACL_ERROR_RT_MEMORY_ALLOCATION, "out of memory");
	atomic_init(&f->obj.refs, 1);
	f->obj.type = AN_OBJ_FUNC;
	f->obj.release = an_func_release;
	an_obj_hold(&b->obj);
	f->bin = b;
	/* POSIX: a function's address converts through void *. */
	*(void **)&f->fn = sym;
	memcpy(f->name, name, len + 1);
	f->handle = an_obj_open(&f->obj);
	if (!f->handle) {
		an_func_release(&f->obj);
		return an_fail(ACL_ERROR_RT_MEMORY_ALLOCATION, "out of memory");
	}
	f->next = b->funcs;
	b->funcs = f;
	*out = f->handle;
	return ACL_SUCCESS;
}

AN_EXPORT aclError aclrtBinaryGetFunction(const aclrtBinHandle binHandle,
					  const char *kernelName,
					  aclrtFuncHandle *funcHandle)
{
	struct an_bin *b;
	aclError ret;

	if (!binHandle || !kernelName || !funcHandle)
		return an_fail(ACL_ERROR_INVALID_PARAM, "%s is NULL",
			       !binHandle ? "binHandle" :
			       !kernelName ? "kernelName" : "funcHandle");
	ret = an_bin_lookup(__func__, binHandle, false, &b);
	if (ret)
		return ret;
	pthread_mutex_lock(&b->lock);
	ret = an_bin_function(b, kernelName, funcHandle);
	pthread_mutex_unlock(&b->lock);
	an_obj_put(&b->obj);
	return ret;
}

/* ---- argument lists -------------------------------------------------------- */

static void an_args_free(void *p)
{
	struct an_args *a = p;

	if (a->func)
		an_obj_put(&a->func->obj);
	free(a);
}

static struct an_thread_key an_args_key = { .free = an_args_free };

/* The calling thread's list (created when @create), or NULL. */
static struct an_args *an_args_mine(bool create)
{
	return an_thread_obj(&an_args_key, sizeof(struct an_args), create);
}

/* @h as this thread's initialized list, or NULL (logged as @func's). */
static struct an_args *an_args_get(const char *func, aclrtArgsHandle h)
{
	struct an_args *a = an_args_mine(false);

	if (!a || a != h || !a->func) {
		an_log(AN_LOG_ERROR, func,
		       "argsHandle %p is not this thread's argument list", h);
		return NULL;
	}
	return a;
}

/* @p as a parameter of @a, or NULL. */
static struct an_param *an_param_get(struct an_args *a, aclrtParamHandle p)
{
	uint32_t i;

	for (i = 0; i < a->nparam; i++)
		if (p == (aclrtParamHandle)&a->para[i])
			return &a->para[i];
	return NULL;
}

AN_EXPORT aclError aclrtKernelArgsInit(aclrtFuncHandle funcHandle,
				       aclrtArgsHandle *argsHandle)
{
	struct an_func *f;
	struct an_args *a;

	if (!funcHandle || !argsHandle)
		return an_fail(ACL_ERROR_INVALID_PARAM, "%s is NULL",
			       funcHandle ? "argsHandle" : "funcHandle");
	f = an_func_lookup(__func__, funcHandle);
	if (!f)
		return ACL_ERROR_RT_INVALID_HANDLE;
	a = an_args_mine(true);
	if (!a) {
		an_obj_put(&f->obj);
		return an_fail(ACL_ERROR_RT_MEMORY_ALLOCATION, "out of memory");
	}
	if (a->func)
		an_obj_put(&a->func->obj);
	a->func = f;
	a->size = 0;
	a->nparam = 0;
	a->got_ph = false;
	a->finalized = false;
	*argsHandle = a;
	return ACL_SUCCESS;
}

/*
 * Reserves @size bytes at the next 8-byte boundary of @a's buffer for a
 * parameter (@param) or a placeholder's data; the offset in *@off.
 */
static aclError an_args_reserve(const char *func, struct an_args *a,
				size_t size, bool param, size_t *off)
{
	size_t at = (a->size + AN_ARGS_ALIGN - 1) & ~(size_t)(AN_ARGS_ALIGN - 1);

	if (a->finalized || (param && a->got_ph)) {
		an_log(AN_LOG_ERROR, func, "the list is %s",
		       a->finalized ? "finalized" :
		       "past its parameters (a placeholder buffer was taken)");
		return ACL_ERROR_RT_FEATURE_NOT_SUPPORT;
	}
	if ((param && a->nparam == AN_ARGS_MAX_PARAMS) ||
	    size > AN_ARGS_MAX_SIZE - at) {
		an_log(AN_LOG_ERROR, func,
		       "%u parameters, %zu + %zu bytes: over the limits (%d, %d)",
		       a->nparam, at, size, AN_ARGS_MAX_PARAMS,
		       AN_ARGS_MAX_SIZE);
		return ACL_ERROR_RT_PARAM_INVALID;
	}
	*off = at;
	a->size = at + size;
	return ACL_SUCCESS;
}

/* Appends a parameter (@param, @size bytes) or a placeholder (@param NULL). */
static aclError an_args_append(const char *func, aclrtArgsHandle argsHandle,
			       const void *param, size_t size,
			       aclrtParamHandle *paramHandle)
{
	struct an_args *a = an_args_get(func, argsHandle);
	struct an_param *p;
	aclError ret;
	size_t off;

	if (!a)
		return ACL_ERROR_RT_INVALID_HANDLE;
	ret = an_args_reserve(func, a, size, true, &off);
	if (ret)
		return ret;
	p = &a->para[a->nparam++];
	p->ph = !param;
	p->off = off;
	p->data_off = 0;
	if (param)
		memcpy(a->buf + off, param, size);
	else
		memset(a->buf + off, 0, size);
	*paramHandle = p;
	return ACL_SUCCESS;
}

AN_EXPORT aclError aclrtKernelArgsAppend(aclrtArgsHandle argsHandle,
					 void *param, size_t paramSize,
					 aclrtParamHandle *paramHandle)
{
	if (!argsHandle || !param || !paramSize || !paramHandle)
		return an_fail(ACL_ERROR_INVALID_PARAM, "%s",
			       !argsHandle ? "argsHandle is NULL" :
			       !param ? "param is NULL" :
			       !paramSize ? "paramSize is 0" :
			       "paramHandle is NULL");
	return an_args_append(__func__, argsHandle, param, paramSize,
			      paramHandle);
}

AN_EXPORT aclError aclrtKernelArgsAppendPlaceHolder(aclrtArgsHandle argsHandle,
						    aclrtParamHandle *paramHandle)
{
	if (!argsHandle || !paramHandle)
		return an_fail(ACL_ERROR_INVALID_PARAM, "%s is NULL",
			       argsHandle ? "paramHandle" : "argsHandle");
	return an_args_append(__func__, argsHandle, NULL, sizeof(uint64_t),
			      paramHandle);
}

AN_EXPORT aclError aclrtKernelArgsGetPlaceHolderBuffer(aclrtArgsHandle argsHandle,
						       aclrtParamHandle paramHandle,
						       size_t dataSize,
						       void **bufferAddr)
{
	struct an_param *p;
	struct an_args *a;
	aclError ret;
	size_t off;

	if (!argsHandle || !paramHandle || !dataSize || !bufferAddr)
		return an_fail(ACL_ERROR_INVALID_PARAM, "%s",
			       !argsHandle ? "argsHandle is NULL" :
			       !paramHandle ? "paramHandle is NULL" :
			       !dataSize ? "dataSize is 0" :
			       "bufferAddr is NULL");
	a = an_args_get(__func__, argsHandle);
	if (!a)
		return ACL_ERROR_RT_INVALID_HANDLE;
	p = an_param_get(a, paramHandle);
	if (!p || !p->ph)
		return an_fail(ACL_ERROR_RT_PARAM_INVALID,
			       "paramHandle %p is not a placeholder of the list",
			       paramHandle);
	ret = an_args_reserve(__func__, a, dataSize, false, &off);
	if (ret)
		return ret;
	a->got_ph = true;
	p->data_off = off;
	memset(a->buf + off, 0, dataSize);
	*bufferAddr = a->buf + off;
	return ACL_SUCCESS;
}

AN_EXPORT aclError aclrtKernelArgsFinalize(aclrtArgsHandle argsHandle)
{
	struct an_args *a;

	if (!argsHandle)
		return an_fail(ACL_ERROR_INVALID_PARAM, "argsHandle is NULL");
	a = an_args_get(__func__, argsHandle);
	if (!a)
		return ACL_ERROR_RT_INVALID_HANDLE;
	a->finalized = true;
	return ACL_SUCCESS;
}

/* ---- launch -------------------------------------------------------------------- */

static aclError an_launch_run(struct an_call *call, struct an_cancel *cancel)
{
	struct an_launch *l = (struct an_launch *)call;
	uint32_t i;

	for (i = 0; i < l->blocks && !an_cancelled(cancel); i++)
		l->func->fn(i, l->blocks, l->buf);
	return i == l->blocks ? ACL_SUCCESS : ACL_ERROR_RT_STREAM_ABORT;
}

static void an_launch_release(struct an_call *call)
{
	struct an_launch *l = (struct an_launch *)call;

	an_obj_put(&l->func->obj);
	free(l);
}

/* Attributes are hints for a device's scheduler: checked, then unused. */
static aclError an_check_cfg(const aclrtLaunchKernelCfg *cfg)
{
	size_t i;

	if (!cfg)
		return ACL_SUCCESS;
	if (!cfg->attrs && cfg->numAttrs)
		return an_fail(ACL_ERROR_RT_PARAM_INVALID, "cfg->attrs is NULL");
	for (i = 0; i < cfg->numAttrs; i++)
		if (cfg->attrs[i].id < ACL_RT_LAUNCH_KERNEL_ATTR_SCHEM_MODE ||
		    cfg->attrs[i].id > ACL_RT_LAUNCH_KERNEL_ATTR_ENABLE_PROFILING)
			return an_fail(ACL_ERROR_RT_PARAM_INVALID,
				       "attribute %zu: id %d", i,
				       (int)cfg->attrs[i].id);
	return ACL_SUCCESS;
}

/* A launch of @a's function with a copy of its arguments. */
static struct an_launch *an_launch_new(const struct an_args *a,
				       uint32_t blocks)
{
	struct an_launch *l = malloc(sizeof(*l) + a->size);
	uint32_t i;

	if (!l)
		return NULL;
	l->call.run = an_launch_run;
	l->call.release = an_launch_release;
	l->call.func = "aclrtLaunchKernelWithConfig";
	an_obj_hold(&a->func->obj);
	l->func = a->func;
	l->blocks = blocks;
	memcpy(l->buf, a->buf, a->size);
	for (i = 0; i < a->nparam; i++) {
		const struct an_param *p = &a->para[i];
		uint64_t addr = p->data_off ?
			(uint64_t)(uintptr_t)(l->buf + p->data_off) : 0;

		if (p->ph)
			memcpy(l->buf + p->off, &addr, sizeof(addr));
	}
	return l;
}

AN_EXPORT aclError aclrtLaunchKernelWithConfig(aclrtFuncHandle funcHandle,
					       uint32_t numBlocks,
					       aclrtStream stream,
					       aclrtLaunchKernelCfg *cfg,
					       aclrtArgsHandle argsHandle,
					       void *reserve)
{
	struct an_func *f = NULL;
	struct an_launch *l;
	struct an_stream *s;
	struct an_args *a;
	aclError ret;

	if (!funcHandle || !numBlocks || !argsHandle || reserve)
		return an_fail(ACL_ERROR_INVALID_PARAM, "%s",
			       !funcHandle ? "funcHandle is NULL" :
			       !numBlocks ? "numBlocks is 0" :
			       !argsHandle ? "argsHandle is NULL" :
			       "reserve is not NULL");
	ret = an_rt_ready() ?: an_check_cfg(cfg);
	if (ret)
		return ret;
	f = an_func_lookup(__func__, funcHandle);
	if (!f)
		return ACL_ERROR_RT_INVALID_HANDLE;
	a = an_args_get(__func__, argsHandle);
	if (!a)
		ret = ACL_ERROR_RT_INVALID_HANDLE;
	else if (a->func != f)
		ret = an_fail(ACL_ERROR_RT_PARAM_INVALID,
			      "the arguments were built for kernel %s, not %s",
			      a->func->name, f->name);
	if (!ret)
		ret = an_stream_resolve(stream, &s);
	an_obj_put(&f->obj);
	if (ret)
		return ret;
	l = an_launch_new(a, numBlocks);
	ret = l ? an_stream_call(s, &l->call, NULL) :
		  an_fail(ACL_ERROR_RT_MEMORY_ALLOCATION, "out of memory");
	an_stream_put(s);
	return ret;
}
