// The suite report as one Markdown document for a sticky PR comment or a job summary: the
// one-line verdict, one row per claim × profile, report-level multiplicity, the bless commands
// for what moved, per-claim details in collapsed <details> blocks, and the environment once.
// It fits GitHub's comment limit however many claims there are: details are left out (with a
// note saying where they are) before the summary is touched.
#pragma once

#include <cstddef>
#include <string>

#include "harness/report/suite.h"

namespace claimcheck::report {

/// GitHub's limit on the body of an issue or pull-request comment, in characters.
inline constexpr std::size_t kGitHubCommentLimit = 65536;

/// How the suite Markdown is sized.
struct SuiteMarkdownOptions {
  // Bytes (UTF-8 bytes >= characters, so a byte budget is safe) for the whole document; the
  // rest of GitHub's limit is left for the header the comment workflow adds.
  std::size_t limit = kGitHubCommentLimit - 1024;
};

/// The suite report. Never longer than options.limit bytes: first per-claim details are left
/// out (worst outcomes keep theirs longest), then passing rows are folded into one line, and
/// only past a few hundred failing claims are failing rows cut (each step says so).
std::string suite_markdown(const Suite& suite, const SuiteMarkdownOptions& options = {});

}  // namespace claimcheck::report
