// The subcommands behind the CLI: list, run, analyze, bless, report. Each returns an exit code
// (cli.h) and throws on spec, data or environment errors (main turns those into exit 2).
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

namespace claimcheck::cli {

/// Where things live; defaults are the checkout's claims/ and baselines/ (the one the working
/// directory is in, else the one holding the binary, else the tree it was built from), and ./runs.
struct Paths {
  std::filesystem::path claims;
  std::filesystem::path baselines;
  std::filesystem::path store = "runs";
  std::filesystem::path report_dir;  // empty: <store>/reports/<claim>/<profile>
  /// More store directories whose artifacts the analysis may read (report over shards).
  std::vector<std::filesystem::path> artifact_dirs;

  /// The defaults: see above.
  static Paths defaults();
};

/// Options of `run`.
struct RunOptions {
  std::string claim;  // empty with all = true
  bool all = false;
  std::string profile;
  std::string device;  // empty: the profile's
  int seeds = 0;       // 0: the profile's replicates
  std::string shard;   // "I/N" or empty
};

/// Options of `analyze` and `bless`.
struct JudgeOptions {
  std::string claim;
  std::string profile;
  std::string device;  // "cpu" or "cuda": the runs' device; empty: the one the stored runs name
  std::vector<std::filesystem::path> stores;  // shards of the claim's store (at least one)
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
