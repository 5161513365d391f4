#include "harness/report/svg_plots.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <utility>
#include <vector>

#include "harness/report/format.h"

namespace claimcheck::report {
namespace {

// Layout, in SVG user units (CSS pixels at 100%): a label column, the plot, a value column.
constexpr double kWidth = 900, kLabel = 250, kPlot = 360, kTop = 28, kAxis = 46;
constexpr double kPlotRight = kLabel + kPlot;

// A linear scale from a data interval onto [kLabel, kPlotRight], with "nice" ticks.
struct Scale {
  double lo = 0, hi = 1;
  double x(double v) const { return kLabel + (v - lo) / (hi - lo) * kPlot; }
  std::vector<double> ticks() const {
    const double raw = (hi - lo) / 5;
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    const double step = raw / mag < 1.5   ? mag
                        : raw / mag < 3.5 ? 2 * mag
                        : raw / mag < 7.5 ? 5 * mag
                                          : 10 * mag;
    std::vector<double> out;
    for (double t = std::ceil(lo / step) * step; t <= hi + 1e-12 * step; t += step)
      out.push_back(std::abs(t) < 1e-12 * step ? 0.0 : t);
    return out;
  }
};

Scale scale_of(std::vector<double> values) {
  values.erase(
      std::remove_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); }),
      values.end());
  if (values.empty()) return {0, 1};
  const auto [mn, mx] = std::minmax_element(values.begin(), values.end());
  double lo = *mn, hi = *mx;
  const double pad = hi > lo ? 0.06 * (hi - lo) : std::max(1e-3, 0.05 * std::abs(lo));
  return {lo - pad, hi + pad};
}

std::string num(double v) {
  return fmt::format("{:.2f}", v);
}

std::string tick_text(double v, double step) {
  const int decimals = std::max(0, static_cast<int>(std::ceil(-std::log10(step) - 1e-9)));
  return fmt::format("{:.{}f}", v, decimals);
}

// A row label, right-aligned before the plot. 11 px text averages ~6.2 px per character; a label
// longer than the column is squeezed to fit (textLength) rather than clipped at the left edge.
std::string row_label(double y, const std::string& text) {
  const double room = kLabel - 12;
  const std::string fit =
      static_cast<double>(text.size()) * 6.2 > room
          ? fmt::format(R"( textLength="{}" lengthAdjust="spacingAndGlyphs")", num(room))
          : std::string();
  return fmt::format(R"(<text class="label" x="{}" y="{}" text-anchor="end"{}>{}</text>)",
                     num(kLabel - 8), num(y), fit, html_escape(text));
}

// The x axis under a panel of `height` rows: ticks, grid lines and the units label.
std::string axis(const Scale& s, double y0, double y1, const std::string& label) {
  std::string svg;
  const std::vector<double> ticks = s.ticks();
  const double step = ticks.size() > 1 ? ticks[1] - ticks[0] : (s.hi - s.lo);
  for (const double t : ticks) {
    svg += fmt::format(R"(<line class="grid" x1="{0}" x2="{0}" y1="{1}" y2="{2}"/>)", num(s.x(t)),
                       num(y0), num(y1));
    svg += fmt::format(R"(<text class="tick" x="{}" y="{}" text-anchor="middle">{}</text>)",
                       num(s.x(t)), num(y1 + 14), tick_text(t, step));
  }
  svg += fmt::format(R"(<line class="axis" x1="{0}" x2="{1}" y1="{2}" y2="{2}"/>)", num(kLabel),
                     num(kPlotRight), num(y1));
  svg += fmt::format(R"(<text class="axis-label" x="{}" y="{}" text-anchor="middle">{}</text>)",
                     num(kLabel + kPlot / 2), num(y1 + 32), html_escape(label));
  return svg;
}

std::string svg_open(double height, const std::string& title) {
  return fmt::format(R"(<svg class="plot" viewBox="0 0 {} {}" role="img" )"
                     R"(aria-label="{}"><title>{}</title>)",
                     num(kWidth), num(height), html_escape(title), html_escape(title));
}

// The band between no effect and the margin boundary the claim must clear (empty: none).
struct Band {
  double lo = 0, hi = 0;
};
Band margin_band(const nlohmann::json& h) {
  const double m = h.at("margin");
  if (m <= 0) return {};
  const std::string kind = h.at("kind");
  const bool greater = h.at("direction") == "greater";
  if (kind == "equivalence") return {-m, m};
  if (kind == "non-inferiority") return greater ? Band{-m, 0} : Band{0, m};
  return greater ? Band{0, m} : Band{-m, 0};
}

