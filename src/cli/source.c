/*
 * NAME
 *	source 3
 * SUMMARY
 *	messages from files, mboxes, Maildirs, directories, gzip and stdin
 * SYNOPSIS
 *	#include "cli.h"
 *
 *	int	cli_source_path(const char *path,
 *				const struct cli_source_opts *opts,
 *				const struct cli_sink *sink, void *ctx);
 * DESCRIPTION
 *	cli_source_path() reads what path names ("-" is standard input)
 *	and hands each message in it to sink, one at a time: begin, the
 *	message's bytes in one or more data calls, end. Nothing of a
 *	message is kept after its end, so memory stays flat whatever the
 *	size of a mailbox.
 *
 *	What a path is comes from the file system and from its first bytes:
 *	-  a directory with cur/ or new/ is a Maildir: every file of cur/
 *	   and new/, by name; each message is named by its file;
 *	-  another directory: its files by name, and its subdirectories
 *	   when opts->recursive (Maildirs among them are read as such);
 *	-  a file that starts with the gzip magic is decompressed as read;
 *	-  a file (or the decompressed data) that starts with "From " is an
 *	   mbox: a line "From " at the start or after an empty line begins
 *	   a message (the From_ line is not part of it, nor the empty line
 *	   before it); ">From ", ">>From " ... lose one '>' (mboxrd, which
 *	   also reads mboxo files right); Content-Length is ignored;
 *	-  anything else is one message.
 *	Regular files are mapped, and the pages behind the reading point
 *	are given back as it moves on; pipes and gzip data are read in
 *	blocks. Each message is named in struct cli_msgref: the file, its
 *	number in an mbox (0 for a file that is one message), the date of
 *	its From_ line and, for a Maildir file, the time in its name.
 * DIAGNOSTICS
 *	Returns 0, or 1 when something could not be read (reported on
 *	stderr, and the rest is still read), or the first non-zero value a
 *	sink callback returned (which stops the reading).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "cli.h"

#define CLI_SRC_BLOCK	(1024 * 1024)	/* read size for pipes and gzip */
#define CLI_SRC_LOOK	1024		/* bytes looked at for a line start */
#define CLI_SRC_SLICE	(1024 * 1024)	/* mapped bytes per step */
#define CLI_SRC_DEPTH	32		/* directory nesting followed */
#define CLI_SRC_WHOLE	(4 * 1024 * 1024)	/* files up to this are read whole */

/* The splitter: one input stream to messages. */
struct cli_split {
    const struct cli_sink *sink;
    void   *ctx;
    struct cli_msgref ref;
    int     decided;		/* the first bytes were seen */
    int     mbox;		/* the stream is an mbox */
    int     in_msg;		/* begin was called, end not yet */
    int     bol;		/* at the start of a line */
    size_t  held;		/* an empty line held back: its length */
    int     skip;		/* the rest of this line is a From_ line's */
    int     stop;		/* a sink's non-zero result */
};

/* cli_split_begin - start a message */

static int cli_split_begin(struct cli_split *s)
{
    s->in_msg = 1;
    if ((s->stop = s->sink->begin(s->ctx, &s->ref)) != 0)
	return (-1);
    return (0);
}

/* cli_split_end - end the message in progress */

static int cli_split_end(struct cli_split *s)
{
    if (!s->in_msg)
	return (0);
    s->in_msg = 0;
    if ((s->stop = s->sink->end(s->ctx, &s->ref)) != 0)
	return (-1);
    return (0);
}

static int cli_split_data(struct cli_split *s, const char *p, size_t n)
{
    if (n == 0)
	return (0);
    if ((s->stop = s->sink->data(s->ctx, p, n)) != 0)
	return (-1);
    return (0);
}

/*
 * cli_from_date - the date of a From_ line: "From sender Thu Apr 29
 * 23:45:33 2009" (asctime, local time of the writer, read as UTC), with
 * an optional zone before the year. 0 when there is none.
 */
