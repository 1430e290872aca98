#!/usr/bin/env bash
# Start-up time: from bench's execve to the first request it sends, median of RUNS one-request
# `bench profile` runs (after one untimed run that fills the tokenizer cache), and the median
# user+sys CPU of those runs (start-up dominates a one-request run).
#
# Against the `bench simulator` this script starts (no URL given), nothing is traced: the
# wrapper reads CLOCK_MONOTONIC right before execve and the simulator's send log (--event-log)
# gives the monotonic time the first request's bytes reached its socket (arrived_ns, the
# kernel's receive stamp). Against another server (URL=...), strace's stamps are used instead:
# execve to the first "POST " written to a socket (strace --seccomp-bpf stops only at execve and
# the send calls, but tracing still adds a few ms). On a busy machine both mostly measure the
# wait for a core; compare binaries in one session, interleaved.
#
# Env: BENCH (binary; default build/bench), RUNS (default 11), TOKENIZER (--tokenizer; default
# builtin; a tokenizer.json path, a directory or a cached hub id), URL (a running server, e.g.
# llama-server's), MODEL (default bench-sim), ENDPOINT_TYPE (default chat), OUT (work dir;
# default a new temp dir).
# Instructions before the first request (repeatable on a busy machine): see docs/benchmarks.md
# "Start-up" (valgrind --tool=callgrind --dump-before=sendmsg ...).
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH=${BENCH:-build/bench}
RUNS=${RUNS:-11}
TOKENIZER=${TOKENIZER:-builtin}
MODEL=${MODEL:-bench-sim}
ENDPOINT_TYPE=${ENDPOINT_TYPE:-chat}
OUT=${OUT:-$(mktemp -d /tmp/bench-startup.XXXXXX)}
[ -x "$BENCH" ] || { echo "startup.sh: no binary at $BENCH (set BENCH)" >&2; exit 2; }

SIM_PID=
stop_simulator() {
  if [ -n "$SIM_PID" ]; then
    kill -INT "$SIM_PID" 2>/dev/null || true  # it writes its send log on the way out
    wait "$SIM_PID" 2>/dev/null || true
    SIM_PID=
  fi
}
trap stop_simulator EXIT

MODE=strace
if [ -z "${URL:-}" ]; then
  MODE=sendlog
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$BENCH" simulator --port "$port" --ttft-ms 1 --itl-ms 1 --event-log "$OUT/sends.jsonl" >"$OUT/simulator.log" 2>&1 &
  SIM_PID=$!
  for _ in $(seq 200); do
    python3 -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$port/health', timeout=1)" \
      2>/dev/null && break
    sleep 0.05
  done
  URL="http://127.0.0.1:$port"
elif ! command -v strace >/dev/null; then
  echo "startup.sh: needs strace with URL= (apt-get install strace)" >&2; exit 2
fi

PROFILE=(profile --url "$URL" -m "$MODEL" --endpoint-type "$ENDPOINT_TYPE" --streaming
  --tokenizer "$TOKENIZER" --concurrency 1 --request-count 1 --warmup-request-count 0
  --synthetic-input-tokens-mean 16 --output-tokens-mean 4 --no-progress --quiet --artifact-dir "$OUT/artifacts")
# Writes CLOCK_MONOTONIC to $1, then becomes the command (same clock as the send log).
EXEC_STAMPED='import os, sys, time
open(sys.argv[1], "w").write(str(time.clock_gettime_ns(time.CLOCK_MONOTONIC)))
os.execv(sys.argv[2], sys.argv[2:])'

echo "bench start-up: $BENCH, --tokenizer $TOKENIZER, $URL ($MODE), $RUNS runs, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
"$BENCH" "${PROFILE[@]}" >"$OUT/warm-up" 2>&1 || { echo "warm-up: bench profile failed (see $OUT/warm-up)" >&2; exit 1; }
TIMEFORMAT='%3U %3S'
for i in $(seq "$RUNS"); do
  if [ "$MODE" = sendlog ]; then
    python3 -c "$EXEC_STAMPED" "$OUT/exec.$i" "$BENCH" "${PROFILE[@]}" --request-id-prefix "startup-$i-" \
        >"$OUT/profile.$i" 2>&1 || { echo "run $i: bench profile failed (see $OUT/profile.$i)" >&2; exit 1; }
  else
    strace -f -ttt --seccomp-bpf -e trace=execve,write,writev,sendto,sendmsg -e signal=none -s 8 \
      -o "$OUT/strace.$i" "$BENCH" "${PROFILE[@]}" >"$OUT/profile.$i" 2>&1 ||
      { echo "run $i: bench profile failed (see $OUT/profile.$i)" >&2; exit 1; }
  fi
  # The CPU of the same run alone, without python or strace (bash's `time`: bench's user+sys).
  { time "$BENCH" "${PROFILE[@]}" --request-id-prefix "plain-$i-" >"$OUT/plain.$i" 2>&1; } 2>"$OUT/time.$i" ||
    { echo "run $i: bench profile failed (see $OUT/plain.$i)" >&2; exit 1; }
done
stop_simulator
python3 - "$OUT" "$RUNS" "$MODE" <<'PY'
import json, statistics, sys
out, runs, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
arrived = {}
if mode == "sendlog":
    for line in open(f"{out}/sends.jsonl"):
        r = json.loads(line)
        arrived[r["request_id"]] = r.get("arrived_ns") or r["received_ns"]
ms, cpu = [], []
for i in range(1, runs + 1):
    if mode == "sendlog":
        t0 = int(open(f"{out}/exec.{i}").read())
        t1 = arrived.get(f"startup-{i}-0")
        if t1 is None: sys.exit(f"run {i}: its request is not in {out}/sends.jsonl")
        ms.append((t1 - t0) / 1e6)
    else:
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
print(f"exec -> first request ({mode}): median {statistics.median(ms):.1f} ms (min {min(ms):.1f}, max {max(ms):.1f}); "
      f"CPU of the whole one-request run (user+sys): median {statistics.median(cpu):.0f} ms")
PY
