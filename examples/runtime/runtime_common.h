/* SPDX-License-Identifier: MIT */
/*
 * What the single-process runtime examples share: a check that stops the
 * program with the failing call's error and the library's own message.
 */
#ifndef RUNTIME_COMMON_H
#define RUNTIME_COMMON_H

#include <stdio.h>
#include <stdlib.h>

#include "acl/acl.h"

#define CHECK(call) do {						\
		aclError ret_ = (call);					\
		if (ret_ != ACL_SUCCESS) {				\
			const char *msg_ = aclGetRecentErrMsg();	\
			printf("%s failed: %d (%s)\nFAILURE\n", #call,	\
			       ret_, msg_ ? msg_ : "no message");	\
			exit(1);					\
		}							\
	} while (0)

/* Stops the program when a value is not what the example expects. */
#define EXPECT(cond) do {						\
		if (!(cond)) {						\
			printf("expected %s\nFAILURE\n", #cond);	\
			exit(1);					\
		}							\
	} while (0)

#endif /* RUNTIME_COMMON_H */
