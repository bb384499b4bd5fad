/*
 * The plain program around a fuzz target (built with FUZZ_MAIN): each
 * file named is run through the target once, as TAP.  A file passes
 * when the target returns (a breach aborts); what the target says it
 * made of the file is shown.  'make check' runs it on the seeds and on
 * every input that once broke the target.
 */
#ifndef VMAPVIEW_FUZZMAIN_H
#define VMAPVIEW_FUZZMAIN_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* The bytes of the file at path, n of them; nil if it cannot be read. */
static __attribute__((unused)) char *
fuzzread(const char *path, size_t *n)
{
	FILE *f;
	char *buf;
	size_t cap;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	cap = 1 << 16;
	*n = 0;
	if ((buf = malloc(cap)) == NULL)
		abort();
	while ((*n += fread(buf + *n, 1, cap - *n, f)) == cap)
		if ((buf = realloc(buf, cap *= 2)) == NULL)
			abort();
	fclose(f);
	return buf;
}

/* Run fn over each file of argv, as TAP; what says what a pass did. */
static __attribute__((unused)) int
fuzzmain(int argc, char **argv, int (*fn)(const uint8_t *, size_t),
    const char *what)
{
	char *buf;
	size_t n;
	int i, rv;

	for (i = 1; i < argc; i++) {
		if ((buf = fuzzread(argv[i], &n)) == NULL) {
			printf("not ok %d - %s: cannot open\n", i, argv[i]);
			continue;
		}
		rv = fn((const uint8_t *)buf, n);
		free(buf);
		printf("ok %d - %s: %s (%d)\n", i, argv[i], what, rv);
	}
	printf("1..%d\n", argc - 1);
	return 0;
}

#endif
