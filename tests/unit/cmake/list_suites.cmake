# Writes one ctest entry per gtest suite of the unit binary (run after each build of it).
# A process per suite rather than per case: starting the sanitizer build's binary and its leak check at exit
# cost about 0.4 s a process, several times what most cases take, while a suite's cases already run one
# after another in one process whenever the binary runs by hand.
# Inputs: UNIT_TESTS (the binary), OUTPUT (the file to write), POSTGRES_STATE (the shared server's state file).
execute_process(COMMAND ${UNIT_TESTS} --gtest_list_tests OUTPUT_VARIABLE listing RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "${UNIT_TESTS} --gtest_list_tests failed (${result}):\n${listing}")
endif()

# A suite's line starts in the first column and ends its name with '.'; its cases follow, indented.
string(REPLACE ";" "," listing "${listing}")
string(REPLACE "\n" ";" lines "${listing}")
set(content "")
foreach(line IN LISTS lines)
  if(NOT line MATCHES "^([A-Za-z0-9_/]+)\\.( .*)?$")
    continue()
  endif()
  set(suite ${CMAKE_MATCH_1})
  string(APPEND content "add_test([=[unit/${suite}]=] [=[${UNIT_TESTS}]=] [=[--gtest_filter=${suite}.*]=])\n")
  # The *Outage* suites take PostgreSQL down, so they start servers of their own; every other suite shares
  # the run's one server (each case takes a fresh database there).
  if(suite MATCHES "Outage")
    string(APPEND content "set_tests_properties([=[unit/${suite}]=] PROPERTIES LABELS unit)\n")
  else()
    string(APPEND content "set_tests_properties([=[unit/${suite}]=] PROPERTIES LABELS unit "
                          "FIXTURES_REQUIRED postgres_server ENVIRONMENT [=[FF_TEST_POSTGRES_STATE=${POSTGRES_STATE}]=])\n")
  endif()
endforeach()
file(WRITE ${OUTPUT} "${content}")
