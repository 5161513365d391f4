// The fuzzed entry points: each takes arbitrary bytes, feeds them to one reader of untrusted
// input (spec parser, IDX reader, text corpus, run store, baseline) and checks what the reader
// promises about its result. Shared by the libFuzzer targets (fuzz/<name>_fuzz.cpp, clang with
// ASan/UBSan) and the replay test (tests/fuzz/replay_test.cpp, the normal GCC build), so a
// committed crash input is re-checked by exactly the code that found it.
//
// Contract of every entry point: it returns kAccepted or kRejected (the reader threw one of its
// documented, typed errors). Anything else is a finding: a crash or sanitizer report, an
// exception of another type (std::out_of_range, nlohmann::json::type_error, c10::Error,
// std::bad_alloc, ...), or InvariantBroken when a reader accepted input but broke a promise
// about its result. Not a fuzzing framework: no mutators, no dictionaries.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace claimcheck::fuzz {

/// What a reader did with one input.
enum class Outcome { kAccepted, kRejected };

/// A reader accepted an input but its result breaks a documented promise.
class InvariantBroken : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

/// `claims::parse_claim(json::parse(bytes), "fuzz.json")`; rejected: JSON errors of the parse,
/// SpecError. An accepted spec must round-trip: parse_claim(to_json(spec)) gives the same JSON.
Outcome spec(const std::uint8_t* data, std::size_t size);

/// `data::read_idx(file, rank)` for rank 1 and 3; rejected: std::runtime_error. An accepted
/// array has `rank` dimensions whose product is its byte count.
Outcome idx(const std::uint8_t* data, std::size_t size);

/// `data::TextCorpus(bytes)` and `TextCorpus::from_file(file)`; rejected: std::invalid_argument,
/// std::runtime_error. Encode/decode round-trips; evaluation windows have the asked-for shape.
Outcome text_corpus(const std::uint8_t* data, std::size_t size);

/// `claims::RunStore(file)`; rejected: std::runtime_error (a record of another format). Every
/// loaded record passes run_record_problem(), keys are unique and found by at().
Outcome run_store(const std::uint8_t* data, std::size_t size);

/// `claims::read_baseline(file)`; rejected: std::runtime_error. An accepted baseline compares
/// with itself (compare_with_baseline) without error and with outcome "pass".
Outcome baseline(const std::uint8_t* data, std::size_t size);

/// One fuzzed entry point: its name (fuzz/corpus/<name>, fuzz/crashes/<name>) and function.
struct Target {
  std::string name;
  Outcome (*run)(const std::uint8_t* data, std::size_t size);
};

/// Every entry point above, by name.
const std::vector<Target>& targets();

}  // namespace claimcheck::fuzz
