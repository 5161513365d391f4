#include "harness/cli/report_command.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

#include "harness/claims/analysis.h"
#include "harness/claims/baseline.h"
#include "harness/claims/planner.h"
#include "harness/claims/run_store.h"
#include "harness/claims/spec.h"
#include "harness/cli/cli.h"
#include "harness/pipeline/judge.h"
#include "harness/pipeline/paths.h"
#include "harness/pipeline/profile_plan.h"
#include "harness/report/html.h"
#include "harness/report/suite.h"
#include "harness/report/suite_markdown.h"
#include "harness/train/task.h"

namespace claimcheck::cli {
namespace fs = std::filesystem;
using pipeline::all_from_store;
using pipeline::ClaimResult;
using pipeline::store_of;
using pipeline::warn_store;
using pipeline::write_text;
namespace {

// Every record of every *.jsonl in the store directories (name order: directory order is
// unspecified), first record per run key wins; `origin` gets the store directory of each. Reads
// only.
std::map<std::string, nlohmann::json> merged_records(const std::vector<fs::path>& dirs,
                                                     std::map<std::string, fs::path>& origin,
                                                     std::ostream& err) {
  std::map<std::string, nlohmann::json> records;
  for (const auto& dir : dirs) {
    if (!fs::is_directory(dir)) {
      throw std::runtime_error(fmt::format(
          "--store {}: {}; give a directory that `claimcheck run --store` wrote (one per shard)",
          dir.string(), fs::exists(dir) ? "not a directory" : "no such directory"));
    }
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir))
      if (entry.path().extension() == ".jsonl") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      const claims::RunStore store(file);
      warn_store(store, err);
      for (const auto& r : store.records()) {
        const std::string key = r.at("key").get<std::string>();
        if (records.emplace(key, r).second) origin.emplace(key, dir);
      }
    }
  }
  return records;
}

// The specs to report: the --claim ones (an unknown id is an error), else every claim; each
// requested profile must be defined by at least one of them (by each, with --claim).
std::vector<claims::ClaimSpec> selected_specs(const Paths& paths, const ReportOptions& options) {
  std::vector<claims::ClaimSpec> specs;
  if (options.claims.empty()) {
    specs = claims::load_all_claims(paths.claims);
  } else {
    for (const auto& id : options.claims)
      specs.push_back(claims::load_claim(paths.claims / (id + ".json")));
  }
  std::set<std::string> defined;
  for (const auto& s : specs)
    for (const auto& [name, p] : s.profiles)
      defined.insert(name);
  for (const auto& p : options.profiles) {
    if (!options.claims.empty()) {
      for (const auto& s : specs)
        s.profile(p);  // a spec error naming the claim's profiles
    } else if (defined.count(p) == 0) {
      std::string names;
      for (const auto& d : defined)
        names += (names.empty() ? "" : ", ") + d;
      throw std::invalid_argument(
          fmt::format("--profile {}: no claim defines this profile (they define: {})", p, names));
    }
  }
  return specs;
}

// Without --profile: the profiles of `spec` to report, given each profile's stored plan
// (planned once, by the caller). A complete profile is reported. An incomplete one is reported
// when some run of this claim is stored that no complete profile explains and for which it is
// the smallest profile that plans it: profiles share runs (nightly's first seeds are smoke's),
// so an incomplete smoke (a shard missing) must not read as an incomplete nightly too. Claims
// share runs as well (a canary's control arm may be another claim's arm), hence the record's
// own claim id.
std::vector<std::string> profiles_found(const claims::ClaimSpec& spec,
                                        const std::map<std::string, pipeline::StoredPlan>& plans,
                                        const std::map<std::string, nlohmann::json>& records) {
  std::map<std::string, std::set<std::string>> keys;  // each profile's run keys
  for (const auto& [name, stored] : plans) {
    for (const auto& r : stored.needed)
      keys[name].insert(r.key());
  }
  std::vector<std::string> found;
  std::set<std::string> explained;
  for (const auto& [name, stored] : plans) {
    if (!stored.complete) continue;
    found.push_back(name);
    explained.insert(keys[name].begin(), keys[name].end());
  }
  std::set<std::string> claimed;  // incomplete profiles that are the smallest for a stored run
  for (const auto& [key, record] : records) {
    if (record.value("claim", "") != spec.id || explained.count(key) != 0) continue;
    const std::string* smallest = nullptr;
    for (const auto& [name, planned] : keys) {
      if (planned.count(key) != 0 &&
          (smallest == nullptr || planned.size() < keys.at(*smallest).size())) {
        smallest = &name;
      }
    }
    if (smallest != nullptr) claimed.insert(*smallest);
  }
  for (const auto& [name, stored] : plans) {
    if (!stored.complete && claimed.count(name) != 0) found.push_back(name);
  }
  return found;
}

