"""Joins bench's profile export with the simulator's send log and prints timing errors.

Usage: fidelity_join.py [--ttft-ms 50] [--itl-ms 10] --run LABEL EXPORT SENDLOG [--run ...]

For each run (one load level), every request in EXPORT (profile_export.json) is matched by its
"request_id" with the line of SENDLOG (`bench simulator --event-log`) that has the same id.
Client side: "timestamp" = send time, "response_timestamps" = one per libcurl write callback
(one per network read, or one per HTTP chunk of a chunked response: libcurl hands each chunk
over separately), "response_outputs" = the bytes of each. Each SSE event gets the timestamp of
the callback that completed it (the one holding its terminating blank line). Server side:
"received_ns" = request fully read, "arrived_ns" = when its last bytes reached the server's
socket (the kernel's receive stamp; older logs lack it, and "received_ns" stands in), "event_ns"[k] = write of event k done, "start_ns"[k] = that
write initiated. Clocks differ (client epoch ns, server monotonic ns), so the errors compare
differences taken within one side:

  TTFT error       (client t[f] - send) - (server t[f] - arrived), f = first content event
                   (the read bench's TTFT uses: GenAI-Perf drops the role-only chunk); server
                   t = the write's initiation ("start_ns": the stamp taken just before the
                   socket write, which Asio performs at once), or its completion where the log
                   has no start stamps. The server's truth starts at the request's arrival:
                   a server that reads it late (a busy event loop) adds real latency that a
                   client must see in its TTFT, so that wait is not the client's error; it is
                   shown apart as "server read delay", and the error against the read time as
                   "TTFT error vs server read"
  ITL gap error    (client t[k] - t[k-1]) - (server t[k] - t[k-1]) for consecutive content
                   events, server t as above
  coalesced        share of content events that reached the client together with the event
                   before them: the client read event k-1 only after the server had started
                   the (later) write of event k. Each chunk has its own callback, so "same
                   callback" cannot tell; this uses the clock offset estimated below.

Diagnostics (second table):
  1st event error  the TTFT error for event 0 (chat: the role chunk sent with the headers)
  server late      how late the server was against its own schedule: write start - due time
                   ("due_ns"), for the first content event and for the later ones (without
                   due times in the log: server TTFT - configured TTFT, gap - configured ITL)
  server write done - start      how long a write's completion handler trailed its initiation
                                 (the kernel took the bytes in between); then both errors again
                                 with the completion as the server's time (an event loop that
                                 is busy runs the handler late, so these overstate the error)
  request path     arrived - send, and response path  client t[k] - server start t[k]
                   (content events): each includes the unknown clock offset, so both are shown
                   corrected by the offset estimate = the smallest (client t - server start) of
                   the run (the fastest delivery, tens of microseconds on loopback). TTFT error
                   = request path + response path (with the completion stamps).

Python stdlib only: this runs once after a benchmark, off every hot path. The export is decoded
one request object at a time so a large run does not hold the whole JSON tree in memory.
"""

import argparse
import bisect
import json
import math
import sys


