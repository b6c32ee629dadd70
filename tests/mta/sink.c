/*
 * mta-sink - a small SMTP server for the MTA matrix (tests/mta).
 *
 * Two uses, one program:
 *
 *   mta-sink -p PORT -t TABLE [-h NAME]    answers from the reply table
 *   mta-sink -p PORT -d DIR [-h NAME]      accepts all mail, one file each
 *   mta-sink -p PORT -t TABLE -d DIR       both: the null sender's mail
 *                                          (bounces) is stored, all other
 *                                          mail answers from the table
 *
 * With a table, the local part of an address names a case: a case of
 * stage "mail" answers MAIL FROM when the sender's local part names it;
 * a case of stage "rcpt" answers RCPT TO; "data" answers the DATA
 * command and "eod" the end of data, for the first accepted recipient
 * that names such a case; a "+tag" after the name is ignored. The local
 * part "ok" is accepted everywhere;
 * any other name not in the table is refused with a reply that says so,
 * so that a typo shows as a wrong result instead of a delivery.
 *
 * Table lines (tests/mta/replies): fields separated by white space, the
 * reply last and taking the rest of the line; '|' separates the lines
 * of a multi-line reply, each written as the server sends it.
 *
 *   name stage code status reason delayed-reason reply
 *
 * The third use is for an MTA that sends everything, its own bounces
 * too, to one smart host (dma): a transaction from the null sender
 * takes every recipient and is stored; the table is not asked.
 *
 * With a directory, each message accepted is written to DIR/NNNN.eml
 * with a Return-Path header for its envelope sender first, as a local
 * delivery would write it (written to a temporary name, then renamed).
 *
 * One process per connection (fork); each child dies with its parent
 * (PR_SET_PDEATHSIG) and after 60 s without input. Lines, messages and
 * the table are bounded.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <netinet/in.h>

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define LINE_MAX_LEN   2048          /* one command or data line */
#define MSG_MAX_LEN    (4 << 20)     /* one message */
#define CASE_MAX       256
#define NAME_MAX_LEN   64
#define REPLY_MAX_LEN  1024
#define RCPT_MAX       100
#define IDLE_SECONDS   60

enum stage { ST_MAIL, ST_RCPT, ST_DATA, ST_EOD };

struct sink_case {
	char		name[NAME_MAX_LEN];
	enum stage	stage;
	char		reply[REPLY_MAX_LEN];	/* lines separated by '|' */
};

static struct sink_case cases[CASE_MAX];
static size_t	ncases;
static const char *store_dir;
static const char *host_name = "sink.test";
static volatile sig_atomic_t stopping;

static void
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("mta-sink: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

static int
stage_parse(const char *s, enum stage *out)
{
	static const struct {
		const char	*name;
		enum stage	 stage;
	} stages[] = {
		{ .name = "mail", .stage = ST_MAIL },
		{ .name = "rcpt", .stage = ST_RCPT },
		{ .name = "data", .stage = ST_DATA },
		{ .name = "eod", .stage = ST_EOD },
	};
	size_t i;

	for (i = 0; i < sizeof(stages) / sizeof(stages[0]); i++)
		if (strcmp(s, stages[i].name) == 0) {
			*out = stages[i].stage;
			return 0;
		}
	return -1;
}

/* The fields before the reply: name stage code status reason delayed. */
#define TABLE_FIELDS 6

static void
table_line(const char *path, unsigned lineno, char *line)
{
	char *field[TABLE_FIELDS], *p = line;
	struct sink_case *c;
	size_t i;

	for (i = 0; i < TABLE_FIELDS; i++) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			die("%s:%u: too few fields", path, lineno);
		field[i] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
		if (*p != '\0')
			*p++ = '\0';
	}
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0')
		die("%s:%u: no reply", path, lineno);
	if (ncases == CASE_MAX)
		die("%s:%u: more than %d cases", path, lineno, CASE_MAX);
	c = &cases[ncases];
	if (strlen(field[0]) >= sizeof(c->name) ||
	    strlen(p) >= sizeof(c->reply))
		die("%s:%u: name or reply too long", path, lineno);
	if (stage_parse(field[1], &c->stage) == -1)
		die("%s:%u: unknown stage %s", path, lineno, field[1]);
	memcpy(c->name, field[0], strlen(field[0]) + 1);
	memcpy(c->reply, p, strlen(p) + 1);
	ncases++;
}

