// SPDX-License-Identifier: GPL-2.0
/*
 * The outputs of ascend-notify timeline: a Chrome/Perfetto trace (the JSON
 * "traceEvents" format) and an SVG picture of the same events.
 *
 * Both show one lane per process and, in it, one track per thread: a
 * wait is a slice from its start to its end, named after the object and
 * how it ended; a context's life (open to close) is a slice too; records,
 * resets, exports, imports and the other changes are instants. Every wait
 * that ended "recorded" gets an arrow from the record that released it:
 * the last record of the same object at or before the wait's end. A wait
 * that resets the bit (aclrtWaitAndResetNotify) consumes that record, and
 * a later wait can only be released by a later record, so the last one is
 * the right one.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "print.h"
#include "timeline.h"

static bool is(const struct tl_ev *e, const char *name)
{
	return !strcmp(e->name, name);
}

static bool same_obj(const struct tl_ev *a, const struct tl_ev *b)
{
	return a->has_obj && b->has_obj && a->dev == b->dev &&
	       a->id == b->id && !strcmp(a->kind, b->kind);
}

void tl_link(struct tl_trace *t)
{
	size_t i, j;

	for (i = 0; i < t->n; i++) {
		struct tl_ev *e = &t->ev[i];

		if (is(e, "notify_wait_end")) {
			/* The thread's own start of a wait on that object. */
			for (j = i; j-- > 0;) {
				struct tl_ev *s = &t->ev[j];

				if (is(s, "notify_wait_start") &&
				    s->tid == e->tid && same_obj(s, e) &&
				    s->match < 0) {
					s->match = i;
					e->match = j;
					break;
				}
			}
			if (strcmp(e->result, "recorded"))
				continue;
			for (j = i; j-- > 0;) {
				if (is(&t->ev[j], "notify_record") &&
				    same_obj(&t->ev[j], e)) {
					e->flow = j;
					break;
				}
			}
		} else if (is(e, "context_close")) {
			/* The oldest open context of the same process. */
			for (j = 0; j < i; j++) {
				struct tl_ev *o = &t->ev[j];

				if (is(o, "context_open") && o->tgid == e->tgid &&
				    o->match < 0) {
					o->match = i;
					break;
				}
			}
		}
	}
}

/* ---- Chrome/Perfetto JSON ---------------------------------------------- */

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

/* "notify 0:3" or "mem 1": how the object is named everywhere. */
static void obj_name(const struct tl_ev *e, char *buf, size_t len)
{
	if (!e->has_obj)
		snprintf(buf, len, "context");
	else if (!strcmp(e->kind, "mem"))
		snprintf(buf, len, "mem %u", e->dev);
	else
		snprintf(buf, len, "%s %u:%u", e->kind, e->dev, e->id);
}

/* What an instant is called: its event without the object's prefix. */
static const char *verb(const struct tl_ev *e)
{
	const char *u = strchr(e->name, '_');

	if (!strncmp(e->name, "trust_", 6))
		return "trust";
	return u ? u + 1 : e->name;
}

static void json_head(FILE *f, bool *first, const char *ph, const char *name,
		      const char *cat, int pid, int tid, double ts)
{
	fprintf(f, "%s\n{\"ph\":\"%s\",\"name\":", *first ? "" : ",", ph);
	*first = false;
	json_str(f, name);
	fprintf(f, ",\"cat\":\"%s\",\"pid\":%d,\"tid\":%d,\"ts\":%.3f", cat,
		pid, tid, ts);
}

static void json_args(FILE *f, const struct tl_ev *e)
{
	fprintf(f, ",\"args\":{\"event\":\"%s\"", e->name);
	if (e->has_obj)
		fprintf(f, ",\"dev\":%u,\"id\":%u,\"kind\":\"%s\"", e->dev,
			e->id, e->kind);
	if (e->result[0])
		fprintf(f, ",\"result\":\"%s\"", e->result);
	if (e->size)
		fprintf(f, ",\"size\":%" PRIu64, e->size);
	if (is(e, "notify_wait_end"))
		fprintf(f, ",\"waited_ns\":%" PRIu64, e->waited_ns);
	fputs("}}", f);
}

/* Whether @v is in @set (of *@n), adding it if not. */
static bool seen(int **set, size_t *n, int v)
{
	size_t i;

	for (i = 0; i < *n; i++) {
		if ((*set)[i] == v)
			return true;
	}
	*set = xrealloc(*set, (*n + 1) * sizeof(**set));
	(*set)[(*n)++] = v;
	return false;
}