// A CV-of-PD hypothesis (cv_of, bound) is a spread across arms, not a difference: its own panel.
bool is_cv(const nlohmann::json& h) {
  return h.contains("cv_of") && h.contains("bound");
}

// The side of its threshold the claim claims, as an interval of the panel's values (infinite
// ends reach the panel's edge): above the margin boundary for "greater" (above -margin for
// non-inferiority), below it for "less", inside the margins for equivalence, and on the claimed
// side of the bound for a CV.
Band claimed_side(const nlohmann::json& h) {
  const bool greater = h.at("direction") == "greater";
  const double inf = std::numeric_limits<double>::infinity();
  if (is_cv(h)) {
    const double bound = h.at("bound");
    return greater ? Band{bound, inf} : Band{-inf, bound};
  }
  const double m = std::max(0.0, h.at("margin").get<double>());
  const std::string kind = h.at("kind");
  if (kind == "equivalence") return {-m, m};
  if (kind == "non-inferiority") return greater ? Band{-m, inf} : Band{-inf, m};
  return greater ? Band{m, inf} : Band{-inf, -m};
}

// "effect > +0.01", "CV < 0.05", "|effect| < 0.02": the claimed side in words.
std::string claimed_text(const nlohmann::json& h) {
  const Band side = claimed_side(h);
  const std::string what = is_cv(h) ? "CV" : "effect";
  if (std::isfinite(side.lo) && std::isfinite(side.hi))
    return fmt::format("|{}| < {:.4g}", what, side.hi);
  return std::isfinite(side.lo) ? fmt::format("{} > {}", what, signed_num(side.lo))
                                : fmt::format("{} < {}", what, signed_num(side.hi));
}

const nlohmann::json* baseline_hypothesis(const nlohmann::json& baseline, const std::string& id) {
  if (!baseline.is_object() || !baseline.contains("hypotheses")) return nullptr;
  for (const auto& b : baseline.at("hypotheses"))
    if (b.value("id", "") == id) return &b;
  return nullptr;
}

std::string unit_of(const std::map<std::string, std::string>& units, const std::string& metric) {
  const auto it = units.find(metric);
  return it == units.end() ? "" : it->second;
}

