#include "harness/report/markdown.h"

#include <fmt/format.h>

#include <cmath>

namespace claimcheck::report {
namespace {

std::string signed_num(double x) {
  return fmt::format("{:+.4f}", x);
}

std::string p_text(double p) {
  return p < 1e-4 ? "<0.0001" : fmt::format("{:.4f}", p);
}

// The claim as an inequality on the contrast, e.g. "geglu-8 − relu-8 > 0" or
// "|geglu-8 − relu-16| < 0.005".
std::string claim_text(const nlohmann::json& h) {
  const std::string kind = h.at("kind");
  const bool greater = h.at("direction") == "greater";
  const double margin = h.at("margin");
  const std::string formula = h.at("formula");
  const std::string effect = h.at("terms").size() > 2 ? "(" + formula + ")" : formula;
  if (kind == "equivalence") return fmt::format("\\|{}\\| < {:g}", formula, margin);
  if (kind == "non-inferiority") {
    return greater ? fmt::format("{} > −{:g}", effect, margin)
                   : fmt::format("{} < {:g}", effect, margin);
  }
  return greater ? fmt::format("{} > {:g}", effect, margin)
                 : fmt::format("{} < {}", effect, margin > 0 ? fmt::format("−{:g}", margin) : "0");
}

}  // namespace

std::string markdown_report(const nlohmann::json& report) {
  const nlohmann::json& a = report.at("analysis");
  const nlohmann::json& cmp = report.at("comparison");
  const std::string outcome = cmp.at("outcome");
  std::string md = fmt::format("## {} ({}): {}\n\n> {}\n\n", a.at("claim").get<std::string>(),
                               a.at("profile").get<std::string>(),
                               outcome == "pass" ? "PASS" : "FAIL: " + outcome,
                               a.at("title").get<std::string>());

  md += fmt::format(
      "| hypothesis | claim | design | effect | {:g}% CI (BCa) | source | Holm p | power | "
      "verdict | baseline | outcome |\n|---|---|---|---|---|---|---|---|---|---|---|\n",
      100.0 * (1.0 - a.at("alpha").get<double>()));
  const nlohmann::json& per = cmp.at("hypotheses");
  for (std::size_t i = 0; i < a.at("hypotheses").size(); ++i) {
    const nlohmann::json& h = a["hypotheses"][i];
    const std::string design =
        h.at("design") == "paired"
            ? fmt::format("paired, n={}", h.at("n").get<int>())
            : fmt::format("best of k={}, {} trials", h.at("k").get<int>(), h.at("n").get<int>());
    std::string baseline = "—";
    std::string hyp_outcome = outcome == "no-baseline" ? "no baseline" : "—";
    for (const auto& c : per) {
      if (c.at("id") == h.at("id")) {
        baseline = c.at("baseline_verdict");
        hyp_outcome = c.at("outcome");
      }
    }
    std::string verdict = h.at("verdict");
    if (!h.at("note").get<std::string>().empty()) verdict += "*";
    const std::string source =
        h.contains("source_effect") ? signed_num(h.at("source_effect")) : "—";
    const std::string power = h.contains("power") && h.at("power").is_number()
                                  ? fmt::format("{:.2f}", h.at("power").get<double>())
                                  : "—";
    md += fmt::format("| `{}` | {} ({}) | {} | {} | [{}, {}] | {} | {} | {} | **{}** | {} | {} |\n",
                      h.at("id").get<std::string>(), claim_text(h),
                      h.at("metric").get<std::string>(), design, signed_num(h.at("estimate")),
                      signed_num(h.at("ci").at("lo")), signed_num(h.at("ci").at("hi")), source,
                      p_text(h.at("holm_p")), power, verdict, baseline, hyp_outcome);
  }
  std::string notes;
  for (const auto& h : a.at("hypotheses")) {
    if (!h.at("note").get<std::string>().empty()) {
      notes += fmt::format("- `{}`: {}\n", h.at("id").get<std::string>(),
                           h.at("note").get<std::string>());
    }
  }
  if (!notes.empty()) md += "\n\\* " + std::string("notes:\n") + notes;

  md += fmt::format(
      "\nPower: of the design to detect the hypothesis's smallest effect of interest "
      "(`min_effect`, "
      "else the margin), paired t approximation with the observed sd; — where none is stated.\n");
  md +=
      "\n### Arms\n\n| arm | parameters | metric | replicates: mean ± sd | source | search trials: "
      "best | diverged |\n|---|---|---|---|---|---|---|\n";
  for (const auto& s : a.at("arms")) {
    const std::string reps = s.at("replicates").get<int>() > 0
                                 ? fmt::format("{}: {:.4f} ± {:.4f}", s.at("replicates").get<int>(),
                                               s.at("mean").get<double>(), s.at("sd").get<double>())
                                 : "—";
    const std::string trials =
        s.at("trials").get<int>() > 0
            ? fmt::format("{}: {:.4f}", s.at("trials").get<int>(), s.at("best_trial").get<double>())
            : "—";
    const std::string source = s.contains("source_value")
                                   ? fmt::format("{:.3f}", s.at("source_value").get<double>())
                                   : "—";
    md += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", s.at("name").get<std::string>(),
                      s.value("parameters", 0), s.at("metric").get<std::string>(), reps, source,
                      trials, s.at("diverged").get<int>());
  }
  if (a.contains("checks") && !a.at("checks").empty()) {
    md += "\n### Checks (asserted when the spec was validated)\n\n";
    for (const auto& c : a.at("checks"))
      md += "- " + c.at("text").get<std::string>() + "\n";
  }

  if (!a.at("source_bootstrap_of_max").empty()) {
    md +=
        "\n### The source's own statistic (reported, not decided)\n\n"
        "Percentile bootstrap CI of the max of a resample of the first k trials, per arm "
        "separately (the difference is never tested; degenerate for small k).\n\n"
        "| arm | k | max of k | 95% percentile CI |\n|---|---|---|---|\n";
    for (const auto& m : a.at("source_bootstrap_of_max")) {
      md += fmt::format("| {} | {} | {:.4f} | [{:.4f}, {:.4f}] |\n", m.at("arm").get<std::string>(),
                        m.at("k").get<int>(), m.at("observed_max").get<double>(),
                        m.at("ci").at("lo").get<double>(), m.at("ci").at("hi").get<double>());
    }
  }

  if (!cmp.at("messages").empty()) {
    md += "\n### What moved\n\n";
    for (const auto& m : cmp.at("messages"))
      md += "- " + m.get<std::string>() + "\n";
  }
  if (outcome != "pass") {
    md += fmt::format(
        "\nIf this change is intended: `claimcheck bless {} --profile {}` and commit "
        "`baselines/{}/{}.json`.\n",
        a.at("claim").get<std::string>(), a.at("profile").get<std::string>(),
        a.at("claim").get<std::string>(), a.at("profile").get<std::string>());
  }
  const nlohmann::json& ex = report.at("execution");
  md += fmt::format(
      "\nRuns: {} ({} trained now, {} from the store, {} diverged in total). Training time {:.1f} "
      "s "
      "(sum over runs); this invocation {:.1f} s wall.\n",
      a.at("runs").size(), ex.at("trained").get<std::size_t>(), ex.at("cached").get<std::size_t>(),
      report.value("diverged_runs", 0), report.value("train_seconds", 0.0),
      ex.at("wall_seconds").get<double>());
  md += "\n<details><summary>Environment fingerprint</summary>\n\n```json\n" +
        a.at("fingerprint").dump(2) + "\n```\n</details>\n";
  return md;
}

}  // namespace claimcheck::report
