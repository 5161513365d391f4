#include "harness/claims/environment.h"

#include <fmt/format.h>

#include "harness/env/determinism.h"

namespace claimcheck::claims {
namespace {

constexpr const char* kUnknown = "unknown";

// The string at `object`.`key`, "unknown" when either is missing or not a string.
std::string text_at(const nlohmann::json& object, const char* key) {
  if (!object.is_object() || !object.contains(key) || !object[key].is_string()) return kUnknown;
  return object[key].get<std::string>();
}

const nlohmann::json& member_or_null(const nlohmann::json& object, const char* key) {
  static const nlohmann::json kNull;
  return object.is_object() && object.contains(key) ? object[key] : kNull;
}

// The determinism settings that decide whether CUDA kernels reproduce ("cuda_deterministic" is
// derived from them, so it is left out of the key).
nlohmann::json determinism_key(const nlohmann::json& settings) {
  if (!settings.is_object()) return kUnknown;
  nlohmann::json flags = settings;
  flags.erase("cuda_deterministic");
  return flags;
}

std::string cuda_description(const nlohmann::json& key, bool deterministic) {
  return fmt::format("LibTorch {}, cuda ({}, compute capability {}), CUDA {}, cuDNN {}, {}",
                     key["libtorch"].get<std::string>(), key["device_name"].get<std::string>(),
                     key["compute_capability"].get<std::string>(),
                     key["cuda_runtime"].get<std::string>(), key["cudnn"].get<std::string>(),
                     deterministic ? "deterministic" : "not deterministic");
}

}  // namespace

Environment environment_of(const nlohmann::json& fp, const std::string& device_type) {
  Environment e;
  const nlohmann::json& device = member_or_null(fp, "device");
  const nlohmann::json& cuda = member_or_null(fp, "cuda");
  const nlohmann::json& blas = member_or_null(fp, "blas");
  const std::string type = device.is_object() ? text_at(device, "type") : device_type;
  e.key = {{"libtorch", text_at(fp, "libtorch")},
           {"device", type},
           {"cpu", text_at(fp, "cpu")},
           {"cuda_runtime", text_at(cuda, "version")}};
  if (type != "cuda") {
    // The CPU's BLAS, by the library loaded and LibTorch's build setting (both recorded since
    // the first fingerprints, unlike the display name). CPU kernels are deterministic here by
    // construction (per-run generators, fixed threads: executor.h), and the CUDA determinism
    // flags steer no CPU kernel, so they are not part of a CPU environment.
    e.key["blas"] = {{"loaded", text_at(blas, "loaded")},
                     {"build_setting", text_at(blas, "build_setting")}};
    e.deterministic = true;
    e.description = fmt::format(
        "LibTorch {}, cpu ({}), {}", e.key["libtorch"].get<std::string>(),
        e.key["cpu"].get<std::string>(),
        text_at(blas, "name") == kUnknown ? text_at(blas, "loaded") : text_at(blas, "name"));
    return e;
  }
  e.key["blas"] = "cuBLAS";  // its version is the CUDA runtime's
  e.key["cudnn"] = text_at(cuda, "cudnn");
  const std::string name = text_at(device, "name");
  e.key["device_name"] = name == kUnknown ? text_at(cuda, "device_name") : name;
  const std::string cc = text_at(device, "compute_capability");
  e.key["compute_capability"] = cc == kUnknown ? text_at(cuda, "compute_capability") : cc;
  const nlohmann::json& settings = member_or_null(fp, "determinism");
  e.key["determinism"] = determinism_key(settings);
  e.deterministic = env::cuda_deterministic(settings);
  e.description = cuda_description(e.key, e.deterministic);
  return e;
}

void EnvironmentTally::add(const nlohmann::json& fingerprint, const std::string& device_type) {
  Environment e = environment_of(fingerprint, device_type);
  for (std::size_t i = 0; i < seen_.size(); ++i) {
    if (seen_[i].key == e.key) {
      ++runs_[i];
      return;
    }
  }
  seen_.push_back(std::move(e));
  runs_.push_back(1);
}

nlohmann::json EnvironmentTally::to_json() const {
  nlohmann::json out = nlohmann::json::array();
  for (std::size_t i = 0; i < seen_.size(); ++i) {
    out.push_back({{"description", seen_[i].description},
                   {"key", seen_[i].key},
                   {"deterministic", seen_[i].deterministic},
                   {"runs", runs_[i]}});
  }
  return out;
}

Environment analysis_environment(const nlohmann::json& analysis) {
  const nlohmann::json& listed = member_or_null(analysis, "environments");
  if (listed.is_array() && listed.size() > 1) {
    Environment e;
    e.mixed = true;
    e.key = nlohmann::json::array();
    std::string parts;
    for (const auto& l : listed) {
      e.key.push_back(l.value("key", nlohmann::json()));
      const int runs = l.value("runs", 0);
      parts +=
          fmt::format("{}{} ({} run{})", parts.empty() ? "" : "; ",
                      l.value("description", std::string(kUnknown)), runs, runs == 1 ? "" : "s");
    }
    e.description = fmt::format("{} environments: {}", listed.size(), parts);
    return e;
  }
  // One environment: the one of the fingerprint (every run's), on the device the runs' configs
  // name (fingerprints before the "device" field lack it). Analyses written before
  // "environments" existed are read the same way.
  const nlohmann::json& fp = member_or_null(analysis, "fingerprint");
  if (!fp.is_object()) return {nullptr, false, false, "unknown environment"};
  std::string device = "cpu";
  const nlohmann::json& runs = member_or_null(analysis, "runs");
  if (runs.is_object() && !runs.empty()) {
    const std::string named = text_at(member_or_null(runs.begin().value(), "config"), "device");
    if (named != kUnknown) device = named;
  }
  return environment_of(fp, device);
}

bool same_environment(const Environment& a, const Environment& b) {
  return !a.mixed && !b.mixed && !a.key.is_null() && a.key == b.key;
}

bool exact_reproduction_required(const Environment& runs, const Environment& baseline) {
  return same_environment(runs, baseline) && runs.deterministic && baseline.deterministic;
}

}  // namespace claimcheck::claims
