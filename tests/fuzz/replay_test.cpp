// Replays every committed fuzz input (fuzz/corpus/<target>/ seeds and fuzz/crashes/<target>/
// inputs that once crashed, hung or broke an invariant) through the fuzz targets' own entry
// points (fuzz/entry_points.h), in the normal build: each must be accepted or rejected with a
// documented error. Fuzzing itself needs clang and runs outside the default tests (fuzz/README.md).
#include "fuzz/entry_points.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace claimcheck::fuzz {

// Test names and failure messages show the target's name (found by ADL, so not in the unnamed
// namespace), not its bytes.
void PrintTo(const Target& target, std::ostream* os) {
  *os << target.name;
}

namespace {
namespace fs = std::filesystem;

std::vector<std::uint8_t> read_bytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The committed inputs of a target, seeds first, in name order (reproducible output).
std::vector<fs::path> committed_inputs(const std::string& target) {
  std::vector<fs::path> files;
  for (const char* kind : {"corpus", "crashes"}) {
    const fs::path dir = fs::path(CLAIMCHECK_SOURCE_DIR) / "fuzz" / kind / target;
    if (!fs::is_directory(dir)) continue;
    std::vector<fs::path> here;
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.is_regular_file()) here.push_back(entry.path());
    }
    std::sort(here.begin(), here.end());
    files.insert(files.end(), here.begin(), here.end());
  }
  return files;
}

class FuzzReplay : public ::testing::TestWithParam<Target> {};

TEST_P(FuzzReplay, CommittedInputsAreAcceptedOrRejectedCleanly) {
  const Target& target = GetParam();
  const std::vector<fs::path> inputs = committed_inputs(target.name);
  ASSERT_FALSE(inputs.empty()) << "no seed corpus in fuzz/corpus/" << target.name;
  int accepted = 0;
  int rejected = 0;
  for (const fs::path& file : inputs) {
    const std::vector<std::uint8_t> bytes = read_bytes(file);
    try {
      (target.run(bytes.data(), bytes.size()) == Outcome::kAccepted ? accepted : rejected) += 1;
    } catch (const std::exception& e) {
      ADD_FAILURE() << file << ": unexpected exception: " << e.what();
    }
  }
  RecordProperty("accepted", std::to_string(accepted));
  RecordProperty("rejected", std::to_string(rejected));
  // Seeds are real files (specs, stores, baselines, IDX, text): the reader must take some.
  EXPECT_GT(accepted, 0) << "no committed input of " << target.name << " is accepted";
}

std::string camel_case(const ::testing::TestParamInfo<Target>& info) {
  std::string out;
  bool upper = true;
  for (const char c : info.param.name) {
    if (c == '_') {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(Targets, FuzzReplay, ::testing::ValuesIn(targets()), camel_case);

}  // namespace
}  // namespace claimcheck::fuzz
