/*
 * vmapview quiz: predict where each vmap lands, then see why.  The
 * questions (quiz.c) with a picture of the vmap before each; their
 * answers with --answers; an answer file graded with --check; or, on a
 * terminal, one question at a time.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "quiz.h"
#include "text.h"
#include "xmalloc.h"

static int	cmd_quiz_exec(struct args *);

static const struct cmd_option options[] = {
	{ Opolicy, "policy", 'p', ARGpolicies, "POLICY",
	    "the allocator the questions are about (%P)" },
	OPT_KERNEL("K"),
	OPT_PSE,
	{ Oseed, "seed", 0, ARGnumber, "N",
	    "which vmaps are asked about (1)" },
	{ Ocount, "count", 0, ARGcount, "N", "how many questions (5)" },
	{ Oanswers, "answers", 0, ARGnone, NULL,
	    "each question's answer and why, after it" },
	{ Ocheck, "check", 0, ARGfile, "FILE",
	    "grade the answers in FILE, one a line" },
	OPT_END
};

const struct cmd_entry cmd_quiz_entry = {
	.name = "quiz",
	.operands = "TRACE",
	.minargs = 1,
	.maxargs = 1,
	.help = "predict where each vmap lands, then see why",
	.options = options,
	.exec = cmd_quiz_exec,
};

/* A score in halves of a point, as people write it: 3, or 3.5. */
static const char *
points(char *buf, size_t len, int halves)
{
	snprintf(buf, len, "%d%s", halves / 2, halves % 2 ? ".5" : "");
	return buf;
}

/* cur replayed up to question k's event: the vmap as it stands before. */
static void
before(FILE *f, struct replay *cur, const struct quiz *qz, int k)
{
	replay_run(cur, qz->q[k].ev);
	fprintf(f, "\nthe vmap before event %zu:\n", qz->q[k].ev + 1);
	quiz_picture(f, &cur->m);
}

/* Every question, with its picture, and with --answers its answer. */
static void
ask(FILE *f, struct replay *cur, const struct quiz *qz, int answers)
{
	char line[1024];
	int k;

	for (k = 0; k < qz->n; k++) {
		before(f, cur, qz, k);
		fprintf(f, "%s\n", quiz_question(line, sizeof line, qz, k));
		if (answers)
			fprintf(f, "   answer: %s\n", quiz_answer(line,
			    sizeof line, qz, k));
	}
}

/* The next line of f, its newline cut, into buf; 0 at the end. */
static int
readanswer(FILE *f, char *buf, size_t len)
{
	size_t n;

	if (fgets(buf, len, f) == NULL)
		return 0;
	n = strcspn(buf, "\r\n");
	if (buf[n] == '\0' && !feof(f)) {	/* too long: the rest dropped */
		int c;

		while ((c = getc(f)) != EOF && c != '\n')
			;
	}
	buf[n] = '\0';
	return 1;
}

/* One answer graded and said: its points, in halves. */
static int
grade(const struct quiz *qz, int k, const char *ans, const char *where)
{
	char say[256], line[1024], *shown;
	int g;

	g = quiz_grade(&qz->rp.r[qz->q[k].ev], ans, say, sizeof say);
	shown = text_clean(ans, 0);
	if (g == QGnone && where != NULL)
		fprintf(stderr, "%s: '%.40s' is %s; counted wrong\n", where,
		    shown, say);
	printf("%d. event %zu: %s \xe2\x80\x94 %s\n   %s\n", k + 1,
	    qz->q[k].ev + 1, shown[0] ? shown : "(no answer)",
	    g == QGnone ? "wrong: no answer" : say,
	    quiz_answer(line, sizeof line, qz, k));
	free(shown);
	return g == QGright ? 2 : g == QGhalf ? 1 : 0;
}

