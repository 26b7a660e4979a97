// SPDX-License-Identifier: GPL-2.0
/*
 * Preloaded into every process of a coverage run (scripts/coverage-guest):
 * _exit() and _Exit() first run the destructors of the coverage build of
 * libascendcl, one of which writes its gcov counters.
 *
 * Without it most counters were lost: the kselftest harness runs each test
 * in a forked child that ends with _exit(), and so do the tests' own
 * children, so only the processes that returned from main() or called
 * exit() (the python suite, the examples) wrote any. The library has no
 * destructors of its own: what runs is gcov's and the compiler's.
 */
#define _GNU_SOURCE
#include <link.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

typedef void (*fini_fn)(void);

static int run_fini(struct dl_phdr_info *info, size_t size, void *data)
{
	const ElfW(Dyn) *d = NULL;
	uintptr_t arr = 0;
	size_t n = 0;
	int i;

	(void)size;
	(void)data;
	if (!strstr(info->dlpi_name, "/libascendcl.so"))
		return 0;
	for (i = 0; i < info->dlpi_phnum; i++)
		if (info->dlpi_phdr[i].p_type == PT_DYNAMIC)
			d = (const ElfW(Dyn) *)(info->dlpi_addr +
						info->dlpi_phdr[i].p_vaddr);
	for (; d && d->d_tag != DT_NULL; d++) {
		if (d->d_tag == DT_FINI_ARRAY)
			arr = info->dlpi_addr + d->d_un.d_ptr;
		else if (d->d_tag == DT_FINI_ARRAYSZ)
			n = d->d_un.d_val / sizeof(fini_fn);
	}
	/* In reverse, as the dynamic loader runs them. */
	while (arr && n--)
		((fini_fn *)arr)[n]();
	return 1;
}

static void flush(void)
{
	static int done;

	if (!__atomic_exchange_n(&done, 1, __ATOMIC_SEQ_CST))
		dl_iterate_phdr(run_fini, NULL);
}

void _exit(int status)
{
	flush();
	syscall(SYS_exit_group, status);
	__builtin_unreachable();
}

void _Exit(int status)
{
	_exit(status);
}
