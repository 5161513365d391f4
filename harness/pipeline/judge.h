// What every judging command (run, analyze, bless, report) shares once a profile's plan and its
// records are in hand: analyzing them, comparing with the baseline, writing report.json and
// report.md, and the messages that name the store and the command that fixes it.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include "harness/claims/analysis.h"
#include "harness/claims/baseline.h"
#include "harness/claims/planner.h"
#include "harness/claims/run_store.h"
#include "harness/pipeline/executor.h"
#include "harness/pipeline/paths.h"

namespace claimcheck::pipeline {

/// Prints the store's load warnings to `err`.
void warn_store(const claims::RunStore& store, std::ostream& err);

/// Reads a run's predictions from its artifact under the store (and Paths::artifact_dirs); the
/// error for a missing or damaged one names the run and the command that retrains it.
std::function<claims::LoadedPredictions(const claims::RunSpec&, const nlohmann::json&)>
prediction_loader(const Paths& paths, const std::string& claim, const std::string& profile);

/// The store directory that holds most of `runs` by `origin` (run key -> store directory): the
/// one a bless or analyze hint and the report files name; `first` when none holds any.
std::filesystem::path store_of(const std::vector<claims::RunSpec>& runs,
                               const std::map<std::string, std::filesystem::path>& origin,
                               const std::filesystem::path& first);

/// Writes a report file whole; a failed write is an error, not a silently missing report.
void write_text(const std::filesystem::path& file, const std::string& text);

/// The execution summary of an analysis that trained nothing.
ExecuteSummary all_from_store(std::size_t runs);

/// What finish_claim decided: the outcome and the report written to report.json.
struct ClaimResult {
  claims::Outcome outcome;
  nlohmann::json report;
};

/// Analyze `plan` + compare + write report.json/report.md; prints the Markdown to `out`.
/// Throws claims::MissingRuns when runs are missing.
ClaimResult finish_claim(const Paths& paths, const claims::ProfilePlan& plan,
                         const std::map<std::string, nlohmann::json>& records,
                         const ExecuteSummary& execution, std::ostream& out, std::ostream& err);

/// finish_claim on one store's records; a non-finite metric is reported with the store line of
/// the offending run (file:line).
ClaimResult judge_store(const Paths& paths, const claims::ProfilePlan& plan,
                        const claims::RunStore& store, const ExecuteSummary& execution,
                        std::ostream& out, std::ostream& err);

/// The message for runs a judging command needs but the store lacks, with the command that
/// trains them.
std::string missing_runs_message(const Paths& paths, const claims::MissingRuns& missing);

}  // namespace claimcheck::pipeline
