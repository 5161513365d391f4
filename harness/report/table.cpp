#include "harness/report/table.h"

#include <fmt/format.h>

#include <algorithm>

#include "harness/report/format.h"

namespace claimcheck::report {

std::string to_markdown(const Table& table) {
  std::string md = "|";
  for (const auto& h : table.header)
    md += " " + markdown_escape(h) + " |";
  md += "\n|";
  for (std::size_t i = 0; i < table.header.size(); ++i)
    md += "---|";
  md += "\n";
  for (const auto& row : table.rows) {
    md += "|";
    for (const auto& cell : row) {
      const std::string text = markdown_escape(cell.text);
      switch (cell.style) {
        case CellStyle::kCode:
          md += " `" + cell.text + "` |";  // code spans render | and < literally
          break;
        case CellStyle::kBold:
          md += " **" + text + "** |";
          break;
        default:
          md += " " + text + " |";
      }
    }
    md += "\n";
  }
  return md;
}

std::string to_html(const Table& table) {
  std::string html = "<table>\n<thead><tr>";
  for (const auto& h : table.header)
    html += "<th>" + html_escape(h) + "</th>";
  html += "</tr></thead>\n<tbody>\n";
  for (const auto& row : table.rows) {
    html += "<tr>";
    for (const auto& cell : row) {
      const std::string text = html_escape(cell.text);
      switch (cell.style) {
        case CellStyle::kCode:
          html += "<td><code>" + text + "</code></td>";
          break;
        case CellStyle::kBold: {
          // "inconclusive*" (a note explains the star) keeps its verdict's colour.
          std::string verdict = cell.text;
          while (!verdict.empty() && verdict.back() == '*')
            verdict.pop_back();
          html += "<td class=\"verdict-" + html_escape(verdict) + "\"><strong>" + text +
                  "</strong></td>";
          break;
        }
        default:
          html += "<td>" + code_spans_html(cell.text) + "</td>";
      }
    }
    html += "</tr>\n";
  }
  return html + "</tbody>\n</table>\n";
}

Table hypotheses_table(const nlohmann::json& report, const std::map<std::string, double>& suite_q) {
  const nlohmann::json& a = report.at("analysis");
  const nlohmann::json& cmp = report.at("comparison");
  const std::string outcome = cmp.at("outcome");
  Table t;
  t.header = {"hypothesis",
              "claim",
              "design",
              "effect",
              fmt::format("{:g}% CI (BCa)", 100.0 * (1.0 - a.at("alpha").get<double>())),
              "source",
              "Holm p"};
  if (!suite_q.empty()) t.header.push_back("BH q (suite)");
  for (const char* h : {"power", "verdict", "replication", "baseline", "outcome"})
    t.header.push_back(h);
  for (const auto& h : a.at("hypotheses")) {
    const std::string id = h.at("id");
    std::string baseline = "—";
    std::string hyp_outcome = outcome == "no-baseline" ? "no baseline" : "—";
    for (const auto& c : cmp.at("hypotheses")) {
      if (c.at("id") == id) {
        baseline = c.at("baseline_verdict");
        hyp_outcome = c.at("outcome");
        if (c.value("within_noise", false)) hyp_outcome += " (moved within noise)";
        if (!c.value("gated", true)) hyp_outcome += " (report-only)";
      }
    }
    std::string verdict = h.at("verdict");
    if (!h.value("note", "").empty()) verdict += "*";
    std::vector<Cell> row = {
        {id, CellStyle::kCode},
        {claim_text(h) + " (" + h.at("metric").get<std::string>() + ")"},
        {design_text(h)},
        {signed_num(h.at("estimate"))},
        {fmt::format("[{}, {}]", signed_num(h.at("ci").at("lo")), signed_num(h.at("ci").at("hi")))},
        {h.contains("source_effect") ? signed_num(h.at("source_effect")) : "—"},
        {p_text(h.at("holm_p"))}};
    if (!suite_q.empty()) {
      const auto q = suite_q.find(id);
      row.push_back({q == suite_q.end() ? "—" : p_text(q->second)});
    }
    row.push_back({h.contains("power") && h.at("power").is_number()
                       ? fmt::format("{:.2f}", h.at("power").get<double>())
                       : "—"});
    row.push_back({verdict, CellStyle::kBold});
    row.push_back({replication_text(h)});
    row.push_back({baseline});
    row.push_back({hyp_outcome});
    t.rows.push_back(std::move(row));
  }
  return t;
}

Table arms_table(const nlohmann::json& report) {
  const nlohmann::json& arms = report.at("analysis").at("arms");
  // Prediction-difference claims: each PD measure gets a column, and every other metric of the
  // arm is shown beside it (a near-unigram model has trivially low PD).
  std::vector<std::string> measures;
  for (const auto& s : arms) {
    const nlohmann::json pd = s.value("pd", nlohmann::json::object());
    for (const auto& item : pd.items()) {
      if (std::find(measures.begin(), measures.end(), item.key()) == measures.end())
        measures.push_back(item.key());
    }
  }
  Table t;
  t.header = {"arm", "parameters", "metric", "replicates: mean ± sd"};
  for (const auto& m : measures)
    t.header.push_back("PD (" + m + ")");
  if (!measures.empty()) t.header.push_back("other metrics (means)");
  for (const std::string h : {"source", "search trials: best", "diverged"})
    t.header.push_back(h);
  for (const auto& s : arms) {
    const int reps = s.at("replicates");
    const int trials = s.at("trials");
    std::vector<Cell> row = {
        {s.at("name").get<std::string>()},
        {std::to_string(s.value("parameters", 0))},
        {s.at("metric").get<std::string>()},
        {reps > 0 ? fmt::format("{}: {:.4f} ± {:.4f}", reps, s.at("mean").get<double>(),
                                s.at("sd").get<double>())
                  : "—"}};
    for (const auto& m : measures) {
      const nlohmann::json pd = s.value("pd", nlohmann::json::object());
      row.push_back({pd.contains(m) ? fmt::format("{:.4f}", pd[m].get<double>()) : "—"});
    }
    if (!measures.empty()) {
      std::string others;
      const nlohmann::json means = s.value("metric_means", nlohmann::json::object());
      for (const auto& item : means.items()) {
        if (item.key() == s.at("metric")) continue;
        others += fmt::format("{}{} {:.4f}", others.empty() ? "" : ", ", item.key(),
                              item.value().get<double>());
      }
      row.push_back({others.empty() ? "—" : others});
    }
    row.push_back({s.contains("source_value")
                       ? fmt::format("{:.3f}", s.at("source_value").get<double>())
                       : "—"});
    row.push_back(
        {trials > 0 ? fmt::format("{}: {:.4f}", trials, s.at("best_trial").get<double>()) : "—"});
    row.push_back({std::to_string(s.at("diverged").get<int>())});
    t.rows.push_back(row);
  }
  return t;
}

Table source_max_table(const nlohmann::json& report) {
  Table t;
  t.header = {"arm", "k", "max of k", "95% percentile CI"};
  for (const auto& m : report.at("analysis").value("source_bootstrap_of_max", nlohmann::json())) {
    t.rows.push_back({{m.at("arm").get<std::string>()},
                      {std::to_string(m.at("k").get<int>())},
                      {fmt::format("{:.4f}", m.at("observed_max").get<double>())},
                      {fmt::format("[{:.4f}, {:.4f}]", m.at("ci").at("lo").get<double>(),
                                   m.at("ci").at("hi").get<double>())}});
  }
  return t;
}

}  // namespace claimcheck::report
