// Anytime-valid sequential stopping for adding seeds in rounds (STATISTICS.md "Sequential"):
// the predictable plug-in empirical-Bernstein confidence sequence (Waudby-Smith & Ramdas 2023,
// "Estimating means of bounded random variables by betting", JRSS-B, Thm. 2 / eq. 13) for paired
// differences bounded in [-c, c], and Wald's (1945) SPRT on paired wins. Both may be checked after
// every round without inflating the error rate; stop at the first decision or when the budget
// is spent. Never re-run a fixed-n CI after each round instead.
//
// Degenerate input throws std::invalid_argument naming the function and argument: options out
// of range or so extreme that a threshold, log ratio or 2c overflows, a NaN/inf difference, a
// difference outside [-c, c], an empty round. Extreme valid input is a result: differences all
// at +-c (or all 0, zero variance) shrink the interval as the paper's bound allows; ties never
// move the SPRT. Every state is finite.
#pragma once

#include <string>
#include <vector>

#include "harness/stats/verdict.h"

namespace claimcheck::stats {

/// What to do after a round.
enum class SequentialDecision { kContinue, kSupported, kRefuted };

/// "continue", "supported" or "refuted".
std::string to_string(SequentialDecision decision);

/// Confidence-sequence settings; the hypothesis is judged with decide() on the current interval.
struct ConfidenceSequenceOptions {
  double bound = 1.0;                                  ///< c: every difference lies in [-c, c]
  double alpha = 0.05;                                 ///< two-sided level, alpha/2 per side
  HypothesisKind kind = HypothesisKind::kSuperiority;  ///< the claim
  Direction direction = Direction::kGreater;           ///< the claimed sign of the effect
  double margin = 0.0;                                 ///< the claim's margin (>= 0)
};

/// State of a confidence sequence after some observations.
struct ConfidenceSequenceStep {
  SequentialDecision decision;  ///< continue, or the verdict once decide() is not inconclusive
  Interval interval;            ///< the (1 - alpha) CS for the mean difference, within [-c, c]
  int observations;             ///< differences seen so far
};

/// Empirical-Bernstein confidence sequence for the mean of paired differences in [-c, c].
class EmpiricalBernsteinCs {
 public:
  /// Validates the options (0 < c, 2c finite, alpha in (0, 1), margin as decide() requires).
  explicit EmpiricalBernsteinCs(const ConfidenceSequenceOptions& opt = {});
  /// Adds one paired difference (treatment - control) in [-c, c] and returns the new state;
  /// NaN, inf or a value outside [-c, c] throws.
  ConfidenceSequenceStep add(double difference);
  /// Adds a round of differences (non-empty, else throws), then returns the state after it.
  ConfidenceSequenceStep add_round(const std::vector<double>& differences);
  /// The current state (before any data: the whole range [-c, c], continue).
  ConfidenceSequenceStep state() const;

 private:
  ConfidenceSequenceOptions opt_;
  int t_ = 0;                  // observations so far
  double mu_hat_ = 0.5;        // regularised running mean of X in [0, 1]
  double sum_sq_dev_ = 0.0;    // sum_i (X_i - mu_hat_i)^2
  double sum_lambda_ = 0.0;    // sum_i lambda_i
  double sum_lambda_x_ = 0.0;  // sum_i lambda_i X_i
  double sum_penalty_ = 0.0;   // sum_i v_i psi(lambda_i)
};

/// SPRT settings: H0 P(win) = p0 against H1 P(win) = p1 > p0.
struct SprtOptions {
  double p0 = 0.5;                            ///< win probability under H0
  double p1 = 0.75;                           ///< win probability under H1
  double alpha = 0.05;                        ///< type I error
  double beta = 0.05;                         ///< type II error
  Direction direction = Direction::kGreater;  ///< a win is difference > 0 (kLess: < 0)
};

/// State of an SPRT.
struct SprtStep {
  SequentialDecision
      decision;  ///< supported when LLR >= ln((1-beta)/alpha), refuted <= ln(beta/(1-alpha))
  double log_likelihood_ratio;  ///< wins ln(p1/p0) + losses ln((1-p1)/(1-p0))
  int wins;                     ///< pairs won in the claimed direction
  int losses;                   ///< pairs lost
  int ties;                     ///< exact ties, dropped as in the sign test
};

/// Wald's sequential probability ratio test on paired wins.
class Sprt {
 public:
  /// Validates the options (0 < p0 < p1 < 1, alpha and beta in (0, 1), alpha + beta < 1, and
  /// thresholds and log ratios finite: denormal p0 or alpha throw).
  explicit Sprt(const SprtOptions& opt = {});
  /// Adds one paired difference (treatment - control) and returns the new state; a tie (0)
  /// moves nothing, NaN or inf throws.
  SprtStep add(double difference);
  /// Adds a round of differences (non-empty, else throws), then returns the state after it.
  SprtStep add_round(const std::vector<double>& differences);
  /// The current state.
  SprtStep state() const;
  /// Upper threshold ln((1 - beta) / alpha) (ln 19 at the defaults).
  double upper_threshold() const { return upper_; }
  /// Lower threshold ln(beta / (1 - alpha)) (-ln 19 at the defaults).
  double lower_threshold() const { return lower_; }

 private:
  SprtOptions opt_;
  double upper_;
  double lower_;
  int wins_ = 0;
  int losses_ = 0;
  int ties_ = 0;
};

}  // namespace claimcheck::stats
