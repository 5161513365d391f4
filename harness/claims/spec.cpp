#include "harness/claims/spec.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <system_error>

#include "harness/base/hash.h"
#include "harness/claims/expand.h"
#include "harness/claims/json_reader.h"
#include "harness/claims/spec_hypotheses.h"
#include "harness/claims/spec_training.h"
#include "harness/train/task.h"

namespace claimcheck::claims {
namespace fs = std::filesystem;
namespace {

// Whether `s` matches [a-z0-9-]+. Not std::regex_match: libstdc++'s matcher recurses once per
// character and overflows the stack on a name of ~100k characters (fuzz/crashes/spec/).
bool is_slug(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items)
    out += (out.empty() ? "" : ", ") + s;
  return out;
}

ModelSpec parse_model(ObjectReader r, const train::Task& task) {
  ModelSpec m;
  m.type = r.get<std::string>("type");
  m.options = r.optional<nlohmann::json>("options", nlohmann::json::object());
  r.finish();
  try {
    const models::ModelType& type = models::model_type(m.type);
    if (type.family != task.model_family()) {
      r.fail("type", "'" + m.type + "' is a " + models::to_string(type.family) + "; task " +
                         task.name() + " needs a " + models::to_string(task.model_family()));
    }
    type.validate(m.options);  // parses the options; builds nothing
  } catch (const std::invalid_argument& e) {
    r.fail(std::string(e.what()).rfind("unknown model type", 0) == 0 ? "type" : "options",
           e.what());
  }
  return m;
}

ArmSpec parse_arm(ObjectReader a, const ClaimSpec& spec, const std::set<std::string>& taken) {
  ArmSpec arm;
  arm.name = a.get<std::string>("name");
  if (!is_slug(arm.name)) {
    a.fail("name", "'" + arm.name + "' must match [a-z0-9-]+");
  }
  if (taken.count(arm.name) != 0) a.fail("name", "duplicate arm name '" + arm.name + "'");
  arm.model = parse_model(a.child("model"), train::task(spec.task.type));
  if (a.has("training")) {
    a.child("training");  // must be an object
    arm.training_override = a.raw("training");
  }
  if (a.has("source_value")) arm.source_value = a.get<double>("source_value");
  arm.seed_stream = a.optional<std::string>("seed_stream", "");
  if (!arm.seed_stream.empty() && !is_slug(arm.seed_stream)) {
    a.fail("seed_stream", "'" + arm.seed_stream + "' must match [a-z0-9-]+ (or be absent)");
  }
  a.finish();
  return arm;
}

// Where a resolved arm's keys came from, for messages: the training block and the model options
// whose keys were applied last.
struct ResolveWhere {
  std::string training;
  std::string model;
};

// The arm's training (claim's, then the arm's own, then the profile's keys) and model options
// (the profile's merged in), validated, with its parameter count.
ArmSpec resolve_arm(ArmSpec arm, const ClaimSpec& spec, const nlohmann::json& profile_training,
                    const nlohmann::json& profile_model, const ResolveWhere& where) {
  const train::Task& task = train::task(spec.task.type);
  const nlohmann::json merged =
      merge_training(merge_training(spec.training, arm.training_override), profile_training);
  arm.training = parse_training(ObjectReader(merged, spec.file, where.training), spec.task);
  arm.model.options = merge_training(arm.model.options, profile_model);
  try {
    arm.parameters = models::count_parameters(arm.model.type, arm.model.options,
                                              task.dims(spec.task, arm.training));
  } catch (const std::invalid_argument& e) {
    throw SpecError(spec.file + ": " + where.model + ": arm '" + arm.name + "': " + e.what());
  }
  return arm;
}

ProfileSpec parse_profile(ObjectReader r, const ClaimSpec& spec, const std::string& name) {
  ProfileSpec p;
  p.replicates = r.optional<int>("replicates", p.replicates);
  if (p.replicates < 2) r.fail("replicates", "must be >= 2 (a paired CI needs two seeds)");
  p.search_trials = r.optional<int>("search_trials", p.search_trials);
  if (r.has("hypotheses")) {
    p.hypotheses = r.get<std::vector<std::string>>("hypotheses");
    if (p.hypotheses.empty()) r.fail("hypotheses", "must list at least one id (or be absent)");
    for (const auto& id : p.hypotheses) {
      if (std::none_of(spec.hypotheses.begin(), spec.hypotheses.end(),
                       [&](const HypothesisSpec& h) { return h.id == id; })) {
        r.fail("hypotheses", "'" + id + "' is not a hypothesis id of this claim");
      }
    }
  }
  int max_k = 0;
  for (const auto& h : spec.hypotheses) {
    if (p.hypotheses.empty() ||
        std::find(p.hypotheses.begin(), p.hypotheses.end(), h.id) != p.hypotheses.end()) {
      max_k = std::max(max_k, h.k);
    }
  }
  if (spec.source_bootstrap_of_max) {
    for (int k : spec.source_bootstrap_of_max->k)
      max_k = std::max(max_k, k);
  }
  if (p.search_trials < max_k) {
    r.fail("search_trials", std::to_string(p.search_trials) + " is less than the largest k (" +
                                std::to_string(max_k) +
                                "); the expected best of k needs k <= trials");
  }
  p.device = r.optional<std::string>("device", p.device);
  if (p.device != "auto" && p.device != "cpu" && p.device != "cuda") {
    r.fail("device", "'" + p.device + "' is not valid (valid: auto, cpu, cuda)");
  }
  p.gpu = r.optional<bool>("gpu", p.gpu);
  p.alpha = r.optional<double>("alpha", p.alpha);
  if (!(p.alpha > 0 && p.alpha < 0.5)) r.fail("alpha", "must be in (0, 0.5)");
  p.resamples = r.optional<int>("resamples", p.resamples);
  if (p.resamples < 99) r.fail("resamples", "must be >= 99");
  p.timeout = r.optional<int>("timeout", p.timeout);
  if (p.timeout < 0) r.fail("timeout", "must be >= 0 seconds (0: CTest's default for claims)");
  if (r.has("training")) {
    r.child("training");
    p.training_override = r.raw("training");
  }
  if (r.has("model_options")) {
    r.child("model_options");
    p.model_override = r.raw("model_options");
  }
  if (r.has("sequential")) {
    ObjectReader q = r.child("sequential");
    SequentialSpec seq;
    seq.min_seeds = q.optional<int>("min_seeds", seq.min_seeds);
    seq.max_seeds = q.optional<int>("max_seeds", p.replicates);
    seq.round = q.optional<int>("round", seq.round);
    seq.method = q.optional<std::string>("method", seq.method);
    q.finish();
    if (seq.min_seeds < 2) q.fail("min_seeds", "must be >= 2 (a confidence sequence needs two)");
    if (seq.max_seeds < seq.min_seeds) q.fail("max_seeds", "must be >= min_seeds");
    if (seq.round < 1) q.fail("round", "must be >= 1 seed per round");
    if (seq.method != "t" && seq.method != "eb") {
      q.fail("method", "'" + seq.method + "' is not valid (valid: t, eb)");
    }
    for (const auto& h : spec.hypotheses) {
      if (h.design == Design::kPredictionDifference) {
        q.fail("method", "hypothesis '" + h.id +
                             "' is a prediction difference: sequential designs decide paired "
                             "hypotheses only; decide it in a fixed profile");
      }
      if (h.design != Design::kPaired || seq.method != "eb") continue;
      for (const auto& m : train::task(spec.task.type).metrics()) {
        if (m.name == h.metric && !(std::isfinite(m.lo) && std::isfinite(m.hi))) {
          q.fail("method", "eb needs bounded metrics; hypothesis '" + h.id + "' decides '" +
                               h.metric + "', which is unbounded (use method t)");
        }
      }
    }
    p.sequential = seq;
  }
  r.finish();
  std::map<std::string, models::ParameterCount> counts;
  // The base arms were validated already: anything that fails now is the profile's doing.
  const ResolveWhere where{r.key_path("training"), r.key_path("model_options")};
  for (const auto& a : spec.arms) {
    p.arms.push_back(resolve_arm(a, spec, p.training_override, p.model_override, where));
    counts[a.name] = p.arms.back().parameters;
  }
  for (std::size_t i = 0; i < spec.checks.size(); ++i) {
    const CheckResult result = evaluate_check(spec.checks[i], counts);
    if (!result.passed) {
      throw SpecError(spec.file + ": checks[" + std::to_string(i) + "]: in profile " + name + ": " +
                      result.text +
                      ". The arms are not matched as the claim says: change the model options or "
                      "the check's expected ratio / tolerance");
    }
    p.check_results.push_back(result);
  }
  return p;
}

SourceBootstrapOfMax parse_source_max(ObjectReader s, const ClaimSpec& spec) {
  SourceBootstrapOfMax b;
  b.arms = s.get<std::vector<std::string>>("arms");
  for (const auto& a : b.arms) {
    if (std::none_of(spec.arms.begin(), spec.arms.end(),
                     [&](const ArmSpec& arm) { return arm.name == a; })) {
      s.fail("arms", "arm '" + a + "' is not defined");
    }
  }
  b.k = s.get<std::vector<int>>("k");
  for (int k : b.k)
    if (k < 1) s.fail("k", "values must be >= 1");
  b.metric = s.optional<std::string>("metric", b.metric);
  const auto metrics = train::metric_names(train::task(spec.task.type));
  if (std::find(metrics.begin(), metrics.end(), b.metric) == metrics.end()) {
    s.fail("metric", "'" + b.metric + "' is not valid (valid: " + join(metrics) + ")");
  }
  b.resamples = s.optional<int>("resamples", b.resamples);
  b.confidence = s.optional<double>("confidence", b.confidence);
  if (!(b.confidence > 0 && b.confidence < 1)) s.fail("confidence", "must be in (0, 1)");
  s.finish();
  return b;
}

}  // namespace