std::string store_list(const std::vector<fs::path>& stores) {
  std::string text;
  for (const auto& s : stores)
    text += (text.empty() ? "" : ", ") + s.string();
  return text;
}

// The baseline's analysis for the forest plot's baseline CIs: the one the comparison used (the
// runs' device class's own, else the CPU fallback: pipeline::choose_baseline); null when absent or
// unreadable (the comparison already says why).
nlohmann::json baseline_of(const Paths& paths, const std::string& claim, const std::string& p,
                           const std::string& device_type) {
  const fs::path file = pipeline::choose_baseline(paths, claim, p, device_type).file;
  if (!fs::exists(file)) return nullptr;
  try {
    return claims::read_baseline(file);
  } catch (const std::exception&) {
    return nullptr;
  }
}

// What every claim × profile of one `report` shares.
struct SuiteInputs {
  const ReportOptions& options;
  Paths paths;    // artifact_dirs: every store (shards carry their runs' artifacts)
  fs::path base;  // where the reports go
  std::map<std::string, fs::path> origin;  // run key -> the store holding it
  std::map<std::string, nlohmann::json> records;
};

// The directory the suite report goes to, created.
fs::path suite_dir(const ReportOptions& options) {
  const fs::path base =
      options.report_dir.empty() ? options.stores.front() / "reports" : options.report_dir;
  try {
    fs::create_directories(base);
  } catch (const fs::filesystem_error& e) {
    throw std::runtime_error(fmt::format(
        "cannot write reports to {} ({}); a read-only store is fine: give --report-dir DIR",
        base.string(), e.code().message()));
  }
  return base;
}

// One claim × profile of the suite: its report against its baseline, or the runs it lacks.
report::SuiteEntry judge_entry(const SuiteInputs& in, const claims::ClaimSpec& spec,
                               const std::string& profile, const pipeline::StoredPlan& stored,
                               nlohmann::json& reports, std::ostream& err) {
  report::SuiteEntry entry;
  entry.claim = spec.id;
  entry.profile = profile;
  entry.files = spec.id + "/" + profile;
  for (const auto& m : train::task(spec.task.type).metrics())
    entry.units[m.name] = m.unit;
  Paths paths = in.paths;
  paths.report_dir = in.base / spec.id / profile;
  // Hints (bless, analyze, run) name the store that holds this claim's runs.
  paths.store = store_of(stored.needed, in.origin, in.options.stores.front());
  try {
    std::ostringstream markdown;  // the suite report prints instead
    const ClaimResult result = finish_claim(paths, stored.plan, in.records,
                                            all_from_store(stored.needed.size()), markdown, err);
    entry.report = result.report;
    entry.baseline = baseline_of(paths, spec.id, profile, stored.plan.device_type);
    reports.push_back(result.report);
  } catch (const claims::MissingRuns& m) {
    entry.missing = fmt::format(
        "{} ({}): {} of {} runs are not in the stores ({}; first missing: {}); train them "
        "with `{}`",
        m.claim, m.profile, m.missing.size(), m.planned, store_list(in.options.stores),
        m.missing.front(), command_hint(paths, "run " + m.claim + " --profile " + m.profile));
    err << "claimcheck report: " << entry.missing << "\n";
  }
  return entry;
}

// What the suite is made of, gathered claim by claim.
struct SuiteParts {
  std::vector<report::SuiteEntry> entries;
  std::vector<report::ProfileNotDefined> not_defined;  // --profile P the claim lacks
  nlohmann::json reports = nlohmann::json::array();    // --format json: the per-claim reports
};

