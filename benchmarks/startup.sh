#!/usr/bin/env bash
# Start-up time: from bench's execve to the first request it sends (the first "POST " written to
# a socket), median of RUNS runs of a one-request `bench profile`, measured with strace's
# timestamps (--seccomp-bpf: only execve and the send calls stop the process, so strace adds
# little). Also prints the median user+sys CPU of the same run made again without strace
# (start-up dominates a one-request run). On a busy machine the wall-clock figure mostly
# measures the wait for a core; compare binaries in one session, interleaved.
#
# Env: BENCH (binary; default build/bench), RUNS (default 11; after one untimed run), TOKENIZER (--tokenizer; default
# builtin; a tokenizer.json path, a directory or a cached hub id), URL (a running server, e.g.
# llama-server's; default: a `bench simulator` started here on a free port), MODEL (default
# bench-sim), ENDPOINT_TYPE (default chat), OUT (work dir; default a new temp dir).
# Instructions before the first request (repeatable on a busy machine), for the record:
#   valgrind --tool=callgrind --toggle-collect='bench::RunProfile*' ... (see docs/benchmarks.md).
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH=${BENCH:-build/bench}
RUNS=${RUNS:-11}
TOKENIZER=${TOKENIZER:-builtin}
MODEL=${MODEL:-bench-sim}
ENDPOINT_TYPE=${ENDPOINT_TYPE:-chat}
OUT=${OUT:-$(mktemp -d /tmp/bench-startup.XXXXXX)}
command -v strace >/dev/null || { echo "startup.sh: needs strace (apt-get install strace)" >&2; exit 2; }
[ -x "$BENCH" ] || { echo "startup.sh: no binary at $BENCH (set BENCH)" >&2; exit 2; }

SIM_PID=
cleanup() { if [ -n "$SIM_PID" ]; then kill "$SIM_PID" 2>/dev/null || true; wait "$SIM_PID" 2>/dev/null || true; fi; }
trap cleanup EXIT

if [ -z "${URL:-}" ]; then
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$BENCH" simulator --port "$port" --ttft-ms 1 --itl-ms 1 >"$OUT/simulator.log" 2>&1 &
  SIM_PID=$!
  for _ in $(seq 200); do
    python3 -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$port/health', timeout=1)" \
      2>/dev/null && break
    sleep 0.05
  done
  URL="http://127.0.0.1:$port"
fi

echo "bench start-up: $BENCH, --tokenizer $TOKENIZER, $URL, $RUNS runs, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
PROFILE=(profile --url "$URL" -m "$MODEL" --endpoint-type "$ENDPOINT_TYPE" --streaming
  --tokenizer "$TOKENIZER" --concurrency 1 --request-count 1 --warmup-request-count 0
  --synthetic-input-tokens-mean 16 --output-tokens-mean 4 --no-progress --quiet --artifact-dir "$OUT/artifacts")
TIMEFORMAT='%3U %3S'
# One untimed run first: it fills the tokenizer cache (~/.cache/bench/tokenizers), so the runs
# measured are the "cached tokenizer" start-up the issue asks about.
"$BENCH" "${PROFILE[@]}" >"$OUT/warm-up" 2>&1 || { echo "warm-up: bench profile failed (see $OUT/warm-up)" >&2; exit 1; }
for i in $(seq "$RUNS"); do
  # The start-up, under strace (only its wall-clock stamps are used) ...
  strace -f -ttt --seccomp-bpf -e trace=execve,write,writev,sendto,sendmsg -e signal=none -s 8 \
    -o "$OUT/strace.$i" "$BENCH" "${PROFILE[@]}" >"$OUT/profile.$i" 2>&1 ||
    { echo "run $i: bench profile failed (see $OUT/profile.$i)" >&2; exit 1; }
  # ... and the CPU of the same run without strace (bash's `time`: user and sys of bench alone).
  { time "$BENCH" "${PROFILE[@]}" >"$OUT/plain.$i" 2>&1; } 2>"$OUT/time.$i" ||
    { echo "run $i: bench profile failed (see $OUT/plain.$i)" >&2; exit 1; }
done
python3 - "$OUT" "$RUNS" <<'PY'
import statistics, sys
out, runs = sys.argv[1], int(sys.argv[2])
ms, cpu = [], []
for i in range(1, runs + 1):
    t0 = t1 = None
    for line in open(f"{out}/strace.{i}"):
        parts = line.split(None, 2)
        if len(parts) < 3: continue
        t, call = float(parts[1]), parts[2]
        if t0 is None and call.startswith("execve("): t0 = t
        if t1 is None and '"POST ' in call: t1 = t
    if t0 is None or t1 is None: sys.exit(f"run {i}: no execve or no POST in {out}/strace.{i}")
    ms.append((t1 - t0) * 1e3)
    u, s = open(f"{out}/time.{i}").read().split()[-2:]
    cpu.append((float(u) + float(s)) * 1e3)
print(f"exec -> first request: median {statistics.median(ms):.1f} ms (min {min(ms):.1f}, max {max(ms):.1f}); "
      f"CPU of the whole one-request run (user+sys, no strace): median {statistics.median(cpu):.0f} ms")
PY
