# lib.sh - shell library for the integration tests (sourced by bash).
#
# A private Postfix on loopback: its own config and queue directories in
# a temporary folder, random free ports, no chroot, its log in a file
# (there may be no syslog), smtp-sink as the next hop. Every process is
# started here, remembered by PID and stopped by PID; every wait is a
# bounded poll that ends by itself.
#
#   t_require                   install postfix and miltertest (root), or skip
#   t_preflight WHAT            t_require, root, and the milter built, or stop
#   t_install CMD:PKG...        commands a suite needs, installed when root
#                               (no daemon started), else 1
#   t_master_services           the master.cf services a private instance needs
#   t_delivered TEXT            wait for a message with TEXT at the "ok" sink
#   t_init                      make the temporary folder ($T)
#   t_pass NAME / t_fail NAME WHY   count and print results
#   t_wait SECONDS COMMAND...   poll COMMAND every 0.2 s until it succeeds
#   t_free_port                 print a free TCP port on 127.0.0.1
#   t_listening PORT            is something listening on 127.0.0.1:PORT?
#   t_sink NAME PORT [ARGS]     start smtp-sink dumping into $T/NAME/
#   t_sockdir DIR               make DIR a socket directory owned by nobody
#   t_milter_start BUILD CONF [PORT]   start the milter (unix or inet)
#   t_main_cf_base HOST DOMAIN  main.cf lines every private instance shares
#   t_postfix_main              main.cf: the shared lines, then stdin's
#   t_postfix_start P OK BAD    write main.cf/master.cf and start Postfix
#   t_postfix_go CF P           master.cf's services, check, start, wait
#   t_smtp PORT FROM RCPT... < MSG   one SMTP transaction; prints replies
#   t_cleanup                   stop everything started, remove $T

T=
T_PIDS=
T_POSTFIX=
T_PASSED=0
T_FAILED=0

# t_require - the packages, installed when root; else skip (exit 0).
t_require() {
    local missing= c
    for c in postfix smtp-sink miltertest; do
        command -v "$c" >/dev/null 2>&1 || missing="$missing $c"
    done
    [ -z "$missing" ] && return 0
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        echo "SKIP integration tests: missing$missing; install the Debian" \
             "packages postfix and miltertest (or run as root)"
        exit 0
    fi
    echo "installing postfix and miltertest"
    echo "postfix postfix/main_mailer_type select No configuration" |
        debconf-set-selections 2>/dev/null
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y -q postfix miltertest >/dev/null 2>&1; then
        apt-get update -q >/dev/null 2>&1
        apt-get install -y -q postfix miltertest >/dev/null 2>&1 || {
            echo "FAIL   cannot install postfix and miltertest"
            echo "0 passed, 1 failed"
            exit 1
        }
    fi
}

# t_install CMD:PKG... - each CMD on the PATH, else its Debian package
# PKG installed (root only). A package that ships a daemon (opendkim)
# must not start it: a policy-rc.d that refuses is put in place for the
# install when there is none. 0 when every CMD is there afterwards.
t_install() {
    local want= c pkg policy=/usr/sbin/policy-rc.d made=
    for c in "$@"; do
        command -v "${c%%:*}" >/dev/null 2>&1 || want="$want ${c#*:}"
    done
    [ -z "$want" ] && return 0
    [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 || return 1
    echo "installing$want"
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && made=1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q --no-install-recommends $want >/dev/null 2>&1 || {
        apt-get update -q >/dev/null 2>&1
        apt-get install -y -q --no-install-recommends $want >/dev/null 2>&1
    }
    [ -n "$made" ] && rm -f "$policy"
    for c in "$@"; do
        command -v "${c%%:*}" >/dev/null 2>&1 || return 1
    done
    return 0
}

# t_preflight WHAT - the checks every suite starts with: the packages,
# root (a private Postfix needs it), the milter built ($MILTER).
t_preflight() {
    t_require
    if [ "$(id -u)" != 0 ]; then
        echo "SKIP $1: a private Postfix needs root"
        exit 0
    fi
    if [ ! -x "$MILTER" ]; then
        echo "FAIL   $MILTER not built"
        echo "0 passed, 1 failed"
        exit 1
    fi
}

# t_master_services - Debian's master.cf services, without chroot, for a
# private instance: the caller adds its own smtpd listeners.
t_master_services() {
    cat <<'EOF'
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF
}

# t_delivered TEXT - wait for a message containing TEXT at the "ok" sink;
# its path in T_MSG and its header (after the sink's lines) in T_MSG.head.
t_sink_has() {
    [ -n "$(t_sink_find ok "$1")" ]
}

t_delivered() {
    t_wait 30 t_sink_has "$1" || {
        T_WHY="no message with \"$1\" reached the sink"
        return 1
    }
    T_MSG=$(t_sink_find ok "$1")
    awk '/^$/ { exit } { print }' "$T_MSG" >"$T_MSG.head"
}

t_init() {
    T=$(mktemp -d "${TMPDIR:-/tmp}/smtp-explain-it.XXXXXX") || exit 1
    # Postfix and the milter run as other users and must reach in.
    chmod 755 "$T"
}

t_pass() {
    T_PASSED=$((T_PASSED + 1))
    printf 'ok     %s\n' "$1"
}

t_fail() {
    T_FAILED=$((T_FAILED + 1))
    printf 'FAIL   %s: %s\n' "$1" "$2"
}

# check NAME COMMAND... - one test: pass when COMMAND succeeds, else fail
# with the reason it left in T_WHY.
check() {
    local name=$1
    shift
    if "$@"; then t_pass "$name"; else t_fail "$name" "${T_WHY:-failed}"; fi
    T_WHY=
}

# t_wait SECONDS COMMAND... - poll every 0.2 s; 0 when COMMAND succeeded.
t_wait() {
    local limit=$(( $1 * 5 )) i=0
    shift
    while [ $i -lt $limit ]; do
        "$@" && return 0
        sleep 0.2
        i=$((i + 1))
    done
    return 1
}

t_listening() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

t_free_port() {
    local p i=0 lo
    # Below the kernel's ephemeral range: a port picked there may be the
    # local end of some client connection a moment later, and then the
    # listener cannot bind it.
    lo=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null)
    [ -n "$lo" ] && [ "$lo" -gt 12000 ] || lo=32768
    while [ $i -lt 50 ]; do
        p=$(( 10000 + (RANDOM * 32768 + RANDOM) % (lo - 10000) ))
        if ! t_listening "$p"; then
            echo "$p"
            return 0
        fi
        i=$((i + 1))
    done
    return 1
}

