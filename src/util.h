/*
 * Small helpers shared by the commands: the way sizes are written for
 * people, and the bundled traces by name.
 */
#ifndef VMAPVIEW_UTIL_H
#define VMAPVIEW_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "xmalloc.h"

/* Exit statuses. */
#define EXITOK		0
#define EXITFAIL	1	/* an expectation failed, an unexpected panic */
#define EXITUSAGE	2	/* bad usage, a bad trace, an output error */

char	*fmtbytes(char *, size_t, uint64_t);
int		 tracedirs(const char **, int, char *, size_t);
char		*tracedirs_said(char *, size_t);
const char *findtrace(const char *, char *, size_t);
const char *wrapnext(const char *, int, int *);
void	 fprintwrap(FILE *, const char *, const char *, int);
double	 monotime(void);
int	 threadspay(long, double);
int	 threadswanted(void);

#endif
