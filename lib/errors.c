// SPDX-License-Identifier: MIT
/*
 * The one place where kernel errnos become aclError values, and the
 * library's diagnostics (stderr, only when ASCEND_NOTIFY_LOG asks).
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

/*
 * errno -> aclError. Documentation/user-guide.rst lists this table; keep
 * the two in step. Anything not here is ACL_ERROR_RT_INTERNAL_ERROR.
 *
 * (A local table: CANN defines the acl_base.h codes as static const int,
 * which ISO C does not accept in a static initializer.)
 */
aclError an_errno_to_acl(int err)
{
	const struct {
		int err;
		aclError acl;
	} table[] = {
		{ EINVAL,	ACL_ERROR_RT_PARAM_INVALID },	    /* malformed argument */
		{ EFAULT,	ACL_ERROR_INVALID_PARAM },	    /* bad user pointer */
		{ ENODEV,	ACL_ERROR_RT_INVALID_DEVICEID },    /* no such device */
		{ ENOENT,	ACL_ERROR_RT_INVALID_HANDLE },	    /* no such handle */
		{ EIDRM,	ACL_ERROR_RT_INVALID_HANDLE },	    /* destroyed while waiting */
		{ ENOMEM,	ACL_ERROR_RT_MEMORY_ALLOCATION },
		{ ENOSPC,	ACL_ERROR_RT_NO_NOTIFY_RESOURCE },  /* per-device limit */
		{ EMFILE,	ACL_ERROR_RT_NO_NOTIFY_RESOURCE },  /* handle ids used up */
		{ EEXIST,	ACL_ERROR_RT_INTERNAL_ERROR },	    /* exported twice */
		{ EPERM,	ACL_ERROR_RT_NO_PERMISSION },	    /* not the exporter */
		{ EACCES,	ACL_ERROR_RT_NO_PERMISSION },	    /* not trusted */
		{ ENOKEY,	ACL_ERROR_RT_PARAM_INVALID },	    /* unknown key, not exported */
		{ ESRCH,	ACL_ERROR_RT_PARAM_INVALID },	    /* no such process */
		{ E2BIG,	ACL_ERROR_RT_PARAM_INVALID },	    /* list or batch too long */
		{ EXDEV,	ACL_ERROR_RT_PARAM_INVALID },	    /* wrong device, no peer access */
		{ EHOSTUNREACH,	ACL_ERROR_RT_PARAM_INVALID },	    /* topology does not connect */
		{ EOPNOTSUPP,	ACL_ERROR_RT_FEATURE_NOT_SUPPORT }, /* virtual instance */
		{ ETIMEDOUT,	ACL_ERROR_RT_TASK_TIMEOUT },	    /* notify wait expired */
	};
	size_t i;

	if (err < 0)
		err = -err;
	if (!err)
		return ACL_SUCCESS;
	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].err == err)
			return table[i].acl;
	return ACL_ERROR_RT_INTERNAL_ERROR;
}

static pthread_once_t an_log_once = PTHREAD_ONCE_INIT;
static enum an_log_level an_log_threshold;

static void an_log_init(void)
{
	static const char *const names[] = {
		[AN_LOG_ERROR] = "error", [AN_LOG_WARN] = "warn",
		[AN_LOG_INFO] = "info", [AN_LOG_DEBUG] = "debug",
	};
	const char *env = getenv("ASCEND_NOTIFY_LOG");
	int i;

	an_log_threshold = AN_LOG_NONE;
	if (!env)
		return;
	for (i = AN_LOG_ERROR; i <= AN_LOG_DEBUG; i++)
		if (!strcasecmp(env, names[i]))
			an_log_threshold = i;
}

/*
 * One line per message, written with a single write(2) so lines from
 * several threads never interleave:
 *   [ERROR] ASCENDCL(1234,5678) 2026-11-25 10:00:00.123 aclrtX: message
 */
void an_log(enum an_log_level level, const char *func, const char *fmt, ...)
{
	static const char *const tags[] = {
		[AN_LOG_ERROR] = "ERROR", [AN_LOG_WARN] = "WARNING",
		[AN_LOG_INFO] = "INFO", [AN_LOG_DEBUG] = "DEBUG",
	};
	char line[512];
	struct timespec ts;
	struct tm tm;
	va_list ap;
	int n;

	pthread_once(&an_log_once, an_log_init);
	if (level == AN_LOG_NONE || level > an_log_threshold)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	n = snprintf(line, sizeof(line),
		     "[%s] ASCENDCL(%d,%ld) %04d-%02d-%02d %02d:%02d:%02d.%03ld %s: ",
		     tags[level], getpid(), (long)syscall(SYS_gettid),
		     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		     tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000, func);
	va_start(ap, fmt);
	if (n > 0 && n < (int)sizeof(line))
		n += vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(line) - 1)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	if (write(STDERR_FILENO, line, n) < 0)
		return;
}
