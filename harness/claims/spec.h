// A claim spec (claims/<id>.json) as plain structs: parsing with validation, and back to JSON.
// The schema, every key and its default, is documented in claims/README.md. Validation builds
// no model and loads no data: model options are checked by the registry's parsers and parameter
// counts come from formulas (models/registry.h).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness/claims/checks.h"
#include "harness/stats/prediction_difference.h"
#include "harness/stats/verdict.h"
#include "harness/train/run_config.h"
#include "models/registry.h"

namespace claimcheck::claims {

using train::ModelSpec;
using train::TaskSpec;
using train::TrainingSpec;

/// One arm: a named model and how it trains (the claim's training block with the arm's
/// overrides applied, and in a profile's copy that profile's overrides too). `source_value` is
/// the source's reported metric, for reports only.
struct ArmSpec {
  std::string name;
  ModelSpec model;
  TrainingSpec training;
  nlohmann::json training_override = nlohmann::json::object();  // as written, for round trips
  std::optional<double> source_value;
  models::ParameterCount parameters;  // by formula, at validation
  /// Empty: the claim's shared seeds (replicate i of every arm has the same seeds). A name gives
  /// the arm its own seeds (replicate i still pairs by index), e.g. a canary arm that must not
  /// share random numbers with the arm it is a copy of.
  std::string seed_stream;
};

/// Random-search space: each trial draws batch and lr uniformly from these lists.
struct SearchSpace {
  std::vector<std::int64_t> batch;
  std::vector<double> lr;
};

/// How a hypothesis's runs are laid out and compared.
enum class Design {
  kPaired,        // replicate i of every arm shares data order and init seed; mean contrast
  kRandomSearch,  // trial j of both arms shares one (batch, lr) draw; difference of expected
                  // best of k
  kPredictionDifference,  // a metric of pairs of an arm's seeds (Shamir et al.), see PdSpec
};

/// What a prediction-difference hypothesis compares (CLAIMS.md §4, STATISTICS.md).
enum class PdForm {
  kPair,     // PD(treatment) − PD(control) against the margin, in `direction`
  kExtreme,  // `focus` has the lowest (direction less) / highest (greater) PD of focus + others:
             // the intersection of the pairwise tests focus vs each other arm
  kCv,       // the coefficient of variation of the PDs of `others` is below `bound`
};

/// The prediction-difference part of a hypothesis.
struct PdSpec {
  stats::PdMeasure measure = stats::PdMeasure::kTotalVariation;
  PdForm form = PdForm::kPair;
  std::string focus;                // kExtreme
  std::vector<std::string> others;  // kExtreme: the arms compared with; kCv: the arms
  double bound = 0.0;               // kCv
};

/// One term of a contrast: weight · metric(arm).
struct ContrastTerm {
  std::string arm;
  double weight = 0.0;
};

/// One decided hypothesis: effect = Σ weight · metric(arm) per replicate. A two-arm hypothesis
/// (treatment, control) is the contrast {+1, −1} and keeps that JSON form.
struct HypothesisSpec {
  std::string id;
  std::string statement;  // one line for reports
  Design design = Design::kPaired;
  std::vector<ContrastTerm> contrast;
  bool two_arm = true;  // written as treatment/control
  std::string metric;
  stats::HypothesisKind kind = stats::HypothesisKind::kSuperiority;
  stats::Direction direction = stats::Direction::kGreater;
  double margin = 0.0;
  int k = 0;  // random-search budget (trials per arm); 0 for paired designs
  std::optional<double> source_effect;  // the source's reported effect, for reports only
  /// The smallest effect of interest: power is reported at it (default: the margin when > 0).
  std::optional<double> min_effect;
  std::optional<PdSpec> pd;  // prediction-difference hypotheses only

