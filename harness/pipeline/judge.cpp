#include "harness/pipeline/judge.h"

#include <fmt/format.h>

#include <fstream>
#include <ostream>

#include "harness/report/markdown.h"

namespace claimcheck::pipeline {
namespace fs = std::filesystem;

void warn_store(const claims::RunStore& store, std::ostream& err) {
  for (const auto& w : store.warnings())
    err << "warning: " << w << "\n";
}

// The store that holds most of `runs` (the one a bless or analyze hint must name); the first
// store when none holds any.
fs::path store_of(const std::vector<claims::RunSpec>& runs,
                  const std::map<std::string, fs::path>& origin, const fs::path& first) {
  std::map<fs::path, std::size_t> count;
  for (const auto& r : runs) {
    const auto it = origin.find(r.key());
    if (it != origin.end()) ++count[it->second];
  }
  fs::path best = first;
  std::size_t most = 0;
  for (const auto& [dir, n] : count) {
    if (n > most) {
      best = dir;
      most = n;
    }
  }
  return best;
}

// Writes a report file whole; a failed write is an error, not a silently missing report.
void write_text(const fs::path& file, const std::string& text) {
  std::ofstream stream(file);
  stream << text;
  if (!stream.flush()) throw std::runtime_error(file.string() + ": cannot write the report");
}

// The execution summary of an analysis that trained nothing.
ExecuteSummary all_from_store(std::size_t runs) {
  return {runs, runs, 0, 0, 0.0};
}

// Analyze + compare + write report.json/report.md; prints the Markdown.
ClaimResult finish_claim(const Paths& paths, const claims::ProfilePlan& plan,
                         const std::map<std::string, nlohmann::json>& records,
                         const ExecuteSummary& execution, std::ostream& out, std::ostream& err) {
  const claims::ClaimSpec& spec = plan.claim();
  const std::string& profile = plan.profile;
  const claims::ClaimAnalysis analysis =
      claims::analyze(plan, records, prediction_loader(paths, spec.id, profile));
  const nlohmann::json analysis_json = claims::to_json(analysis);
  // Runs compare with their device class's baseline; CUDA runs without one, with the CPU's
  // (another environment: statistically, and the report says so).
  const ChosenBaseline baseline = choose_baseline(paths, spec.id, profile, plan.device_type);
  claims::Comparison comparison;
  if (fs::exists(baseline.file)) {
    claims::GateSettings gate;
    gate.suite_claims = suite_claims(paths, profile);
    comparison =
        claims::compare_with_baseline(analysis_json, claims::read_baseline(baseline.file), gate);
  } else {
    comparison.outcome = claims::Outcome::kNoBaseline;
    comparison.messages.push_back("no baseline at " + baseline.file.string());
  }
  // The analyze hint judges exactly these runs again: the same seeds and design.
  std::string design;
  if (plan.seeds_override > 0) design += fmt::format(" --seeds {}", plan.seeds_override);
  if (plan.seed_offset > 0) design += fmt::format(" --seed-offset {}", plan.seed_offset);
  int diverged = 0;
  for (const auto& [key, run] : analysis.runs)
    diverged += run.value("diverged", false) ? 1 : 0;
  const nlohmann::json report = {
      {"analysis", analysis_json},
      {"comparison", claims::to_json(comparison)},
      {"baseline",
       {{"file", baseline.file.string()},
        {"own", baseline.own.string()},
        {"name", spec.id + "/" + baseline.own.filename().string()},
        {"device", plan.device_type},
        {"fallback", baseline.fallback}}},
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
        {"run", command_hint(paths, "run " + spec.id + " --profile " + profile)},
        {"analyze",
         command_hint(paths, "analyze " + spec.id + " --profile " + profile + design)}}}};
  const fs::path dir = report_dir(paths, spec.id, profile);
  fs::create_directories(dir);
  const std::string md = report::markdown_report(report);
  write_text(dir / "report.json", report.dump(1) + "\n");
  write_text(dir / "report.md", md);
  out << md << "\n";
  err << fmt::format("{} ({}): {}; report in {}\n", spec.id, profile,
                     claims::to_string(comparison.outcome), dir.string());
  return {comparison.outcome, report};
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

ClaimResult judge_store(const Paths& paths, const claims::ProfilePlan& plan,
                        const claims::RunStore& store, const ExecuteSummary& execution,
                        std::ostream& out, std::ostream& err) {
  try {
    return finish_claim(paths, plan, store.by_key(), execution, out, err);
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

}  // namespace claimcheck::pipeline
