#!/bin/sh
# run.sh BUILD_DIR - the MTA matrix: real MTAs write bounces, the reader
# must read every one right.
#
# Private instances of Postfix, Exim 4, OpenSMTPD, Sendmail, Courier and
# the DragonFly Mail Agent (dma), from Debian's packages, run on
# 127.0.0.1 with their own configuration and spool. Each relays mail for
# sink.test to mta-sink, which answers from
# the reply table (tests/mta/replies: multi-line replies, basic and
# enhanced codes, vendors' texts, at MAIL FROM, RCPT TO, DATA and end of
# data, and 4xx replies that last until the message expires), and all
# other mail (the bounces and delay warnings) to a second mta-sink per
# MTA that stores each message in a file. dma is no daemon: messages are
# handed to it as to sendmail(1), and it sends everything to one smart
# host, an mta-sink that answers from the table and stores the null
# sender's mail (its bounces); it writes no delay notices, so it has no
# "delayed" cells. Queue lifetimes and warning
# times are seconds, so that expiry bounces and delay warnings come
# quickly. Then "smtp-explain parse --json" reads every stored bounce,
# and each recipient's finding is checked against the table: address,
# action, basic code, enhanced code and reason.
#
# Packages: Postfix is installed (as in the integration tests); the
# others are fetched with "apt-get download" into BUILD/mta/cache and
# unpacked each into its own tree under BUILD/mta/ (they conflict as
# installed packages); missing shared libraries they need are installed
# with apt-get. An MTA that cannot be fetched or started is skipped and
# says why. Needs root; as another user everything is skipped.
#
# tests/mta/known-wrong lists the misreads known today, each with the
# fields that may be wrong: a listed cell wrong in those fields passes as
# "known:FIELDS", one wrong in any other field fails. A listed cell that
# is right passes with a note (some misreads depend on the order in
# which an MTA lists recipients, which changes from run to run): remove
# its line once the reader is fixed.
#
# Courier's and dma's paths are compiled in: they run in namespaces with
# the package's tree and a private configuration laid over /usr and
# /etc (overlays, nothing written to the real ones) and a private /var.
#
# Environment: MTA_LIST (default "postfix exim opensmtpd sendmail
# courier dma"),
# MTA_REREAD=1 (run no MTA, read the bounces of the last run again),
# MTA_DEADLINE (seconds to wait for the queues, default 150),
# SMTP_EXPLAIN_KEEP=1 keeps the temporary folder. The stored bounces are
# copied to BUILD/mta/bounces/MTA/, and those misread to
# tests/mta/samples-found/.
#
# Prints the matrix and "N passed, M failed"; exits non-zero when
# anything failed.

[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=$(cd "${1:-build}" && pwd)
CLI="$BUILD/smtp-explain"
SINK="$BUILD/mta-sink"
TABLE="$HERE/replies"
KNOWN="$HERE/known-wrong"
MTADIR="$BUILD/mta"
CACHE="$MTADIR/cache"
MTAS=${MTA_LIST:-postfix exim opensmtpd sendmail courier dma}
DEADLINE=${MTA_DEADLINE:-150}
PATH="$PATH:/usr/sbin:/sbin"
export PATH

# The name every MTA gives itself, and the domains of the test.
HOST=mx.example.net
SINKDOM=sink.test
ORIGIN=origin.test

. "$ROOT/tests/integration/lib.sh"

if [ "$(id -u)" != 0 ]; then
    echo "SKIP mta matrix: private MTAs need root"
    exit 0
fi
for f in "$CLI" "$SINK"; do
    if [ ! -x "$f" ]; then
        echo "FAIL   $f not built"
        echo "0 passed, 1 failed"
        exit 1
    fi
done

t_init
chmod 755 "$T"
export DEBIAN_FRONTEND=noninteractive
trap mta_cleanup EXIT
trap 'exit 1' INT TERM

SKIPPED=
RUNNING=
APT_UPDATED=

skip() {
    echo "SKIP   $1: $2"
    SKIPPED="$SKIPPED $1"
}

# ---------------------------------------------------------------- packages

# apt_update_once - "apt-get update" at most once a run.
apt_update_once() {
    [ -n "$APT_UPDATED" ] && return 0
    APT_UPDATED=1
    apt-get update -q >>"$T/apt.log" 2>&1
}

# apt_install PKG... - install plain packages (libraries, m4) if missing.
apt_install() {
    local p missing=
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
            missing="$missing $p"
    done
    [ -z "$missing" ] && return 0
    echo "installing$missing"
    apt-get install -y -q --no-install-recommends $missing >>"$T/apt.log" 2>&1 && return 0
    apt_update_once
    apt-get install -y -q --no-install-recommends $missing >>"$T/apt.log" 2>&1
}

# fetch NAME PKG... - download the packages into the cache (once) and
# unpack them into $MTADIR/NAME; install the libraries they depend on.
# Sets TREE.
fetch() {
    local name=$1 p deb libs= stamp
    shift
    TREE="$MTADIR/$name"
    mkdir -p "$CACHE"
    for p in "$@"; do
        ls "$CACHE/${p}_"*.deb >/dev/null 2>&1 && continue
        if ! (cd "$CACHE" && apt-get download "$p" >>"$T/apt.log" 2>&1); then
            apt_update_once
            (cd "$CACHE" && apt-get download "$p" >>"$T/apt.log" 2>&1) || {
                T_WHY="apt-get download $p failed (see apt.log)"
                return 1
            }
        fi
    done
    stamp="$TREE/.unpacked"
    for p in "$@"; do
        deb=$(ls "$CACHE/${p}_"*.deb | tail -n 1)
        if [ ! -e "$stamp" ] || [ "$deb" -nt "$stamp" ]; then
            rm -rf "$TREE"
            break
        fi
    done
    if [ ! -e "$stamp" ]; then
        mkdir -p "$TREE"
        for p in "$@"; do
            deb=$(ls "$CACHE/${p}_"*.deb | tail -n 1)
            dpkg-deb -x "$deb" "$TREE" || { T_WHY="cannot unpack $deb"; return 1; }
        done
        touch "$stamp"
    fi
    # The shared libraries: every lib* package the packages depend on
    # (of alternatives, the first).
    for p in "$@"; do
        deb=$(ls "$CACHE/${p}_"*.deb | tail -n 1)
        libs="$libs $(dpkg-deb -f "$deb" Depends | tr ',' '\n' |
            sed -e 's/|.*//' -n -e 's/^ *\(lib[a-z0-9.+-]*\).*/\1/p')"
    done
    apt_install $(echo $libs | tr ' ' '\n' | sort -u) || {
        T_WHY="cannot install the libraries$libs"
        return 1
    }
}

