#!/usr/bin/env python3
"""The client ceiling: bench and h2load side by side against the same zero-latency nginx.

Run through benchmarks/ceiling.sh, which installs nginx and h2load and builds bench first.
docs/benchmarks.md defines every column. Python standard library only.

nginx answers POST /v1/chat/completions with a fixed vLLM-style SSE body (one port per body
size) straight from a file, so the server costs almost nothing per request and the client is
what is measured. h2load is the HTTP/1.1 ceiling: it reads the bytes and discards them. bench
runs its whole `profile` pipeline: load, then stream checks, export and metrics.

Environment (all optional):
  BENCH=path          bench binary (default ./build/bench)
  DURATION=s          measured seconds per point and tool (default 2)
  LONG_DURATION=s     the same for bodies of more than 100 chunks (default 1)
  CONCURRENCY="1 10"  concurrency levels (default "1 10 100 1000")
  CHUNKS="100 1000"   content chunks per response (default "100 1000")
  BENCH_WORKER_THREADS=n  bench --worker-threads (default 1: one client core, as h2load -t 1)
  BENCH_HTTP_CLIENT=c  bench --http-client: auto (default: the native client here), native, curl
  CLIENT_CPU=n SERVER_CPU=n  cores to pin to (default 0 and 1 when there are >= 2 cores)
  PRIORITY=rt|normal  rt (default as root): client and nginx run SCHED_FIFO (chrt -f 10)
  WORK_DIR=dir        where nginx and the artifacts live (default a fresh temp dir, removed
                      at the end unless KEEP=1)
  OUTPUT=file         also write the markdown table there
"""

import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

CREATED = 1732780000


def env_list(name, default):
    return [int(x) for x in os.environ.get(name, default).split()]


def sse_body(content_chunks):
    """The bytes of one vLLM-style chat stream: content chunks, a finish chunk, [DONE]."""

    def chunk(delta, finish):
        return ('data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":%d,'
                '"model":"m","choices":[{"index":0,"delta":%s,"finish_reason":%s}]}\n\n'
                % (CREATED, delta, finish))

    parts = [chunk('{"content":" tok"}', "null") for _ in range(content_chunks)]
    parts.append(chunk("{}", '"stop"'))
    parts.append("data: [DONE]\n\n")
    return "".join(parts)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def nginx_config(prefix, ports):
    """One server per body size. nginx cannot `return` a body longer than a config token
    (4 KiB), so the body is a static file; the static module refuses POST (405), and
    error_page turns that into an internal GET of the file with status 200."""
    servers = []
    for chunks, port in ports.items():
        servers.append(f"""
  server {{
    listen 127.0.0.1:{port} backlog=4096;
    location = /v1/models {{
      default_type application/json;
      return 200 '{{"object":"list","data":[{{"id":"m","object":"model","created":{CREATED},"owned_by":"bench"}}]}}';
    }}
    location = /v1/chat/completions {{
      error_page 405 =200 /sse/body{chunks}.sse;
      return 405;
    }}
    location /sse/ {{
      internal;
      root {prefix};
      default_type text/event-stream;
    }}
  }}""")
    user = "user root;\n" if os.geteuid() == 0 else ""
    return f"""{user}worker_processes 1;
worker_rlimit_nofile 65536;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{ worker_connections 16384; multi_accept on; }}
http {{
  access_log off;
  types {{ }}
  keepalive_requests 10000000;
  keepalive_timeout 300s;
  sendfile on;
  tcp_nodelay on;
  client_body_temp_path {prefix}/tmp/body;
  proxy_temp_path {prefix}/tmp/proxy;
  fastcgi_temp_path {prefix}/tmp/fastcgi;
  uwsgi_temp_path {prefix}/tmp/uwsgi;
  scgi_temp_path {prefix}/tmp/scgi;
{"".join(servers)}
}}
"""


def wait_listening(port, proc, timeout=10.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise SystemExit(f"nginx exited with {proc.returncode}; see its error log")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"nginx did not listen on port {port}")


