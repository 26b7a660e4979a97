/* SPDX-License-Identifier: MIT */
/*
 * What the two example programs share: timestamps on every line, and the
 * two FIFOs through which they exchange B's bare TGID and the key.
 */
#ifndef NOTIFY_COMMON_H
#define NOTIFY_COMMON_H

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "acl/acl.h"

/* Prints "[seconds] who: message", one write per line. */
static inline void say(const char *who, const char *fmt, ...)
{
	struct timespec ts;
	char line[256];
	va_list ap;
	int n;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	n = snprintf(line, sizeof(line), "[%5ld.%03ld] %s: ",
		     (long)ts.tv_sec, ts.tv_nsec / 1000000, who);
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	if (write(STDOUT_FILENO, line, strlen(line)) < 0)
		exit(1);
}

#define CHECK(who, call) do {						\
		aclError ret_ = (call);					\
		if (ret_ != ACL_SUCCESS) {				\
			say(who, "%s failed: %d\n", #call, ret_);	\
			exit(1);					\
		}							\
	} while (0)

/* Opens DIR/NAME, a FIFO the launcher made. */
static inline int open_fifo(const char *dir, const char *name, int flags)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, flags | O_CLOEXEC);
	if (fd < 0) {
		perror(path);
		exit(1);
	}
	return fd;
}

static inline void xfer(int fd, void *buf, size_t len, int out)
{
	size_t done = 0;

	while (done < len) {
		ssize_t r = out ? write(fd, (char *)buf + done, len - done) :
				  read(fd, (char *)buf + done, len - done);
		if (r <= 0) {
			perror("fifo");
			exit(1);
		}
		done += r;
	}
}

#endif
