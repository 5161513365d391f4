// The run record: one line of a run store, made here for the executor and read back by everything
// else. The strict check here is what every reader applies, so a hand-edited, truncated or
// foreign line is named (file, line, key) instead of being half-used.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "harness/claims/planner.h"
#include "harness/train/task.h"

namespace claimcheck::claims {

/// The record format this version writes and reads. A record of another format stops the
/// reader (it cannot know what the fields mean); it is never silently skipped.
inline constexpr int kRunRecordFormat = 1;

/// The record of a finished run: `run`'s identity and config, what training gave (`out`; a
/// non-finite metric, which JSON cannot hold, as null), its wall time, the environment
/// fingerprint, and `artifacts` (name -> {file, checksum}; left out when empty).
nlohmann::json make_run_record(const RunSpec& run, const train::RunOutput& out, double wall_seconds,
                               const nlohmann::json& fingerprint, const nlohmann::json& artifacts);

/// What is wrong with a record, as "key: what" (empty when it is valid): format, key (16 lower
/// hex digits), claim, arm, role (replicate|trial), index (>= 0), config (object), metrics
/// (object of numbers or null), diverged (bool), steps and parameters (integers >= 0),
/// wall_seconds (finite >= 0), fingerprint (object).
std::string run_record_problem(const nlohmann::json& record);

/// Whether the record carries a format number other than kRunRecordFormat.
bool has_foreign_format(const nlohmann::json& record);

}  // namespace claimcheck::claims