t_remember() {
    T_PIDS="$T_PIDS $1"
}

# t_sink NAME PORT [ARGS...] - smtp-sink on 127.0.0.1:PORT, dumps in $T/NAME/.
t_sink() {
    local name=$1 port=$2
    shift 2
    mkdir -p "$T/$name"
    chown postfix "$T/$name"
    smtp-sink -u postfix -h "$name.test" -d "$T/$name/%M." "$@" \
        "127.0.0.1:$port" 10 >"$T/$name.log" 2>&1 &
    t_remember $!
    t_wait 10 t_listening "$port"
}

# t_sockdir DIR - a directory for unix sockets, owned by nobody (the
# user the tests run the milter as), as a packaged install has one: the
# milter creates its socket as that user.
t_sockdir() {
    mkdir -p "$1" && chown nobody "$1" && chmod 755 "$1"
}

# t_milter_start BUILD CONF [PORT] - the milter in the foreground, as
# nobody, on unix:$T/sock/milter.sock, or on 127.0.0.1:PORT when PORT is
# given. Sets T_MILTER_PID and T_MILTER_PF (the socket in Postfix's
# syntax).
t_milter_start() {
    local build=$1 conf=$2 port=${3:-} spec
    if [ -n "$port" ]; then
        spec="inet:$port@127.0.0.1"
        T_MILTER_PF="inet:127.0.0.1:$port"
    else
        t_sockdir "$T/sock" || return 1
        spec="unix:$T/sock/milter.sock"
        T_MILTER_PF=$spec
    fi
    # T_WRAP: a command to run it under (valgrind), may be empty.
    ${T_WRAP:-} "$build/smtp-explain-milter" -f -u nobody ${conf:+-c "$conf"} \
        -p "$spec" 2>>"$T/milter.log" &
    T_MILTER_PID=$!
    t_remember "$T_MILTER_PID"
    t_wait 30 t_log_has "$T/milter.log" "starting:"
}

# t_milter_stop - SIGTERM (libmilter's stop) and wait; sets T_MILTER_STATUS.
t_milter_stop() {
    kill "$T_MILTER_PID" 2>/dev/null
    t_wait 30 t_gone "$T_MILTER_PID" || kill -9 "$T_MILTER_PID" 2>/dev/null
    wait "$T_MILTER_PID" 2>/dev/null
    T_MILTER_STATUS=$?
    T_PIDS=$(echo "$T_PIDS" | sed "s/ $T_MILTER_PID\b//")
}

# t_log_has FILE TEXT - fixed-string search (for t_wait).
t_log_has() {
    grep -qF -- "$2" "$1" 2>/dev/null
}

# t_main_cf_base HOSTNAME DOMAIN - the main.cf lines every private
# instance shares (the layout above: $T/queue, $T/data, $T/postfix.log):
# loopback only, no DNS, no local delivery, no throttling. Callers add
# their relay domains, transports and milters.
t_main_cf_base() {
    cat <<EOF
compatibility_level = 3.6
queue_directory = $T/queue
data_directory = $T/data
mail_owner = postfix
maillog_file_prefixes = $T
maillog_file = $T/postfix.log
myhostname = $1
mydomain = $2
myorigin = \$myhostname
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtp_dns_support_level = disabled
smtp_host_lookup = native
alias_maps =
alias_database =
local_recipient_maps =
notify_classes =
biff = no
smtputf8_enable = no
in_flow_delay = 0
EOF
}

