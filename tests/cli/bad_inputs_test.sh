#!/usr/bin/env bash
# Bad-input catalogue (issue 12, "Nothing passes silently, nothing is lost"): claimcheck fed what
# a hostile tester would feed it (claim specs, command lines, run stores, baselines, data files,
# artifacts, signals, concurrent runs). For every input it checks
#   - the exit code: never 0 for a bad input that was asked to judge, never a crash (134, 139 or
#     any other signal exit; 130 only where a signal was sent);
#   - that stderr names the file and/or the key or value at fault, and says how to fix it (the
#     fragments each row expects);
#   - that nothing was lost: store files byte-identical or only appended to, baselines unchanged
#     unless bless was asked and allowed, nothing half-written left behind.
# It writes one Markdown table row per input to <scratch dir>/bad_inputs.md, prints the table
# and exits 1 if any row fails. A row marked FIXME documents a known defect in a file other
# engineers own: it asserts the right behaviour, shows what happens today and does not fail the
# test (when such a row starts passing, the table says so: drop its FIXME).
# One tiny MNIST store and one tiny char-lm store with artifacts are trained once and copied for
# every case that needs runs. Permission cases run as `nobody` (setpriv) when the test runs as
# root, since root reads chmod-000 files; without setpriv they are reported as not checked.
# Usage: bad_inputs_test.sh <claimcheck binary> <scratch dir>
set -uo pipefail
bin=$1
work=$2
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
fixture_dir "$bin" "$work"
mkdir -p "$work/snap"
t0=$(date +%s)

# ---- Fixtures: the tiny claim (tests/claims/data/tiny.json), a tiny prediction-difference claim
# (char-lm, artifacts) and a slower copy of tiny for the signal cases. ----
cp "$(dirname "${BASH_SOURCE[0]}")/../claims/data/tiny.json" "$work/claims/tiny.json"
fixture_claim charlm-pd pd \
  title="Prediction differences (bad-input fixture): tiny CharLM, ReLU vs GELU" \
  training='{"optimizer": {"type": "adamw"}, "lr": 0.003, "steps": 5, "batch": 4, "context": 8,
             "eval_windows": 8, "predictions": 8}' \
  arms.0.model.options.n_embd=8 arms.1.model.options.n_embd=8 -hypotheses.2 -hypotheses.1 \
  profiles.smoke.replicates=3 profiles.smoke.resamples=99 >"$work/claims/pd.json" ||
  fail "writing the pd fixture claim failed"
# sig: tiny with 40 replicates (80 runs): a signal always lands before it finishes.
sed -e 's/"id": "tiny"/"id": "sig"/' -e 's/"replicates": 3/"replicates": 40/' \
  "$work/claims/tiny.json" >"$work/claims/sig.json"
# edit.py SPEC 'python' prints the spec after the edit (s: the spec as a dict; s may be replaced).
cat >"$work/edit.py" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
exec(sys.argv[2])
sys.stdout.write(json.dumps(s, ensure_ascii=False))
PY
# lines.py FILE 'python' rewrites a JSONL store (L: its lines as strings; rec(i)/put(i, r): line i
# as a dict and back; torn = True: no newline after the last line).
cat >"$work/lines.py" <<'PY'
import json, sys
path = sys.argv[1]
L = open(path).read().split("\n")[:-1]
rec = lambda i: json.loads(L[i])
def put(i, r):
    L[i] = json.dumps(r, separators=(",", ":"))
torn = False
exec(sys.argv[2])
open(path, "w").write("\n".join(L) + ("" if torn or not L else "\n"))
PY
# edit_json.py FILE 'python' edits a JSON file in place (b: its content).
cat >"$work/edit_json.py" <<'PY'
import json, sys
b = json.load(open(sys.argv[1]))
exec(sys.argv[2])
json.dump(b, open(sys.argv[1], "w"), indent=1)
PY

if ! "$bin" env 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)["datasets"]
sys.exit(0 if d["mnist"]["found"] and d["tinyshakespeare"]["found"] else 1)'; then
  echo "SKIP: MNIST or Tiny Shakespeare missing (bash ci/setup.sh fetches them)"
  exit 77
fi
data=$("$bin" env | python3 -c 'import json, sys; print(json.load(sys.stdin)["data_dir"])')

# The real data sets are linked into the broken copies: check at the end that none was written.
data_stat() { stat -L -c '%n %s %Y' "$data"/mnist/* "$data/tinyshakespeare/input.txt"; }
data_before=$(data_stat)
claims=$work/claims
bl=$work/baselines
store=$work/store
# The directory options as an array (this file runs "$bin" itself rather than lib.sh's cc).
cc=(--claims-dir "$claims" --baselines-dir "$bl")
rc=0
"$bin" "${cc[@]}" run tiny --profile smoke --store "$store" >/dev/null 2>"$work/train.err" || rc=$?
[ "$rc" -eq 1 ] || { cat "$work/train.err"; fail "training the tiny store exited $rc (expected 1: no baseline)"; }
rc=0
"$bin" "${cc[@]}" run pd --profile smoke --store "$store" >/dev/null 2>>"$work/train.err" || rc=$?
[ "$rc" -eq 1 ] || { cat "$work/train.err"; fail "training the pd store exited $rc (expected 1: no baseline)"; }
for claim in tiny pd; do
  env -u CI "$bin" "${cc[@]}" bless "$claim" --profile smoke --store "$store" >/dev/null 2>&1 ||
    fail "blessing $claim in the scratch baselines failed"
done
[ "$(wc -l <"$store/tiny.jsonl")" -eq 6 ] && [ "$(wc -l <"$store/pd.jsonl")" -eq 6 ] ||
  fail "the fixture stores do not hold 6 runs each"
echo "fixtures trained and blessed in $(($(date +%s) - t0)) s"

# ---- The row machinery ----
# Per row (reset after each): KEEP files/directories that must stay byte-identical, GROW files
# that may only be appended to, ABSENT paths that must not exist afterwards (or be empty files),
# FIXME "owner: defect" for a known defect in someone else's file, STREAM err|all where the
# fragments are looked for (all: stdout too, for what bless prints).
KEEP=()
GROW=()
ABSENT=()
FIXME=""
STREAM=err
n=0
failed=0
fixme_count=0
xpass=0
skipped=0
: >"$work/rows.md"

# A content fingerprint of a file or of every file under a directory.
fingerprint() {
  if [ -d "$1" ]; then
    (cd "$1" && find . -type f -print0 | sort -z | xargs -0 -r md5sum)
  elif [ -e "$1" ]; then
    md5sum <"$1"
  else
    echo absent
  fi
}

snapshot() {
  local i=0 f
  for f in "${KEEP[@]+"${KEEP[@]}"}"; do
    fingerprint "$f" >"$work/snap/keep.$i"
    i=$((i + 1))
  done
  i=0
  for f in "${GROW[@]+"${GROW[@]}"}"; do
    if [ -e "$f" ]; then cp "$f" "$work/snap/grow.$i"; else : >"$work/snap/grow.$i"; fi
    i=$((i + 1))
  done
}

# Prints "yes" or "NO (what)": were the KEEP/GROW/ABSENT promises kept?
nothing_lost() {
  local i=0 f size problems=""
  for f in "${KEEP[@]+"${KEEP[@]}"}"; do
    [ "$(fingerprint "$f")" = "$(cat "$work/snap/keep.$i")" ] || problems+=" ${f#"$work"/} changed;"
    i=$((i + 1))
  done
  i=0
  for f in "${GROW[@]+"${GROW[@]}"}"; do
    size=$(stat -c %s "$work/snap/grow.$i")
    if [ ! -f "$f" ] || [ "$(stat -c %s "$f")" -lt "$size" ] ||
      ! cmp -s -n "$size" "$work/snap/grow.$i" "$f"; then
      problems+=" ${f#"$work"/} lost bytes;"
    fi
    i=$((i + 1))
  done
  for f in "${ABSENT[@]+"${ABSENT[@]}"}"; do
    if [ -d "$f" ] || [ -s "$f" ]; then problems+=" ${f#"$work"/} written;"; fi
  done
  if [ -z "$problems" ]; then echo yes; else echo "NO ($problems )"; fi
}

# Whether every '|'-separated fragment of $2 occurs in file $1 (an empty list: yes).
has_all() {
  local fragment
  local -a fragments
  IFS='|' read -r -a fragments <<<"$2"
  for fragment in "${fragments[@]+"${fragments[@]}"}"; do
    grep -aqF -- "$fragment" "$1" || return 1
  done
  return 0
}

# A table cell: one line, no pipes or backticks, at most 150 characters.
cell() {
  printf '%s' "$1" | tr '\n`' " '" | sed -e 's/|/\\|/g' -e 's/  */ /g' | cut -c1-150
}

