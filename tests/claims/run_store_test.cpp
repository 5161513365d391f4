// The run store on crafted files: round trip, a torn last line (a crash mid-write), a corrupt
// middle line, duplicates, concurrent writers (threads and processes), and merging shards.
#include "harness/claims/run_store.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <unistd.h>
#include <csignal>

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "claims_test_support.h"
#include "harness/claims/run_record.h"

namespace claimcheck::claims {
namespace {
using json = nlohmann::json;
namespace fs = std::filesystem;

// A valid run record (run_record.h) whose key is 16 hex digits made from `name` (k1 ->
// 00000000000000k1 is not hex, so names map through a hash-free table of their own bytes).
std::string hex_key(const std::string& name) {
  std::string hex;
  for (const unsigned char c : name) {
    static const char* kDigits = "0123456789abcdef";
    hex += kDigits[c >> 4];
    hex += kDigits[c & 15];
  }
  return std::string(16 - std::min<std::size_t>(16, hex.size()), '0') + hex.substr(0, 16);
}

json record(const std::string& name, double accuracy, const std::string& padding = "") {
  json r = {{"format", kRunRecordFormat},
            {"key", hex_key(name)},
            {"claim", "tiny"},
            {"arm", "relu"},
            {"role", "replicate"},
            {"index", 0},
            {"config", json::object()},
            {"metrics", {{"test_accuracy", accuracy}}},
            {"diverged", false},
            {"steps", 10},
            {"parameters", 100},
            {"wall_seconds", 0.5},
            {"fingerprint", json::object()}};
  if (!padding.empty()) r["padding"] = padding;
  return r;
}

TEST(RunStore, MissingFileIsAnEmptyStoreAndReadingCreatesNothing) {
  const fs::path file = test::scratch_dir("store_missing") / "a" / "b" / "claim.jsonl";
  const RunStore store(file);
  EXPECT_TRUE(store.records().empty());
  EXPECT_TRUE(store.warnings().empty());
  EXPECT_FALSE(fs::exists(file.parent_path().parent_path())) << "a reader creates no directory";
  EXPECT_FALSE(store.contains(hex_key("k1")));
  EXPECT_TRUE(test::ThrowsWith<std::out_of_range>(
      [&] { store.at(hex_key("k1")); }, {file.string(), "no run with key " + hex_key("k1")}));
}

TEST(RunStore, AppendThenReloadRoundTripsInFileOrderAndNeedsAKey) {
  const fs::path file = test::scratch_dir("store_roundtrip") / "claim.jsonl";
  // 0.1 + 0.2 has no short decimal form: the line must keep all 17 digits to reload exactly.
  const std::vector<json> written = {record("k1", 0.1 + 0.2), record("k2", 0.5),
                                     record("k3", 1.0 / 3.0)};
  {
    RunStore store(file);
    for (const auto& r : written)
      store.append(r);
    EXPECT_EQ(store.records(), written);
    EXPECT_TRUE(store.contains(hex_key("k2")));
  }
  const std::vector<std::string> lines = test::lines_of(file);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1], written[1].dump());
  const RunStore reloaded(file);
  EXPECT_EQ(reloaded.records(), written);
  EXPECT_EQ(reloaded.at(hex_key("k3")), written[2]);
  EXPECT_TRUE(reloaded.warnings().empty());

  RunStore rejecting(file.parent_path() / "other.jsonl");
  EXPECT_THROW(rejecting.append({{"arm", "relu"}}), std::invalid_argument);
  json no_format = record("k4", 0.4);
  no_format.erase("format");
  EXPECT_TRUE(test::ThrowsWith<std::invalid_argument>([&] { rejecting.append(no_format); },
                                                      {"not a valid run record: format"}));
  EXPECT_FALSE(fs::exists(rejecting.file())) << "nothing written for an invalid record";
}