std::string to_string(Design design) {
  switch (design) {
    case Design::kPaired:
      return "paired";
    case Design::kRandomSearch:
      return "random-search";
    case Design::kPredictionDifference:
      return "prediction-difference";
  }
  return "?";
}

const ArmSpec& ClaimSpec::arm(const std::string& name) const {
  for (const auto& a : arms) {
    if (a.name == name) return a;
  }
  throw std::invalid_argument(file + ": no arm '" + name + "'");
}

const ArmSpec& ProfileSpec::arm(const std::string& name) const {
  for (const auto& a : arms) {
    if (a.name == name) return a;
  }
  throw std::invalid_argument("no arm '" + name + "' in the profile");
}

std::vector<HypothesisSpec> ClaimSpec::hypotheses_in(const std::string& name) const {
  const ProfileSpec& p = profile(name);
  std::vector<HypothesisSpec> out;
  for (const auto& h : hypotheses) {
    if (p.hypotheses.empty() ||
        std::find(p.hypotheses.begin(), p.hypotheses.end(), h.id) != p.hypotheses.end()) {
      out.push_back(h);
    }
  }
  return out;
}

const ProfileSpec& ClaimSpec::profile(const std::string& name) const {
  const auto it = profiles.find(name);
  if (it == profiles.end()) {
    std::vector<std::string> names;
    for (const auto& p : profiles)
      names.push_back(p.first);
    throw SpecError(file + ": profiles: no profile '" + name + "' (defined: " + join(names) + ")");
  }
  return it->second;
}

