#include "harness/claims/spec.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <regex>
#include <set>

#include "harness/claims/json_reader.h"
#include "harness/env/seed.h"
#include "models/registry.h"

namespace claimcheck::claims {
namespace fs = std::filesystem;
namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items)
    out += (out.empty() ? "" : ", ") + s;
  return out;
}

template <typename T>
void require_one_of(ObjectReader& r, const std::string& key, const T& value,
                    const std::vector<std::string>& valid, const std::string& extra = "") {
  if (std::find(valid.begin(), valid.end(), value) == valid.end()) {
    r.fail(key, "'" + value + "' is not valid (valid: " + join(valid) + ")" + extra);
  }
}

TaskSpec parse_task(ObjectReader r) {
  TaskSpec t;
  t.type = r.optional<std::string>("type", t.type);
  require_one_of(r, "type", t.type, {"image-classification"},
                 "; char-lm tasks arrive with the later claims");
  t.dataset = r.optional<std::string>("dataset", t.dataset);
  require_one_of(r, "dataset", t.dataset, {"mnist", "fashion-mnist"});
  t.optimizer = r.optional<std::string>("optimizer", t.optimizer);
  require_one_of(r, "optimizer", t.optimizer, {"adam"});
  t.epochs = r.optional<std::int64_t>("epochs", t.epochs);
  if (t.epochs < 1) r.fail("epochs", "must be >= 1");
  r.finish();
  return t;
}

ModelSpec parse_model(ObjectReader r) {
  ModelSpec m;
  m.type = r.get<std::string>("type");
  require_one_of(r, "type", m.type, models::classifier_types());
  m.options = r.optional<nlohmann::json>("options", nlohmann::json::object());
  r.finish();
  try {
    models::make_classifier(m.type, m.options);  // validates option names and values
  } catch (const std::invalid_argument& e) {
    r.fail("options", e.what());
  }
  return m;
}

Design parse_design(ObjectReader& r) {
  const std::string name = r.optional<std::string>("design", "paired");
  if (name == "paired") return Design::kPaired;
  if (name == "random-search") return Design::kRandomSearch;
  r.fail("design", "'" + name + "' is not valid (valid: paired, random-search)");
}

template <typename Enum, typename Parse>
Enum parse_enum(ObjectReader& r, const std::string& key, const std::string& fallback, Parse parse) {
  const std::string name = r.optional<std::string>(key, fallback);
  try {
    return parse(name);
  } catch (const std::invalid_argument& e) {
    r.fail(key, e.what());
  }
}

HypothesisSpec parse_hypothesis(ObjectReader r, const ClaimSpec& spec) {
  HypothesisSpec h;
  h.id = r.get<std::string>("id");
  h.statement = r.optional<std::string>("statement", "");
  h.design = parse_design(r);
  h.treatment = r.get<std::string>("treatment");
  h.control = r.get<std::string>("control");
  for (const auto& [key, arm] :
       {std::pair{"treatment", h.treatment}, std::pair{"control", h.control}}) {
    const bool found = std::any_of(spec.arms.begin(), spec.arms.end(),
                                   [&](const ArmSpec& a) { return a.name == arm; });
    if (!found) {
      std::vector<std::string> names;
      for (const auto& a : spec.arms)
        names.push_back(a.name);
      r.fail(key, "arm '" + arm + "' is not defined (arms: " + join(names) + ")");
    }
  }
  if (h.treatment == h.control) r.fail("control", "is the same arm as treatment");
  h.metric = r.optional<std::string>("metric", h.metric);
  require_one_of(r, "metric", h.metric, task_metrics(spec.task.type));
  h.kind = parse_enum<stats::HypothesisKind>(r, "kind", "superiority",
                                             stats::hypothesis_kind_from_string);
  h.direction =
      parse_enum<stats::Direction>(r, "direction", "greater", stats::direction_from_string);
  h.margin = r.optional<double>("margin", 0.0);
  if (!std::isfinite(h.margin) || h.margin < 0) r.fail("margin", "must be a finite number >= 0");
  if (h.kind != stats::HypothesisKind::kSuperiority && h.margin <= 0) {
    r.fail("margin", "must be > 0 for " + stats::to_string(h.kind) + " (the tolerated difference)");
  }
  h.k = r.optional<int>("k", 0);
  if (h.design == Design::kRandomSearch) {
    if (h.k < 1) r.fail("k", "random-search hypotheses need k >= 1 (trials in the budget)");
    if (!spec.search) r.fail("design", "random-search needs a top-level \"search\" space");
  } else if (h.k != 0) {
    r.fail("k", "only random-search hypotheses take k");
  }
  if (r.has("source_effect")) h.source_effect = r.get<double>("source_effect");
  r.finish();
  return h;
}

