# srma_set_warnings(target): the project's warning set, applied per target (never globally).
# -Wno-restrict: GCC 12 reports false positives for std::string concatenation inside libstdc++
# (GCC bug 105329); -Wno-missing-field-initializers: GCC warns on designated initialisers that
# leave members with default initialisers out, which is how srma's option structs are meant to be
# used.
function(srma_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                           -Wno-sign-conversion -Wnon-virtual-dtor
                                           -Wno-missing-field-initializers -Wno-restrict)
  if(SRMA_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
