#!/usr/bin/env bash
# The HTML report as a reader sees it: train two tiny claims (one blessed, so its forest plot
# draws the baseline's CI; one without a baseline), report them, and render the suite page and
# one claim page in Debian's headless Chromium (tests/report/render_check.mjs): no console
# error, no network request, one mark per hypothesis and per run. Keeps the screenshots
# (light and dark) in the scratch directory as the test's artifacts.
# Usage: html_render_test.sh <claimcheck binary> <scratch dir>
set -euo pipefail
bin=$1
work=$2
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
command -v node >/dev/null || { echo "SKIP: node is not installed (bash ci/setup.sh)"; exit 77; }
[ -x "${CLAIMCHECK_CHROMIUM:-/usr/bin/chromium}" ] || { echo "SKIP: no Chromium (apt-get install chromium)"; exit 77; }
[ -d "$root/ci/node/node_modules/playwright-core" ] || { echo "SKIP: playwright-core missing (npm ci --prefix ci/node)"; exit 77; }
source "$root/tests/cli/lib.sh"
fixture_dir "$bin" "$work"
for id in tiny-a tiny-b; do
  fixture_claim "$root/tests/claims/data/tiny.json" "$id" \
    title="Tiny $id: GeGLU(2) vs ReLU(2) on MNIST (HTML render test)" \
    arms.0.source_value=0.4 arms.1.source_value=0.49 \
    hypotheses.2='{"id": "same-accuracy", "treatment": "geglu", "control": "relu",
      "metric": "test_accuracy", "kind": "equivalence", "margin": 0.05}' \
    >"$work/claims/$id.json"
done
cc run --all --profile smoke --store "$work/runs" >/dev/null 2>"$work/run.err" || true
env -u CI "$bin" --claims-dir "$work/claims" --baselines-dir "$work/baselines" \
  bless tiny-a --profile smoke --store "$work/runs" >/dev/null
rc=0
cc report --store "$work/runs" --report-dir "$work/reports" --format html >"$work/stdout.html" \
  2>"$work/report.err" || rc=$?
[ "$rc" -eq 1 ] || { cat "$work/report.err"; echo "FAIL: report exited $rc, expected 1 (tiny-b has no baseline)"; exit 1; }
cmp -s "$work/stdout.html" "$work/reports/suite.html" || { echo "FAIL: --format html did not print suite.html"; exit 1; }
grep -q 'class="baseline-ci"' "$work/reports/tiny-a/smoke/report.html" || { echo "FAIL: no baseline CI drawn for the blessed claim"; exit 1; }
node "$root/tests/report/render_check.mjs" "$work/reports/suite.html" \
  --screenshot "$work/suite.png" --dark-screenshot "$work/suite-dark.png"
node "$root/tests/report/render_check.mjs" "$work/reports/tiny-a/smoke/report.html" \
  --screenshot "$work/tiny-a.png"
echo "screenshots: $work/suite.png $work/suite-dark.png $work/tiny-a.png"
