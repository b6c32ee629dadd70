#!/bin/sh
# package-test.sh - build the Debian package, install it on this machine,
# run the service it installs against a private Postfix, send bounces
# through it, then purge the package and check that nothing is left.
#
# 1. "make package" (a temporary tree; tests skipped unless
#    DEB_BUILD_OPTIONS says otherwise) and "apt-get install ./the.deb";
# 2. what the package installed: programs, manual pages, the conffile,
#    the smtp-explain user with postfix in its group, the directories,
#    the systemd unit (checked with systemd-analyze verify);
# 3. the service: with systemctl when systemd runs, otherwise the unit's
#    ExecStart run exactly as written, as its User and Group, with its
#    RuntimeDirectory made first (the hardening options are then not
#    applied; systemd-analyze verify checked them);
# 4. a private Postfix on loopback (tests/integration/lib.sh) whose
#    smtpd_milters and non_smtpd_milters name the packaged socket: a
#    remote DSN and one of Postfix's own bounces arrive annotated;
#    SIGUSR1 reloads; the metrics file, when the milter writes one,
#    reads back with "smtp-explain stats";
# 5. "dpkg --purge": no files in /etc/smtp-explain, no state or socket
#    directory, no user, no group, no unit.
#
# Needs root. Refuses to run when smtp-explain is already installed (it
# would purge the admin's configuration). Prints "N passed, M failed" and
# exits non-zero when anything failed. SMTP_EXPLAIN_KEEP=1 keeps the
# temporary folder.

[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
FIX="$ROOT/tests/integration/fixtures"
PATH="$PATH:/usr/sbin:/sbin"
export PATH

PKG=smtp-explain
CONF=/etc/smtp-explain/smtp-explain.conf
SOCKDIR=/var/spool/postfix/smtp-explain
SOCK=$SOCKDIR/milter.sock
STATEDIR=/var/lib/smtp-explain

. "$ROOT/tests/integration/lib.sh"

if [ "$(id -u)" != 0 ]; then
    echo "SKIP package test: installing a package needs root"
    exit 0
fi
sh "$ROOT/packaging/install-deps.sh" all || exit 1

# One package test at a time on a machine: each installs the package.
exec 9>/run/lock/smtp-explain-package-test.lock || exit 1
if command -v flock >/dev/null 2>&1 && ! flock -w 600 9; then
    echo "FAIL   another package test has held the lock for 10 minutes"
    exit 1
fi

pkg_status() {
    dpkg-query -W -f='${db:Status-Abbrev}' "$PKG" 2>/dev/null | cut -c1-2
}
case $(pkg_status) in
""|un|pn) ;;
*)
    echo "FAIL   $PKG is installed here ($(pkg_status)); this test installs and"
    echo "       purges it. Remove it first: dpkg --purge $PKG"
    exit 1
    ;;
esac

START=$(date +%s)
INSTALLED=
RUNDIR_MADE=
T_MILTER_PID=

# check NAME COMMAND... - one test from a command's exit status; the
# command may set T_WHY.
check() {
    local name=$1
    shift
    T_WHY=
    if "$@"; then
        t_pass "$name"
    else
        t_fail "$name" "${T_WHY:-failed}"
    fi
}

has() {
    grep -qF -- "$2" "$1" 2>/dev/null && return 0
    T_WHY="\"$2\" not in $1"
    return 1
}

finish() {
    [ -n "$T_MILTER_PID" ] && kill "$T_MILTER_PID" 2>/dev/null
    t_cleanup
    if [ -n "$INSTALLED" ]; then
        dpkg --purge "$PKG" >/dev/null 2>&1
    fi
    [ -n "$RUNDIR_MADE" ] && rm -rf /run/smtp-explain
}

t_init
trap finish EXIT
trap 'exit 1' INT TERM

# ---------------------------------------------------------------- build

echo "== build and install"
test_build() {
    DEB_BUILD_OPTIONS=${DEB_BUILD_OPTIONS:-nocheck} \
        make -C "$ROOT" package PKG_OUT="$T/deb" >"$T/build.log" 2>&1 || {
        T_WHY="make package failed: $(tail -n 5 "$T/build.log" | tr '\n' ' ')"
        return 1
    }
    DEB=$(ls "$T"/deb/${PKG}_*.deb 2>/dev/null | head -n 1)
    [ -n "$DEB" ] || { T_WHY="no .deb in $T/deb"; return 1; }
    [ ! -e "$ROOT/debian" ] || { T_WHY="make package left $ROOT/debian"; return 1; }
}
check "make package builds a .deb, leaves no ./debian" test_build
if [ -z "${DEB:-}" ]; then
    echo "$T_PASSED passed, $T_FAILED failed"
    exit 1
