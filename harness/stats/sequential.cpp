#include "harness/stats/sequential.h"

#include <algorithm>
#include <cmath>

#include "harness/stats/check.h"

namespace claimcheck::stats {
namespace {

SequentialDecision from_verdict(Verdict v) {
  switch (v) {
    case Verdict::kSupported:
      return SequentialDecision::kSupported;
    case Verdict::kRefuted:
      return SequentialDecision::kRefuted;
    case Verdict::kInconclusive:
      return SequentialDecision::kContinue;
  }
  return SequentialDecision::kContinue;
}

}  // namespace

std::string to_string(SequentialDecision decision) {
  switch (decision) {
    case SequentialDecision::kContinue:
      return "continue";
    case SequentialDecision::kSupported:
      return "supported";
    case SequentialDecision::kRefuted:
      return "refuted";
  }
  detail::fail("to_string", "argument 'decision' is not a SequentialDecision");
}

EmpiricalBernsteinCs::EmpiricalBernsteinCs(const ConfidenceSequenceOptions& opt) : opt_(opt) {
  constexpr const char* kFn = "EmpiricalBernsteinCs";
  detail::require_finite(opt.bound, kFn, "opt.bound");
  if (!(opt.bound > 0.0)) detail::fail(kFn, "argument 'opt.bound' must be > 0");
  // The map to [0, 1] and back goes through 2c: it must not overflow (c near 1.8e308 would make
  // every interval NaN).
  detail::require_finite_result(2.0 * opt.bound, kFn, "2 * opt.bound");
  detail::require_confidence(opt.alpha, kFn, "opt.alpha");
  decide({-1.0, 1.0}, opt.kind, opt.direction, opt.margin);  // validates the margin
}

ConfidenceSequenceStep EmpiricalBernsteinCs::add(double difference) {
  constexpr const char* kFn = "EmpiricalBernsteinCs::add";
  detail::require_finite(difference, kFn, "difference");
  if (std::abs(difference) > opt_.bound) {
    detail::fail(kFn,
                 "argument 'difference' (" + std::to_string(difference) +
                     ") lies outside [-c, c] with c = opt.bound = " + std::to_string(opt_.bound));
  }
  const double x = (difference + opt_.bound) / (2.0 * opt_.bound);  // mapped to [0, 1]
  const double log_term = std::log(2.0 / opt_.alpha);               // alpha/2 per side
  ++t_;
  const double t = static_cast<double>(t_);
  // Predictable plug-in (WSR 2023, eq. 13 / Thm. 2): sigma^2_{t-1} = (1/4 + sum_{i<t} (X_i -
  // mu_i)^2) / t and lambda_t = min(1/2, sqrt(2 ln(2/alpha) / (sigma^2_{t-1} t ln(1 + t)))).
  const double var_prev = (0.25 + sum_sq_dev_) / t;
  const double lambda = std::min(0.5, std::sqrt(2.0 * log_term / (var_prev * t * std::log1p(t))));
  // v_t = (X_t - mu_{t-1})^2 and psi(lambda) = -ln(1 - lambda) - lambda (STATISTICS.md; the
  // paper's 4 (X - mu)^2 times psi_E = psi / 4).
  const double v = (x - mu_hat_) * (x - mu_hat_);
  sum_lambda_ += lambda;
  sum_lambda_x_ += lambda * x;
  sum_penalty_ += v * (-std::log1p(-lambda) - lambda);
  // mu_t = (1/2 + sum_{i<=t} X_i) / (t + 1), updated from mu_{t-1} = (1/2 + sum_{i<t} X_i) / t.
  mu_hat_ = (mu_hat_ * t + x) / (t + 1.0);
  sum_sq_dev_ += (x - mu_hat_) * (x - mu_hat_);
  return state();
}

ConfidenceSequenceStep EmpiricalBernsteinCs::add_round(const std::vector<double>& differences) {
  detail::require_sample(differences, "EmpiricalBernsteinCs::add_round", "differences");
  for (double d : differences)
    add(d);
  return state();
}

ConfidenceSequenceStep EmpiricalBernsteinCs::state() const {
  const double c = opt_.bound;
  Interval ci{-c, c};
  if (t_ > 0) {
    // C_t = sum lambda X / sum lambda -+ (ln(2/alpha) + sum v psi(lambda)) / sum lambda, in [0, 1].
    const double center = sum_lambda_x_ / sum_lambda_;
    const double width = (std::log(2.0 / opt_.alpha) + sum_penalty_) / sum_lambda_;
    const double lo = std::max(0.0, center - width);
    const double hi = std::min(1.0, center + width);
    ci = {2.0 * c * lo - c, 2.0 * c * hi - c};
  }
  return {from_verdict(decide(ci, opt_.kind, opt_.direction, opt_.margin)), ci, t_};
}

Sprt::Sprt(const SprtOptions& opt) : opt_(opt) {
  constexpr const char* kFn = "Sprt";
  if (!(opt.p0 > 0.0 && opt.p0 < opt.p1 && opt.p1 < 1.0)) {
    detail::fail(kFn, "arguments 'opt.p0' and 'opt.p1' must satisfy 0 < p0 < p1 < 1, got p0 = " +
                          std::to_string(opt.p0) + ", p1 = " + std::to_string(opt.p1));
  }
  detail::require_confidence(opt.alpha, kFn, "opt.alpha");
  detail::require_confidence(opt.beta, kFn, "opt.beta");
  if (!(opt.alpha + opt.beta < 1.0))
    detail::fail(kFn, "arguments 'opt.alpha' + 'opt.beta' must be < 1");
  // Wald (1945): accept H1 when LR >= A = (1 - beta)/alpha, accept H0 when LR <= B = beta/(1 -
  // alpha).
  upper_ = std::log((1.0 - opt.beta) / opt.alpha);
  lower_ = std::log(opt.beta / (1.0 - opt.alpha));
  // Denormal p0 or alpha make a log ratio infinite, and 0 wins * inf is NaN: refuse them.
  detail::require_finite_result(upper_, kFn, "the upper threshold ln((1 - beta) / alpha)");
  detail::require_finite_result(lower_, kFn, "the lower threshold ln(beta / (1 - alpha))");
  detail::require_finite_result(std::log(opt.p1 / opt.p0), kFn, "ln(p1 / p0)");
  detail::require_finite_result(std::log((1.0 - opt.p1) / (1.0 - opt.p0)), kFn,
                                "ln((1 - p1) / (1 - p0))");
}

SprtStep Sprt::add(double difference) {
  detail::require_finite(difference, "Sprt::add", "difference");
  const double d = opt_.direction == Direction::kGreater ? difference : -difference;
  if (d > 0.0) {
    ++wins_;
  } else if (d < 0.0) {
    ++losses_;
  } else {
    ++ties_;  // carries no information on P(win) among untied pairs
  }
  return state();
}

SprtStep Sprt::add_round(const std::vector<double>& differences) {
  detail::require_sample(differences, "Sprt::add_round", "differences");
  for (double d : differences)
    add(d);
  return state();
}

SprtStep Sprt::state() const {
  const double llr =
      wins_ * std::log(opt_.p1 / opt_.p0) + losses_ * std::log((1.0 - opt_.p1) / (1.0 - opt_.p0));
  SequentialDecision decision = SequentialDecision::kContinue;
  if (llr >= upper_) decision = SequentialDecision::kSupported;
  if (llr <= lower_) decision = SequentialDecision::kRefuted;
  return {decision, llr, wins_, losses_, ties_};
}

}  // namespace claimcheck::stats
