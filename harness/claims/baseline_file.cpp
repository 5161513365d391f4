// Baseline files: the strict reader (format version, keys, types, verdict strings, finiteness)
// and bless's atomic writer (baseline.h).
#include "harness/claims/baseline.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "harness/base/files.h"
#include "harness/claims/analysis.h"
#include "harness/claims/json_reader.h"

namespace claimcheck::claims {
namespace fs = std::filesystem;
namespace {

// A strict reader's error: file, key path, what, and how to fix it.
[[noreturn]] void bad(const std::string& file, const std::string& path, const std::string& what) {
  // baselines/<claim>/<profile>.json: the bless command can name both.
  const fs::path f(file.substr(0, file.find(" (new)")));
  const std::string claim = f.parent_path().filename().string();
  const std::string profile = f.stem().string();
  throw std::runtime_error(file + ": " + path + ": " + what +
                           ". Restore the file with git, or re-bless it (`claimcheck bless " +
                           (claim.empty() ? "<claim>" : claim) + " --profile " +
                           (profile.empty() ? "<profile>" : profile) + "`)");
}

const nlohmann::json& member(const nlohmann::json& object, const std::string& key,
                             const std::string& file, const std::string& path) {
  if (!object.is_object() || !object.contains(key)) bad(file, path + key, "missing");
  return object.at(key);
}

double finite_number(const nlohmann::json& object, const std::string& key, const std::string& file,
                     const std::string& path) {
  const nlohmann::json& v = member(object, key, file, path);
  if (!v.is_number() || !std::isfinite(v.get<double>())) {
    bad(file, path + key, "must be a finite number, got " + v.dump());
  }
  return v.get<double>();
}

std::string string_member(const nlohmann::json& object, const std::string& key,
                          const std::string& file, const std::string& path) {
  const nlohmann::json& v = member(object, key, file, path);
  if (!v.is_string()) bad(file, path + key, "must be a string, got " + v.dump());
  return v.get<std::string>();
}

}  // namespace

void check_baseline_json(const nlohmann::json& b, const std::string& file) {
  if (!b.is_object())
    bad(file, "the baseline", "must be a JSON object, got " + b.dump().substr(0, 40));
  const nlohmann::json& format = member(b, "format", file, "");
  // Compared as JSON, not through get<int>(): 4294967298 would narrow to 2 and pass.
  if (!format.is_number_integer() || format != kAnalysisFormat) {
    bad(file, "format",
        "is " + format.dump() + ", this claimcheck reads format " +
            std::to_string(kAnalysisFormat) + " (the file was written by another version)");
  }
  string_member(b, "claim", file, "");
  string_member(b, "profile", file, "");
  string_member(b, "spec_hash", file, "");
  const double alpha = finite_number(b, "alpha", file, "");
  if (!(alpha > 0 && alpha < 0.5)) bad(file, "alpha", "must be in (0, 0.5)");
  if (b.contains("seed_offset") &&
      (!b["seed_offset"].is_number_integer() || b["seed_offset"].get<long long>() < 0)) {
    bad(file, "seed_offset", "must be an integer >= 0, got " + b["seed_offset"].dump());
  }
  if (b.contains("seeds_override") &&
      (!b["seeds_override"].is_number_integer() || b["seeds_override"].get<long long>() < 2)) {
    bad(file, "seeds_override", "must be an integer >= 2, got " + b["seeds_override"].dump());
  }
  const nlohmann::json& hyps = member(b, "hypotheses", file, "");
  if (!hyps.is_array()) bad(file, "hypotheses", "must be an array");
  std::map<std::string, std::size_t> ids;
  for (std::size_t i = 0; i < hyps.size(); ++i) {
    const std::string p = "hypotheses[" + std::to_string(i) + "].";
    const nlohmann::json& h = hyps[i];
    const std::string id = string_member(h, "id", file, p);
    // Two entries for one hypothesis: which one is compared would be an accident of order.
    if (const auto [it, fresh] = ids.emplace(id, i); !fresh) {
      bad(file, p + "id",
          "duplicate id '" + id + "' (also hypotheses[" + std::to_string(it->second) + "])");
    }
    for (const char* key : {"verdict", "ci_verdict"}) {
      const std::string v = string_member(h, key, file, p);
      if (v != "supported" && v != "refuted" && v != "inconclusive") {
        bad(file, p + key, "unknown verdict '" + v + "' (valid: supported, refuted, inconclusive)");
      }
    }
    for (const char* key : {"estimate", "p_value", "holm_p"})
      finite_number(h, key, file, p);
    // What the gate's replication probability reads (claims/replication.h).
    const std::string kind = string_member(h, "kind", file, p);
    if (kind != "superiority" && kind != "non-inferiority" && kind != "equivalence") {
      bad(file, p + "kind",
          "unknown kind '" + kind + "' (valid: superiority, non-inferiority, equivalence)");
    }
    const std::string direction = string_member(h, "direction", file, p);
    if (direction != "greater" && direction != "less") {
      bad(file, p + "direction", "unknown direction '" + direction + "' (valid: greater, less)");
    }
    const double margin = finite_number(h, "margin", file, p);
    if (margin < 0 || (kind == "equivalence" && margin == 0)) {
      bad(file, p + "margin",
          "must be >= 0 (> 0 for an equivalence hypothesis), got " + std::to_string(margin));
    }
    const nlohmann::json& ci = member(h, "ci", file, p);
    const double lo = finite_number(ci, "lo", file, p + "ci.");
    const double hi = finite_number(ci, "hi", file, p + "ci.");
    if (lo > hi) bad(file, p + "ci", "lo > hi");
    const double confidence = finite_number(ci, "confidence", file, p + "ci.");
    if (!(confidence > 0 && confidence < 1)) bad(file, p + "ci.confidence", "must be in (0, 1)");
    const nlohmann::json& n = member(h, "n", file, p);
    if (!n.is_number_integer() || n.get<int>() < 2) bad(file, p + "n", "must be an integer >= 2");
    const nlohmann::json& terms = member(h, "terms", file, p);
    if (!terms.is_array() || terms.size() < 2) bad(file, p + "terms", "must list >= 2 terms");
    for (std::size_t t = 0; t < terms.size(); ++t) {
      const std::string tp = p + "terms[" + std::to_string(t) + "].";
      string_member(terms[t], "arm", file, tp);
      const nlohmann::json& u = member(terms[t], "units", file, tp);
      if (!u.is_array()) bad(file, tp + "units", "must be an array of numbers");
      for (const auto& x : u) {
        if (!x.is_number() || !std::isfinite(x.get<double>())) {
          bad(file, tp + "units", "holds a non-number " + x.dump());
        }
      }
    }
  }
}

nlohmann::json read_baseline(const fs::path& file) {
  if (fs::is_directory(file)) {
    bad(file.string(), "the baseline", "is a directory, not a file; remove it (rm -r)");
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw std::runtime_error(file.string() + ": cannot open baseline (" + std::strerror(errno) +
                             "); check that it exists and is readable, or restore it with git");
  }
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json b;
  try {
    b = parse_json_strict(text.str());
  } catch (const nlohmann::json::exception& e) {  // parse_error, or out_of_range 406: 1e999
    bad(file.string(), "the baseline", std::string("is not valid JSON (") + e.what() + ")");
  } catch (const std::invalid_argument& e) {  // a duplicate key, or absurd nesting
    bad(file.string(), "the baseline", e.what());
  }
  check_baseline_json(b, file.string());
  return b;
}

void write_baseline(const fs::path& file, const nlohmann::json& analysis) {
  const char* ci = std::getenv("CI");
  if (ci != nullptr && *ci != '\0') {
    throw std::runtime_error(
        "refusing to bless: the CI environment variable is set (CI never writes baselines); "
        "run `claimcheck bless` on a developer machine and commit the result");
  }
  check_baseline_json(analysis, file.string() + " (new)");
  if (fs::is_directory(file)) {
    throw std::runtime_error(file.string() +
                             ": is a directory, not a baseline file: nothing was written; remove "
                             "it (rm -r) and bless again");
  }
  fs::create_directories(file.parent_path());
  base::write_file_atomically(file, analysis.dump(1) + "\n", "baseline");
}

}  // namespace claimcheck::claims
