#include "harness/claims/spec_arms.h"

#include <algorithm>
#include <stdexcept>

#include "harness/claims/spec_training.h"
#include "harness/train/task.h"

namespace claimcheck::claims {
namespace {

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

}  // namespace

// Not std::regex_match: libstdc++'s matcher recurses once per character and overflows the stack
// on a name of ~100k characters (fuzz/crashes/spec/).
bool is_slug(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
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

}  // namespace claimcheck::claims