ProfileSpec parse_profile(ObjectReader r, const ClaimSpec& spec) {
  ProfileSpec p;
  p.replicates = r.optional<int>("replicates", p.replicates);
  if (p.replicates < 2) r.fail("replicates", "must be >= 2 (a paired CI needs two seeds)");
  p.search_trials = r.optional<int>("search_trials", p.search_trials);
  int max_k = 0;
  for (const auto& h : spec.hypotheses)
    max_k = std::max(max_k, h.k);
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
  require_one_of(r, "device", p.device, {"auto", "cpu", "cuda"});
  p.gpu = r.optional<bool>("gpu", p.gpu);
  p.alpha = r.optional<double>("alpha", p.alpha);
  if (!(p.alpha > 0 && p.alpha < 0.5)) r.fail("alpha", "must be in (0, 0.5)");
  p.resamples = r.optional<int>("resamples", p.resamples);
  if (p.resamples < 99) r.fail("resamples", "must be >= 99");
  r.finish();
  return p;
}

}  // namespace

std::string to_string(Design design) {
  return design == Design::kPaired ? "paired" : "random-search";
}

std::vector<std::string> task_metrics(const std::string& task_type) {
  if (task_type == "image-classification")
    return {"final_train_loss", "test_accuracy", "test_loss"};
  return {};
}

const ArmSpec& ClaimSpec::arm(const std::string& name) const {
  for (const auto& a : arms) {
    if (a.name == name) return a;
  }
  throw std::invalid_argument(file + ": no arm '" + name + "'");
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

ClaimSpec parse_claim(const nlohmann::json& json, const std::string& file) {
  ObjectReader r(json, file, "");
  ClaimSpec spec;
  spec.file = file;
  spec.id = r.get<std::string>("id");
  if (!std::regex_match(spec.id, std::regex("[a-z0-9-]+"))) {
    r.fail("id", "'" + spec.id + "' must match [a-z0-9-]+ (ids become file names)");
  }
  spec.title = r.get<std::string>("title");
  spec.source = r.optional<nlohmann::json>("source", nlohmann::json::object());
  if (r.has("task")) spec.task = parse_task(r.child("task"));
  if (r.has("defaults")) {
    ObjectReader d = r.child("defaults");
    spec.defaults.batch = d.optional<std::int64_t>("batch", spec.defaults.batch);
    if (spec.defaults.batch < 1) d.fail("batch", "must be >= 1");
    spec.defaults.lr = d.optional<double>("lr", spec.defaults.lr);
    if (!(spec.defaults.lr > 0)) d.fail("lr", "must be > 0");
    d.finish();
  }
  const nlohmann::json& arms = r.raw("arms");
  if (!arms.is_array() || arms.empty()) r.fail("arms", "must be a non-empty array of arms");
  std::set<std::string> names;
  for (std::size_t i = 0; i < arms.size(); ++i) {
    ObjectReader a(arms[i], file, "arms[" + std::to_string(i) + "]");
    ArmSpec arm;
    arm.name = a.get<std::string>("name");
    if (!std::regex_match(arm.name, std::regex("[a-z0-9-]+"))) {
      a.fail("name", "'" + arm.name + "' must match [a-z0-9-]+");
    }
    if (!names.insert(arm.name).second) a.fail("name", "duplicate arm name '" + arm.name + "'");
    arm.model = parse_model(a.child("model"));
    if (a.has("source_value")) arm.source_value = a.get<double>("source_value");
    a.finish();
    spec.arms.push_back(arm);
  }
  if (r.has("search")) {
    ObjectReader s = r.child("search");
    SearchSpace space{s.get<std::vector<std::int64_t>>("batch"), s.get<std::vector<double>>("lr")};
    if (space.batch.empty()) s.fail("batch", "needs >= 1 value");
    if (space.lr.empty()) s.fail("lr", "needs >= 1 value");
    for (auto b : space.batch)
      if (b < 1) s.fail("batch", "values must be >= 1");
    for (auto lr : space.lr)
      if (!(lr > 0)) s.fail("lr", "values must be > 0");
    s.finish();
    spec.search = space;
  }
  const nlohmann::json& hyps = r.raw("hypotheses");
  if (!hyps.is_array() || hyps.empty()) r.fail("hypotheses", "must be a non-empty array");
  std::set<std::string> ids;
  for (std::size_t i = 0; i < hyps.size(); ++i) {
    HypothesisSpec h = parse_hypothesis(
        ObjectReader(hyps[i], file, "hypotheses[" + std::to_string(i) + "]"), spec);
    if (!ids.insert(h.id).second) {
      throw SpecError(file + ": hypotheses[" + std::to_string(i) + "].id: duplicate id '" + h.id +
                      "'");
    }
    spec.hypotheses.push_back(h);
  }
  if (r.has("source_bootstrap_of_max")) {
    ObjectReader s = r.child("source_bootstrap_of_max");
    SourceBootstrapOfMax b;
    b.arms = s.get<std::vector<std::string>>("arms");
    for (const auto& a : b.arms) {
      if (!names.count(a)) s.fail("arms", "arm '" + a + "' is not defined");
    }
    b.k = s.get<std::vector<int>>("k");
    for (int k : b.k)
      if (k < 1) s.fail("k", "values must be >= 1");
    b.metric = s.optional<std::string>("metric", b.metric);
    require_one_of(s, "metric", b.metric, task_metrics(spec.task.type));
    b.resamples = s.optional<int>("resamples", b.resamples);
    b.confidence = s.optional<double>("confidence", b.confidence);
    if (!(b.confidence > 0 && b.confidence < 1)) s.fail("confidence", "must be in (0, 1)");
    s.finish();
    if (!spec.search) r.fail("source_bootstrap_of_max", "needs a top-level \"search\" space");
    spec.source_bootstrap_of_max = b;
  }
  ObjectReader profiles = r.child("profiles");
  for (const auto& item : json.at("profiles").items()) {
    if (item.key() != "smoke" && item.key() != "nightly") {
      profiles.fail(item.key(), "unknown profile (valid: smoke, nightly)");
    }
    spec.profiles[item.key()] = parse_profile(profiles.child(item.key()), spec);
  }
  if (spec.profiles.empty()) r.fail("profiles", "must define smoke and/or nightly");
  r.finish();
  return spec;
}

ClaimSpec load_claim(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw SpecError(file.string() + ": cannot open the claim spec");
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    throw SpecError(file.string() + ": not valid JSON (" + e.what() + ")");
  }
  ClaimSpec spec = parse_claim(json, file.string());
  if (file.stem().string() != spec.id) {
    throw SpecError(file.string() + ": id: '" + spec.id + "' must equal the file name ('" +
                    file.stem().string() + "'); rename one of them");
  }
  return spec;
}

