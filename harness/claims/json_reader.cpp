#include "harness/claims/json_reader.h"

namespace claimcheck::claims {

nlohmann::json parse_json_strict(const std::string& text) {
  using Event = nlohmann::json::parse_event_t;
  struct Frame {
    bool array = false;
    std::size_t next = 0;  // array: index of the element being parsed
    std::string key;       // object: the key whose value is being parsed
    std::set<std::string> keys;
  };
  std::vector<Frame> stack;
  auto path = [&] {
    std::string p;
    for (const Frame& f : stack) {
      if (f.array) {
        p += "[" + std::to_string(f.next) + "]";
      } else if (&f != &stack.back()) {
        p += (p.empty() ? "" : ".") + f.key;
      }
    }
    return p.empty() ? std::string("the top-level object") : p;
  };
  auto element_done = [&] {
    if (!stack.empty() && stack.back().array) ++stack.back().next;
  };
  auto callback = [&](int /*depth*/, Event event, nlohmann::json& parsed) {
    switch (event) {
      case Event::object_start:
      case Event::array_start:
        if (stack.size() >= kMaxJsonDepth) {
          throw std::invalid_argument(path() + ": nested deeper than " +
                                      std::to_string(kMaxJsonDepth) + " levels");
        }
        stack.push_back(Frame{event == Event::array_start, 0, {}, {}});
        break;
      case Event::key: {
        Frame& f = stack.back();
        f.key = parsed.get<std::string>();
        if (!f.keys.insert(f.key).second) {
          throw std::invalid_argument(path() + ": duplicate key '" + f.key +
                                      "' (JSON keeps only the last; remove one)");
        }
        break;
      }
      case Event::object_end:
      case Event::array_end:
        stack.pop_back();
        element_done();
        break;
      case Event::value:
        element_done();
        break;
    }
    return true;
  };
  return nlohmann::json::parse(text, callback);
}

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
