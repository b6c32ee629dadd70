/*
 * noop-milter.c - the protocol floor for the end-to-end benchmark: a
 * libmilter filter that registers every callback and answers CONTINUE
 * to each, adding nothing. Whatever smtp-explain-milter costs beyond
 * this is its own work.
 *
 * usage: noop-milter SOCKET     (e.g. unix:/tmp/noop.sock)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libmilter/mfapi.h>

static sfsistat noop_connect(SMFICTX *c, char *h, _SOCK_ADDR *a) { return (SMFIS_CONTINUE); }
static sfsistat noop_helo(SMFICTX *c, char *h) { return (SMFIS_CONTINUE); }
static sfsistat noop_envfrom(SMFICTX *c, char **a) { return (SMFIS_CONTINUE); }
static sfsistat noop_envrcpt(SMFICTX *c, char **a) { return (SMFIS_CONTINUE); }
static sfsistat noop_header(SMFICTX *c, char *n, char *v) { return (SMFIS_CONTINUE); }
static sfsistat noop_eoh(SMFICTX *c) { return (SMFIS_CONTINUE); }
static sfsistat noop_body(SMFICTX *c, unsigned char *b, size_t n) { return (SMFIS_CONTINUE); }
static sfsistat noop_eom(SMFICTX *c) { return (SMFIS_CONTINUE); }
static sfsistat noop_abort(SMFICTX *c) { return (SMFIS_CONTINUE); }
static sfsistat noop_close(SMFICTX *c) { return (SMFIS_CONTINUE); }

int     main(int argc, char **argv)
{
    struct smfiDesc desc;

    if (argc != 2) {
	fprintf(stderr, "usage: noop-milter SOCKET\n");
	return (2);
    }
    memset(&desc, 0, sizeof(desc));
    desc.xxfi_name = "noop";
    desc.xxfi_version = SMFI_VERSION;
    desc.xxfi_flags = SMFIF_ADDHDRS;
    desc.xxfi_connect = noop_connect;
    desc.xxfi_helo = noop_helo;
    desc.xxfi_envfrom = noop_envfrom;
    desc.xxfi_envrcpt = noop_envrcpt;
    desc.xxfi_header = noop_header;
    desc.xxfi_eoh = noop_eoh;
    desc.xxfi_body = noop_body;
    desc.xxfi_eom = noop_eom;
    desc.xxfi_abort = noop_abort;
    desc.xxfi_close = noop_close;
    umask(007);
    if (smfi_setconn(argv[1]) == MI_FAILURE || smfi_register(desc) == MI_FAILURE
	|| smfi_opensocket(1) == MI_FAILURE) {
	fprintf(stderr, "noop-milter: cannot listen on %s\n", argv[1]);
	return (1);
    }
    return (smfi_main() == MI_SUCCESS ? 0 : 1);
}
