// The plots of the HTML report as inline SVG, drawn by hand: a forest plot of a claim's
// hypotheses (effect, CI, margin band, zero line, the baseline's CI beside it, the source's
// claimed effect as a diamond) and strip plots of every run's metric per arm. Colours are CSS
// variables set by html.cpp, so one SVG reads in light and dark mode. Every hypothesis point
// carries class "mark-hypothesis" and every run dot "mark-run" (the browser test counts them).
// Hand-written rather than a charting library: two chart types of rules, dots and text are
// ~250 lines here, render without JavaScript, and keep the page small and self-contained.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <string>

namespace claimcheck::report {

/// One forest panel per metric of the claim's hypotheses; `baseline` is the baseline's analysis
/// JSON (null: no baseline CIs are drawn).
std::string forest_plot_svg(const nlohmann::json& report, const nlohmann::json& baseline,
                            const std::map<std::string, std::string>& units);

/// One strip panel per (metric, role): a row per arm, a dot per run (replicates over seeds;
/// random-search trials in their own panel), the arm's mean as a tick.
std::string strip_plot_svg(const nlohmann::json& report,
                           const std::map<std::string, std::string>& units);

}  // namespace claimcheck::report
