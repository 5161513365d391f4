// The data directory is one variable, read the same way everywhere; missing data names setup.
#include "harness/env/data_dir.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>

namespace claimcheck::env {
namespace {

// Sets an environment variable for one scope and restores it afterwards.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value == nullptr) {
      unsetenv(name);
    } else {
      setenv(name, value, /*overwrite=*/1);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      setenv(name_.c_str(), old_->c_str(), /*overwrite=*/1);
    } else {
      unsetenv(name_.c_str());
    }
  }

 private:
  std::string name_;
  std::optional<std::string> old_;
};

TEST(DataDir, ExplicitVariableWins) {
  ScopedEnv data("CLAIMCHECK_DATA", "/some/where");
  EXPECT_EQ(data_dir(), std::filesystem::path("/some/where"));
}

TEST(DataDir, DefaultsToXdgCacheThenHome) {
  ScopedEnv data("CLAIMCHECK_DATA", nullptr);
  {
    ScopedEnv xdg("XDG_CACHE_HOME", "/xdg");
    EXPECT_EQ(data_dir(), std::filesystem::path("/xdg/claimcheck/data"));
  }
  ScopedEnv xdg("XDG_CACHE_HOME", nullptr);
  ScopedEnv home("HOME", "/home/u");
  EXPECT_EQ(data_dir(), std::filesystem::path("/home/u/.cache/claimcheck/data"));
}

TEST(DataDir, MissingDatasetNamesTheSetupCommand) {
  ScopedEnv data("CLAIMCHECK_DATA", "/nonexistent/claimcheck-data");
  EXPECT_FALSE(dataset_status("mnist").found);
  try {
    require_dataset("mnist");
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("bash ci/setup.sh"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("/nonexistent/claimcheck-data/mnist"), std::string::npos);
  }
  EXPECT_THROW(dataset_status("cifar"), std::invalid_argument);
}

TEST(DataDir, SetupProvidedEveryDataset) {
  // After `bash ci/setup.sh` all known data sets are in place (Fashion-MNIST via its package).
  for (const auto& name : known_datasets()) {
    const DatasetStatus status = dataset_status(name);
    EXPECT_TRUE(status.found) << name << ": " << status.detail << " at " << status.path;
  }
}

}  // namespace
}  // namespace claimcheck::env
