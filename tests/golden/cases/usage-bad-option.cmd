"$CLI" parse --bogus x
