#include "harness/train/optim/soap.h"

#include <torch/torch.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>

#include "harness/train/optim/parameters.h"

namespace claimcheck::train::optim {
namespace {

// G' = Q_Lᵀ·G·Q_R (identity on an unrotated side); the reference's project().
torch::Tensor project(torch::Tensor x, const Soap::State& s) {
  if (s.q_left.defined()) x = s.q_left.t().mm(x);
  if (s.q_right.defined()) x = x.mm(s.q_right);
  return x;
}

// X = Q_L·X'·Q_Rᵀ; the reference's project_back().
torch::Tensor project_back(torch::Tensor x, const Soap::State& s) {
  if (s.q_left.defined()) x = s.q_left.mm(x);
  if (s.q_right.defined()) x = x.mm(s.q_right.t());
  return x;
}

// Eigenvectors by descending eigenvalue (get_orthogonal_matrix: eigh of m + 1e-30·I, retried in
// float64 if the solver fails, columns flipped).
torch::Tensor eigenbasis(const torch::Tensor& m) {
  const torch::Tensor shifted = m + 1e-30 * torch::eye(m.size(0), m.options());
  torch::Tensor q;
  try {
    q = std::get<1>(torch::linalg_eigh(shifted));
  } catch (const c10::Error&) {
    q = std::get<1>(torch::linalg_eigh(shifted.to(torch::kFloat64))).to(m.scalar_type());
  }
  return torch::flip(q, {1});
}

// get_orthogonal_matrix_QR for one side `dim` (0: L, 1: R): sort by the estimated eigenvalues,
// permute v to match, one power iteration, QR.
torch::Tensor refreshed_basis(const torch::Tensor& m, const torch::Tensor& q, std::int64_t dim,
                              torch::Tensor& exp_avg_sq) {
  const torch::Tensor est_eig = q.t().mm(m).mm(q).diagonal();
  const torch::Tensor order = torch::argsort(est_eig, /*dim=*/0, /*descending=*/true);
  exp_avg_sq = exp_avg_sq.index_select(dim, order);
  const torch::Tensor power_iter = m.mm(q.index_select(1, order));
  return std::get<0>(torch::linalg_qr(power_iter));
}

}  // namespace

SoapOptions read_soap_options(const nlohmann::json& options) {
  OptionReader reader("soap", options);
  SoapOptions out;
  out.betas = reader.betas("betas", out.betas);
  out.shampoo_beta = reader.number("shampoo_beta", out.betas.b2, Interval::closed_open(0.0, 1.0));
  out.eps = reader.number("eps", out.eps, Interval::non_negative());
  out.weight_decay = reader.number("weight_decay", out.weight_decay, Interval::non_negative());
  out.precondition_frequency =
      reader.integer("precondition_frequency", out.precondition_frequency, 1, 1000000);
  out.max_precond_dim = reader.integer("max_precond_dim", out.max_precond_dim, 1, 1000000);
  reader.finish();
  return out;
}

Soap::Soap(std::vector<torch::Tensor> params, double lr, SoapOptions options)
    : params_(std::move(params)), lr_(lr), options_(options), states_(params_.size()) {
  check_learning_rate("soap", lr);
  for (const auto& p : params_) {
    if (p.dim() > 2) {
      throw std::invalid_argument(
          "optimizer 'soap': parameters of more than 2 dims are not "
          "supported (got " +
          std::to_string(p.dim()) + " dims)");
    }
  }
}

void Soap::zero_grad() {
  zero_gradients(params_);
}

void Soap::update_preconditioner(const torch::Tensor& g, State& s, bool refresh) const {
  const double w = 1.0 - options_.shampoo_beta;
  if (s.left.defined()) s.left.lerp_(g.mm(g.t()), w);
  if (s.right.defined()) s.right.lerp_(g.t().mm(g), w);
  if (!s.initialised) {
    if (s.left.defined()) s.q_left = eigenbasis(s.left);
    if (s.right.defined()) s.q_right = eigenbasis(s.right);
  } else if (refresh) {
    if (s.left.defined()) s.q_left = refreshed_basis(s.left, s.q_left, 0, s.exp_avg_sq);
    if (s.right.defined()) s.q_right = refreshed_basis(s.right, s.q_right, 1, s.exp_avg_sq);
  }
}

void Soap::step(const torch::Tensor& /*loss*/) {
  torch::NoGradGuard no_grad;
  const double b1 = options_.betas.b1;
  const double b2 = options_.betas.b2;
  for (std::size_t i = 0; i < params_.size(); ++i) {
    torch::Tensor& p = params_[i];
    if (!p.grad().defined()) continue;
    const torch::Tensor g = p.grad();
    State& s = states_[i];
    if (!s.initialised) {
      s.exp_avg = torch::zeros_like(p);
      s.exp_avg_sq = torch::zeros_like(p);
      if (p.dim() == 2) {
        const auto rows = p.size(0);
        const auto cols = p.size(1);
        if (rows <= options_.max_precond_dim) s.left = torch::zeros({rows, rows}, p.options());
        if (cols <= options_.max_precond_dim) s.right = torch::zeros({cols, cols}, p.options());
      }
      update_preconditioner(g, s, /*refresh=*/false);
      s.initialised = true;
      continue;  // the first step only initialises
    }
    const torch::Tensor g_proj = project(g, s);
    ++s.step;
    s.exp_avg.mul_(b1).add_(g, 1.0 - b1);
    s.exp_avg_sq.mul_(b2).add_(g_proj.square(), 1.0 - b2);
    const torch::Tensor denom = s.exp_avg_sq.sqrt().add_(options_.eps);
    const double t = static_cast<double>(s.step);
    const double step_size = lr_ * std::sqrt(1.0 - std::pow(b2, t)) / (1.0 - std::pow(b1, t));
    p.add_(project_back(project(s.exp_avg, s) / denom, s), -step_size);
    if (options_.weight_decay > 0.0) p.add_(p, -lr_ * options_.weight_decay);
    update_preconditioner(g, s, s.step % options_.precondition_frequency == 0);
  }
}

}  // namespace claimcheck::train::optim
