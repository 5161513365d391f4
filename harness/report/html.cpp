#include "harness/report/html.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "harness/report/format.h"
#include "harness/report/markdown.h"
#include "harness/report/svg_plots.h"
#include "harness/report/table.h"

namespace claimcheck::report {
namespace {

// Colours are variables so the inline SVG follows light and dark mode; the verdict colours
// keep a 4.5:1 contrast against either background (WCAG AA for text).
constexpr const char* kStyle = R"(
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #ffffff;
  --grid: #d1d9e0; --band: rgba(154, 103, 0, 0.16); --accent: #0969da; --trial: #8250df;
  --supported: #1a7f37; --refuted: #cf222e; --inconclusive: #7d4e00; --baseline: #59636e;
  --source: #bc4c00; --code-bg: #f6f8fa; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --grid: #30363d;
    --band: rgba(210, 153, 34, 0.22); --accent: #4493f8; --trial: #ab7df8; --supported: #3fb950;
    --refuted: #f85149; --inconclusive: #d29922; --baseline: #9198a1; --source: #f0883e;
    --code-bg: #161b22; } }
body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg);
  background: var(--bg); margin: 24px auto; max-width: 1280px; padding: 0 16px; }
h1 { font-size: 20px; } h2 { font-size: 18px; border-bottom: 1px solid var(--grid);
  padding-bottom: 4px; margin-top: 32px; } h3 { font-size: 15px; }
.verdict-line { font-size: 16px; } .muted { color: var(--muted); }
table { border-collapse: collapse; margin: 8px 0; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid var(--grid); padding: 3px 8px; text-align: left; }
code, pre { background: var(--code-bg); border-radius: 4px; padding: 1px 4px;
  font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; }
pre { padding: 8px; overflow-x: auto; }
td.verdict-supported, text.verdict-supported { color: var(--supported); fill: var(--supported); }
td.verdict-refuted, text.verdict-refuted { color: var(--refuted); fill: var(--refuted); }
td.verdict-inconclusive, text.verdict-inconclusive { color: var(--inconclusive);
  fill: var(--inconclusive); }
svg.plot { width: 100%; max-width: 900px; height: auto; display: block; margin: 8px 0; }
svg text { font: 11px system-ui, sans-serif; fill: var(--fg); stroke: none; }
svg text.tick, svg text.legend { fill: var(--muted); }
svg text.axis-label { font-weight: 600; }
svg .grid { stroke: var(--grid); stroke-width: 1; }
svg .axis { stroke: var(--muted); stroke-width: 1; }
svg .zero { stroke: var(--fg); stroke-width: 1.2; stroke-dasharray: 4 3; }
svg .band { fill: var(--band); }
svg .claimed-side { fill: var(--accent); fill-opacity: 0.35; }
svg .bound { stroke: var(--fg); stroke-width: 2; }
svg line.ci { stroke-width: 3; stroke-linecap: round; }
svg .verdict-supported { stroke: var(--supported); fill: var(--supported); }
svg .verdict-refuted { stroke: var(--refuted); fill: var(--refuted); }
svg .verdict-inconclusive { stroke: var(--inconclusive); fill: var(--inconclusive); }
svg .baseline-ci { stroke: var(--baseline); stroke-width: 1.5; stroke-dasharray: 3 2; }
svg .baseline-point { fill: var(--bg); stroke: var(--baseline); stroke-width: 1.5; }
svg .mark-source { fill: var(--source); }
svg .mark-replication { stroke: var(--fg); stroke-width: 1; }
svg .replication-decisive { fill: var(--fg); }
svg .replication-fragile, svg .replication-unknown { fill: var(--bg); }
svg text.value, svg text.label { stroke: none; }
svg .mark-run { fill: var(--accent); fill-opacity: 0.65; }
svg .mark-run.role-trial { fill: var(--trial); }
svg .mark-run.diverged { fill: var(--refuted); }
td code { white-space: nowrap; }
.table-wrap { overflow-x: auto; max-width: 100%; }
.table-wrap table { margin: 0; }
.table-wrap td { vertical-align: top; }
.hypotheses td:nth-child(2) { min-width: 15em; }
.hypotheses td:nth-child(3) { min-width: 8em; }
.hypotheses td:last-child { min-width: 9em; }
.hypotheses td:first-child code { white-space: normal; overflow-wrap: anywhere; }
.hypotheses td:nth-child(4), .hypotheses td:nth-child(5) { white-space: nowrap; }
td.verdict-pass { color: var(--supported); }
td.verdict-regressed, td.verdict-incomplete, td.verdict-stale, td.verdict-no-baseline {
  color: var(--refuted); }
