// A claim spec (claims/<id>.json) as plain structs: parsing with validation, and back to JSON.
// The schema, every key and its default, is documented in claims/README.md.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness/stats/verdict.h"

namespace claimcheck::claims {

/// A model by registry type, with its options (models/registry.h).
struct ModelSpec {
  std::string type;
  nlohmann::json options = nlohmann::json::object();
};

/// One arm: a named model. `source_value` is the source's reported metric, for reports only.
struct ArmSpec {
  std::string name;
  ModelSpec model;
  std::optional<double> source_value;
};

/// What is trained and measured. Implemented task: "image-classification".
struct TaskSpec {
  std::string type = "image-classification";
  std::string dataset = "mnist";
  std::string optimizer = "adam";
  std::int64_t epochs = 1;
};

/// Training hyperparameters shared by every arm unless a design overrides them.
struct TrainDefaults {
  std::int64_t batch = 64;
  double lr = 1e-3;
};

/// Random-search space: each trial draws batch and lr uniformly from these lists.
struct SearchSpace {
  std::vector<std::int64_t> batch;
  std::vector<double> lr;
};

/// How a hypothesis's runs are laid out and compared.
enum class Design {
  kPaired,  // replicate i of both arms shares data order and init seed; mean paired difference
  kRandomSearch,  // trial j of both arms shares one (batch, lr) draw; difference of expected best
                  // of k
};

/// One decided hypothesis: effect = metric(treatment) − metric(control).
struct HypothesisSpec {
  std::string id;
  std::string statement;  // one line for reports
  Design design = Design::kPaired;
  std::string treatment;
  std::string control;
  std::string metric = "test_accuracy";
  stats::HypothesisKind kind = stats::HypothesisKind::kSuperiority;
  stats::Direction direction = stats::Direction::kGreater;
  double margin = 0.0;
  int k = 0;  // random-search budget (trials per arm); 0 for paired designs
  std::optional<double> source_effect;  // the source's reported effect, for reports only
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

/// Size and place of one profile.
struct ProfileSpec {
  int replicates = 5;           // seeds per arm for paired designs
  int search_trials = 0;        // trials per arm for random-search designs
  std::string device = "auto";  // auto | cpu | cuda
  bool gpu = false;             // CTest labels it gpu and gives it RESOURCE_GROUPS gpus:1
  double alpha = 0.05;          // two-sided level of CIs and of the Holm family
  int resamples = 9999;         // bootstrap resamples
};

/// A whole claim.
struct ClaimSpec {
  std::string id;
  std::string title;
  nlohmann::json source = nlohmann::json::object();  // free-form provenance, shown in reports
  TaskSpec task;
  TrainDefaults defaults;
  std::vector<ArmSpec> arms;
  std::optional<SearchSpace> search;
  std::vector<HypothesisSpec> hypotheses;
  std::optional<SourceBootstrapOfMax> source_bootstrap_of_max;
  std::map<std::string, ProfileSpec> profiles;
  std::string file;  // where it was read from (for messages)

  /// The arm called `name`; throws std::invalid_argument when absent.
  const ArmSpec& arm(const std::string& name) const;
  /// The profile called `name`; throws SpecError listing the profiles when absent.
  const ProfileSpec& profile(const std::string& name) const;
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

/// The metrics a task type produces.
std::vector<std::string> task_metrics(const std::string& task_type);

}  // namespace claimcheck::claims
