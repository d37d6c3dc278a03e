// LeakSanitizer settings of the srma program (the CI's ASan pass runs with detect_leaks=1): the
// same as src/plot/pango_text.cpp gives programs that link Cairo, for the program whose Cairo
// code is a module (cli/figures.cpp), since LeakSanitizer looks for these in the program itself.
// fontconfig allocates its configuration and font sets and never frees them (a ten-line program
// that lays out one word with Pango shows it), so allocations made inside libfontconfig are not
// reported; anything srma fails to release is allocated elsewhere and still is. Without
// LeakSanitizer nothing calls these functions.
extern "C" const char*
__lsan_default_suppressions();  // NOLINT(bugprone-reserved-identifier,readability-identifier-naming)
extern "C" const char*
__lsan_default_suppressions() {  // NOLINT(bugprone-reserved-identifier,readability-identifier-naming)
  return "leak:libfontconfig.so\n";
}

// Without this, LeakSanitizer prints the list of suppressed leaks on stderr at exit, which would
// change the standard error of every command that draws text (and the goldens that check it).
extern "C" const char*
__lsan_default_options();  // NOLINT(bugprone-reserved-identifier,readability-identifier-naming)
extern "C" const char*
__lsan_default_options() {  // NOLINT(bugprone-reserved-identifier,readability-identifier-naming)
  return "print_suppressions=0";
}
