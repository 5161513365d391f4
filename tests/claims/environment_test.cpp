// "The same environment" of a baseline comparison (environment.h), on hand-written fingerprints:
// an old CPU fingerprint stays one environment with a new one of the same machine, a CPU run on
// a GPU host is not a CUDA run, every CUDA field and determinism flag separates environments,
// exact reproduction needs determinism on both sides, and a mixed analysis is no environment.
#include "harness/claims/environment.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "claims_test_support.h"

namespace claimcheck::claims {
namespace {
using json = nlohmann::json;

// A fingerprint as written before the device and determinism fields (a Debian 1.13 CPU build).
json old_cpu_fingerprint() {
  return {{"libtorch", "2.13.0"},
          {"cpu", "Intel(R) Xeon(R) Processor"},
          {"cuda", {{"available", true}, {"device_count", 1}, {"version", "12.8"}}},
          {"blas", {{"name", "unknown"}, {"loaded", "unknown"}, {"build_setting", "mkl"}}}};
}

// The same host as a CUDA run's fingerprint (env::fingerprint(cuda device)).
json cuda_fingerprint() {
  json f = test::as_cuda_fingerprint(old_cpu_fingerprint());
  f["cuda"]["device_name"] = "NVIDIA H200";
  f["cuda"]["compute_capability"] = "9.0";
  return f;
}

TEST(EnvironmentOf, AnOldCpuFingerprintIsTheNewOneOfTheSameMachine) {
  json now = old_cpu_fingerprint();
  now["device"] = {{"type", "cpu"}, {"name", now["cpu"]}};
  now["blas"]["name"] = "MKL (linked into LibTorch)";
  json flags = test::cuda_determinism();
  flags["allow_tf32_cudnn"] = true;  // LibTorch's CPU defaults: no CUDA flag steers a CPU kernel
  now["determinism"] = flags;
  const Environment before = environment_of(old_cpu_fingerprint(), "cpu");
  const Environment after = environment_of(now, "cpu");
  EXPECT_TRUE(same_environment(before, after)) << before.key.dump() << "\n" << after.key.dump();
  EXPECT_TRUE(exact_reproduction_required(before, after)) << "CPU runs are deterministic";
  EXPECT_EQ(after.description,
            "LibTorch 2.13.0, cpu (Intel(R) Xeon(R) Processor), MKL (linked into LibTorch)");
}

TEST(EnvironmentOf, CpuRunsOnAGpuHostAreNotCudaRuns) {
  // The defect: a baseline blessed with --device cpu on a GPU host compared "exactly" with a
  // CUDA run. The runs' device is part of the environment, from the fingerprint or the config.
  json cpu_run = cuda_fingerprint();
  cpu_run["device"] = {{"type", "cpu"}, {"name", cpu_run["cpu"]}};
  cpu_run["blas"] = old_cpu_fingerprint()["blas"];
  const Environment cpu = environment_of(cpu_run, "cpu");
  const Environment cuda = environment_of(cuda_fingerprint(), "cuda");
  EXPECT_FALSE(same_environment(cpu, cuda));
  EXPECT_FALSE(exact_reproduction_required(cuda, cpu));
  // A fingerprint without its device field: the runs' config decides.
  EXPECT_FALSE(same_environment(environment_of(old_cpu_fingerprint(), "cpu"),
                                environment_of(old_cpu_fingerprint(), "cuda")));
  EXPECT_EQ(cuda.description,
            "LibTorch 2.13.0, cuda (NVIDIA H200, compute capability 9.0), CUDA 12.8, cuDNN "
            "9.10.2, deterministic");
}

TEST(EnvironmentOf, EveryCudaFieldAndFlagSeparatesEnvironments) {
  const Environment base = environment_of(cuda_fingerprint(), "cuda");
  ASSERT_TRUE(base.deterministic);
  EXPECT_TRUE(exact_reproduction_required(base, environment_of(cuda_fingerprint(), "cuda")));
  const std::vector<std::pair<std::string, std::function<void(json&)>>> changes = {
      {"CUDA runtime", [](json& f) { f["cuda"]["version"] = "13.0"; }},
      {"cuDNN", [](json& f) { f["cuda"]["cudnn"] = "9.1.0"; }},
      {"device model", [](json& f) { f["device"]["name"] = "NVIDIA A100-SXM4-80GB"; }},
      {"compute capability", [](json& f) { f["device"]["compute_capability"] = "8.0"; }},
      {"LibTorch", [](json& f) { f["libtorch"] = "2.14.1"; }},
      {"CPU", [](json& f) { f["cpu"] = "AMD EPYC 9654"; }},
      {"TF32 on", [](json& f) { f["determinism"]["allow_tf32_cudnn"] = true; }},
      {"benchmark on", [](json& f) { f["determinism"]["cudnn_benchmark"] = true; }},
      {"no determinism recorded", [](json& f) { f.erase("determinism"); }},
  };
  for (const auto& [what, change] : changes) {
    json f = cuda_fingerprint();
    change(f);
    const Environment other = environment_of(f, "cuda");
    EXPECT_FALSE(same_environment(base, other)) << what;
    EXPECT_FALSE(exact_reproduction_required(base, other)) << what;
  }
}

TEST(EnvironmentOf, OneNondeterministicEnvironmentIsComparedStatistically) {
  json f = cuda_fingerprint();
  f["determinism"]["deterministic_algorithms"] = false;
  f["determinism"]["cuda_deterministic"] = false;
  const Environment a = environment_of(f, "cuda");
  EXPECT_FALSE(a.deterministic);
  EXPECT_TRUE(same_environment(a, environment_of(f, "cuda")));
  EXPECT_FALSE(exact_reproduction_required(a, environment_of(f, "cuda")));
  EXPECT_NE(a.description.find("not deterministic"), std::string::npos) << a.description;
  // A CUDA fingerprint from before the settings were recorded cannot promise determinism.
  json old = cuda_fingerprint();
  old.erase("determinism");
  EXPECT_FALSE(environment_of(old, "cuda").deterministic);
}

TEST(AnalysisEnvironment, SeveralEnvironmentsAreNotOne) {
  EnvironmentTally tally;
  json other = old_cpu_fingerprint();
  other["cpu"] = "AMD EPYC 9654";
  tally.add(old_cpu_fingerprint(), "cpu");
  tally.add(old_cpu_fingerprint(), "cpu");
  tally.add(other, "cpu");
  const json listed = tally.to_json();
  ASSERT_EQ(listed.size(), 2u) << listed.dump();
  EXPECT_EQ(listed[0]["runs"], 2);
  EXPECT_EQ(listed[1]["runs"], 1);

  const json analysis = {{"fingerprint", old_cpu_fingerprint()}, {"environments", listed}};
  const Environment mixed = analysis_environment(analysis);
  EXPECT_TRUE(mixed.mixed);
  EXPECT_FALSE(same_environment(mixed, mixed)) << "not even with itself";
  EXPECT_FALSE(exact_reproduction_required(mixed, environment_of(old_cpu_fingerprint(), "cpu")));
  EXPECT_EQ(mixed.description,
            "2 environments: LibTorch 2.13.0, cpu (Intel(R) Xeon(R) Processor), unknown (2 runs); "
            "LibTorch 2.13.0, cpu (AMD EPYC 9654), unknown (1 run)");
}

TEST(AnalysisEnvironment, OneEnvironmentIsTheFingerprintsOnTheRunsDevice) {
  const json runs = {{"k1", {{"config", {{"device", "cuda"}}}}}};
  const json analysis = {{"fingerprint", old_cpu_fingerprint()}, {"runs", runs}};
  const Environment e = analysis_environment(analysis);
  EXPECT_FALSE(e.mixed);
  EXPECT_EQ(e.key["device"], "cuda") << "an old fingerprint: the runs' config names the device";
  EXPECT_EQ(analysis_environment(json::object()).description, "unknown environment");
  EXPECT_FALSE(
      same_environment(analysis_environment(json::object()), analysis_environment(json::object())));
}

}  // namespace
}  // namespace claimcheck::claims
