#include "harness/train/ensemble/classifier.h"

#include <torch/torch.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <stdexcept>

#include "harness/env/generator.h"
#include "harness/train/ensemble/row_gather.h"
#include "harness/train/optim/optimizer.h"
#include "models/registry.h"

namespace claimcheck::train {
namespace {

std::vector<std::shared_ptr<models::Model>> models_of(
    const std::vector<ClassifierMember>& members) {
  std::vector<std::shared_ptr<models::Model>> out;
  for (const auto& m : members)
    out.push_back(m.model);
  return out;
}

std::vector<double> lrs_of(const std::vector<ClassifierMember>& members) {
  std::vector<double> out;
  for (const auto& m : members)
    out.push_back(m.lr);
  return out;
}

}  // namespace

std::string classifier_group_key(const RunConfig& config, torch::Device device) {
  if (!device.is_cpu() || !models::FfnEnsemble::supports(config.model.type) ||
      config.training.optimizer.type != "adam" || !classifier_ensemble_is_exact()) {
    return "";
  }
  nlohmann::json training = to_json(config.training);
  training.erase("lr");  // per member
  return nlohmann::json{
      {"model", to_json(config.model)}, {"task", to_json(config.task)}, {"training", training}}
      .dump();
}

torch::Tensor training_bytes(const ClassifierData& data) {
  if (!data.train_x.device().is_cpu()) return {};
  const torch::Tensor bytes = data.train_x.mul(255.0).round_().to(torch::kUInt8);
  // Exactly the IDX reader's arithmetic (harness/data/idx.cpp), or the bytes are not used.
  return torch::equal(bytes.to(torch::kFloat32).div_(255.0), data.train_x) ? bytes
                                                                           : torch::Tensor();
}

ClassifierEnsemble::ClassifierEnsemble(const std::string& type,
                                       std::vector<ClassifierMember> members,
                                       const optim::AdamOptions& adam, const ClassifierData& data,
                                       std::int64_t batch, torch::Tensor train_bytes)
    : members_(std::move(members)),
      data_(data),
      train_bytes_(std::move(train_bytes)),
      batch_(batch),
      n_(data.train_x.size(0)),
      steps_per_epoch_((n_ + batch - 1) / batch),
      ensemble_(type, models_of(members_)),
      adam_(ensemble_.weights(), lrs_of(members_), adam),
      diverged_(members_.size(), false) {
  if (!data.train_x.device().is_cpu()) {
    throw std::invalid_argument("ClassifierEnsemble: CPU only (train alone on other devices)");
  }
  for (const auto& m : members_)
    rngs_.emplace_back(m.data_seed);
  labels_ = data.train_y.to(torch::kInt64).contiguous();
}

std::vector<std::int64_t> ClassifierEnsemble::step(std::int64_t step) {
  const std::int64_t e = members();
  const std::int64_t start = (step % steps_per_epoch_) * batch_;
  if (start == 0) {
    std::vector<torch::Tensor> orders;
    for (auto& rng : rngs_)
      orders.push_back(epoch_order(n_, rng));
    order_ = torch::stack(orders);  // (E, N)
  }
  const std::int64_t b = std::min(start + batch_, n_) - start;
  const std::int64_t in = data_.train_x.size(1);
  if (!x_buffer_.defined() || x_buffer_.size(0) != e * b) {
    // One set of buffers for every step of this size (fresh E·b × 784 floats cost page faults).
    x_buffer_ = torch::empty({e * b, in}, data_.train_x.options());
    y_ = torch::empty({e, b}, labels_.options());
    grad_logp_ = torch::empty({e * b, ensemble_.weights().back().size(2)}, data_.train_x.options());
  }
  // Member m's rows of this step are order_[m, start : start + b].
  const std::int64_t* order = order_.data_ptr<std::int64_t>();
  const std::int64_t* labels = labels_.data_ptr<std::int64_t>();
  std::int64_t* y = y_.data_ptr<std::int64_t>();
  for (std::int64_t m = 0; m < e; ++m) {
    for (std::int64_t i = 0; i < b; ++i)
      y[m * b + i] = labels[order[m * n_ + start + i]];
  }
  torch::Tensor x = x_buffer_;  // (E·b, in)
  if (train_bytes_.defined()) {
    for (std::int64_t m = 0; m < e; ++m) {
      gather_rows_as_float(train_bytes_.data_ptr<std::uint8_t>(), in, order + m * n_ + start, b,
                           255.0f, x.data_ptr<float>() + m * b * in);
    }
  } else {
    at::index_select_out(x, data_.train_x, 0, order_.narrow(1, start, b).reshape({-1}));
  }
  const torch::Tensor& logits = ensemble_.forward(x.view({e, b, in}));  // (E, b, C)
  const std::int64_t classes = logits.size(2);
  // cross_entropy = nll_loss(log_softmax(logits, 1)), and its backward as autograd runs it:
  // NllLossBackward puts -grad/total_weight = -(1/b) at each target (mean reduction), then
  // _log_softmax_backward_data. Both kernels work row by row, so members never mix.
  const torch::Tensor logp = torch::log_softmax(logits.view({e * b, classes}), 1);
  logp_ = logp.view({e, b, classes});
  float* grad_logp = grad_logp_.data_ptr<float>();
  std::fill_n(grad_logp, e * b * classes, 0.0f);
  const float target_grad = -(1.0f / static_cast<float>(b));
  for (std::int64_t r = 0; r < e * b; ++r)
    grad_logp[r * classes + y[r]] = target_grad;
  const torch::Tensor grad_logits =
      torch::_log_softmax_backward_data(grad_logp_, logp, 1, torch::kFloat);
  ensemble_.backward(grad_logits.view({e, b, classes}));
  adam_.step(ensemble_.grads());

  // Divergence: a member's mean loss is finite when every per-row loss is below FLT_MAX / b (no
  // overflow is possible then); otherwise (or NaN) its exact loss decides, as DivergenceWatch.
  const float* lp = logp.data_ptr<float>();
  const float bound = FLT_MAX / static_cast<float>(b);
  std::vector<std::int64_t> newly;
  for (std::int64_t m = 0; m < e; ++m) {
    if (diverged_[m]) continue;
    bool check = false;
    for (std::int64_t i = 0; i < b && !check; ++i) {
      const std::int64_t r = m * b + i;
      check = !(-lp[r * classes + y[r]] < bound);
    }
    if (check && !std::isfinite(last_loss(m))) {
      diverged_[m] = true;
      newly.push_back(m);
    }
  }
  return newly;
}

double ClassifierEnsemble::last_loss(std::int64_t m) const {
  return torch::nll_loss(logp_[m], y_[m]).item<double>();
}

std::map<std::string, double> ClassifierEnsemble::metrics(std::int64_t m, double final_train_loss) {
  models::Model& model = *members_[m].model;
  ensemble_.copy_member(m, model);
  return classifier_metrics(model, data_, final_train_loss);
}

namespace {

bool same_output(const RunOutput& a, const RunOutput& b) {
  if (a.steps != b.steps || a.diverged != b.diverged || a.metrics.size() != b.metrics.size()) {
    return false;
  }
  for (const auto& [name, value] : a.metrics) {
    const double other = b.metrics.at(name);
    if (!(std::isnan(value) ? std::isnan(other) : value == other)) return false;
  }
  return true;
}

// Two members trained alone and as a group, both FFN types, one width above and one below the
// bmm threshold, batch 8 over 24 synthetic byte images (three steps per epoch, ten steps).
bool probe_groups() {
  torch::AutoGradMode autograd(/*enabled=*/true);  // the standalone side needs backward()
  at::Generator g = env::cpu_generator(20240612);
  auto images = [&](std::int64_t n) {
    return torch::randint(256, {n, 784}, g, torch::kInt64)
        .to(torch::kUInt8)
        .to(torch::kFloat32)
        .div_(255.0);
  };
  const ClassifierData data{images(24), torch::randint(10, {24}, g, torch::kInt64), images(8),
                            torch::randint(10, {8}, g, torch::kInt64)};
  const ClassifierLoop loop{/*batch=*/8, /*epochs=*/0, /*steps=*/10};
  for (const std::string type : {"ffn-relu", "ffn-geglu"}) {
    for (const std::int64_t hidden : {8, 2}) {
      auto member = [&](std::uint64_t i) {
        at::Generator init = env::cpu_generator(i);
        return ClassifierMember{models::make_model(type, {{"hidden", hidden}}, {784, 10}, init),
                                i == 1 ? 1e-2 : 1e-3, 100 + i};
      };
      const std::vector<RunOutput> grouped = train_classifier_group(
          type, {member(1), member(2)}, {}, data, loop, training_bytes(data));
      for (std::uint64_t i = 1; i <= 2; ++i) {
        const ClassifierMember alone = member(i);
        auto optimizer = optim::make_optimizer({"adam", nlohmann::json::object()}, alone.lr,
                                               alone.model->parameter_groups(), g);
        const RunOutput out =
            train_classifier(*alone.model, *optimizer, data, loop, alone.data_seed);
        if (!same_output(out, grouped[i - 1])) return false;
      }
    }
  }
  return true;
}

}  // namespace

bool classifier_ensemble_is_exact() {
  static const bool exact = ensemble_adam_is_exact() && probe_groups();
  return exact;
}

std::vector<RunOutput> train_classifier_group(
    const std::string& type, std::vector<ClassifierMember> members, const optim::AdamOptions& adam,
    const ClassifierData& data, const ClassifierLoop& loop, torch::Tensor train_bytes) {
  if (loop.batch < 1 || (loop.epochs < 1 && loop.steps < 1)) {
    throw std::invalid_argument("image-classification: batch and the budget must be >= 1");
  }
  ClassifierEnsemble group(type, std::move(members), adam, data, loop.batch,
                           std::move(train_bytes));
  const std::int64_t e = group.members();
  const std::int64_t total_steps =
      loop.steps > 0 ? loop.steps : loop.epochs * group.steps_per_epoch();
  std::vector<RunOutput> out(static_cast<std::size_t>(e));
  std::int64_t training = e;
  std::int64_t step = 0;
  for (; step < total_steps && training > 0; ++step) {
    check_stop(loop.stop);
    for (const std::int64_t m : group.step(step)) {
      // As train_classifier: stop this member here, flag it, evaluate its weights as they are.
      out[m].diverged = true;
      out[m].steps = step + 1;
      out[m].metrics = group.metrics(m, group.last_loss(m));
      --training;
    }
  }
  for (std::int64_t m = 0; m < e; ++m) {
    if (out[m].diverged) continue;
    out[m].steps = step;
    out[m].metrics = group.metrics(m, group.last_loss(m));
  }
  return out;
}

}  // namespace claimcheck::train
