#include "harness/pipeline/paths.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <optional>
#include <system_error>

#include "harness/claims/baseline.h"

namespace claimcheck::pipeline {
namespace fs = std::filesystem;

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
  return {dir / "claims", dir / "baselines", "runs", "", {}};
}

fs::path store_file(const Paths& paths, const std::string& claim) {
  return paths.store / (claim + ".jsonl");
}

fs::path report_dir(const Paths& paths, const std::string& claim, const std::string& profile) {
  return paths.report_dir.empty() ? paths.store / "reports" / claim / profile : paths.report_dir;
}

int suite_claims(const Paths& paths, const std::string& profile) {
  int count = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(paths.claims, ec)) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path());
    const nlohmann::json spec = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    // A spec that does not parse is counted: the gate errs toward fewer false alarms.
    const bool defines = !spec.is_object() || !spec.contains("profiles") ||
                         !spec["profiles"].is_object() || spec["profiles"].contains(profile);
    count += defines ? 1 : 0;
  }
  return std::max(count, 1);
}

ChosenBaseline choose_baseline(const Paths& paths, const std::string& claim,
                               const std::string& profile, const std::string& device_type) {
  ChosenBaseline chosen;
  chosen.own = claims::baseline_path(paths.baselines, claim, profile, device_type);
  chosen.file = chosen.own;
  std::error_code ec;
  if (device_type != "cpu" && !fs::exists(chosen.own, ec)) {
    const fs::path cpu = claims::baseline_path(paths.baselines, claim, profile);
    if (fs::exists(cpu, ec)) {
      chosen.file = cpu;
      chosen.fallback = true;
    }
  }
  return chosen;
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

}  // namespace claimcheck::pipeline
