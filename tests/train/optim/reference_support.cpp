#include "reference_support.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <algorithm>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <stdexcept>

namespace claimcheck::train::optim::testing {
namespace {

const nlohmann::json& reference() {
  static const nlohmann::json kReference = [] {
    const std::string path =
        std::string(CLAIMCHECK_SOURCE_DIR) + "/tests/train/optim/reference/optim_reference.json";
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path);
    return nlohmann::json::parse(in);
  }();
  return kReference;
}

std::string scientific(double x) {
  std::ostringstream out;
  out << std::scientific << std::setprecision(2) << x;
  return out.str();
}

std::string shape_of(const torch::Tensor& t) {
  std::ostringstream out;
  out << t.sizes();
  return out.str();
}

}  // namespace

const nlohmann::json& reference_case(const std::string& name) {
  for (const auto& c : reference().at("cases")) {
    if (c.at("name") == name) return c;
  }
  throw std::invalid_argument("no reference case '" + name + "' in optim_reference.json");
}

std::vector<std::string> reference_case_names() {
  std::vector<std::string> names;
  for (const auto& c : reference().at("cases"))
    names.push_back(c.at("name").get<std::string>());
  return names;
}

torch::Tensor to_tensor(const nlohmann::json& value, torch::Dtype dtype) {
  const auto shape = value.at("shape").get<std::vector<std::int64_t>>();
  const auto data = value.at("data").get<std::vector<double>>();
  return torch::tensor(data, torch::kFloat64).reshape(shape).to(dtype);
}

std::vector<torch::Tensor> to_tensors(const nlohmann::json& list, torch::Dtype dtype) {
  std::vector<torch::Tensor> out;
  for (const auto& value : list)
    out.push_back(to_tensor(value, dtype));
  return out;
}

::testing::AssertionResult AllClose(const torch::Tensor& actual, const torch::Tensor& expected,
                                    double atol, double rtol) {
  if (!actual.sizes().equals(expected.sizes())) {
    return ::testing::AssertionFailure()
           << "shape " << shape_of(actual) << " != expected " << shape_of(expected);
  }
  const torch::Tensor a = actual.detach().to(torch::kFloat64).reshape(-1);
  const torch::Tensor e = expected.detach().to(torch::kFloat64).reshape(-1);
  const torch::Tensor excess = (a - e).abs() - (atol + rtol * e.abs());
  const torch::Tensor bad = torch::nonzero((excess > 0).logical_or(a.isnan())).reshape(-1);
  if (bad.numel() == 0) return ::testing::AssertionSuccess();
  auto failure = ::testing::AssertionFailure();
  failure << bad.numel() << " of " << a.numel() << " elements differ (atol " << atol << ", rtol "
          << rtol << "); worst excess " << excess.max().item<double>() << ";";
  for (std::int64_t k = 0; k < std::min<std::int64_t>(bad.numel(), 4); ++k) {
    const auto i = bad[k].item<std::int64_t>();
    failure << " [" << i << "] " << a[i].item<double>() << " vs " << e[i].item<double>();
  }
  return failure;
}

torch::Tensor ReferenceProblem::loss() const {
  torch::Tensor total = torch::full({}, offset, params.front().options().requires_grad(false));
  for (std::size_t k = 0; k < params.size(); ++k) {
    const torch::Tensor r = torch::matmul(a[k], params[k]) - b[k];
    total = total + 0.5 * r.square().sum();
  }
  return total;
}

torch::Tensor ReferenceProblem::loss_at(std::size_t step) const {
  torch::Tensor total = loss();
  for (std::size_t k = 0; k < params.size(); ++k)
    total = total + (c.at(step).at(k) * params[k]).sum();
  return total;
}

ReferenceProblem load_problem(const nlohmann::json& reference, torch::Dtype dtype) {
  ReferenceProblem problem;
  for (const auto& value : reference.at("params")) {
    problem.params.push_back(to_tensor(value, dtype).requires_grad_(true));
  }
  problem.a = to_tensors(reference.at("A"), dtype);
  problem.b = to_tensors(reference.at("B"), dtype);
  for (const auto& step : reference.at("C"))
    problem.c.push_back(to_tensors(step, dtype));
  problem.offset = reference.at("offset").get<double>();
  const auto& groups = reference.at("groups");
  const auto fill = [&](const char* name, std::vector<torch::Tensor>& into) {
    for (const auto& index : groups.at(name))
      into.push_back(problem.params.at(index.get<std::size_t>()));
  };
  fill("matrices", problem.groups.matrices);
  fill("embeddings", problem.groups.embeddings);
  fill("head", problem.groups.head);
  fill("vectors", problem.groups.vectors);
  return problem;
}

