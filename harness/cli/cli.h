// The `claimcheck` command line: subcommands list, run, analyze, bless, report, env.
// Parsing and dispatch live here (testable in-process); main.cpp only forwards argv.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace claimcheck::cli {

/// Process exit codes (DESIGN.md, The CLI).
enum ExitCode : int {
  kExitOk = 0,             // matches the baseline
  kExitMismatch = 1,       // regressed, improved or stale
  kExitUsage = 2,          // usage, spec, data or environment error
  kExitSkipped = 77,       // skipped (CTest's SKIP_RETURN_CODE), e.g. a GPU profile without CUDA
  kExitInterrupted = 130,  // stopped by Ctrl-C / SIGTERM (128 + SIGINT); finished runs are kept
};

/// Runs the CLI on `args` (without the program name); writes results to `out`, progress and
/// errors to `err`; returns the exit code. Never throws.
int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace claimcheck::cli