TEST(RunStore, TornLastLineIsSkippedAndTheNextAppendStartsAFreshLine) {
  const fs::path file = test::scratch_dir("store_torn") / "claim.jsonl";
  const std::string torn = R"({"key":"k3","arm":"relu","metr)";  // a crash mid-write
  test::write_text(file, record("k1", 0.1).dump() + "\n" + record("k2", 0.2).dump() + "\n" + torn);

  RunStore store(file);
  ASSERT_EQ(store.records().size(), 2u);
  ASSERT_EQ(store.warnings().size(), 1u);
  EXPECT_TRUE(test::ContainsAll(store.warnings()[0], {file.string() + ":3: torn last line"}));

  store.append(record("k3", 0.3));
  const std::vector<std::string> lines = test::lines_of(file);
  ASSERT_EQ(lines.size(), 4u) << test::read_text(file);
  EXPECT_EQ(lines[0], record("k1", 0.1).dump());
  EXPECT_EQ(lines[1], record("k2", 0.2).dump());
  EXPECT_EQ(lines[2], torn) << "the fragment stays a line of its own, unaltered";
  EXPECT_EQ(lines[3], record("k3", 0.3).dump());
  EXPECT_EQ(test::read_text(file).back(), '\n');

  const RunStore reloaded(file);
  EXPECT_EQ(reloaded.records(),
            (std::vector<json>{record("k1", 0.1), record("k2", 0.2), record("k3", 0.3)}));
  ASSERT_EQ(reloaded.warnings().size(), 1u);
  EXPECT_TRUE(test::ContainsAll(reloaded.warnings()[0], {file.string() + ":3: not valid JSON"}));
}

TEST(RunStore, CorruptMiddleLinesAreSkippedWithTheirLineNumbers) {
  const fs::path file = test::scratch_dir("store_corrupt") / "claim.jsonl";
  json nan_metric = record("k5", 0.5);
  nan_metric["metrics"]["test_accuracy"] = "NaN";
  json bad_role = record("k6", 0.6);
  bad_role["role"] = "seed";
  json no_fingerprint = record("k7", 0.7);
  no_fingerprint.erase("fingerprint");
  test::write_text(file, record("k1", 0.1).dump() + "\n" + "<<<<<<< HEAD\n" + "\n" +
                             R"({"arm":"relu"})" + "\n" + R"({"key":5})" + "\n" + "[1,2]\n" +
                             nan_metric.dump() + "\n" + bad_role.dump() + "\n" +
                             no_fingerprint.dump() + "\n" + record("k2", 0.2).dump() + "\n");
  const RunStore store(file);
  EXPECT_EQ(store.records(), (std::vector<json>{record("k1", 0.1), record("k2", 0.2)}));
  ASSERT_EQ(store.warnings().size(), 7u) << "the empty line 3 is not a warning";
  EXPECT_TRUE(test::ContainsAll(store.warnings()[0], {file.string() + ":2: not valid JSON"}));
  EXPECT_TRUE(test::ContainsAll(store.warnings()[1], {":4: format: missing"}));
  EXPECT_TRUE(test::ContainsAll(store.warnings()[2], {":5: format: missing"}));
  EXPECT_TRUE(test::ContainsAll(store.warnings()[3], {":6: the record: is not a JSON object"}));
  EXPECT_TRUE(test::ContainsAll(store.warnings()[4], {":7: metrics.test_accuracy: must be a number",
                                                      "its run will be trained again"}));
  EXPECT_TRUE(test::ContainsAll(store.warnings()[5], {":8: role: must be"}));
  EXPECT_TRUE(test::ContainsAll(store.warnings()[6], {":9: fingerprint: missing"}));
  EXPECT_EQ(store.location(hex_key("k2")), file.string() + ":10");
}

