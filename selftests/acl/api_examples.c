// SPDX-License-Identifier: GPL-2.0
/*
 * The example pairs as tests: each runs through examples/run_example from
 * the build tree and must exit 0 with its SUCCESS line.
 */
#include <libgen.h>
#include <limits.h>

#include "acl_test.h"
#include "kselftest_harness.h"

/* Runs "run_example BIN NAME ARGS"; returns its status, *saw_success set. */
static int run_pair(const char *name, const char *args, bool *saw_success)
{
	char exe[PATH_MAX], cmd[PATH_MAX * 2 + 256], line[512], *dir;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	FILE *f;
	int st;

	*saw_success = false;
	if (n <= 0)
		return -1;
	exe[n] = '\0';
	dir = dirname(exe);	/* build/selftests/acl */
	snprintf(cmd, sizeof(cmd),
		 "%s/../../examples/run_example %s/../../examples %s %s 2>&1",
		 dir, dir, name, args);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		fputs(line, stderr);	/* diagnostics: stderr, not TAP */
		if (!strncmp(line, "SUCCESS: ", 9))
			*saw_success = true;
	}
	st = pclose(f);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

#define PAIR_TEST(test, name, args)					\
	TEST(test)							\
	{								\
		bool ok;						\
									\
		EXPECT_EQ(0, run_pair(name, args, &ok));		\
		EXPECT_TRUE(ok);					\
	}

PAIR_TEST(shared_buffer_with_trust, "shared_buffer", "")
PAIR_TEST(shared_buffer_without_pid_validation, "shared_buffer",
	  "--no-pid-check")
PAIR_TEST(ipc_mem_with_trust, "ipc_mem", "")
PAIR_TEST(ipc_mem_without_pid_validation, "ipc_mem", "--no-pid-check")
PAIR_TEST(ipc_event_same_device, "ipc_event", "")
PAIR_TEST(ipc_event_across_devices, "ipc_event", "--b-device=1")
/* VMM physical memory sharing */
PAIR_TEST(vmm_share_with_whitelist, "vmm_share", "")
PAIR_TEST(vmm_share_without_pid_validation, "vmm_share", "--no-pid-check")
PAIR_TEST(vmm_share_fabric_across_devices, "vmm_share",
	  "--fabric --b-device=1")

TEST_HARNESS_MAIN
