/*
 * Untrusted text held to one rule: valid UTF-8, no control characters
 * (text.c).
 */
#ifndef VMAPVIEW_TEXT_H
#define VMAPVIEW_TEXT_H

#include <stddef.h>
#include <stdio.h>

size_t	 text_utf8len(const unsigned char *, size_t, unsigned long *);
int	 text_check(const char *, size_t, int, size_t *, const char **);
int	 text_ok(const char *, int);
char	*text_cleann(const char *, size_t, int);
char	*text_clean(const char *, int);
char	*text_visn(char *, size_t, const char *, size_t);
char	*text_vis(char *, size_t, const char *);
void	 text_mend(char *, size_t);
FILE	*text_guard(FILE *);

#endif
