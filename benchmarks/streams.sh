#!/usr/bin/env bash
# Many concurrent streams from one bench process (issue #23's 100,000), against the simulator
# paced slowly enough for 2 cores. One table row per level: streams reached, time to open them
# all, peak RSS, CPU, failed requests, exit code.
#   benchmarks/streams.sh                                  # levels 10000 50000 100000
#   STREAMS="2000 10000 19000" PORTS=1000 benchmarks/streams.sh
# As root it runs in a private network namespace (unshare -n), so the server's accept backlog
# (net.core.somaxconn, tcp_max_syn_backlog) and, with PORTS=N, the ephemeral port range are
# raised or narrowed there only, never on the machine. PORTS=1000 gives each source address
# 1,000 ports, so a few thousand streams already need bench's 127.0.0.x spreading.
# The descriptor limit cannot be raised above the hard limit without CAP_SYS_RESOURCE: a level
# that does not fit is refused by bench in one line, which the table shows.
# Environment: BENCH (build/bench), STREAMS, TTFT_MS (5000), ITL_MS (2000), OSL (4 tokens),
# ROUNDS (1: requests = ROUNDS x streams), SIM_THREADS (2), PORTS (unset = the machine's range),
# OUT (/tmp/bench-streams).
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
[ -x /usr/bin/time ] || need+=(time)
command -v ss >/dev/null || need+=(iproute2)
command -v python3 >/dev/null || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
BENCH=${BENCH:-build/bench}
STREAMS=${STREAMS:-"10000 50000 100000"}
TTFT_MS=${TTFT_MS:-5000}
ITL_MS=${ITL_MS:-2000}
OSL=${OSL:-4}
ROUNDS=${ROUNDS:-1}
SIM_THREADS=${SIM_THREADS:-2}
PORTS=${PORTS:-}
OUT=${OUT:-/tmp/bench-streams}

if [ -z "${STREAMS_NETNS:-}" ] && [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
  export STREAMS_NETNS=1
  exec unshare -n "$0" "$@"
fi
if [ -n "${STREAMS_NETNS:-}" ]; then
  ip link set lo up
  sysctl -qw net.core.somaxconn=65535 net.ipv4.tcp_max_syn_backlog=65535
  if [ -n "$PORTS" ]; then sysctl -qw net.ipv4.ip_local_port_range="40000 $((40000 + PORTS - 1))"; fi
elif [ -n "$PORTS" ]; then
  echo "PORTS needs a private network namespace (root, unshare -n); ignored" >&2
fi
# Both processes get the hard limit (bench raises its own too; the simulator needs one per stream).
ulimit -n "$(ulimit -Hn)"
mkdir -p "$OUT"
echo "fd limit $(ulimit -n), somaxconn $(cat /proc/sys/net/core/somaxconn), ports $(cat /proc/sys/net/ipv4/ip_local_port_range | tr '\t' '-'), netns ${STREAMS_NETNS:-no}"
printf '%-9s %-9s %-10s %-9s %-9s %-9s %-8s %-5s %s\n' streams reached open_all_s rss_mb cpu_s wall_s failed exit note

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
established() { ss -Htn state established "( dport = :$1 )" | wc -l; }

for n in $STREAMS; do
  port=$(free_port)
  dir="$OUT/c$n"
  rm -rf "$dir" && mkdir -p "$dir"
  "$BENCH" simulator --port "$port" --threads "$SIM_THREADS" --ttft-ms "$TTFT_MS" --itl-ms "$ITL_MS" \
    >"$dir/simulator.log" 2>&1 &
  sim=$!
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
  start=$(date +%s.%N)
  /usr/bin/time -v -o "$dir/time.txt" "$BENCH" profile -m bench-sim --url "http://127.0.0.1:$port" --streaming \
    --concurrency "$n" --request-count $((n * ROUNDS)) --isl 5 --osl "$OSL" --extra-inputs ignore_eos:true \
    --tokenizer builtin --no-progress --request-timeout 600 --artifact-dir "$dir/artifacts" \
    >"$dir/bench.out" 2>"$dir/bench.err" &
  bench=$!
  reached=0
  open_all="-"
  while kill -0 "$bench" 2>/dev/null; do
    now=$(established "$port")
    if [ "$now" -gt "$reached" ]; then reached=$now; fi
    if [ "$open_all" = "-" ] && [ "$now" -ge "$n" ]; then
      open_all=$(python3 -c "print(f'{$(date +%s.%N) - $start:.1f}')")
    fi
    sleep 0.2
  done
  code=0
  wait "$bench" || code=$?
  kill "$sim" 2>/dev/null || true
  wait "$sim" 2>/dev/null || true
  rss=$(awk -F': ' '/Maximum resident/ {printf "%.0f", $2/1024}' "$dir/time.txt")
  cpu=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {printf "%.1f", u+s}' "$dir/time.txt")
  wall=$(awk '/Elapsed/ {print $NF}' "$dir/time.txt")
  failed=$(python3 - "$dir/artifacts" <<'PY'
import json, pathlib, sys
files = list(pathlib.Path(sys.argv[1]).rglob("profile_export.json"))
if not files:
    print("-")
else:
    data = json.loads(files[0].read_text())
    def requests(o):
        if isinstance(o, dict):
            for k, v in o.items():
                yield from (v if k == "requests" and isinstance(v, list) else requests(v))
        elif isinstance(o, list):
            for v in o:
                yield from requests(v)
    rs = list(requests(data))
    print(f"{sum(1 for r in rs if 'error' in r)}/{len(rs)}")
PY
)
  note=$(grep -m1 -E "error|RLIMIT|--concurrency" "$dir/bench.err" | cut -c1-160 || true)
  printf '%-9s %-9s %-10s %-9s %-9s %-9s %-8s %-5s %s\n' "$n" "$reached" "$open_all" "$rss" "$cpu" "$wall" "$failed" "$code" "$note"
done
