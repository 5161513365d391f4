#!/usr/bin/env bash
# pr.yml's report step: the suite report over the main job's store (runs/) into reports/, the
# Markdown into the job summary, and the pull request's number and commit beside it for the
# comment workflow (pr-comment.yml), which runs with a write token and so never runs this
# pull request's code. Exits as `claimcheck report` does (0 all pass, 1 moved or missing).
set -euo pipefail
reports=${1:-reports}
mkdir -p "$reports"
rc=0
if [ -x build/claimcheck ]; then
  build/claimcheck report --store runs --profile smoke --report-dir "$reports" --format md \
    >/dev/null || rc=$?
else
  rc=2
fi
if [ ! -s "$reports/suite.md" ]; then
  # The build or the main job failed before there was anything to report: say so, not nothing.
  printf '❌ **claimcheck: no report** — the build or the main job failed before any claim was '\
'judged (exit %s); see the job log.\n' "$rc" >"$reports/suite.md"
  [ "$rc" -ne 0 ] || rc=1
fi
cat "$reports/suite.md" >>"${GITHUB_STEP_SUMMARY:-/dev/null}"
printf '%s\n' "${PR_NUMBER:-}" >"$reports/pr-number"
printf '%s\n' "${PR_HEAD_SHA:-}" >"$reports/head-sha"
exit "$rc"
