#include "harness/cli/commands.h"

#include <fmt/format.h>

#include <chrono>
#include <fstream>
#include <ostream>

#include "harness/claims/analysis.h"
#include "harness/claims/baseline.h"
#include "harness/claims/planner.h"
#include "harness/claims/run_store.h"
#include "harness/claims/spec.h"
#include "harness/cli/cli.h"
#include "harness/env/device.h"
#include "harness/report/markdown.h"
#include "harness/stats/verdict.h"
#include "harness/train/executor.h"

namespace claimcheck::cli {
namespace fs = std::filesystem;
namespace {

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

// The planned runs whose results are in `records`. The device type is part of every run's key:
// take the device whose runs are all stored (CUDA first); with neither complete, the CPU plan,
// so the analysis can name the missing runs.
struct StoredPlan {
  std::vector<claims::RunSpec> runs;
  bool complete = false;
};
StoredPlan stored_plan(const claims::ClaimSpec& spec, const std::string& profile,
                       const std::map<std::string, nlohmann::json>& records) {
  for (const char* device_type : {"cuda", "cpu"}) {
    std::vector<claims::RunSpec> runs = claims::plan(spec, profile, device_type);
    if (std::all_of(runs.begin(), runs.end(),
                    [&](const claims::RunSpec& r) { return records.count(r.key()) != 0; })) {
      return {std::move(runs), true};
    }
  }
  return {claims::plan(spec, profile, "cpu"), false};
}

// Writes a report file whole; a failed write is an error, not a silently missing report.
void write_text(const fs::path& file, const std::string& text) {
  std::ofstream stream(file);
  stream << text;
  if (!stream.flush()) throw std::runtime_error(file.string() + ": cannot write the report");
}

// The execution summary of an analysis that trained nothing.
train::ExecuteSummary all_from_store(std::size_t runs) {
  return {runs, runs, 0, 0, 0.0};
}

// What finish_claim decided: the exit code and the report written to report.json.
struct ClaimResult {
  int exit_code;
  nlohmann::json report;
};

// Analyze + compare + write report.json/report.md; prints the Markdown.
ClaimResult finish_claim(const Paths& paths, const claims::ClaimSpec& spec,
                         const std::string& profile, const std::vector<claims::RunSpec>& runs,
                         const std::map<std::string, nlohmann::json>& records,
                         const train::ExecuteSummary& execution, std::ostream& out,
                         std::ostream& err) {
  const claims::ClaimAnalysis analysis = claims::analyze(spec, profile, runs, records);
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
  const nlohmann::json report = {{"analysis", analysis_json},
                                 {"comparison", claims::to_json(comparison)},
                                 {"execution",
                                  {{"total", execution.total},
                                   {"cached", execution.cached},
                                   {"trained", execution.trained},
                                   {"wall_seconds", execution.wall_seconds}}},
                                 {"diverged_runs", diverged},
                                 {"train_seconds", analysis.train_seconds},
                                 {"store", store_file(paths, spec.id).string()}};
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

}  // namespace

int command_list(const Paths& paths, std::ostream& out) {
  for (const auto& spec : claims::load_all_claims(paths.claims)) {
    std::string profiles;
    for (const auto& [name, p] : spec.profiles) {
      profiles += fmt::format("{}{} ({} seeds, {} trials, device {})", profiles.empty() ? "" : ", ",
                              name, p.replicates, p.search_trials, p.device);
    }
    out << fmt::format("{}: {}\n  task: {}, profiles: {}\n", spec.id, spec.title, spec.task.type,
                       profiles);
    for (const auto& [name, p] : spec.profiles) {
      out << fmt::format("  arms ({}):\n", name);
      for (const auto& a : p.arms) {
        std::string parts;
        for (const auto& [part, n] : a.parameters.parts)
          parts += fmt::format("{}{} {}", parts.empty() ? "" : ", ", part, n);
        out << fmt::format("    {:<16} {} {}: {} parameters ({}); {}, lr {:g}, batch {}\n", a.name,
                           a.model.type, a.model.options.dump(), a.parameters.total, parts,
                           a.training.optimizer.type, a.training.lr, a.training.batch);
      }
      for (const auto& c : p.check_results)
        out << "    check: " << c.text << "\n";
    }
    out << "  hypotheses:\n";
    for (const auto& h : spec.hypotheses) {
      out << fmt::format("    - {}: {} {} 0 on {} ({}, {}{})\n", h.id, h.formula(),
                         h.direction == stats::Direction::kGreater ? ">" : "<", h.metric,
                         claims::to_string(h.design), stats::to_string(h.kind),
                         h.margin > 0 ? fmt::format(", margin {:g}", h.margin) : "");
    }
  }
  return kExitOk;
}

int command_run(const Paths& paths, const RunOptions& options, std::ostream& out,
                std::ostream& err) {
  std::vector<claims::ClaimSpec> specs;
  if (options.all) {
    for (auto& s : claims::load_all_claims(paths.claims)) {
      if (s.profiles.count(options.profile) != 0) specs.push_back(std::move(s));
    }
  } else {
    specs.push_back(claims::load_claim(paths.claims / (options.claim + ".json")));
  }
  const claims::Shard shard =
      options.shard.empty() ? claims::Shard{} : claims::parse_shard(options.shard);
  int worst = kExitOk;
  for (const auto& spec : specs) {
    const claims::ProfileSpec& profile = spec.profile(options.profile);
    const std::string device_name = options.device.empty() ? profile.device : options.device;
    const env::DeviceChoice choice = env::device_choice_from_string(device_name);
    if (choice == env::DeviceChoice::kCuda && !env::cuda_available()) {
      err << fmt::format("{} ({}): skipped: the profile needs CUDA and none is available\n",
                         spec.id, options.profile);
      worst = std::max(worst, static_cast<int>(kExitSkipped));
      continue;
    }
    const torch::Device device = env::select_device(choice);
    const std::string device_type = device.is_cuda() ? "cuda" : "cpu";
    const auto runs = claims::plan(spec, options.profile, device_type, options.seeds, shard);
    claims::RunStore store(store_file(paths, spec.id));
    warn_store(store, err);
    err << fmt::format("{} ({}): {} runs on {}, store {}\n", spec.id, options.profile, runs.size(),
                       device_type, store.file().string());
    train::ExecuteOptions exec;
    exec.device = device;
    exec.progress = &err;
    const train::ExecuteSummary summary = train::execute_runs(runs, store, exec);
    if (shard.count > 1) {
      err << fmt::format(
          "shard {}/{}: {} runs trained, {} already stored; merge shards with "
          "`claimcheck report`\n",
          shard.index, shard.count, summary.trained, summary.cached);
      continue;
    }
    const int code =
        finish_claim(paths, spec, options.profile, runs, by_key(store.records()), summary, out, err)
            .exit_code;
    worst = code == kExitOk ? worst : std::max(worst, code == kExitSkipped ? worst : code);
  }
  return worst == kExitSkipped && specs.size() > 1 ? kExitOk : worst;
}

int command_analyze(const Paths& paths, const std::string& claim, const std::string& profile,
                    std::ostream& out, std::ostream& err) {
  const claims::ClaimSpec spec = claims::load_claim(paths.claims / (claim + ".json"));
  claims::RunStore store(store_file(paths, spec.id));
  warn_store(store, err);
  const auto records = by_key(store.records());
  const StoredPlan stored = stored_plan(spec, profile, records);
  return finish_claim(paths, spec, profile, stored.runs, records,
                      all_from_store(stored.runs.size()), out, err)
      .exit_code;
}

int command_bless(const Paths& paths, const std::string& claim, const std::string& profile,
                  std::ostream& out, std::ostream& err) {
  const char* ci = std::getenv("CI");
  if (ci != nullptr && *ci != '\0') {
    err << "claimcheck bless: refused: the CI environment variable is set (CI never writes "
           "baselines). Bless on a developer machine and commit baselines/.\n";
    return kExitUsage;
  }
  const claims::ClaimSpec spec = claims::load_claim(paths.claims / (claim + ".json"));
  claims::RunStore store(store_file(paths, spec.id));
  warn_store(store, err);
  const auto records = by_key(store.records());
  const StoredPlan stored = stored_plan(spec, profile, records);
  const nlohmann::json analysis =
      claims::to_json(claims::analyze(spec, profile, stored.runs, records));
  const fs::path file = claims::baseline_path(paths.baselines, spec.id, profile);
  if (fs::exists(file)) {
    const nlohmann::json old = claims::read_baseline(file);
    out << fmt::format("old vs new for {} ({}):\n", spec.id, profile);
    out << fmt::format("  spec hash: {} -> {}\n", old.value("spec_hash", "?"),
                       analysis.at("spec_hash").get<std::string>());
    for (const auto& h : analysis.at("hypotheses")) {
      std::string old_text = "(new hypothesis)";
      for (const auto& o : old.value("hypotheses", nlohmann::json::array())) {
        if (o.at("id") == h.at("id")) {
          old_text =
              fmt::format("{} {:+.4f} [{:+.4f}, {:+.4f}]", o.at("verdict").get<std::string>(),
                          o.at("estimate").get<double>(), o.at("ci").at("lo").get<double>(),
                          o.at("ci").at("hi").get<double>());
        }
      }
      out << fmt::format("  {}: {} -> {} {:+.4f} [{:+.4f}, {:+.4f}]\n",
                         h.at("id").get<std::string>(), old_text,
                         h.at("verdict").get<std::string>(), h.at("estimate").get<double>(),
                         h.at("ci").at("lo").get<double>(), h.at("ci").at("hi").get<double>());
    }
  } else {
    out << fmt::format("no baseline yet for {} ({}); new verdicts:\n", spec.id, profile);
    for (const auto& h : analysis.at("hypotheses")) {
      out << fmt::format("  {}: {} {:+.4f}\n", h.at("id").get<std::string>(),
                         h.at("verdict").get<std::string>(), h.at("estimate").get<double>());
    }
  }
  claims::write_baseline(file, analysis);
  out << "wrote " << file.string() << "\n";
  return kExitOk;
}

int command_report(const Paths& paths, const std::vector<fs::path>& store_dirs,
                   const std::string& profile, const std::string& format, std::ostream& out,
                   std::ostream& err) {
  if (format == "html") {
    err << "claimcheck report --format html: not implemented yet (use md or json)\n";
    return kExitUsage;
  }
  std::vector<fs::path> stores;
  for (const auto& dir : store_dirs) {
    if (!fs::is_directory(dir))
      throw std::runtime_error("--store " + dir.string() + ": not a directory");
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.path().extension() == ".jsonl") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());  // directory order is unspecified: merge in name order
    stores.insert(stores.end(), files.begin(), files.end());
  }
  const auto records = by_key(claims::merge_stores(stores));
  nlohmann::json all = nlohmann::json::array();
  int worst = kExitOk;
  for (const auto& spec : claims::load_all_claims(paths.claims)) {
    if (spec.profiles.count(profile) == 0) continue;
    const StoredPlan stored = stored_plan(spec, profile, records);
    if (!stored.complete) continue;
    std::ostringstream discarded;  // json: the Markdown is still written to report.md
    const ClaimResult result =
        finish_claim(paths, spec, profile, stored.runs, records, all_from_store(stored.runs.size()),
                     format == "md" ? out : discarded, err);
    worst = std::max(worst, result.exit_code);
    if (format == "json") all.push_back(result.report);
  }
  if (format == "json") out << all.dump(1) << "\n";
  return worst;
}

}  // namespace claimcheck::cli
