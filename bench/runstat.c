/*
 * Time a command against the yardstick, run in turn with it so that
 * both see the machine alike: "runstat N YARDSTICK... -- COMMAND..."
 * runs each N times, alternately, and prints
 *	yardstick_best command_best ratio max_rss_kib cpu_best
 * where best is the least of the N wall times (a busy machine only ever
 * adds time), ratio is command_best/yardstick_best, max_rss the
 * command's largest peak resident memory and cpu its least user+system
 * seconds.  With no "--", the command alone: "best max_rss_kib
 * cpu_best".  Output of the commands goes to /dev/null.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double
least(const double *v, int n)
{
	double m;
	int i;

	for (m = v[0], i = 1; i < n; i++)
		if (v[i] < m)
			m = v[i];
	return m;
}

/* Run argv once; wall seconds, and its peak memory and CPU seconds. */
static double
run(char **argv, long *rss, double *cpu)
{
	struct timespec t0, t1;
	struct rusage ru;
	pid_t pid;
	int st, fd;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((pid = fork()) == 0) {
		fd = open("/dev/null", O_WRONLY);
		dup2(fd, 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || wait4(pid, &st, 0, &ru) < 0)
		exit(2);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
		exit(2);
	*rss = ru.ru_maxrss;
	*cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
	return (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
}

int
main(int argc, char **argv)
{
	double *ty, *tc, *cpu, c;
	char **yard, **cmd;
	long rss, maxrss;
	int n, i;

	if (argc < 3 || (n = atoi(argv[1])) < 1) {
		fprintf(stderr, "usage: runstat N [YARDSTICK... --] "
		    "COMMAND...\n");
		return 2;
	}
	yard = NULL;
	cmd = argv + 2;
	for (i = 2; i < argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			argv[i] = NULL;
			yard = argv + 2;
			cmd = argv + i + 1;
			break;
		}
	if (cmd[0] == NULL) {
		fprintf(stderr, "runstat: no command\n");
		return 2;
	}
	ty = calloc(n, sizeof *ty);
	tc = calloc(n, sizeof *tc);
	cpu = calloc(n, sizeof *cpu);
	maxrss = 0;
	for (i = 0; i < n; i++) {
		if (yard != NULL)
			ty[i] = run(yard, &rss, &c);
		tc[i] = run(cmd, &rss, &cpu[i]);
		if (rss > maxrss)
			maxrss = rss;
	}
	if (yard != NULL)
		printf("%.3f %.3f %.2f %ld %.3f\n", least(ty, n),
		    least(tc, n), least(tc, n) / least(ty, n), maxrss,
		    least(cpu, n));
	else
		printf("%.3f %ld %.3f\n", least(tc, n), maxrss, least(cpu, n));
	return 0;
}
