#include "harness/cli/cli.h"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <ostream>
#include <stdexcept>

#include "harness/env/data_dir.h"
#include "harness/env/fingerprint.h"

namespace claimcheck::cli {
namespace {

// Options shared by the subcommands, filled in by CLI11.
struct Options {
  std::string claim;
  bool all = false;
  std::string profile;
  std::string device = "auto";
  std::string store;
  std::string report_dir;
  int seeds = 0;
  std::string shard;
  std::string format = "md";
};

int print_env(std::ostream& out) {
  nlohmann::json summary = env::fingerprint();
  nlohmann::json datasets = nlohmann::json::object();
  for (const auto& name : env::known_datasets()) {
    const env::DatasetStatus status = env::dataset_status(name);
    datasets[name] = {
        {"found", status.found}, {"path", status.path.string()}, {"detail", status.detail}};
  }
  summary["data_dir"] = env::data_dir().string();
  summary["datasets"] = datasets;
  out << summary.dump(2) << "\n";
  return kExitOk;
}

// One usage line per subcommand (DESIGN.md, The CLI), printed with usage errors.
std::string usage_line(const std::string& command) {
  if (command == "list") return "claimcheck list";
  if (command == "run") {
    return "claimcheck run <claim>|--all --profile smoke|nightly [--device auto|cpu|cuda] "
           "[--store DIR] [--report-dir DIR] [--seeds N] [--shard I/N]";
  }
  if (command == "analyze") return "claimcheck analyze <claim> --profile P [--store DIR]";
  if (command == "bless") return "claimcheck bless <claim> --profile P";
  if (command == "report") return "claimcheck report --store DIR --format md|html|json";
  if (command == "env") return "claimcheck env";
  return "claimcheck <list|run|analyze|bless|report|env> [options]   (--help for details)";
}

int not_yet(std::ostream& err, const std::string& command) {
  err << "claimcheck " << command
      << ": not implemented yet (the claim-engine issue implements it)\n";
  return kExitUsage;
}

}  // namespace

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CLI::App app{"claimcheck: statistical regression tests for machine-learning architecture claims",
               "claimcheck"};
  app.require_subcommand(1);
  Options opt;

  app.add_subcommand("list", "List the claims, their hypotheses and profiles");
  auto* run =
      app.add_subcommand("run", "Train the runs of one claim (or all) and decide its verdicts");
  run->add_option("claim", opt.claim, "Claim id (a file name in claims/ without .json)");
  run->add_flag("--all", opt.all, "Run every claim");
  run->add_option("--profile", opt.profile, "Profile: smoke or nightly")->required();
  run->add_option("--device", opt.device, "auto, cpu or cuda")
      ->check(CLI::IsMember({"auto", "cpu", "cuda"}));
  run->add_option("--store", opt.store,
                  "Run-store directory (runs already there are not retrained)");
  run->add_option("--report-dir", opt.report_dir, "Where report.json and report.md are written");
  run->add_option("--seeds", opt.seeds, "Override the profile's number of seeds")
      ->check(CLI::PositiveNumber);
  run->add_option("--shard", opt.shard, "I/N: run every N-th run starting at I (0-based)");
  auto* analyze = app.add_subcommand(
      "analyze", "Recompute verdicts and reports from a run store (no training)");
  analyze->add_option("claim", opt.claim, "Claim id")->required();
  analyze->add_option("--profile", opt.profile, "Profile: smoke or nightly")->required();
  analyze->add_option("--store", opt.store, "Run-store directory");
  auto* bless =
      app.add_subcommand("bless", "Write baselines/<claim>/<profile>.json from the run store");
  bless->add_option("claim", opt.claim, "Claim id")->required();
  bless->add_option("--profile", opt.profile, "Profile: smoke or nightly")->required();
  auto* report = app.add_subcommand("report", "One report over many claims or shards");
  report->add_option("--store", opt.store, "Run-store directory")->required();
  report->add_option("--format", opt.format, "md, html or json")
      ->check(CLI::IsMember({"md", "html", "json"}));
  app.add_subcommand("env", "Print the environment fingerprint and which data sets were found");

  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 parses a reversed vector
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return kExitOk;
  } catch (const CLI::CallForAllHelp&) {
    out << app.help("", CLI::AppFormatMode::All);
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    const std::string command =
        app.get_subcommands().empty() ? "" : app.get_subcommands().front()->get_name();
    err << "claimcheck: " << e.what() << "\nusage: " << usage_line(command) << "\n";
    return kExitUsage;
  }

  try {
    const std::string command = app.get_subcommands().front()->get_name();
    if (command == "env") return print_env(out);
    return not_yet(err, command);
  } catch (const std::exception& e) {
    err << "claimcheck: error: " << e.what() << "\n";
    return kExitUsage;
  }
}

}  // namespace claimcheck::cli