std::vector<ClaimSpec> load_all_claims(const fs::path& dir) {
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
  nlohmann::json j = {{"id", h.id},
                      {"statement", h.statement},
                      {"design", to_string(h.design)},
                      {"treatment", h.treatment},
                      {"control", h.control},
                      {"metric", h.metric},
                      {"kind", stats::to_string(h.kind)},
                      {"direction", stats::to_string(h.direction)},
                      {"margin", h.margin}};
  if (h.design == Design::kRandomSearch) j["k"] = h.k;
  if (h.source_effect) j["source_effect"] = *h.source_effect;
  return j;
}

nlohmann::json to_json(const ClaimSpec& spec) {
  nlohmann::json j;
  j["id"] = spec.id;
  j["title"] = spec.title;
  j["source"] = spec.source;
  j["task"] = {{"type", spec.task.type},
               {"dataset", spec.task.dataset},
               {"optimizer", spec.task.optimizer},
               {"epochs", spec.task.epochs}};
  j["defaults"] = {{"batch", spec.defaults.batch}, {"lr", spec.defaults.lr}};
  j["arms"] = nlohmann::json::array();
  for (const auto& a : spec.arms) {
    nlohmann::json arm = {{"name", a.name},
                          {"model", {{"type", a.model.type}, {"options", a.model.options}}}};
    if (a.source_value) arm["source_value"] = *a.source_value;
    j["arms"].push_back(arm);
  }
  if (spec.search) j["search"] = {{"batch", spec.search->batch}, {"lr", spec.search->lr}};
  j["hypotheses"] = nlohmann::json::array();
  for (const auto& h : spec.hypotheses)
    j["hypotheses"].push_back(to_json(h));
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
                           {"alpha", p.alpha},           {"resamples", p.resamples}};
  }
  return j;
}

std::string spec_hash(const ClaimSpec& spec, const std::string& profile) {
  nlohmann::json j = to_json(spec);
  j.erase("title");
  j.erase("source");
  for (auto& arm : j["arms"])
    arm.erase("source_value");
  for (auto& h : j["hypotheses"]) {
    h.erase("source_effect");
    h.erase("statement");
  }
  const nlohmann::json chosen = j["profiles"][profile];
  j["profiles"] = {{profile, chosen}};
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx",
                static_cast<unsigned long long>(env::hash_seed(j.dump())));
  return hex;
}

}  // namespace claimcheck::claims
