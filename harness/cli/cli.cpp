#include "harness/cli/cli.h"

#include <fmt/format.h>
#include <torch/cuda.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <optional>
#include <ostream>
#include <stdexcept>

#include "harness/claims/json_reader.h"
#include "harness/cli/commands.h"
#include "harness/cli/report_command.h"
#include "harness/env/data_dir.h"
#include "harness/env/device.h"
#include "harness/env/fingerprint.h"

namespace claimcheck::cli {
namespace fs = std::filesystem;
namespace {

// Options shared by the subcommands, filled in by CLI11.
// Every option of every subcommand, as CLI11 fills it in.
struct Options {
  Paths paths = Paths::defaults();
  std::string claim;
  bool all = false;
  std::string profile;
  std::string device;
  int seeds = 0;
  int seed_offset = 0;
  bool any_build = false;
  std::string shard;
  std::string format = "md";
  std::string store = "runs";
  std::string report_dir;
  std::vector<std::string> judge_stores;  // analyze, bless
  std::string judge_device;               // analyze, bless
  std::vector<std::string> report_stores;
  std::string report_report_dir;
  ReportOptions report;
};

// One line a person (or ci/cuda-build.sh) reads first: what this binary can run on.
std::string build_line() {
  if (!env::cuda_built()) return "CPU-only build (" + env::no_cuda_reason() + ")";
  if (!env::cuda_available()) return "CUDA build, no device (" + env::no_cuda_reason() + ")";
  return fmt::format("CUDA build, {} device(s)", torch::cuda::device_count());
}

int print_env(std::ostream& out) {
  nlohmann::json summary = env::fingerprint();
  summary["build"] = build_line();
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
           "[--store DIR] [--report-dir DIR] [--seeds N] [--shard I/N] [--seed-offset K] "
           "[--any-build]";
  }
  if (command == "analyze") {
    return "claimcheck analyze <claim> --profile P [--store DIR ...] [--device cpu|cuda] "
           "[--seeds N] [--seed-offset K]";
  }
  if (command == "bless") {
    return "claimcheck bless <claim> --profile P [--store DIR ...] [--device cpu|cuda]";
  }
  if (command == "report") {
    return "claimcheck report --store DIR [--store DIR ...] [--profile P ...] [--claim ID ...] "
           "[--report-dir DIR] [--format md|html|json] [--seed-offset K]";
  }
  if (command == "env") return "claimcheck env";
  return "claimcheck <list|run|analyze|bless|report|env> [options]   (--help for details)";
}

const std::vector<std::string> kCommands = {"list", "run", "analyze", "bless", "report", "env"};

// Whether `arg` is one of the options the main command takes before a subcommand.
bool is_global_option(const std::string& arg) {
  for (const char* name : {"--claims-dir", "--baselines-dir"}) {
    if (arg == name || arg.rfind(std::string(name) + "=", 0) == 0) return true;
  }
  return arg == "--help" || arg == "-h" || arg == "--help-all";
}

// What a parse error means in this CLI's terms, beyond CLI11's text: the word that was taken
// for an unknown subcommand, or subcommand options written before the subcommand.
std::string parse_error_hint(const std::vector<std::string>& args, const std::string& command) {
  std::size_t at = args.size();  // where the subcommand is
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (std::find(kCommands.begin(), kCommands.end(), args[i]) != kCommands.end()) {
      at = i;
      break;
    }
  }
  std::string misplaced;
  for (std::size_t i = 0; i < at; ++i) {
    if (args[i] == "--claims-dir" || args[i] == "--baselines-dir") {
      ++i;  // and its value
    } else if (args[i].rfind('-', 0) == 0 && !is_global_option(args[i])) {
      misplaced += (misplaced.empty() ? "" : ", ") + args[i];
    } else if (at == args.size() && command.empty()) {
      std::string valid;
      for (const auto& c : kCommands)
        valid += (valid.empty() ? "" : ", ") + c;
      return "'" + args[i] + "' is not a subcommand (valid: " + valid + ")";
    }
  }
  if (misplaced.empty()) return "";
  return misplaced + " given before the subcommand: only --claims-dir and --baselines-dir go " +
         "there; write the subcommand first, e.g. `claimcheck " +
         (at < args.size() ? args[at] : std::string("analyze")) + " ... " + misplaced + " ...`";
}

