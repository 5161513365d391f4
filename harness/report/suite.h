// The suite: every claim × profile that one `claimcheck report` covers (shard stores merged),
// with what is missing, the counts behind the one-line verdict, and report-level multiplicity:
// Benjamini–Hochberg across every hypothesis of the suite (Benjamini & Hochberg 1995), shown
// beside each claim's own Holm p. A model of the report, not a rendering (suite_markdown.h,
// html.h render it); no I/O.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace claimcheck::report {

/// One claim under one profile: its report (complete runs) or why it has none (missing runs).
struct SuiteEntry {
  std::string claim;
  std::string profile;
  nlohmann::json report;    // report.json (finish_claim); null when runs are missing
  nlohmann::json baseline;  // the baseline's analysis JSON; null when there is none
  std::string missing;      // when runs are missing: what and the command that trains them
  std::string files;        // where its report files are, relative to the suite report
  std::map<std::string, double> suite_q;     // hypothesis id -> BH q across the suite
  std::map<std::string, std::string> units;  // metric -> unit, as the claim's task declares

  /// "pass", "regressed", ..., or "incomplete" when runs are missing.
  std::string outcome() const;
};

/// Counts over the suite, for the verdict line.
struct SuiteCounts {
  std::map<std::string, int> outcomes;  // outcome -> entries
  int hypotheses = 0;
  int supported = 0;
  int refuted = 0;
  int inconclusive = 0;
  int discoveries = 0;  // BH q <= alpha
};

/// The whole suite report.
struct Suite {
  std::vector<SuiteEntry> entries;  // severity first (incomplete, regressed, ...), then by name
  std::vector<std::string> stores;  // the store directories merged
  double alpha = 0.05;              // the FDR level for "discoveries" (the claims' alpha)
  SuiteCounts counts;
};

/// Sorts the entries, computes BH q over every hypothesis of every complete entry (raw p of
/// each hypothesis against its margin, the p Holm adjusts within a claim) and the counts.
Suite make_suite(std::vector<SuiteEntry> entries, std::vector<std::string> stores);

/// Whether every entry passed (and there is at least one): the only exit-0 suite.
bool all_pass(const Suite& suite);

/// The one-line verdict, e.g. "❌ claimcheck: 1 regressed, 1 stale (2 of 4 pass) — ...".
std::string verdict_line(const Suite& suite);

/// What moved against the baseline, in words, for one entry's summary row ("—" when nothing).
/// At most `max_items` hypotheses are named; the rest are counted.
std::string moved_text(const SuiteEntry& entry, std::size_t max_items = 3);

/// "8 of 11 decided (6 supported, 2 refuted)" for one entry.
std::string decided_text(const SuiteEntry& entry);

/// The suite as JSON (suite.json): verdict, counts, per entry its outcome, files and per
/// hypothesis verdict, Holm p and BH q (the per-claim reports stay in their report.json).
nlohmann::json to_json(const Suite& suite);

}  // namespace claimcheck::report
