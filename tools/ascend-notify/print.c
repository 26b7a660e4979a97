// SPDX-License-Identifier: GPL-2.0
/* The table, object, event-line and JSON printer of ascend-notify. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "print.h"

void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size);
	if (!p) {
		fputs("ascend-notify: out of memory\n", stderr);
		exit(1);
	}
	return p;
}

char *xstrdup(const char *s)
{
	return strcpy(xrealloc(NULL, strlen(s) + 1), s);
}

void buf_printf(struct an_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, n + 1, fmt, ap);
	va_end(ap);
	b->len += n;
}

void buf_free(struct an_buf *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}

void tab_row(struct an_table *t)
{
	t->rows = xrealloc(t->rows, (t->n + 1) * sizeof(*t->rows));
	memset(&t->rows[t->n++], 0, sizeof(struct an_row));
}

void tab_raw(struct an_table *t, const char *key, const char *head,
	     const char *text, const char *json)
{
	struct an_row *r = &t->rows[t->n - 1];

	r->cells = xrealloc(r->cells, (r->n + 1) * sizeof(*r->cells));
	r->cells[r->n++] = (struct an_cell){
		.key = key, .head = head,
		.text = xstrdup(text), .json = xstrdup(json),
	};
}

void tab_u64(struct an_table *t, const char *key, const char *head,
	     uint64_t v)
{
	char s[24];

	snprintf(s, sizeof(s), "%" PRIu64, v);
	tab_raw(t, key, head, s, s);
}

void tab_str(struct an_table *t, const char *key, const char *head,
	     const char *s)
{
	struct an_buf j = { 0 };
	const char *p;

	buf_printf(&j, "\"");
	for (p = s; *p; p++) {
		if (*p == '"' || *p == '\\')
			buf_printf(&j, "\\%c", *p);
		else if ((unsigned char)*p < 0x20)
			buf_printf(&j, "\\u%04x", *p);
		else
			buf_printf(&j, "%c", *p);
	}
	buf_printf(&j, "\"");
	tab_raw(t, key, head, s, j.s);
	buf_free(&j);
}

void tab_bool(struct an_table *t, const char *key, const char *head, bool v,
	      const char *yes, const char *no)
{
	tab_raw(t, key, head, v ? yes : no, v ? "true" : "false");
}

void tab_null(struct an_table *t, const char *key, const char *head)
{
	tab_raw(t, key, head, "-", "null");
}

static void row_json(const struct an_row *r)
{
	size_t i;

	putchar('{');
	for (i = 0; i < r->n; i++)
		printf("%s\"%s\":%s", i ? "," : "", r->cells[i].key,
		       r->cells[i].json);
	putchar('}');
}

/* Left-aligned in @width, two blanks apart; the last ends the line. */
static void print_cell(const char *s, size_t width, bool last)
{
	if (last)
		printf("%s\n", s);
	else
		printf("%-*s  ", (int)width, s);
}

void tab_print(const struct an_table *t, bool json)
{
	size_t i, c, ncol, *w;

	if (json) {
		printf("[");
		for (i = 0; i < t->n; i++) {
			printf(i ? ",\n" : "\n");
			row_json(&t->rows[i]);
		}
		printf(t->n ? "\n]\n" : "]\n");
		return;
	}
	if (!t->n)
		return;
	ncol = t->rows[0].n;
	w = xrealloc(NULL, ncol * sizeof(*w));
	for (c = 0; c < ncol; c++) {
		w[c] = strlen(t->rows[0].cells[c].head);
		for (i = 0; i < t->n; i++) {
			size_t len = strlen(t->rows[i].cells[c].text);

			if (len > w[c])
				w[c] = len;
		}
	}
	for (c = 0; c < ncol; c++)
		print_cell(t->rows[0].cells[c].head, w[c], c + 1 == ncol);
	for (i = 0; i < t->n; i++) {
		for (c = 0; c < ncol; c++)
			print_cell(t->rows[i].cells[c].text, w[c], c + 1 == ncol);
	}
	free(w);
}

void tab_print_object(const struct an_table *t, bool json)
{
	const struct an_row *r = &t->rows[0];
	size_t i, w = 0;

	if (json) {
		row_json(r);
		putchar('\n');
		return;
	}
	for (i = 0; i < r->n; i++) {
		if (strlen(r->cells[i].head) > w)
			w = strlen(r->cells[i].head);
	}
	for (i = 0; i < r->n; i++)
		printf("%-*s  %s\n", (int)w, r->cells[i].head, r->cells[i].text);
}

void tab_print_line(const struct an_table *t, bool json)
{
	const struct an_row *r = &t->rows[t->n - 1];
	size_t i;

	if (json) {
		row_json(r);
		putchar('\n');
		return;
	}
	for (i = 0; i < r->n; i++) {
		const struct an_cell *c = &r->cells[i];

		if (i < 2)
			printf(i ? " %-10s" : "%s", c->text);
		else if (strcmp(c->json, "null"))
			printf(" %s %s", c->head, c->text);
	}
	putchar('\n');
}

void tab_free(struct an_table *t)
{
	size_t i, c;

	for (i = 0; i < t->n; i++) {
		for (c = 0; c < t->rows[i].n; c++) {
			free(t->rows[i].cells[c].text);
			free(t->rows[i].cells[c].json);
		}
		free(t->rows[i].cells);
	}
	free(t->rows);
	memset(t, 0, sizeof(*t));
}
