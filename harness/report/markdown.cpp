#include "harness/report/markdown.h"

#include <fmt/format.h>

#include "harness/report/format.h"
#include "harness/report/table.h"

namespace claimcheck::report {

std::string bless_command(const nlohmann::json& report) {
  const nlohmann::json& a = report.at("analysis");
  if (report.contains("commands") && report["commands"].contains("bless"))
    return report["commands"]["bless"].get<std::string>();
  return fmt::format("claimcheck bless {} --profile {}", a.at("claim").get<std::string>(),
                     a.at("profile").get<std::string>());
}

namespace {

// The hypotheses' table, its notes and the legend of its columns.
std::string hypotheses_section(const nlohmann::json& report, const MarkdownOptions& options) {
  const nlohmann::json& a = report.at("analysis");
  std::string md = to_markdown(hypotheses_table(report, options.suite_q));
  std::string notes;
  for (const auto& [id, note] : hypothesis_texts(a, "note"))
    notes += fmt::format("- `{}`: {}\n", id, note);
  if (!notes.empty()) md += "\n\\* notes:\n" + notes;
  std::string ungated;
  for (const auto& [id, reason] : hypothesis_texts(a, "report_only"))
    ungated += fmt::format("- `{}`: {}\n", id, reason);
  if (!ungated.empty()) {
    md += "\nReport-only in this profile (decided and shown, never gating across environments):\n" +
          ungated;
  }
  const nlohmann::json gate = report.at("comparison").value("gate", nlohmann::json::object());
  if (gate.contains("replication")) md += "\n" + gate["replication"].get<std::string>() + "\n";
  md +=
      "\nPower: of the design to detect the hypothesis's smallest effect of interest "
      "(`min_effect`, else the margin), paired t approximation with the observed sd; — where "
      "none is stated.\n";
  if (!options.suite_q.empty()) {
    md +=
        "BH q (suite): Benjamini–Hochberg adjusted p across every hypothesis of the suite report "
        "(false discovery rate), beside the claim's own Holm p (family-wise, within the claim).\n";
  }
  return md;
}

// Tallies, arms, checks and the source's own statistic.
std::string evidence_sections(const nlohmann::json& report) {
  const nlohmann::json& a = report.at("analysis");
  std::string md;
  if (a.contains("tallies") && !a.at("tallies").empty()) {
    md += "\n### Tallies\n\n";
    for (const auto& t : a.at("tallies")) {
      md += fmt::format(
          "- {}: supported on {} of {} (refuted {}, inconclusive {}){}\n",
          t.value("statement", t.at("id").get<std::string>()), t.at("supported").get<int>(),
          t.at("of").get<int>(), t.at("refuted").get<int>(), t.at("inconclusive").get<int>(),
          t.value("source", "").empty() ? ""
                                        : "; the source: " + t.at("source").get<std::string>());
    }
  }
  md += "\n### Arms\n\n" + to_markdown(arms_table(report));
  if (a.contains("checks") && !a.at("checks").empty()) {
    md += "\n### Checks (asserted when the spec was validated)\n\n";
    for (const auto& c : a.at("checks"))
      md += "- " + c.at("text").get<std::string>() + "\n";
  }
  const Table source_max = source_max_table(report);
  if (!source_max.rows.empty()) {
    md +=
        "\n### The source's own statistic (reported, not decided)\n\n"
        "Percentile bootstrap CI of the max of a resample of the first k trials, per arm "
        "separately (the difference is never tested; degenerate for small k).\n\n" +
        to_markdown(source_max);
  }
  return md;
}

// What moved against the baseline, how to bless it, and what the invocation did.
std::string outcome_sections(const nlohmann::json& report, const MarkdownOptions& options) {
  const nlohmann::json& a = report.at("analysis");
  const nlohmann::json& cmp = report.at("comparison");
  std::string md;
  if (!cmp.at("messages").empty()) {
    md += "\n### What moved\n\n";
    for (const auto& m : cmp.at("messages"))
      md += "- " + m.get<std::string>() + "\n";
  }
  const std::string environments = baseline_environment_text(report);
  if (!environments.empty()) md += "\n" + environments + "\n";
  if (cmp.contains("gate")) md += "\n" + cmp["gate"].value("rule", "") + "\n";
  if (const int offset = a.value("seed_offset", 0); offset > 0) {
    md += fmt::format(
        "\nSeeds: fresh set {0} (`--seed-offset {0}`), disjoint from the profile's own seeds that "
        "the baseline used: a replication of the design, so compared statistically.\n",
        offset);
  }
  if (const int seeds = a.value("seeds_override", 0); seeds > 0) {
    // A design change: bless would bless the profile's own seeds, not these.
    const nlohmann::json& commands = report.value("commands", nlohmann::json::object());
    md += fmt::format(
        "\nDesign: `--seeds {0}` (the profile has {1}), compared statistically with the baseline. "
        "`{2}` judges these runs again. To make {0} seeds the design that gates, set "
        "`profiles.{3}.replicates` to {0} in `claims/{4}.json`, then `{5}` (these runs are "
        "reused) and `{6}`.\n",
        seeds, a.value("profile_seeds", 0),
        commands.value("analyze", std::string("claimcheck analyze")),
        a.at("profile").get<std::string>(), a.at("claim").get<std::string>(),
        commands.value("run", std::string("claimcheck run")), bless_command(report));
  } else if (cmp.at("outcome") != "pass") {
    md += fmt::format("\nIf this change is intended: `{}` and commit `{}`.\n",
                      bless_command(report), baseline_commit_path(report));
  }
  const nlohmann::json& ex = report.at("execution");
  md += fmt::format(
      "\nRuns: {} ({} trained now, {} from the store, {} diverged in total). Training time {:.1f} "
      "s (sum over runs); this invocation {:.1f} s wall.\n",
      a.at("runs").size(), ex.at("trained").get<std::size_t>(), ex.at("cached").get<std::size_t>(),
      report.value("diverged_runs", 0), report.value("train_seconds", 0.0),
      ex.at("wall_seconds").get<double>());
  if (options.fingerprint) {
    md += "\n<details><summary>Environment fingerprint</summary>\n\n```json\n" +
          a.at("fingerprint").dump(2) + "\n```\n</details>\n";
  }
  return md;
}

}  // namespace

std::string markdown_report(const nlohmann::json& report, const MarkdownOptions& options) {
  const nlohmann::json& a = report.at("analysis");
  const std::string outcome = report.at("comparison").at("outcome");
  std::string md;
  if (options.heading) {
    md = fmt::format("## {} ({}): {}\n\n> {}\n\n", a.at("claim").get<std::string>(),
                     a.at("profile").get<std::string>(),
                     outcome == "pass" ? "PASS" : "FAIL: " + outcome,
                     a.at("title").get<std::string>());
  }
  // The source's numbers come with a warning where they are not comparable with ours.
  if (a.contains("source") && a["source"].is_object() && a["source"].contains("comparability")) {
    md += "Source values: " + a["source"]["comparability"].get<std::string>() + "\n\n";
  }
  return md + hypotheses_section(report, options) + evidence_sections(report) +
         outcome_sections(report, options);
}

}  // namespace claimcheck::report
