// The HTML report: one self-contained page per suite and per claim (inline CSS and SVG, no
// script, no external URL: it opens offline, from an artifact or a mail). Shows the verdict,
// the summary table, per claim the forest plot, the runs per arm and the same tables as the
// Markdown report; light and dark mode follow the viewer's preference.
#pragma once

#include <string>

#include "harness/report/suite.h"

namespace claimcheck::report {

/// The suite page: verdict line, one row per claim × profile (linking to its section), the
/// missing runs and bless commands, then every claim's section and the environment.
std::string suite_html(const Suite& suite);

/// One claim's page: its section of the suite page, standing alone.
std::string claim_html(const SuiteEntry& entry);

}  // namespace claimcheck::report