def cpu_ticks(pid):
    """utime + stime of the whole process (all threads), in clock ticks."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rpartition(")")[2].split()
    return int(fields[11]) + int(fields[12])


def run(cmd, sample=False, env=None):
    """Runs `cmd` to completion; its rusage comes from wait4 (as GNU time takes it). With
    `sample`, the process CPU time is read every 20 ms with the wall-clock time, so the CPU spent
    inside a window known only afterwards can be interpolated."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    samples = []
    out_chunks, err_chunks = [], []
    # Drain the pipes on threads so a chatty child never blocks on a full pipe.
    readers = [threading.Thread(target=lambda s, b: b.append(s.read()), args=(proc.stdout, out_chunks)),
               threading.Thread(target=lambda s, b: b.append(s.read()), args=(proc.stderr, err_chunks))]
    for t in readers:
        t.start()
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG if sample else 0)
        if pid != 0:
            break
        try:
            samples.append((time.time_ns(), cpu_ticks(proc.pid)))
        except (OSError, ValueError, IndexError):
            pass
        time.sleep(0.02)
    wall = time.monotonic() - start
    for t in readers:
        t.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {
        "rc": proc.returncode,
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "user_s": usage.ru_utime,
        "sys_s": usage.ru_stime,
        "maxrss_mb": usage.ru_maxrss / 1024.0,
        "stdout": out_chunks[0].decode(errors="replace"),
        "stderr": err_chunks[0].decode(errors="replace"),
        "samples": samples,
    }


def cpu_at(samples, t_ns, ticks_per_s):
    """Process CPU seconds at wall time `t_ns`, linearly interpolated between samples."""
    if not samples:
        return None
    if t_ns <= samples[0][0]:
        return samples[0][1] / ticks_per_s
    for (t0, c0), (t1, c1) in zip(samples, samples[1:]):
        if t0 <= t_ns <= t1:
            f = (t_ns - t0) / (t1 - t0) if t1 > t0 else 0
            return (c0 + f * (c1 - c0)) / ticks_per_s
    return samples[-1][1] / ticks_per_s


def duration_for(cfg, chunks):
    """Measured seconds of a point. bench's post-run stage costs ~5 ms per 1,000-chunk request
    and its export ~0.2 MB each, so long bodies get a shorter window to keep the run short."""
    return cfg["duration"] if chunks <= 100 else cfg["long_duration"]


def pinned(cfg, cpu, cmd):
    """`cmd` on core `cpu` (None: anywhere), under SCHED_FIFO when cfg["realtime"]. chrt and
    taskset exec, so the pid stays the tool's own."""
    if cpu is not None:
        cmd = ["taskset", "-c", str(cpu)] + cmd
    return ["chrt", "-f", "10"] + cmd if cfg["realtime"] else cmd


def run_h2load(cfg, url, concurrency, chunks):
    cmd = pinned(cfg, cfg["client_cpu"], [
        "h2load", "--h1", "-t", "1", "-c", str(concurrency), "-D", f"{int(duration_for(cfg, chunks) * 1000)}ms",
        "-d", cfg["request_file"], "-H", "Content-Type: application/json", url])
    r = run(cmd)
    out = r["stdout"]
    m = re.search(r"finished in ([\d.]+)(m?s), ([\d.]+) req/s", out)
    req = re.search(r"requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, "
                    r"(\d+) errored, (\d+) timeout", out)
    if r["rc"] != 0 or not m or not req:
        raise SystemExit(f"h2load failed (exit {r['rc']}):\n{out}\n{r['stderr']}")
    done = int(req.group(3))
    return {
        "req_s": float(m.group(3)),  # h2load's own figure: done requests / measured duration
        "requests": done,
        "errors": int(req.group(5)) + int(req.group(6)) + int(req.group(7)),
        "wall_req_s": done / r["wall_s"],
        "cpu_per_1k": r["cpu_s"] / done * 1000 if done else float("nan"),
        "maxrss_mb": r["maxrss_mb"],
        "wall_s": r["wall_s"],
    }


def first_send_ns(export_path):
    """Send time of the first measured request: the export lists requests by send time."""
    with open(export_path, "rb") as f:
        head = f.read(1 << 20).decode(errors="replace")
    m = re.search(r'"timestamp":(\d+)', head)
    return int(m.group(1)) if m else None


