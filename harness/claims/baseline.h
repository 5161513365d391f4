// Baselines: the stored evidence of a claim under a profile (baselines/<claim>/<profile>.json),
// the strict reader, the comparison of a new analysis with it, and bless (the only writer).
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
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
  double z = 0.0;          // (estimate − baseline) / combined standard error (from the CIs)
  bool compatible = true;  // statistically compatible with the baseline (|z| <= kCompatibleZ)
  bool exact = true;       // per-unit values identical to the baseline's
  Outcome outcome = Outcome::kPass;
  std::string change;  // what moved, in words; empty when nothing did
};

/// The comparison of a whole claim.
struct Comparison {
  Outcome outcome = Outcome::kPass;
  bool same_environment = false;     // one environment on both sides (environment.h)
  bool exact_required = false;       // ... and both ran deterministically: units must be equal
  std::string baseline_environment;  // one line each: "baseline from X, runs on Y"
  std::string run_environment;
  std::vector<HypothesisComparison> hypotheses;
  std::vector<std::string> messages;  // one line per thing that moved
};

/// As JSON for report.json.
nlohmann::json to_json(const Comparison& comparison);

/// |z| above this (two-sided p < 0.001 under normality) makes an estimate incompatible.
inline constexpr double kCompatibleZ = 3.29;

/// baselines/<claim>/<profile>.json under `dir`: the CPU baseline.
std::filesystem::path baseline_path(const std::filesystem::path& dir, const std::string& claim,
                                    const std::string& profile);

/// The baseline of runs on `device_type`: the CPU one for "cpu", <profile>.cuda.json beside it
/// for "cuda" (baselines/README.md: baselines per device class).
std::filesystem::path baseline_path(const std::filesystem::path& dir, const std::string& claim,
                                    const std::string& profile, const std::string& device_type);

/// Compares an analysis (to_json(ClaimAnalysis)) with a baseline read by read_baseline().
/// Verdicts must be equal, estimates compatible, the spec hash unchanged; where both sides ran
/// deterministically in one environment (environment.h) the per-unit values must also
/// reproduce exactly (same spec + seed + environment ⇒ same numbers). The CIs are turned into
/// standard errors with the z of their own level.
Comparison compare_with_baseline(const nlohmann::json& analysis, const nlohmann::json& baseline);

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
