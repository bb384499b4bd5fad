/*
 * A small TAP producer for the C tests: each check prints one line
 * "ok N - what" or "not ok N - what" with the values that differed.
 */
#ifndef VMAPVIEW_TAP_H
#define VMAPVIEW_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

static __attribute__((unused)) void
tap_ok(int cond, const char *what)
{
	tap_n++;
	if (!cond)
		tap_failed++;
	printf("%sok %d - %s\n", cond ? "" : "not ", tap_n, what);
}

static __attribute__((unused)) void
tap_equ(unsigned long long got, unsigned long long want, const char *what)
{
	tap_ok(got == want, what);
	if (got != want)
		printf("# got %#llx, want %#llx\n", got, want);
}

static __attribute__((unused)) void
tap_eqs(const char *got, const char *want, const char *what)
{
	int eq;

	eq = got != NULL && strcmp(got, want) == 0;
	tap_ok(eq, what);
	if (!eq)
		printf("# got '%s', want '%s'\n", got ? got : "(nil)", want);
}

static __attribute__((unused)) int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed != 0;
}

#endif