  /// Every arm the hypothesis needs runs of, in spec order.
  std::vector<std::string> arms_used() const;
  /// The smallest effect of interest in force (min_effect, else the margin when > 0).
  std::optional<double> effect_of_interest() const;
  /// The treatment arm of a two-arm hypothesis (the +1 term).
  const std::string& treatment() const { return contrast.at(0).arm; }
  /// The control arm of a two-arm hypothesis (the −1 term).
  const std::string& control() const { return contrast.at(1).arm; }
  /// The contrast as a formula of arm names, e.g. "(a − b) − (c − d)" or "geglu-8 − relu-8".
  std::string formula() const;
  /// What the hypothesis claims of that formula, as `claimcheck list` prints it: superiority
  /// "F > m" (direction less: "F < −m"), non-inferiority "F > −m" ("F < m"), equivalence
  /// "|F| < m", the CV form "CV of PD(...) < bound" (m: the margin; stats/verdict.h's rule).
  std::string claimed() const;
};

/// The source's own analysis, reproduced for comparison and never decided: a percentile
/// bootstrap CI of the maximum of a resample of the first k trial values, per arm separately.
struct SourceBootstrapOfMax {
  std::vector<std::string> arms;
  std::vector<int> k;
  std::string metric = "test_accuracy";
  int resamples = 10000;
  double confidence = 0.95;
};

/// A count over hypotheses, reported beside the source's own count (e.g. "ReLU has the highest
/// PD on k of 6 architectures" against the source's "5 of 5"). Decides nothing itself.
struct TallySpec {
  std::string id;
  std::string statement;
  std::vector<std::string> hypotheses;
  std::string source;  // the source's figure, as text
};

/// A sequential design (nightly): seeds are added in rounds while some paired hypothesis is
/// still open; each is decided by an anytime-valid confidence sequence, so looking after every
/// round costs no error rate. The stopping point is a function of the stored runs alone.
struct SequentialSpec {
  int min_seeds = 4;         // the first round
  int max_seeds = 30;        // the budget: an open hypothesis stops here, inconclusive
  int round = 2;             // seeds added per round
  std::string method = "t";  // "t": anytime-valid t CS (normal data); "eb": empirical Bernstein
                             // (bounded metrics; the bound from the task's metric range)
};

/// Size and place of one profile, and what it changes about the arms (e.g. nightly trains wider
/// models for longer than smoke).
struct ProfileSpec {
  int replicates = 5;                   // seeds per arm for paired designs
  int search_trials = 0;                // trials per arm for random-search designs
  std::string device = "auto";          // auto | cpu | cuda
  bool gpu = false;                     // CTest labels it gpu and gives it RESOURCE_GROUPS gpus:1
  double alpha = 0.05;                  // two-sided level of CIs and of the Holm family
  int resamples = 9999;                 // bootstrap resamples
  int timeout = 0;                      // seconds CTest allows the claim test (0: the default)
  std::vector<std::string> hypotheses;  // ids decided in this profile (empty: all of them)
  // Hypotheses this profile decides and reports but does not gate across environments (id ->
  // why, e.g. "fragile at 16 seeds: replication probability 0.62"): baselines/README.md, "The
  // gate". Not part of the spec hash: it changes no result.
  std::map<std::string, std::string> report_only;
  std::optional<SequentialSpec> sequential;  // paired hypotheses decided in rounds
  nlohmann::json training_override = nlohmann::json::object();  // over every arm's training
  nlohmann::json model_override = nlohmann::json::object();     // merged into every arm's options
  std::vector<ArmSpec> arms;               // the claim's arms with this profile's overrides
  std::vector<CheckResult> check_results;  // the claim's checks on those arms (all passed)

  /// The resolved arm called `name`; throws std::invalid_argument when absent.
  const ArmSpec& arm(const std::string& name) const;
};

/// A whole claim.
struct ClaimSpec {
  std::string id;
  std::string title;
  nlohmann::json source = nlohmann::json::object();  // free-form provenance, shown in reports
  TaskSpec task;
  nlohmann::json training = nlohmann::json::object();  // the claim-level block as written
  std::vector<ArmSpec> arms;
  std::optional<SearchSpace> search;
  std::vector<HypothesisSpec> hypotheses;
  std::vector<CheckSpec> checks;  // evaluated per profile, on its resolved arms
  std::vector<TallySpec> tallies;
  std::optional<SourceBootstrapOfMax> source_bootstrap_of_max;
  std::map<std::string, ProfileSpec> profiles;
  std::string file;  // where it was read from (for messages)

  /// The arm called `name` as written (claim and arm training, no profile overrides); throws
  /// std::invalid_argument when absent. Planning and analysis use ProfileSpec::arm.
  const ArmSpec& arm(const std::string& name) const;
  /// The profile called `name`; throws SpecError listing the profiles when absent.
  const ProfileSpec& profile(const std::string& name) const;
  /// The hypotheses a profile decides, in spec order (all of them unless it lists ids).
  std::vector<HypothesisSpec> hypotheses_in(const std::string& profile) const;
};

/// "paired" / "random-search".
std::string to_string(Design design);

/// Validates and converts parsed JSON; `file` is used in error messages. Throws SpecError.
ClaimSpec parse_claim(const nlohmann::json& json, const std::string& file);
/// Reads and parses claims/<id>.json; the file name must be the id. Throws SpecError.
ClaimSpec load_claim(const std::filesystem::path& file);
/// Every claims/*.json in `dir`, sorted by id.
std::vector<ClaimSpec> load_all_claims(const std::filesystem::path& dir);
/// One hypothesis as JSON (the spec's form).
nlohmann::json to_json(const HypothesisSpec& hypothesis);
/// The spec as JSON (round-trips through parse_claim).
nlohmann::json to_json(const ClaimSpec& spec);
/// A hash of what determines a profile's results (everything but title, source, source values
/// and other profiles): a baseline whose hash differs is stale.
std::string spec_hash(const ClaimSpec& spec, const std::string& profile);

}  // namespace claimcheck::claims
