# embed.awk: turn text files into one C string constant, so the library
# carries its default data. Usage: awk -v name=NAME -f embed.awk FILE...
# (the files one after the other, as one text).
BEGIN { files = ARGV[1]; for (i = 2; i < ARGC; i++) files = files " " ARGV[i]
        printf "/* generated from %s by embed.awk: do not edit */\n", files;
        printf "const char %s[] =\n", name; n = 0 }
{
    s = $0
    gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); gsub(/\t/, "\\t", s)
    printf "\"%s\\n\"\n", s; n++
}
END { if (n == 0) printf "\"\"\n"; printf ";\n" }
