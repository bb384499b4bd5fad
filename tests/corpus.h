/*
 * The bundled traces for the C tests: every traces/NAME.yaml of the source
 * tree, in name order, each loaded in turn, so that a trace added there
 * is tested without a word here.  A trace that does not load is a
 * failed test.  Include after tap.h.
 */
#ifndef VMAPVIEW_TESTS_CORPUS_H
#define VMAPVIEW_TESTS_CORPUS_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"

struct corpus {
	char	**names;	/* without .yaml */
	size_t	  n;
	size_t	  i;
	char	  path[1024];	/* the one loaded last */
};

static int
corpus_byname(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The traces under top_srcdir's traces/; fails the test when none. */
static void
corpus_open(struct corpus *c)
{
	const char *top;
	struct dirent *d;
	char dir[1024];
	size_t len;
	DIR *dp;

	memset(c, 0, sizeof *c);
	top = getenv("top_srcdir");
	snprintf(dir, sizeof dir, "%s/traces", top ? top : ".");
	if ((dp = opendir(dir)) != NULL) {
		while ((d = readdir(dp)) != NULL) {
			len = strlen(d->d_name);
			if (len <= 5 || strcmp(d->d_name + len - 5, ".yaml") != 0)
				continue;
			c->names = realloc(c->names, (c->n + 1) * sizeof *c->names);
			c->names[c->n] = strdup(d->d_name);
			c->names[c->n++][len - 5] = '\0';
		}
		closedir(dp);
	}
	qsort(c->names, c->n, sizeof *c->names, corpus_byname);
	tap_ok(c->n >= 8, "the bundled traces are there");
}

/*
 * The next bundled trace into t, its name in *name; 0 after the last.
 * One that does not load is a failed test, and passed over.
 */
static int
corpus_next(struct corpus *c, struct trace *t, const char **name)
{
	const char *top;
	char err[512];

	top = getenv("top_srcdir");
	while (c->i < c->n) {
		*name = c->names[c->i++];
		snprintf(c->path, sizeof c->path, "%s/traces/%s.yaml",
		    top ? top : ".", *name);
		if (trace_load(t, c->path, err, sizeof err) == 0)
			return 1;
		tap_ok(0, err);
	}
	return 0;
}

static void
corpus_close(struct corpus *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->names[i]);
	free(c->names);
	memset(c, 0, sizeof *c);
}

#endif