std::string forest_panel(const std::vector<const nlohmann::json*>& hyps,
                         const nlohmann::json& baseline, const std::string& metric,
                         const std::string& unit, bool cv) {
  constexpr double kRow = 34;
  std::vector<double> values = {0.0};
  for (const auto* h : hyps)
    if (is_cv(*h)) values.push_back(h->at("bound"));
  bool any_band = false, any_source = false, any_baseline = false;
  for (const auto* h : hyps) {
    values.insert(values.end(),
                  {h->at("ci").at("lo").get<double>(), h->at("ci").at("hi").get<double>()});
    const Band b = margin_band(*h);
    values.insert(values.end(), {b.lo, b.hi});
    any_band = any_band || b.hi > b.lo;
    if (h->contains("source_effect")) {
      values.push_back(h->at("source_effect"));
      any_source = true;
    }
    if (const auto* b0 = baseline_hypothesis(baseline, h->at("id"))) {
      values.insert(values.end(),
                    {b0->at("ci").at("lo").get<double>(), b0->at("ci").at("hi").get<double>()});
      any_baseline = true;
    }
  }
  const Scale s = scale_of(values);
  const double bottom = kTop + kRow * static_cast<double>(hyps.size());
  std::string svg =
      svg_open(bottom + kAxis,
               (cv ? "Forest plot: CV across arms of " : "Forest plot: effects on ") + metric);
  // The legend names only what this panel draws.
  svg += fmt::format(
      R"(<text class="legend" x="{}" y="16">● {}, CI{}{}{}{}   ▬ claimed side   ■/□ )"
      R"(decisive/fragile</text>)",
      num(kLabel), cv ? "CV" : "effect", cv ? "   ┃ bound" : "   ¦ no effect",
      any_baseline ? "   ○┄ baseline's, CI" : "",
      any_source ? "   ◆ the source's claimed effect" : "", any_band ? "   ▒ margin band" : "");
  svg += axis(s, kTop - 6, bottom,
              cv ? "CV across arms of " + metric_label(metric, unit)
                 : "effect: difference in " + metric_label(metric, unit));
  svg += fmt::format(R"(<line class="zero" x1="{0}" x2="{0}" y1="{1}" y2="{2}"/>)", num(s.x(0)),
                     num(kTop - 6), num(bottom));
  double y = kTop;
  for (const auto* hp : hyps) {
    const nlohmann::json& h = *hp;
    const std::string id = h.at("id");
    const std::string verdict = h.at("verdict");
    const double est = h.at("estimate"), lo = h.at("ci").at("lo"), hi = h.at("ci").at("hi");
    const Band band = margin_band(h);
    if (band.hi > band.lo) {
      svg += fmt::format(R"(<rect class="band" x="{}" y="{}" width="{}" height="{}"/>)",
                         num(s.x(band.lo)), num(y + 2), num(s.x(band.hi) - s.x(band.lo)),
                         num(kRow - 4));
    }
    svg += row_label(y + 15, id);
    const double cy = y + 12;
    // The claimed side of the threshold, as a thin bar along the row's foot.
    const Band side = claimed_side(h);
    const double x0 = std::isfinite(side.lo) ? s.x(side.lo) : kLabel;
    const double x1 = std::isfinite(side.hi) ? s.x(side.hi) : kPlotRight;
    svg += fmt::format(
        R"(<rect class="claimed-side" x="{}" y="{}" width="{}" height="3"><title>{}: the claim )"
        R"(is {}</title></rect>)",
        num(std::min(x0, x1)), num(y + kRow - 5), num(std::abs(x1 - x0)), html_escape(id),
        html_escape(claimed_text(h)));
    if (is_cv(h)) {
      svg += fmt::format(
          R"(<line class="bound" x1="{0}" x2="{0}" y1="{1}" y2="{2}"><title>{3}: bound {4:.4g})"
          R"(</title></line>)",
          num(s.x(h.at("bound"))), num(y + 1), num(y + kRow - 2), html_escape(id),
          h.at("bound").get<double>());
    }
    svg += fmt::format(R"(<line class="ci verdict-{0}" x1="{1}" x2="{2}" y1="{3}" y2="{3}"/>)",
                       verdict, num(s.x(lo)), num(s.x(hi)), num(cy));
    if (const auto* b0 = baseline_hypothesis(baseline, id)) {
      const double by = y + 23;
      svg += fmt::format(
          R"(<g class="baseline"><line class="baseline-ci" x1="{0}" x2="{1}" y1="{2}" y2="{2}"/>)"
          R"(<circle class="baseline-point" cx="{3}" cy="{2}" r="3"><title>{4}: baseline {5} )"
          R"([{6}, {7}] {8}</title></circle></g>)",
          num(s.x(b0->at("ci").at("lo"))), num(s.x(b0->at("ci").at("hi"))), num(by),
          num(s.x(b0->at("estimate"))), html_escape(id), signed_num(b0->at("estimate")),
          signed_num(b0->at("ci").at("lo")), signed_num(b0->at("ci").at("hi")),
          b0->value("verdict", ""));
    }
    if (h.contains("source_effect")) {
      const double sx = s.x(h.at("source_effect")), sy = cy;
      svg += fmt::format(
          R"(<path class="mark-source" d="M{} {}l5 5l-5 5l-5 -5z"><title>{}: the source's )"
          R"(claimed effect {}</title></path>)",
          num(sx), num(sy - 5), html_escape(id), signed_num(h.at("source_effect")));
    }
    svg += fmt::format(
        R"(<circle class="mark-hypothesis verdict-{}" data-id="{}" cx="{}" cy="{}" r="5">)"
        R"(<title>{}: {} [{}, {}] — {}</title></circle>)",
        verdict, html_escape(id), num(s.x(est)), num(cy), html_escape(id), signed_num(est),
        signed_num(lo), signed_num(hi), verdict);
    // The replication mark, between the plot and the numbers: filled when the verdict is
    // decisive (a fresh replication repeats it with probability >= 0.95), hollow when fragile.
    const std::string replication = replication_text(h);
    const nlohmann::json rep = h.value("replication", nlohmann::json());
    const std::string rep_class = !rep.is_object()               ? "unknown"
                                  : rep.value("decisive", false) ? "decisive"
                                                                 : "fragile";
    svg += fmt::format(
        R"(<rect class="mark-replication replication-{}" x="{}" y="{}" width="7" height="7">)"
        R"(<title>{}: a replication of this design is {} again with probability {}</title></rect>)",
        rep_class, num(kPlotRight + 3), num(cy - 3.5), html_escape(id), verdict,
        html_escape(replication));
    svg += fmt::format(R"(<text class="value verdict-{}" x="{}" y="{}">{} [{}, {}] {}</text>)",
                       verdict, num(kPlotRight + 14), num(y + 15), signed_num(est), signed_num(lo),
                       signed_num(hi), verdict);
    y += kRow;
  }
  return svg + "</svg>\n";
}

}  // namespace

