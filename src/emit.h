/*
 * Small helpers over libyaml's emitter, shared by every YAML writer:
 * reports, comparisons and traces.  The emitter is emit.c's alone, so
 * that libyaml stays behind the reader and the writers.  Each returns
 * 0, or -1 when the emitter fails (out of memory or a write error).
 */
#ifndef VMAPVIEW_EMIT_H
#define VMAPVIEW_EMIT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct emitter;
struct event;

struct emitter *emit_open(FILE *);
struct emitter *emit_openbuf(char *, size_t, size_t *);
void	emit_close(struct emitter *);
int	emit_start(struct emitter *);
int	emit_finish(struct emitter *);
int	emitstr(struct emitter *, const char *);
int	emitkv(struct emitter *, const char *, const char *);
int	emitnum(struct emitter *, const char *, unsigned long long);
int	emithex(struct emitter *, const char *, uint64_t);
int	emitmap(struct emitter *, int);
int	emitend(struct emitter *);
int	emitseq(struct emitter *, int);
int	emitseqend(struct emitter *);
int	emitliteral(struct emitter *, const char *, const char *);

/* A vmaptrace document written an event at a time (tracewrite.c). */
struct trace;
struct tracewriter {
	struct emitter	*em;
	int		 bad;		/* -1: never began; 1: failed since */
};

int	trace_writeopen(struct tracewriter *, FILE *, const struct trace *);
int	trace_writeevent(struct tracewriter *, const struct event *);
int	trace_writeclose(struct tracewriter *);

#endif