ClaimSpec parse_claim(const nlohmann::json& written, const std::string& file) {
  // Grids and templates become plain arms and hypotheses first (expand.h).
  const nlohmann::json json = expand_spec(written, file);
  ObjectReader r(json, file, "");
  // Unknown top-level keys first: a typo ("trainng") explains whatever would fail after it.
  for (const char* key :
       {"id", "title", "source", "task", "training", "arms", "search", "hypotheses", "checks",
        "tallies", "source_bootstrap_of_max", "profiles"}) {
    r.has(key);
  }
  r.finish();
  ClaimSpec spec;
  spec.file = file;
  spec.id = r.get<std::string>("id");
  if (!is_slug(spec.id)) {
    r.fail("id", "'" + spec.id + "' must match [a-z0-9-]+ (ids become file names)");
  }
  spec.title = r.get<std::string>("title");
  spec.source = r.optional<nlohmann::json>("source", nlohmann::json::object());
  spec.task = parse_task(r.child("task"));
  if (r.has("training")) {
    r.child("training");  // must be an object; validated per arm, merged with its overrides
    spec.training = r.raw("training");
  }
  const nlohmann::json& arms = r.raw("arms");
  if (!arms.is_array() || arms.empty()) r.fail("arms", "must be a non-empty array of arms");
  std::set<std::string> names;
  for (std::size_t i = 0; i < arms.size(); ++i) {
    const std::string path = "arms[" + std::to_string(i) + "]";
    ArmSpec arm = parse_arm(ObjectReader(arms[i], file, path), spec, names);
    names.insert(arm.name);
    const std::string training = arm.training_override.empty() ? "training" : path + ".training";
    spec.arms.push_back(resolve_arm(std::move(arm), spec, nlohmann::json::object(),
                                    nlohmann::json::object(), {training, path + ".model"}));
  }
  if (r.has("search")) {
    ObjectReader s = r.child("search");
    SearchSpace space{s.get<std::vector<std::int64_t>>("batch"), s.get<std::vector<double>>("lr")};
    if (space.batch.empty()) s.fail("batch", "needs >= 1 value");
    if (space.lr.empty()) s.fail("lr", "needs >= 1 value");
    for (auto b : space.batch)
      if (b < 1) s.fail("batch", "values must be >= 1");
    for (auto lr : space.lr)
      if (!(lr > 0) || !std::isfinite(lr)) s.fail("lr", "values must be finite and > 0");
    s.finish();
    spec.search = space;
  }
  const nlohmann::json& hyps = r.raw("hypotheses");
  if (!hyps.is_array() || hyps.empty()) r.fail("hypotheses", "must be a non-empty array");
  std::set<std::string> ids;
  for (std::size_t i = 0; i < hyps.size(); ++i) {
    const std::string path = "hypotheses[" + std::to_string(i) + "]";
    HypothesisSpec h = parse_hypothesis(ObjectReader(hyps[i], file, path), spec);
    if (!ids.insert(h.id).second) {
      throw SpecError(file + ": " + path + ".id: duplicate id '" + h.id + "'");
    }
    spec.hypotheses.push_back(h);
  }
  if (r.has("checks")) {
    const nlohmann::json& checks = r.raw("checks");
    if (!checks.is_array()) r.fail("checks", "must be an array of checks");
    std::map<std::string, models::ParameterCount> counts;
    for (const auto& a : spec.arms)
      counts[a.name] = a.parameters;
    for (std::size_t i = 0; i < checks.size(); ++i) {
      ObjectReader c(checks[i], file, "checks[" + std::to_string(i) + "]");
      spec.checks.push_back(parse_check(c, {names.begin(), names.end()}));
      try {
        evaluate_check(spec.checks.back(), counts);  // a part the models lack is a spec error
      } catch (const std::invalid_argument& e) {
        c.fail("part", e.what());
      }
    }
  }
  if (r.has("tallies")) {
    const nlohmann::json& tallies = r.raw("tallies");
    if (!tallies.is_array()) r.fail("tallies", "must be an array of tallies");
    for (std::size_t i = 0; i < tallies.size(); ++i) {
      ObjectReader t(tallies[i], file, "tallies[" + std::to_string(i) + "]");
      TallySpec tally;
      tally.id = t.get<std::string>("id");
      tally.statement = t.optional<std::string>("statement", "");
      tally.hypotheses = t.get<std::vector<std::string>>("hypotheses");
      if (tally.hypotheses.empty()) t.fail("hypotheses", "must list at least one id");
      for (const auto& id : tally.hypotheses) {
        if (!ids.count(id)) t.fail("hypotheses", "'" + id + "' is not a hypothesis id");
      }
      tally.source = t.optional<std::string>("source", "");
      t.finish();
      spec.tallies.push_back(tally);
    }
  }
  if (r.has("source_bootstrap_of_max")) {
    spec.source_bootstrap_of_max = parse_source_max(r.child("source_bootstrap_of_max"), spec);
    if (!spec.search) r.fail("source_bootstrap_of_max", "needs a top-level \"search\" space");
  }
  ObjectReader profiles = r.child("profiles");
  for (const auto& item : json.at("profiles").items()) {
    if (item.key() != "smoke" && item.key() != "nightly") {
      profiles.fail(item.key(), "unknown profile (valid: smoke, nightly)");
    }
    spec.profiles[item.key()] = parse_profile(profiles.child(item.key()), spec, item.key());
  }
  if (spec.profiles.empty()) r.fail("profiles", "must define smoke and/or nightly");
  r.finish();
  return spec;
}