// Whether `s` can be a claim id ([a-z0-9-]+, as the spec requires).
bool is_claim_id(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

// A claim named on the command line must be a spec file in --claims-dir: checked before
// anything is read or trained, with the claims that are there.
void check_claim_arg(const Paths& paths, const std::string& claim) {
  if (!fs::is_directory(paths.claims)) {
    throw claims::SpecError(paths.claims.string() + ": " +
                            (fs::exists(paths.claims) ? "not a directory" : "no such directory") +
                            "; --claims-dir must be a directory of claim specs (<id>.json)");
  }
  const fs::path file = paths.claims / (claim + ".json");
  if (!is_claim_id(claim)) {
    throw claims::SpecError("claim '" + claim +
                            "': not a claim id (ids match [a-z0-9-]+ and name " +
                            paths.claims.string() + "/<id>.json; `claimcheck list` lists them)");
  }
  if (fs::is_directory(file)) {
    throw claims::SpecError(file.string() +
                            ": is a directory, not a claim spec; move it out of --claims-dir");
  }
  if (!fs::exists(file)) {
    std::vector<std::string> ids;
    for (const auto& entry : fs::directory_iterator(paths.claims)) {
      if (entry.path().extension() == ".json") ids.push_back(entry.path().stem().string());
    }
    std::sort(ids.begin(), ids.end());
    std::string known;
    for (const auto& id : ids)
      known += (known.empty() ? "" : ", ") + id;
    throw claims::SpecError(file.string() + ": cannot open the claim spec: no claim '" + claim +
                            "' in " + paths.claims.string() +
                            " (claims there: " + (known.empty() ? "none" : known) + ")");
  }
}

// A directory option (--store, --report-dir) must not name a file: the runs or reports could
// not be written there, so say it before anything is trained.
void check_dir_option(const std::string& option, const fs::path& dir) {
  if (!dir.empty() && fs::exists(dir) && !fs::is_directory(dir)) {
    throw std::invalid_argument(option + " " + dir.string() +
                                ": is a file, not a directory; give a directory (created when "
                                "missing)");
  }
}

// "--seeds N": an integer >= 2.
std::string check_seeds(const std::string& text) {
  try {
    if (std::stoi(text) >= 2) return "";
  } catch (const std::exception&) {
  }
  return "must be an integer >= 2 (a paired CI needs two seeds), got '" + text + "'";
}

// "--seed-offset K": an integer >= 1 (0 is the profile's own seeds, the default).
std::string check_seed_offset(const std::string& text) {
  try {
    std::size_t used = 0;
    if (std::stoi(text, &used) >= 1 && used == text.size()) return "";
  } catch (const std::exception&) {
  }
  return "must be an integer >= 1 (fresh seed set K; the profile's own seeds, which baselines "
         "use, are the default), got '" +
         text + "'";
}

void add_seed_offset(CLI::App* command, Options& opt, const std::string& what) {
  command
      ->add_option("--seed-offset", opt.seed_offset,
                   "K >= 1: " + what +
                       " the K-th fresh set of seeds, disjoint from the profile's own (which "
                       "baselines use) and every other K: a replication of the design")
      ->check(check_seed_offset, "K >= 1");
}

void add_run(CLI::App& app, Options& opt) {
  auto* run =
      app.add_subcommand("run", "Train the runs of one claim (or all) and decide its verdicts");
  run->add_option("claim", opt.claim, "Claim id (a file name in claims/ without .json)");
  run->add_flag("--all", opt.all, "Run every claim that defines --profile (the others are named)");
  run->add_option("--profile", opt.profile, "Profile: smoke or nightly")->required();
  run->add_option("--device", opt.device, "auto, cpu or cuda (default: the profile's)")
      ->check(CLI::IsMember({"auto", "cpu", "cuda"}));
  run->add_option("--store", opt.store,
                  "Run-store directory (default ./runs; runs already there are not retrained)");
  run->add_option("--report-dir", opt.report_dir,
                  "Where report.json and report.md go (default <store>/reports/<claim>/<profile>)");
  run->add_option("--seeds", opt.seeds,
                  "Override the profile's number of seeds (>= 2: a paired CI needs two)")
      ->check(check_seeds, "N >= 2");
  run->add_option("--shard", opt.shard,
                  "I/N: the I-th of N shards, numbered from 1 (1/2 and 2/2 are the two halves)");
  add_seed_offset(run, opt, "train");
  run->add_flag("--any-build", opt.any_build,
                "Reuse stored runs that another build of claimcheck trained (by default they are "
                "trained again: a code change can change their numbers)");
}

void add_analyze_and_bless(CLI::App& app, Options& opt) {
  auto* analyze = app.add_subcommand(
      "analyze", "Recompute verdicts and reports from a run store (no training)");
  analyze->add_option("claim", opt.claim, "Claim id")->required();
  analyze->add_option("--profile", opt.profile, "Profile: smoke or nightly")->required();
  analyze->add_option("--store", opt.judge_stores,
                      "Run-store directory (default ./runs; repeatable: shards are merged)");
  analyze->add_option("--report-dir", opt.report_dir, "Where report.json and report.md go");
  analyze->add_option("--device", opt.judge_device, "The runs' device (default: the stored runs')")
      ->check(CLI::IsMember({"cpu", "cuda"}));
  analyze
      ->add_option("--seeds", opt.seeds,
                   "Judge the design at N seeds, as `run --seeds N` trained it (default: the "
                   "profile's)")
      ->check(check_seeds, "N >= 2");
  add_seed_offset(analyze, opt, "judge");
  auto* bless =
      app.add_subcommand("bless", "Write baselines/<claim>/<profile>.json from the run store");
  bless->add_option("claim", opt.claim, "Claim id")->required();
  bless->add_option("--profile", opt.profile, "Profile: smoke or nightly")->required();
  bless->add_option("--store", opt.judge_stores,
                    "Run-store directory holding the runs (default ./runs; repeatable: shards "
                    "are merged)");
  bless->add_option("--device", opt.judge_device, "The runs' device (default: the stored runs')")
      ->check(CLI::IsMember({"cpu", "cuda"}));
}

void add_report(CLI::App& app, Options& opt) {
  auto* report = app.add_subcommand(
      "report", "One suite report over every claim and profile in the stores (shards merged)");
  report
      ->add_option("--store", opt.report_stores,
                   "Run-store directories (one per shard): every *.jsonl in them is merged; only "
                   "read")
      ->required();
  report->add_option("--profile", opt.report.profiles,
                     "Profile to report (repeatable; default: every profile with runs stored); "
                     "claims without it are listed as \"no P profile\", not failed");
  report->add_option("--claim", opt.report.claims,
                     "Claim to report (repeatable; default: every claim)");
  report->add_option("--report-dir", opt.report_report_dir,
                     "Where <claim>/<profile>/report.* and suite.{md,html,json} go (default "
                     "<first store>/reports)");
  report->add_option("--format", opt.format, "What is printed: md, html or json")
      ->check(CLI::IsMember({"md", "html", "json"}));
  add_seed_offset(report, opt, "report");
}

// The whole command line; every option lands in `opt`.
void add_commands(CLI::App& app, Options& opt) {
  app.require_subcommand(1);
  app.add_option("--claims-dir", opt.paths.claims,
                 "Directory of claim specs (default: the source tree's claims/)");
  app.add_option("--baselines-dir", opt.paths.baselines,
                 "Directory of baselines (default: the source tree's baselines/)");
  app.fallthrough();  // the two options above are accepted before or after the subcommand
  app.add_subcommand("list", "List the claims, their hypotheses and profiles");
  add_run(app, opt);
  add_analyze_and_bless(app, opt);
  add_report(app, opt);
  app.add_subcommand("env", "Print the environment fingerprint and which data sets were found");
}

// Parses `args`; an exit code when parsing ended the command (help, or a usage error).
std::optional<int> parse(CLI::App& app, const std::vector<std::string>& args, std::ostream& out,
                         std::ostream& err) {
  // CLI11 takes argc/argv (its vector overload expects the arguments reversed and reports them
  // reversed in its messages).
  std::vector<const char*> argv = {"claimcheck"};
  for (const auto& a : args)
    argv.push_back(a.c_str());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return kExitOk;
  } catch (const CLI::CallForAllHelp&) {
    out << app.help("", CLI::AppFormatMode::All);
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    const std::string command =
        app.get_subcommands().empty() ? "" : app.get_subcommands().front()->get_name();
    const std::string hint = parse_error_hint(args, command);
    err << "claimcheck: " << e.what() << (hint.empty() ? "" : "\nclaimcheck: " + hint)
        << "\nusage: " << usage_line(command) << "\n";
    return kExitUsage;
  }
  return std::nullopt;
}

