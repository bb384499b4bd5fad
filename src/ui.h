/*
 * The interactive view: state shared by the ui*.c files, which alone
 * include curses.  The view owns one or two panes, each a timeline of
 * the trace under a policy, kept in step at the same event.
 */
#ifndef VMAPVIEW_UI_H
#define VMAPVIEW_UI_H

#include <sys/types.h>

#include <stdio.h>

#include "timeline.h"

#define UIMAXPANE	2

/* Colour pairs; attributes stand in for them without colour. */
enum {
	Cblank = 1,
	Cbig,
	Ctable,
	Cstale,
	Cok,
	Cfail,
	Cpanic,
	Cdim,
	Cheader,
	Ccurrent,
	Ncolour
};

struct pane {
	struct timeline	 tl;
	int		 pidx;		/* its policy */
	const struct liventry *live;	/* live mappings at the cursor (tl's) */
	size_t		 nlive;
	int		 probing;	/* probe is shown, till the cursor moves */
	struct probe	 probe;		/* w: a vmap tried on the state */
};

/* What a pane says of its current event, or of its probe. */
struct paneword {
	char		 text[640];
	Reason		 why;		/* its reason, for the marks */
	const Panic	*panic;		/* a panic's, if it was one */
	int		 pair;		/* the colour of its result */
};

struct ui {
	const struct trace	*t;		/* the header; nev events */
	const struct vstore	*vs;		/* the events */
	struct replayopts	 ro;
	struct pane		 pane[UIMAXPANE];
	int			 npane;
	int			 focus;
	size_t			 pos;		/* events run: 0..nev */
	int			 sel;		/* selected vmap PDE, 0-based */
	int			 cpr;		/* PDEs a row of the map, as drawn */
	int			 zoom;		/* showing the selected table */
	int			 help;
	int			 helptop;	/* the help's first line shown */
	int			 about;		/* the trace's description */
	int			 playing;
	int			 quiz;		/* Q: each vmap asked as it comes */
	int			 quizpts;	/* its score, in halves */
	int			 quizn;		/* the vmaps asked */
	int			 speed;		/* events per second, 1..1000 */
	size_t			 playbase;	/* the event play began at */
	double			 playstart;	/* and when */
	char			 search[64];	/* the last id searched */
	char			 msg[800];	/* a one-off message */
	uint8_t			*diverge;	/* a bit per event, two panes */
	size_t			 ndiv;		/* events it covers */
	uint8_t			*match;		/* a bit per vmap: its id has search */
	char			 matched[64];	/* what match is for */
	struct tlload		*ld;		/* the trace still being read */
	struct loadwatch	 lw;
	off_t			 loadsize;	/* the file's bytes */
	struct trace		*whole;		/* the header once it is read */
	char			 loaderr[512];	/* why the reading failed */
	int			 colour;
	int			 utf8;
	int			 quit;
};

/* ui.c */
int	 ui_main(const struct trace *, const struct vstore *, const Policy *,
	     const Policy *, struct timeline *, const struct replayopts *,
	     const char *, const char *, int);
void	 ui_open(struct ui *, const struct trace *, const struct vstore *,
	     const Policy *, const Policy *, struct timeline *,
	     const struct replayopts *, int);
int	 ui_termup(struct ui *, FILE *, FILE *);
int	 ui_view(const char *, struct trace *, struct vstore *,
	     const Policy *const *, int, const struct replayopts *, int);
void	 ui_draw(struct ui *);
void	 ui_close(struct ui *);
int	 ui_attr(const struct ui *, int);
void	 ui_addtext(int, int, const char *, int);
int	 ui_textwidth(const char *);
int	 ui_usable(const char *);
int	 ui_keysfrom(void);
void	 ui_seek(struct ui *, size_t);
void	 ui_playfrom(struct ui *);
int	 ui_find(struct ui *, int, int);
int	 ui_diverges(const struct ui *, size_t);
int	 ui_prompt(const char *, char *, size_t);
int	 ui_yesno(const char *);
int	 ui_openpane(struct ui *, int, const Policy *);
void	 ui_divergence(struct ui *);

/* ui_keys.c */
void	 ui_key(struct ui *, int);
void	 ui_help_draw(struct ui *);

/* ui_pd.c */
int	 ui_pd_draw(struct ui *, struct pane *, int, int, int, int);
int	 ui_pd_labelw(const Mmu *);
void	 ui_pd_zoom(struct ui *, struct pane *, int, int, int, int);
int	 ui_pd_mapping(const struct pane *, uint32_t, uint32_t);
void	 ui_pd_info(struct ui *, struct pane *, int, int, int);
void	 ui_pd_legend(struct ui *, int, int, int);

/* ui_events.c */
void	 ui_events_draw(struct ui *, int, int, int, int);
void	 ui_measures_draw(struct ui *, struct pane *, int, int, int, int);
void	 ui_status_draw(struct ui *);
void	 ui_words(const struct ui *, const struct pane *, struct paneword *);
int	 ui_words_draw(struct ui *, const struct paneword *, int, int, int,
	     int);
int	 ui_resultpair(int);
void	 ui_about_draw(struct ui *);

/* ui_term.c: the terminal, the keys, the screen saved */
void	 ui_restore(void);
int	 ui_nextkey(int);
int	 ui_savescreen(const char *);
int	 ui_stopkey(void);
int	 ui_caught(void);
int	 ui_scriptdone(void);
void	 ui_scriptfree(void);

#endif