std::string forest_plot_svg(const nlohmann::json& report, const nlohmann::json& baseline,
                            const std::map<std::string, std::string>& units) {
  // A panel per metric, and CVs (a spread, not a difference) apart from the differences.
  std::map<std::pair<std::string, bool>, std::vector<const nlohmann::json*>> panels;
  std::vector<std::pair<std::string, bool>> order;
  for (const auto& h : report.at("analysis").at("hypotheses")) {
    const std::pair<std::string, bool> key = {h.at("metric").get<std::string>(), is_cv(h)};
    if (panels.count(key) == 0) order.push_back(key);
    panels[key].push_back(&h);
  }
  std::string out;
  for (const auto& key : order)
    out += forest_panel(panels[key], baseline, key.first, unit_of(units, key.first), key.second);
  return out;
}

std::string strip_plot_svg(const nlohmann::json& report,
                           const std::map<std::string, std::string>& units) {
  const nlohmann::json& a = report.at("analysis");
  std::map<std::string, std::string> metric_of;  // arm -> metric
  std::vector<std::string> arms;
  for (const auto& s : a.at("arms")) {
    arms.push_back(s.at("name"));
    metric_of[arms.back()] = s.at("metric");
  }
  // (metric, role) panels, in first-seen order; a row per arm; the runs' values per row.
  using Row = std::vector<const nlohmann::json*>;
  std::map<std::pair<std::string, std::string>, std::map<std::string, Row>> panels;
  for (const auto& [key, run] : a.at("runs").items()) {
    const std::string arm = run.at("arm");
    panels[{metric_of.count(arm) ? metric_of[arm] : "test_accuracy",
            run.value("role", "replicate")}][arm]
        .push_back(&run);
  }
  std::string out;
  for (const auto& [panel, rows] : panels) {
    const auto& [metric, role] = panel;
    std::vector<double> values;
    for (const auto& [arm, runs] : rows)
      for (const auto* r : runs)
        values.push_back(r->at("metrics").value(metric, std::nan("")));
    const Scale s = scale_of(values);
    constexpr double kRow = 26;
    const double bottom = kTop + kRow * static_cast<double>(rows.size());
    const std::string what = role == "replicate" ? "replicates (one dot per seed)"
                                                 : "random-search trials (one dot per trial)";
    std::string svg = svg_open(bottom + kAxis, "Runs per arm: " + metric + ", " + what);
    svg += fmt::format(R"(<text class="legend" x="{}" y="16">{}; | mean</text>)", num(kLabel),
                       html_escape(what));
    svg += axis(s, kTop - 6, bottom, metric_label(metric, unit_of(units, metric)));
    double y = kTop;
    for (const auto& arm : arms) {
      const auto row = rows.find(arm);
      if (row == rows.end()) continue;
      svg += row_label(y + 14, arm);
      double sum = 0;
      int finite = 0;
      for (const auto* r : row->second) {
        const double v = r->at("metrics").value(metric, std::nan(""));
        const int index = r->value("index", 0);
        const double jitter = static_cast<double>(index % 7 - 3) * 2.2;  // deterministic
        const bool ok = std::isfinite(v) && !r->value("diverged", false);
        if (std::isfinite(v)) sum += v, ++finite;
        svg += fmt::format(
            R"(<circle class="mark-run role-{}{}" cx="{}" cy="{}" r="3.2"><title>{} {} {}: {}</title></circle>)",
            role, ok ? "" : " diverged", num(s.x(std::isfinite(v) ? v : s.lo)),
            num(y + 10 + jitter), html_escape(arm), role, index,
            std::isfinite(v) ? fmt::format("{:.4f}", v) : std::string("not finite (diverged)"));
      }
      if (finite > 0) {
        const double mx = s.x(sum / finite);
        svg += fmt::format(R"(<line class="mean" x1="{0}" x2="{0}" y1="{1}" y2="{2}"/>)", num(mx),
                           num(y + 1), num(y + 19));
        svg += fmt::format(R"(<text class="value" x="{}" y="{}">mean {:.4f} (n={})</text>)",
                           num(kPlotRight + 8), num(y + 14), sum / finite, row->second.size());
      }
      y += kRow;
    }
    out += svg + "</svg>\n";
  }
  return out;
}

}  // namespace claimcheck::report
