/*
 * Writing what a replay found: the text report, the vmapreport YAML
 * document and the text dump of a state.
 */
#ifndef VMAPVIEW_REPORT_H
#define VMAPVIEW_REPORT_H

#include <stdio.h>

#include "replay.h"
#include "spool.h"

/*
 * One row of a replay's report (report_row): what the table and the
 * document say of an event.  Its strings point into the event and into
 * the row itself.
 */
struct row {
	size_t		 seq;
	uint8_t		 op, kind;
	uint8_t		 expfailed, haspanic, hasva, hassize;
	uint8_t		 outside;	/* ok, outside the vmap: always said */
	uint64_t	 pa;
	uint32_t	 size, va, allocva;
	Reason		 rs;
	uint8_t		 pkind, pcause;
	uint32_t	 pat;
	const char	*id, *text, *note, *why, *panic, *expected;
	char		 whyb[512];
	char		 panicb[PANICLEN];
	char		 expb[16];
};

/* Rows read back from a spool (report_unspool). */
struct spool {
	struct spoolfile *sf;
	char		*buf;
	size_t		 cap;
	int		 bad;		/* it could not be read back */
};

/* The widths of a table's pa and size columns: the widest rows'. */
struct colw {
	int	pa;
	int	size;
};

void	report_spool(struct spoolfile *, const struct row *);
void	report_textspool(struct spoolfile *, const struct row *, int,
	    struct colw *);
int	report_textunspool(FILE *, struct spool *, int, int,
	    const struct colw *);
void	report_colwidths(const struct row *, struct colw *);
int	report_textspooled(FILE *, const struct replay *, int,
	    const struct colw *, struct spool *);
int	report_unspool(void *, struct row *);
void	report_row(const struct replay *, const struct event *,
	    const struct result *, size_t, int, struct row *);
int	report_idwidth(size_t);
void	report_textrows(FILE *, const struct replay *, int, int,
	    const struct colw *, int (*)(void *, struct row *), void *);
/* The rows of a replay that kept its results, from its first. */
struct kept {
	const struct replay	*rp;
	size_t			 i;
	int			 needwhy;
};

int	report_nextkept(void *, struct row *);

/* Parts of the document, for the others that hold them (emit.h). */
struct emitter;
int	report_yamlsummary(struct emitter *, const struct replay *);
int	report_emitreason(struct emitter *, const struct replay *,
	    const struct event *, const struct result *, size_t);
int	report_yamlrows(FILE *, const struct replay *,
	    int (*)(void *, struct row *), void *);
void	report_heading(FILE *, const struct replay *);
void	report_text(FILE *, const struct replay *, int);
void	report_summary(FILE *, const struct replay *);
int	report_yaml(FILE *, const struct replay *);
int	report_yaml_summary(FILE *, const struct replay *);
/*
 * A mapping live after the event a dump stands at: its event's index,
 * its id (nil: none), the address vmap returned, its pa, and the size
 * it was given.
 */
struct dumpmap {
	long		 k;
	const char	*id;
	uint32_t	 va;
	uint64_t	 pa;
	uint32_t	 size;
};

/*
 * The mappings a dump lists, n of them in the order of their events,
 * each read by get when it is printed: no copy of the list is made.
 */
struct dumplist {
	size_t		 n;
	void		(*get)(const void *, size_t, struct dumpmap *);
	const void	*arg;
};

void	dump_whyof(const struct replay *, const struct event *,
	    const struct result *, size_t, char *, size_t, char *, size_t);
void	dump_state(FILE *, const struct replay *, size_t, const char *,
	    const char *, const struct dumplist *);
void	dump_text(FILE *, const struct replay *);

#endif
