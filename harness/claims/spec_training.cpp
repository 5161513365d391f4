#include "harness/claims/spec_training.h"

#include <cmath>
#include <stdexcept>

#include "harness/train/optim/optimizer.h"
#include "harness/train/task.h"

namespace claimcheck::claims {
namespace {

// The task's "key: what" message becomes "file: path.key: what".
[[noreturn]] void fail_from_task(ObjectReader& r, const std::invalid_argument& e) {
  const std::string what = e.what();
  const std::size_t colon = what.find(": ");
  if (colon == std::string::npos) r.fail("", what);
  r.fail(what.substr(0, colon), what.substr(colon + 2));
}

}  // namespace

train::TaskSpec parse_task(ObjectReader r) {
  train::TaskSpec t;
  t.type = r.get<std::string>("type");
  try {
    train::task(t.type);
  } catch (const std::invalid_argument& e) {
    r.fail("type", e.what());
  }
  for (const auto& key : train::task(t.type).option_keys()) {
    if (r.has(key)) t.options[key] = r.raw(key);
  }
  r.finish();
  try {
    train::task(t.type).validate_task(t);
  } catch (const std::invalid_argument& e) {
    fail_from_task(r, e);
  }
  return t;
}

train::TrainingSpec parse_training(ObjectReader r, const train::TaskSpec& task) {
  train::TrainingSpec t;
  if (r.has("optimizer")) {
    ObjectReader o = r.child("optimizer");
    t.optimizer.type = o.get<std::string>("type");
    t.optimizer.options = o.optional<nlohmann::json>("options", nlohmann::json::object());
    o.finish();
    try {
      train::optim::validate_optimizer(t.optimizer);
    } catch (const std::invalid_argument& e) {
      r.fail("optimizer", e.what());
    }
  }
  t.epochs = r.optional<std::int64_t>("epochs", 0);
  t.steps = r.optional<std::int64_t>("steps", 0);
  if (t.epochs < 0) r.fail("epochs", "must be >= 1 when given");
  if (t.steps < 0) r.fail("steps", "must be >= 1 when given");
  t.batch = r.optional<std::int64_t>("batch", t.batch);
  if (t.batch < 1) r.fail("batch", "must be >= 1");
  t.lr = r.optional<double>("lr", t.lr);
  if (!(t.lr > 0) || !std::isfinite(t.lr)) r.fail("lr", "must be a finite number > 0");
  t.context = r.optional<std::int64_t>("context", 0);
  t.eval_windows = r.optional<std::int64_t>("eval_windows", 0);
  t.predictions = r.optional<std::int64_t>("predictions", 0);
  if (t.predictions < 0) r.fail("predictions", "must be >= 0 (evaluation inputs to keep)");
  r.finish();
  try {
    train::task(task.type).validate_training(t);
  } catch (const std::invalid_argument& e) {
    fail_from_task(r, e);
  }
  return t;
}

nlohmann::json merge_training(const nlohmann::json& claim_level, const nlohmann::json& override) {
  nlohmann::json merged = claim_level.is_object() ? claim_level : nlohmann::json::object();
  for (const auto& item : override.items())
    merged[item.key()] = item.value();
  return merged;
}

}  // namespace claimcheck::claims
