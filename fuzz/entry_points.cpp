// The fuzzed entry points (see entry_points.h): bytes in, one reader called, its typed errors
// turned into kRejected, its promises about an accepted result checked.
#include "fuzz/entry_points.h"

#include <unistd.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <set>

#include "harness/claims/analysis.h"
#include "harness/claims/baseline.h"
#include "harness/claims/json_reader.h"
#include "harness/claims/run_record.h"
#include "harness/claims/run_store.h"
#include "harness/claims/spec.h"
#include "harness/data/idx.h"
#include "harness/data/text_corpus.h"
#include "harness/stats/rng.h"

namespace claimcheck::fuzz {
namespace fs = std::filesystem;
namespace {

void require(bool ok, const std::string& what) {
  if (!ok) throw InvariantBroken(what);
}

// One scratch file per process and reader, rewritten for every input, removed at exit. The
// readers take paths, not bytes; the PID keeps parallel fuzzers (-jobs) apart.
class ScratchFile {
 public:
  explicit ScratchFile(const std::string& tag)
      : path_(fs::temp_directory_path() /
              ("claimcheck-fuzz-" + std::to_string(::getpid()) + "-" + tag)) {}
  ~ScratchFile() {
    std::error_code ignored;
    fs::remove(path_, ignored);
  }
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;

  // Writes the bytes and returns the path.
  const fs::path& write(const std::uint8_t* data, std::size_t size) {
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    out.close();
    if (!out) throw std::logic_error("cannot write the fuzz scratch file " + path_.string());
    return path_;
  }

