#!/usr/bin/env bash
# nightly.yml's plan job: the shard matrix and the GPU runner labels as job outputs.
#   env: SHARDS (a positive integer), LABELS (a JSON list of runner labels, or one label)
set -euo pipefail
[[ ${SHARDS:?} =~ ^[1-9][0-9]?$ ]] || { echo "shards must be 1..99, got '$SHARDS'" >&2; exit 2; }
labels=${LABELS:?}
[[ $labels == \[* ]] || labels="[\"$labels\"]"
matrix=$(seq -s, 1 "$SHARDS")  # shards are numbered from 1 (claimcheck run --shard I/N)
{
  echo "count=$SHARDS"
  echo "shards=[$matrix]"
  echo "labels=$labels"
} >>"${GITHUB_OUTPUT:-/dev/stdout}"