static void
table_load(const char *path)
{
	char line[LINE_MAX_LEN];
	unsigned lineno = 0;
	size_t len;
	FILE *fp;

	if ((fp = fopen(path, "r")) == NULL)
		die("%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		len = strlen(line);
		if (len > 0 && line[len - 1] != '\n' && !feof(fp))
			die("%s:%u: line too long", path, lineno);
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r' || line[len - 1] == ' '))
			line[--len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		table_line(path, lineno, line);
	}
	fclose(fp);
}

static const struct sink_case *
case_find(const char *local)
{
	size_t i;

	for (i = 0; i < ncases; i++)
		if (strcasecmp(cases[i].name, local) == 0)
			return &cases[i];
	return NULL;
}

/* ---------------------------------------------------------------- I/O */

struct conn {
	int	fd;
	char	buf[8192];
	size_t	len, off;
};

static int
conn_fill(struct conn *c)
{
	ssize_t n;

	if (c->off > 0) {
		memmove(c->buf, c->buf + c->off, c->len - c->off);
		c->len -= c->off;
		c->off = 0;
	}
	do
		n = read(c->fd, c->buf + c->len, sizeof(c->buf) - c->len);
	while (n == -1 && errno == EINTR);
	if (n <= 0)
		return -1;
	c->len += (size_t)n;
	return 0;
}

/*
 * One line without its CR LF into out (NUL-terminated). Returns its
 * length, -1 at EOF or timeout, -2 for a line longer than outsz - 1
 * (the rest of that line is read and dropped).
 */
static ssize_t
conn_line(struct conn *c, char *out, size_t outsz)
{
	size_t n = 0, i;
	int toolong = 0;

	for (;;) {
		for (i = c->off; i < c->len; i++) {
			if (c->buf[i] == '\n') {
				c->off = i + 1;
				if (toolong)
					return -2;
				if (n > 0 && out[n - 1] == '\r')
					n--;
				out[n] = '\0';
				return (ssize_t)n;
			}
			if (n + 1 < outsz)
				out[n++] = c->buf[i];
			else
				toolong = 1;
		}
		c->off = c->len;
		if (conn_fill(c) == -1)
			return -1;
	}
}

static int
conn_write(struct conn *c, const char *s, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(c->fd, s, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

/* A reply: one line, or the table's lines separated by '|'. */
static int
reply(struct conn *c, const char *text)
{
	const char *p = text, *bar;
	char crlf[2] = { '\r', '\n' };

	for (;;) {
		bar = strchr(p, '|');
		if (conn_write(c, p, bar ? (size_t)(bar - p) : strlen(p)) == -1 ||
		    conn_write(c, crlf, sizeof(crlf)) == -1)
			return -1;
		if (bar == NULL)
			return 0;
		p = bar + 1;
	}
}

static int
replyf(struct conn *c, const char *fmt, ...)
{
	char line[REPLY_MAX_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	return reply(c, line);
}

/* ---------------------------------------------------------------- SMTP */

/* The path of "MAIL FROM:<a@b> ..." into out; its local part into local. */
static int
path_parse(const char *arg, char *out, size_t outsz, char *local,
    size_t localsz)
{
	const char *lt, *gt, *at, *plus;
	size_t len;

	if ((lt = strchr(arg, '<')) == NULL ||
	    (gt = strchr(lt, '>')) == NULL)
		return -1;
	len = (size_t)(gt - lt - 1);
	if (len >= outsz)
		return -1;
	memcpy(out, lt + 1, len);
	out[len] = '\0';
	at = strrchr(out, '@');
	len = at ? (size_t)(at - out) : strlen(out);
	/* "case+tag": the tag only tells messages apart. */
	if ((plus = memchr(out, '+', len)) != NULL)
		len = (size_t)(plus - out);
	if (len >= localsz)
		len = localsz - 1;
	memcpy(local, out, len);
	local[len] = '\0';
	return 0;
}

struct txn {
	int	have_mail;
	char	sender[512];
	size_t	nrcpt;
	char	rcpt[RCPT_MAX][256];
	const struct sink_case *data_case;	/* first data or eod case */
	int	bounce;		/* null sender, table and store both given */
};

static const char *
refused_name(const char *local)
{
	static char buf[REPLY_MAX_LEN];

	snprintf(buf, sizeof(buf),
	    "550 5.1.1 <%s>: no such case in the sink's table", local);
	return buf;
}

static int
do_mail(struct conn *c, struct txn *t, const char *arg)
{
	char local[NAME_MAX_LEN];
	const struct sink_case *k;

	if (t->have_mail)
		return reply(c, "503 5.5.1 Error: nested MAIL command");
	if (path_parse(arg, t->sender, sizeof(t->sender), local,
	    sizeof(local)) == -1)
		return reply(c, "501 5.5.4 Syntax: MAIL FROM:<address>");
	if (ncases > 0 && (k = case_find(local)) != NULL && k->stage == ST_MAIL)
		return reply(c, k->reply);
	t->have_mail = 1;
	t->bounce = (t->sender[0] == '\0' && ncases > 0 && store_dir != NULL);
	t->nrcpt = 0;
	t->data_case = NULL;
	return reply(c, "250 2.1.0 Ok");
}

static int
do_rcpt(struct conn *c, struct txn *t, const char *arg)
{
	char addr[256], local[NAME_MAX_LEN];
	const struct sink_case *k = NULL;

	if (!t->have_mail)
		return reply(c, "503 5.5.1 Error: need MAIL command");
	if (path_parse(arg, addr, sizeof(addr), local, sizeof(local)) == -1)
		return reply(c, "501 5.5.4 Syntax: RCPT TO:<address>");
	if (t->nrcpt == RCPT_MAX)
		return reply(c, "452 4.5.3 Error: too many recipients");
	if (ncases > 0 && !t->bounce && strcasecmp(local, "ok") != 0) {
		if ((k = case_find(local)) == NULL)
			return reply(c, refused_name(local));
		if (k->stage == ST_RCPT)
			return reply(c, k->reply);
		if ((k->stage == ST_DATA || k->stage == ST_EOD) &&
		    t->data_case == NULL)
			t->data_case = k;
	}
	memcpy(t->rcpt[t->nrcpt++], addr, strlen(addr) + 1);
	return reply(c, "250 2.1.5 Ok");
}

static int
store(const struct txn *t, const char *msg, size_t len)
{
	static unsigned seq;
	char tmp[4096], final[4096];
	FILE *fp;
	size_t i;

	snprintf(tmp, sizeof(tmp), "%s/.tmp.%ld", store_dir, (long)getpid());
	snprintf(final, sizeof(final), "%s/%ld.%ld.%u.eml", store_dir,
	    (long)time(NULL), (long)getpid(), seq++);
	if ((fp = fopen(tmp, "w")) == NULL)
		return -1;
	fprintf(fp, "Return-Path: <%s>\n", t->sender);
	for (i = 0; i < t->nrcpt; i++)
		fprintf(fp, "X-Sink-Recipient: %s\n", t->rcpt[i]);
	fwrite(msg, 1, len, fp);
	if (fclose(fp) != 0 || rename(tmp, final) == -1) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* After 354: the message up to the dot, bounded; LF line ends kept. */
static int
do_data(struct conn *c, struct txn *t)
{
	char line[LINE_MAX_LEN];
	char *msg = NULL;
	size_t len = 0, cap = 0, need;
	const char *p;
	ssize_t n;
	int toobig = 0, rc;

	if (!t->have_mail || t->nrcpt == 0)
		return reply(c, "503 5.5.1 Error: need RCPT command");
	if (t->data_case != NULL && t->data_case->stage == ST_DATA)
		return reply(c, t->data_case->reply);
	if (reply(c, "354 End data with <CR><LF>.<CR><LF>") == -1)
		return -1;
	for (;;) {
		n = conn_line(c, line, sizeof(line));
		if (n == -1) {
			free(msg);
			return -1;
		}
		/* n == -2: a long line, its head is kept */
		if (n >= 0 && strcmp(line, ".") == 0)
			break;
		p = line[0] == '.' ? line + 1 : line;
		need = strlen(p) + 1;
		if (toobig || len + need > MSG_MAX_LEN) {
			toobig = 1;
			continue;
		}
		if (len + need > cap) {
			cap = cap ? cap * 2 : 65536;
			while (cap < len + need)
				cap *= 2;
			if ((msg = realloc(msg, cap)) == NULL)
				die("out of memory");
		}
		memcpy(msg + len, p, need - 1);
		len += need - 1;
		msg[len++] = '\n';
	}
	if (toobig)
		rc = reply(c, "552 5.3.4 Message too big for the sink");
	else if (t->data_case != NULL)
		rc = reply(c, t->data_case->reply);
	else if (store_dir != NULL && (ncases == 0 || t->bounce) &&
	    store(t, msg ? msg : "", len) == -1)
		rc = reply(c, "451 4.3.0 Cannot store the message");
	else
		rc = reply(c, "250 2.0.0 Ok: queued");
	free(msg);
	t->have_mail = 0;
	return rc;
}

static void
session(int fd)
{
	struct conn c = { .fd = fd };
	struct txn t = { .have_mail = 0 };
	char line[LINE_MAX_LEN];
	const char *arg;
	ssize_t n;
	int rc;

	if (replyf(&c, "220 %s ESMTP test sink", host_name) == -1)
		return;
	for (;;) {
		n = conn_line(&c, line, sizeof(line));
		if (n == -1)
			return;
		if (n == -2) {
			rc = reply(&c, "500 5.5.2 Error: line too long");
			continue;
		}
		arg = line + (n >= 4 ? 4 : n);
		if (strncasecmp(line, "EHLO", 4) == 0)
			rc = replyf(&c, "250-%s|250-8BITMIME|250-SIZE 10485760|"
			    "250 ENHANCEDSTATUSCODES", host_name);
		else if (strncasecmp(line, "HELO", 4) == 0)
			rc = replyf(&c, "250 %s", host_name);
		else if (strncasecmp(line, "MAIL", 4) == 0)
			rc = do_mail(&c, &t, arg);
		else if (strncasecmp(line, "RCPT", 4) == 0)
			rc = do_rcpt(&c, &t, arg);
		else if (strncasecmp(line, "DATA", 4) == 0)
			rc = do_data(&c, &t);
		else if (strncasecmp(line, "RSET", 4) == 0) {
			t.have_mail = 0;
			rc = reply(&c, "250 2.0.0 Ok");
		} else if (strncasecmp(line, "NOOP", 4) == 0)
			rc = reply(&c, "250 2.0.0 Ok");
		else if (strncasecmp(line, "QUIT", 4) == 0) {
			reply(&c, "221 2.0.0 Bye");
			return;
		} else
			rc = reply(&c, "502 5.5.2 Error: command not recognized");
		if (rc == -1)
			return;
	}
}

/* ---------------------------------------------------------------- main */

static void
on_term(int sig)
{
	(void)sig;
	stopping = 1;
}

static void
on_chld(int sig)
{
	int saved = errno;

	(void)sig;
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	errno = saved;
}

static int
listen_on(const char *port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	char *end;
	long p;
	int fd, one = 1;

	p = strtol(port, &end, 10);
	if (*port == '\0' || *end != '\0' || p < 1 || p > 65535)
		die("bad port %s", port);
	sin.sin_port = htons((unsigned short)p);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		die("socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		die("bind 127.0.0.1:%s: %s", port, strerror(errno));
	if (listen(fd, 64) == -1)
		die("listen: %s", strerror(errno));
	return fd;
}

static void
child(int lfd, int fd)
{
	struct timeval tv = { .tv_sec = IDLE_SECONDS };

	close(lfd);
	signal(SIGCHLD, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	session(fd);
	close(fd);
	_exit(0);
}

int
main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_term };
	const char *port = NULL, *table = NULL;
	struct stat st;
	pid_t pid;
	int ch, lfd, fd;

	while ((ch = getopt(argc, argv, "d:h:p:t:")) != -1) {
		switch (ch) {
		case 'd':
			store_dir = optarg;
			break;
		case 'h':
			host_name = optarg;
			break;
		case 'p':
			port = optarg;
			break;
		case 't':
			table = optarg;
			break;
		default:
			die("usage: mta-sink -p PORT [-t TABLE] [-d DIR] [-h NAME]");
		}
	}
	if (port == NULL || (table == NULL && store_dir == NULL))
		die("usage: mta-sink -p PORT [-t TABLE] [-d DIR] [-h NAME]");
	if (table != NULL)
		table_load(table);
	if (store_dir != NULL && (stat(store_dir, &st) == -1 ||
	    !S_ISDIR(st.st_mode)))
		die("%s: not a directory", store_dir);
	lfd = listen_on(port);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = on_chld;
	sa.sa_flags = SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	while (!stopping) {
		fd = accept(lfd, NULL, NULL);
		if (fd == -1)
			continue;		/* EINTR: a child or a signal */
		if ((pid = fork()) == 0)
			child(lfd, fd);
		close(fd);
		if (pid == -1)
			fprintf(stderr, "mta-sink: fork: %s\n", strerror(errno));
	}
	return 0;
}
