#include "harness/pipeline/progress.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace claimcheck::pipeline {

Eta::Eta(std::vector<double> costs, int workers)
    : costs_(std::move(costs)),
      start_(costs_.size(), -1.0),
      done_(costs_.size(), false),
      workers_(workers) {
  if (workers < 1) throw std::invalid_argument("Eta: workers must be >= 1");
  for (double c : costs_) {
    if (!(c > 0.0) || !std::isfinite(c)) throw std::invalid_argument("Eta: a cost must be > 0");
  }
}

void Eta::start(std::size_t group, double seconds) {
  start_.at(group) = seconds;
}

void Eta::finish(std::size_t group, double seconds) {
  if (done_.at(group) || start_[group] < 0) return;
  done_[group] = true;
  done_cost_ += costs_[group];
  done_wall_ += std::max(0.0, seconds - start_[group]);
}

std::optional<double> Eta::seconds_left(double seconds) const {
  if (done_cost_ <= 0.0) return std::nullopt;
  if (done_wall_ <= 0.0) return 0.0;
  const double speed = done_cost_ / done_wall_;  // cost per second on one worker
  double remaining = 0.0;
  std::size_t open = 0;
  for (std::size_t g = 0; g < costs_.size(); ++g) {
    if (done_[g]) continue;
    ++open;
    const double age = start_[g] < 0 ? 0.0 : std::max(0.0, seconds - start_[g]);
    remaining += std::max(0.0, costs_[g] - speed * age);
  }
  if (open == 0) return 0.0;
  const double busy = static_cast<double>(std::min<std::size_t>(open, workers_));
  return remaining / (speed * busy);
}

std::vector<std::size_t> Eta::in_flight() const {
  std::vector<std::size_t> out;
  for (std::size_t g = 0; g < costs_.size(); ++g)
    if (start_[g] >= 0 && !done_[g]) out.push_back(g);
  std::stable_sort(out.begin(), out.end(),
                   [&](std::size_t a, std::size_t b) { return start_[a] < start_[b]; });
  return out;
}

std::string duration_text(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const long s = std::lround(seconds);
  if (s < 60) return fmt::format("{} s", s);
  if (s < 3600) return fmt::format("{} m {:02} s", s / 60, s % 60);
  return fmt::format("{} h {:02} m", s / 3600, s % 3600 / 60);
}

}  // namespace claimcheck::pipeline