fi

test_install() {
    INSTALLED=1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        "$DEB" >"$T/install.log" 2>&1 && return 0
    T_WHY="apt-get install failed: $(tail -n 3 "$T/install.log" | tr '\n' ' ')"
    return 1
}
check "apt-get install ./$(basename "$DEB")" test_install
if [ "$T_FAILED" -ne 0 ]; then
    cat "$T/install.log"
    echo "$T_PASSED passed, $T_FAILED failed"
    exit 1
fi

# ---------------------------------------------------------------- contents

test_programs() {
    /usr/bin/smtp-explain --version | grep -q '^smtp-explain ' &&
        /usr/sbin/smtp-explain-milter -V | grep -q '^smtp-explain-milter ' &&
        /usr/bin/smtp-explain 550 5.1.1 >"$T/explain.out" 2>&1 &&
        has "$T/explain.out" "5.1.1"
}
check "programs in /usr/bin and /usr/sbin run" test_programs

test_manuals() {
    local page f err
    for page in 1:smtp-explain 5:smtp-explain.conf 8:smtp-explain-milter; do
        f=$(man -w "${page%%:*}" "${page#*:}" 2>/dev/null) || {
            T_WHY="no manual page ${page#*:}(${page%%:*})"
            return 1
        }
        err=$(MANWIDTH=80 man --warnings -l "$f" 2>&1 >/dev/null)
        [ -z "$err" ] || { T_WHY="man -l $f: $err"; return 1; }
        if command -v mandoc >/dev/null 2>&1; then
            err=$(mandoc -T lint "$f" 2>&1) || { T_WHY="mandoc -T lint: $err"; return 1; }
        fi
    done
}
check "manual pages smtp-explain(1), .conf(5), -milter(8) render cleanly" test_manuals

test_conffile() {
    dpkg-query -W -f='${Conffiles}\n' "$PKG" | grep -q " $CONF " || {
        T_WHY="$CONF is not a conffile"
        return 1
    }
    has "$CONF" "socket = \"unix:$SOCK\";" &&
        has "$CONF" 'user = "smtp-explain";' &&
        /usr/sbin/smtp-explain-milter -n -c "$CONF" >"$T/n.out" 2>&1 &&
        has "$T/n.out" "config OK"
}
check "$CONF: conffile, Debian's socket and user, valid" test_conffile

test_user() {
    local uid shell
    uid=$(getent passwd smtp-explain | cut -d: -f3)
    shell=$(getent passwd smtp-explain | cut -d: -f7)
    [ -n "$uid" ] || { T_WHY="no user smtp-explain"; return 1; }
    [ "$uid" -lt 1000 ] || { T_WHY="uid $uid is not a system uid"; return 1; }
    case $shell in
    */nologin|*/false) ;;
    *) T_WHY="login shell $shell"; return 1 ;;
    esac
    getent group smtp-explain >/dev/null || { T_WHY="no group smtp-explain"; return 1; }
    id -Gn postfix | tr ' ' '\n' | grep -qx smtp-explain || {
        T_WHY="postfix is not in the smtp-explain group"
        return 1
    }
}
check "system user smtp-explain; postfix in its group" test_user

test_dirs() {
    local got
    got=$(stat -c '%a %U %G' "$SOCKDIR" 2>&1)
    [ "$got" = "750 smtp-explain smtp-explain" ] || { T_WHY="$SOCKDIR: $got"; return 1; }
    got=$(stat -c '%a %U %G' "$STATEDIR" 2>&1)
    [ "$got" = "755 smtp-explain smtp-explain" ] || { T_WHY="$STATEDIR: $got"; return 1; }
}
check "socket and state directories made for the user" test_dirs

