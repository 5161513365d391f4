#!/usr/bin/env bash
# One shard of the nightly: every claim's runs under the profile, shard I of N (numbered from 1), into
# the shard's own store (a directory). The GitHub nightly matrix and the Slurm job array both
# run this; ci/nightly/merge.sh then reports over all shard stores.
#
#   ci/nightly/shard.sh I N STORE_DIR
#
# Environment:
#   CLAIMCHECK          the claimcheck binary (default: build/claimcheck in the checkout)
#   CLAIMCHECK_PROFILE  the profile (default: nightly)
#   CLAIMCHECK_ARGS     arguments before the subcommand, e.g. "--claims-dir DIR --baselines-dir DIR"
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: $0 I N STORE_DIR" >&2; exit 2; }
index=$1
count=$2
store=$3
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin=${CLAIMCHECK:-$root/build/claimcheck}
profile=${CLAIMCHECK_PROFILE:-nightly}
read -r -a extra <<<"${CLAIMCHECK_ARGS:-}"
[ -x "$bin" ] || { echo "shard.sh: no claimcheck binary at $bin (build first, or set CLAIMCHECK)" >&2; exit 2; }
mkdir -p "$store"
echo "shard $index/$count of every $profile claim -> $store" >&2
exec "$bin" "${extra[@]}" run --all --profile "$profile" --shard "$index/$count" --store "$store"
