// The run record: one line of a run store, written by the executor and read back by everything
// else. The strict check here is what every reader applies, so a hand-edited, truncated or
// foreign line is named (file, line, key) instead of being half-used.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace claimcheck::claims {

/// The record format this version writes and reads. A record of another format stops the
/// reader (it cannot know what the fields mean); it is never silently skipped.
inline constexpr int kRunRecordFormat = 1;

/// What is wrong with a record, as "key: what" (empty when it is valid): format, key (16 lower
/// hex digits), claim, arm, role (replicate|trial), index (>= 0), config (object), metrics
/// (object of numbers or null), diverged (bool), steps and parameters (integers >= 0),
/// wall_seconds (finite >= 0), fingerprint (object).
std::string run_record_problem(const nlohmann::json& record);

/// Whether the record carries a format number other than kRunRecordFormat.
bool has_foreign_format(const nlohmann::json& record);

}  // namespace claimcheck::claims
