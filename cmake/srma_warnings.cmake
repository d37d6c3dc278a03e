# srma_set_warnings(target): the project's warning set, applied per target (never globally).
function(srma_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                           -Wno-sign-conversion -Wnon-virtual-dtor
                                           -Wno-missing-field-initializers)
  if(SRMA_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
