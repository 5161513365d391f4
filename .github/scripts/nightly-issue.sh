#!/usr/bin/env bash
# nightly.yml: one open issue (label claimcheck-nightly) tracks a failing nightly. Anything
# regressed or missing: open it, or update its body to the latest suite report and comment with
# the run. Everything passing again: comment and close it. Other outcomes (improved, stale, no
# baseline) want a bless, not an alarm: they are in the job summary.
#   nightly-issue.sh REPORT_DIR REPORT_EXIT_CODE    env: GH_TOKEN, GITHUB_REPOSITORY, RUN_URL
set -euo pipefail
reports=$1
code=$2
label=claimcheck-nightly
run_url=${RUN_URL:-}
open=$(gh issue list --label "$label" --state open --json number --jq '.[0].number // empty')
failing=0
if [ "$code" -eq 2 ] || [ ! -s "$reports/suite.json" ] ||
  grep -Eq '"(regressed|incomplete)": [1-9]' "$reports/suite.json"; then
  failing=1
fi
if [ "$failing" -eq 0 ]; then
  if [ -n "$open" ] && [ "$code" -eq 0 ]; then
    gh issue close "$open" --comment "The nightly passes again: $run_url"
  fi
  exit 0
fi
body=$(mktemp)
{
  echo "The nightly claim run failed: $run_url"
  echo
  if [ -s "$reports/suite.md" ]; then head -c 60000 "$reports/suite.md"; else echo "No report (exit $code): see the run's log."; fi
} >"$body"
if [ -n "$open" ]; then
  gh issue edit "$open" --body-file "$body"
  gh issue comment "$open" --body "Still failing: $run_url"
else
  gh label create "$label" --color B60205 --description "claimcheck nightly failures" --force
  gh issue create --title "claimcheck nightly: claims regressed or runs missing" \
    --label "$label" --body-file "$body"
fi
