/*
 * Output files that never destroy what is at their path: replaced
 * atomically when regular, written through when not (outfile.c).
 */
#ifndef VMAPVIEW_OUTFILE_H
#define VMAPVIEW_OUTFILE_H

#include <stddef.h>
#include <stdio.h>

int	 outfile_write(const char *, int (*)(FILE *, void *), void *, char *,
	     size_t);
int	 outfile_isinput(const char *, const char *);

#endif