def run_bench(cfg, url, concurrency, chunks):
    art = os.path.join(cfg["work"], f"bench-{chunks}-{concurrency}")
    shutil.rmtree(art, ignore_errors=True)
    cmd = pinned(cfg, cfg["client_cpu"], [
        cfg["bench"], "profile", "-m", "m", "--url", url, "--endpoint-type", "chat", "--streaming",
        "--concurrency", str(concurrency), "--benchmark-duration", str(duration_for(cfg, chunks)),
        "--warmup-request-count", str(concurrency), "--tokenizer", "builtin",
        "--synthetic-input-tokens-mean", "16", "--output-tokens-mean", "100",
        "--worker-threads", str(cfg["bench_threads"]), "--http-client", cfg["http_client"], "--artifact-dir", art])
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    r = run(cmd, sample=True, env=env)
    # --artifact-dir is a base; the run's own directory below it is named after the model etc.
    found = [os.path.join(d, "profile_export_genai_perf.json") for d, _, files in os.walk(art)
             if "profile_export_genai_perf.json" in files]
    stats_path = found[0] if found else ""
    if r["rc"] != 0 or not stats_path:
        raise SystemExit(f"bench failed (exit {r['rc']}):\n{r['stdout'][-3000:]}\n{r['stderr'][-3000:]}")
    with open(stats_path) as f:
        stats = json.load(f)
    req_s = stats["request_throughput"]["avg"]
    count = int(stats["request_count"]["avg"])
    errors = stats.get("bench", {}).get("errors", {}).get("failed_requests", 0)
    # The measured window: first send to first send + count / throughput (= bench's benchmark
    # duration); the CPU the process spent inside it, interpolated from the 20 ms samples.
    ticks = os.sysconf("SC_CLK_TCK")
    export_path = os.path.join(os.path.dirname(stats_path), "profile_export.json")
    t0 = first_send_ns(export_path)
    load_cpu = None
    if t0 is not None and req_s > 0:
        c0 = cpu_at(r["samples"], t0, ticks)
        c1 = cpu_at(r["samples"], t0 + int(count / req_s * 1e9), ticks)
        if c0 is not None and c1 is not None:
            load_cpu = c1 - c0
    export_mb = os.path.getsize(export_path) / 1e6
    shutil.rmtree(art, ignore_errors=True)  # exports of 1,000-chunk runs are large
    return {
        "req_s": req_s,  # bench's request_throughput: measured requests / benchmark duration
        "requests": count,
        "errors": errors,
        "wall_req_s": count / r["wall_s"],
        "cpu_per_1k": r["cpu_s"] / count * 1000 if count else float("nan"),
        "load_cpu_per_1k": load_cpu / count * 1000 if load_cpu is not None and count else float("nan"),
        "maxrss_mb": r["maxrss_mb"],
        "wall_s": r["wall_s"],
        "export_mb": export_mb,
    }


def fmt_num(x, digits=0):
    if x is None or x != x:
        return "n/a"
    return f"{x:,.{digits}f}"


