#!/bin/sh
# tests/sisimai-compare.sh CLI [DIR] - smtp-explain parse --format sisimai
# against the Sisimai bounce parser's own JSON, message by message, on
# the .eml files under DIR (default: the project's bounce fixtures).
# It fails when a key of Sisimai's data is missing from ours, or when a
# shared field has a type of its own; it prints, per field, how often
# the two agree on the recipients both report. Skipped, with a message,
# when Sisimai (libsisimai-perl) is not installed.
set -u
cli=$1
here=$(cd "$(dirname "$0")" && pwd)
dir=${2:-$here/fixtures}
if ! perl -MSisimai -MJSON -e 1 2>/dev/null; then
    echo "sisimai-compare: skipped: Sisimai is not installed (apt-get install libsisimai-perl)"
    exit 0
fi
find "$dir" -name '*.eml' -type f | sort | perl -MSisimai -MJSON -e '
    my $cli = shift;
    my (%agree, %seen, $files, $bad);
    my @shared = qw(action addresser deliverystatus destination diagnostictype
        lhost messageid reason recipient replycode rhost senderdomain
        smtpcommand softbounce subject);
    while (my $f = <STDIN>) {
        chomp $f; $files++;
        my $theirs = eval { decode_json(Sisimai->dump($f) || "[]") } || [];
        open(my $p, "-|", $cli, "parse", "--format", "sisimai", $f) or die;
        my $ours = eval { decode_json(join("", <$p>)) };
        close $p;
        if (ref $ours ne "ARRAY") { print "not a JSON array: $f\n"; $bad++; next }
        my %o = map { lc($_->{recipient}) => $_ } @$ours;
        for my $t (@$theirs) {
            my $o = $o{lc $t->{recipient}} or next;
            for my $k (sort keys %$t) {
                next if $k eq "hardbounce";
                if (!exists $o->{$k}) { print "key $k missing ($f)\n"; $bad++; next }
                if (ref(\$t->{$k}) ne ref(\$o->{$k}) && defined $t->{$k}) {
                    print "key $k: another type ($f)\n"; $bad++;
                }
            }
            for my $k (@shared) {
                $seen{$k}++;
                $agree{$k}++ if lc($t->{$k} // "") eq lc($o->{$k} // "");
            }
        }
    }
    printf "sisimai-compare: %d files, %d recipients both report\n", $files, $seen{recipient} // 0;
    printf "  %-16s %5.1f%% agree\n", $_, 100 * ($agree{$_} // 0) / $seen{$_} for grep { $seen{$_} } @shared;
    print "sisimai-compare: ", ($bad ? "FAILED" : "passed"), "\n";
    exit($bad ? 1 : 0);
' "$cli"
