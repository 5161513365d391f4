#include "harness/cli/claim_outcome.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <ostream>

#include "harness/base/text.h"
#include "harness/claims/analysis.h"
#include "harness/claims/sequential_design.h"
#include "harness/cli/cli.h"
#include "harness/report/markdown.h"

namespace claimcheck::cli {
namespace fs = std::filesystem;

fs::path store_file(const Paths& paths, const std::string& claim) {
  return paths.store / (claim + ".jsonl");
}

fs::path report_dir(const Paths& paths, const std::string& claim, const std::string& profile) {
  return paths.report_dir.empty() ? paths.store / "reports" / claim / profile : paths.report_dir;
}

int exit_code(claims::Outcome outcome) {
  switch (outcome) {
    case claims::Outcome::kPass:
      return kExitOk;
    case claims::Outcome::kSkipped:
      return kExitSkipped;
    default:
      return kExitMismatch;
  }
}

std::map<std::string, nlohmann::json> by_key(const std::vector<nlohmann::json>& records) {
  std::map<std::string, nlohmann::json> out;
  for (const auto& r : records)
    out.emplace(r.at("key").get<std::string>(), r);
  return out;
}

void warn_store(const claims::RunStore& store, std::ostream& err) {
  for (const auto& w : store.warnings())
    err << "warning: " << w << "\n";
}

std::set<std::string> stored_devices(const std::string& claim,
                                     const std::map<std::string, nlohmann::json>& records) {
  std::set<std::string> devices;
  for (const auto& [key, r] : records) {
    if (r.value("claim", "") != claim) continue;
    const auto config = r.find("config");
    if (config != r.end() && config->is_object() && config->contains("device") &&
        config->at("device").is_string()) {
      devices.insert(config->at("device").get<std::string>());
    }
  }
  return devices;
}

namespace {

// The plan of `profile` on one device, with whether every run of it is stored.
StoredPlan plan_on(const claims::ClaimSpec& spec, const std::string& profile,
                   const std::string& device_type,
                   const std::map<std::string, nlohmann::json>& records) {
  if (spec.profile(profile).sequential) {
    // The runs the stopping rule needs, given what is stored (complete when it has stopped).
    claims::SequentialState state = claims::sequential_state(spec, profile, device_type, records);
    return {std::move(state.runs), device_type, state.complete};
  }
  std::vector<claims::RunSpec> runs = claims::plan(spec, profile, device_type);
  const bool complete = std::all_of(runs.begin(), runs.end(), [&](const claims::RunSpec& r) {
    return records.count(r.key()) != 0;
  });
  return {std::move(runs), device_type, complete};
}

}  // namespace

StoredPlan stored_plan(const claims::ClaimSpec& spec, const std::string& profile,
                       const std::map<std::string, nlohmann::json>& records) {
  const std::set<std::string> devices = stored_devices(spec.id, records);
  if (devices.size() <= 1) {
    const std::string named = spec.profile(profile).device;
    const std::string device =
        devices.empty() ? (named == "cuda" ? "cuda" : "cpu") : *devices.begin();
    return plan_on(spec, profile, device, records);
  }
  std::vector<StoredPlan> with_runs;
  for (const auto& device : devices) {
    StoredPlan p = plan_on(spec, profile, device, records);
    if (std::any_of(p.runs.begin(), p.runs.end(),
                    [&](const claims::RunSpec& r) { return records.count(r.key()) != 0; })) {
      with_runs.push_back(std::move(p));
    }
  }
  if (with_runs.size() > 1) {
    throw std::runtime_error(fmt::format(
        "{} ({}): the store holds runs of this profile on {}: a verdict mixes no devices (their "
        "numbers differ); keep one store per device (run --store DIR) and analyze or report each",
        spec.id, profile, base::join(devices, " and ")));
  }
  if (with_runs.empty()) return plan_on(spec, profile, *devices.begin(), records);
  return std::move(with_runs.front());
}

// Writes a report file whole; a failed write is an error, not a silently missing report.
void write_text(const fs::path& file, const std::string& text) {
  std::ofstream stream(file);
  stream << text;
  if (!stream.flush()) throw std::runtime_error(file.string() + ": cannot write the report");
}

// The execution summary of an analysis that trained nothing.
pipeline::ExecuteSummary all_from_store(std::size_t runs) {
  return {runs, runs, 0, 0, 0.0};
}

// Analyze + compare + write report.json/report.md; prints the Markdown.
ClaimResult finish_claim(const Paths& paths, const claims::ClaimSpec& spec,
                         const std::string& profile, const std::vector<claims::RunSpec>& runs,
                         const std::map<std::string, nlohmann::json>& records,
                         const pipeline::ExecuteSummary& execution, std::ostream& out,
                         std::ostream& err) {
  const claims::ClaimAnalysis analysis =
      claims::analyze(spec, profile, runs, records, prediction_loader(paths, spec.id, profile));
  const nlohmann::json analysis_json = claims::to_json(analysis);
  const fs::path baseline_file = claims::baseline_path(paths.baselines, spec.id, profile);
  claims::Comparison comparison;
  if (fs::exists(baseline_file)) {
    comparison = claims::compare_with_baseline(analysis_json, claims::read_baseline(baseline_file));
  } else {
    comparison.outcome = claims::Outcome::kNoBaseline;
    comparison.messages.push_back("no baseline at " + baseline_file.string());
  }
  int diverged = 0;
  for (const auto& [key, run] : analysis.runs)
    diverged += run.value("diverged", false) ? 1 : 0;
  const nlohmann::json report = {
      {"analysis", analysis_json},
      {"comparison", claims::to_json(comparison)},
      {"execution",
       {{"total", execution.total},
        {"cached", execution.cached},
        {"trained", execution.trained},
        {"wall_seconds", execution.wall_seconds}}},
      {"diverged_runs", diverged},
      {"train_seconds", analysis.train_seconds},
      {"store", store_file(paths, spec.id).string()},
      {"commands",
       {{"bless", command_hint(paths, "bless " + spec.id + " --profile " + profile)},
        {"analyze", command_hint(paths, "analyze " + spec.id + " --profile " + profile)}}}};
  const fs::path dir = report_dir(paths, spec.id, profile);
  fs::create_directories(dir);
  const std::string md = report::markdown_report(report);
  write_text(dir / "report.json", report.dump(1) + "\n");
  write_text(dir / "report.md", md);
  out << md << "\n";
  err << fmt::format("{} ({}): {}; report in {}\n", spec.id, profile,
                     claims::to_string(comparison.outcome), dir.string());
  return {exit_code(comparison.outcome), report};
}

namespace {

// The nearest directory at or above `start` that holds both claims/ and baselines/ (a checkout).
std::optional<fs::path> checkout_above(fs::path start) {
  std::error_code ec;
  start = fs::weakly_canonical(start, ec);
  if (ec) return std::nullopt;
  for (fs::path dir = start; !dir.empty(); dir = dir.parent_path()) {
    if (fs::is_directory(dir / "claims", ec) && fs::is_directory(dir / "baselines", ec)) return dir;
    if (dir == dir.parent_path()) break;
  }
  return std::nullopt;
}

}  // namespace

Paths Paths::defaults() {
  // The checkout the user is in, else the one holding this binary (a copied checkout or build
  // dir uses its own claims/ and baselines/), else the tree this binary was built from.
  std::error_code ec;
  std::optional<fs::path> root = checkout_above(fs::current_path(ec));
  if (!root) root = checkout_above(fs::read_symlink("/proc/self/exe", ec).parent_path());
  const fs::path dir = root.value_or(fs::path(CLAIMCHECK_SOURCE_DIR));
  return {dir / "claims", dir / "baselines", "runs", ""};
}

std::function<claims::LoadedPredictions(const claims::RunSpec&, const nlohmann::json&)>
prediction_loader(const Paths& paths, const std::string& claim, const std::string& profile) {
  std::vector<fs::path> dirs = {paths.store};
  dirs.insert(dirs.end(), paths.artifact_dirs.begin(), paths.artifact_dirs.end());
  const std::string retrain = command_hint(paths, "run " + claim + " --profile " + profile);
  return [dirs, retrain](const claims::RunSpec& run, const nlohmann::json& record) {
    return claims::read_predictions(
        record, dirs, run.arm + " " + claims::to_string(run.role) + " " + std::to_string(run.index),
        retrain);
  };
}

std::string command_hint(const Paths& paths, const std::string& args, bool with_store) {
  const Paths defaults = Paths::defaults();
  std::string hint = "claimcheck";
  if (paths.claims != defaults.claims) hint += " --claims-dir " + paths.claims.string();
  if (paths.baselines != defaults.baselines) hint += " --baselines-dir " + paths.baselines.string();
  hint += " " + args;
  if (with_store) hint += " --store " + paths.store.string();
  return hint;
}

ClaimResult judge_store(const Paths& paths, const claims::ClaimSpec& spec,
                        const std::string& profile, const std::vector<claims::RunSpec>& runs,
                        const claims::RunStore& store, const pipeline::ExecuteSummary& execution,
                        std::ostream& out, std::ostream& err) {
  try {
    return finish_claim(paths, spec, profile, runs, by_key(store.records()), execution, out, err);
  } catch (const claims::BadRecord& e) {
    throw std::runtime_error(store.location(e.key) + ": " + e.what());
  }
}

std::string missing_runs_message(const Paths& paths, const claims::MissingRuns& m) {
  return fmt::format(
      "{} ({}): {} of {} runs are not in the store {} (first: {}); train them with "
      "`{}`",
      m.claim, m.profile, m.missing.size(), m.planned, store_file(paths, m.claim).string(),
      m.missing.front(), command_hint(paths, "run " + m.claim + " --profile " + m.profile));
}

}  // namespace claimcheck::cli
