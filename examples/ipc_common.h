/* SPDX-License-Identifier: MIT */
/*
 * What the IPC-memory and IPC-event examples share on top of
 * notify_common.h: a check that ends the program with a FAILURE line, and
 * the closing SUCCESS line. Each program of a pair prints its own verdict;
 * the launcher (run_example) prints the pair's.
 */
#ifndef IPC_COMMON_H
#define IPC_COMMON_H

#include "notify_common.h"

#define TRY(who, call) do {						\
		aclError ret_ = (call);					\
		if (ret_ != ACL_SUCCESS) {				\
			say(who, "%s failed: %d\n", #call, ret_);	\
			say(who, "FAILURE\n");				\
			exit(1);					\
		}							\
	} while (0)

/* Ends the program: SUCCESS and status 0, or FAILURE and status 1. */
static inline int verdict(const char *who, int ok)
{
	say(who, "%s\n", ok ? "SUCCESS" : "FAILURE");
	return ok ? 0 : 1;
}

/* Is "--flag" among the arguments? */
static inline int has_arg(int argc, char **argv, const char *flag)
{
	int i;

	for (i = 2; i < argc; i++)
		if (!strcmp(argv[i], flag))
			return 1;
	return 0;
}

/* The value of "--name=N", or @def. */
static inline int int_arg(int argc, char **argv, const char *name, int def)
{
	size_t n = strlen(name);
	int i;

	for (i = 2; i < argc; i++)
		if (!strncmp(argv[i], name, n) && argv[i][n] == '=')
			return atoi(argv[i] + n + 1);
	return def;
}

#endif
