// SPDX-License-Identifier: MIT
/*
 * The one place where kernel errnos become aclError values, the
 * library's diagnostics (stderr, only when ASCEND_NOTIFY_LOG asks), and
 * what a thread can ask about its own recent failures: the last error
 * code (aclrtGetLastError, aclrtPeekAtLastError) and the text of the
 * error messages logged since it last asked (aclGetRecentErrMsg).
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
	static const struct {
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

/*
 * Per thread: the last error code, and the error lines (without their
 * prefix) logged since the last aclGetRecentErrMsg, newest last; the
 * oldest are dropped when they do not fit. The lines live on the heap,
 * allocated at a thread's first error and freed when it exits: the
 * library's thread-local storage stays a few words, small enough for the
 * static TLS block it is built for (lib/Makefile, -ftls-model).
 */
#define AN_RECENT_MAX	2048
struct an_recent {
	char text[AN_RECENT_MAX];
	size_t len;
	char given[AN_RECENT_MAX];	/* what the last call returned */
};

static _Thread_local aclError an_last_error;
static struct an_thread_key an_recent_key = { .free = free };

aclError an_note_error(aclError err)
{
	if (err)
		an_last_error = err;
	return err;
}

/* Appends "@func: @msg" to the thread's recent error messages. */
static void an_recent_add(const char *func, const char *msg)
{
	struct an_recent *r = an_thread_obj(&an_recent_key, sizeof(*r), true);
	char line[AN_RECENT_MAX];
	size_t len;
	int n;

	if (!r)
		return;
	n = snprintf(line, sizeof(line), "%s%s: %s", r->len ? "\n" : "",
		     func, msg);
	len = n < 0 ? 0 : (size_t)n >= sizeof(line) ? sizeof(line) - 1 :
		      (size_t)n;
	if (r->len + len >= AN_RECENT_MAX)
		r->len = 0;	/* the older lines go */
	if (!r->len && len && line[0] == '\n')
		memmove(line, line + 1, len--);
	memcpy(r->text + r->len, line, len + 1);
	r->len += len;
}

AN_EXPORT const char *aclGetRecentErrMsg(void)
{
	struct an_recent *r = an_thread_obj(&an_recent_key, sizeof(*r), false);

	if (!r || !r->len)
		return NULL;
	memcpy(r->given, r->text, r->len + 1);
	r->len = 0;
	return r->given;
}

/* CANN's header names one level, ACL_RT_THREAD_LEVEL, and accepts only it. */
static aclError an_last_error_level(const char *func, aclrtLastErrLevel level)
{
	if (level != ACL_RT_THREAD_LEVEL) {
		an_log(AN_LOG_ERROR, func, "level %d: only ACL_RT_THREAD_LEVEL",
		       (int)level);
		return an_note_error(ACL_ERROR_INVALID_PARAM);
	}
	return ACL_SUCCESS;
}

AN_EXPORT aclError aclrtPeekAtLastError(aclrtLastErrLevel level)
{
	return an_last_error_level(__func__, level) ?: an_last_error;
}

AN_EXPORT aclError aclrtGetLastError(aclrtLastErrLevel level)
{
	aclError ret = an_last_error_level(__func__, level);

	if (ret)
		return ret;
	ret = an_last_error;
	an_last_error = ACL_SUCCESS;
	return ret;
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
	if (level == AN_LOG_ERROR) {
		char msg[AN_RECENT_MAX / 4];

		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		an_recent_add(func, msg);
	}
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