def iter_requests(path):
    """Yields each request object of every experiment without building the whole tree."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    decoder = json.JSONDecoder()
    key = '"requests":['
    at = text.find(key)
    while at != -1:
        pos = at + len(key)
        while True:
            while text[pos] in " \n\r\t,":
                pos += 1
            if text[pos] == "]":
                break
            obj, pos = decoder.raw_decode(text, pos)
            yield obj
        at = text.find(key, pos)


def load_send_log(path):
    by_id = {}
    duplicates = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            rid = rec["request_id"]
            if rid in by_id and rid:  # health probes carry no id
                duplicates += 1
            by_id[rid] = (rec["received_ns"], rec.get("arrived_ns") or rec["received_ns"], rec["event_ns"],
                          rec.get("start_ns"), rec.get("due_ns"))
    return by_id, duplicates


def client_events(request):
    """[(read index, event text)] for every SSE event completed in the response."""
    reads = [o.get("response", "") if isinstance(o, dict) else str(o)
             for o in request.get("response_outputs", [])]
    ends = []
    total = 0
    for r in reads:
        total += len(r)
        ends.append(total)
    body = "".join(reads)
    events = []
    start = 0
    while True:
        end = body.find("\n\n", start)
        if end == -1:
            break
        read = bisect.bisect_right(ends, end + 1)  # the read holding the second "\n"
        read = min(read, len(reads) - 1)
        events.append((read, body[start:end]))
        start = end + 2
    return events


def has_content(event_text):
    for line in event_text.split("\n"):
        if not line.startswith("data:"):
            continue
        data = line[5:].strip()
        if data == "[DONE]":
            return False
        try:
            doc = json.loads(data)
        except ValueError:
            return False
        for choice in doc.get("choices") or []:
            delta = choice.get("delta")
            if delta is not None and delta.get("content"):
                return True
            if choice.get("text"):
                return True
    return False


def percentile(sorted_values, q):
    """Linear interpolation between closest ranks (numpy's default)."""
    if not sorted_values:
        return math.nan
    pos = (len(sorted_values) - 1) * q / 100.0
    lo = math.floor(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def summary(values_ns):
    """(n, mean, p50, p99, max, min, p99 of |x|) in milliseconds."""
    v = sorted(values_ns)
    if not v:
        return (0,) + (math.nan,) * 6
    absv = sorted(abs(x) for x in v)
    ms = 1e6
    return (len(v), sum(v) / len(v) / ms, percentile(v, 50) / ms, percentile(v, 99) / ms,
            v[-1] / ms, v[0] / ms, percentile(absv, 99) / ms)


class Run:
    def __init__(self, label):
        self.label = label
        self.requests = 0
        self.joined = 0
        self.unmatched = 0
        self.mismatched = 0
        self.failed = 0
        self.ttft = []
        self.ttft_after_start = []  # only requests sent after the first one finished
        self.first_event = []
        self.gaps = []
        self.content_events = 0
        self.coalesced = 0
        self.server_ttft_lag = []
        self.server_gap_lag = []
        self.stamp_bracket = []  # write completion - initiation, content events
        self.ttft_vs_done = []   # the errors again, with the completion as server time
        self.gaps_vs_done = []
        self.request_path = []   # arrived - send - offset estimate
        self.read_delay = []     # received - arrived: the server's own wait before reading
        self.ttft_vs_read = []   # the TTFT error with the read as the server's origin
        self.response_path = []  # client t - server t - offset estimate, content events


class Joined:
    """One request seen from both sides."""

    def __init__(self, send, received, arrived, client, server, started, due, content):
        self.send = send
        self.received = received
        self.arrived = arrived
        self.client = client    # per event, client epoch ns
        self.server = server    # per event, server monotonic ns (write done)
        self.started = started  # per event, write initiated, or None
        self.due = due          # per event, when the schedule had it due, or None
        self.content = content  # indices of content events


def join_run(label, export_path, log_path, ttft_ns, itl_ns):
    run = Run(label)
    sends, duplicates = load_send_log(log_path)
    if duplicates:
        print(f"{label}: warning: {duplicates} duplicate request ids in {log_path}", file=sys.stderr)
    joined = []
    for req in iter_requests(export_path):
        run.requests += 1
        if "error" in req:
            run.failed += 1
            continue
        rid = req.get("request_id")
        if rid is None or rid not in sends:
            run.unmatched += 1
            continue
        received, arrived, server, started, due = sends.pop(rid)
        events = client_events(req)
        if len(events) != len(server) or not events:
            run.mismatched += 1
            continue
        reads = req["response_timestamps"]
        content = [k for k, (_, text) in enumerate(events) if has_content(text)]
        if content:
            joined.append(Joined(req["timestamp"], received, arrived, [reads[r] for r, _ in events],
                                 server, started, due, content))
    run.joined = len(joined)
    if not joined:
        return run
    # client epoch - server monotonic = offset + delivery delay >= offset when the server time
    # is no later than the real send: the write's initiation ("start_ns") is such a time, the
    # completion stamp is not (its handler may run after the client has read the bytes). The
    # fastest delivery of the run estimates the offset from above.
    def sent(j):
        return j.started or j.server
    offset = min(min(c - s for c, s in zip(j.client, sent(j))) for j in joined)
    # A closed loop starts with every slot sending at once (after the warm-up), a burst the
    # server reads one request after another; later sends follow completions and are spread.
    first_done = min(j.client[-1] for j in joined)

    for j in joined:
        errors = [(c - j.send) - (s - j.arrived) for c, s in zip(j.client, sent(j))]
        f = j.content[0]
        run.read_delay.append(j.received - j.arrived)
        run.ttft_vs_read.append(errors[f] + (j.received - j.arrived))
        run.ttft.append(errors[f])
        if j.send >= first_done:
            run.ttft_after_start.append(errors[f])
        run.first_event.append(errors[0])
        # Lateness against the server's own schedule: its due times where logged (they include
        # --jitter), else the configured TTFT and ITL.
        if j.due:
            run.server_ttft_lag.append(sent(j)[f] - j.due[f])
        else:
            run.server_ttft_lag.append(sent(j)[f] - j.received - ttft_ns)
        run.request_path.append(j.arrived - j.send + offset)
        run.response_path.extend(j.client[k] - sent(j)[k] - offset for k in j.content)
        for a, b in zip(j.content, j.content[1:]):
            run.gaps.append(errors[b] - errors[a])
            if j.due:
                run.server_gap_lag.append(sent(j)[b] - j.due[b])
            else:
                run.server_gap_lag.append(sent(j)[b] - sent(j)[a] - itl_ns)
        for k in j.content:
            if k == 0:
                continue
            run.content_events += 1
            if sent(j)[k] > sent(j)[k - 1] and j.client[k - 1] - offset >= sent(j)[k]:
                run.coalesced += 1
        if j.started:
            run.stamp_bracket.extend(j.server[k] - j.started[k] for k in j.content)
            done_errors = [(c - j.send) - (s - j.arrived) for c, s in zip(j.client, j.server)]
            run.ttft_vs_done.append(done_errors[f])
            run.gaps_vs_done.extend(done_errors[b] - done_errors[a]
                                    for a, b in zip(j.content, j.content[1:]))
    return run


def fmt(x):
    return "n/a" if isinstance(x, float) and math.isnan(x) else f"{x:.3f}"


def print_table(headers, rows):
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    line = "  ".join(h.rjust(w) if i else h.ljust(w) for i, (h, w) in enumerate(zip(headers, widths)))
    print(line)
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ttft-ms", type=float, default=50.0, help="simulator's configured TTFT")
    ap.add_argument("--itl-ms", type=float, default=10.0, help="simulator's configured ITL")
    ap.add_argument("--run", nargs=3, action="append", metavar=("LABEL", "EXPORT", "SENDLOG"),
                    required=True)
    args = ap.parse_args()
    runs = [join_run(label, export, log, args.ttft_ms * 1e6, args.itl_ms * 1e6)
            for label, export, log in args.run]

    print("Timing error of bench against the simulator's send log "
          "(ms; error = client-measured - server truth)")
    rows = []
    for run in runs:
        share = run.coalesced / run.content_events * 100 if run.content_events else math.nan
        for name, values, extra in (("TTFT error", run.ttft, ""),
                                    ("TTFT error, after start", run.ttft_after_start, ""),
                                    ("ITL gap error", run.gaps,
                                     "n/a" if math.isnan(share) else f"{share:.2f}%")):
            s = summary(values)
            rows.append([run.label, name, str(s[0])] + [fmt(x) for x in s[1:]] + [extra])
    print_table(["level", "metric", "n", "mean", "p50", "p99", "max", "min", "p99 |e|",
                 "coalesced"], rows)

    print()
    print("Diagnostics (ms): server lateness vs its schedule; write completion vs initiation; "
          "TTFT error split by path (minus the clock offset estimate)")
    rows = []
    for run in runs:
        for name, values in (("1st event error", run.first_event),
                             ("server late, 1st token", run.server_ttft_lag),
                             ("server late, later tokens", run.server_gap_lag),
                             ("server write done - start", run.stamp_bracket),
                             ("TTFT error vs write done", run.ttft_vs_done),
                             ("gap error vs write done", run.gaps_vs_done),
                             ("server read delay", run.read_delay),
                             ("TTFT error vs server read", run.ttft_vs_read),
                             ("request path", run.request_path),
                             ("response path", run.response_path)):
            s = summary(values)
            rows.append([run.label, name, str(s[0])] + [fmt(x) for x in s[1:6]])
    print_table(["level", "quantity", "n", "mean", "p50", "p99", "max", "min"], rows)

    problems = []
    for run in runs:
        if run.failed or run.unmatched or run.mismatched:
            problems.append(f"{run.label}: {run.requests} requests, {run.failed} failed, "
                            f"{run.unmatched} without a send-log line, {run.mismatched} with a "
                            f"different event count")
    if problems:
        print()
        print("\n".join(problems))
    return 0 if all(run.joined for run in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