static time_t cli_from_date(const char *line, size_t len)
{
    char    buf[256];
    char    mon[4];
    struct tm tm = {.tm_isdst = 0};
    const char *p;
    int     day, h, m, sec, year, n;

    if (len >= sizeof(buf))
	len = sizeof(buf) - 1;
    memcpy(buf, line, len);
    buf[len] = 0;
    /* The date is after the sender: the first "Mon Jan " of the line. */
    for (p = buf + 5; *p; p++) {
	if (*p != ' ')
	    continue;
	if (sscanf(p, " %*3[A-Za-z] %3[A-Za-z] %d %d:%d:%d %n", mon, &day,
		   &h, &m, &sec, &n) == 5) {
	    const char *y = p + n;

	    /* An optional zone name or offset before the year. */
	    if (sscanf(y, "%d", &year) != 1 || year < 100) {
		y += strcspn(y, " ");
		if (sscanf(y, "%d", &year) != 1)
		    return (0);
	    }
	    if ((tm.tm_mon = cli_month_index(mon)) < 0 || year < 1970)
		return (0);
	    tm.tm_mday = day;
	    tm.tm_hour = h;
	    tm.tm_min = m;
	    tm.tm_sec = sec;
	    tm.tm_year = year - 1900;
	    return (timegm(&tm));
	}
    }
    return (0);
}

/* cli_is_from - does the line at p (len bytes, of which n seen) start a message? */

static int cli_is_from(const char *p, size_t n)
{
    return (n >= 5 && memcmp(p, "From ", 5) == 0);
}

/* cli_is_quoted - ">From ", ">>From ": how many bytes to skip (0: none) */

static size_t cli_is_quoted(const char *p, size_t n)
{
    size_t  i = 0;

    while (i < n && p[i] == '>')
	i++;
    if (i > 0 && n - i >= 5 && memcmp(p + i, "From ", 5) == 0)
	return (1);
    return (0);
}

/*
 * cli_split_feed - hand over what the window [p, p + len) holds; eof
 * says whether more will follow. Returns the bytes consumed: the rest
 * (a line start too short to judge) comes again with more after it.
 */
static size_t cli_split_feed(struct cli_split *s, const char *p, size_t len,
			             int eof)
{
    size_t  i = 0, span = 0, n, ll;
    const char *nl;

    if (!s->decided) {
	if (len < 5 && !eof)
	    return (0);
	s->decided = 1;
	s->mbox = cli_is_from(p, len);
	s->bol = 1;
	if (!s->mbox) {
	    s->ref.number = 0;
	    if (cli_split_begin(s) < 0)
		return (len);
	}
    }
    if (!s->mbox) {
	if (cli_split_data(s, p, len) < 0)
	    return (len);
	return (len);
    }
    while (i < len) {
	n = len - i;
	if (!s->bol) {
	    /* The rest of a line begun in an earlier window. */
	    nl = memchr(p + i, '\n', n);
	    ll = nl ? (size_t) (nl - (p + i)) + 1 : n;
	    if (!s->skip && cli_split_data(s, p + i, ll) < 0)
		return (len);
	    i += ll;
	    span = i;
	    s->bol = nl != 0;
	    s->skip = !s->bol && s->skip;
	    continue;
	}
	nl = memchr(p + i, '\n', n);
	if (nl == 0 && !eof && n < CLI_SRC_LOOK)
	    break;
	ll = nl ? (size_t) (nl - (p + i)) + 1 : n;
	if (p[i] == 'F' && cli_is_from(p + i, ll)
	    && (s->ref.number == 0 || s->held)) {
	    /* A new message: the held empty line was the separator. */
	    if (cli_split_data(s, p + span, i - span - s->held) < 0
		|| cli_split_end(s) < 0)
		return (len);
	    s->held = 0;
	    s->ref.number++;
	    s->ref.from_time = cli_from_date(p + i, ll);
	    if (cli_split_begin(s) < 0)
		return (len);
	    i += ll;
	    span = i;
	    s->bol = nl != 0;
	    s->skip = !s->bol;
	    continue;
	}
	s->held = 0;
	if (p[i] == '\n' || (p[i] == '\r' && ll == 2)) {
	    /* An empty line: held back until the next line is seen. */
	    s->held = ll;
	} else if (p[i] == '>' && cli_is_quoted(p + i, ll)) {
	    if (cli_split_data(s, p + span, i - span) < 0)
		return (len);
	    span = i + 1;
	}
	i += ll;
	s->bol = nl != 0;
    }
    /* Push the run; a held empty line comes again in the next window. */
    if (cli_split_data(s, p + span, i - s->held - span) < 0)
	return (len);
    if (s->held && !eof) {
	i -= s->held;
	s->held = 0;
	s->bol = 1;
    }
    return (i);
}