static void json_name(FILE *f, bool *first, const char *what, int pid,
		      int tid, const char *name)
{
	json_head(f, first, "M", what, "__metadata", pid, tid, 0);
	fputs(",\"args\":{\"name\":", f);
	json_str(f, name);
	fputs("}}", f);
}

/* Process and thread names, once each, from the first event of each. */
static void json_names(FILE *f, const struct tl_trace *t, bool *first)
{
	int *pids = NULL, *tids = NULL;
	size_t i, npids = 0, ntids = 0;
	char name[64];

	for (i = 0; i < t->n; i++) {
		const struct tl_ev *e = &t->ev[i];

		if (!seen(&pids, &npids, e->tgid)) {
			snprintf(name, sizeof(name), "%s (%d)", e->comm, e->tgid);
			json_name(f, first, "process_name", e->tgid, e->tgid,
				  name);
		}
		if (!seen(&tids, &ntids, e->tid)) {
			snprintf(name, sizeof(name), "%s %d", e->comm, e->tid);
			json_name(f, first, "thread_name", e->tgid, e->tid, name);
		}
	}
	free(pids);
	free(tids);
}

int tl_write_json(const struct tl_trace *t, FILE *f)
{
	bool first = true;
	char obj[48], name[96];
	size_t i, flows = 0;

	fputs("{\"displayTimeUnit\":\"ms\",\"traceEvents\":[", f);
	json_names(f, t, &first);
	for (i = 0; i < t->n; i++) {
		const struct tl_ev *e = &t->ev[i], *s, *r;
		double start, dur;

		obj_name(e, obj, sizeof(obj));
		if (is(e, "notify_wait_start") && e->match >= 0)
			continue;	/* drawn by its end */
		if (is(e, "context_close") ||
		    (is(e, "context_open") && e->match < 0))
			continue;	/* only the whole life is drawn */
		if (is(e, "notify_wait_end") || is(e, "context_open")) {
			/* A slice, at least 1 us long so that it can bind. */
			s = is(e, "context_open") ? e : e->match >= 0 ?
			    &t->ev[e->match] : NULL;
			r = is(e, "context_open") ? &t->ev[e->match] : e;
			start = s ? s->ts : e->ts - e->waited_ns / 1e3;
			dur = fmax(r->ts - start, 1);
			if (is(e, "context_open"))
				snprintf(name, sizeof(name), "context");
			else
				snprintf(name, sizeof(name), "wait %s %s", obj,
					 e->result);
			json_head(f, &first, "X", name,
				  is(e, "context_open") ? "context" : "wait",
				  e->tgid, e->tid, start);
			fprintf(f, ",\"dur\":%.3f", dur);
			json_args(f, e);
			if (e->flow < 0)
				continue;
			/* The arrow: from a 1 us slice at the record ... */
			r = &t->ev[e->flow];
			json_head(f, &first, "X", "release", "flow", r->tgid,
				  r->tid, r->ts);
			fputs(",\"dur\":1}", f);
			json_head(f, &first, "s", "release", "flow", r->tgid,
				  r->tid, r->ts + 0.5);
			fprintf(f, ",\"id\":%zu}", ++flows);
			/* ... into the wait, just before its end. */
			json_head(f, &first, "f", "release", "flow", e->tgid,
				  e->tid, start + dur - fmin(0.5, dur / 2));
			fprintf(f, ",\"bp\":\"e\",\"id\":%zu}", flows);
			continue;
		}
		snprintf(name, sizeof(name), "%s %s", verb(e), obj);
		json_head(f, &first, "i", name, verb(e), e->tgid, e->tid,
			  e->ts);
		fputs(",\"s\":\"t\"", f);
		json_args(f, e);
	}
	fputs("\n]}\n", f);
	return ferror(f) ? -EIO : 0;
}

/* ---- SVG ----------------------------------------------------------------- */

#define SVG_W		1200
#define SVG_LABEL	190	/* left column: process and thread names */
#define SVG_RIGHT	20
#define SVG_TOP		50	/* title and time axis */
#define SVG_ROW		22	/* one thread */
#define SVG_GAP		14	/* between processes */

