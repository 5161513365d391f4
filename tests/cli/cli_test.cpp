// The CLI in-process: usage errors exit 2 with a usage line; help exits 0; env prints JSON.
#include "harness/cli/cli.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sstream>

namespace claimcheck::cli {
namespace {

struct CliResult {
  int code;
  std::string out;
  std::string err;
};

CliResult run(const std::vector<std::string>& args) {
  std::ostringstream out;
  std::ostringstream err;
  const int code = run_cli(args, out, err);
  return {code, out.str(), err.str()};
}

TEST(Cli, NoSubcommandIsAUsageError) {
  const CliResult r = run({});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("usage: claimcheck"), std::string::npos) << r.err;
}

TEST(Cli, UnknownSubcommandIsAUsageError) {
  const CliResult r = run({"frobnicate"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("usage:"), std::string::npos) << r.err;
}

TEST(Cli, MissingRequiredOptionIsAUsageError) {
  const CliResult r = run({"run", "geglu-vs-relu-mnist"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("--profile"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("usage: claimcheck run <claim>|--all"), std::string::npos) << r.err;
}

TEST(Cli, BadOptionValueIsAUsageError) {
  EXPECT_EQ(run({"run", "x", "--profile", "smoke", "--device", "tpu"}).code, kExitUsage);
  EXPECT_EQ(run({"run", "x", "--profile", "smoke", "--seeds", "-3"}).code, kExitUsage);
  EXPECT_EQ(run({"report", "--store", "s", "--format", "pdf"}).code, kExitUsage);
  EXPECT_EQ(run({"env", "--bogus"}).code, kExitUsage);
  EXPECT_EQ(run({"analyze"}).code, kExitUsage);
}

TEST(Cli, HelpExitsZero) {
  const CliResult r = run({"--help"});
  EXPECT_EQ(r.code, kExitOk);
  for (const char* sub : {"list", "run", "analyze", "bless", "report", "env"}) {
    EXPECT_NE(r.out.find(sub), std::string::npos) << sub;
  }
}

TEST(Cli, EnvPrintsFingerprintAndDatasets) {
  const CliResult r = run({"env"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(j.contains("libtorch"));
  EXPECT_TRUE(j["datasets"].contains("mnist"));
  EXPECT_TRUE(j["datasets"]["tinyshakespeare"].contains("found"));
}

}  // namespace
}  // namespace claimcheck::cli
