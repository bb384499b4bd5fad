/*
 * Plan 9's print verbs, for what a kernel file prints (p9fmt.c).
 */
#ifndef VMAPVIEW_P9FMT_H
#define VMAPVIEW_P9FMT_H

#include <stdarg.h>
#include <stddef.h>

void	p9fmt(char *, size_t, const char *, va_list);
void	p9said(char *);

#endif
