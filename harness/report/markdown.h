// The Markdown claim report (PR comment / job summary), rendered from a report JSON.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace claimcheck::report {

/// One claim's section: outcome, hypotheses table (estimate, 95% CI, Holm p, verdict, baseline
/// verdict, outcome), arms beside the source's numbers, the source's own bootstrap-of-max, what
/// moved and the bless command, wall time, and the fingerprint in a <details> block.
/// `report` is the object written to report.json (see harness/cli: analysis + comparison).
std::string markdown_report(const nlohmann::json& report);

}  // namespace claimcheck::report
