# Runs PROGRAM with ARGS (a list) in WORKING_DIR and compares its stdout with EXPECTED byte for
# byte; the exit code must be 0. With the environment variable UPDATE_GOLDENS=1 the output
# replaces EXPECTED (review the diff before committing).
execute_process(COMMAND "${PROGRAM}" ${ARGS}
                WORKING_DIRECTORY "${WORKING_DIR}"
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} exited with ${rc}\nstderr:\n${err}")
endif()
if("$ENV{UPDATE_GOLDENS}")
  file(WRITE "${EXPECTED}" "${out}")
endif()
if(NOT EXISTS "${EXPECTED}")
  message(FATAL_ERROR "no golden file ${EXPECTED} (run with UPDATE_GOLDENS=1 to create it)")
endif()
file(READ "${EXPECTED}" want)
if(NOT out STREQUAL want)
  get_filename_component(name "${EXPECTED}" NAME)
  set(actual "${CMAKE_CURRENT_BINARY_DIR}/${name}.actual")
  file(WRITE "${actual}" "${out}")
  message(FATAL_ERROR "output differs from ${EXPECTED}; actual output in ${actual}\n"
                      "(run with UPDATE_GOLDENS=1 to accept, then review the diff)")
endif()
