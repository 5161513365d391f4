// Text shared by every report format (Markdown, HTML, the suite): numbers, p-values, the claim
// as an inequality, the units of a metric, and the escaping rules of Markdown and HTML. Pure
// functions of the report JSON (see harness/pipeline/judge.h: finish_claim); no I/O.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

namespace claimcheck::report {

/// "+0.0123" (four decimals, explicit sign): effects are differences, their sign is the news.
std::string signed_num(double x);

/// "0.0123", or "<0.0001" below that (more digits would claim a precision the test lacks).
std::string p_text(double p);

/// The claim as an inequality on the contrast of one hypothesis (analysis JSON), e.g.
/// "geglu-8 − relu-8 > 0" or "|geglu-8 − relu-16| < 0.005". Plain text (not escaped).
std::string claim_text(const nlohmann::json& hypothesis);

/// "paired, n=16" or "best of k=8, 24 trials".
std::string design_text(const nlohmann::json& hypothesis);

/// A metric with its unit as the task declares it, e.g. "test_accuracy (fraction)"; the name
/// alone when the unit is unknown.
std::string metric_label(const std::string& metric, const std::string& unit);

/// Escapes text for a Markdown table cell: | and newlines, and < where it would open an HTML tag.
std::string markdown_escape(const std::string& text);

/// Escapes text for HTML element content and attribute values (& < > " ').
std::string html_escape(const std::string& text);

/// Escapes text for HTML and sets its Markdown `code` spans as <code>.
std::string code_spans_html(const std::string& text);

/// A hypothesis's replication probability (claims/replication.h) as a table cell: "0.97
/// decisive", "0.62 fragile", ">0.99 decisive"; "—" when it has none.
std::string replication_text(const nlohmann::json& hypothesis);

/// (hypothesis id, text) of every hypothesis of an analysis JSON that has `key` non-empty: its
/// "note" (why a verdict carries a star: Holm, sequential, underpowered, degenerate) or its
/// "report_only" reason.
std::vector<std::pair<std::string, std::string>> hypothesis_texts(const nlohmann::json& analysis,
                                                                  const std::string& key);

/// The first 7 characters of a git commit, "unknown" when absent.
std::string short_commit(const nlohmann::json& fingerprint);

/// One line naming an environment: "LibTorch 1.13.0, cpu, OpenBLAS, gcc 12.2.0, commit 9f83a34".
std::string environment_line(const nlohmann::json& fingerprint);

/// "Baseline from <env>, runs on <env>: ..." saying whether the runs had to reproduce the
/// baseline exactly or were compared statistically, and when a CUDA run fell back to the CPU
/// baseline; empty when the report has no baseline comparison. Plain text (`code` spans).
std::string baseline_environment_text(const nlohmann::json& report);

/// The baseline file to commit after bless, relative to the checkout: "baselines/<claim>/<file>".
std::string baseline_commit_path(const nlohmann::json& report);

}  // namespace claimcheck::report
