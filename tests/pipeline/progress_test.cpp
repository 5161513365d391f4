// The execution's ETA (progress.h): unbiased by the longest-first order and by the groups still
// in flight on other workers, exact when costs are proportional to times; durations for people.
#include "harness/pipeline/progress.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace claimcheck::pipeline {
namespace {

TEST(Eta, NoEstimateBeforeAGroupFinished) {
  Eta eta({4.0, 2.0}, 1);
  EXPECT_FALSE(eta.seconds_left(0.0).has_value());
  eta.start(0, 0.0);
  EXPECT_FALSE(eta.seconds_left(3.0).has_value());
  EXPECT_EQ(eta.in_flight(), std::vector<std::size_t>{0});
}

TEST(Eta, LongestFirstOnOneWorkerIsExact) {
  // Costs 4, 2, 1 at 1 cost unit per second: after the first group (4 s) 3 s are left. The
  // done/total count would say 2 * 4 = 8 s, 2.7x too long.
  Eta eta({4.0, 2.0, 1.0}, 1);
  eta.start(0, 0.0);
  eta.finish(0, 4.0);
  eta.start(1, 4.0);
  EXPECT_DOUBLE_EQ(*eta.seconds_left(4.0), 3.0);
  EXPECT_DOUBLE_EQ(*eta.seconds_left(5.0), 2.0) << "the group in flight is half done";
  eta.finish(1, 6.0);
  eta.start(2, 6.0);
  EXPECT_DOUBLE_EQ(*eta.seconds_left(6.5), 0.5);
  eta.finish(2, 7.0);
  EXPECT_DOUBLE_EQ(*eta.seconds_left(7.0), 0.0);
  EXPECT_TRUE(eta.in_flight().empty());
}

TEST(Eta, CountsTheOtherWorkersGroupsInFlight) {
  // Two workers, four groups of cost 2 at 1 unit/s (4 s in all). When the first finishes at 2 s
  // the second is done too in all but bookkeeping: 2 s are left, not 2 * 3 = 6.
  Eta eta({2.0, 2.0, 2.0, 2.0}, 2);
  eta.start(0, 0.0);
  eta.start(1, 0.0);
  eta.finish(0, 2.0);
  eta.start(2, 2.0);
  EXPECT_DOUBLE_EQ(*eta.seconds_left(2.0), 2.0);
  EXPECT_EQ(eta.in_flight(), (std::vector<std::size_t>{1, 2}));
  EXPECT_DOUBLE_EQ(eta.started_at(2), 2.0);
  EXPECT_LT(eta.started_at(3), 0.0);
}

TEST(Eta, RefusesNonsense) {
  EXPECT_THROW(Eta({1.0}, 0), std::invalid_argument);
  EXPECT_THROW(Eta({0.0}, 1), std::invalid_argument);
}

TEST(DurationText, SecondsMinutesHours) {
  EXPECT_EQ(duration_text(0.4), "0 s");
  EXPECT_EQ(duration_text(59.4), "59 s");
  EXPECT_EQ(duration_text(185), "3 m 05 s");
  EXPECT_EQ(duration_text(3720), "1 h 02 m");
  EXPECT_EQ(duration_text(-1), "?");
}

}  // namespace
}  // namespace claimcheck::pipeline
