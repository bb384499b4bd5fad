/*
 * Memory that is never nil, and the exit for impossible states: every
 * layer calls these instead of passing "out of memory" upwards (ncdu's
 * and tmux's way).
 */
#ifndef VMAPVIEW_XMALLOC_H
#define VMAPVIEW_XMALLOC_H

#include <stddef.h>

extern const char *progname;
extern void (*fatalhook)(void);

void	 fatal(const char *, ...)
	     __attribute__((format(printf, 1, 2), noreturn));
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
void	 xgrow(void *, size_t *, size_t, size_t);
int	 xpage_share(void);
int	 xpage_shared(const void *);
long	 xpage_no(const void *);
long	 xpage_count(void);
void	*xpage(int);
void	*xpage_run(size_t);
void	 xpage_free(void *);

#endif
