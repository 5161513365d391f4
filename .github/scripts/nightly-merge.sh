#!/usr/bin/env bash
# nightly.yml's merge job: `claimcheck report` over every shard store (downloaded as artifacts
# store-shard-I into stores/), the suite report into the job summary, and its exit code as the
# step output `code` (the issue step and the job's result read it).
#   nightly-merge.sh SHARD_COUNT REPORT_DIR
set -euo pipefail
count=$1
reports=$2
stores=()
for ((i = 0; i < count; i++)); do stores+=("stores/store-shard-$i"); done
rc=0
bash ci/nightly/merge.sh "$reports" "${stores[@]}" >/dev/null || rc=$?
if [ -s "$reports/suite.md" ]; then
  cat "$reports/suite.md" >>"${GITHUB_STEP_SUMMARY:-/dev/null}"
else
  echo "❌ **claimcheck nightly: no report** (report exited $rc; see the log)" >>"${GITHUB_STEP_SUMMARY:-/dev/null}"
fi
echo "code=$rc" >>"${GITHUB_OUTPUT:-/dev/stdout}"
