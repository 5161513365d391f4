#!/usr/bin/env bash
# Regenerates the README's example suite report from a run store: the Markdown as a PR comment
# shows it (docs/example-suite-report.md) and the HTML report as Chromium renders it
# (docs/example-suite-report.png, the top of the page). Reads the store only; the reports go to
# a temporary directory (the full HTML report is left there and named at the end).
#
#   bash docs/regenerate.sh [STORE_DIR ...]     (default: runs/, the main job's store)
#
# Environment: CLAIMCHECK (default build/claimcheck), CLAIMCHECK_REPORT_ARGS (e.g.
# "--profile smoke --profile nightly").
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=${CLAIMCHECK:-$root/build/claimcheck}
[ $# -gt 0 ] || set -- "$root/runs"
# Store paths relative to the first store's parent, so the report names no machine's directories.
base=$(cd "$(dirname "$1")" && pwd)
stores=()
for s in "$@"; do stores+=(--store "$(realpath --relative-to="$base" "$s")"); done
read -r -a extra <<<"${CLAIMCHECK_REPORT_ARGS:-}"
out=$(mktemp -d)
rc=0
(cd "$base" && "$bin" report "${stores[@]}" "${extra[@]}" --report-dir "$out" --format md >/dev/null) || rc=$?
[ "$rc" -le 1 ] || { echo "regenerate.sh: claimcheck report exited $rc" >&2; exit "$rc"; }
cp "$out/suite.md" "$root/docs/example-suite-report.md"
node "$root/tests/report/render_check.mjs" "$out/suite.html" \
  --screenshot "$root/docs/example-suite-report.png" --screenshot-height 1500
echo "wrote docs/example-suite-report.{md,png}; the whole HTML report: $out/suite.html"