# user NAME - a system user (and group) an MTA needs, made if missing.
need_user() {
    getent passwd "$1" >/dev/null && return 0
    useradd --system --user-group --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin "$1" >>"$T/apt.log" 2>&1
}

# linked BINARY - all its shared libraries are there.
linked() {
    if ldd "$1" 2>/dev/null | grep -q 'not found'; then
        T_WHY="$(basename "$1"): $(ldd "$1" | grep 'not found' | tr -s ' \t' ' ' | tr '\n' ';')"
        return 1
    fi
}

# ns_exec VAR -- COMMAND... - exec COMMAND in mount and UTS namespaces of
# its own: host name $HOST, an /etc/hosts that names it and an
# nsswitch.conf without DNS (no MTA here asks a name server anything),
# and, when VAR is not "-", the folder VAR bound over /var. Only for
# the MTAs fetched here: Postfix runs as the integration tests run it.
ns_files() {
    [ -e "$T/ns/hosts" ] && return 0
    mkdir -p "$T/ns"
    printf '127.0.0.1\tlocalhost %s\n::1\tlocalhost\n' "$HOST" >"$T/ns/hosts"
    printf 'passwd: files\ngroup: files\nshadow: files\nhosts: files\n' >"$T/ns/nsswitch.conf"
    chmod 644 "$T/ns/hosts" "$T/ns/nsswitch.conf"
}

ns_exec() {
    local var=$1
    shift 2
    ns_files
    exec unshare -m -u sh -c '
        ns=$1 var=$2 host=$3
        shift 3
        mount --make-rprivate / &&
        mount --bind "$ns/hosts" /etc/hosts &&
        mount --bind "$ns/nsswitch.conf" /etc/nsswitch.conf &&
        { [ "$var" = - ] || mount --bind "$var" /var; } &&
        hostname "$host" && exec "$@"' sh "$T/ns" "$var" "$HOST" "$@"
}

# ns_hold VAR LAYERS - namespaces for an MTA whose paths are compiled
# in and that leaves processes of its own behind (Courier, dma): mount,
# UTS and PID namespaces as ns_exec makes them, held open by a shell
# that only waits (and reaps). LAYERS is a list of DIR=TARGET: DIR is
# laid over TARGET as the upper, read-only layer of an overlay, so that
# the package's tree and a private configuration appear at the paths
# the programs know, nothing installed in the real ones. Sets NS_HOLD
# (the PID to stop: unshare, which then kills the namespace and every
# process in it) and NS_INIT (the PID to enter with ns_run).
NS_HOLD=
NS_INIT=
NS_N=0
ns_hold() {
    local var=$1 layers=$2 i=0 ready
    ns_files
    NS_N=$((NS_N + 1))
    ready="$T/ns/ready.$NS_N"
    unshare -m -u -p -f --kill-child sh -c '
        ns=$1 var=$2 host=$3 layers=$4 ready=$5
        mount --make-rprivate / || exit 1
        for l in $layers; do
            mount -t overlay overlay -o "lowerdir=${l%%=*}:${l#*=}" "${l#*=}" || exit 1
        done
        mount --bind "$ns/hosts" /etc/hosts &&
        mount --bind "$ns/nsswitch.conf" /etc/nsswitch.conf &&
        { [ "$var" = - ] || mount --bind "$var" /var; } &&
        hostname "$host" || exit 1
        : >"$ready"
        trap "exit 0" TERM
        while :; do sleep 1; done' sh "$T/ns" "$var" "$HOST" "$layers" "$ready" \
        >>"$T/ns/hold.log" 2>&1 &
    NS_HOLD=$!
    t_remember "$NS_HOLD"
    NS_INIT=
    while [ $i -lt 50 ]; do
        if [ -e "$ready" ]; then
            NS_INIT=$(tr -d ' ' <"/proc/$NS_HOLD/task/$NS_HOLD/children" 2>/dev/null)
            [ -n "$NS_INIT" ] && return 0
        fi
        t_gone "$NS_HOLD" && break
        sleep 0.1
        i=$((i + 1))
    done
    T_WHY="the namespaces do not start: $(tail -n 1 "$T/ns/hold.log" 2>/dev/null)"
    return 1
}

# ns_run INIT COMMAND... - COMMAND in the namespaces held by ns_hold.
ns_run() {
    local init=$1
    shift
    nsenter -t "$init" -m -u -p -- "$@"
}

# ns_stop HOLD INIT - end the namespaces ns_hold made, and all in them:
# the waiting shell ends on TERM (unshare itself ignores it), and with
# it the PID namespace; if it does not, unshare is killed, and kills it.
# A daemon started directly is "ns_stop PID PID": TERM, then KILL.
ns_stop() {
    [ -n "$1" ] || return 0
    [ -n "$2" ] && kill "$2" 2>/dev/null
    t_wait 15 t_gone "$1" || kill -9 "$1" 2>/dev/null
}

# started PID PORT - wait until PORT listens, or PID is gone.
started() {
    local i=0
    while [ $i -lt 150 ]; do
        t_listening "$2" && return 0
        t_gone "$1" && return 1
        sleep 0.2
        i=$((i + 1))
    done
    return 1
}

# ---------------------------------------------------------------- sinks