def table(rows):
    head = ("| body | c | h2load req/s | bench req/s | bench/h2load | h2load events/s | bench events/s "
            "| h2load CPU-s/1k | bench CPU-s/1k load | bench CPU-s/1k all | h2load RSS MB | bench RSS MB "
            "| h2load wall req/s | bench wall req/s | bench wall s | errors h2load/bench |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for row in rows:
        h, b, events = row["h2load"], row["bench"], row["chunks"] + 2
        lines.append(
            f"| {row['chunks']} chunks | {row['c']} | {fmt_num(h['req_s'])} | {fmt_num(b['req_s'])} "
            f"| {b['req_s'] / h['req_s']:.2f} | {fmt_num(h['req_s'] * events)} | {fmt_num(b['req_s'] * events)} "
            f"| {fmt_num(h['cpu_per_1k'], 4)} | {fmt_num(b['load_cpu_per_1k'], 4)} | {fmt_num(b['cpu_per_1k'], 4)} "
            f"| {fmt_num(h['maxrss_mb'], 1)} | {fmt_num(b['maxrss_mb'], 1)} "
            f"| {fmt_num(h['wall_req_s'])} | {fmt_num(b['wall_req_s'])} | {fmt_num(b['wall_s'], 1)} "
            f"| {h['errors']}/{b['errors']} |")
    return "\n".join(lines)


LEGEND = """\
req/s: requests completed in the measured phase / its duration (h2load: its own figure over -D;
  bench: request_throughput from profile_export_genai_perf.json = measured requests / benchmark
  duration, warm-up excluded). Neither tool parses SSE during the load (bench checks streams after it).
events/s: req/s x (content chunks + finish chunk + [DONE]), the SSE events delivered.
CPU-s/1k: client user+sys CPU seconds per 1,000 requests. h2load: whole process. bench load:
  CPU inside bench's measured window (/proc samples every 20 ms, interpolated). bench all: whole
  process (start-up, prompts, warm-up, load, stream checks, export, metrics with tokenisation).
RSS MB: peak resident set (wait4 ru_maxrss) of the whole process.
wall req/s: measured requests / process wall time (bench's includes start-up and the post-run stage).
"""


def main():
    work = os.environ.get("WORK_DIR") or tempfile.mkdtemp(prefix="bench-ceiling-")
    keep = os.environ.get("KEEP") == "1" or "WORK_DIR" in os.environ
    cores = os.cpu_count() or 1
    cfg = {
        "bench": os.path.abspath(os.environ.get("BENCH", "build/bench")),
        "duration": float(os.environ.get("DURATION", "2")),
        "long_duration": float(os.environ.get("LONG_DURATION", "1")),
        "bench_threads": int(os.environ.get("BENCH_WORKER_THREADS", "1")),
        "http_client": os.environ.get("BENCH_HTTP_CLIENT", "auto"),
        "client_cpu": os.environ.get("CLIENT_CPU", "0" if cores >= 2 else None),
        "server_cpu": os.environ.get("SERVER_CPU", "1" if cores >= 2 else None),
        "work": work,
        # On a shared machine, a wake-up waits behind other processes' time slices and both
        # tools then measure the scheduler, not themselves (h2load: 6-12k vs 50k req/s here).
        # SCHED_FIFO puts client and server first; the kernel's RT throttling still leaves
        # 5% of each core to everything else.
        "realtime": os.environ.get("PRIORITY", "rt" if os.geteuid() == 0 else "normal") == "rt",
    }
    if cfg["realtime"]:
        # The /proc sampler must not wait behind the SCHED_FIFO tools it samples; it wakes for
        # ~50 us every 20 ms, under 0.5% of a core.
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(20))
    concurrency = env_list("CONCURRENCY", "1 10 100 1000")
    chunk_sizes = env_list("CHUNKS", "100 1000")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # children inherit: 1,000 sockets each
    if hard < 2 * max(concurrency) + 100:
        print(f"warning: open-file limit {hard} is low for concurrency {max(concurrency)}", file=sys.stderr)

    for sub in ("logs", "sse", "tmp"):
        os.makedirs(os.path.join(work, sub), exist_ok=True)
    ports = {}
    for chunks in chunk_sizes:
        with open(os.path.join(work, "sse", f"body{chunks}.sse"), "w") as f:
            f.write(sse_body(chunks))
        ports[chunks] = free_port()
    with open(os.path.join(work, "nginx.conf"), "w") as f:
        f.write(nginx_config(work, ports))
    cfg["request_file"] = os.path.join(work, "request.json")
    with open(cfg["request_file"], "w") as f:
        json.dump({"model": "m", "messages": [{"role": "user", "content": "Say hello to the benchmark, please."}],
                   "max_tokens": 100, "stream": True}, f)

    nginx = subprocess.Popen(pinned(cfg, cfg["server_cpu"], [
        "nginx", "-p", work, "-e", os.path.join(work, "logs", "error.log"), "-c", os.path.join(work, "nginx.conf"),
        "-g", "daemon off;"]))
    rows = []
    try:
        for port in ports.values():
            wait_listening(port, nginx)
        print(f"nginx pid {nginx.pid} on ports {ports} (server core {cfg['server_cpu']}, client core "
              f"{cfg['client_cpu']}, {'SCHED_FIFO' if cfg['realtime'] else 'normal priority'}); "
              f"{cfg['duration']} s per point ({cfg['long_duration']} s for longer bodies); "
              f"load average {os.getloadavg()}", flush=True)
        for chunks in chunk_sizes:
            base = f"http://127.0.0.1:{ports[chunks]}"
            for c in concurrency:
                h = run_h2load(cfg, base + "/v1/chat/completions", c, chunks)
                b = run_bench(cfg, base, c, chunks)
                rows.append({"chunks": chunks, "c": c, "h2load": h, "bench": b})
                print(f"  {chunks:>4} chunks c={c:<4}: h2load {h['req_s']:>9,.0f} req/s  bench {b['req_s']:>9,.0f} "
                      f"req/s ({b['requests']} requests, {b['wall_s']:.1f} s wall, export {b['export_mb']:.0f} MB)",
                      flush=True)
    finally:
        nginx.send_signal(signal.SIGQUIT)  # graceful stop of our own nginx only
        try:
            nginx.wait(timeout=10)
        except subprocess.TimeoutExpired:
            nginx.kill()
        if not keep:
            shutil.rmtree(work, ignore_errors=True)

    text = table(rows)
    print()
    print(text)
    print()
    print(LEGEND)
    print(f"load average after: {os.getloadavg()}; bench: {cfg['bench']}; worker threads {cfg['bench_threads']}; --http-client {cfg['http_client']}")
    if os.environ.get("OUTPUT"):
        with open(os.environ["OUTPUT"], "w") as f:
            f.write(text + "\n\n" + LEGEND)


if __name__ == "__main__":
    main()