ClaimSpec load_claim(const fs::path& file) {
  std::error_code ec;
  if (fs::is_directory(file, ec)) {
    throw SpecError(file.string() +
                    ": is a directory, not a claim spec file; move it out of the "
                    "claims directory or rename it (claim specs are <id>.json files)");
  }
  std::ifstream in(file, std::ios::binary);
  if (!in)
    throw SpecError(file.string() + ": cannot open the claim spec (" + std::strerror(errno) + ")");
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) throw SpecError(file.string() + ": cannot read the claim spec");
  nlohmann::json json;
  try {
    json = parse_json_strict(text.str());
  } catch (const nlohmann::json::exception& e) {  // parse_error, or out_of_range 406: 1e999
    throw SpecError(file.string() + ": not valid JSON (" + e.what() + ")");
  } catch (const std::invalid_argument& e) {  // a duplicate key, or absurd nesting
    throw SpecError(file.string() + ": " + e.what());
  }
  ClaimSpec spec = parse_claim(json, file.string());
  if (file.stem().string() != spec.id) {
    throw SpecError(file.string() + ": id: '" + spec.id + "' must equal the file name ('" +
                    file.stem().string() + "'); rename one of them");
  }
  return spec;
}

std::vector<ClaimSpec> load_all_claims(const fs::path& dir) {
  if (!fs::is_directory(dir)) {
    throw SpecError(dir.string() + ": not a directory of claim specs (check --claims-dir)");
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<ClaimSpec> specs;
  for (const auto& f : files)
    specs.push_back(load_claim(f));
  return specs;
}

nlohmann::json to_json(const HypothesisSpec& h) {
  nlohmann::json j = {{"id", h.id}, {"statement", h.statement}, {"design", to_string(h.design)}};
  if (h.pd) {
    j["measure"] = stats::to_string(h.pd->measure);
    if (h.pd->form == PdForm::kPair) {
      j["treatment"] = h.treatment();
      j["control"] = h.control();
      j["direction"] = stats::to_string(h.direction);
    } else if (h.pd->form == PdForm::kExtreme) {
      j["extreme"] = h.direction == stats::Direction::kLess ? "lowest" : "highest";
      j["arm"] = h.pd->focus;
      j["among"] = h.pd->others;
    } else {
      j["cv_of"] = h.pd->others;
      j["bound"] = h.pd->bound;
      j["direction"] = "less";
    }
    j["margin"] = h.margin;
    if (h.source_effect) j["source_effect"] = *h.source_effect;
    return j;
  }
  if (h.two_arm) {
    j["treatment"] = h.treatment();
    j["control"] = h.control();
  } else {
    j["contrast"] = nlohmann::json::array();
    for (const auto& t : h.contrast)
      j["contrast"].push_back({{"arm", t.arm}, {"weight", t.weight}});
  }
  j.update({{"metric", h.metric},
            {"kind", stats::to_string(h.kind)},
            {"direction", stats::to_string(h.direction)},
            {"margin", h.margin}});
  if (h.design == Design::kRandomSearch) j["k"] = h.k;
  if (h.min_effect) j["min_effect"] = *h.min_effect;
  if (h.source_effect) j["source_effect"] = *h.source_effect;
  return j;
}

nlohmann::json to_json(const ClaimSpec& spec) {
  nlohmann::json j;
  j["id"] = spec.id;
  j["title"] = spec.title;
  j["source"] = spec.source;
  j["task"] = train::to_json(spec.task);
  if (!spec.training.empty()) j["training"] = spec.training;
  j["arms"] = nlohmann::json::array();
  for (const auto& a : spec.arms) {
    nlohmann::json arm = {{"name", a.name}, {"model", train::to_json(a.model)}};
    if (!a.training_override.empty()) arm["training"] = a.training_override;
    if (!a.seed_stream.empty()) arm["seed_stream"] = a.seed_stream;
    if (a.source_value) arm["source_value"] = *a.source_value;
    j["arms"].push_back(arm);
  }
  if (spec.search) j["search"] = {{"batch", spec.search->batch}, {"lr", spec.search->lr}};
  j["hypotheses"] = nlohmann::json::array();
  for (const auto& h : spec.hypotheses)
    j["hypotheses"].push_back(to_json(h));
  for (const auto& t : spec.tallies) {
    j["tallies"].push_back({{"id", t.id},
                            {"statement", t.statement},
                            {"hypotheses", t.hypotheses},
                            {"source", t.source}});
  }
  if (!spec.checks.empty()) {
    j["checks"] = nlohmann::json::array();
    for (const auto& c : spec.checks)
      j["checks"].push_back(to_json(c));
  }
  if (spec.source_bootstrap_of_max) {
    const auto& b = *spec.source_bootstrap_of_max;
    j["source_bootstrap_of_max"] = {{"arms", b.arms},
                                    {"k", b.k},
                                    {"metric", b.metric},
                                    {"resamples", b.resamples},
                                    {"confidence", b.confidence}};
  }
  for (const auto& [name, p] : spec.profiles) {
    j["profiles"][name] = {{"replicates", p.replicates}, {"search_trials", p.search_trials},
                           {"device", p.device},         {"gpu", p.gpu},
                           {"alpha", p.alpha},           {"resamples", p.resamples},
                           {"timeout", p.timeout}};
    if (!p.training_override.empty()) j["profiles"][name]["training"] = p.training_override;
    if (!p.model_override.empty()) j["profiles"][name]["model_options"] = p.model_override;
    if (!p.hypotheses.empty()) j["profiles"][name]["hypotheses"] = p.hypotheses;
    if (p.sequential) {
      j["profiles"][name]["sequential"] = {{"min_seeds", p.sequential->min_seeds},
                                           {"max_seeds", p.sequential->max_seeds},
                                           {"round", p.sequential->round},
                                           {"method", p.sequential->method}};
    }
  }
  return j;
}

std::string spec_hash(const ClaimSpec& spec, const std::string& profile) {
  nlohmann::json j = to_json(spec);
  j.erase("title");
  j.erase("source");
  j.erase("tallies");  // a count over verdicts, not something that changes them
  // What each arm trains, resolved (defaults filled in): the same training written at claim
  // level or per arm hashes alike.
  j.erase("training");
  const ProfileSpec& chosen_profile = spec.profile(profile);
  for (std::size_t i = 0; i < spec.arms.size(); ++i) {
    j["arms"][i].erase("source_value");
    j["arms"][i]["training"] = train::to_json(chosen_profile.arms[i].training);
    j["arms"][i]["model"] = train::to_json(chosen_profile.arms[i].model);
  }
  j["hypotheses"] = nlohmann::json::array();  // only those this profile decides
  for (const auto& h : spec.hypotheses_in(profile)) {
    nlohmann::json hj = to_json(h);
    hj.erase("source_effect");
    hj.erase("statement");
    j["hypotheses"].push_back(hj);
  }
  nlohmann::json chosen = j["profiles"][profile];
  chosen.erase("timeout");   // how long CTest waits does not change a result
  chosen.erase("training");  // resolved into the arms above
  chosen.erase("model_options");
  j["profiles"] = {{profile, chosen}};
  return base::hash_hex(j.dump());
}

}  // namespace claimcheck::claims
