#include "harness/report/suite_markdown.h"

#include <fmt/format.h>

#include <vector>

#include "harness/report/format.h"
#include "harness/report/markdown.h"

namespace claimcheck::report {
namespace {

const char* outcome_icon(const std::string& outcome) {
  if (outcome == "pass") return "✅";
  if (outcome == "improved") return "⬆️";
  if (outcome == "skipped") return "⏭️";
  return "❌";
}

std::string summary_row(const SuiteEntry& e) {
  return fmt::format("| `{}` | {} | {} {} | {} | {} |\n", e.claim, e.profile,
                     outcome_icon(e.outcome()), e.outcome(), decided_text(e),
                     markdown_escape(moved_text(e)));
}

std::string table_header() {
  return "| claim | profile | outcome | hypotheses | moved against the baseline |\n"
         "|---|---|---|---|---|\n";
}

// The summary table, folding passing rows into one line when `fold_passing`, and keeping at
// most `max_rows` rows (the rest counted in a last line).
std::string summary_table(const Suite& suite, bool fold_passing, std::size_t max_rows) {
  std::string md = table_header();
  std::size_t shown = 0, folded = 0, cut = 0;
  for (const auto& e : suite.entries) {
    if (fold_passing && e.outcome() == "pass") {
      ++folded;
    } else if (shown >= max_rows) {
      ++cut;
    } else {
      md += summary_row(e);
      ++shown;
    }
  }
  if (folded > 0) {
    md += fmt::format(
        "| … | | ✅ pass | | {} more claim × profile pass (rows in the report "
        "artifact's suite.json) |\n",
        folded);
  }
  // Claims without the requested profile: one short row each, never folded (they are neither
  // pass nor failure, and a reader looking for a claim must find it).
  for (const auto& n : suite.not_defined) {
    md += fmt::format("| `{}` | {} | ➖ no {} profile | — | {} |\n", n.claim, n.profile, n.profile,
                      markdown_escape("not run: " + not_defined_text(n)));
  }
  if (cut > 0) {
    md += fmt::format(
        "| … | | ❌ | | {} more rows that did not pass are cut to stay under "
        "GitHub's comment limit: see the report artifact's suite.json |\n",
        cut);
  }
  return md;
}

std::string multiplicity_text(const Suite& suite) {
  if (suite.counts.hypotheses == 0) return "";
  return fmt::format(
      "\nReport-level multiplicity: Benjamini–Hochberg across all {} hypotheses of this report: "
      "{} have q ≤ {:g} (false discovery rate {:g}%); each claim's details show the BH q beside "
      "its Holm p (family-wise within the claim).\n",
      suite.counts.hypotheses, suite.counts.discoveries, suite.alpha, 100 * suite.alpha);
}

// Lists longer than this are cut (the rest counted): the summary must fit the comment.
constexpr int kMaxListed = 100;

std::string actions_text(const Suite& suite) {
  std::string missing, bless;
  int missing_n = 0, bless_n = 0;
  for (const auto& e : suite.entries) {
    if (e.report.is_null()) {
      if (++missing_n <= kMaxListed) missing += "- " + markdown_escape(e.missing) + "\n";
    } else if (e.outcome() != "pass") {
      if (++bless_n <= kMaxListed) bless += bless_command(e.report) + "\n";
    }
  }
  if (missing_n > kMaxListed)
    missing += fmt::format("- … and {} more (suite.json lists them)\n", missing_n - kMaxListed);
  if (bless_n > kMaxListed)
    bless += fmt::format("# … and {} more (suite.json lists them)\n", bless_n - kMaxListed);
  std::string md;
  if (!missing.empty()) md += "\n### Missing runs (nothing was tested for these)\n\n" + missing;
  if (!bless.empty()) {
    md +=
        "\n### Bless what moved (if intended) or has no baseline yet\n\nOn a developer "
        "machine (never in CI), then commit `baselines/`:\n\n```sh\n" +
        bless + "```\n";
    if (suite.stores.size() > 1) {
      md +=
          "`bless` reads one store: concatenate the shard stores' `<claim>.jsonl` files into "
          "it first.\n";
    }
  }
  return md;
}

std::string environment_text(const Suite& suite) {
  // Distinct fingerprints, each with the entries that ran in it (shards may run on several
  // machines; a report over one machine's store shows one).
  std::vector<std::pair<nlohmann::json, std::string>> envs;
  for (const auto& e : suite.entries) {
    if (e.report.is_null()) continue;
    const nlohmann::json& fp = e.report.at("analysis").at("fingerprint");
    const std::string who = e.claim + " (" + e.profile + ")";
    bool found = false;
    for (auto& [known, users] : envs) {
      if (known == fp) {
        users += ", " + who;
        found = true;
      }
    }
    if (!found) envs.emplace_back(fp, who);
  }
  std::string md = "\n### Environment\n\n";
  for (const auto& [fp, users] : envs) {
    md += "<details><summary>" + html_escape(environment_line(fp)) +
          (envs.size() > 1 ? " — " + html_escape(users) : "") + "</summary>\n\n```json\n" +
          fp.dump(2) + "\n```\n</details>\n";
  }
  std::string stores;
  for (const auto& s : suite.stores)
    stores += (stores.empty() ? "`" : ", `") + s + "`";
  return md + "\nStores: " + stores + ".\n";
}

std::string details_block(const SuiteEntry& e) {
  MarkdownOptions options;
  options.heading = false;
  options.fingerprint = false;
  options.suite_q = e.suite_q;
  return fmt::format("<details><summary><b>{}</b> ({}): {} {} — {}</summary>\n\n", e.claim,
                     e.profile, outcome_icon(e.outcome()), e.outcome(),
                     html_escape(e.report.at("analysis").at("title").get<std::string>())) +
         markdown_report(e.report, options) + "\n</details>\n";
}

}  // namespace

std::string suite_markdown(const Suite& suite, const SuiteMarkdownOptions& options) {
  const std::string head = verdict_line(suite) + "\n\n";
  const std::string tail = multiplicity_text(suite) + actions_text(suite);
  const std::string env = environment_text(suite);
  // The summary: all rows; else passing rows folded; else failing rows cut to fit.
  std::string summary = summary_table(suite, /*fold_passing=*/false, suite.entries.size());
  const std::size_t fixed = head.size() + tail.size() + env.size() + 512;
  if (fixed + summary.size() > options.limit)
    summary = summary_table(suite, /*fold_passing=*/true, suite.entries.size());
  for (std::size_t rows = suite.entries.size(); fixed + summary.size() > options.limit && rows > 0;
       rows /= 2) {
    summary = summary_table(suite, /*fold_passing=*/true, rows / 2);
  }
  std::string md = head + summary + tail;
  if (md.size() + env.size() > options.limit) {
    // Only a pathological suite (thousands of missing claims) gets here: keep the verdict line.
    const std::string note = "\n… cut at GitHub's comment limit: see the report artifact.\n";
    std::size_t cut = options.limit - note.size() - 8;
    while (cut > 0 && (static_cast<unsigned char>(md[cut]) & 0xC0) == 0x80)
      --cut;  // not inside a UTF-8 sequence
    md = md.substr(0, cut) + note;
    return md;
  }

  // Details, worst outcomes first, while they fit; the rest are named in a note.
  std::string details;
  std::size_t left_out = 0;
  const std::size_t note_room = 400;
  for (const auto& e : suite.entries) {
    if (e.report.is_null()) continue;
    const std::string block = details_block(e);
    if (md.size() + details.size() + block.size() + env.size() + note_room + 32 <= options.limit) {
      details += block;
    } else {
      ++left_out;
    }
  }
  if (!details.empty() || left_out > 0) md += "\n### Details\n\n" + details;
  if (left_out > 0) {
    md += fmt::format(
        "\n*Details of {} claim × profile are left out to stay under GitHub's {}-character "
        "comment limit; every claim's full report is in the report artifact "
        "(`<claim>/<profile>/report.md`, `.html`).*\n",
        left_out, kGitHubCommentLimit);
  }
  return md + env;
}

}  // namespace claimcheck::report
