#!/usr/bin/env bash
# The merge after the shards: one `claimcheck report` over every shard store. Writes the suite
# report (suite.md, suite.html, suite.json) and every claim's report.{md,json,html} under
# REPORT_DIR, prints the suite Markdown, and exits as `report` does: 0 all pass, 1 anything
# moved or missing (a shard that died leaves runs missing), 2 a shard store that does not exist.
#
#   ci/nightly/merge.sh REPORT_DIR STORE_DIR...
#
# Environment: CLAIMCHECK, CLAIMCHECK_PROFILE, CLAIMCHECK_ARGS as for ci/nightly/shard.sh.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 REPORT_DIR STORE_DIR..." >&2; exit 2; }
report_dir=$1
shift
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin=${CLAIMCHECK:-$root/build/claimcheck}
profile=${CLAIMCHECK_PROFILE:-nightly}
read -r -a extra <<<"${CLAIMCHECK_ARGS:-}"
[ -x "$bin" ] || { echo "merge.sh: no claimcheck binary at $bin (build first, or set CLAIMCHECK)" >&2; exit 2; }
stores=()
for s in "$@"; do stores+=(--store "$s"); done
mkdir -p "$report_dir"
exec "$bin" "${extra[@]}" report "${stores[@]}" --profile "$profile" --report-dir "$report_dir" \
  --format md