td.verdict-improved { color: var(--accent); }
.badge { display: inline-block; border-radius: 4px; padding: 0 6px; font-weight: 700;
  color: #ffffff; }
.badge-pass { background: #1a7f37; } .badge-fail { background: #cf222e; }
svg .mean { stroke: var(--fg); stroke-width: 2; }
)";

std::string page(const std::string& title, const std::string& body) {
  // The empty data: icon keeps the browser from asking the network for /favicon.ico.
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<link rel=\"icon\" href=\"data:,\">\n<title>" +
         html_escape(title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n" + body +
         "</body>\n</html>\n";
}

std::string anchor(const SuiteEntry& e) {
  return e.claim + "--" + e.profile;
}

Table summary_table(const Suite& suite) {
  Table t;
  t.header = {"claim", "profile", "outcome", "hypotheses", "moved against the baseline"};
  for (const auto& e : suite.entries)
    t.rows.push_back({{e.claim, CellStyle::kCode},
                      {e.profile},
                      {e.outcome(), CellStyle::kBold},
                      {decided_text(e)},
                      {moved_text(e, 1000)}});
  for (const auto& n : suite.not_defined)
    t.rows.push_back({{n.claim, CellStyle::kCode},
                      {n.profile},
                      {"no " + n.profile + " profile"},
                      {"—"},
                      {"not run: " + not_defined_text(n)}});
  return t;
}

std::string claim_section(const SuiteEntry& e, bool link_files) {
  std::string html = fmt::format("<section id=\"{}\">\n<h2><code>{}</code> ({}): {}</h2>\n",
                                 html_escape(anchor(e)), html_escape(e.claim),
                                 html_escape(e.profile), html_escape(e.outcome()));
  if (e.report.is_null()) {
    return html + "<p><strong>Missing runs:</strong> " + code_spans_html(e.missing) +
           "</p>\n</section>\n";
  }
  const nlohmann::json& a = e.report.at("analysis");
  html += "<p class=\"muted\">" + html_escape(a.at("title").get<std::string>()) + "</p>\n";
  if (link_files && !e.files.empty()) {
    html += fmt::format(
        "<p class=\"muted\">Files: <code>{0}/report.md</code>, <code>{0}/report.json</code>, "
        "<code>{0}/report.html</code></p>\n",
        html_escape(e.files));
  }
  html += "<h3>Hypotheses</h3>\n" + forest_plot_svg(e.report, e.baseline, e.units) +
          "<div class=\"table-wrap hypotheses\">" + to_html(hypotheses_table(e.report, e.suite_q)) +
          "</div>\n";
  // What the table's stars and "(report-only)" mean, as the Markdown report says it.
  for (const auto& [key, heading] :
       {std::pair<std::string, std::string>{"note", "* notes"},
        {"report_only",
         "Report-only in this profile (decided and shown, never gating across environments)"}}) {
    const auto texts = hypothesis_texts(a, key);
    if (texts.empty()) continue;
    html += "<p class=\"notes\">" + html_escape(heading) + ":</p>\n<ul class=\"notes\">\n";
    for (const auto& [id, text] : texts)
      html += "<li><code>" + html_escape(id) + "</code>: " + code_spans_html(text) + "</li>\n";
    html += "</ul>\n";
  }
  const nlohmann::json& cmp = e.report.at("comparison");
  if (!cmp.at("messages").empty()) {
    html += "<h3>What moved</h3>\n<ul>\n";
    for (const auto& m : cmp.at("messages"))
      html += "<li>" + html_escape(m.get<std::string>()) + "</li>\n";
    html += "</ul>\n";
  }
  const std::string environments = baseline_environment_text(e.report);
  if (!environments.empty())
    html += "<p class=\"environments\">" + code_spans_html(environments) + "</p>\n";
  if (cmp.contains("gate")) {
    const nlohmann::json& gate = cmp["gate"];
    html += "<p class=\"gate\">" + html_escape(gate.value("replication", "")) + " " +
            html_escape(gate.value("rule", "")) + "</p>\n";
  }
  if (e.outcome() != "pass") {
    html += "<p>If this change is intended: <code>" + html_escape(bless_command(e.report)) +
            "</code> and commit <code>" + html_escape(baseline_commit_path(e.report)) +
            "</code>.</p>\n";
  }
  html +=
      "<h3>Runs per arm</h3>\n" + strip_plot_svg(e.report, e.units) + to_html(arms_table(e.report));
  const Table source_max = source_max_table(e.report);
  if (!source_max.rows.empty()) {
    html += "<h3>The source's own statistic (reported, not decided)</h3>\n" + to_html(source_max);
  }
  return html + "</section>\n";
}

std::string environment_html(const nlohmann::json& fingerprint) {
  return "<details><summary>Environment: " + html_escape(environment_line(fingerprint)) +
         "</summary>\n<pre>" + html_escape(fingerprint.dump(2)) + "</pre>\n</details>\n";
}

// The verdict line as HTML: its leading emoji as a badge (headless and some desktop browsers
// lack an emoji font), Markdown's **bold** as <strong>.
std::string verdict_html(std::string line) {
  std::string badge;
  for (const auto& [emoji, html] :
       {std::pair<std::string, std::string>{"✅ ", "<span class=\"badge badge-pass\">PASS</span> "},
        {"❌ ", "<span class=\"badge badge-fail\">FAIL</span> "}}) {
    if (line.rfind(emoji, 0) == 0) {
      badge = html;
      line = line.substr(emoji.size());
    }
  }
  std::string out = badge + html_escape(line);
  for (bool open = true;; open = !open) {
    const auto at = out.find("**");
    if (at == std::string::npos) break;
    out.replace(at, 2, open ? "<strong>" : "</strong>");
  }
  return out;
}

}  // namespace

std::string suite_html(const Suite& suite) {
  std::string body = "<h1>claimcheck suite report</h1>\n<p class=\"verdict-line\">" +
                     verdict_html(verdict_line(suite)) + "</p>\n";
  Table t = summary_table(suite);
  std::string table = to_html(t);
  // Link each claim to its section (the claim cell is the first <code> of its row).
  for (const auto& e : suite.entries) {
    const std::string cell =
        "<td><code>" + html_escape(e.claim) + "</code></td><td>" + html_escape(e.profile) + "</td>";
    const auto at = table.find(cell);
    if (at != std::string::npos) {
      table.replace(at, cell.size(),
                    "<td><a href=\"#" + html_escape(anchor(e)) + "\"><code>" +
                        html_escape(e.claim) + "</code></a></td><td>" + html_escape(e.profile) +
                        "</td>");
    }
  }
  body += table;
  if (suite.counts.hypotheses > 0) {
    body += fmt::format(
        "<p class=\"muted\">Report-level multiplicity: Benjamini–Hochberg across all {} "
        "hypotheses: {} have q ≤ {:g}. Each claim's table shows the BH q beside its Holm p.</p>\n",
        suite.counts.hypotheses, suite.counts.discoveries, suite.alpha);
  }
  for (const auto& e : suite.entries)
    body += claim_section(e, /*link_files=*/true);
  body += "<h2>Environment</h2>\n";
  std::vector<nlohmann::json> seen;
  for (const auto& e : suite.entries) {
    if (e.report.is_null()) continue;
    const nlohmann::json& fp = e.report.at("analysis").at("fingerprint");
    if (std::find(seen.begin(), seen.end(), fp) != seen.end()) continue;
    seen.push_back(fp);
    body += environment_html(fp);
  }
  std::string stores;
  for (const auto& s : suite.stores)
    stores += (stores.empty() ? "<code>" : ", <code>") + html_escape(s) + "</code>";
  body += "<p class=\"muted\">Stores: " + stores + "</p>\n";
  return page("claimcheck suite report", body);
}

std::string claim_html(const SuiteEntry& entry) {
  std::string body = claim_section(entry, /*link_files=*/false);
  if (!entry.report.is_null())
    body += environment_html(entry.report.at("analysis").at("fingerprint"));
  return page("claimcheck: " + entry.claim + " (" + entry.profile + ")", body);
}

}  // namespace claimcheck::report
