#!/usr/bin/env bash
# Timing fidelity (issue #6): how far bench's TTFT and inter-token gaps are from what the server
# really did. Starts `bench simulator` paced (TTFT 50 ms, ITL 10 ms, 100 tokens) with its send
# log, runs `bench profile --streaming` against it at each concurrency, joins the two on
# X-Request-Id (fidelity_join.py) and prints one table. docs/benchmarks.md "Timing fidelity".
#
#   benchmarks/fidelity.sh                         # levels 1 100 1000
#   LEVELS="1 100 1000 10000" benchmarks/fidelity.sh  # 10000 needs ulimit -n > 10256 and cores
#
# Env: HTTP_CLIENT (bench --http-client, default auto), JITTER (simulator --jitter, default 0),
# TTFT_MS / ITL_MS / TOKENS (simulator pacing, default 50 / 10 / 100), BENCH (binary; default build/bench, built if missing), OUT (work dir; default a new
# /tmp/bench-fidelity.*), LEVELS, REQUESTS_<level> (measured requests at that level),
# PIN=0 (no taskset: on a machine shared with other jobs a fixed core can be the busy one),
# TLS=1 (https: nginx terminates TLS in front of the simulator, on the simulator's core, with a
# certificate from a CA made here and passed with --ca-cert; the proxy's own hop is in every
# error, so compare clients behind it with each other rather than with plain-http figures),
# RT=1 (root: the simulator runs under SCHED_FIFO, so on a shared machine other jobs cannot
# delay its wake-ups and the server truth stays on schedule; the kernel still keeps 5% of the
# core for them. Not the client: it is measured as users run it, and the delays a busy core
# adds to its timestamps are part of what this reports).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
BENCH=${BENCH:-$REPO/build/bench}
OUT=${OUT:-$(mktemp -d /tmp/bench-fidelity.XXXXXX)}
LEVELS=${LEVELS:-"1 100 1000"}
HTTP_CLIENT=${HTTP_CLIENT:-auto}  # bench --http-client (auto = the native client here; curl for A/B)
# The pacing (the issue's TTFT 50 ms, ITL 10 ms, 100 tokens). A longer ITL_MS lowers the
# server's event rate (concurrency x 1000 / ITL_MS events/s), so a high concurrency can be
# measured on a server core that keeps up.
TTFT_MS=${TTFT_MS:-50}
ITL_MS=${ITL_MS:-10}
TOKENS=${TOKENS:-100}
# The simulator's --jitter: every delay x uniform [1-j, 1+j]. At 0 a closed loop started
# together stays in lock-step, so at c=1000 a thousand events fall due at the same instant
# every 10 ms and a one-core server writes them one after another, milliseconds late (a burst
# test of the server, not of the client). A little jitter spreads the streams' phases after a
# few requests, as real servers' varying prefill does; the send log has the true times either
# way.
JITTER=${JITTER:-0}

# Enough requests per level for a stable p99: TTFT has one sample per request, ITL 99. At
# concurrency 1 a request takes ~1.04 s, so the count there is a compromise with run time.
requests_for() {
  local var="REQUESTS_$1"
  if [ -n "${!var:-}" ]; then echo "${!var}"; return; fi
  case "$1" in
    1) echo 300 ;;
    100) echo 3000 ;;
    1000) echo 10000 ;;
    *) echo $(( $1 * 2 )) ;;
  esac
}

need=()
command -v python3 >/dev/null || need+=(python3)
command -v taskset >/dev/null || need+=(util-linux)
if [ "${TLS:-0}" = 1 ]; then
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx)
  command -v openssl >/dev/null || need+=(openssl)
fi
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" != 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
if [ ! -x "$BENCH" ]; then
  scripts/install-deps.sh
  BUILD_DIR=$(dirname "$BENCH") scripts/build.sh
fi

# Server and client on different cores, so neither steals the other's time slices.
SIM_PIN=()
CLIENT_PIN=()
if [ "$(nproc)" -ge 2 ] && [ "${PIN:-1}" != 0 ]; then
  SIM_PIN=(taskset -c 0)
  CLIENT_PIN=(taskset -c 1)
fi
if [ "${RT:-0}" = 1 ]; then
  SIM_PIN=(chrt -f 10 "${SIM_PIN[@]}")
fi
# One socket per stream on each side, plus files and slack.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
FDS=$(ulimit -n)

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
wait_ready() {
  python3 - "$1" <<'EOF'
import sys, time, urllib.request
for _ in range(200):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/health", timeout=1)
        sys.exit(0)
    except OSError:
        time.sleep(0.05)
sys.exit("simulator did not come up")
EOF
}

SIM_PID=""
PROXY_PID=""
cleanup() {
  if [ -n "$SIM_PID" ]; then kill "$SIM_PID" 2>/dev/null || true; fi
  if [ -n "$PROXY_PID" ]; then kill "$PROXY_PID" 2>/dev/null || true; fi
}

# TLS=1: a private CA and a certificate for 127.0.0.1 (openssl CLI), and nginx as the TLS end.
TLS_ARGS=()
if [ "${TLS:-0}" = 1 ]; then
  NGINX=$(command -v nginx || echo /usr/sbin/nginx)
  mkdir -p "$OUT/tls"
  (cd "$OUT/tls" &&
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=fidelity CA" \
      -keyout ca.key -out ca.pem 2>/dev/null &&
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=127.0.0.1" \
      -keyout server.key -out server.csr 2>/dev/null &&
    printf 'subjectAltName=IP:127.0.0.1\n' >ext.cnf &&
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile ext.cnf \
      -out server.pem 2>/dev/null)
  TLS_ARGS=(--ca-cert "$OUT/tls/ca.pem")
