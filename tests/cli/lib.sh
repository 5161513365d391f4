# shellcheck shell=bash
# The shared fixture of the shell tests under tests/ (sourced, never run on its own): a fresh
# scratch directory with claims/ and baselines/, the tiny fixture claims the tests train (each
# test states only how its claim differs), `cc` (claimcheck on those directories), `fail`, and
# waiting for a store to fill. Functions only: a test's own variables stay in the test.
# Use: source "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"

# fail MESSAGE...: prints "FAIL: MESSAGE" and exits 1.
fail() {
  echo "FAIL: $*"
  exit 1
}

# fixture_dir BIN WORK: WORK emptied, with WORK/claims and WORK/baselines, which cc passes to BIN.
fixture_dir() {
  fixture_bin=$1
  fixture_work=$2
  rm -rf "$fixture_work"
  mkdir -p "$fixture_work/claims" "$fixture_work/baselines"
}

# cc ARGS...: BIN ARGS on the claims and baselines of the last fixture_dir. In the background it
# is a subshell's child: where $! must be claimcheck itself (to kill it), run the binary directly.
cc() {
  "$fixture_bin" --claims-dir "$fixture_work/claims" --baselines-dir "$fixture_work/baselines" "$@"
}

# wait_for_lines FILE N: polls every 50 ms, for at most 30 s, until FILE holds N lines or more;
# returns 0 either way (the caller checks what was stored).
wait_for_lines() {
  local n
  for _ in $(seq 1 600); do
    n=$([ -f "$1" ] && wc -l <"$1" || echo 0)
    [ "$n" -ge "$2" ] && break
    sleep 0.05
  done
  return 0
}

# fixture_claim BASE ID [PATH=VALUE | -PATH]...: prints a claim spec: BASE with "id" ID, each PATH
# (object keys and list indices joined by '.'; the index one past a list's end appends) set to
# VALUE (read as JSON when it parses, else as a string: quote it, '"true"', to force a string), and
# each -PATH deleted. BASE:
#   mnist      ReLU vs GeGLU FFNs (hidden 4) on MNIST, adam for 1 epoch, the one hypothesis
#              geglu-beats-relu, profile smoke (3 replicates, cpu, 999 resamples)
#   charlm-pd  ReLU vs GELU tiny CharLMs (1 layer, n_embd 16, 2 heads) on Tiny Shakespeare, adamw
#              for 30 steps with 32 predictions kept, the prediction-difference hypotheses tv,
#              label and top1, profile smoke (4 replicates, cpu, 999 resamples)
#   FILE       a claim spec file (tests/claims/data/tiny.json)
fixture_claim() {
  local base=$1 template
  shift
  case "$base" in
    mnist)
      template='{
  "id": "",
  "title": "ReLU vs GeGLU on MNIST (test fixture)",
  "task": {"type": "image-classification", "dataset": "mnist"},
  "training": {"optimizer": {"type": "adam"}, "epochs": 1},
  "arms": [
    {"name": "relu", "model": {"type": "ffn-relu", "options": {"hidden": 4}}},
    {"name": "geglu", "model": {"type": "ffn-geglu", "options": {"hidden": 4}}}
  ],
  "hypotheses": [{"id": "geglu-beats-relu", "treatment": "geglu", "control": "relu"}],
  "profiles": {"smoke": {"replicates": 3, "device": "cpu", "resamples": 999}}
}' ;;
    charlm-pd)
      template='{
  "id": "",
  "title": "PD artifacts (test fixture): tiny CharLM, ReLU vs GELU",
  "task": {"type": "char-lm", "dataset": "tinyshakespeare"},
  "training": {"optimizer": {"type": "adamw"}, "lr": 0.003, "steps": 30, "batch": 8,
               "context": 16, "eval_windows": 32, "predictions": 32},
  "arms": [
    {"name": "relu", "model": {"type": "charlm", "options": {"n_layer": 1, "n_embd": 16, "n_head": 2, "activation": "relu"}}},
    {"name": "gelu", "model": {"type": "charlm", "options": {"n_layer": 1, "n_embd": 16, "n_head": 2, "activation": "gelu"}}}
  ],
  "hypotheses": [
    {"id": "tv", "design": "prediction-difference", "measure": "total-variation", "treatment": "gelu", "control": "relu", "direction": "less"},
    {"id": "label", "design": "prediction-difference", "measure": "true-label", "treatment": "gelu", "control": "relu", "direction": "less"},
    {"id": "top1", "design": "prediction-difference", "measure": "top-1", "treatment": "gelu", "control": "relu", "direction": "less"}
  ],
  "profiles": {"smoke": {"replicates": 4, "device": "cpu", "resamples": 999}}
}' ;;
    *) template=$(cat "$base") || return 1 ;;
  esac
  python3 -c '
import json, sys
spec = json.loads(sys.stdin.read())
spec["id"] = sys.argv[1]
for edit in sys.argv[2:]:
    delete = edit.startswith("-")
    path, _, raw = (edit[1:] if delete else edit).partition("=")
    try:
        value = json.loads(raw)
    except ValueError:
        value = raw
    *parents, last = path.split(".")
    node = spec
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    if isinstance(node, list):
        last = int(last)
        if delete:
            del node[last]
        elif last == len(node):
            node.append(value)
        else:
            node[last] = value
    elif delete:
        del node[last]
    else:
        node[last] = value
print(json.dumps(spec, indent=2, ensure_ascii=False))
' "$@" <<<"$template"
}
