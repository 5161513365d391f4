// Baselines: the stored evidence of a claim under a profile (baselines/<claim>/<profile>.json),
// the strict reader, the comparison of a new analysis with it, and bless (the only writer).
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace claimcheck::claims {

/// The outcome of a claim test.
enum class Outcome { kPass, kRegressed, kImproved, kStale, kNoBaseline, kSkipped };

/// "pass", "regressed", "improved", "stale", "no-baseline", "skipped".
std::string to_string(Outcome outcome);
/// Inverse of to_string(Outcome); throws std::invalid_argument listing the valid names.
Outcome outcome_from_string(const std::string& name);

/// How one hypothesis moved against its baseline.
struct HypothesisComparison {
  std::string id;
  std::string baseline_verdict;
  std::string verdict;
  double baseline_estimate = 0.0;
  double estimate = 0.0;
  double z = 0.0;               // (estimate − baseline) / combined standard error (from the CIs)
  double p_incompatible = 1.0;  // two-sided normal p of z
  double holm_p = 1.0;          // Holm across the claim's hypotheses, times the suite's claims
  bool compatible = true;       // holm_p > the gate's alpha
  bool exact = true;            // per-unit values identical to the baseline's
  std::optional<double> replication;           // of this verdict (claims/replication.h)
  std::optional<double> baseline_replication;  // of the baseline's verdict: decisive or fragile
  bool within_noise = false;  // a fragile verdict flipped with a compatible estimate: a pass
  bool gated = true;          // false: report-only in this profile (spec "report_only")
  Outcome outcome = Outcome::kPass;
  std::string change;  // what moved, in words; empty when nothing did
};

/// The family-wise level at which the gate calls an estimate incompatible with its baseline,
/// over the whole suite (baselines/README.md, "The gate").
inline constexpr double kGateAlpha = 0.01;

/// How estimates are judged compatible: Holm across a claim's hypotheses at alpha/suite_claims
/// (Bonferroni across the suite's claims), so that the suite's family-wise error is <= alpha.
struct GateSettings {
  double alpha = kGateAlpha;
  int suite_claims = 1;  // the claims of the suite that define the profile
};

/// The gate's rule in words, for every report.
std::string gate_rule(const GateSettings& gate);

/// The comparison of a whole claim.
struct Comparison {
  Outcome outcome = Outcome::kPass;
  bool same_environment = false;     // one environment on both sides (environment.h)
  bool exact_required = false;       // ... and both ran deterministically: units must be equal
  std::string baseline_environment;  // one line each: "baseline from X, runs on Y"
  std::string run_environment;
  int seed_offset = 0;              // the runs' seeds (0: the profile's own; planner.h)
  int baseline_seed_offset = 0;     // the baseline's
  int seeds_override = 0;           // the runs' --seeds N (0: the profile's own number; planner.h)
  int baseline_seeds_override = 0;  // the baseline's (always 0: bless blesses the profile's)
  GateSettings gate;
  std::vector<HypothesisComparison> hypotheses;
  std::vector<std::string> messages;  // one line per thing that moved
};

/// As JSON for report.json.
nlohmann::json to_json(const Comparison& comparison);

/// baselines/<claim>/<profile>.json under `dir`: the CPU baseline.
std::filesystem::path baseline_path(const std::filesystem::path& dir, const std::string& claim,
                                    const std::string& profile);

/// The baseline of runs on `device_type`: the CPU one for "cpu", <profile>.cuda.json beside it
/// for "cuda" (baselines/README.md: baselines per device class).
std::filesystem::path baseline_path(const std::filesystem::path& dir, const std::string& claim,
                                    const std::string& profile, const std::string& device_type);

/// Compares an analysis (to_json(ClaimAnalysis)) with a baseline read by read_baseline(). The
/// spec hash must be unchanged. Where both sides ran deterministically in one environment
/// (environment.h) on the same seeds, the per-unit values must reproduce exactly (same spec +
/// seed + environment ⇒ same numbers) and verdicts must be equal. Elsewhere the gate: a
/// decisive verdict that flips, or an estimate incompatible with the baseline's (z from the CIs'
/// standard errors, Holm per `gate`), regresses or improves; a fragile verdict that flips with a
/// compatible estimate passes, marked within noise. Throws std::invalid_argument on a bad gate.
Comparison compare_with_baseline(const nlohmann::json& analysis, const nlohmann::json& baseline,
                                 const GateSettings& gate = {});

/// Reads and checks a baseline: format version, keys, types, verdict strings and finiteness.
/// Throws std::runtime_error naming the file, the key path and how to fix it.
nlohmann::json read_baseline(const std::filesystem::path& file);

/// Checks an analysis/baseline JSON as read_baseline() does; `file` names it in errors.
void check_baseline_json(const nlohmann::json& baseline, const std::string& file);

/// Writes `analysis` as the new baseline atomically (temp file, fsync, rename, fsync of the
/// directory), so a crash leaves the old baseline or the new one, never half of one. Refuses
/// (std::runtime_error) when the CI variable is set.
void write_baseline(const std::filesystem::path& file, const nlohmann::json& analysis);

}  // namespace claimcheck::claims
