/*
 * Run a command N times and print the median wall time (seconds) and the
 * largest peak resident memory (KiB) of its runs: "median max_rss".
 * Its output goes to /dev/null.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	double *t;
	long maxrss;
	int n, i, st, fd;
	pid_t pid;

	if (argc < 3 || (n = atoi(argv[1])) < 1) {
		fprintf(stderr, "usage: runstat N COMMAND...\n");
		return 2;
	}
	t = calloc(n, sizeof *t);
	maxrss = 0;
	for (i = 0; i < n; i++) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if ((pid = fork()) == 0) {
			fd = open("/dev/null", O_WRONLY);
			dup2(fd, 1);
			execvp(argv[2], argv + 2);
			_exit(127);
		}
		if (wait4(pid, &st, 0, &ru) < 0)
			return 2;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
			return 2;
		t[i] = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
		if (ru.ru_maxrss > maxrss)
			maxrss = ru.ru_maxrss;
	}
	qsort(t, n, sizeof *t, cmp);
	printf("%.3f %ld\n", t[n / 2], maxrss);
	return 0;
}
