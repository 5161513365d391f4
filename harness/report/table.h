// The tables of a claim report as data, rendered to Markdown (PR comment, job summary) or HTML
// (the self-contained report page), so both formats show the same rows and the same numbers.
// Builders read one report JSON (harness/pipeline/judge.h: finish_claim); no I/O.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace claimcheck::report {

/// How a cell is set: plain text, `code` (identifiers) or **bold** (the verdict).
enum class CellStyle { kPlain, kCode, kBold };

/// One cell: plain text (renderers escape it) and its style.
struct Cell {
  std::string text;
  CellStyle style = CellStyle::kPlain;
};

/// A table: a header row and rows of cells (every row as wide as the header).
struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<Cell>> rows;
};

/// A GitHub-flavoured Markdown table (pipes escaped, a trailing newline).
std::string to_markdown(const Table& table);

/// An HTML <table> (text escaped).
std::string to_html(const Table& table);

/// Per hypothesis: id, claim, design, effect, CI, source, Holm p, [suite BH q], power, verdict,
/// baseline verdict, outcome. `suite_q` (hypothesis id -> BH q over the suite) adds a column.
Table hypotheses_table(const nlohmann::json& report,
                       const std::map<std::string, double>& suite_q = {});

/// Per arm: parameters, metric, replicates mean ± sd, source value, search trials, diverged.
Table arms_table(const nlohmann::json& report);

/// The source's own statistic (bootstrap of the max of k trials); no rows when it has none.
Table source_max_table(const nlohmann::json& report);

}  // namespace claimcheck::report
