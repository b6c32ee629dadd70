# embed.awk: turn a text file into a C string constant, so the library
# carries its default data. Usage: awk -v name=NAME -f embed.awk FILE
BEGIN { printf "/* generated from %s by embed.awk: do not edit */\n", ARGV[1];
        printf "const char %s[] =\n", name; n = 0 }
{
    s = $0
    gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); gsub(/\t/, "\\t", s)
    printf "\"%s\\n\"\n", s; n++
}
END { if (n == 0) printf "\"\"\n"; printf ";\n" }