/* --check: the answers in path, a line each, graded.  -1: unreadable. */
static int
check(const struct quiz *qz, const char *path)
{
	char buf[256], where[1100], pts[16], (*ans)[256];
	FILE *f;
	int k, score, line, more;

	if (strcmp(path, "-") == 0)
		f = stdin;
	else if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "%s: --check %s: %s\n", progname, path,
		    strerror(errno));
		return -1;
	}
	ans = xcalloc(qz->n, sizeof *ans);
	/* a read error is no end of the answers: nothing graded */
	for (k = 0; k < qz->n && readanswer(f, ans[k], sizeof ans[k]); k++)
		;
	more = k == qz->n && readanswer(f, buf, sizeof buf);
	if (ferror(f)) {
		fprintf(stderr, "%s: --check %s: %s\n", progname, path,
		    strerror(errno));
		if (f != stdin)
			fclose(f);
		free(ans);
		return -1;
	}
	if (f != stdin)
		fclose(f);
	for (score = 0, line = 1; line <= qz->n; line++) {
		snprintf(where, sizeof where, "%s:%d", path, line);
		/* past the file's end: no answer, nothing to warn of */
		score += grade(qz, line - 1, line - 1 < k ? ans[line - 1] : "",
		    line - 1 < k ? where : NULL);
	}
	if (more)
		fprintf(stderr, "%s:%d: more answers than the %d questions; the "
		    "rest not read\n", path, line, qz->n);
	free(ans);
	printf("score %s of %d\n", points(pts, sizeof pts, score), qz->n);
	return 0;
}

/* On a terminal: a question, its answer typed, its grade, the vmap after. */
static void
interact(struct replay *cur, const struct quiz *qz)
{
	char buf[256], pts[16], line[1024];
	int k, score;

	for (score = 0, k = 0; k < qz->n; k++) {
		before(stdout, cur, qz, k);
		printf("%s\nyour answer (an address, a PDE, fail, panic or "
		    "refused): ", quiz_question(line, sizeof line, qz, k));
		fflush(stdout);
		if (!readanswer(stdin, buf, sizeof buf)) {
			putchar('\n');
			break;
		}
		score += grade(qz, k, buf, "your answer");
		replay_run(cur, qz->q[k].ev + 1);
		printf("the vmap after it:\n");
		quiz_picture(stdout, &cur->m);
	}
	printf("\nscore %s of %d\n", points(pts, sizeof pts, score), qz->n);
}

static int
cmd_quiz_exec(struct args *a)
{
	struct replayopts ro;
	struct replay cur;
	struct quiz qz;
	struct trace t;
	const char *path, *chk;
	char buf[1024], err[512];
	int rv, count;

	if (args_get(a, Opolicy)->npol > 1)
		return cmd_usageerr(a, "one policy, please");
	path = args_trace(a, 0, buf, sizeof buf);
	chk = args_str(a, Ocheck, NULL);
	if (chk != NULL && args_has(a, Oanswers))
		return cmd_usageerr(a, "--answers or --check, not both");
	if (cmd_load(&t, path) < 0)
		return EXITUSAGE;
	args_replayopts(a, &ro);
	count = args_has(a, Ocount) ? (int)args_get(a, Ocount)->num : 0;
	if (quiz_open(&qz, &t, args_policy(a), &ro, args_has(a, Oseed) ?
	    args_get(a, Oseed)->num : 1, count, err, sizeof err) < 0) {
		fprintf(stderr, "%s: quiz: %s\n", progname, err);
		trace_free(&t);
		return EXITUSAGE;
	}
	replay_init(&cur, &t, args_policy(a), &ro);
	printf("quiz: %s under %s, kernel %s, pse %s: %d question%s (seed "
	    "%llu)\n", trace_name(&t), policyat(qz.rp.pidx)->name,
	    kernelnames[replay_kernel(&qz.rp)], qz.rp.m.pse ? "on" : "off",
	    qz.n, qz.n == 1 ? "" : "s", (unsigned long long)(args_has(a,
	    Oseed) ? args_get(a, Oseed)->num : 1));
	rv = 0;
	if (chk != NULL)
		rv = check(&qz, chk);
	else if (!args_has(a, Oanswers) && isatty(0) && isatty(1))
		interact(&cur, &qz);
	else
		ask(stdout, &cur, &qz, args_has(a, Oanswers));
	replay_free(&cur);
	quiz_close(&qz);
	trace_free(&t);
	return rv < 0 ? EXITUSAGE : cmd_finish(EXITOK);
}
