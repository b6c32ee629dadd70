/*
 * floor-milter.c - the protocol floor for any milter that reads headers,
 * for the end-to-end benchmark: it asks Postfix for the headers alone,
 * with no reply to any of them (SMFIP_NR_HDR), skips every other event
 * (connect, HELO, MAIL, RCPT, DATA, end of headers, body) and answers
 * once, at the end of the message, CONTINUE. A filter that must read
 * headers cannot ask for less.
 *
 * usage: floor-milter SOCKET     (e.g. unix:/tmp/floor.sock)
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <libmilter/mfapi.h>

#define FLOOR_STEPS (SMFIP_NOCONNECT | SMFIP_NOHELO | SMFIP_NOMAIL \
		     | SMFIP_NORCPT | SMFIP_NODATA | SMFIP_NOUNKNOWN \
		     | SMFIP_NOEOH | SMFIP_NOBODY | SMFIP_NR_HDR)

static sfsistat floor_negotiate(SMFICTX *ctx, unsigned long f0,
				        unsigned long f1, unsigned long f2,
				        unsigned long f3, unsigned long *pf0,
				        unsigned long *pf1, unsigned long *pf2,
				        unsigned long *pf3)
{
    *pf0 = f0 & SMFIF_ADDHDRS;
    *pf1 = f1 & FLOOR_STEPS;
    *pf2 = 0;
    *pf3 = 0;
    return (SMFIS_CONTINUE);
}

static sfsistat floor_header(SMFICTX *ctx, char *name, char *value)
{
    return (SMFIS_NOREPLY);
}

static sfsistat floor_eom(SMFICTX *ctx)
{
    return (SMFIS_CONTINUE);
}

int     main(int argc, char **argv)
{
    struct smfiDesc desc;

    if (argc != 2) {
	fprintf(stderr, "usage: floor-milter SOCKET\n");
	return (2);
    }
    memset(&desc, 0, sizeof(desc));
    desc.xxfi_name = "floor";
    desc.xxfi_version = SMFI_VERSION;
    desc.xxfi_flags = SMFIF_ADDHDRS;
    desc.xxfi_header = floor_header;
    desc.xxfi_eom = floor_eom;
    desc.xxfi_negotiate = floor_negotiate;
    umask(007);
    if (smfi_setconn(argv[1]) == MI_FAILURE || smfi_register(desc) == MI_FAILURE
	|| smfi_opensocket(1) == MI_FAILURE) {
	fprintf(stderr, "floor-milter: cannot listen on %s\n", argv[1]);
	return (1);
    }
    return (smfi_main() == MI_SUCCESS ? 0 : 1);
}
