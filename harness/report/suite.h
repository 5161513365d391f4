// The suite: every claim × profile that one `claimcheck report` covers (shard stores merged),
// with what is missing, the claims that do not define a requested profile (listed, never a
// failure), the counts behind the one-line verdict, and report-level multiplicity:
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

/// A claim that does not define a profile the report was asked for (`report --profile P` over a
/// suite where some claims define only smoke): listed as "no P profile"; neither run nor failed.
struct ProfileNotDefined {
  std::string claim;
  std::string profile;               // the requested profile it lacks
  std::vector<std::string> defines;  // the profiles it does define
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
  std::vector<ProfileNotDefined> not_defined;  // by claim, then profile
  double alpha = 0.05;  // the FDR level for "discoveries" (the claims' alpha)
  SuiteCounts counts;
};

/// Sorts the entries, computes BH q over every hypothesis of every complete entry (raw p of
/// each hypothesis against its margin, the p Holm adjusts within a claim) and the counts;
/// `not_defined` is listed beside them (sorted) and counts as neither pass nor failure.
Suite make_suite(std::vector<SuiteEntry> entries, std::vector<std::string> stores,
                 std::vector<ProfileNotDefined> not_defined = {});

/// Whether every entry passed (and there is at least one): the only exit-0 suite.
bool all_pass(const Suite& suite);

/// The one-line verdict, e.g. "❌ claimcheck: 1 regressed, 1 stale (2 of 4 pass) — ...".
std::string verdict_line(const Suite& suite);

/// What moved against the baseline, in words, for one entry's summary row ("—" when nothing).
/// At most `max_items` hypotheses are named; the rest are counted.
std::string moved_text(const SuiteEntry& entry, std::size_t max_items = 3);

/// "no nightly profile (it defines smoke)": why a claim is listed but not reported.
std::string not_defined_text(const ProfileNotDefined& item);

/// "8 of 11 decided (6 supported, 2 refuted)" for one entry.
std::string decided_text(const SuiteEntry& entry);

/// The suite as JSON (suite.json): verdict, counts, per entry its outcome, files and per
/// hypothesis verdict, Holm p and BH q (the per-claim reports stay in their report.json).
nlohmann::json to_json(const Suite& suite);

}  // namespace claimcheck::report
