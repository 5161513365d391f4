#include "harness/base/files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace claimcheck::base {
namespace {
namespace fs = std::filesystem;

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("claimcheck_files_test_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

TEST(Files, WriteThenReadRoundTripsBytes) {
  const fs::path file = scratch("roundtrip") / "f.bin";
  const std::string bytes("a\0b\nc", 5);
  write_file_atomically(file, bytes, "the test file");
  EXPECT_EQ(read_file(file).value(), bytes);
  EXPECT_FALSE(fs::exists(file.string() + ".tmp"));
}

TEST(Files, ReplacesAnOldFileWhole) {
  const fs::path file = scratch("replace") / "f.txt";
  write_file_atomically(file, "old contents, longer", "the test file");
  write_file_atomically(file, "new", "the test file");
  EXPECT_EQ(read_file(file).value(), "new");
}

TEST(Files, AFailedWriteNamesTheFileAndKeepsTheOldOne) {
  const fs::path dir = scratch("fail");
  const fs::path file = dir / "f.txt";
  write_file_atomically(file, "kept", "the test file");
  fs::create_directories(file.string() + ".tmp");  // the temporary cannot be opened as a file
  try {
    write_file_atomically(file, "lost", "the test file");
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("f.txt.tmp: cannot write the test file"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(read_file(file).value(), "kept");
}

TEST(Files, ReadOfAMissingFileIsNullopt) {
  EXPECT_FALSE(read_file(scratch("missing") / "nope").has_value());
}

}  // namespace
}  // namespace claimcheck::base