 private:
  fs::path path_;
};

std::string as_string(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// A real analysis (the committed smoke baseline of the first claim) to compare fuzzed
// baselines against, as `claimcheck run` compares a fresh analysis with the stored one.
const nlohmann::json& reference_analysis() {
  static const nlohmann::json analysis = claims::read_baseline(
      fs::path(CLAIMCHECK_SOURCE_DIR) / "baselines" / "geglu-vs-relu-mnist" / "smoke.json");
  return analysis;
}

// Windows of the corpus: counts and context sizes from two input bytes, then the batch.
void check_windows(const data::TextCorpus& corpus, data::TextSplit split, std::uint8_t a,
                   std::uint8_t b) {
  const std::int64_t count = 1 + a % 8;
  const std::int64_t context = 1 + b % 64;
  std::vector<std::int64_t> starts;
  try {
    starts = corpus.evaluation_starts(split, count, context);
  } catch (const std::invalid_argument&) {
    return;  // the split is too short for this context: a documented refusal
  }
  require(static_cast<std::int64_t>(starts.size()) == count, "evaluation_starts: wrong count");
  const data::TextBatch batch = corpus.batch_at(split, starts, context);
  require(batch.inputs.size(0) == count && batch.inputs.size(1) == context &&
              batch.targets.sizes() == batch.inputs.sizes(),
          "batch_at: windows of the wrong shape");
  stats::Rng rng(a);
  const data::TextBatch sampled = corpus.sample_batch(split, count, context, rng);
  require(sampled.inputs.sizes() == batch.inputs.sizes(), "sample_batch: wrong shape");
}

}  // namespace

Outcome spec(const std::uint8_t* data, std::size_t size) {
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(data, data + size);
  } catch (const nlohmann::json::exception&) {
    return Outcome::kRejected;  // not JSON (parse_error, or out_of_range 406: number overflow)
  }
  claims::ClaimSpec parsed;
  try {
    parsed = claims::parse_claim(json, "fuzz.json");
  } catch (const claims::SpecError&) {
    return Outcome::kRejected;
  }
  // spec.h: to_json(spec) round-trips through parse_claim.
  const nlohmann::json written = claims::to_json(parsed);
  claims::ClaimSpec again;
  try {
    again = claims::parse_claim(written, "fuzz.json");
  } catch (const claims::SpecError& e) {
    throw InvariantBroken(std::string("to_json(spec) does not parse again: ") + e.what());
  }
  require(claims::to_json(again) == written, "to_json(parse_claim(to_json(spec))) differs");
  for (const auto& [name, profile] : parsed.profiles)
    require(!claims::spec_hash(parsed, name).empty(), "empty spec hash");
  return Outcome::kAccepted;
}

Outcome idx(const std::uint8_t* data, std::size_t size) {
  static ScratchFile scratch("idx");
  const fs::path& file = scratch.write(data, size);
  Outcome outcome = Outcome::kRejected;
  for (const int rank : {1, 3}) {
    try {
      const data::IdxArray array = data::read_idx(file, rank);
      require(static_cast<int>(array.dims.size()) == rank, "read_idx: wrong number of dims");
      std::size_t count = 1;
      for (const std::int64_t d : array.dims) {
        require(d > 0 && static_cast<std::size_t>(d) <= array.bytes.size(),
                "read_idx: a dimension exceeds the data");
        count *= static_cast<std::size_t>(d);
        require(count <= array.bytes.size(), "read_idx: dimensions exceed the data");
      }
      require(count == array.bytes.size(), "read_idx: dims do not multiply to the byte count");
      outcome = Outcome::kAccepted;
    } catch (const std::runtime_error&) {
      // the documented refusal: the message names the file and the defect
    }
  }
  return outcome;
}

Outcome text_corpus(const std::uint8_t* data, std::size_t size) {
  static ScratchFile scratch("text");
  const std::string text = as_string(data, size);
  const data::TextCorpus corpus(text);
  require(corpus.decode(corpus.encode(text)) == text, "decode(encode(text)) != text");
  const std::int64_t n = corpus.tokens(data::TextSplit::kTrain).size(0) +
                         corpus.tokens(data::TextSplit::kValidation).size(0);
  require(n == static_cast<std::int64_t>(size), "the splits do not hold the whole text");
  const std::uint8_t a = size > 0 ? data[0] : 0;
  const std::uint8_t b = size > 1 ? data[1] : 0;
  check_windows(corpus, data::TextSplit::kTrain, a, b);
  check_windows(corpus, data::TextSplit::kValidation, b, a);
  try {
    const data::TextCorpus from_file =
        data::TextCorpus::from_file(scratch.write(data, size), /*train_fraction=*/0.5);
    require(from_file.vocab() == corpus.vocab(), "from_file: another vocabulary");
  } catch (const std::runtime_error&) {
    return Outcome::kRejected;  // under 1,000 bytes
  }
  return Outcome::kAccepted;
}

Outcome run_store(const std::uint8_t* data, std::size_t size) {
  static ScratchFile scratch("store.jsonl");
  const fs::path& file = scratch.write(data, size);
  try {
    const claims::RunStore store(file);
    std::set<std::string> keys;
    for (const auto& record : store.records()) {
      require(claims::run_record_problem(record).empty(), "a loaded record is invalid");
      require(record.at("format") == claims::kRunRecordFormat, "a record of another format");
      const std::string key = record.at("key").get<std::string>();
      require(keys.insert(key).second, "a key loaded twice");
      require(store.contains(key) && &store.at(key) == &record, "at(key) is another record");
      require(!store.location(key).empty(), "no location");
    }
    require(claims::merge_stores({file}) == store.records(), "merge_stores differs");
  } catch (const std::runtime_error&) {
    return Outcome::kRejected;  // a record of another format stops the reader
  }
  return Outcome::kAccepted;
}

Outcome baseline(const std::uint8_t* data, std::size_t size) {
  static ScratchFile scratch("baseline.json");
  const nlohmann::json& analysis = reference_analysis();
  nlohmann::json read;
  try {
    read = claims::read_baseline(scratch.write(data, size));
  } catch (const std::runtime_error&) {
    return Outcome::kRejected;
  }
  require(read.at("format") == claims::kAnalysisFormat, "a baseline of another format");
  // What `claimcheck run` does with an accepted baseline: compare a fresh analysis with it.
  const claims::Comparison c = claims::compare_with_baseline(analysis, read);
  require(!claims::to_json(c).dump().empty(), "empty comparison");
  return Outcome::kAccepted;
}

const std::vector<Target>& targets() {
  static const std::vector<Target> all = {{"spec", spec},
                                          {"idx", idx},
                                          {"text_corpus", text_corpus},
                                          {"run_store", run_store},
                                          {"baseline", baseline}};
  return all;
}

}  // namespace claimcheck::fuzz