P_SINK=
sink_start() {
    P_SINK=$(t_free_port) || return 1
    "$SINK" -p "$P_SINK" -t "$TABLE" -h "mx.$SINKDOM" 2>>"$T/sink.log" &
    t_remember $!
    t_wait 10 t_listening "$P_SINK"
}

# store_start NAME - the mailbox of NAME's bounces; sets P_STORE.
store_start() {
    mkdir -p "$T/box/$1"
    P_STORE=$(t_free_port) || return 1
    "$SINK" -p "$P_STORE" -d "$T/box/$1" -h "mx.$ORIGIN" 2>>"$T/sink.log" &
    t_remember $!
    t_wait 10 t_listening "$P_STORE"
}

# ---------------------------------------------------------------- Postfix

postfix_start() {
    local cf="$T/postfix"
    command -v postfix >/dev/null 2>&1 || apt_install postfix ||
        { T_WHY="postfix is not installed and cannot be"; return 1; }
    mkdir -p "$cf" "$T/queue" "$T/data"
    chown postfix "$T/data"
    { t_main_cf_base "$HOST" example.net
    cat <<EOF
transport_maps = inline:{ $SINKDOM=smtp:[127.0.0.1]:$P_SINK }
default_transport = smtp:[127.0.0.1]:$P_STORE
relay_transport = smtp:[127.0.0.1]:$P_STORE
smtpd_relay_restrictions = permit_mynetworks, reject
queue_run_delay = 3s
minimal_backoff_time = 3s
maximal_backoff_time = 6s
maximal_queue_lifetime = 40s
bounce_queue_lifetime = 40s
delay_warning_time = 12s
smtp_tls_security_level = none
EOF
    } >"$cf/main.cf"
    t_postfix_run "$cf" "$1" || { T_WHY="see $T/postfix-check.log"; return 1; }
}

postfix_queue() {
    find "$T/queue/incoming" "$T/queue/active" "$T/queue/deferred" \
        "$T/queue/maildrop" "$T/queue/hold" -type f 2>/dev/null | wc -l
}

postfix_stop() {
    t_postfix_stop
}

# ---------------------------------------------------------------- Exim

EXIM_PID=
exim_start() {
    local port=$1 d="$T/exim" bin
    fetch exim exim4-daemon-light exim4-base || return 1
    need_user Debian-exim || { T_WHY="cannot add the user Debian-exim"; return 1; }
    bin="$TREE/usr/sbin/exim4"
    linked "$bin" || return 1
    mkdir -p "$d/spool" "$d/log"
    chown -R Debian-exim:Debian-exim "$d/spool" "$d/log"
    cat >"$d/exim.conf" <<EOF
# A private Exim for the MTA matrix: relays everything, no DNS.
exim_path = $bin
primary_hostname = $HOST
qualify_domain = example.net
spool_directory = $d/spool
log_file_path = $d/log/%slog
pid_file_path = $d/exim.pid
daemon_smtp_ports = $port
local_interfaces = 127.0.0.1
host_lookup =
rfc1413_hosts =
tls_advertise_hosts =
acl_smtp_rcpt = acl_rcpt
delay_warning = 12s
ignore_bounce_errors_after = 0s
timeout_frozen_after = 1m
queue_run_max = 10
remote_max_parallel = 4

begin acl
acl_rcpt:
  accept hosts = 127.0.0.1

begin routers
to_sink:
  driver = manualroute
  domains = $SINKDOM
  transport = smtp_sink
  route_list = * 127.0.0.1
  self = send
to_store:
  driver = manualroute
  transport = smtp_store
  route_list = * 127.0.0.1
  self = send

begin transports
smtp_sink:
  driver = smtp
  port = $P_SINK
  allow_localhost
  hosts_avoid_tls = *
smtp_store:
  driver = smtp
  port = $P_STORE
  allow_localhost
  hosts_avoid_tls = *

begin retry
*   *   F,40s,4s

begin rewrite
EOF
    "$bin" -C "$d/exim.conf" -bV >"$d/check.log" 2>&1 ||
        { T_WHY="exim -bV: $(tail -n 1 "$d/check.log")"; return 1; }
    (ns_exec - -- "$bin" -C "$d/exim.conf" -bdf -q4s) >>"$d/daemon.log" 2>&1 &
    EXIM_PID=$!
    t_remember "$EXIM_PID"
    started "$EXIM_PID" "$port" || { T_WHY="not listening, see $d/log/paniclog"; return 1; }
}

exim_queue() {
    find "$T/exim/spool/input" -name '*-H' 2>/dev/null | wc -l
}

exim_stop() {
    ns_stop "$EXIM_PID" "$EXIM_PID"
}

# ---------------------------------------------------------------- OpenSMTPD

# OpenSMTPD's spool, control socket and chroot are compiled in
# (/var/spool/smtpd, /var/run, /var/lib/opensmtpd/empty): its namespace
# (ns_exec) has a private /var bound over the real one.
OSMTPD_PID=
opensmtpd_start() {
    local port=$1 d="$T/opensmtpd" bin
    fetch opensmtpd opensmtpd || return 1
    need_user opensmtpd && need_user opensmtpq || { T_WHY="cannot add the users opensmtpd and opensmtpq"; return 1; }
    command -v unshare >/dev/null 2>&1 || { T_WHY="no unshare(1)"; return 1; }
    bin="$TREE/usr/sbin/smtpd"
    linked "$bin" || return 1
    mkdir -p "$d/var/spool/smtpd" "$d/var/run" "$d/var/lib/opensmtpd/empty" "$d/var/tmp"
    chmod 711 "$d/var/spool/smtpd"
    chmod 755 "$d/var" "$d/var/run" "$d/var/lib" "$d/var/lib/opensmtpd" "$d/var/lib/opensmtpd/empty"
    chmod 1777 "$d/var/tmp"
    cat >"$d/smtpd.conf" <<EOF
# A private OpenSMTPD for the MTA matrix.
bounce warn-interval 12s
listen on 127.0.0.1 port $port hostname $HOST
action "sink" relay host smtp+notls://127.0.0.1:$P_SINK helo $HOST ttl 40s
action "store" relay host smtp+notls://127.0.0.1:$P_STORE helo $HOST ttl 40s
match from any for domain "$SINKDOM" action "sink"
match from any for any action "store"
EOF
    chmod 644 "$d/smtpd.conf"
    (ns_exec "$d/var" -- "$bin" -d -f "$d/smtpd.conf") >>"$d/smtpd.log" 2>&1 &
    OSMTPD_PID=$!
    t_remember "$OSMTPD_PID"
    started "$OSMTPD_PID" "$port" || { T_WHY="not listening: $(tail -n 2 "$d/smtpd.log" | tr '\n' ' ')"; return 1; }
}

