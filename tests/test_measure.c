/*
 * The measures are rows (measure.c): a row added at run time reaches
 * the text report and the dump's lines, the YAML report, compare's
 * summary and the view's measures, with its value read from the state;
 * every built-in row has a name the man page's MEASURES explains, and a
 * place in at least one output.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "measure.h"
#include "relay.h"
#include "replay.h"
#include "report.h"
#include "tap.h"

/* A measure made up for the test: the mapped pages plus 7. */
static double
g_test(const struct replay *rp, const Stats *s, size_t *at)
{
	(void)rp;
	*at = 3;
	return s->mapped + 7;
}

/* What f (a memstream) holds, NUL-ended; the caller frees it. */
static char *
taken(FILE *f, char **buf)
{
	fclose(f);
	return *buf;
}

static int
hasline(const char *text, const char *line)
{
	const char *p;
	size_t n;

	n = strlen(line);
	for (p = text; (p = strstr(p, line)) != NULL; p++)
		if ((p == text || p[-1] == '\n') &&
		    (p[n] == '\n' || p[n] == '\0'))
			return 1;
	return 0;
}

/*
 * compare's summary of t under the first two policies has the row, a
 * cell for each: its mapped pages plus 7, at 3.
 */
static void
comparerow(const struct trace *t, const struct replayopts *ro)
{
	const Policy *p[2];
	struct compare c;
	char want[2][64], *buf, *line, *end;
	size_t len, i;
	Stats s;
	FILE *f;
	int j;

	p[0] = policyat(0);
	p[1] = policyat(1);
	compare_init(&c, t, p, 2, ro, 1);
	for (i = 0; i < t->nev; i++)
		compare_feed(&c, &t->ev[i]);
	for (j = 0; j < 2; j++) {
		replay_measure(&c.rp[j], &s);
		snprintf(want[j], sizeof want[j], "  %u @3", s.mapped + 7);
	}
	f = open_memstream(&buf, &len);
	compare_text(f, &c);
	taken(f, &buf);
	line = strstr(buf, "\ntest measure ");
	end = line != NULL ? strchr(line + 1, '\n') : NULL;
	if (end != NULL)
		*end = '\0';
	tap_ok(line != NULL && strstr(line, want[0]) != NULL &&
	    strstr(strstr(line, want[0]) + 1, want[1]) != NULL,
	    "compare: a row of the summary, a cell for each policy");
	if (line != NULL)
		printf("# %s\n", line + 1);
	free(buf);
	compare_free(&c);
}

static void
test_added(const char *path)
{
	static const struct measure m = {
		.name = "test measure",
		.get = g_test,
		.text = { 1, ", ", "test %v", 0 },	/* the pages line */
		.view = { 9, "", "test %v at %a", 0 },	/* a line of its own */
		.ykey = "test-measure",
		.clabel = "test measure",
		.cwords = "%v @%a",
	};
	struct replayopts ro;
	struct replay rp;
	struct trace t;
	char err[512], want[160], vl[24][96], *buf, *line;
	size_t len;
	Stats s;
	FILE *f;
	int n, k, found;

	tap_equ(measure_add(&m), 0, "a row added");
	trace_init(&t);
	if (trace_load(&t, path, err, sizeof err) < 0) {
		tap_ok(0, err);
		return;
	}
	memset(&ro, 0, sizeof ro);
	ro.kernel = ro.pse = -1;
	ro.measure = 1;
	replay_init(&rp, &t, policyat(0), &ro);
	replay_run(&rp, t.nev);
	replay_measure(&rp, &s);
	tap_ok(s.mapped > 0, "the state has pages mapped");

	/* the report's pages line */
	f = open_memstream(&buf, &len);
	report_summary(f, &rp);
	taken(f, &buf);
	snprintf(want, sizeof want, ", test %u\n", s.mapped + 7);
	line = strstr(buf, "\npages     ");
	tap_ok(line != NULL && strstr(line, want) != NULL &&
	    strstr(line, want) < strchr(line + 1, '\n') + 1,
	    "text: on the report's pages line, with its value");
	free(buf);

	/* the dump's */
	f = open_memstream(&buf, &len);
	dump_text(f, &rp);
	taken(f, &buf);
	tap_ok(strstr(buf, want) != NULL, "dump: on its pages line");
	free(buf);

	/* YAML */
	f = open_memstream(&buf, &len);
	tap_equ(report_yamlrows(f, &rp, NULL, NULL), 0, "the YAML report");
	taken(f, &buf);
	snprintf(want, sizeof want, "  test-measure: %u", s.mapped + 7);
	tap_ok(hasline(buf, want), "YAML: a key of the summary, its value");
	free(buf);

	comparerow(&t, &ro);

	/* the view */
	n = measure_viewlines(vl, 24, &rp, &s);
	snprintf(want, sizeof want, "test %u at 3", s.mapped + 7);
	for (found = 0, k = 0; k < n; k++)
		found |= strcmp(vl[k], want) == 0;
	tap_ok(found, "view: a line of the measures");
	replay_free(&rp);
	trace_free(&t);
}

/* Every built-in row: a name the man page explains, and a place. */
static void
test_rows(const char *man)
{
	const struct measure *m;
	char *text, *sec, *end;
	long len;
	FILE *f;
	int i, bad, placed;

	text = NULL;
	if ((f = fopen(man, "r")) == NULL || fseek(f, 0, SEEK_END) < 0 ||
	    (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) < 0 ||
	    (text = calloc(1, len + 1)) == NULL ||
	    fread(text, 1, len, f) != (size_t)len) {
		tap_ok(0, "the man page read");
		if (f != NULL)
			fclose(f);
		free(text);
		return;
	}
	fclose(f);
	sec = strstr(text, "\n.SH MEASURES\n");
	end = sec != NULL ? strstr(sec + 1, "\n.SH ") : NULL;
	if (end != NULL)
		*end = '\0';
	for (bad = 0, i = 0; sec != NULL && i < measure_count(); i++) {
		m = measure_at(i);
		placed = m->text.line >= 0 || m->view.line >= 0 ||
		    m->ykey != NULL || m->clabel != NULL;
		if (strstr(sec, m->name) == NULL || !placed) {
			printf("# %s: %s\n", m->name, placed ?
			    "not in the man page's MEASURES" : "in no output");
			bad++;
		}
	}
	tap_ok(sec != NULL && bad == 0, "each measure explained and placed");
	free(text);
}

int
main(int argc, char **argv)
{
	const char *src;
	char path[1024], man[1024];

	(void)argc;
	(void)argv;
	src = getenv("top_srcdir") ? getenv("top_srcdir") : ".";
	snprintf(path, sizeof path, "%s/traces/devtest.yaml", src);
	snprintf(man, sizeof man, "%s/man/vmapview.1", src);
	test_rows(man);
	test_added(path);
	return tap_done();
}