UNIT=$(dpkg -L "$PKG" | grep '/systemd/system/smtp-explain.service$' | head -n 1)
test_unit() {
    [ -n "$UNIT" ] || { T_WHY="no smtp-explain.service in the package"; return 1; }
    [ -e "/etc/systemd/system/multi-user.target.wants/smtp-explain.service" ] || {
        T_WHY="the service is not enabled"
        return 1
    }
    grep -qx 'Type=simple' "$UNIT" && grep -q '^ExecStart=.* -f' "$UNIT" &&
        grep -qx 'ExecReload=/bin/kill -USR1 $MAINPID' "$UNIT" || {
        T_WHY="Type, ExecStart -f or ExecReload wrong"
        return 1
    }
    command -v systemd-analyze >/dev/null 2>&1 || return 0
    # Offline, verify also complains about units it cannot reach; only
    # lines about ours count.
    systemd-analyze verify "$UNIT" >"$T/verify.out" 2>&1
    if grep -i 'smtp-explain' "$T/verify.out" >"$T/verify.ours"; then
        T_WHY=$(tr '\n' ' ' <"$T/verify.ours")
        return 1
    fi
}
check "systemd unit: enabled, Type=simple, -f, reload; systemd-analyze verify" test_unit

# ---------------------------------------------------------------- service

echo "== service"
unit_value() {
    sed -n "s/^$1=//p" "$UNIT" | tail -n 1
}

test_start() {
    local exec user group rundir
    if [ -d /run/systemd/system ]; then
        systemctl start smtp-explain || { T_WHY="systemctl start failed"; return 1; }
        T_MILTER_PID=$(systemctl show -p MainPID --value smtp-explain)
        journalctl -u smtp-explain -f >"$T/milter.log" 2>&1 &
        t_remember $!
    else
        exec=$(unit_value ExecStart)
        user=$(unit_value User)
        group=$(unit_value Group)
        rundir=$(unit_value RuntimeDirectory)
        if [ -n "$rundir" ] && [ ! -d "/run/$rundir" ]; then
            install -d -o "$user" -g "$group" -m "$(unit_value RuntimeDirectoryMode)" \
                "/run/$rundir" && RUNDIR_MADE=1
        fi
        echo "no systemd: running $exec as $user:$group" >"$T/start.how"
        # shellcheck disable=SC2086 # ExecStart's words, as systemd splits them
        (umask "$(unit_value UMask)"; exec setpriv --reuid="$user" --regid="$group" \
            --init-groups -- $exec) 2>"$T/milter.log" &
        T_MILTER_PID=$!
        t_remember "$T_MILTER_PID"
    fi
    t_wait 20 t_log_has "$T/milter.log" "starting:" || {
        T_WHY="no start line: $(tail -n 3 "$T/milter.log" | tr '\n' ' ')"
        return 1
    }
    [ -S "$SOCK" ] || { T_WHY="no socket $SOCK"; return 1; }
}
check "the service starts (as its unit says)" test_start
[ -f "$T/start.how" ] && sed 's/^/       /' "$T/start.how"
if [ ! -S "$SOCK" ]; then
    sed 's/^/       | /' "$T/milter.log" | tail -n 10
    SKIP_SERVICE=1
fi

test_identity() {
    local uid got
    uid=$(awk '/^Uid:/ { print $2 }' "/proc/$T_MILTER_PID/status" 2>/dev/null)
    [ "$uid" = "$(id -u smtp-explain)" ] || { T_WHY="running as uid $uid"; return 1; }
    got=$(stat -c '%a %U %G' "$SOCK")
    [ "$got" = "660 smtp-explain smtp-explain" ] || { T_WHY="socket: $got"; return 1; }
}
check "runs as smtp-explain; socket 0660 smtp-explain:smtp-explain" test_identity

# ---------------------------------------------------------------- Postfix