fi
# Starts nginx on a free port (TLS_PORT) proxying to the simulator at port $1.
start_tls_proxy() {
  local sim_port=$1 dir=$2
  TLS_PORT=$(free_port)
  mkdir -p "$dir/nginx"
  cat >"$dir/nginx/nginx.conf" <<CONF
user root;
daemon off;
worker_processes 1;
worker_rlimit_nofile $FDS;
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/error.log;
events { worker_connections $FDS; }
http {
  access_log off;
  client_body_temp_path $dir/nginx;
  upstream sim { server 127.0.0.1:$sim_port; keepalive 4096; }
  server {
    listen 127.0.0.1:$TLS_PORT ssl;
    ssl_certificate $OUT/tls/server.pem;
    ssl_certificate_key $OUT/tls/server.key;
    ssl_session_cache shared:fidelity:10m;
    keepalive_requests 1000000;
    location / {
      proxy_pass http://sim;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
      proxy_request_buffering off;
    }
  }
}
CONF
  "${SIM_PIN[@]}" "$NGINX" -p "$dir/nginx" -c "$dir/nginx/nginx.conf" >"$dir/nginx/stdout.log" 2>&1 &
  PROXY_PID=$!
}
trap cleanup EXIT

echo "bench fidelity: $(nproc) cores, ulimit -n $FDS, jitter $JITTER, load average $(cut -d' ' -f1-3 /proc/loadavg)," \
  "server: ${SIM_PIN[*]:-unpinned}, client: ${CLIENT_PIN[*]:-unpinned}, work dir $OUT" >&2
RUNS=()
for c in $LEVELS; do
  if [ "$FDS" -lt $(( c + 256 )) ]; then
    echo "concurrency $c: skipped (ulimit -n is $FDS; needs about $(( c + 256 )))" >&2
    continue
  fi
  n=$(requests_for "$c")
  dir="$OUT/c$c"
  mkdir -p "$dir"
  port=$(free_port)
  "${SIM_PIN[@]}" "$BENCH" simulator --port "$port" --threads 1 \
      --ttft-ms "$TTFT_MS" --itl-ms "$ITL_MS" --default-max-tokens "$TOKENS" --jitter "$JITTER" \
      --event-log "$dir/sends.jsonl" >"$dir/simulator.log" 2>&1 &
  SIM_PID=$!
  wait_ready "$port"
  url="http://127.0.0.1:$port"
  if [ "${TLS:-0}" = 1 ]; then
    start_tls_proxy "$port" "$dir"
    url="https://127.0.0.1:$TLS_PORT"
    sleep 0.5
  fi
  echo "concurrency $c: $n requests (+$c warm-up) at $url ..." >&2
  started=$EPOCHREALTIME
  # One worker thread: the client gets one core, like the server. A warm-up round opens every
  # connection first, so connection setup is not in the measured TTFTs.
  "${CLIENT_PIN[@]}" "$BENCH" profile --url "$url" "${TLS_ARGS[@]}" --model bench-sim \
      --endpoint-type chat --streaming --concurrency "$c" \
      --request-count "$n" --warmup-request-count "$c" \
      --isl 50 --osl "$TOKENS" --extra-inputs ignore_eos:true \
      --tokenizer builtin --worker-threads 1 --request-id-prefix "c$c-" --http-client "$HTTP_CLIENT" \
      --artifact-dir "$dir/artifacts" --no-progress --quiet >"$dir/profile.txt" 2>&1 ||
    echo "concurrency $c: bench profile exited $? (see $dir/profile.txt)" >&2
  # Server CPU over the run (utime + stime): near 100% of a core means it was saturated.
  read -r -a stat <"/proc/$SIM_PID/stat"
  python3 -c 'import os, sys
ticks, t0, t1, c = sys.argv[1:]
cpu = int(ticks) / os.sysconf("SC_CLK_TCK")
wall = float(t1) - float(t0)
print(f"concurrency {c}: simulator used {cpu:.1f} CPU-s in {wall:.1f} s ({100 * cpu / wall:.0f}% of a core)")' \
      "$(( stat[13] + stat[14] ))" "$started" "$EPOCHREALTIME" "$c" | tee -a "$OUT/cpu.txt" >&2
  grep -E "Client (Busiest|Loop)|warning" "$dir/profile.txt" | sed "s/^/concurrency $c: /" |
    tee -a "$OUT/cpu.txt" >&2 || true
  if [ -n "$PROXY_PID" ]; then
    kill -TERM "$PROXY_PID"
    wait "$PROXY_PID" || true
    PROXY_PID=""
  fi
  kill -TERM "$SIM_PID"  # bench flushes the send log on SIGTERM
  wait "$SIM_PID" || true
  SIM_PID=""
  export_file=$(find "$dir/artifacts" -name profile_export.json | head -n 1)
  if [ -z "$export_file" ]; then
    echo "concurrency $c: no profile_export.json (see $dir/profile.txt)" >&2
    continue
  fi
  RUNS+=(--run "c=$c" "$export_file" "$dir/sends.jsonl")
done

[ ${#RUNS[@]} -gt 0 ] || { echo "no level ran" >&2; exit 1; }
python3 "$REPO/benchmarks/fidelity_join.py" --ttft-ms "$TTFT_MS" --itl-ms "$ITL_MS" "${RUNS[@]}" |
  tee "$OUT/fidelity.txt"
echo "(tables saved in $OUT/fidelity.txt)" >&2
