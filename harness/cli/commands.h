// The subcommands behind the CLI: list, run, analyze, bless, report. Each returns an exit code
// (cli.h) and throws on spec, data or environment errors (main turns those into exit 2).
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "harness/pipeline/paths.h"

namespace claimcheck::cli {

using pipeline::Paths;

/// Options of `run`.
struct RunOptions {
  std::string claim;  // empty with all = true
  bool all = false;
  std::string profile;
  std::string device;      // empty: the profile's
  int seeds = 0;           // 0: the profile's replicates
  std::string shard;       // "I/N" or empty
  int seed_offset = 0;     // 0: the profile's seeds; K >= 1: fresh set K (planner.h)
  bool any_build = false;  // reuse stored runs another build trained (pipeline/train_profile.h)
};

/// Options of `analyze` and `bless`.
struct JudgeOptions {
  std::string claim;
  std::string profile;
  std::string device;  // "cpu" or "cuda": the runs' device; empty: the one the stored runs name
  std::vector<std::filesystem::path> stores;  // shards of the claim's store (at least one)
  int seed_offset = 0;                        // analyze only: the seed set judged
  int seeds = 0;  // analyze only: the seeds `run --seeds N` trained (0: the profile's)
};

/// `claimcheck list`: claims, hypotheses, profiles.
int command_list(const Paths& paths, std::ostream& out);
/// `claimcheck run`: plan, train what is missing, analyze, compare, report.
int command_run(const Paths& paths, const RunOptions& options, std::ostream& out,
                std::ostream& err);
/// `claimcheck analyze`: the same without training (every run must be in the store).
int command_analyze(const Paths& paths, const JudgeOptions& options, std::ostream& out,
                    std::ostream& err);
/// `claimcheck bless`: shows old vs new, then writes the baseline (refused when CI is set).
int command_bless(const Paths& paths, const JudgeOptions& options, std::ostream& out,
                  std::ostream& err);
/// `claimcheck report`: see report_command.h.

}  // namespace claimcheck::cli
