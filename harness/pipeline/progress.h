// How long an execution has left, for its progress lines. The executor trains groups longest
// first (LPT) on several workers, so runs-done / elapsed is biased twice early on: the first runs
// to finish are the most expensive ones, and the other workers' half-done groups count for
// nothing. Here every group has an estimated cost (run_groups.h) and the estimate of the rest is
//
//   speed     = sum of the finished groups' costs / sum of their own wall times (per worker)
//   remaining = the unstarted groups' costs + for each group in flight max(0, cost - speed * age)
//   left      = remaining / (speed * min(workers, groups not finished))
//
// which is exact when the costs are proportional to the true times and the workers stay busy.
// Not thread-safe: the executor calls it under its own lock.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace claimcheck::pipeline {

/// The estimate of the seconds an execution has left (see the file comment).
class Eta {
 public:
  /// One estimated cost per group (> 0), trained on `workers` (>= 1) workers.
  Eta(std::vector<double> costs, int workers);

  /// Group `group` started (finished) at `seconds` since the execution started.
  void start(std::size_t group, double seconds);
  void finish(std::size_t group, double seconds);

  /// The seconds left at `seconds`; none before a group has finished (no speed yet).
  std::optional<double> seconds_left(double seconds) const;
  /// The groups started and not finished, oldest first.
  std::vector<std::size_t> in_flight() const;
  /// When `group` started (its age is seconds - started_at); negative when it has not.
  double started_at(std::size_t group) const { return start_[group]; }

 private:
  std::vector<double> costs_;
  std::vector<double> start_;  // -1: not started
  std::vector<bool> done_;
  int workers_;
  double done_cost_ = 0.0;
  double done_wall_ = 0.0;
};

/// "42 s", "3 m 05 s", "1 h 02 m": a duration for people.
std::string duration_text(double seconds);

}  // namespace claimcheck::pipeline
