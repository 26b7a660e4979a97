/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ascend-notify timeline: record the ascend_notify tracepoints while a
 * command runs (timeline.c) and draw them as a Chrome/Perfetto trace and
 * as an SVG picture (timeline_out.c).
 */
#ifndef AN_TIMELINE_H
#define AN_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* One tracepoint hit, as the tracefs text output shows it. */
struct tl_ev {
	double ts;		/* microseconds, CLOCK_MONOTONIC */
	char name[24];		/* the event, without "ascend_notify:" */
	char comm[24];		/* the task's name, as tracefs saved it */
	int tgid, tid;		/* bare (initial PID namespace) */
	bool has_obj;		/* dev, id and kind are set */
	uint32_t dev, id;
	char kind[8];		/* notify, event, mem */
	char result[16];	/* wait_end and import: how it ended */
	uint64_t waited_ns, size, handles;
	int match;		/* wait_end: its wait_start; context_open:
				 * its context_close; -1 if none */
	int flow;		/* wait_end "recorded": the record that
				 * released it, or -1 */
};

struct tl_trace {
	struct tl_ev *ev;
	size_t n;
	uint64_t lost;		/* entries written but not in the buffer */
};

/* Pairs waits and finds the record that released each (timeline_out.c). */
void tl_link(struct tl_trace *t);
/* 0, or -errno of the write. */
int tl_write_json(const struct tl_trace *t, FILE *f);
int tl_write_svg(const struct tl_trace *t, FILE *f);

/* The "timeline" command: an exit status (CMD's, or 1/2 of its own). */
int cmd_timeline(int argc, char **argv);

#endif /* AN_TIMELINE_H */