TEST(RunStore, ARecordOfAnotherFormatStopsTheReaderNamingFileAndLine) {
  const fs::path file = test::scratch_dir("store_format") / "claim.jsonl";
  json future = record("k2", 0.2);
  future["format"] = kRunRecordFormat + 1;
  test::write_text(file, record("k1", 0.1).dump() + "\n" + future.dump() + "\n");
  EXPECT_TRUE(test::ThrowsWith<std::runtime_error>(
      [&] { RunStore store(file); },
      {file.string() + ":2: a run record of format " + std::to_string(kRunRecordFormat + 1),
       "this claimcheck reads format " + std::to_string(kRunRecordFormat)}));
}

TEST(StoreWriterLock, ASecondWriterIsRefusedNamingTheHolder) {
  const fs::path file = test::scratch_dir("store_lock") / "sub" / "claim.jsonl";
  {
    const StoreWriterLock first(file);
    EXPECT_TRUE(fs::exists(file.string() + ".lock"));
    EXPECT_TRUE(
        test::ThrowsWith<StoreBusy>([&] { StoreWriterLock second(file); },
                                    {file.string(), "another claimcheck is writing this store",
                                     "PID " + std::to_string(::getpid()), "use another --store"}));
  }
  EXPECT_NO_THROW(StoreWriterLock again(file)) << "released when the holder goes away";
}

TEST(StoreWriterLock, HeldByAnotherProcessUntilItDies) {
  const fs::path file = test::scratch_dir("store_lock_process") / "claim.jsonl";
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    try {
      const StoreWriterLock held(file);
      (void)!write(ready[1], "x", 1);
      pause();  // hold it until killed
    } catch (...) {
    }
    _exit(1);
  }
  char c = 0;
  ASSERT_EQ(read(ready[0], &c, 1), 1);
  EXPECT_TRUE(test::ThrowsWith<StoreBusy>([&] { StoreWriterLock mine(file); },
                                          {"PID " + std::to_string(child)}));
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  EXPECT_NO_THROW(StoreWriterLock mine(file)) << "the kernel drops a dead holder's lock";
  close(ready[0]);
  close(ready[1]);
}

TEST(RunStore, ARunTrainedAgainSupersedesItsEarlierRecordAndReloadSeesOtherWriters) {
  const fs::path file = test::scratch_dir("store_duplicates") / "claim.jsonl";
  test::write_text(file, record("k1", 0.1).dump() + "\n" + record("k2", 0.2).dump() + "\n" +
                             record("k1", 0.9).dump() + "\n");
  RunStore store(file);
  // k1 was trained again (e.g. its artifact was damaged): the later record stands, in k1's place.
  EXPECT_EQ(store.records(), (std::vector<json>{record("k1", 0.9), record("k2", 0.2)}));
  EXPECT_EQ(store.location(hex_key("k1")), file.string() + ":3");
  store.append(record("k2", 0.8));
  EXPECT_EQ(store.at(hex_key("k2")), record("k2", 0.8));
  EXPECT_EQ(test::lines_of(file).size(), 4u) << "nothing is ever removed from the file";
  EXPECT_EQ(RunStore(file).records(), store.records());

  // Another store object's append is seen after reload() (e.g. another process's runs).
  RunStore writer(file);
  writer.append(record("k3", 0.3));
  EXPECT_FALSE(store.contains(hex_key("k3")));
  store.reload();
  EXPECT_TRUE(store.contains(hex_key("k3")));
}

