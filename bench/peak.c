/*
 * peak.c - run a command and print its wall time and peak resident
 * memory (getrusage of the child), to stderr, after its own output.
 *
 * usage: bench-peak COMMAND [ARG...]
 */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int     main(int argc, char **argv)
{
    struct timespec a, b;
    struct rusage ru;
    pid_t   pid;
    int     st;

    if (argc < 2) {
	fprintf(stderr, "usage: bench-peak COMMAND [ARG...]\n");
	return (2);
    }
    clock_gettime(CLOCK_MONOTONIC, &a);
    if ((pid = fork()) == 0) {
	execvp(argv[1], argv + 1);
	perror(argv[1]);
	_exit(127);
    }
    if (pid < 0 || wait4(pid, &st, 0, &ru) < 0) {
	perror("bench-peak");
	return (1);
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    fprintf(stderr, "peak: %.4f s, peak RSS %ld KB, exit %d\n",
	    (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9, ru.ru_maxrss,
	    WIFEXITED(st) ? WEXITSTATUS(st) : 128);
    return (WIFEXITED(st) ? WEXITSTATUS(st) : 1);
}
