#!/usr/bin/env bash
# CI definitions that cannot be run here are at least checked here:
#   workflows_test.sh validate ROOT    every .github/workflows/*.yml against GitHub's schema
#                                      (@action-validator/cli from ci/node: offline, no network)
#   workflows_test.sh shellcheck ROOT  every shell script of the checkout (*.sh, *.sbatch,
#                                      .ci/run) with shellcheck, warnings and errors
set -euo pipefail
mode=$1
root=$2
case "$mode" in
  validate)
    validator=$root/ci/node/node_modules/.bin/action-validator
    [ -x "$validator" ] || { echo "SKIP: $validator missing (npm ci --prefix ci/node)"; exit 77; }
    # The validator must be able to fail: a job with a misspelt key is rejected.
    bad=$(mktemp --suffix=.yml)
    printf 'name: bad\non: [push]\njobs:\n  a:\n    runs-onn: x\n    steps:\n      - run: "true"\n' >"$bad"
    if "$validator" "$bad" >/dev/null 2>&1; then rm -f "$bad"; echo "FAIL: the validator accepts a broken workflow"; exit 1; fi
    rm -f "$bad"
    n=0
    for f in "$root"/.github/workflows/*.yml; do
      "$validator" "$f" || { echo "FAIL: $f does not validate"; exit 1; }
      n=$((n + 1))
    done
    [ "$n" -ge 3 ] || { echo "FAIL: expected pr.yml, pr-comment.yml and nightly.yml, found $n"; exit 1; }
    echo "ok: $n workflows validate"
    ;;
  shellcheck)
    command -v shellcheck >/dev/null || { echo "SKIP: shellcheck is not installed (apt-get install shellcheck)"; exit 77; }
    mapfile -t scripts < <(cd "$root" && find . \( -path ./build -o -path './build*' -o -path ./.git \
      -o -name node_modules -o -path ./runs \) -prune -o -type f \
      \( -name '*.sh' -o -name '*.sbatch' -o -path ./.ci/run \) -print | sort)
    [ "${#scripts[@]}" -ge 5 ] || { echo "FAIL: found only ${#scripts[@]} scripts"; exit 1; }
    # Severity warning: errors and warnings fail; info and style notes are left to review.
    (cd "$root" && shellcheck --shell=bash --severity=warning "${scripts[@]}")
    echo "ok: shellcheck clean (warning and above) on ${#scripts[@]} scripts: ${scripts[*]}"
    ;;
  *)
    echo "usage: $0 validate|shellcheck ROOT" >&2
    exit 2
    ;;
esac
