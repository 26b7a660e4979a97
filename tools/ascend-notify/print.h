/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small table printer. A command adds rows of cells; each cell has a
 * JSON key, a column heading and its value rendered both ways. The table
 * then prints as aligned columns, as "heading value" lines (one object),
 * as one event line, or as JSON.
 */
#ifndef AN_PRINT_H
#define AN_PRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct an_cell {
	const char *key;	/* JSON key */
	const char *head;	/* column heading */
	char *text;		/* as printed in a table */
	char *json;		/* as a JSON value */
};

struct an_row {
	struct an_cell *cells;
	size_t n;
};

struct an_table {
	struct an_row *rows;
	size_t n;
};

/* Starts a new row; the cells below go into it. */
void tab_row(struct an_table *t);
void tab_u64(struct an_table *t, const char *key, const char *head,
	     uint64_t v);
/* A string: quoted in JSON. */
void tab_str(struct an_table *t, const char *key, const char *head,
	     const char *s);
void tab_bool(struct an_table *t, const char *key, const char *head, bool v,
	      const char *yes, const char *no);
/* No value: "-" in a table, null in JSON. */
void tab_null(struct an_table *t, const char *key, const char *head);
/* Any JSON value (array, object) and its table rendering. */
void tab_raw(struct an_table *t, const char *key, const char *head,
	     const char *text, const char *json);

/* Columns under their headings, or a JSON array of objects. */
void tab_print(const struct an_table *t, bool json);
/* The first row as "heading value" lines, or one JSON object. */
void tab_print_object(const struct an_table *t, bool json);
/*
 * The last row on one line: its first two cells as they are, the others
 * as "heading value" pairs (nulls left out); or one JSON object.
 */
void tab_print_line(const struct an_table *t, bool json);
void tab_free(struct an_table *t);

/* Growing strings for list cells. */
struct an_buf {
	char *s;
	size_t len, cap;
};

void buf_printf(struct an_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_free(struct an_buf *b);

/* malloc/realloc/strdup that exit on failure. */
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);

#endif /* AN_PRINT_H */
