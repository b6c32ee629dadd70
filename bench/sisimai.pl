#!/usr/bin/perl
# sisimai.pl REPS MIN_SECONDS FILE... - the baseline: Debian's Sisimai
# parsing the same files as bench-core, in the same run. Like bench-core,
# it reads every file into memory first and times make() on the bytes
# (a scalar reference, Sisimai::Mail::Memory), so neither side counts
# file reading. Prints messages/s per repetition and the median, in
# bench-core's format.
use strict;
use warnings;
use Sisimai;
use Time::HiRes qw(time);

my ($reps, $min, @files) = @ARGV;
my (@rates, @data);
for my $f (@files) {
    open(my $fh, '<:raw', $f) or die "sisimai.pl: $f: $!\n";
    local $/;
    push @data, scalar <$fh>;
    close($fh);
}
# One untimed pass first: Sisimai loads its modules on first use.
Sisimai->make(\$_) for @data;
for my $r (1 .. $reps) {
    my ($t0, $n) = (time, 0);
    do {
        for my $d (@data) {
            my $v = Sisimai->make(\$d);
            $n++;
        }
    } while (time - $t0 < $min);
    my $rate = $n / (time - $t0);
    push @rates, $rate;
    printf "sisimai rep %d: %.0f messages/s\n", $r, $rate;
}
@rates = sort { $a <=> $b } @rates;
printf "sisimai: %d files; median %.0f messages/s\n", scalar(@files), $rates[int(@rates / 2)];
