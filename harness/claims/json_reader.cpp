#include "harness/claims/json_reader.h"

namespace claimcheck::claims {

ObjectReader::ObjectReader(const nlohmann::json& object, std::string file, std::string path)
    : object_(object), file_(std::move(file)), path_(std::move(path)) {
  if (!object_.is_object()) {
    throw SpecError(file_ + ": " + (path_.empty() ? "the spec" : path_) +
                    ": must be a JSON object, got " + object_.type_name());
  }
}

bool ObjectReader::has(const std::string& key) {
  known_.insert(key);
  return object_.contains(key);
}

const nlohmann::json& ObjectReader::raw(const std::string& key) {
  known_.insert(key);
  if (!object_.contains(key)) fail(key, "is required but missing");
  return object_.at(key);
}

ObjectReader ObjectReader::child(const std::string& key) {
  const nlohmann::json& value = raw(key);
  if (!value.is_object()) fail(key, "must be a JSON object, got " + std::string(value.type_name()));
  return ObjectReader(value, file_, path_.empty() ? key : path_ + "." + key);
}

void ObjectReader::finish() const {
  for (const auto& item : object_.items()) {
    if (known_.count(item.key()) == 0) {
      std::string valid;
      for (const auto& k : known_)
        valid += (valid.empty() ? "" : ", ") + k;
      fail(item.key(), "unknown key (a typo? valid keys here: " + valid +
                           "; the schema is in claims/README.md)");
    }
  }
}

std::string ObjectReader::where(const std::string& key) const {
  return file_ + ": " + key_path(key);
}

std::string ObjectReader::key_path(const std::string& key) const {
  if (key.empty()) return path_.empty() ? "the spec" : path_;
  return path_.empty() ? key : path_ + "." + key;
}

void ObjectReader::fail(const std::string& key, const std::string& what) const {
  throw SpecError(where(key) + ": " + what);
}

}  // namespace claimcheck::claims
