#!/usr/bin/env bash
# The refactoring guard: a fixed set of seeded runs against the built-in simulator and of
# `bench report` over GenAI-Perf's fixtures, whose artifacts must stay the same byte for byte
# from one binary to the next (what depends on timing aside). Run it before and after each move.
#
#   scripts/guard.sh record DIR [BENCH]   # BENCH (default build/bench) writes the reference into DIR
#   scripts/guard.sh check DIR [BENCH]    # BENCH redoes every case; any difference is printed, exit 1
#
# What is compared, per case: the exit code, stdout, and every file written, except that in a
# profile run's profile_export.json the timestamps are dropped, each request's streamed text is
# joined (how reads group events depends on timing) and requests are sorted by id; and a
# profile run's *_genai_perf.* and *_bench.json (timed metrics, client load) are replaced by `bench report` over the export the
# reference recorded, which must match exactly. Needs python3 (for the normalisation only).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
mode=${1:-}; ref=${2:-}; [ -z "$ref" ] || ref=$(realpath -m "$ref"); bench=$(realpath "${3:-$here/build/bench}")
[ -n "$mode" ] && [ -n "$ref" ] || { sed -n 2,12p "$0"; exit 2; }
cases_dir=${GENAI_PERF_CASES:-$here/../shared/reference/genai-perf-cases}
tokenizer=${GUARD_TOKENIZER:-builtin}

# Each profile case: a name and its flags (all seeded; one request id prefix).
profiles=(
  # One request at a time: the simulator draws each answer (and fault) in arrival order.
  "chat-stream|--endpoint-type chat --streaming --concurrency 1 --request-count 12 --isl 64 --osl 16"
  "completions|--endpoint-type completions --concurrency 1 --request-count 8 --isl 32 --osl 8"
  "rate|--endpoint-type chat --streaming --request-rate 10 --request-count 10 --osl 4"
  "sessions|--endpoint-type chat --streaming --session-concurrency 1 --num-sessions 3 --session-turns-mean 3 --osl 4"
  "faults|--endpoint-type chat --streaming --concurrency 1 --request-count 30 --osl 8 --sim-fault-rate http_429=0.1 --sim-fault-rate reset_before_headers=0.1 --sim-fault-rate disconnect_after=0.1 --sim-fault-rate invalid_json_chunk=0.1"
)

normalise_export() {  # FILE: rewrites a profile export without what depends on timing
  python3 - "$1" <<'PY'
import json, re, sys
path = sys.argv[1]
d = json.load(open(path))
for e in d.get("experiments", []):
    for r in e.get("requests", []):
        for k in ("timestamp", "response_timestamps", "handoff_timestamp", "intended_timestamp"):
            r.pop(k, None)
        outs = r.get("response_outputs")
        if outs is not None:
            text = "".join(o.get("response", "") if isinstance(o, dict) else str(o) for o in outs)
            r["response_outputs"] = re.sub(r'"created":\d+', '"created":0', text)  # the server's wall clock
            r["response_outputs"] = re.sub(r'"id":"(chatcmpl|cmpl)-[0-9a-f]+"', '"id":""', r["response_outputs"])
    e["requests"] = sorted(e.get("requests", []), key=lambda r: str(r.get("request_id", "")))
d.pop("window", None)
json.dump(d, open(path, "w"), indent=1, sort_keys=True)
PY
}

run_case() {  # OUT NAME COMMAND...: runs one case into OUT/NAME (stdout, exit code, files)
  local out=$1 name=$2; shift 2
  mkdir -p "$out/$name/files"
  set +e
  (cd "$out/$name" && "$@" >stdout.txt 2>/dev/null)
  echo $? >"$out/$name/exit_code"
  set -e
}

report_case() {  # OUT NAME EXPORT: `bench report` on a copy named by a relative path (it is recorded)
  local out=$1 name=$2
  mkdir -p "$out/$name"
  cp "$3" "$out/$name/export.json"
  run_case "$out" "$name" "$bench" report --profile-export export.json --tokenizer "$tokenizer" --artifact-dir files
  rm "$out/$name/export.json"
}

produce() {  # OUT: every case with $bench into OUT
  local out=$1
  mkdir -p "$out"
  for c in "${profiles[@]}"; do
    local name=${c%%|*} flags=${c#*|}
    # shellcheck disable=SC2086
    run_case "$out" "profile-$name" "$bench" profile --simulator --sim-seed 7 --random-seed 7 -q --no-progress \
      --request-id-prefix guard- --tokenizer "$tokenizer" --artifact-dir files $flags
    while IFS= read -r -d '' f; do
      case $f in
        *_genai_perf.json|*_genai_perf.csv|*_bench.json) rm "$f" ;;  # timed values (client load)
        */profile_export.json) normalise_export "$f" ;;
      esac
    done < <(find "$out/profile-$name/files" -type f -print0)
    rm -rf "$out/profile-$name/files"/*/plots
    : >"$out/profile-$name/stdout.txt"  # the table holds timed metrics
  done
  for dir in "$cases_dir"/*/; do
    [ -f "$dir/input_profile_export.json" ] || continue
    local name; name=$(basename "$dir")
    report_case "$out" "report-$name" "$dir/input_profile_export.json"
  done
}

# `bench report` over each profile case's raw export, kept by `record` (the check reruns it).
report_recorded() {  # OUT EXPORTS
  local out=$1 exports=$2
  for f in "$exports"/*.json; do
    [ -f "$f" ] || continue
    report_case "$out" "rereport-$(basename "$f" .json)" "$f"
  done
}

case $mode in
  record)
    rm -rf "$ref"; produce "$ref"
    # The raw exports (timestamps kept) that the reports are recomputed from.
    mkdir -p "$ref/.exports"
    for c in "${profiles[@]}"; do
      name=${c%%|*}
      tmp=$(mktemp -d)
      # shellcheck disable=SC2086
      (cd "$tmp" && "$bench" profile --simulator --sim-seed 7 --random-seed 7 -q --no-progress --request-id-prefix guard- \
        --tokenizer "$tokenizer" --artifact-dir a ${c#*|} >/dev/null 2>&1) || true
      found=$(find "$tmp/a" -name profile_export.json | head -n 1)
      [ -n "$found" ] && cp "$found" "$ref/.exports/$name.json"
      rm -rf "$tmp"
    done
    report_recorded "$ref" "$ref/.exports"
    echo "recorded $(find "$ref" -mindepth 1 -maxdepth 1 -type d ! -name '.*' | wc -l) cases in $ref"
    ;;
  check)
    [ -d "$ref" ] || { echo "no reference in $ref (scripts/guard.sh record $ref first)" >&2; exit 2; }
    new=$(mktemp -d)
    trap 'rm -rf "$new"' EXIT
    produce "$new"
    report_recorded "$new" "$ref/.exports"
    if diff -rq --exclude=.exports "$ref" "$new"; then
      echo "guard: $(find "$ref" -mindepth 1 -maxdepth 1 -type d ! -name '.*' | wc -l) cases identical"
    else
      diff -r --exclude=.exports "$ref" "$new" | cut -c1-300 | head -n 40 >&2
      echo "guard: artifacts differ from the reference in $ref" >&2
      exit 1
    fi
    ;;
  *) sed -n 2,12p "$0"; exit 2 ;;
esac
