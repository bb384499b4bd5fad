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

#include <yaml.h>

#include "emit.h"
#include "text.h"
#include "xmalloc.h"

struct emitter {
	yaml_emitter_t	 y;
};

/* Emit ev if made is set (its initializer succeeded). */
static int
emit(struct emitter *em, int made, yaml_event_t *ev)
{
	if (!made)
		return -1;
	return yaml_emitter_emit(&em->y, ev) ? 0 : -1;
}

/* A new emitter, its lines never folded; nil when libyaml cannot. */
static struct emitter *
newemitter(void)
{
	struct emitter *em;

	em = xcalloc(1, sizeof *em);
	if (!yaml_emitter_initialize(&em->y)) {
		free(em);
		return NULL;
	}
	yaml_emitter_set_unicode(&em->y, 1);
	yaml_emitter_set_width(&em->y, -1);
	return em;
}

/* An emitter writing to f, or nil. */
struct emitter *
emit_open(FILE *f)
{
	struct emitter *em;

	if ((em = newemitter()) != NULL)
		yaml_emitter_set_output_file(&em->y, f);
	return em;
}

/*
 * An emitter writing into the len bytes at buf, what it wrote counted
 * in *written; it fails when they are too few.  Or nil.
 */
struct emitter *
emit_openbuf(char *buf, size_t len, size_t *written)
{
	struct emitter *em;

	if ((em = newemitter()) != NULL)
		yaml_emitter_set_output_string(&em->y, (unsigned char *)buf,
		    len, written);
	return em;
}

void
emit_close(struct emitter *em)
{
	if (em == NULL)
		return;
	yaml_emitter_delete(&em->y);
	free(em);
}

/* The stream's and the one document's start. */
int
emit_start(struct emitter *em)
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
emit_finish(struct emitter *em)
{
	yaml_event_t ev;

	if (emit(em, yaml_document_end_event_initialize(&ev, 1), &ev) < 0 ||
	    emit(em, yaml_stream_end_event_initialize(&ev), &ev) < 0)
		return -1;
	return yaml_emitter_flush(&em->y) ? 0 : -1;
}

/*
 * A scalar.  Text with a bad byte or a control character (other than a
 * newline or a tab) is written with U+FFFD in its place.
 */
int
emitstr(struct emitter *em, const char *s)
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
emitkv(struct emitter *em, const char *k, const char *v)
{
	return emitstr(em, k) < 0 || emitstr(em, v) < 0 ? -1 : 0;
}

int
emitnum(struct emitter *em, const char *k, unsigned long long v)
{
	char buf[24];

	snprintf(buf, sizeof buf, "%llu", v);
	return emitkv(em, k, buf);
}

int
emithex(struct emitter *em, const char *k, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof buf, "0x%.8llx", (unsigned long long)v);
	return emitkv(em, k, buf);
}

/* Start a mapping, in flow style ({a: 1}) when flow is set. */
int
emitmap(struct emitter *em, int flow)
{
	yaml_event_t ev;

	return emit(em, yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
	    flow ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE), &ev);
}

int
emitend(struct emitter *em)
{
	yaml_event_t ev;

	return emit(em, yaml_mapping_end_event_initialize(&ev), &ev);
}

/* Start a sequence, in flow style ([a, b]) when flow is set. */
int
emitseq(struct emitter *em, int flow)
{
	yaml_event_t ev;

	return emit(em, yaml_sequence_start_event_initialize(&ev, NULL, NULL,
	    1, flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE),
	    &ev);
}

int
emitseqend(struct emitter *em)
{
	yaml_event_t ev;

	return emit(em, yaml_sequence_end_event_initialize(&ev), &ev);
}

/*
 * A scalar in literal block style (|), for multi-line text; text that
 * is not held to text.c's rule goes through emitstr, which mends it.
 */
int
emitliteral(struct emitter *em, const char *k, const char *v)
{
	yaml_event_t ev;

	if (strchr(v, '\n') == NULL || !text_ok(v, 1))
		return emitkv(em, k, v);
	if (emitstr(em, k) < 0)
		return -1;
	return emit(em, yaml_scalar_event_initialize(&ev, NULL, NULL,
	    (yaml_char_t *)v, (int)strlen(v), 1, 1,
	    YAML_LITERAL_SCALAR_STYLE), &ev);
}
