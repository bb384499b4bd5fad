/*
 * The quiz (quiz.c): vmaps of a trace to predict, picked by a seed with
 * the events that teach first, each with a picture of the vmap before
 * it, its answer and reason as replay gives them, and the grading of an
 * answer.  The command (cmd_quiz.c) and the view's quiz mode ask them.
 */
#ifndef VMAPVIEW_QUIZ_H
#define VMAPVIEW_QUIZ_H

#include <stdio.h>

#include "replay.h"
#include "vstore.h"

/* What a vmap teaches (bits), the first failure first. */
enum {
	QTfirstfail,	/* the first failure */
	QTstale,	/* it lands in a stale table */
	QTspan,		/* it spans page tables */
	QTpanic,	/* the kernel panics */
	Nquizteach
};

extern const char *const quizteach[Nquizteach];

#define QUIZCOUNT	5	/* questions, when not said */

struct quizq {
	size_t		 ev;		/* its event, 0-based */
	int		 teach;		/* a QT*, or -1 */
};

/* A quiz: its replay, every result kept, and its questions in order. */
struct quiz {
	struct replay	 rp;
	struct quizq	*q;
	int		 n;
};

/* The grades of an answer, in halves of a point; QGnone: no answer. */
enum { QGwrong, QGhalf, QGright, QGnone };

int	 quiz_teaches(const Mmu *, const struct event *,
	     const struct result *);
int	 quiz_open(struct quiz *, const struct trace *, const Policy *,
	     const struct replayopts *, uint64_t, int, char *, size_t);
void	 quiz_close(struct quiz *);
int	 quiz_isquestion(const struct quiz *, size_t);
void	 quiz_picture(FILE *, const Mmu *);
char	*quiz_question(char *, size_t, const struct quiz *, int);
char	*quiz_answer(char *, size_t, const struct quiz *, int);
int	 quiz_grade(const struct result *, const char *, char *, size_t);
size_t	 quiz_nextvmap(const struct vstore *, size_t, size_t);

#endif
