#!/bin/sh
# install-deps.sh - install the Debian packages smtp-explain needs to
# build and test, when they are missing. Run as root it installs them
# with apt-get; otherwise it lists what is missing and exits non-zero
# only if something needed for the build itself is absent.
#
# usage: sh packaging/install-deps.sh [build|test|all]   (default all)
set -u
what=${1:-all}
build="gcc make pkg-config libmilter-dev libconfig-dev zlib1g-dev"
test="libcunit1-dev miltertest postfix dovecot-sieve procmail clang libclang-rt-dev valgrind mandoc debhelper devscripts opendkim opendkim-tools mutt tmux w3m"
bench="libsisimai-perl postfix"
case $what in
    build) want=$build ;;
    bench) want="$build $bench" ;;
    *) want="$build $test" ;;
esac
missing=""
for p in $want; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" \
        || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
    echo "install-deps: missing Debian packages:$missing" >&2
    echo "install-deps: run as root: apt-get install$missing" >&2
    exit 1
fi
echo "install-deps: installing$missing"
# A private Postfix instance is all the tests use: no system mail setup.
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
export DEBIAN_FRONTEND=noninteractive
# opendkim ships a service: the tests run their own instances, so the
# package must not start Debian's. A policy-rc.d that refuses every
# start is in place during the install, unless the system has its own.
policy=/usr/sbin/policy-rc.d
made=
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && made=1
fi
apt-get update -qq >/dev/null 2>&1 || apt-get update
apt-get install -y -qq --no-install-recommends $missing >/dev/null \
    || apt-get install -y --no-install-recommends $missing
status=$?
[ -n "$made" ] && rm -f "$policy"
exit $status