/* cli_split_done - the stream ended */

static int cli_split_done(struct cli_split *s)
{
    if (!s->decided)
	(void) cli_split_feed(s, "", 0, 1);
    if (s->stop == 0)
	(void) cli_split_end(s);
    return (s->stop);
}

static void cli_split_init(struct cli_split *s, const struct cli_sink *sink,
			           void *ctx, const struct cli_msgref *ref)
{
    *s = (struct cli_split) {.sink = sink, .ctx = ctx, .ref = *ref, .bol = 1};
}

/* cli_source_map - a regular file, mapped, given back as it is read */

static int cli_source_map(int fd, size_t size, struct cli_split *s)
{
    char   *base;
    size_t  pos = 0, end, got;
    long    pg = sysconf(_SC_PAGESIZE);
    size_t  given = 0, upto;

    if (size == 0)
	return (0);
    base = mmap(0, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (base == MAP_FAILED)
	return (-1);
    (void) madvise(base, size, MADV_SEQUENTIAL);
    while (pos < size && s->stop == 0) {
	end = size - pos > CLI_SRC_SLICE ? pos + CLI_SRC_SLICE : size;
	got = cli_split_feed(s, base + pos, end - pos, end == size);
	pos += got;
	if (got == 0 && end == size)
	    break;
	/* Pages wholly behind the reading point leave the process. */
	upto = pg > 0 ? pos - pos % (size_t) pg : 0;
	if (upto > given + CLI_SRC_SLICE) {
	    (void) madvise(base + given, upto - given, MADV_DONTNEED);
	    given = upto;
	}
    }
    munmap(base, size);
    return (0);
}

/* cli_source_stream - a pipe or a gzip stream, read in blocks */

static int cli_source_stream(gzFile gz, struct cli_split *s)
{
    char   *buf = malloc(CLI_SRC_BLOCK);
    size_t  have = 0, got;
    ssize_t n;
    int     eof = 0, err = 0;

    if (buf == 0)
	return (-1);
    while (!eof && s->stop == 0) {
	n = gzread(gz, buf + have, (unsigned) (CLI_SRC_BLOCK - have));
	if (n < 0) {
	    err = -1;
	    break;
	}
	if (n == 0)
	    eof = 1;
	have += (size_t) n;
	if (have < CLI_SRC_BLOCK && !eof)
	    continue;
	got = cli_split_feed(s, buf, have, eof);
	memmove(buf, buf + got, have - got);
	have -= got;
    }
    free(buf);
    return (err);
}

/*
 * The buffer that small files are read into, kept from file to file:
 * most bounces are a few kilobytes, and mapping each one costs more
 * (a map, an unmap, a flush of the mapping) than reading it.
 */
static char *cli_whole;
static size_t cli_whole_size;

void    cli_source_release(void)
{
    free(cli_whole);
    cli_whole = 0;
    cli_whole_size = 0;
}

/* cli_source_read - a small regular file read whole; -1 on error */

static ssize_t cli_source_read(int fd, size_t size)
{
    size_t  have = 0;
    ssize_t n;

    if (size + 1 > cli_whole_size) {
	char   *nb = realloc(cli_whole, size + 1);

	if (nb == 0)
	    return (-1);
	cli_whole = nb;
	cli_whole_size = size + 1;
    }
    /* A file that grows while it is read is read as it was when looked at. */
    while (have < size) {
	n = read(fd, cli_whole + have, size - have);
	if (n < 0 && errno == EINTR)
	    continue;
	if (n < 0)
	    return (-1);
	if (n == 0)
	    break;
	have += (size_t) n;
    }
    return ((ssize_t) have);
}

/* cli_source_fd - one open file, st its status */

static int cli_source_fd(int fd, const struct stat *st, const char *path,
			         const struct cli_msgref *ref,
			         const struct cli_sink *sink, void *ctx)
{
    struct cli_split s;
    unsigned char magic[2];
    int     gzipped = 0, r;
    gzFile  gz;
    ssize_t got;

    cli_split_init(&s, sink, ctx, ref);
    errno = 0;
    if (S_ISREG(st->st_mode) && s.ref.file_time == 0)
	s.ref.file_time = st->st_mtime;
    if (S_ISREG(st->st_mode) && (size_t) st->st_size <= CLI_SRC_WHOLE) {
	if ((got = cli_source_read(fd, (size_t) st->st_size)) < 0)
	    goto bad;
	gzipped = got >= 2 && (unsigned char) cli_whole[0] == 0x1f
	    && (unsigned char) cli_whole[1] == 0x8b;
	if (!gzipped) {
	    if (got > 0)
		(void) cli_split_feed(&s, cli_whole, (size_t) got, 1);
	    return (cli_split_done(&s));
	}
	if (lseek(fd, 0, SEEK_SET) < 0)
	    goto bad;
    } else if (S_ISREG(st->st_mode)) {
	gzipped = pread(fd, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }
    if (S_ISREG(st->st_mode) && !gzipped) {
	if (cli_source_map(fd, (size_t) st->st_size, &s) < 0)
	    goto bad;
    } else {
	/* gzip data, or a pipe: zlib passes data that is not gzip as it is. */
	int     dfd = dup(fd);

	if (dfd < 0 || (gz = gzdopen(dfd, "rb")) == 0) {
	    if (dfd >= 0)
		close(dfd);
	    goto bad;
	}
	(void) gzbuffer(gz, 256 * 1024);
	r = cli_source_stream(gz, &s);
	gzclose(gz);
	if (r < 0)
	    goto bad;
    }
    return (cli_split_done(&s));
bad:
    fprintf(stderr, "smtp-explain: %s: %s\n", path, strerror(errno ? errno : EIO));
    (void) cli_split_done(&s);
    return (s.stop ? s.stop : 1);
}

/* cli_source_file - one file, open, by name */

static int cli_source_file(int fd, const struct stat *st, const char *path,
			           const char *name, time_t name_time,
			           const struct cli_sink *sink, void *ctx)
{
    struct cli_msgref ref = {.file = path, .name = name, .file_time = name_time};

    return (cli_source_fd(fd, st, path, &ref, sink, ctx));
}

static int cli_name_cmp(const void *a, const void *b)
{
    return (strcmp(*(char *const *) a, *(char *const *) b));
}

/* cli_source_names - the entries of a directory, sorted; NULL on error */

static char **cli_source_names(const char *dir, size_t *count)
{
    DIR    *d;
    struct dirent *e;
    char  **v = 0, **nv;
    size_t  n = 0, cap = 0;

    if ((d = opendir(dir)) == 0)
	return (0);
    while ((e = readdir(d)) != 0) {
	if (e->d_name[0] == '.')
	    continue;			/* ., .., dot files, Maildir++ folders */
	if (n == cap) {
	    cap = cap ? 2 * cap : 64;
	    if ((nv = realloc(v, cap * sizeof(*v))) == 0)
		break;
	    v = nv;
	}
	if ((v[n] = strdup(e->d_name)) == 0)
	    break;
	n++;
    }
    closedir(d);
    if (v == 0)
	v = malloc(sizeof(*v));
    if (v)
	qsort(v, n, sizeof(*v), cli_name_cmp);
    *count = n;
    return (v);
}

static void cli_source_names_free(char **v, size_t n)
{
    while (n > 0)
	free(v[--n]);
    free(v);
}

static int cli_source_dir(const char *, const struct cli_source_opts *,
			          const struct cli_sink *, void *, int);

/* cli_source_any - a path of any kind, at a nesting depth */

static int cli_source_any(const char *path, const char *name,
			          const struct cli_source_opts *opts,
			          const struct cli_sink *sink, void *ctx, int depth)
{
    struct stat st;
    time_t  t = 0;
    int     fd, r;

    /* Opened first, then looked at: one look per file, not two. */
    if (strcmp(path, "-") == 0)
	fd = 0;
    else if ((fd = open(path, O_RDONLY | O_NOCTTY)) < 0) {
	fprintf(stderr, "smtp-explain: %s: %s\n", path, strerror(errno));
	return (1);
    }
    if (fstat(fd, &st) < 0) {
	fprintf(stderr, "smtp-explain: %s: %s\n", path, strerror(errno));
	if (fd != 0)
	    close(fd);
	return (1);
    }
    if (S_ISDIR(st.st_mode) && fd != 0) {
	close(fd);
	return (cli_source_dir(path, opts, sink, ctx, depth));
    }
    /* A Maildir file name starts with the time of delivery. */
    if (name) {
	char   *end;
	unsigned long long v = strtoull(name, &end, 10);

	if (end != name && *end == '.')
	    t = (time_t) v;
    }
    r = cli_source_file(fd, &st, path, name, t, sink, ctx);
    if (fd != 0)
	close(fd);
    return (r);
}

/* cli_source_list - the files of one directory (and deeper, when asked) */

static int cli_source_list(const char *dir, int maildir, int subdirs,
			           const struct cli_source_opts *opts,
			           const struct cli_sink *sink, void *ctx, int depth)
{
    char  **v;
    size_t  n, i;
    int     status = 0, r;
    char   *path;
    struct stat st;

    if ((v = cli_source_names(dir, &n)) == 0) {
	fprintf(stderr, "smtp-explain: %s: %s\n", dir, strerror(errno));
	return (1);
    }
    for (i = 0; i < n; i++) {
	if (asprintf(&path, "%s/%s", dir, v[i]) < 0) {
	    status = 1;
	    break;
	}
	if (stat(path, &st) < 0 || (S_ISDIR(st.st_mode) ? !subdirs
				     : !S_ISREG(st.st_mode))) {
	    free(path);
	    continue;
	}
	r = cli_source_any(path, maildir ? v[i] : 0, opts, sink, ctx, depth + 1);
	free(path);
	if (r > 1 || r < 0) {
	    status = r;
	    break;
	}
	if (r)
	    status = r;
    }
    cli_source_names_free(v, n);
    return (status);
}

static int cli_source_dir(const char *dir, const struct cli_source_opts *opts,
			          const struct cli_sink *sink, void *ctx, int depth)
{
    static const char *const parts[] = {"cur", "new"};
    char    sub[4096];
    struct stat st;
    size_t  i;
    int     maildir = 0, status = 0, r;

    if (depth > CLI_SRC_DEPTH) {
	fprintf(stderr, "smtp-explain: %s: nested too deep, skipped\n", dir);
	return (1);
    }
    for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
	snprintf(sub, sizeof(sub), "%s/%s", dir, parts[i]);
	if (stat(sub, &st) == 0 && S_ISDIR(st.st_mode)) {
	    maildir = 1;
	    r = cli_source_list(sub, 1, 0, opts, sink, ctx, depth);
	    if (r > 1 || r < 0)
		return (r);
	    if (r)
		status = r;
	}
    }
    /* Maildir++ subfolders (".Folder") are not followed. */
    if (maildir)
	return (status);
    r = cli_source_list(dir, 0, opts->recursive, opts, sink, ctx, depth);
    return (r ? r : status);
}

int     cli_source_path(const char *path, const struct cli_source_opts *opts,
			        const struct cli_sink *sink, void *ctx)
{
    return (cli_source_any(path, 0, opts, sink, ctx, 0));
}