opensmtpd_queue() {
    find "$T/opensmtpd/var/spool/smtpd/queue" "$T/opensmtpd/var/spool/smtpd/incoming" \
        -type f 2>/dev/null | wc -l
}

# smtpctl in smtpd's namespaces, on its private socket.
opensmtpd_ctl() {
    [ -n "$OSMTPD_PID" ] || return 1
    nsenter -t "$(opensmtpd_child)" -m -u "$MTADIR/opensmtpd/usr/sbin/smtpctl" "$@"
}

opensmtpd_child() {
    # The unshare'd shell exec'd smtpd: the PID is smtpd's own.
    echo "$OSMTPD_PID"
}

opensmtpd_stop() {
    ns_stop "$OSMTPD_PID" "$OSMTPD_PID"
}

# ---------------------------------------------------------------- Sendmail

SENDMAIL_PID=
sendmail_start() {
    local port=$1 d="$T/sendmail" bin cfdir
    fetch sendmail sendmail-bin sendmail-base sendmail-cf || return 1
    command -v m4 >/dev/null 2>&1 || apt_install m4 || { T_WHY="no m4"; return 1; }
    bin="$TREE/usr/libexec/sendmail/sendmail"
    [ -x "$bin" ] || bin="$TREE/usr/lib/sm.bin/sendmail"
    linked "$bin" || return 1
    cfdir="$TREE/usr/share/sendmail/cf"
    mkdir -p "$d/queue"
    chmod 700 "$d/queue"
    : >"$d/aliases"
    : >"$d/statistics"
    printf 'hosts files\naliases files\n' >"$d/service.switch"
    # ParseLocal sends sink.test to the esmtp mailer (the sink's port);
    # everything else goes to the smart host (the mailbox's port).
    cat >"$d/sendmail.mc" <<EOF
divert(-1)
divert(0)dnl
VERSIONID(\`MTA matrix')dnl
OSTYPE(\`linux')dnl
define(\`confDOMAIN_NAME', \`$HOST')dnl
define(\`confDONT_PROBE_INTERFACES', \`true')dnl
define(\`confSERVICE_SWITCH_FILE', \`$d/service.switch')dnl
define(\`confHOSTS_FILE', \`/etc/hosts')dnl
define(\`QUEUE_DIR', \`$d/queue')dnl
define(\`confPID_FILE', \`$d/sendmail.pid')dnl
define(\`STATUS_FILE', \`$d/statistics')dnl
define(\`ALIAS_FILE', \`$d/aliases')dnl
define(\`confDEF_USER_ID', \`mail:mail')dnl
define(\`confTO_QUEUERETURN', \`40s')dnl
define(\`confTO_QUEUEWARN', \`12s')dnl
define(\`confMIN_QUEUE_AGE', \`0')dnl
define(\`confDELIVERY_MODE', \`background')dnl
define(\`confBIND_OPTS', \`-DNSRCH -DEFNAMES')dnl
define(\`confDONT_BLAME_SENDMAIL', \`GroupWritableDirPathSafe,WorldWritableAliasFile')dnl
define(\`confPRIVACY_FLAGS', \`goaway')dnl
define(\`confLOG_LEVEL', \`9')dnl
define(\`SMART_HOST', \`relay:[127.0.0.1]')dnl
define(\`RELAY_MAILER_ARGS', \`TCP \$h $P_STORE')dnl
define(\`ESMTP_MAILER_ARGS', \`TCP \$h $P_SINK')dnl
define(\`confCW_FILE', \`-o $d/local-host-names')dnl
DAEMON_OPTIONS(\`Family=inet, Name=MTA, Addr=127.0.0.1, Port=$port')dnl
FEATURE(\`nocanonify')dnl
FEATURE(\`promiscuous_relay')dnl
FEATURE(\`accept_unresolvable_domains')dnl
MAILER(\`smtp')dnl
LOCAL_RULE_0
R\$* < @ $SINKDOM . > \$*	\$#esmtp \$@ [127.0.0.1] \$: \$1 < @ $SINKDOM . > \$2
R\$* < @ $SINKDOM > \$*	\$#esmtp \$@ [127.0.0.1] \$: \$1 < @ $SINKDOM > \$2
EOF
    m4 -D_CF_DIR_="$cfdir/" "$cfdir/m4/cf.m4" "$d/sendmail.mc" >"$d/sendmail.cf" 2>"$d/m4.log" ||
        { T_WHY="m4: $(head -n 1 "$d/m4.log")"; return 1; }
    (ns_exec - -- "$bin" -C "$d/sendmail.cf" -bD -q4s -L sm-mta) >>"$d/daemon.log" 2>&1 &
    SENDMAIL_PID=$!
    t_remember "$SENDMAIL_PID"
    started "$SENDMAIL_PID" "$port" || { T_WHY="not listening: $(tail -n 2 "$d/daemon.log" | tr '\n' ' ')"; return 1; }
}

sendmail_queue() {
    find "$T/sendmail/queue" -name 'qf*' 2>/dev/null | wc -l
}

sendmail_stop() {
    ns_stop "$SENDMAIL_PID" "$SENDMAIL_PID"
}

# ---------------------------------------------------------------- Courier

# Courier's paths are compiled in (/etc/courier, /usr/lib/courier,
# /var/lib/courier): in its namespaces (ns_hold) the package's tree is
# laid over /usr, a private configuration over /etc, and a private /var
# is bound over the real one. courierd runs the esmtp module (routes in
# esmtproutes: the table's domain to the sink, all else to the mailbox)
# and the dsn module; couriertcpd runs courieresmtpd on the port. Queue
# and warning times and the retry schedule are seconds.
COURIER_HOLD=
COURIER_INIT=
courier_start() {
    local port=$1 d="$T/courier" c
    fetch courier courier-mta courier-base courier-authlib || return 1
    need_user courier || { T_WHY="cannot add the user courier"; return 1; }
    LD_LIBRARY_PATH="$TREE/usr/lib" linked "$TREE/usr/lib/courier/courier/courierd" || return 1
    c="$d/etc/courier"
    rm -rf "$d"
    mkdir -p "$c" "$d/var/lib/courier" "$d/var/tmp"
    cp -R "$TREE/etc/courier/." "$c/"
    cp -R "$TREE/var/lib/courier/." "$d/var/lib/courier/"
    mkdir -p "$d/var/lib/courier/sts"
    chown -R courier:courier "$d/var/lib/courier"
    chmod 1777 "$d/var/tmp"
    echo "$HOST" >"$c/me"
    echo example.net >"$c/defaultdomain"
    echo localhost >"$c/locals"
    printf '%s: [127.0.0.1],%s\n: [127.0.0.1],%s\n' "$SINKDOM" "$P_SINK" "$P_STORE" >"$c/esmtproutes"
    echo 40s >"$c/queuetime"
    echo 12s >"$c/warntime"
    echo 3s >"$c/retryalpha"
    echo 3 >"$c/retrybeta"
    echo 6s >"$c/retrygamma"
    echo 1 >"$c/retrymaxdelta"
    # No backscatter suppression (it would drop the bounces), no TLS.
    sed -i -e 's/^ESMTP_BLOCKBACKSCATTER=.*/ESMTP_BLOCKBACKSCATTER=/' \
        -e 's/^ESMTP_USE_STARTTLS=.*/ESMTP_USE_STARTTLS=0/' "$c/courierd"
    # Port, address, no DNS, no logger; the access file in the work folder.
    sed -i -e 's/^BOFHCHECKDNS=.*/BOFHCHECKDNS=0/' \
        -e "s/^PORT=.*/PORT=$port/" \
        -e "s|^ACCESSFILE=.*|ACCESSFILE=$d/smtpaccess|" \
        -e "s|^PIDFILE=.*|PIDFILE=$d/esmtpd.pid|" \
        -e 's/^TCPDOPTS=.*/TCPDOPTS="-noidentlookup -nodnslookup"/' "$c/esmtpd"
    echo "ADDRESS=127.0.0.1" >>"$c/esmtpd"
    printf '127.0.0.1\tallow,RELAYCLIENT\n' >"$d/smtpaccess.src"
    # No name server: Courier has a resolver of its own.
    echo "nameserver 127.0.0.1" >"$d/etc/resolv.conf"
    chmod -R a+rX "$d/etc"
    ns_hold "$d/var" "$d/etc=/etc $TREE/usr=/usr" || return 1
    COURIER_HOLD=$NS_HOLD
    COURIER_INIT=$NS_INIT
    ns_run "$COURIER_INIT" /usr/lib/courier/makedat -src="$d/smtpaccess.src" \
        -file="$d/smtpaccess.dat" -tmp="$d/smtpaccess.tmp" >>"$d/start.log" 2>&1 ||
        { T_WHY="makedat: $(tail -n 1 "$d/start.log")"; return 1; }
    # No MTA-STS: its look-ups would wait for a name server.
    ns_run "$COURIER_INIT" /usr/bin/testmxlookup --sts-cache-disable >>"$d/start.log" 2>&1 ||
        { T_WHY="testmxlookup: $(tail -n 1 "$d/start.log")"; return 1; }
    ns_run "$COURIER_INIT" /usr/sbin/courier start >>"$d/start.log" 2>&1 ||
        { T_WHY="courier start: $(tail -n 1 "$d/start.log")"; return 1; }
    ns_run "$COURIER_INIT" /usr/sbin/esmtpd start >>"$d/start.log" 2>&1 ||
        { T_WHY="esmtpd start: $(tail -n 1 "$d/start.log")"; return 1; }
    started "$COURIER_HOLD" "$port" || { T_WHY="not listening: $(tail -n 2 "$d/start.log" | tr '\n' ' ')"; return 1; }
}

courier_queue() {
    find "$T/courier/var/lib/courier/msgs" "$T/courier/var/lib/courier/tmp" -type f -name "C*" 2>/dev/null | wc -l
}

courier_stop() {
    ns_stop "$COURIER_HOLD" "$COURIER_INIT"
    COURIER_HOLD=
}

# ---------------------------------------------------------------- dma

# The DragonFly Mail Agent is no daemon: "dma -f SENDER RCPT..." takes a
# message on its standard input, spools it and forks a process per
# recipient that delivers it to the smart host, here an mta-sink that
# answers from the table and stores the null sender's mail (dma sends its
# bounces to the same smart host). Its configuration file is compiled in
# (/etc/dma/dma.conf): a private one is laid over /etc in its namespaces
# (ns_hold). dma writes no delay notices, and gives a message up only
# after 5 days, counted from its queue file's time: once every message
# has had its first try, the queue files are dated back 6 days and the
# queue is flushed ("dma -q"), which wakes the waiting processes within
# their 30 s sleep; each then tries again and bounces.
DMA_HOLD=
DMA_INIT=
DMA_AGED=
dma_start() {
    local d="$T/dma" p
    fetch dma dma || return 1
    getent passwd mail >/dev/null || { T_WHY="no user mail (dma runs as mail)"; return 1; }
    linked "$TREE/usr/sbin/dma" || return 1
    mkdir -p "$d/etc/dma" "$d/spool" "$T/box/dma"
    chown mail:mail "$d/spool"
    chmod 755 "$d" "$d/etc" "$d/etc/dma"
    p=$(t_free_port) || { T_WHY="no free port"; return 1; }
    "$SINK" -p "$p" -t "$TABLE" -d "$T/box/dma" -h "mx.$SINKDOM" 2>>"$T/sink.log" &
    t_remember $!
    t_wait 10 t_listening "$p" || { T_WHY="its smart host sink does not start"; return 1; }
    : >"$d/aliases"
    cat >"$d/etc/dma/dma.conf" <<EOF
SMARTHOST 127.0.0.1
PORT $p
SPOOLDIR $d/spool
ALIASES $d/aliases
MAILNAME $HOST
NULLCLIENT
EOF
    chmod 644 "$d/etc/dma/dma.conf" "$d/aliases"
    ns_hold - "$d/etc=/etc" || return 1
    DMA_HOLD=$NS_HOLD
    DMA_INIT=$NS_INIT
    DMA_AGED=
}

# dma_submit FROM RCPT... - the message on the standard input to dma.
dma_submit() {
    local from=$1
    shift
    ns_run "$DMA_INIT" "$MTADIR/dma/usr/sbin/dma" -f "$from" "$@" 2>>"$T/dma/submit.log" &&
        echo "END 250"
}

dma_queue() {
    find "$T/dma/spool" -name 'Q*' 2>/dev/null | wc -l
}

# dma_tick SECONDS - called once a second while the queues run: after
# the first tries, date the queue back and flush it (once).
dma_tick() {
    [ -z "$DMA_AGED" ] && [ "$1" -ge 5 ] || return 0
    DMA_AGED=1
    find "$T/dma/spool" -name 'Q*' -exec touch -d "@$(( $(date +%s) - 6 * 86400 ))" {} +
    ns_run "$DMA_INIT" "$MTADIR/dma/usr/sbin/dma" -q 2>>"$T/dma/submit.log"
}

dma_stop() {
    ns_stop "$DMA_HOLD" "$DMA_INIT"
    DMA_HOLD=
}

mta_cleanup() {
    local m
    for m in $RUNNING; do
        "${m}_stop"
    done
    RUNNING=
    t_cleanup
}

# ---------------------------------------------------------------- cases

# The MTAs that write no delay notices at all.
NO_NOTICES="dma"

# The table without comments: name stage code status reason delayed reply.
CASES="$T/cases"
grep -v '^#' "$TABLE" | grep -v '^[[:space:]]*$' >"$CASES"

# message MTA CASE - a short message for one case.
message() {
    printf 'From: Matrix Sender <%s>\n' "$3"
    printf 'To: <%s>\n' "$4"
    printf 'Subject: MTA matrix: %s\n' "$2"
    printf 'Message-ID: <%s.%s@%s>\n' "$2" "$1" "$ORIGIN"
    printf 'Date: %s\n' "$(LC_ALL=C date -R)"
    printf 'MIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n\n'
    printf 'This message tests how %s reports case %s.\n' "$1" "$2"
}

# submit MTA PORT FROM RCPT... - the message on the standard input to
# MTA: by SMTP on PORT, or with MTA_submit where the MTA has one (dma).
# Prints "END 250" when it was taken.
submit() {
    local mta=$1 port=$2
    shift 2
    if type "${mta}_submit" >/dev/null 2>&1; then
        "${mta}_submit" "$@"
    else
        t_smtp "$port" "$@"
    fi
}

# inject MTA PORT - one message per case, and one message with every
# RCPT case ("+multi") so that some bounces list several recipients.
inject() {
    local mta=$1 port=$2 name stage rest from rcpts= out bad=0
    while read -r name stage rest; do
        from="sender@$ORIGIN"
        [ "$stage" = mail ] && from="$name@$ORIGIN"
        out=$(message "$mta" "$name" "$from" "$name@$SINKDOM" |
            submit "$mta" "$port" "$from" "$name@$SINKDOM")
        case $out in
        *"END 250"*) ;;
        *) echo "FAIL   $mta: case $name not accepted: $(echo "$out" | tr '\n' ' ')"
           bad=$((bad + 1)) ;;
        esac
        [ "$stage" = rcpt ] && rcpts="$rcpts $name+multi@$SINKDOM"
    done <"$CASES"
    out=$(message "$mta" multi "sender@$ORIGIN" "several" |
        submit "$mta" "$port" "sender@$ORIGIN" $rcpts)
    case $out in
    *"END 250"*) ;;
    *) echo "FAIL   $mta: the multi-recipient message not accepted"; bad=$((bad + 1)) ;;
    esac
    return $bad
}

# ---------------------------------------------------------------- run

if [ -n "${MTA_REREAD:-}" ]; then
    # Read the bounces stored by the last run again (after a change to
    # the reader): no MTA runs.
    DONE_MTAS=
    for m in $MTAS; do
        [ -d "$MTADIR/bounces/$m" ] && DONE_MTAS="$DONE_MTAS $m"
    done
    INJECT_FAILED=0
    START_FAILED=0
else
    sink_start || { echo "FAIL   the sink does not start"; cat "$T/sink.log"; echo "0 passed, 1 failed"; exit 1; }

    INJECT_FAILED=0
    START_FAILED=0
    for m in $MTAS; do
        store_start "$m" || { skip "$m" "its mailbox sink does not start"; continue; }
        port=$(t_free_port) || { skip "$m" "no free port"; continue; }
        T_WHY=
        if ! "${m}_start" "$port"; then
            # A loaded machine can be slow to bring a daemon up: once more,
            # on another port. An MTA that was fetched and configured but
            # does not start is a failure, not a skip.
            echo "retry  $m: ${T_WHY:-cannot start}"
            "${m}_stop" 2>/dev/null
            port=$(t_free_port) || port=
            T_WHY=
            if [ -z "$port" ] || ! "${m}_start" "$port"; then
                echo "FAIL   $m: does not start: ${T_WHY:-no free port}"
                START_FAILED=$((START_FAILED + 1))
                SKIPPED="$SKIPPED $m"
                "${m}_stop" 2>/dev/null
                continue
            fi
        fi
        RUNNING="$RUNNING $m"
        echo "started $m on 127.0.0.1:$port"
        inject "$m" "$port" || INJECT_FAILED=$((INJECT_FAILED + $?))
    done

    # Wait until every queue is empty twice in a row (bounces included: a
    # bounce is queued before the message it reports is removed), or the
    # deadline. OpenSMTPD is told to retry now and then: its back-off grows
    # to minutes, longer than the 40 s lifetime.
    queues_empty() {
        local m n total=0
        for m in $RUNNING; do
            n=$("${m}_queue")
            total=$((total + n))
        done
        [ "$total" -eq 0 ]
    }
    waited=0
    empty=0
    start=$(date +%s)
    while [ $((waited)) -lt "$DEADLINE" ]; do
        if queues_empty; then
            empty=$((empty + 1))
            [ $empty -ge 2 ] && break
        else
            empty=0
        fi
        case " $RUNNING " in
        *" opensmtpd "*) opensmtpd_ctl schedule all >/dev/null 2>&1 ;;
        esac
        case " $RUNNING " in
        *" dma "*) dma_tick "$waited" ;;
        esac
        sleep 1
        waited=$(( $(date +%s) - start ))
    done
    echo "queues done after ${waited}s"
    for m in $RUNNING; do
        n=$("${m}_queue")
        [ "$n" -eq 0 ] || echo "FAIL   $m: $n messages still queued after ${DEADLINE}s"
    done

    # Stop the MTAs before reading: nothing more is written.
    for m in $RUNNING; do
        "${m}_stop"
    done
    DONE_MTAS=$RUNNING
    RUNNING=

    # Keep the bounces where a person can look at them.
    rm -rf "$MTADIR/bounces"
    mkdir -p "$MTADIR/bounces"
    for m in $DONE_MTAS; do
        cp -R "$T/box/$m" "$MTADIR/bounces/$m"
    done
fi

# ---------------------------------------------------------------- check

# kind FILE MTA - "warning" for a delay notice (its Subject says delayed
# or warning), else "final". OpenSMTPD 6.8 writes its expiry notice as a
# delay notice ("Envelope expired"): that one is final.
kind() {
    if ! awk '/^$/ { exit 1 } /^[Ss]ubject:.*([Dd]elay|[Ww]arning)/ { exit 0 }' "$1"; then
        echo final
    elif [ "$2" = opensmtpd ] && grep -q 'Envelope expired' "$1"; then
        echo final
    else
        echo warning
    fi
}

# findings: one line per finding of every stored bounce:
#   mta file kind recipient action replycode status reason
FINDINGS="$T/findings"
: >"$FINDINGS"
for m in $DONE_MTAS; do
    for f in "$MTADIR/bounces/$m"/*.eml; do
        [ -e "$f" ] || continue
        "$CLI" parse --json "$f" 2>>"$T/parse.log" |
            awk -v m="$m" -v f="$(basename "$f")" -v k="$(kind "$f" "$m")" '
            function field(name,   r) {
                r = "\"" name "\":\"[^\"]*\""
                if (!match($0, r)) return "-"
                r = substr($0, RSTART + length(name) + 4, RLENGTH - length(name) - 5)
                return r == "" ? "-" : r
            }
            { print m, f, k, tolower(field("recipient")), field("action"),
                field("replycode"), field("status"), field("reason") }' >>"$FINDINGS"
    done
done

# The check itself, in awk: the table, the known-wrong list, the findings
# and which MTAs ran; prints the matrix, the details and the totals.
#
# A cell is one MTA and one case, "failed" (the final bounce) or, for a
# 4xx case, "delayed" (the delay notices). Every recipient of the case
# (the case's own message, and the multi-recipient one for RCPT cases)
# must have a finding there, and every finding must be right:
#   action   failed in a final bounce, delayed in a delay notice
#   code     the basic code of the table
#   status   the enhanced code of the table (not checked for "-")
#   reason   the table's reason (delayed-reason in a delay notice)
# An MTA that writes no delay notices (NO_NOTICES) has no "delayed"
# cells.
# An MTA that does not carry the remote reply into its bounce (the code,
# or the enhanced code, is nowhere in the file) is not held to it: that
# field is not checked, and a 4xx case's reason is then "expired".
awk -v mtas="$DONE_MTAS" -v skipped="$SKIPPED" -v sinkdom="$SINKDOM" -v nowarn="$NO_NOTICES" \
    -v box="$MTADIR/bounces" -v known_file="$KNOWN" -v out="$T/misread" '
function carries(m, file, re,   cmd) {
    cmd = "grep -q -E -e \"" re "\" \"" box "/" m "/" file "\""
    return system(cmd) == 0
}
function code_re(c) { return "(^|[^0-9])" c "[ -]" }
function status_re(s) { gsub(/\./, "[.]", s); return "(^|[^0-9.])" s "([^0-9]|$)" }
# subset("a,b", "a,b,c"): every field of the first list is in the second.
function subset(a, b,   n, x, i) {
    n = split(a, x, ",")
    for (i = 1; i <= n; i++)
        if (index("," b ",", "," x[i] ",") == 0) return 0
    return 1
}
function add_wrong(key, what) {
    if (bad[key] == "") bad[key] = what
    else if (index("," bad[key] ",", "," what ",") == 0) bad[key] = bad[key] "," what
}
BEGIN {
    nm = split(mtas, mta, " ")
    while ((getline line < known_file) > 0) {
        if (line ~ /^[[:space:]]*(#|$)/) continue
        split(line, k, /[[:space:]]+/)
        known[k[1] SUBSEP k[2] SUBSEP k[3]] = k[4]
    }
}
FILENAME == ARGV[1] {
    nc++
    cname[nc] = $1; stage[$1] = $2; code[$1] = $3; status[$1] = $4
    reason[$1] = $5; dreason[$1] = $6
    temp[$1] = ($3 ~ /^4/)
    r = $0
    for (i = 1; i <= 6; i++) sub(/^[ \t]*[^ \t]+/, "", r)
    sub(/^[ \t]+/, "", r)
    gsub(/\|/, " ", r)
    label[$1] = $1 " " $2 " " substr(r, 1, 26)
    next
}
{
    # mta file kind recipient action replycode status reason
    m = $1; file = $2; rcpt = $4
    local = rcpt; sub(/@.*/, "", local); sub(/\+.*/, "", local)
    if (rcpt !~ ("@" sinkdom "$") || !(local in stage)) {
        stray[m] = stray[m] " " file ":" rcpt
        next
    }
    kind = ($3 == "warning") ? "delayed" : "failed"
    key = m SUBSEP local SUBSEP kind
    seen[key SUBSEP rcpt] = 1
    want_reason = (kind == "delayed") ? dreason[local] : reason[local]
    has_code = carries(m, file, code_re(code[local]))
    wrong = ""
    if ($5 != kind) wrong = wrong ",action"
    if (has_code && $6 != code[local]) wrong = wrong ",code"
    if (status[local] != "-" && carries(m, file, status_re(status[local])) &&
        $7 != status[local])
        wrong = wrong ",status"
    if (!has_code && temp[local]) want_reason = "expired"
    if ((has_code || temp[local]) && $8 != want_reason) wrong = wrong ",reason"
    if (wrong != "") {
        n = split(substr(wrong, 2), w, ",")
        for (i = 1; i <= n; i++) add_wrong(key, w[i])
        got[key] = got[key] sprintf("\n         %s %s: action=%s code=%s status=%s reason=%s",
            file, rcpt, $5, $6, $7, $8)
        files[key] = files[key] " " file
    }
}
END {
    printf "\n%-40s", "case (stage, reply)"
    for (i = 1; i <= nm; i++) printf " %-17s", mta[i]
    printf "\n"
    for (c = 1; c <= nc; c++) {
        n = cname[c]
        for (pass = 1; pass <= 1 + temp[n]; pass++) {
            kind = pass == 1 ? "failed" : "delayed"
            printf "%-40s", kind == "delayed" ? "  " n " delay notice" : label[n]
            for (i = 1; i <= nm; i++) {
                m = mta[i]; key = m SUBSEP n SUBSEP kind
                if (kind == "delayed" && index(" " nowarn " ", " " m " ")) {
                    printf " %-17s", "(no notices)"
                    continue
                }
                # The recipients that must be there.
                nr = 0
                r1[++nr] = n "@" sinkdom
                if (stage[n] == "rcpt") r1[++nr] = n "+multi@" sinkdom
                for (j = 1; j <= nr; j++) {
                    if ((key SUBSEP r1[j]) in seen) continue
                    # In a stored bounce at all? Then the reader missed it.
                    cmd = "grep -l -i -F -e \"" r1[j] "\" " box "/" m "/*.eml 2>/dev/null"
                    fnd = ""
                    while ((cmd | getline f) > 0) {
                        sub(/.*\//, "", f)
                        # A final bounce must be among the final files, a
                        # delay notice among the notices.
                        fnd = fnd " " f
                    }
                    close(cmd)
                    add_wrong(key, fnd != "" ? "notfound" : "nobounce")
                    got[key] = got[key] "\n         " r1[j] ": no finding" \
                        (fnd != "" ? " (named in" fnd ")" : " (in no bounce)")
                    if (fnd != "") files[key] = files[key] fnd
                }
                r = bad[key]
                if (r == "") {
                    res = "ok"; npass++
                    if (key in known)
                        note[++nn] = m " " n " " kind ": right this time, listed in known-wrong as " known[key]
                } else if ((key in known) && subset(r, known[key])) {
                    res = "known:" r; nknown++; npass++
                    print m, n, kind, files[key] > out
                } else {
                    res = r; nfail++
                    detail[++nd] = sprintf("%s %s %s: wrong %s; want code=%s status=%s reason=%s%s",
                        m, n, kind, r, code[n], status[n],
                        kind == "delayed" ? dreason[n] : reason[n], got[key])
                    print m, n, kind, files[key] > out
                }
                printf " %-17s", res
            }
            printf "\n"
        }
    }
    ns = split(skipped, sk, " ")
    for (i = 1; i <= ns; i++) printf "%-40s %s\n", "(skipped)", sk[i]
    for (i = 1; i <= nm; i++)
        if (stray[mta[i]] != "") {
            nfail++
            detail[++nd] = mta[i] ": findings for no case of the table:" stray[mta[i]]
        }
    printf "\n"
    for (i = 1; i <= nn; i++) print "note   " note[i]
    for (i = 1; i <= nd; i++) print "FAIL   " detail[i]
    printf "mta matrix: %d MTAs, %d cells right (%d of them as known-wrong lists), %d wrong\n",
        nm, npass, nknown, nfail
    printf "%d passed, %d failed\n", npass, nfail
    exit nfail > 0
}' "$CASES" "$FINDINGS"
rc=$?

# The bounces misread, for whoever fixes the reader.
rm -rf "$HERE/samples-found"
if [ -s "$T/misread" ]; then
    mkdir -p "$HERE/samples-found"
    while read -r m n kind files; do
        i=0
        for f in $(echo $files | tr ' ' '\n' | sort -u); do
            i=$((i + 1))
            cp "$MTADIR/bounces/$m/$(basename "$f")" \
                "$HERE/samples-found/$m-$n-$kind-$i.eml" 2>/dev/null
        done
    done <"$T/misread"
fi
[ "$INJECT_FAILED" -eq 0 ] || rc=1
[ "$START_FAILED" -eq 0 ] || rc=1
exit $rc