std::unique_ptr<Optimizer> make_reference_optimizer(const nlohmann::json& reference,
                                                    const ReferenceProblem& problem) {
  const OptimizerSpec spec{reference.at("type").get<std::string>(), reference.at("options")};
  at::Generator init = cpu_generator(0);
  return make_optimizer(spec, reference.at("lr").get<double>(), problem.groups, init);
}

::testing::AssertionResult FollowsReference(const nlohmann::json& reference,
                                            ReferenceProblem& problem, Optimizer& optimizer,
                                            Tolerance tolerance) {
  const auto& expected = reference.at("expected");
  const auto& losses = reference.at("losses");
  const torch::Dtype dtype = problem.params.front().scalar_type();
  double worst_abs = 0.0;    // the largest |param − reference| seen
  double worst_share = 0.0;  // the largest |param − reference| / (atol + rtol·|reference|)
  for (std::size_t step = 0; step < expected.size(); ++step) {
    optimizer.zero_grad();
    const torch::Tensor loss = problem.loss_at(step);
    loss.backward();
    const torch::Tensor ref_loss = torch::tensor(losses.at(step).get<double>(), torch::kFloat64);
    const auto loss_ok = AllClose(loss, ref_loss, tolerance.atol, tolerance.rtol);
    if (!loss_ok)
      return ::testing::AssertionFailure()
             << "loss before step " << step + 1 << ": " << loss_ok.message();
    optimizer.step(loss.detach());
    const auto want = to_tensors(expected.at(step), torch::kFloat64);
    for (std::size_t k = 0; k < problem.params.size(); ++k) {
      const torch::Tensor diff = (problem.params[k].detach().to(torch::kFloat64) - want[k]).abs();
      worst_abs = std::max(worst_abs, diff.max().item<double>());
      worst_share =
          std::max(worst_share,
                   (diff / (tolerance.atol + tolerance.rtol * want[k].abs())).max().item<double>());
      const auto ok = AllClose(problem.params[k], want[k], tolerance.atol, tolerance.rtol);
      if (!ok) {
        return ::testing::AssertionFailure()
               << reference.at("name").get<std::string>() << ": parameter " << k << " after step "
               << step + 1 << ": " << ok.message();
      }
    }
  }
  // The observed error, in the test report (RecordProperty has no double overload).
  const std::string key = reference.at("name").get<std::string>() +
                          (dtype == torch::kFloat64 ? ".float64" : ".float32");
  ::testing::Test::RecordProperty(key + ".max_abs_error", scientific(worst_abs));
  ::testing::Test::RecordProperty(key + ".share_of_tolerance", scientific(worst_share));
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult StepsBitIdentically(Optimizer& optimizer,
                                               const std::vector<torch::Tensor>& ours,
                                               torch::optim::Optimizer& reference,
                                               const std::vector<torch::Tensor>& theirs, int steps,
                                               at::Generator& g) {
  for (int step = 0; step < steps; ++step) {
    optimizer.zero_grad();
    reference.zero_grad();
    for (std::size_t k = 0; k < theirs.size(); ++k) {
      const torch::Tensor grad = torch::randn(theirs[k].sizes(), g);
      ours[k].mutable_grad() = grad.clone();
      theirs[k].mutable_grad() = grad.clone();
    }
    optimizer.step(torch::zeros({}));
    reference.step();
    for (std::size_t k = 0; k < theirs.size(); ++k) {
      if (!torch::equal(ours[k], theirs[k]))
        return ::testing::AssertionFailure() << "step " << step << " param " << k << " differs";
    }
  }
  return ::testing::AssertionSuccess();
}

at::Generator cpu_generator(std::uint64_t seed) {
  return at::make_generator<at::CPUGeneratorImpl>(seed);
}

}  // namespace claimcheck::train::optim::testing
