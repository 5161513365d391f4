#!/usr/bin/env bash
# pr-comment.yml: posts the suite report of a finished `pr` run as one comment on its pull
# request, updated in place on every push (found by a hidden marker). The report artifact was
# made by the pull request's own code, so it is data, never run: the PR number must be an
# integer, that PR's head must be the commit the run tested (so a fork cannot aim the comment at
# another PR), and the body is cut to GitHub's comment limit.
#
#   sticky-comment.sh ARTIFACT_DIR     env: GH_TOKEN, GITHUB_REPOSITORY, HEAD_SHA
set -euo pipefail
dir=$1
: "${GITHUB_REPOSITORY:?}" "${HEAD_SHA:?}"
marker='<!-- claimcheck-suite-report -->'
pr=$(head -c 32 "$dir/pr-number" | tr -d '[:space:]')
[[ $pr =~ ^[0-9]{1,10}$ ]] || { echo "sticky-comment: no valid PR number in the artifact ('$pr')" >&2; exit 1; }
head_now=$(gh api "repos/$GITHUB_REPOSITORY/pulls/$pr" --jq .head.sha)
if [ "$head_now" != "$HEAD_SHA" ]; then
  echo "sticky-comment: PR #$pr is now at $head_now, this report is for $HEAD_SHA: a newer run will comment"
  exit 0
fi
body=$(mktemp)
{
  printf '%s\n' "$marker"
  # suite.md stays under the limit by construction; cut anyway, it is untrusted.
  head -c 64000 "$dir/suite.md"
  printf '\n\n<sub>claimcheck suite report for %s · updated on every push · full HTML report in the run'"'"'s artifacts</sub>\n' "$HEAD_SHA"
} >"$body"
id=$(gh api --paginate "repos/$GITHUB_REPOSITORY/issues/$pr/comments" \
  --jq ".[] | select(.user.login == \"github-actions[bot]\" and (.body | startswith(\"$marker\"))) | .id" |
  head -n 1)
if [ -n "$id" ]; then
  gh api -X PATCH "repos/$GITHUB_REPOSITORY/issues/comments/$id" -F "body=@$body" >/dev/null
  echo "sticky-comment: updated comment $id on PR #$pr"
else
  gh api -X POST "repos/$GITHUB_REPOSITORY/issues/$pr/comments" -F "body=@$body" >/dev/null
  echo "sticky-comment: commented on PR #$pr"
fi
