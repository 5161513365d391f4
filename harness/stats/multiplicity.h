// Adjusted p-values for multiple hypotheses (STATISTICS.md "Multiplicity"): Holm's step-down
// family-wise correction (Holm 1979) across the hypotheses of a claim, and Benjamini-Hochberg
// false-discovery-rate adjustment (Benjamini & Hochberg 1995) across a report. Results are in the
// input order and match statsmodels.stats.multitest.multipletests ('holm', 'fdr_bh').
//
// Degenerate input: an empty family gives an empty result; NaN, inf or a p outside [0, 1]
// throws std::invalid_argument naming the function, the argument and the index; one p is
// returned as it is; tied p keep their input order.
#pragma once

#include <vector>

namespace claimcheck::stats {

/// Holm: sorted ascending, p~_(i) = max_{j<=i} min(1, (m - j + 1) p_(j)); p in [0, 1] (NaN
/// throws); empty in, empty out.
std::vector<double> holm(const std::vector<double>& p);

/// Benjamini-Hochberg: sorted ascending, p~_(i) = min_{j>=i} min(1, m p_(j) / j); p in [0, 1]
/// (NaN throws); empty in, empty out.
std::vector<double> benjamini_hochberg(const std::vector<double>& p);

}  // namespace claimcheck::stats
