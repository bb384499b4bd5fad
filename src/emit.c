/*
 * Thin wrappers over libyaml's emitter events, so that the writers read
 * as the documents they write.  Scalars are plain where YAML allows and
 * quoted by libyaml where it must.  libyaml trusts its caller: a scalar
 * that is not valid UTF-8 makes it loop or free twice, so every string
 * is held to text.c's rule here, whoever made it, and every event's
 * making is checked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "text.h"

/* Emit ev if made is set (its initializer succeeded). */
static int
emit(yaml_emitter_t *em, int made, yaml_event_t *ev)
{
	if (!made)
		return -1;
	return yaml_emitter_emit(em, ev) ? 0 : -1;
}

/* Set up an emitter writing to f; lines are never folded. */
int
emit_init(yaml_emitter_t *em, FILE *f)
{
	if (!yaml_emitter_initialize(em))
		return -1;
	yaml_emitter_set_output_file(em, f);
	yaml_emitter_set_unicode(em, 1);
	yaml_emitter_set_width(em, -1);
	return 0;
}

/* The stream's and the one document's start. */
int
emit_start(yaml_emitter_t *em)
{
	yaml_event_t ev;

	if (emit(em, yaml_stream_start_event_initialize(&ev,
	    YAML_UTF8_ENCODING), &ev) < 0)
		return -1;
	return emit(em, yaml_document_start_event_initialize(&ev, NULL, NULL,
	    NULL, 1), &ev);
}

/* The document's and the stream's end, flushed. */
int
emit_finish(yaml_emitter_t *em)
{
	yaml_event_t ev;

	if (emit(em, yaml_document_end_event_initialize(&ev, 1), &ev) < 0 ||
	    emit(em, yaml_stream_end_event_initialize(&ev), &ev) < 0)
		return -1;
	return yaml_emitter_flush(em) ? 0 : -1;
}

/*
 * A scalar.  Text with a bad byte or a control character (other than a
 * newline or a tab) is written with U+FFFD in its place.
 */
int
emitstr(yaml_emitter_t *em, const char *s)
{
	yaml_event_t ev;
	char *clean;
	int rv;

	clean = NULL;
	if (!text_ok(s, 1))
		s = clean = text_clean(s, 1);
	rv = emit(em, yaml_scalar_event_initialize(&ev, NULL, NULL,
	    (yaml_char_t *)s, (int)strlen(s), 1, 1, YAML_ANY_SCALAR_STYLE),
	    &ev);
	free(clean);
	return rv;
}

int
emitkv(yaml_emitter_t *em, const char *k, const char *v)
{
	return emitstr(em, k) < 0 || emitstr(em, v) < 0 ? -1 : 0;
}

int
emitnum(yaml_emitter_t *em, const char *k, unsigned long long v)
{
	char buf[24];

	snprintf(buf, sizeof buf, "%llu", v);
	return emitkv(em, k, buf);
}

int
emithex(yaml_emitter_t *em, const char *k, uint32_t v)
{
	char buf[16];

	snprintf(buf, sizeof buf, "0x%.8x", v);
	return emitkv(em, k, buf);
}

/* Start a mapping, in flow style ({a: 1}) when flow is set. */
int
emitmap(yaml_emitter_t *em, int flow)
{
	yaml_event_t ev;

	return emit(em, yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
	    flow ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE), &ev);
}

int
emitend(yaml_emitter_t *em)
{
	yaml_event_t ev;

	return emit(em, yaml_mapping_end_event_initialize(&ev), &ev);
}

/* Start a sequence, in flow style ([a, b]) when flow is set. */
int
emitseq(yaml_emitter_t *em, int flow)
{
	yaml_event_t ev;

	return emit(em, yaml_sequence_start_event_initialize(&ev, NULL, NULL,
	    1, flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE),
	    &ev);
}

int
emitseqend(yaml_emitter_t *em)
{
	yaml_event_t ev;

	return emit(em, yaml_sequence_end_event_initialize(&ev), &ev);
}
