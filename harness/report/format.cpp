#include "harness/report/format.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace claimcheck::report {

std::string signed_num(double x) {
  return fmt::format("{:+.4f}", x);
}

std::string p_text(double p) {
  return p < 1e-4 ? "<0.0001" : fmt::format("{:.4f}", p);
}

std::string claim_text(const nlohmann::json& h) {
  const std::string kind = h.at("kind");
  const bool greater = h.at("direction") == "greater";
  const double margin = h.at("margin");
  const std::string formula = h.at("formula");
  if (h.contains("cv_of")) return fmt::format("{} < {:g}", formula, h.at("bound").get<double>());
  if (h.contains("extreme")) return fmt::format("{} {} 0", formula, greater ? ">" : "<");
  const std::string effect = h.at("terms").size() > 2 ? "(" + formula + ")" : formula;
  if (kind == "equivalence") return fmt::format("|{}| < {:g}", formula, margin);
  if (kind == "non-inferiority") {
    return greater ? fmt::format("{} > −{:g}", effect, margin)
                   : fmt::format("{} < {:g}", effect, margin);
  }
  return greater ? fmt::format("{} > {:g}", effect, margin)
                 : fmt::format("{} < {}", effect, margin > 0 ? fmt::format("−{:g}", margin) : "0");
}

std::string design_text(const nlohmann::json& h) {
  if (h.at("design") == "paired") return fmt::format("paired, n={}", h.at("n").get<int>());
  if (h.at("design") == "prediction-difference") {
    return fmt::format("PD over seed pairs, {} seeds", h.at("n").get<int>());
  }
  return fmt::format("best of k={}, {} trials", h.at("k").get<int>(), h.at("n").get<int>());
}

std::string metric_label(const std::string& metric, const std::string& unit) {
  return unit.empty() ? metric : metric + " (" + unit + ")";
}

std::string markdown_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const char next = i + 1 < text.size() ? text[i + 1] : ' ';
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n') {
      out += ' ';
    } else if (c == '<' && (std::isalpha(static_cast<unsigned char>(next)) || next == '/' ||
                            next == '!' || next == '?')) {
      // GitHub renders raw HTML in comments: a stray tag would swallow the rest. "a < b" is no
      // tag and stays readable in a terminal.
      out += "&lt;";
    } else {
      out += c;
    }
  }
  return out;
}

std::string html_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string code_spans_html(const std::string& text) {
  std::string out = html_escape(text);
  if (std::count(out.begin(), out.end(), '`') % 2 != 0) return out;  // not code spans
  for (bool open = true;; open = !open) {
    const auto at = out.find('`');
    if (at == std::string::npos) break;
    out.replace(at, 1, open ? "<code>" : "</code>");
  }
  return out;
}

std::string replication_text(const nlohmann::json& h) {
  const nlohmann::json r = h.value("replication", nlohmann::json());
  if (!r.is_object() || !r.contains("probability")) return "—";
  const double p = r.at("probability").get<double>();
  // Two decimals, but never a rounded 1.00 or 0.00 for what is not certain.
  const std::string text = p > 0.995 && p < 1.0   ? ">0.99"
                           : p < 0.005 && p > 0.0 ? "<0.01"
                                                  : fmt::format("{:.2f}", p);
  return text + (r.value("decisive", false) ? " decisive" : " fragile");
}

std::vector<std::pair<std::string, std::string>> hypothesis_texts(const nlohmann::json& analysis,
                                                                  const std::string& key) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& h : analysis.at("hypotheses")) {
    const std::string text = h.contains(key) && h[key].is_string() ? h[key].get<std::string>() : "";
    if (!text.empty()) out.emplace_back(h.at("id").get<std::string>(), text);
  }
  return out;
}

std::string short_commit(const nlohmann::json& fp) {
  const std::string commit = fp.is_object() ? fp.value("git_commit", "") : "";
  return commit.empty() ? "unknown" : commit.substr(0, 7);
}

std::string environment_line(const nlohmann::json& fp) {
  if (!fp.is_object() || fp.empty()) return "unknown environment";
  const bool cuda = fp.contains("cuda") && fp["cuda"].value("available", false);
  std::string device = cuda ? "cuda" : "cpu";
  if (cuda && fp["cuda"].contains("device_name"))
    device += " (" + fp["cuda"].value("device_name", "") + ")";
  const std::string blas = fp.contains("blas") ? fp["blas"].value("name", "?") : "?";
  return fmt::format("LibTorch {}, {}, {}, {}, commit {}{}", fp.value("libtorch", "?"), device,
                     blas, fp.value("compiler", "?"), short_commit(fp),
                     fp.value("git_dirty", false) ? " (dirty)" : "");
}

std::string baseline_environment_text(const nlohmann::json& report) {
  if (!report.contains("comparison") || !report["comparison"].contains("environments")) return "";
  const nlohmann::json& cmp = report["comparison"];
  const nlohmann::json& envs = cmp["environments"];
  const std::string base = envs.value("baseline", "");
  if (base.empty()) return "";  // no baseline to compare with
  std::string how;
  if (cmp.value("exact_required", false)) {
    how = "one deterministic environment, so the runs must reproduce the baseline exactly";
  } else if (cmp.value("same_environment", false)) {
    how = "one environment but not deterministic, so compared statistically";
  } else {
    how = "different environments, so compared statistically";
  }
  std::string text =
      fmt::format("Baseline from {}, runs on {}: {}.", base, envs.value("runs", "?"), how);
  const nlohmann::json baseline = report.value("baseline", nlohmann::json::object());
  if (baseline.value("fallback", false)) {
    text += fmt::format(
        " No {} baseline yet: compared with the CPU baseline (bless writes `{}`).",
        baseline.value("device", "?") == "cuda" ? "CUDA" : baseline.value("device", "?"),
        baseline_commit_path(report));
  }
  return text;
}

std::string baseline_commit_path(const nlohmann::json& report) {
  const nlohmann::json& a = report.at("analysis");
  if (report.contains("baseline") && report["baseline"].contains("name"))
    return "baselines/" + report["baseline"]["name"].get<std::string>();
  return fmt::format("baselines/{}/{}.json", a.at("claim").get<std::string>(),
                     a.at("profile").get<std::string>());
}

}  // namespace claimcheck::report
