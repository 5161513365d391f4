#include "harness/claims/run_record.h"

#include <cmath>
#include <regex>

namespace claimcheck::claims {
namespace {

bool is_count(const nlohmann::json& v) {
  return v.is_number_integer() && v.get<std::int64_t>() >= 0;
}

nlohmann::json metrics_json(const train::RunOutput& out) {
  nlohmann::json m = nlohmann::json::object();
  for (const auto& [name, value] : out.metrics) {
    // JSON has no NaN/inf: a non-finite metric (a diverged run) is stored as null.
    m[name] = std::isfinite(value) ? nlohmann::json(value) : nlohmann::json();
  }
  return m;
}

}  // namespace

nlohmann::json make_run_record(const RunSpec& run, const train::RunOutput& out, double wall_seconds,
                               const nlohmann::json& fingerprint, const nlohmann::json& artifacts) {
  nlohmann::json record = {{"format", kRunRecordFormat},   {"key", run.key()},
                           {"claim", run.claim},           {"arm", run.arm},
                           {"role", to_string(run.role)},  {"index", run.index},
                           {"config", run.config()},       {"metrics", metrics_json(out)},
                           {"diverged", out.diverged},     {"steps", out.steps},
                           {"parameters", out.parameters}, {"wall_seconds", wall_seconds},
                           {"fingerprint", fingerprint}};
  if (!artifacts.empty()) record["artifacts"] = artifacts;
  return record;
}

bool has_foreign_format(const nlohmann::json& record) {
  // Compared as JSON, not through get<int>(): 4294967297 would narrow to 1 and pass as format 1.
  return record.is_object() && record.contains("format") && record["format"].is_number_integer() &&
         record["format"] != kRunRecordFormat;
}

std::string run_record_problem(const nlohmann::json& r) {
  if (!r.is_object()) return "the record: is not a JSON object";
  if (!r.contains("format") || !r["format"].is_number_integer()) {
    return "format: missing or not an integer (a record from before format versions)";
  }
  if (!r.contains("key") || !r["key"].is_string() ||
      !std::regex_match(r["key"].get<std::string>(), std::regex("[0-9a-f]{16}"))) {
    return "key: missing or not 16 hex digits";
  }
  for (const char* key : {"claim", "arm"}) {
    if (!r.contains(key) || !r[key].is_string() || r[key].get<std::string>().empty()) {
      return std::string(key) + ": missing or not a non-empty string";
    }
  }
  if (!r.contains("role") || (r["role"] != "replicate" && r["role"] != "trial")) {
    return "role: must be \"replicate\" or \"trial\"";
  }
  for (const char* key : {"index", "steps", "parameters"}) {
    if (!r.contains(key) || !is_count(r[key])) {
      return std::string(key) + ": missing or not an integer >= 0";
    }
  }
  for (const char* key : {"config", "metrics", "fingerprint"}) {
    if (!r.contains(key) || !r[key].is_object()) {
      return std::string(key) + ": missing or not an object";
    }
  }
  for (const auto& item : r["metrics"].items()) {
    if (!item.value().is_null() && !item.value().is_number()) {
      return "metrics." + item.key() + ": must be a number (or null for a non-finite value)";
    }
  }
  if (r.contains("artifacts")) {
    if (!r["artifacts"].is_object()) return "artifacts: not an object";
    for (const auto& item : r["artifacts"].items()) {
      const auto& a = item.value();
      if (!a.is_object() || !a.contains("file") || !a["file"].is_string() ||
          !a.contains("checksum") || !a["checksum"].is_string()) {
        return "artifacts." + item.key() + ": must be {\"file\": ..., \"checksum\": ...}";
      }
    }
  }
  if (!r.contains("diverged") || !r["diverged"].is_boolean()) {
    return "diverged: missing or not true/false";
  }
  if (!r.contains("wall_seconds") || !r["wall_seconds"].is_number() ||
      !std::isfinite(r["wall_seconds"].get<double>()) || r["wall_seconds"].get<double>() < 0) {
    return "wall_seconds: missing or not a finite number >= 0";
  }
  return "";
}

}  // namespace claimcheck::claims
