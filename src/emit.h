/*
 * Small helpers over libyaml's emitter, shared by every YAML writer:
 * reports, comparisons and traces.  Each returns 0, or -1 when the
 * emitter fails (out of memory or a write error).
 */
#ifndef VMAPVIEW_EMIT_H
#define VMAPVIEW_EMIT_H

#include <stdint.h>
#include <stdio.h>

#include <yaml.h>

struct replay;
struct event;
struct result;

int	emit_init(yaml_emitter_t *, FILE *);
int	emit_start(yaml_emitter_t *);
int	emit_finish(yaml_emitter_t *);
int	emitstr(yaml_emitter_t *, const char *);
int	emitkv(yaml_emitter_t *, const char *, const char *);
int	emitnum(yaml_emitter_t *, const char *, unsigned long long);
int	emithex(yaml_emitter_t *, const char *, uint32_t);
int	emitmap(yaml_emitter_t *, int);
int	emitend(yaml_emitter_t *);
int	emitseq(yaml_emitter_t *, int);
int	emitseqend(yaml_emitter_t *);

/* A vmaptrace document written an event at a time (tracewrite.c). */
struct trace;
struct tracewriter {
	yaml_emitter_t	 em;
	int		 bad;		/* -1: never began; 1: failed since */
};

int	trace_writeopen(struct tracewriter *, FILE *, const struct trace *);
int	trace_writeevent(struct tracewriter *, const struct event *);
int	trace_writeclose(struct tracewriter *);

int	report_yamlsummary(yaml_emitter_t *, const struct replay *);
int	report_emitreason(yaml_emitter_t *, const struct replay *,
	    const struct event *, const struct result *, size_t);

#endif