if [ -z "${SKIP_SERVICE:-}" ]; then
    echo "== Postfix"
    SMTPD=$(t_free_port)
    SINK_OK=$(t_free_port)
    SINK_BAD=$(t_free_port)
    # Postfix outside a chroot names the socket by its whole path.
    T_MILTER_PF="unix:$SOCK"
    test_postfix() {
        t_sink ok "$SINK_OK" || { T_WHY="smtp-sink did not start"; return 1; }
        t_sink bad "$SINK_BAD" -f RCPT || { T_WHY="smtp-sink did not start"; return 1; }
        t_postfix_start "$SMTPD" "$SINK_OK" "$SINK_BAD" || {
            T_WHY=$(cat "$T"/postfix-*.log "$T/postfix.log" 2>/dev/null | tail -n 5 | tr '\n' ' ')
            return 1
        }
    }
    check "private Postfix with the packaged socket in its milters" test_postfix

    test_remote_dsn() {
        t_smtp "$SMTPD" "" alice@sender.test <"$FIX/remote-dsn-userunknown.eml" >"$T/s1.out"
        has "$T/s1.out" "END 250" || return 1
        t_delivered "dsn.7f3a9c21@mx1.remote.test" || return 1
        has "$T_MSG.head" "X-SMTP-Explain:" && has "$T_MSG.head" "status=5.1.1" &&
            has "$T_MSG.head" "reason=userunknown"
    }
    check "a remote DSN through smtpd_milters arrives annotated" test_remote_dsn

    test_own_bounce() {
        printf 'From: alice@sender.test\nTo: nobody@bad.test\nSubject: package test\nMessage-Id: <package.test.1@sender.test>\n\nhello\n' |
            t_smtp "$SMTPD" alice@sender.test nobody@bad.test >"$T/s2.out"
        has "$T/s2.out" "END 250" || return 1
        t_delivered "rcpt=nobody@bad.test" || return 1
        has "$T_MSG" "package.test.1@sender.test" && has "$T_MSG.head" "X-SMTP-Explain:" &&
            has "$T_MSG.head" "class=permanent"
    }
    check "Postfix's own bounce through non_smtpd_milters arrives annotated" test_own_bounce

    test_reload() {
        local how
        if [ -d /run/systemd/system ]; then
            systemctl reload smtp-explain
        else
            # ExecReload, with $MAINPID filled in.
            how=$(unit_value ExecReload)
            ${how//\$MAINPID/$T_MILTER_PID}
        fi
        t_wait 10 t_log_has "$T/milter.log" "configuration reloaded"
    }
    check "ExecReload (SIGUSR1) reloads the configuration" test_reload

    test_stop() {
        if [ -d /run/systemd/system ]; then
            systemctl stop smtp-explain
        else
            kill "$T_MILTER_PID"
        fi
        t_wait 20 t_gone "$T_MILTER_PID" || { T_WHY="still running"; return 1; }
        T_MILTER_PID=
        [ ! -e "$SOCK" ] || { T_WHY="socket left behind"; return 1; }
    }
    check "the service stops and removes its socket" test_stop

    # The metrics need a milter that counts: its binary names the metrics.
    if grep -q smtp_explain_messages_total /usr/sbin/smtp-explain-milter; then
        test_stats() {
            local metrics
            metrics=$(sed -n 's/^ *stats_file = "\(.*\)";/\1/p' "$CONF")
            [ -s "$metrics" ] || { T_WHY="no metrics file $metrics"; return 1; }
            /usr/bin/smtp-explain stats >"$T/stats.out" 2>&1 || {
                T_WHY="smtp-explain stats: $(head -n 2 "$T/stats.out" | tr '\n' ' ')"
                return 1
            }
            has "$T/stats.out" "userunknown" && grep -Eq '^messages +[0-9]+: [1-9]' "$T/stats.out" || {
                T_WHY="no reports counted: $(head -n 6 "$T/stats.out" | tr '\n' ' ')"
                return 1
            }
        }
        check "metrics file written; smtp-explain stats reads it" test_stats
    else
        echo "skip   metrics: this milter does not write metrics yet"
    fi

    t_postfix_stop
else
    echo "skip   Postfix tests: the service did not start"
fi

# ---------------------------------------------------------------- purge

echo "== purge"
test_purge() {
    dpkg --purge "$PKG" >"$T/purge.log" 2>&1 || {
        T_WHY="dpkg --purge failed: $(tail -n 3 "$T/purge.log" | tr '\n' ' ')"
        return 1
    }
    INSTALLED=
    case $(pkg_status) in
    ""|un|pn) ;;
    *) T_WHY="package state $(pkg_status)"; return 1 ;;
    esac
    local left= f
    for f in /etc/smtp-explain "$STATEDIR" "$SOCKDIR" /run/smtp-explain \
        /usr/bin/smtp-explain /usr/sbin/smtp-explain-milter ${UNIT:+"$UNIT"} \
        /etc/systemd/system/multi-user.target.wants/smtp-explain.service \
        /usr/lib/tmpfiles.d/smtp-explain.conf; do
        [ -e "$f" ] && left="$left $f"
    done
    [ -z "$left" ] || { T_WHY="left behind:$left"; return 1; }
    RUNDIR_MADE=
    ! getent passwd smtp-explain >/dev/null || { T_WHY="user smtp-explain left"; return 1; }
    ! getent group smtp-explain >/dev/null || { T_WHY="group smtp-explain left"; return 1; }
}
check "dpkg --purge leaves no files, user or group" test_purge

echo "package test took $(( $(date +%s) - START )) s"
echo "$T_PASSED passed, $T_FAILED failed"
[ "$T_FAILED" -eq 0 ]