/* Where each process and thread is drawn. */
struct svg_layout {
	int *tgid, *tid, *row;	/* per thread: its process and its row */
	size_t nthreads;
	int *lane_top, *lane_pid;
	size_t nlanes;
	double t0, t1;
	int height;
};

static int thread_row(const struct svg_layout *l, int tid)
{
	size_t i;

	for (i = 0; i < l->nthreads; i++) {
		if (l->tid[i] == tid)
			return l->row[i];
	}
	return 0;
}

static double x_of(const struct svg_layout *l, double ts)
{
	double span = l->t1 > l->t0 ? l->t1 - l->t0 : 1;

	return SVG_LABEL + (ts - l->t0) / span * (SVG_W - SVG_LABEL - SVG_RIGHT);
}

static void xml_str(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else if (*s == '&')
			fputs("&amp;", f);
		else if (*s == '"')
			fputs("&quot;", f);
		else if ((unsigned char)*s >= 0x20)
			fputc(*s, f);
	}
}

/* Lanes in order of first appearance; threads in each in the same order. */
static void layout(const struct tl_trace *t, struct svg_layout *l)
{
	size_t i, j, k;
	int y = SVG_TOP;

	memset(l, 0, sizeof(*l));
	l->tgid = xrealloc(NULL, (t->n + 1) * sizeof(int));
	l->tid = xrealloc(NULL, (t->n + 1) * sizeof(int));
	l->row = xrealloc(NULL, (t->n + 1) * sizeof(int));
	l->lane_top = xrealloc(NULL, (t->n + 1) * sizeof(int));
	l->lane_pid = xrealloc(NULL, (t->n + 1) * sizeof(int));
	for (i = 0; i < t->n; i++) {
		for (j = 0; j < l->nthreads && l->tid[j] != t->ev[i].tid; j++)
			;
		if (j == l->nthreads) {
			l->tid[j] = t->ev[i].tid;
			l->tgid[j] = t->ev[i].tgid;
			l->nthreads++;
		}
		for (j = 0; j < l->nlanes && l->lane_pid[j] != t->ev[i].tgid; j++)
			;
		if (j == l->nlanes)
			l->lane_pid[l->nlanes++] = t->ev[i].tgid;
	}
	for (j = 0; j < l->nlanes; j++) {
		l->lane_top[j] = y;
		y += 18;	/* the process's name */
		for (k = 0; k < l->nthreads; k++) {
			if (l->tgid[k] != l->lane_pid[j])
				continue;
			l->row[k] = y;
			y += SVG_ROW;
		}
		y += SVG_GAP;
	}
	l->height = y + 40;	/* the legend */
	l->t0 = t->n ? t->ev[0].ts : 0;
	l->t1 = t->n ? t->ev[t->n - 1].ts : 1;
}

static void layout_free(struct svg_layout *l)
{
	free(l->tgid);
	free(l->tid);
	free(l->row);
	free(l->lane_top);
	free(l->lane_pid);
}

/* A tick every 1, 2 or 5 x 10^k ms, at most ten of them. */
static void svg_axis(FILE *f, const struct svg_layout *l)
{
	double span = (l->t1 - l->t0) / 1e3, step = 1e-3, x, ms;
	static const double mult[] = { 1, 2, 5 };
	int i = 0;

	while (span / (step * mult[i % 3]) > 10)
		if (++i % 3 == 0)
			step *= 10;
	step *= mult[i % 3];
	for (ms = 0; ms <= span + step / 2; ms += step) {
		x = x_of(l, l->t0 + ms * 1e3);
		fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>\n",
			x, SVG_TOP - 8, x, l->height - 40);
		fprintf(f, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%g ms</text>\n",
			x, SVG_TOP - 12, ms);
	}
}

static void svg_lanes(FILE *f, const struct tl_trace *t,
		      const struct svg_layout *l)
{
	size_t i, j, k;

	for (j = 0; j < l->nlanes; j++) {
		const char *comm = "";

		for (i = 0; i < t->n && !*comm; i++) {
			if (t->ev[i].tgid == l->lane_pid[j])
				comm = t->ev[i].comm;
		}
		fprintf(f, "<rect x=\"0\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>\n",
			l->lane_top[j] - 2, SVG_W,
			(j + 1 < l->nlanes ? l->lane_top[j + 1] :
			 l->height - 40) - l->lane_top[j] - SVG_GAP + 4,
			j % 2 ? "#f4f4f8" : "#eef4ee");
		fprintf(f, "<text x=\"6\" y=\"%d\" font-size=\"12\" font-weight=\"bold\">process ",
			l->lane_top[j] + 12);
		xml_str(f, comm);
		fprintf(f, " (%d)</text>\n", l->lane_pid[j]);
		for (k = 0; k < l->nthreads; k++) {
			if (l->tgid[k] == l->lane_pid[j])
				fprintf(f, "<text x=\"16\" y=\"%d\" font-size=\"10\" fill=\"#555\">thread %d</text>\n",
					l->row[k] + 14, l->tid[k]);
		}
	}
}

