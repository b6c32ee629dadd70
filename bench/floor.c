/*
 * floor.c - the least a whole-process run over files can cost here: start,
 * then open, size, read and close each file (as smtp-explain parse does
 * for a file that is one message), touching every page read, and exit.
 * Nothing is parsed and nothing is written. With no file, it only starts
 * and exits. bench/mailbox.sh times it beside the real runs, so the
 * whole-process ratio can be read against the highest one the machine
 * allows.
 *
 * usage: bench-floor [FILE...]
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int     main(int argc, char **argv)
{
    static char buf[4 * 1024 * 1024];
    struct stat st;
    unsigned long sum = 0;
    ssize_t n, k;
    int     i, fd;

    for (i = 1; i < argc; i++) {
	if ((fd = open(argv[i], O_RDONLY)) < 0 || fstat(fd, &st) < 0) {
	    perror(argv[i]);
	    return (1);
	}
	n = read(fd, buf, st.st_size < (off_t) sizeof(buf) ? (size_t) st.st_size
		 : sizeof(buf));
	for (k = 0; k < n; k += 64)
	    sum += (unsigned char) buf[k];
	close(fd);
    }
    /* Use the sum, so the reads are not optimised away. */
    return (sum == 1);
}