# record CLASS INPUT RC EXPECT EXCERPT NAMES(yes/NO) FIX(yes/NO) LOST(yes/NO...)
record() {
  local class=$1 input=$2 code=$3 expect=$4 excerpt=$5 names=$6 fix=$7 lost=$8 result=PASS
  local crash=""
  n=$((n + 1))
  if [ "$code" -ge 128 ] && ! { [ "$code" -eq 130 ] && [ "$expect" -eq 130 ]; }; then
    crash=" CRASH"
  fi
  if [ "$code" -ne "$expect" ] || [ -n "$crash" ] || [ "$names" != yes ] || [ "$fix" != yes ] ||
    [ "$lost" != yes ]; then
    result=FAIL
  fi
  if [ -n "$FIXME" ]; then
    if [ "$result" = FAIL ]; then
      result="FIXME ($FIXME)"
      fixme_count=$((fixme_count + 1))
    else
      result="PASS (was FIXME: drop the label)"
      xpass=$((xpass + 1))
    fi
  elif [ "$result" = FAIL ]; then
    failed=$((failed + 1))
  fi
  printf '| %d | %s | %s | %s (want %s)%s | %s | %s | %s | %s | %s |\n' "$n" "$class" \
    "$(cell "$input")" "$code" "$expect" "$crash" "$(cell "$excerpt")" "$names" "$fix" "$lost" \
    "$result" >>"$work/rows.md"
  KEEP=()
  GROW=()
  ABSENT=()
  FIXME=""
  STREAM=err
}

# row CLASS INPUT EXPECT NAMES FIX -- COMMAND...: runs COMMAND and records the row.
row() {
  local class=$1 input=$2 expect=$3 names=$4 fix=$5 code=0 text first excerpt
  shift 6
  snapshot
  "$@" >"$work/out" 2>"$work/err" </dev/null || code=$?
  text=$work/err
  if [ "$STREAM" = all ]; then
    cat "$work/err" "$work/out" >"$work/all"
    text=$work/all
  fi
  first=${names%%|*}
  excerpt=$(grep -aF -m1 -- "$first" "$text" || true)
  [ -n "$excerpt" ] || excerpt=$(grep -av '^\[' "$text" | head -n 1)
  record "$class" "$input" "$code" "$expect" "$excerpt" \
    "$(has_all "$text" "$names" && echo yes || echo NO)" \
    "$(has_all "$text" "$fix" && echo yes || echo NO)" "$(nothing_lost)"
}

# spec INPUT NAMES FIX 'python edit of s' [BASE]: `analyze` with one edited spec; exit 2 naming
# the spec file.
spec() {
  local d=$work/spec/$((n + 1)) base=${5:-tiny}
  mkdir -p "$d"
  python3 "$work/edit.py" "$claims/$base.json" "$4" >"$d/$base.json" || fail "spec edit failed: $4"
  KEEP=("$store/$base.jsonl" "$bl")
  row spec "$1" 2 "$d/$base.json|$2" "$3" -- \
    "$bin" --claims-dir "$d" --baselines-dir "$bl" analyze "$base" --profile smoke --store "$store"
}

# spec_bytes INPUT NAMES FIX PRINTF-FORMAT: the same with a spec file of exactly these bytes.
spec_bytes() {
  local d=$work/spec/$((n + 1))
  mkdir -p "$d"
  # shellcheck disable=SC2059  # the format is the input
  printf "$4" >"$d/tiny.json"
  KEEP=("$store/tiny.jsonl" "$bl")
  row spec "$1" 2 "$d/tiny.json|$2" "$3" -- \
    "$bin" --claims-dir "$d" --baselines-dir "$bl" analyze tiny --profile smoke --store "$store"
}

# store_case INPUT EXPECT NAMES FIX 'python edit of L' [CLAIM]: `analyze` on a copy of the
# fixture store with the edit applied; the edited file must come out byte-identical.
store_case() {
  local d=$work/st/$((n + 1)) claim=${6:-tiny}
  mkdir -p "$d"
  cp "$store/$claim.jsonl" "$d/"
  [ "$claim" = pd ] && cp -r "$store/artifacts" "$d/"
  python3 "$work/lines.py" "$d/$claim.jsonl" "$5" || fail "store edit failed: $5"
  KEEP=("$d/$claim.jsonl" "$store/$claim.jsonl" "$bl")
  row store "$1" "$2" "$d/$claim.jsonl|$3" "$4" -- \
    "$bin" "${cc[@]}" analyze "$claim" --profile smoke --store "$d"
}

# baseline_case INPUT NAMES FIX 'shell edit of $f' [COMMAND...]: `analyze tiny` (or COMMAND)
# against a copy of the baselines whose tiny/smoke.json the edit damaged; exit 2, unchanged.
baseline_case() {
  local input=$1 names=$2 fix=$3 edit=$4 d=$work/bl/$((n + 1))
  shift 4
  mkdir -p "$d"
  cp -r "$bl/." "$d/"
  f=$d/tiny/smoke.json
  eval "$edit" || fail "baseline edit failed: $edit"
  KEEP=("$d" "$store/tiny.jsonl")
  row baseline "$input" 2 "$f|$names" "$fix" -- \
    "$bin" --claims-dir "$claims" --baselines-dir "$d" "${@:-analyze}" tiny --profile smoke \
    --store "$store"
}