// The claim's entries: each claim × profile is planned exactly once, on the device its stored
// runs name. A requested profile the claim does not define is listed, not planned (only
// --claim makes it an error, in selected_specs): the canaries define smoke alone, and a
// nightly report must still cover every nightly claim.
void add_claim_entries(const SuiteInputs& in, const claims::ClaimSpec& spec, SuiteParts& parts,
                       std::ostream& err) {
  const std::vector<std::string>& wanted = in.options.profiles;
  std::map<std::string, pipeline::StoredPlan> plans;
  for (const auto& [name, p] : spec.profiles) {
    if (wanted.empty() || std::find(wanted.begin(), wanted.end(), name) != wanted.end())
      plans.emplace(name,
                    pipeline::stored_plan(spec, name, in.records, "", in.options.seed_offset));
  }
  std::vector<std::string> profiles;
  if (wanted.empty()) {
    profiles = profiles_found(spec, plans, in.records);
  } else {
    for (const auto& profile : wanted) {
      if (plans.count(profile) != 0) {
        profiles.push_back(profile);
        continue;
      }
      report::ProfileNotDefined lacking{spec.id, profile, {}};
      for (const auto& [name, p] : spec.profiles)
        lacking.defines.push_back(name);
      parts.not_defined.push_back(std::move(lacking));
    }
  }
  for (const auto& profile : profiles)
    parts.entries.push_back(judge_entry(in, spec, profile, plans.at(profile), parts.reports, err));
}

// Writes suite.{md,html,json} and each entry's report.html; prints the chosen format.
int write_suite(const SuiteInputs& in, SuiteParts parts, std::ostream& out, std::ostream& err) {
  const ReportOptions& options = in.options;
  std::vector<std::string> stores;
  for (const auto& s : options.stores)
    stores.push_back(s.string());
  const report::Suite suite =
      report::make_suite(std::move(parts.entries), stores, std::move(parts.not_defined));
  for (const auto& e : suite.entries) {
    fs::create_directories(in.base / e.files);
    write_text(in.base / e.files / "report.html", report::claim_html(e));
  }
  const std::string md = report::suite_markdown(suite);
  const std::string html = report::suite_html(suite);
  write_text(in.base / "suite.md", md);
  write_text(in.base / "suite.html", html);
  write_text(in.base / "suite.json", report::to_json(suite).dump(1) + "\n");
  if (options.format == "json") {
    out << parts.reports.dump(1) << "\n";
  } else {
    out << (options.format == "html" ? html : md);
  }
  std::string listed;
  if (!suite.not_defined.empty()) {
    listed = fmt::format("; {} claim × profile not defined, listed", suite.not_defined.size());
  }
  err << fmt::format("suite report: {} ({} claim × profile{}); {}/suite.{{md,html,json}}\n",
                     report::all_pass(suite) ? "pass" : "FAIL", suite.entries.size(), listed,
                     in.base.string());
  if (suite.entries.empty()) {
    const std::string profile = options.profiles.empty() ? "smoke" : options.profiles.front();
    err << fmt::format(
        "claimcheck report: no runs of any claim{} in {}: nothing was tested. Train them with "
        "`{}`\n",
        options.profiles.empty() ? "" : " under --profile " + options.profiles.front(),
        store_list(options.stores), command_hint(in.paths, "run --all --profile " + profile));
    return kExitMismatch;
  }
  return report::all_pass(suite) ? kExitOk : kExitMismatch;
}

}  // namespace

int command_report(const Paths& given, const ReportOptions& options, std::ostream& out,
                   std::ostream& err) {
  if (options.stores.empty()) throw std::invalid_argument("report: give at least one --store");
  SuiteInputs in{options, given, {}, {}, {}};
  in.records = merged_records(options.stores, in.origin, err);
  const std::vector<claims::ClaimSpec> specs = selected_specs(given, options);
  in.base = suite_dir(options);
  in.paths.artifact_dirs = options.stores;
  SuiteParts parts;
  for (const auto& spec : specs)
    add_claim_entries(in, spec, parts, err);
  return write_suite(in, std::move(parts), out, err);
}

}  // namespace claimcheck::cli