static const char *result_color(const char *result)
{
	if (!strcmp(result, "recorded"))
		return "#4caf50";
	if (!strcmp(result, "timeout"))
		return "#ff9800";
	return "#e53935";
}

/* The colour of an instant's tick, by event. */
static const char *instant_color(const struct tl_ev *e)
{
	static const char *const colors[][2] = {
		{ "notify_record", "#1565c0" }, { "notify_reset", "#8e24aa" },
		{ "obj_export", "#00897b" }, { "obj_import", "#6d4c41" },
		{ "obj_create", "#9e9e9e" }, { "obj_destroy", "#424242" },
	};
	size_t i;

	for (i = 0; i < sizeof(colors) / sizeof(colors[0]); i++) {
		if (is(e, colors[i][0]))
			return colors[i][1];
	}
	return "#bdbdbd";
}

static void svg_events(FILE *f, const struct tl_trace *t,
		       const struct svg_layout *l)
{
	char obj[48];
	size_t i;

	for (i = 0; i < t->n; i++) {
		const struct tl_ev *e = &t->ev[i], *r;
		int y = thread_row(l, e->tid);
		double x = x_of(l, e->ts), x0;

		obj_name(e, obj, sizeof(obj));
		if (is(e, "notify_wait_end")) {
			x0 = e->match >= 0 ? x_of(l, t->ev[e->match].ts) :
			     x_of(l, e->ts - e->waited_ns / 1e3);
			fprintf(f, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"12\" rx=\"2\" fill=\"%s\"><title>wait %s: %s after %.3f ms</title></rect>\n",
				x0, y + 4, fmax(x - x0, 1.5),
				result_color(e->result), obj, e->result,
				e->waited_ns / 1e6);
			if (e->flow < 0)
				continue;
			r = &t->ev[e->flow];
			fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#1565c0\" stroke-width=\"1.2\" marker-end=\"url(#arrow)\"><title>record of %s released this wait</title></line>\n",
				x_of(l, r->ts), thread_row(l, r->tid) + 10, x,
				y + 10, obj);
		} else if (!is(e, "notify_wait_start") &&
			   strncmp(e->name, "context_", 8)) {
			fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"><title>%s %s</title></line>\n",
				x, y + 2, x, y + 18, instant_color(e), verb(e),
				obj);
		}
	}
}

static void svg_legend(FILE *f, const struct svg_layout *l)
{
	static const char *const items[][2] = {
		{ "#4caf50", "wait, recorded" }, { "#ff9800", "wait, timed out" },
		{ "#e53935", "wait, other end" }, { "#1565c0", "record (arrow: to the wait it released)" },
		{ "#8e24aa", "reset" }, { "#00897b", "export" },
		{ "#6d4c41", "import" }, { "#9e9e9e", "create, destroy, other" },
	};
	int x = 10, y = l->height - 22;
	size_t i;

	for (i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"%d\" font-size=\"10\">%s</text>\n",
			x, y, items[i][0], x + 14, y + 9, items[i][1]);
		x += 22 + 6 * (int)strlen(items[i][1]);
	}
}

int tl_write_svg(const struct tl_trace *t, FILE *f)
{
	struct svg_layout l;

	layout(t, &l);
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\">\n"
		"<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#1565c0\"/></marker></defs>\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
		"<text x=\"6\" y=\"16\" font-size=\"13\" font-weight=\"bold\">ascend-notify timeline: %zu events over %.3f ms</text>\n",
		SVG_W, l.height, SVG_W, l.height, t->n, (l.t1 - l.t0) / 1e3);
	svg_lanes(f, t, &l);
	svg_axis(f, &l);
	svg_events(f, t, &l);
	svg_legend(f, &l);
	fputs("</svg>\n", f);
	layout_free(&l);
	return ferror(f) ? -EIO : 0;
}