# data_case INPUT CLAIM NAMES FIX 'shell edit of $dd (a copy of the data directory)':
# `run CLAIM` into a fresh store with CLAIMCHECK_DATA=$dd; exit 2 and no store line written.
data_case() {
  local input=$1 claim=$2 names=$3 fix=$4 edit=$5 s=$work/ds/$((n + 1)) f
  dd=$work/data/$((n + 1))
  mkdir -p "$dd/mnist" "$dd/tinyshakespeare"
  for f in "$data"/mnist/*; do ln -s "$f" "$dd/mnist/"; done
  ln -s "$data/tinyshakespeare/input.txt" "$dd/tinyshakespeare/input.txt"
  eval "$edit" || fail "data edit failed: $edit"
  ABSENT=("$s/$claim.jsonl")
  KEEP=("$bl")
  row data "$input" 2 "$names" "$fix" -- \
    env CLAIMCHECK_DATA="$dd" "$bin" "${cc[@]}" run "$claim" --profile smoke --store "$s"
}

# artifact_case INPUT NAMES FIX 'shell edit of $a (an artifact path) in store $d': `analyze pd`.
artifact_case() {
  d=$work/art/$((n + 1))
  mkdir -p "$d"
  cp -r "$store/pd.jsonl" "$store/artifacts" "$d/"
  a=$d/$(python3 -c 'import json, sys; print(json.loads(open(sys.argv[1]).readline())["artifacts"]["predictions"]["file"])' "$d/pd.jsonl")
  eval "$4" || fail "artifact edit failed: $4"
  KEEP=("$d/pd.jsonl" "$store/pd.jsonl" "$store/artifacts" "$bl")
  row artifact "$1" 2 "$2" "$3" -- "$bin" "${cc[@]}" analyze pd --profile smoke --store "$d"
}

# ---- Controls: good inputs pass (the checks below are not failing everything) ----
KEEP=("$store/tiny.jsonl" "$bl")
row control "clean tiny store, analyze" 0 "tiny (smoke): pass" "" -- \
  "$bin" "${cc[@]}" analyze tiny --profile smoke --store "$store"
KEEP=("$store/pd.jsonl" "$store/artifacts" "$bl")
row control "clean pd store with artifacts, analyze" 0 "pd (smoke): pass" "" -- \
  "$bin" "${cc[@]}" analyze pd --profile smoke --store "$store"
controls=$n

# ---- Claim specs: exit 2, `file: key.path: what`, before anything is read or trained ----
spec_bytes "empty file (0 bytes)" "not valid JSON" "line 1, column 1" ''
spec_bytes "whitespace only" "not valid JSON" "line 3, column 1" '  \n\n'
spec_bytes "malformed JSON: truncated object" "not valid JSON" "line 1, column" '{"id": "tiny", "title": "x", "task": {'
spec_bytes "malformed JSON: trailing comma" "not valid JSON" "line 1, column 15" '{"id": "tiny",}'
spec_bytes "NaN literal (not JSON)" "not valid JSON|'\"lr\": N'" "line 1, column" '{"id": "tiny", "lr": NaN}'
spec_bytes "number 1e999 (overflows a double)" "not valid JSON|1e999" "number overflow" '{"id": "tiny", "x": 1e999}'
spec_bytes "invalid UTF-8 byte in a string" "not valid JSON|ill-formed UTF-8" "line 1, column 11" '{"id": "ti\xffny"}'
spec_bytes "two JSON documents in one file" "not valid JSON" "expected end of input" '{"id": "tiny"} {"id": "tiny"}'
spec "spec is an array, not an object" "the spec: must be a JSON object" "got array" 's = [s]'
spec "unknown top-level key 'trainng'" "trainng: unknown key" "valid keys here|claims/README.md" 's["trainng"] = s.pop("training")'
spec "unknown key in task" "task.datset: unknown key" "valid keys here: dataset, path, type" 's["task"]["datset"] = "mnist"'
spec "unknown key in training" "training.lrr: unknown key" "valid keys here" 's["training"]["lrr"] = 0.1'
spec "unknown key in training.optimizer" "training.optimizer.opts: unknown key" "valid keys here: options, type" 's["training"]["optimizer"]["opts"] = {}'
spec "unknown optimizer option 'betaz'" "training.optimizer|unknown option 'betaz'" "valid: betas, eps, weight_decay" 's["training"]["optimizer"]["options"] = {"betaz": 0.9}'
spec "unknown key in an arm" "arms[0].colour: unknown key" "valid keys here" 's["arms"][0]["colour"] = "red"'
spec "unknown key in an arm's training override" "arms[1].training.lrr: unknown key" "valid keys here" 's["arms"][1]["training"] = {"lrr": 0.1}'
spec "unknown key in an arm's model" "arms[0].model.opts: unknown key" "valid keys here: options, type" 's["arms"][0]["model"]["opts"] = {}'
spec "unknown model option 'hiden'" "arms[0].model.options|unknown option 'hiden'" "valid: hidden" 's["arms"][0]["model"]["options"]["hiden"] = 3'
spec "unknown key in a hypothesis ('metirc')" "hypotheses[0].metirc: unknown key" "valid keys here" 's["hypotheses"][0]["metirc"] = "test_loss"'
spec "unknown key in a prediction-difference hypothesis ('measur')" "hypotheses[0].measur: unknown key" "valid keys here" 's["hypotheses"][0]["measur"] = "top-1"' pd
spec "unknown key in a contrast term" "hypotheses[0].contrast[0]|\"w\":2" "must be {\"arm\": <name>, \"weight\": <number>}" 's["hypotheses"][0] = {"id": "c", "contrast": [{"arm": "relu", "weight": 1, "w": 2}, {"arm": "geglu", "weight": -1}]}'
spec "unknown key in a check ('tolerence')" "checks[0].tolerence: unknown key" "valid keys here" 's["checks"] = [{"type": "parameter-ratio", "numerator": "relu", "denominator": "geglu", "expected": 0.5, "tolerance": 0.1, "tolerence": 1}]'
spec "unknown key in search" "search.lrs: unknown key" "valid keys here: batch, lr" 's["search"] = {"batch": [64], "lr": [0.1], "lrs": [1]}'
spec "unknown key in a profile ('replicate')" "profiles.smoke.replicate: unknown key" "valid keys here" 's["profiles"]["smoke"]["replicate"] = 3'
spec "unknown key in a profile's training override" "profiles.smoke.training.epoch: unknown key" "valid keys here" 's["profiles"]["smoke"]["training"] = {"epoch": 2}'
spec "unknown option in a profile's model_options" "profiles.smoke.model_options|unknown option 'hiddn'" "valid: hidden" 's["profiles"]["smoke"]["model_options"] = {"hiddn": 2}'
spec "unknown profile 'fast'" "profiles.fast: unknown profile" "valid: smoke, nightly" 's["profiles"]["fast"] = {}'
spec "unknown key in arm_grid" "arm_grid.extra: unknown key" "valid keys here: axes, exclude, name, source_values" 's["arm_grid"] = {"name": "g-{w}", "axes": [{"axis": "w", "values": [{"value": "4", "model_options": {"hidden": 4}}]}], "extra": 1}'
spec "unknown key in an arm_grid axis value" "arm_grid.axes[0].values[0].modle: unknown key" "valid keys here: model, model_options, training, value" 's["arm_grid"] = {"name": "g-{w}", "axes": [{"axis": "w", "values": [{"value": "4", "modle": {}}]}]}'
spec "unknown key in hypothesis_templates" "hypothesis_templates[0].x: unknown key" "valid keys here: for_each, hypothesis" 's["hypothesis_templates"] = [{"for_each": {"a": ["relu"]}, "hypothesis": {"id": "t-{a}", "treatment": "geglu", "control": "{a}"}, "x": 1}]'
spec "template over an axis the grid lacks" "hypothesis_templates[0].for_each|'nope'" "is not an axis of the arm_grid" 's["hypothesis_templates"] = [{"for_each": "nope", "hypothesis": {"id": "t"}}]'
spec "arm_grid.exclude names an axis that does not exist" "arm_grid.exclude[0]|'width'" "which the grid does not have (axes: w)" 's["arm_grid"] = {"name": "g{w}", "axes": [{"axis": "w", "values": [{"value": "4", "model": {"type": "ffn-relu", "options": {"hidden": 4}}}, {"value": "8", "model": {"type": "ffn-relu", "options": {"hidden": 8}}}]}], "exclude": [{"width": "8"}]}'
spec "arm_grid.source_values names an arm the grid does not make" "arm_grid.source_values|nosuch" "which the grid does not make" 's["arm_grid"] = {"name": "g{w}", "axes": [{"axis": "w", "values": [{"value": "4", "model": {"type": "ffn-relu", "options": {"hidden": 4}}}]}], "source_values": {"nosuch": 0.9}}'
spec "lr \"NaN\" (a string)" "training.lr: has the wrong type|\"NaN\"" "expected a number" 's["training"]["lr"] = "NaN"'
spec "alpha \"0.05\" (a string)" "profiles.smoke.alpha: has the wrong type" "expected a number" 's["profiles"]["smoke"]["alpha"] = "0.05"'
spec "gpu \"yes\" (a string)" "profiles.smoke.gpu: has the wrong type" "expected true or false" 's["profiles"]["smoke"]["gpu"] = "yes"'
spec "epochs 1.5" "training.epochs: has the wrong type|1.5" "expected an integer" 's["training"]["epochs"] = 1.5'
spec "epochs 1e30 (huge)" "training.epochs: has the wrong type|1e+30" "expected an integer in" 's["training"]["epochs"] = 10**30'
spec "replicates 2^31 (past int)" "profiles.smoke.replicates: has the wrong type|2147483648" "expected an integer in [-2147483648, 2147483647]" 's["profiles"]["smoke"]["replicates"] = 2**31'
spec "lr -1" "training.lr" "must be a finite number > 0" 's["training"]["lr"] = -1'
spec "batch 0" "training.batch" "must be >= 1" 's["training"]["batch"] = 0'
spec "replicates 1" "profiles.smoke.replicates" "must be >= 2" 's["profiles"]["smoke"]["replicates"] = 1'
spec "alpha 1" "profiles.smoke.alpha" "must be in (0, 0.5)" 's["profiles"]["smoke"]["alpha"] = 1'
spec "resamples -5" "profiles.smoke.resamples" "must be >= 99" 's["profiles"]["smoke"]["resamples"] = -5'
spec "timeout -1" "profiles.smoke.timeout" "must be >= 0" 's["profiles"]["smoke"]["timeout"] = -1'
spec "device 'tpu'" "profiles.smoke.device|'tpu'" "valid: auto, cpu, cuda" 's["profiles"]["smoke"]["device"] = "tpu"'
spec "margin -0.1" "hypotheses[0].margin" "must be a finite number >= 0" 's["hypotheses"][0]["margin"] = -0.1'
spec "equivalence without a margin" "hypotheses[0].margin" "must be > 0 for equivalence" 's["hypotheses"][0]["kind"] = "equivalence"'
spec "kind 'superior'" "hypotheses[0].kind|'superior'" "valid: superiority, non-inferiority, equivalence" 's["hypotheses"][0]["kind"] = "superior"'
spec "metric 'accuracy'" "hypotheses[0].metric|'accuracy'" "valid: test_accuracy, test_loss, final_train_loss" 's["hypotheses"][0]["metric"] = "accuracy"'
spec "treatment names an undefined arm" "hypotheses[0].treatment|'swiglu'" "arms: relu, geglu" 's["hypotheses"][0]["treatment"] = "swiglu"'
spec "treatment = control" "hypotheses[0].control" "is the same arm as treatment" 's["hypotheses"][0]["control"] = "geglu"'
spec "contrast weights sum to -1" "hypotheses[0].contrast" "must sum to 0" 's["hypotheses"][0] = {"id": "c", "contrast": [{"arm": "relu", "weight": 1}, {"arm": "geglu", "weight": -2}]}'
spec "both treatment/control and a contrast" "hypotheses[0].treatment" "give either treatment and control, or a contrast" 's["hypotheses"][0]["contrast"] = []'
spec "random search with k above search_trials" "profiles.smoke.search_trials" "the expected best of k needs k <= trials" 's["search"] = {"batch": [64], "lr": [0.1]}; s["hypotheses"][0].update({"design": "random-search", "k": 4})'
spec "PD hypothesis on arms that keep no predictions" "hypotheses[0].treatment|'geglu'" "set \"predictions\"" 's["hypotheses"][0] = {"id": "pd", "design": "prediction-difference", "treatment": "geglu", "control": "relu"}'
spec "profile decides an unknown hypothesis" "profiles.smoke.hypotheses|'nope'" "is not a hypothesis id" 's["profiles"]["smoke"]["hypotheses"] = ["nope"]'
spec "parameter-ratio check that fails" "checks[0]|relu/geglu" "change the model options or the check" 's["checks"] = [{"type": "parameter-ratio", "numerator": "relu", "denominator": "geglu", "expected": 1, "tolerance": 0.01}]'
spec "check on a parameter part the models lack" "checks[0].part|'attn'" "valid: total, input, output" 's["checks"] = [{"type": "parameter-ratio", "numerator": "relu", "denominator": "geglu", "part": "attn"}]'
spec "model option hidden 0" "arms[0].model.options|'hidden'|got 0" "must be an integer in [1, 32768]" 's["arms"][0]["model"]["options"]["hidden"] = 0'
spec "model option hidden 2^62 (parameter count overflows int64)" "arms[0].model.options|hidden" "must be an integer in [1, 32768]" 's["arms"][0]["model"]["options"]["hidden"] = 2**62'
spec "unknown model type" "arms[0].model.type|'ffn-reluu'" "valid: charlm" 's["arms"][0]["model"]["type"] = "ffn-reluu"'
spec "unknown task type" "task.type|'regression'" "valid: char-lm, image-classification" 's["task"]["type"] = "regression"'
spec "unknown data set 'cifar10'" "task.dataset|'cifar10'" "valid: mnist, fashion-mnist" 's["task"]["dataset"] = "cifar10"'
spec "arms empty" "arms: must be a non-empty array" "non-empty" 's["arms"] = []'
spec "hypotheses an object" "hypotheses: must be a non-empty array" "non-empty array" 's["hypotheses"] = {}'
spec "no profiles" "profiles: must define smoke and/or nightly" "smoke and/or nightly" 's["profiles"] = {}'
spec "duplicate hypothesis id" "hypotheses[1].id: duplicate id 'geglu-more-accurate'" "duplicate" 's["hypotheses"][1]["id"] = "geglu-more-accurate"'
spec "duplicate arm name" "arms[1].name: duplicate arm name 'relu'" "duplicate" 's["arms"][1]["name"] = "relu"'
spec "id is not the file name" "id: 'other'|('tiny')" "rename one of them" 's["id"] = "other"'
spec "unicode id 'tïny'" "id: 'tïny'" "must match [a-z0-9-]+" 's["id"] = "t\u00efny"'
spec "unicode arm name 'rélu'" "arms[0].name: 'rélu'" "must match [a-z0-9-]+" 's["arms"][0]["name"] = "r\u00e9lu"; s["hypotheses"][0]["control"] = "r\u00e9lu"'
spec "seed_stream with spaces" "arms[0].seed_stream|'A B'" "must match [a-z0-9-]+" 's["arms"][0]["seed_stream"] = "A B"'
d=$work/spec/dupkey
mkdir -p "$d"
# (a dict cannot hold a duplicate key: this spec is written by hand)
sed 's/"lr": 0.001/"lr": -5, "lr": 0.001/' "$claims/tiny.json" >"$d/tiny.json"
grep -q '"lr": -5, "lr": 0.001' "$d/tiny.json" || fail "could not write the duplicate-key spec"
KEEP=("$store/tiny.jsonl" "$bl")
row spec "duplicate JSON key: lr -5, then lr 0.001" 2 "$d/tiny.json|training: duplicate key 'lr'" "remove one" -- \
  "$bin" --claims-dir "$d" --baselines-dir "$bl" analyze tiny --profile smoke --store "$store"
d=$work/spec/dir
mkdir -p "$d/tiny.json"
row spec "spec file is a directory (analyze)" 2 "$d/tiny.json|is a directory" "move it out of --claims-dir" -- \
  "$bin" --claims-dir "$d" --baselines-dir "$bl" analyze tiny --profile smoke --store "$store"
row spec "spec file is a directory (list)" 2 "$d/tiny.json|directory" "move it" -- \
  "$bin" --claims-dir "$d" list
d=$work/spec/all
mkdir -p "$d"
cp "$claims/tiny.json" "$d/"
printf '{"id": "broken",' >"$d/broken.json"
ABSENT=("$work/spec/all-store/tiny.jsonl")
row spec "run --all with one malformed spec among good ones" 2 "$d/broken.json|not valid JSON" "line 1, column" -- \
  "$bin" --claims-dir "$d" --baselines-dir "$bl" run --all --profile smoke --store "$work/spec/all-store"
d=$work/spec/pathdir
mkdir -p "$d" "$work/spec/corpus-dir"
python3 "$work/edit.py" "$claims/pd.json" "s['task'] = {'type': 'char-lm', 'path': '$work/spec/corpus-dir'}" >"$d/pd.json"
row spec "task.path is a directory" 2 "task.path|corpus-dir" "a text file" -- \
  "$bin" --claims-dir "$d" --baselines-dir "$bl" analyze pd --profile smoke --store "$store"
: >"$work/spec/empty-corpus.txt"
python3 "$work/edit.py" "$claims/pd.json" "s['task'] = {'type': 'char-lm', 'path': '$work/spec/empty-corpus.txt'}" >"$d/pd.json"
row spec "task.path is an empty file" 2 "task.path|empty-corpus.txt" "1,000 characters" -- \
  "$bin" --claims-dir "$d" --baselines-dir "$bl" analyze pd --profile smoke --store "$store"

# ---- Command lines: exit 2 with the usage line; nothing trained ----
cli() { # INPUT EXPECT NAMES FIX -- COMMAND... (nothing trained into $work/cli-none)
  KEEP=("$store/tiny.jsonl" "$bl" "$claims")
  ABSENT=("$work/cli-none/tiny.jsonl")
  row cli "$@"
  rm -rf "$work/cli-none"  # so that one row's leftovers do not fail the next
}
cli "no subcommand" 2 "A subcommand is required" "usage: claimcheck <list" -- "$bin"
cli "unknown subcommand 'frobnicate'" 2 "'frobnicate' is not a subcommand" "valid: list, run, analyze, bless, report, env" -- "$bin" frobnicate
cli "unknown option --verbose" 2 "--verbose" "usage: claimcheck analyze" -- "$bin" "${cc[@]}" analyze tiny --profile smoke --store "$store" --verbose
cli "--profile without its value" 2 "--profile" "usage: claimcheck analyze" -- "$bin" "${cc[@]}" analyze tiny --profile
cli "--profile missing" 2 "--profile is required" "usage: claimcheck analyze" -- "$bin" "${cc[@]}" analyze tiny --store "$store"
cli "--profile of a subcommand given before it" 2 "--profile given before the subcommand" "write the subcommand first" -- "$bin" --profile smoke "${cc[@]}" analyze tiny --store "$store"
cli "--store given before the subcommand" 2 "--store given before the subcommand" "write the subcommand first" -- "$bin" "${cc[@]}" --store "$store" analyze tiny --profile smoke
cli "--seeds on bless (a baseline is the profile's design)" 2 "--seeds" "usage: claimcheck bless" -- "$bin" "${cc[@]}" bless tiny --profile smoke --store "$store" --seeds 3
cli "--seeds 1 on analyze" 2 "--seeds|got '1'" "must be an integer >= 2" -- "$bin" "${cc[@]}" analyze tiny --profile smoke --store "$store" --seeds 1
cli "unknown profile 'fast'" 2 "tiny.json: profiles: no profile 'fast'" "defined: smoke" -- "$bin" "${cc[@]}" analyze tiny --profile fast --store "$store"
cli "--shard 3/2" 2 "--shard '3/2'" "expected I/N with 1 <= I <= N" -- "$bin" "${cc[@]}" run tiny --profile smoke --store "$work/cli-none" --shard 3/2
cli "--shard a/b" 2 "--shard 'a/b'" "expected I/N" -- "$bin" "${cc[@]}" run tiny --profile smoke --store "$work/cli-none" --shard a/b
cli "--shard 0/0" 2 "--shard '0/0'" "expected I/N" -- "$bin" "${cc[@]}" run tiny --profile smoke --store "$work/cli-none" --shard 0/0
cli "--shard 0/2 (0-based)" 2 "--shard '0/2'" "shards are numbered from 1: write 1/2 ... 2/2" -- "$bin" "${cc[@]}" run tiny --profile smoke --store "$work/cli-none" --shard 0/2
cli "--seeds 1" 2 "--seeds|got '1'" "must be an integer >= 2" -- "$bin" "${cc[@]}" run tiny --profile smoke --store "$work/cli-none" --seeds 1
cli "--seeds many" 2 "--seeds|got 'many'" "must be an integer >= 2" -- "$bin" "${cc[@]}" run tiny --profile smoke --store "$work/cli-none" --seeds many
cli "--seeds 99999999999 (past int)" 2 "--seeds|got '99999999999'" "must be an integer >= 2" -- "$bin" "${cc[@]}" run tiny --profile smoke --store "$work/cli-none" --seeds 99999999999
cli "--device tpu" 2 "--device: tpu" "{auto,cpu,cuda}" -- "$bin" "${cc[@]}" run tiny --profile smoke --store "$work/cli-none" --device tpu
# An explicit --device cuda that cannot be met is an error (exit 2, not the skip a GPU profile
# gets), naming the flag, why (a CPU-only LibTorch, or no device visible) and the README section.
if ! "$bin" env | python3 -c 'import json, sys; sys.exit(0 if json.load(sys.stdin)["cuda"]["available"] else 1)'; then
  cli "--device cuda without CUDA" 2 "--device cuda: |LibTorch was built with" "README's section \"Building on a CUDA machine\"" -- "$bin" "${cc[@]}" run tiny --profile smoke --store "$work/cli-none" --device cuda
fi
cli "--format pdf" 2 "--format: pdf" "{md,html,json}" -- "$bin" "${cc[@]}" report --store "$store" --format pdf
cli "run with a claim and --all" 2 "give a claim id or --all (not both)" "usage: claimcheck run" -- "$bin" "${cc[@]}" run tiny --all --profile smoke --store "$work/cli-none"
cli "run with neither a claim nor --all" 2 "give a claim id or --all" "usage: claimcheck run" -- "$bin" "${cc[@]}" run --profile smoke --store "$work/cli-none"
cli "unknown claim id" 2 "$claims/nosuch.json|no claim 'nosuch'" "claims there: pd, sig, tiny" -- "$bin" "${cc[@]}" analyze nosuch --profile smoke --store "$store"
cli "claim id with a path ('../claims/tiny')" 2 "claim '../claims/tiny'|not a claim id" "claimcheck list" -- "$bin" "${cc[@]}" analyze ../claims/tiny --profile smoke --store "$store"
cli "empty claim id" 2 "claim ''|not a claim id" "ids match [a-z0-9-]+" -- "$bin" "${cc[@]}" analyze "" --profile smoke --store "$store"
cli "report --claim unknown" 2 "nosuch.json|no claim 'nosuch'" "claims there" -- "$bin" "${cc[@]}" report --store "$store" --claim nosuch
cli "report --profile nobody defines" 2 "--profile fast" "they define: smoke" -- "$bin" "${cc[@]}" report --store "$store" --profile fast
cli "--claims-dir that does not exist (list)" 2 "$work/no-such-dir" "check --claims-dir" -- "$bin" --claims-dir "$work/no-such-dir" list
cli "--claims-dir that does not exist (analyze)" 2 "$work/no-such-dir|no such directory" "--claims-dir must be a directory" -- "$bin" --claims-dir "$work/no-such-dir" --baselines-dir "$bl" analyze tiny --profile smoke --store "$store"
cli "--claims-dir is a file" 2 "$claims/tiny.json|not a directory" "check --claims-dir" -- "$bin" --claims-dir "$claims/tiny.json" list
cli "analyze --store that does not exist" 1 "$work/no-such-store/tiny.jsonl|6 of 6 runs" "run tiny --profile smoke --store $work/no-such-store" -- "$bin" "${cc[@]}" analyze tiny --profile smoke --store "$work/no-such-store"
cli "analyze --store is a file" 2 "--store $claims/tiny.json|is a file" "give a directory" -- "$bin" "${cc[@]}" analyze tiny --profile smoke --store "$claims/tiny.json"
cli "run --store is a file" 2 "--store $claims/tiny.json|is a file" "give a directory" -- "$bin" "${cc[@]}" run tiny --profile smoke --store "$claims/tiny.json"
cli "run --report-dir is a file" 2 "--report-dir $claims/tiny.json|is a file" "give a directory" -- "$bin" "${cc[@]}" run tiny --profile smoke --store "$work/cli-none" --report-dir "$claims/tiny.json"
cli "report --store that does not exist" 2 "--store $work/no-such-store|no such directory" "give a directory that" -- "$bin" "${cc[@]}" report --store "$work/no-such-store"
cli "report --store is a file" 2 "--store $claims/tiny.json|not a directory" "give a directory that" -- "$bin" "${cc[@]}" report --store "$claims/tiny.json"

# ---- Run stores: a skipped line is named (file:line: key: what), its run is missing (exit 1)
# or, where the store cannot be read as a store at all, exit 2; analyze never writes the store ----
store_case "truncated last line (torn write)" 1 "tiny.jsonl:6: torn last line|1 of 6 runs" "run tiny --profile smoke" 'L[5] = L[5][:-200]; torn = True'
store_case "garbage line in place of a record" 1 "tiny.jsonl:2: not valid JSON|1 of 6 runs" "trains that run again|run tiny --profile smoke" 'L[1] = "garbage (not JSON)"'
store_case "garbage line appended (all runs still there)" 0 "tiny.jsonl:7: not valid JSON" "the line itself can be deleted" 'L.append("\x00\x01 garbage")'
store_case "record is a JSON array" 1 "tiny.jsonl:2: the record: is not a JSON object" "trained again|run tiny --profile smoke" 'L[1] = "[1, 2, 3]"'
store_case "index \"1\" (a string)" 1 "tiny.jsonl:2: index: missing or not an integer" "trained again|run tiny --profile smoke" 'r = rec(1); r["index"] = "1"; put(1, r)'
store_case "key not 16 hex digits" 1 "tiny.jsonl:2: key: missing or not 16 hex digits" "trained again" 'r = rec(1); r["key"] = "XYZ"; put(1, r)'
store_case "metric \"NaN\" (a string)" 1 "tiny.jsonl:2: metrics.test_accuracy" "trained again" 'r = rec(1); r["metrics"]["test_accuracy"] = "NaN"; put(1, r)'
store_case "metric 1e999 (not JSON-representable)" 1 "tiny.jsonl:2: not valid JSON" "trains that run again" 'L[1] = L[1].replace("\"test_accuracy\":", "\"test_accuracy\":1e999,\"x\":", 1)'
store_case "metric null (a diverged run)" 2 "tiny.jsonl:2|metric 'test_accuracy' is not finite" "Use a metric a diverged run still has" 'r = rec(1); r["metrics"]["test_accuracy"] = None; put(1, r)'
store_case "record lacks the hypothesis's metric" 2 "tiny.jsonl:2|no metric 'test_accuracy'" "trains it again" 'r = rec(1); del r["metrics"]["test_accuracy"]; put(1, r)'
store_case "record of format 2 (a newer claimcheck)" 2 "tiny.jsonl:2: a run record of format 2" "Use the claimcheck that wrote it, or move the store aside" 'r = rec(1); r["format"] = 2; put(1, r)'
store_case "format 4294967297 (narrows to 1 as int)" 2 "tiny.jsonl:2: a run record of format 4294967297" "move the store aside" 'r = rec(1); r["format"] = 4294967297; put(1, r)'
store_case "record without a format" 1 "tiny.jsonl:2: format: missing" "trained again" 'r = rec(1); del r["format"]; put(1, r)'
store_case "wall_seconds -1" 1 "tiny.jsonl:2: wall_seconds" "trained again" 'r = rec(1); r["wall_seconds"] = -1; put(1, r)'
store_case "empty store file" 1 "6 of 6 runs are not in the store" "run tiny --profile smoke" 'L.clear()'
store_case "half the runs (one shard of two)" 1 "3 of 6 runs are not in the store" "run tiny --profile smoke" 'del L[3:]'
d=$work/st/bless-half
mkdir -p "$d"
head -n 3 "$store/tiny.jsonl" >"$d/tiny.jsonl"
KEEP=("$d/tiny.jsonl" "$bl")
row store "bless with half the runs" 1 "$d/tiny.jsonl|3 of 6 runs" "run tiny --profile smoke" -- \
  env -u CI "$bin" "${cc[@]}" bless tiny --profile smoke --store "$d"
KEEP=("$d/tiny.jsonl" "$bl")
row store "report over half the runs" 1 "3 of 6 runs are not in the stores" "run tiny --profile smoke" -- \
  "$bin" "${cc[@]}" report --store "$d" --profile smoke --claim tiny --report-dir "$work/st/bless-half-reports"
d=$work/st/empty
mkdir -p "$d"
row store "report over an empty store directory" 1 "no runs of any claim in $d|nothing was tested" "run --all --profile smoke" -- \
  "$bin" "${cc[@]}" report --store "$d"
d=$work/st/isdir
mkdir -p "$d/tiny.jsonl"
KEEP=("$d")
row store "store file is a directory (analyze)" 2 "$d/tiny.jsonl|is not a run store file" "move it aside" -- \
  "$bin" "${cc[@]}" analyze tiny --profile smoke --store "$d"
KEEP=("$d/tiny.jsonl")
row store "store file is a directory (run)" 2 "$d/tiny.jsonl|is not a run store file" "move it aside" -- \
  "$bin" "${cc[@]}" run tiny --profile smoke --store "$d"
KEEP=("$d/tiny.jsonl")
row store "store file is a directory (report)" 2 "$d/tiny.jsonl|is not a run store file" "move it aside" -- \
  "$bin" "${cc[@]}" report --store "$d" --report-dir "$work/st/isdir-reports"
d=$work/st/torn-run
mkdir -p "$d"
head -c -200 "$store/tiny.jsonl" >"$d/tiny.jsonl"
GROW=("$d/tiny.jsonl")
row store "run over a store with a torn last line" 0 "tiny.jsonl:6: torn last line|5 of 6 runs already in|tiny (smoke): pass" "will be redone" -- \
  "$bin" "${cc[@]}" run tiny --profile smoke --store "$d"
d=$work/st/no-metric-run
mkdir -p "$d"
cp "$store/tiny.jsonl" "$d/"
python3 "$work/lines.py" "$d/tiny.jsonl" 'r = rec(1); del r["metrics"]["test_accuracy"]; put(1, r)' || fail "store edit failed"
GROW=("$d/tiny.jsonl")
row store "run over a record that lacks a task metric" 0 "tiny.jsonl:2: no metric 'test_accuracy'|5 of 6 runs already in|tiny (smoke): pass" "training it again" -- \
  "$bin" "${cc[@]}" run tiny --profile smoke --store "$d"

# Permission cases, as `nobody` when we are root (root reads chmod-000 files).
as_user=()
perm_note="(as nobody)"
chmod -R a+rX "$work"
if [ "$(id -u)" -ne 0 ]; then
  perm_note="(as $(id -un))"
elif command -v setpriv >/dev/null &&
  setpriv --reuid=65534 --regid=65534 --clear-groups test -r "$claims/tiny.json" 2>/dev/null; then
  as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
else
  perm_note=""  # root, and nobody cannot be run or cannot reach the scratch directory
fi
if [ -n "$perm_note" ]; then
  d=$work/perm
  mkdir -p "$d/store" "$d/bl/tiny" "$d/ro"
  cp "$store/tiny.jsonl" "$d/store/"
  chmod 000 "$d/store/tiny.jsonl"
  KEEP=("$d/store/tiny.jsonl")
  row store "unreadable store (chmod 000) $perm_note" 2 "$d/store/tiny.jsonl|cannot read the run store|Permission denied" "fix its permissions" -- \
    "${as_user[@]+"${as_user[@]}"}" "$bin" "${cc[@]}" analyze tiny --profile smoke --store "$d/store"
  cp "$bl/tiny/smoke.json" "$d/bl/tiny/"
  chmod 000 "$d/bl/tiny/smoke.json"
  KEEP=("$d/bl")
  row baseline "unreadable baseline (chmod 000) $perm_note" 2 "$d/bl/tiny/smoke.json|cannot open baseline|Permission denied" "check that it exists and is readable" -- \
    "${as_user[@]+"${as_user[@]}"}" "$bin" --claims-dir "$claims" --baselines-dir "$d/bl" analyze tiny --profile smoke --store "$store"
  cp -r "$store/tiny.jsonl" "$store/pd.jsonl" "$store/artifacts" "$d/ro/"
  chmod -R a+rX,a-w "$d/ro"
  KEEP=("$d/ro")
  row report "read-only store, report without --report-dir $perm_note" 2 "cannot write reports to $d/ro/reports" "give --report-dir DIR" -- \
    "${as_user[@]+"${as_user[@]}"}" "$bin" "${cc[@]}" report --store "$d/ro" --profile smoke --claim tiny --claim pd
  mkdir -p "$d/reports"
  chmod 777 "$d/reports"
  KEEP=("$d/ro")
  row report "read-only store, report --report-dir elsewhere $perm_note" 0 "suite report: pass" "" -- \
    "${as_user[@]+"${as_user[@]}"}" "$bin" "${cc[@]}" report --store "$d/ro" --profile smoke --claim tiny --claim pd --report-dir "$d/reports"
  chmod -R u+w "$d/ro"
else
  # Root reads chmod-000 files: these inputs cannot be tried here. Said in the table, not counted.
  for input in "unreadable store (chmod 000)" "unreadable baseline (chmod 000)" "read-only store for report"; do
    skipped=$((skipped + 1))
    printf '| - | permissions | %s | - | NOT CHECKED: running as root and cannot run as nobody (setpriv); root ignores file modes | - | - | - | SKIPPED |\n' \
      "$input" >>"$work/rows.md"
  done
fi

# ---- Baselines: exit 2 naming file and key, the baseline unchanged ----
baseline_case "truncated (first 300 bytes)" "the baseline: is not valid JSON" "re-bless it" 'head -c 300 "$bl/tiny/smoke.json" >"$f"'
baseline_case "empty file" "the baseline: is not valid JSON" "re-bless it" ': >"$f"'
baseline_case "format 1 (an older claimcheck)" "format: is 1" "Restore the file with git, or re-bless it" 'python3 "$work/edit_json.py" "$f" "b[\"format\"] = 1"'
baseline_case "not a JSON object (an array)" "the baseline: must be a JSON object" "re-bless it" 'echo "[]" >"$f"'
baseline_case "verdict \"maybe\"" "hypotheses[0].verdict|'maybe'" "valid: supported, refuted, inconclusive" 'python3 "$work/edit_json.py" "$f" "b[\"hypotheses\"][0][\"verdict\"] = \"maybe\""'
baseline_case "verdict \"Supported\" (capitalised)" "hypotheses[0].verdict|'Supported'" "valid: supported, refuted, inconclusive" 'python3 "$work/edit_json.py" "$f" "b[\"hypotheses\"][0][\"verdict\"] = \"Supported\""'
baseline_case "ci missing" "hypotheses[0].ci: missing" "re-bless it" 'python3 "$work/edit_json.py" "$f" "del b[\"hypotheses\"][0][\"ci\"]"'
baseline_case "spec_hash missing" "spec_hash: missing" "re-bless it" 'python3 "$work/edit_json.py" "$f" "del b[\"spec_hash\"]"'
baseline_case "estimate \"0.2\" (a string)" "hypotheses[0].estimate: must be a finite number|\"0.2\"" "re-bless it" 'python3 "$work/edit_json.py" "$f" "b[\"hypotheses\"][0][\"estimate\"] = \"0.2\""'
baseline_case "hypotheses an object" "hypotheses: must be an array" "re-bless it" 'python3 "$work/edit_json.py" "$f" "b[\"hypotheses\"] = {}"'
baseline_case "n = 2^40" "hypotheses[0].n: must be an integer >= 2" "re-bless it" 'python3 "$work/edit_json.py" "$f" "b[\"hypotheses\"][0][\"n\"] = 2**40"'
baseline_case "alpha 7" "alpha: must be in (0, 0.5)" "re-bless it" 'python3 "$work/edit_json.py" "$f" "b[\"alpha\"] = 7"'
baseline_case "ci lo > hi" "hypotheses[0].ci: lo > hi" "re-bless it" 'python3 "$work/edit_json.py" "$f" "c = b[\"hypotheses\"][0][\"ci\"]; c[\"lo\"], c[\"hi\"] = c[\"hi\"] + 1, c[\"lo\"]"'
baseline_case "one hypothesis twice, different verdicts" "hypotheses[2].id: duplicate id 'geglu-more-accurate'" "re-bless it" 'python3 "$work/edit_json.py" "$f" "h = dict(b[\"hypotheses\"][0]); h[\"verdict\"] = \"refuted\"; b[\"hypotheses\"].append(h)"'
baseline_case "baseline is a directory" "the baseline: is a directory" "remove it (rm -r)" 'rm "$f"; mkdir "$f"'
d=$work/bl/bless-dir
mkdir -p "$d"
cp -r "$bl/." "$d/"
rm "$d/tiny/smoke.json"
mkdir "$d/tiny/smoke.json"
KEEP=("$d")
ABSENT=("$d/tiny/smoke.json.tmp")
row baseline "bless onto a baseline that is a directory" 2 "$d/tiny/smoke.json: is a directory" "remove it (rm -r) and bless again" -- \
  env -u CI "$bin" --claims-dir "$claims" --baselines-dir "$d" bless tiny --profile smoke --store "$store"
d=$work/bl/ci
mkdir -p "$d"
cp -r "$bl/." "$d/"
python3 "$work/edit_json.py" "$d/tiny/smoke.json" 'b["hypotheses"][0]["verdict"] = "refuted"'
KEEP=("$d")
row baseline "bless with CI=true (over a wrong baseline)" 2 "the CI environment variable is set" "Bless on a developer machine and commit baselines/" -- \
  env CI=true "$bin" --claims-dir "$claims" --baselines-dir "$d" bless tiny --profile smoke --store "$store"
d=$work/bl/allowed
mkdir -p "$d"
cp -r "$bl/." "$d/"
head -c 300 "$bl/tiny/smoke.json" >"$d/tiny/smoke.json"
KEEP=("$d/pd" "$store/tiny.jsonl")
STREAM=all
row baseline "bless (allowed) over a truncated baseline: replaced" 0 "$d/tiny/smoke.json|the old baseline cannot be read and is replaced" "wrote $d/tiny/smoke.json" -- \
  env -u CI "$bin" --claims-dir "$claims" --baselines-dir "$d" bless tiny --profile smoke --store "$store"
cmp -s "$d/tiny/smoke.json" "$bl/tiny/smoke.json" || fail "bless did not restore the truncated baseline to the blessed one"

# ---- Data files (CLAIMCHECK_DATA): exit 2 naming the file and `bash ci/setup.sh`; no store
# line written ----
data_case "empty data directory" tiny "data set 'mnist' not found at $work/data/$((n + 1))/mnist" "bash ci/setup.sh" 'rm -r "$dd/mnist" "$dd/tinyshakespeare"'
data_case "CLAIMCHECK_DATA does not exist" tiny "not found at $work/data/$((n + 1))/x/mnist" "set CLAIMCHECK_DATA" 'dd=$dd/x'
data_case "one MNIST file missing" tiny "missing train-labels-idx1-ubyte" "bash ci/setup.sh" 'rm "$dd/mnist/train-labels-idx1-ubyte"'
data_case "truncated IDX images" tiny "train-images-idx3-ubyte: size 1000 bytes|truncated" "re-download it" 'rm "$dd/mnist/train-images-idx3-ubyte"; head -c 1000 "$data/mnist/train-images-idx3-ubyte" >"$dd/mnist/train-images-idx3-ubyte"'
data_case "garbage IDX labels" tiny "train-labels-idx1-ubyte: bad magic number" "bash ci/setup.sh" 'rm "$dd/mnist/train-labels-idx1-ubyte"; printf "garbage, not IDX" >"$dd/mnist/train-labels-idx1-ubyte"'
data_case "images in place of labels" tiny "t10k-labels-idx1-ubyte: has 3 dimensions" "are images and labels swapped" 'rm "$dd/mnist/t10k-labels-idx1-ubyte"; ln -s "$data/mnist/t10k-images-idx3-ubyte" "$dd/mnist/t10k-labels-idx1-ubyte"'
data_case "label 77 in the labels" tiny "t10k-labels-idx1-ubyte: label 77|outside 0..9" "bash ci/setup.sh" 'rm "$dd/mnist/t10k-labels-idx1-ubyte"; python3 -c "import sys; b = bytearray(open(sys.argv[1], \"rb\").read()); b[20] = 77; open(sys.argv[2], \"wb\").write(b)" "$data/mnist/t10k-labels-idx1-ubyte" "$dd/mnist/t10k-labels-idx1-ubyte"'
data_case "empty IDX file" tiny "t10k-labels-idx1-ubyte: too short for an IDX header (0 bytes)" "bash ci/setup.sh" 'rm "$dd/mnist/t10k-labels-idx1-ubyte"; : >"$dd/mnist/t10k-labels-idx1-ubyte"'
data_case "corrupt gzip stream" tiny "t10k-labels-idx1-ubyte: corrupt gzip stream" "bash ci/setup.sh" 'rm "$dd/mnist/t10k-labels-idx1-ubyte"; printf "\x1f\x8b\x08\x00garbagegarbage" >"$dd/mnist/t10k-labels-idx1-ubyte"'
data_case "truncated .gz" tiny "t10k-labels-idx1-ubyte.gz: truncated gzip stream" "re-download" 'rm "$dd/mnist/t10k-labels-idx1-ubyte"; gzip -c "$data/mnist/t10k-labels-idx1-ubyte" | head -c 3000 >"$dd/mnist/t10k-labels-idx1-ubyte.gz"'
data_case "IDX file is a directory" tiny "t10k-labels-idx1-ubyte: is a directory" "bash ci/setup.sh" 'rm "$dd/mnist/t10k-labels-idx1-ubyte"; mkdir "$dd/mnist/t10k-labels-idx1-ubyte"'
data_case "empty text corpus" pd "tinyshakespeare/input.txt: only 0 bytes" "bash ci/setup.sh" 'rm "$dd/tinyshakespeare/input.txt"; : >"$dd/tinyshakespeare/input.txt"'
data_case "text corpus of NUL bytes" pd "tinyshakespeare/input.txt: 1 distinct characters, expected 65" "bash ci/setup.sh" 'rm "$dd/tinyshakespeare/input.txt"; head -c 1200 /dev/zero >"$dd/tinyshakespeare/input.txt"'
data_case "text corpus is a directory" pd "data set 'tinyshakespeare' not found at|input.txt" "bash ci/setup.sh" 'rm "$dd/tinyshakespeare/input.txt"; mkdir "$dd/tinyshakespeare/input.txt"'

# ---- Artifacts (prediction-difference runs): exit 2 naming the file, the run and the command
# that retrains it; the store is not touched by analyze ----
artifact_case "one byte of an artifact changed" "checksum|the file is damaged|(run " "run pd --profile smoke" 'printf "\x00" | dd of="$a" bs=1 seek=200 conv=notrunc status=none'
artifact_case "artifact deleted" "artifacts/pd/|missing from every store directory" "run pd --profile smoke" 'rm "$a"'
artifact_case "artifact truncated" "the file is damaged" "run pd --profile smoke" 'head -c 100 "$store/${a#"$d"/}" >"$a"'
artifact_case "artifact emptied" "the file is damaged" "run pd --profile smoke" ': >"$a"'
artifact_case "a directory in place of the artifact" "is not a regular file" "run pd --profile smoke" 'rm "$a"; mkdir "$a"'
artifact_case "artifacts/ directory removed" "missing from every store directory" "run pd --profile smoke" 'rm -r "$d/artifacts"'
artifact_case "record points outside the store (/etc/passwd)" "'/etc/passwd' is not a path inside the store" "run pd --profile smoke" 'python3 "$work/lines.py" "$d/pd.jsonl" "r = rec(0); r[\"artifacts\"][\"predictions\"][\"file\"] = \"/etc/passwd\"; put(0, r)"'
artifact_case "record points up and out (../../x)" "'../../x' is not a path inside the store" "run pd --profile smoke" 'python3 "$work/lines.py" "$d/pd.jsonl" "r = rec(0); r[\"artifacts\"][\"predictions\"][\"file\"] = \"../../x\"; put(0, r)"'
artifact_case "record without its artifact entry" "no predictions artifact recorded" "run pd --profile smoke" 'python3 "$work/lines.py" "$d/pd.jsonl" "r = rec(0); del r[\"artifacts\"]; put(0, r)"'
d=$work/art/repair
mkdir -p "$d"
cp -r "$store/pd.jsonl" "$store/artifacts" "$d/"
a=$d/$(python3 -c 'import json, sys; print(json.loads(open(sys.argv[1]).readline())["artifacts"]["predictions"]["file"])' "$d/pd.jsonl")
printf '\x00' | dd of="$a" bs=1 seek=200 conv=notrunc status=none
GROW=("$d/pd.jsonl")
row artifact "run over a damaged artifact: retrains that run" 0 "the file is damaged|training it again|pd (smoke): pass" "trains every run whose artifact is missing or damaged again" -- \
  "$bin" "${cc[@]}" run pd --profile smoke --store "$d"

# ---- Signals and concurrency ----
# wait_lines FILE N: until FILE holds N lines (60 s at most).
wait_lines() {
  local i
  for i in $(seq 1 1200); do
    [ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ] && return 0
    sleep 0.05
  done
  return 1
}
# Every line of a store is a whole record (a torn last line excepted after SIGKILL).
whole_records() {
  python3 - "$1" "${2:-strict}" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().split("\n")
assert lines[-1] == "" or sys.argv[2] == "torn", "no newline at the end"
for i, l in enumerate(lines[:-1]):
    json.loads(l)
PY
}
# signal_case SIGNAL: run sig, send SIGNAL after 2 stored runs, expect 130 and the kept runs
# named; the store only grew and holds whole records.
signal_case() {
  local sig=$1 s=$work/sig/$1 code=0 kept
  mkdir -p "$s"
  "$bin" "${cc[@]}" run sig --profile smoke --store "$s" >/dev/null 2>"$s/err" &
  local pid=$!
  wait_lines "$s/sig.jsonl" 2 || fail "sig run stored nothing in 60 s"
  cp "$s/sig.jsonl" "$work/snap/grow.0"
  if [ "$sig" = INT ]; then
    # While it holds the store: a second run on the same store is refused, naming the holder.
    local code2=0 before
    before=$(wc -l <"$s/sig.jsonl")
    "$bin" "${cc[@]}" run sig --profile smoke --store "$s" >/dev/null 2>"$s/second.err" || code2=$?
    GROW=("$s/sig.jsonl")
    record concurrency "a second run on a store another run holds" "$code2" 2 \
      "$(grep -m1 'another claimcheck' "$s/second.err")" \
      "$(has_all "$s/second.err" "$s/sig.jsonl|another claimcheck is writing this store|PID $pid" && echo yes || echo NO)" \
      "$(has_all "$s/second.err" "wait for it to finish, stop it, or use another --store" && echo yes || echo NO)" \
      "$(kill -0 "$pid" 2>/dev/null && [ "$(wc -l <"$s/sig.jsonl")" -ge "$before" ] && echo yes || echo "NO (the holder died)")"
    cp "$s/sig.jsonl" "$work/snap/grow.0"
  fi
  kill -"$sig" "$pid"
  wait "$pid" || code=$?
  kept=$(wc -l <"$s/sig.jsonl")
  GROW=("$s/sig.jsonl")
  local lost
  lost=$(nothing_lost)
  [ "$lost" = yes ] && ! whole_records "$s/sig.jsonl" 2>/dev/null && lost="NO (a partial record)"
  record signal "SIG$sig during run (after >= 2 stored runs)" "$code" 130 \
    "$(grep -m1 '^interrupted' "$s/err")" \
    "$(has_all "$s/err" "interrupted: $kept of 80 runs of sig (smoke) are kept in $s/sig.jsonl" && echo yes || echo NO)" \
    "$(has_all "$s/err" "run the same command again to train the other $((80 - kept))" && echo yes || echo NO)" \
    "$lost"
}
signal_case INT
signal_case TERM

# SIGKILL, then the same command again: the stored runs stay, only the rest is trained.
s=$work/sig/KILL
mkdir -p "$s"
"$bin" "${cc[@]}" run sig --profile smoke --store "$s" --seeds 5 >/dev/null 2>&1 &
pid=$!
wait_lines "$s/sig.jsonl" 2 || fail "sig run stored nothing in 60 s"
kill -KILL "$pid"
wait "$pid" 2>/dev/null
stored=$(python3 -c '
import json, sys
keys = set()
for l in open(sys.argv[1]):
    try:
        keys.add(json.loads(l)["key"])
    except ValueError:
        pass
print(len(keys))' "$s/sig.jsonl")
GROW=("$s/sig.jsonl")
STREAM=all
row signal "SIGKILL during run, then the same command (resume)" 1 \
  "$stored of 10 runs already in $s/sig.jsonl|sig (smoke): no-baseline" "bless sig --profile smoke" -- \
  "$bin" "${cc[@]}" run sig --profile smoke --store "$s" --seeds 5
[ "$(python3 -c '
import json, sys
keys = [json.loads(l)["key"] for l in open(sys.argv[1]) if l.startswith("{") and l.endswith("}\n")]
print(len(set(keys)), len(keys))' "$s/sig.jsonl")" = "10 10" ] || fail "after resume the store does not hold 10 distinct runs once each"

# Two different claims in one store directory at once: both finish and pass.
s=$work/concurrent
mkdir -p "$s"
"$bin" "${cc[@]}" run tiny --profile smoke --store "$s" >/dev/null 2>"$s/tiny.err" &
pid1=$!
"$bin" "${cc[@]}" run pd --profile smoke --store "$s" >/dev/null 2>"$s/pd.err" &
pid2=$!
code1=0
code2=0
wait "$pid1" || code1=$?
wait "$pid2" || code2=$?
code=$((code1 > code2 ? code1 : code2))
record concurrency "two claims (tiny, pd) run at once in one store directory" "$code" 0 \
  "tiny exit $code1, pd exit $code2" \
  "$(has_all "$s/tiny.err" "tiny (smoke): pass" && has_all "$s/pd.err" "pd (smoke): pass" && echo yes || echo NO)" yes \
  "$([ "$(wc -l <"$s/tiny.jsonl")" -eq 6 ] && [ "$(wc -l <"$s/pd.jsonl")" -eq 6 ] && whole_records "$s/tiny.jsonl" && whole_records "$s/pd.jsonl" && echo yes || echo "NO (a store is incomplete)")"

# ---- The fixtures and the real data sets were never touched ----
[ "$(data_stat)" = "$data_before" ] || fail "a file of the real data sets ($data) changed"
[ "$(wc -l <"$store/tiny.jsonl")" -eq 6 ] && [ "$(wc -l <"$store/pd.jsonl")" -eq 6 ] ||
  fail "a fixture store changed"

inputs=$((n - controls))
{
  echo "# Bad-input catalogue ($(date -u +%Y-%m-%d), $inputs bad inputs, $controls controls, $(($(date +%s) - t0)) s)"
  echo
  echo "Each row: what was fed to claimcheck, the exit code (and the one wanted), the message, and"
  echo "whether it names the file/key/value, says how to fix it, and lost nothing. FIXME rows are"
  echo "known defects in files other engineers own (the right behaviour is asserted; not a failure)."
  echo
  echo "| # | class | input | exit | message excerpt | names file/key/value? | says fix? | nothing lost? | result |"
  echo "|---|---|---|---|---|---|---|---|---|"
  cat "$work/rows.md"
  echo
  echo "$inputs bad inputs: $((inputs - failed - fixme_count)) pass, $failed fail, $fixme_count FIXME (known, owned elsewhere), $xpass FIXME rows now passing, $skipped not checked."
} >"$work/bad_inputs.md"
cat "$work/bad_inputs.md"
[ "$inputs" -ge 60 ] || fail "only $inputs bad inputs (the catalogue needs at least 60)"
[ "$failed" -eq 0 ] || fail "$failed rows failed (see the table above)"
echo PASS
