# docs/reasons.md's phrase table is what "registry --reasons" prints
# (make reasons-doc writes it again after a change of the patterns).
"$CLI" registry --reasons > "${TMPDIR:-/tmp}/sx-reasons-doc.$$"
sed -n '/^<!-- begin: smtp-explain registry --reasons -->$/,/^<!-- end: smtp-explain registry --reasons -->$/p' \
    ../docs/reasons.md | sed '1d;$d' | diff "${TMPDIR:-/tmp}/sx-reasons-doc.$$" - && echo same
s=$?
rm -f "${TMPDIR:-/tmp}/sx-reasons-doc.$$"
exit $s
