/*
 * Small helpers shared by the commands: fatal errors and the way sizes
 * and addresses are written for people.
 */
#ifndef VMAPVIEW_UTIL_H
#define VMAPVIEW_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

extern const char *progname;
extern void (*fatalhook)(void);

void	 fatal(const char *, ...)
	     __attribute__((format(printf, 1, 2), noreturn));
char	*fmtbytes(char *, size_t, uint64_t);
const char *findtrace(const char *, char *, size_t);

#endif