// Checks that `file` holds exactly `expected` lines, each a whole record, all keys distinct.
::testing::AssertionResult HoldsWholeDistinctLines(const fs::path& file, std::size_t expected) {
  const std::string text = test::read_text(file);
  if (text.empty() || text.back() != '\n') {
    return ::testing::AssertionFailure() << "the file does not end with a newline";
  }
  const std::vector<std::string> lines = test::lines_of(file);
  if (lines.size() != expected) {
    return ::testing::AssertionFailure() << lines.size() << " lines, expected " << expected;
  }
  std::set<std::string> keys;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const json r = json::parse(lines[i], nullptr, /*allow_exceptions=*/false);
    if (r.is_discarded() || !r.contains("key")) {
      return ::testing::AssertionFailure()
             << "line " << i + 1 << " is not a whole record: " << lines[i].substr(0, 80);
    }
    keys.insert(r["key"].get<std::string>());
  }
  if (keys.size() != expected) {
    return ::testing::AssertionFailure() << keys.size() << " distinct keys, expected " << expected;
  }
  const RunStore store(file);
  if (store.records().size() != expected || !store.warnings().empty()) {
    return ::testing::AssertionFailure() << "reload: " << store.records().size() << " records, "
                                         << store.warnings().size() << " warnings";
  }
  return ::testing::AssertionSuccess();
}

// Records of 64 KiB: far above PIPE_BUF (4 KiB) and a page, so a write that is not under the
// lock would be split and interleave with another writer's.
const std::string kPadding(64 * 1024, 'x');

TEST(RunStore, ConcurrentThreadAppendsNeverInterleave) {
  const fs::path file = test::scratch_dir("store_threads") / "claim.jsonl";
  constexpr int kThreads = 8;
  constexpr int kPerThread = 25;
  RunStore shared(file);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Half the threads share one store object, half have their own (as separate ctest
      // processes would): both must serialise.
      RunStore own(file);
      RunStore& store = t % 2 == 0 ? shared : own;
      for (int i = 0; i < kPerThread; ++i) {
        store.append(record("t" + std::to_string(t) + "-" + std::to_string(i), i, kPadding));
      }
    });
  }
  for (auto& t : threads)
    t.join();
  EXPECT_TRUE(HoldsWholeDistinctLines(file, kThreads * kPerThread));
  EXPECT_EQ(shared.records().size(), static_cast<std::size_t>(kThreads / 2 * kPerThread))
      << "a store object knows what it appended itself";
}

TEST(RunStore, ConcurrentProcessAppendsNeverInterleave) {
  const fs::path file = test::scratch_dir("store_processes") / "claim.jsonl";
  constexpr int kProcesses = 3;
  constexpr int kPerProcess = 40;
  std::vector<pid_t> children;
  for (int p = 0; p < kProcesses; ++p) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0) << "fork failed";
    if (pid == 0) {
      int status = 0;
      try {
        RunStore store(file);
        for (int i = 0; i < kPerProcess; ++i) {
          store.append(record("p" + std::to_string(p) + "-" + std::to_string(i), i, kPadding));
        }
      } catch (...) {
        status = 1;
      }
      _exit(status);  // no gtest teardown in the child
    }
    children.push_back(pid);
  }
  for (const pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "a child failed to append";
  }
  EXPECT_TRUE(HoldsWholeDistinctLines(file, kProcesses * kPerProcess));
}

TEST(MergeStores, ConcatenatesShardsAndKeepsTheFirstRecordPerKey) {
  const fs::path dir = test::scratch_dir("store_merge");
  {
    RunStore s0(dir / "shard0.jsonl");
    s0.append(record("k1", 0.1));
    s0.append(record("k2", 0.2));
    RunStore s1(dir / "shard1.jsonl");
    s1.append(record("k2", 0.7));  // the same run, trained twice (e.g. a shard re-run)
    s1.append(record("k3", 0.3));
  }
  test::write_text(dir / "shard2.jsonl", "not json\n" + record("k4", 0.4).dump() + "\n");
  const std::vector<json> merged =
      merge_stores({dir / "shard0.jsonl", dir / "shard1.jsonl", dir / "shard2.jsonl"});
  EXPECT_EQ(merged, (std::vector<json>{record("k1", 0.1), record("k2", 0.2), record("k3", 0.3),
                                       record("k4", 0.4)}));
  EXPECT_TRUE(merge_stores({}).empty());
}

}  // namespace
}  // namespace claimcheck::claims