// Checks the directories and claim ids the command names, and fills in opt.paths.
void check_arguments(const std::string& command, Options& opt) {
  Paths& paths = opt.paths;
  if (command == "analyze" || command == "bless") {
    if (opt.judge_stores.empty()) opt.judge_stores.push_back(opt.store);
    for (const auto& dir : opt.judge_stores)
      check_dir_option("--store", dir);
    opt.store = opt.judge_stores.front();
  }
  paths.store = opt.store;
  paths.report_dir = opt.report_dir;
  if (command == "run" || command == "analyze" || command == "bless") {
    check_dir_option("--store", paths.store);
    check_dir_option("--report-dir", paths.report_dir);
    if (command != "run" || !opt.claim.empty()) check_claim_arg(paths, opt.claim);
  }
  if (command == "report") {
    check_dir_option("--report-dir", opt.report_report_dir);
    for (const auto& id : opt.report.claims)
      check_claim_arg(paths, id);
  }
}

// Runs the parsed subcommand.
int dispatch(const std::string& command, Options& opt, std::ostream& out, std::ostream& err) {
  const Paths& paths = opt.paths;
  if (command == "env") return print_env(out);
  if (command == "list") return command_list(paths, out);
  if (command == "run") {
    if (opt.all == !opt.claim.empty()) {
      err << "claimcheck run: give a claim id or --all (not both)\nusage: " << usage_line("run")
          << "\n";
      return kExitUsage;
    }
    return command_run(paths,
                       {opt.claim, opt.all, opt.profile, opt.device, opt.seeds, opt.shard,
                        opt.seed_offset, opt.any_build},
                       out, err);
  }
  const JudgeOptions judge{opt.claim,        opt.profile,
                           opt.judge_device, {opt.judge_stores.begin(), opt.judge_stores.end()},
                           opt.seed_offset,  opt.seeds};
  if (command == "analyze") return command_analyze(paths, judge, out, err);
  if (command == "bless") return command_bless(paths, judge, out, err);
  if (command == "report") {
    opt.report.stores.assign(opt.report_stores.begin(), opt.report_stores.end());
    opt.report.format = opt.format;
    opt.report.report_dir = opt.report_report_dir;
    opt.report.seed_offset = opt.seed_offset;
    return command_report(paths, opt.report, out, err);
  }
  return kExitUsage;
}

}  // namespace

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CLI::App app{"claimcheck: statistical regression tests for machine-learning architecture claims",
               "claimcheck"};
  Options opt;
  add_commands(app, opt);
  if (const std::optional<int> code = parse(app, args, out, err)) return *code;
  try {
    const std::string command = app.get_subcommands().front()->get_name();
    check_arguments(command, opt);
    return dispatch(command, opt, out, err);
  } catch (const claims::SpecError& e) {
    err << "claimcheck: spec error: " << e.what() << "\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    err << "claimcheck: error: " << e.what() << "\n";
    return kExitUsage;
  }
}

}  // namespace claimcheck::cli
