// Child processes and ports for the throwaway servers of the tests and benchmarks; no gtest, so a benchmark
// can use it too.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace ff::testing {

// Runs `arguments` (no shell; the first is looked up in PATH) with stdout and stderr appended to `log`, and
// waits for it. Returns its exit status, or -1 if it could not start or did not exit normally.
int run(std::vector<std::string> arguments, const std::string& log);

// Starts `arguments` the same way without waiting; the caller waits for the process it gets back. -1 if
// fork() failed; a program that cannot be executed exits at once with status 127.
pid_t start_in_background(std::vector<std::string> arguments, const std::string& log);

// A port the kernel says is free on 127.0.0.1 right now (0 if it cannot tell). Another process may take it
// before the caller binds it, so a server started on it may need another try.
int free_port();

}  // namespace ff::testing
