#include "harness/claims/expand.h"

#include <algorithm>

#include <map>
#include <vector>

#include "harness/claims/json_reader.h"
#include "harness/claims/spec_training.h"

namespace claimcheck::claims {
namespace {

using Json = nlohmann::json;

struct AxisValue {
  std::string value;
  Json model;  // {"type", "options"} or null
  Json model_options = Json::object();
  Json training = Json::object();
};

struct Axis {
  std::string name;
  std::vector<AxisValue> values;
};

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

// Every string in `j` with {axis} replaced by the value of each axis in `assignment`.
Json substitute(const Json& j, const std::map<std::string, std::string>& assignment) {
  if (j.is_string()) {
    std::string s = j.get<std::string>();
    for (const auto& [axis, value] : assignment)
      s = replace_all(s, "{" + axis + "}", value);
    return s;
  }
  Json out = j;
  if (j.is_array() || j.is_object()) {
    for (auto it = out.begin(); it != out.end(); ++it)
      *it = substitute(*it, assignment);
  }
  return out;
}

std::vector<Axis> parse_axes(ObjectReader& grid, const std::string& file) {
  const Json& axes = grid.raw("axes");
  if (!axes.is_array() || axes.empty()) grid.fail("axes", "must be a non-empty array of axes");
  std::vector<Axis> out;
  for (std::size_t i = 0; i < axes.size(); ++i) {
    ObjectReader a(axes[i], file, grid.key_path("axes[" + std::to_string(i) + "]"));
    Axis axis;
    axis.name = a.get<std::string>("axis");
    const Json& values = a.raw("values");
    if (!values.is_array() || values.empty()) a.fail("values", "must be a non-empty array");
    for (std::size_t v = 0; v < values.size(); ++v) {
      ObjectReader r(values[v], file, a.key_path("values[" + std::to_string(v) + "]"));
      AxisValue value;
      value.value = r.get<std::string>("value");
      if (r.has("model")) value.model = r.raw("model");
      if (r.has("model_options")) {
        r.child("model_options");  // must be an object
        value.model_options = r.raw("model_options");
      }
      if (r.has("training")) {
        r.child("training");
        value.training = r.raw("training");
      }
      r.finish();
      axis.values.push_back(value);
    }
    a.finish();
    out.push_back(axis);
  }
  return out;
}

bool excluded(const Json& exclude, const std::map<std::string, std::string>& assignment) {
  for (const auto& rule : exclude) {
    bool all = true;
    for (const auto& item : rule.items()) {
      const auto it = assignment.find(item.key());
      all = all && it != assignment.end() && item.value() == it->second;
    }
    if (all) return true;
  }
  return false;
}

// A rule naming an axis or value the grid does not have would silently exclude nothing.
void check_exclude(ObjectReader& grid, const Json& exclude, const std::vector<Axis>& axes) {
  if (!exclude.is_array()) grid.fail("exclude", "must be an array of {axis: value} objects");
  for (std::size_t i = 0; i < exclude.size(); ++i) {
    const std::string where = "exclude[" + std::to_string(i) + "]";
    if (!exclude[i].is_object() || exclude[i].empty()) {
      grid.fail(where, "must be a non-empty {axis: value} object");
    }
    for (const auto& item : exclude[i].items()) {
      const auto axis = std::find_if(axes.begin(), axes.end(),
                                     [&](const Axis& a) { return a.name == item.key(); });
      if (axis == axes.end()) {
        std::string names;
        for (const auto& a : axes)
          names += (names.empty() ? "" : ", ") + a.name;
        grid.fail(where, "names axis '" + item.key() +
                             "', which the grid does not have (axes: " + names + ")");
      }
      const bool known =
          item.value().is_string() &&
          std::any_of(axis->values.begin(), axis->values.end(), [&](const AxisValue& v) {
            return v.value == item.value().get<std::string>();
          });
      if (!known) {
        std::string values;
        for (const auto& v : axis->values)
          values += (values.empty() ? "" : ", ") + v.value;
        grid.fail(where, "axis '" + item.key() + "' has no value " + item.value().dump() +
                             " (its values: " + values + ")");
      }
    }
  }
}

// One combination of axis values (index[a] is axis a's): the values by axis name, and the
// model and training they make together, later axes merged over earlier ones.
struct Combination {
  std::map<std::string, std::string> assignment;
  Json model = Json::object();
  Json training = Json::object();
};

Combination combine(const std::vector<Axis>& axes, const std::vector<std::size_t>& index) {
  Combination c;
  for (std::size_t a = 0; a < axes.size(); ++a) {
    const AxisValue& v = axes[a].values[index[a]];
    c.assignment[axes[a].name] = v.value;
    if (!c.model.contains("options")) c.model["options"] = Json::object();
    if (v.model.is_object()) {  // a type replaces; options merge with earlier axes'
      if (v.model.contains("type")) c.model["type"] = v.model["type"];
      if (v.model.contains("options")) {
        c.model["options"] = merge_training(c.model["options"], v.model["options"]);
      }
    }
    c.model["options"] = merge_training(c.model["options"], v.model_options);
    c.training = merge_training(c.training, v.training);
  }
  return c;
}

// Every source value must name an arm the grid makes.
void check_source_values(ObjectReader& grid, const Json& source, const Json& arms) {
  for (const auto& item : source.items()) {
    const bool made = std::any_of(arms.begin(), arms.end(),
                                  [&](const Json& arm) { return arm["name"] == item.key(); });
    if (!made) {
      grid.fail("source_values", "names arm '" + item.key() +
                                     "', which the grid does not make (check the name pattern, "
                                     "the axis values and exclude)");
    }
  }
}

Json expand_grid(ObjectReader grid, const std::string& file) {
  const std::string pattern = grid.get<std::string>("name");
  const std::vector<Axis> axes = parse_axes(grid, file);
  const Json exclude = grid.has("exclude") ? grid.raw("exclude") : Json::array();
  check_exclude(grid, exclude, axes);
  const Json source = grid.has("source_values") ? grid.raw("source_values") : Json::object();
  if (!source.is_object()) grid.fail("source_values", "must be an object {arm name: number}");
  grid.finish();
  Json arms = Json::array();
  std::vector<std::size_t> index(axes.size(), 0);
  while (true) {
    const Combination c = combine(axes, index);
    if (!excluded(exclude, c.assignment)) {
      Json arm = {{"name", substitute(pattern, c.assignment)}, {"model", c.model}};
      if (!c.training.empty()) arm["training"] = c.training;
      const std::string name = arm["name"].get<std::string>();
      if (source.contains(name)) arm["source_value"] = source[name];
      arms.push_back(arm);
    }
    // Next combination, last axis fastest.
    std::size_t a = axes.size();
    while (a > 0 && ++index[a - 1] == axes[a - 1].values.size())
      index[--a] = 0;
    if (a == 0) break;
  }
  check_source_values(grid, source, arms);
  return arms;
}

Json expand_templates(const Json& templates, const Json& grid_axes, const std::string& file) {
  if (!templates.is_array()) {
    throw SpecError(file + ": hypothesis_templates: must be an array of templates");
  }
  Json out = Json::array();
  for (std::size_t i = 0; i < templates.size(); ++i) {
    ObjectReader t(templates[i], file, "hypothesis_templates[" + std::to_string(i) + "]");
    const Json& for_each = t.raw("for_each");
    const Json& hypothesis = t.raw("hypothesis");
    t.finish();
    std::string axis;
    std::vector<std::string> values;
    if (for_each.is_string()) {
      axis = for_each.get<std::string>();
      for (const auto& a : grid_axes) {
        if (a.value("axis", "") == axis) {
          for (const auto& v : a.at("values"))
            values.push_back(v.at("value").get<std::string>());
        }
      }
      if (values.empty()) t.fail("for_each", "'" + axis + "' is not an axis of the arm_grid");
    } else if (for_each.is_object() && for_each.size() == 1 && for_each.begin()->is_array()) {
      axis = for_each.begin().key();
      for (const auto& v : *for_each.begin()) {
        if (!v.is_string()) t.fail("for_each", "values must be strings");
        values.push_back(v.get<std::string>());
      }
    } else {
      t.fail("for_each", "must be an axis name, or {\"axis\": [values...]}");
    }
    for (const auto& value : values)
      out.push_back(substitute(hypothesis, {{axis, value}}));
  }
  return out;
}

}  // namespace

nlohmann::json expand_spec(const nlohmann::json& spec, const std::string& file) {
  if (!spec.is_object() || (!spec.contains("arm_grid") && !spec.contains("hypothesis_templates"))) {
    return spec;
  }
  Json out = spec;
  Json axes = Json::array();
  if (spec.contains("arm_grid")) {
    ObjectReader grid(spec["arm_grid"], file, "arm_grid");
    if (spec["arm_grid"].contains("axes")) axes = spec["arm_grid"]["axes"];
    Json arms = spec.value("arms", Json::array());
    for (const auto& arm : expand_grid(grid, file))
      arms.push_back(arm);
    out["arms"] = arms;
    out.erase("arm_grid");
  }
  if (spec.contains("hypothesis_templates")) {
    Json hypotheses = spec.value("hypotheses", Json::array());
    for (const auto& h : expand_templates(spec["hypothesis_templates"], axes, file))
      hypotheses.push_back(h);
    out["hypotheses"] = hypotheses;
    out.erase("hypothesis_templates");
  }
  return out;
}

}  // namespace claimcheck::claims
