// The Markdown claim report (PR comment / job summary), rendered from a report JSON. The tables
// come from table.h, so the HTML report shows the same rows; the suite report (suite_markdown.h)
// nests this section in a <details> block without the fingerprint.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <string>

namespace claimcheck::report {

/// How one claim's section is rendered.
struct MarkdownOptions {
  bool heading = true;                    // "## claim (profile): PASS" and the title
  bool fingerprint = true;                // the environment fingerprint in a <details> block
  std::map<std::string, double> suite_q;  // hypothesis id -> BH q across the suite (a column)
};

/// One claim's section: outcome, hypotheses table (estimate, 95% CI, Holm p, verdict, baseline
/// verdict, outcome), arms beside the source's numbers, the source's own bootstrap-of-max, what
/// moved and the bless command, wall time, and the fingerprint in a <details> block.
/// `report` is the object written to report.json (see harness/cli: analysis + comparison).
std::string markdown_report(const nlohmann::json& report, const MarkdownOptions& options = {});

/// The bless command for the report's claim and profile (the CLI's hint when it wrote one).
std::string bless_command(const nlohmann::json& report);

}  // namespace claimcheck::report
