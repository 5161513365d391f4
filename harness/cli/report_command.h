// `claimcheck report`: one suite report over every claim and profile whose runs are in one or
// more run stores (shard stores merged). Writes per-claim report.{json,md,html} and the suite's
// suite.{md,json,html} under --report-dir (default <first store>/reports), never into a store it
// only reads, and fails when it would test nothing: missing runs exit 1 naming them and the
// command that trains them; an unknown profile or a store that does not exist exit 2. With
// --profile P, the claims that do not define P are listed as "no P profile", neither run nor a
// failure (the canaries define only smoke; a nightly report still covers every nightly claim).
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "harness/cli/commands.h"

namespace claimcheck::cli {

/// Options of `report`.
struct ReportOptions {
  std::vector<std::filesystem::path> stores;  // one directory per shard; every *.jsonl merged
  std::vector<std::string> profiles;          // empty: every profile with runs in the stores
  std::vector<std::string> claims;            // empty: every claim in the claims directory
  std::string format = "md";                  // what goes to stdout: md, html or json
  std::filesystem::path report_dir;           // empty: <first store>/reports
  int seed_offset = 0;                        // the seed set reported (planner.h)
};

/// `claimcheck report`: 0 when every claim × profile passes; 1 when one moved, has no
/// baseline, or misses runs (or nothing was found at all); throws (exit 2) for a store that is
/// not a directory, an unknown claim, a profile no claim defines (or a --claim lacks), or a
/// report directory it cannot write.
int command_report(const Paths& paths, const ReportOptions& options, std::ostream& out,
                   std::ostream& err);

}  // namespace claimcheck::cli