# t_postfix_main - the private instance's main.cf: the lines every
# suite shares, then the suite's own from standard input (its folders
# made; the configuration folder is $T/postfix).
t_postfix_main() {
    mkdir -p "$T/postfix" "$T/queue" "$T/data"
    chown postfix "$T/data"
    { t_main_cf_base mx.test test; cat; } >"$T/postfix/main.cf"
}

# t_postfix_start SMTPD_PORT SINK_OK_PORT SINK_BAD_PORT
t_postfix_start() {
    local port=$1 ok=$2 bad=$3
    t_postfix_main <<EOF
relay_domains = sender.test
relay_recipient_maps = inline:{ alice@sender.test=ok, carol@sender.test=ok }
transport_maps = inline:{ sender.test=smtp:[127.0.0.1]:$ok, bad.test=smtp:[127.0.0.1]:$bad, reject.test=smtp:[127.0.0.1]:$bad }
queue_run_delay = 2s
minimal_backoff_time = 2s
maximal_backoff_time = 4s
smtpd_milters = $T_MILTER_PF
non_smtpd_milters = { $T_MILTER_PF, default_action=accept }
internal_mail_filter_classes = bounce
milter_default_action = tempfail
EOF
    t_postfix_run "$T/postfix" "$port"
}

# t_postfix_run CF PORT - the instance whose main.cf is in CF, with
# smtpd on 127.0.0.1:PORT only (see t_postfix_go).
t_postfix_run() {
    local cf=$1 port=$2
    printf '127.0.0.1:%s inet n - n - - smtpd\n' "$port" >"$cf/master.cf"
    t_postfix_go "$cf" "$port"
}

# t_postfix_go CF PORT - Debian's services without chroot added to the
# listeners already in CF/master.cf; checked, started, and listening on
# PORT (sets T_POSTFIX).
t_postfix_go() {
    local cf=$1 port=$2
    t_master_services >>"$cf/master.cf"
    postfix -c "$cf" check >"$T/postfix-check.log" 2>&1 || return 1
    postfix -c "$cf" start >"$T/postfix-start.log" 2>&1 || return 1
    T_POSTFIX=$cf
    t_wait 30 t_listening "$port"
}

t_postfix_stop() {
    local pid
    [ -n "$T_POSTFIX" ] || return 0
    pid=$(sed -n '1s/ //gp' "$T/queue/pid/master.pid" 2>/dev/null)
    postfix -c "$T_POSTFIX" stop >/dev/null 2>&1
    T_POSTFIX=
    if [ -n "$pid" ]; then
        t_wait 20 t_gone "$pid" || kill -9 "$pid" 2>/dev/null
    fi
}

t_gone() {
    ! kill -0 "$1" 2>/dev/null
}

# t_smtp_read - last line of one reply into T_REPLY; 1 on timeout or EOF.
t_smtp_read() {
    local line
    while IFS= read -r -t 30 line <&3; do
        line=${line%$'\r'}
        case $line in
        [0-9][0-9][0-9]-*) continue ;;
        esac
        T_REPLY=$line
        return 0
    done
    return 1
}

# t_smtp_cmd LABEL COMMAND - send, read the reply, print "LABEL reply".
t_smtp_cmd() {
    printf '%s\r\n' "$2" >&3
    t_smtp_read || { echo "$1 (no reply)"; return 1; }
    echo "$1 $T_REPLY"
}

# t_smtp PORT FROM RCPT... < MESSAGE - one transaction, replies on stdout:
#   MAIL 250 ..., RCPT 550 ..., DATA 354 ..., END 250 ... (after the dot)
t_smtp() {
    local port=$1 from=$2 r
    shift 2
    exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
    t_smtp_read || { exec 3>&-; return 1; }
    t_smtp_cmd EHLO "EHLO client.test" >/dev/null
    t_smtp_cmd MAIL "MAIL FROM:<$from>"
    for r in "$@"; do
        t_smtp_cmd RCPT "RCPT TO:<$r>"
    done
    t_smtp_cmd DATA "DATA"
    case $T_REPLY in
    354*)
        # CRLF line ends and dot-stuffing, then the end of data.
        sed -e 's/\r$//' -e 's/^\./../' -e 's/$/\r/' >&3
        printf '.\r\n' >&3
        t_smtp_read && echo "END $T_REPLY"
        ;;
    esac
    t_smtp_cmd QUIT QUIT >/dev/null
    exec 3>&-
    return 0
}

# t_sink_find NAME TEXT - print the first dumped message containing TEXT.
t_sink_find() {
    grep -lF -- "$2" "$T/$1"/* 2>/dev/null | head -n 1
}

t_cleanup() {
    local pid
    t_postfix_stop
    for pid in $T_PIDS; do
        kill "$pid" 2>/dev/null
    done
    for pid in $T_PIDS; do
        t_wait 15 t_gone "$pid" || kill -9 "$pid" 2>/dev/null
    done
    T_PIDS=
    if [ -n "$T" ] && [ -z "${SMTP_EXPLAIN_KEEP:-}" ]; then
        rm -rf "$T"
    elif [ -n "$T" ]; then
        echo "kept $T"
    fi
}
