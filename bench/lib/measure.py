"""Runs a command RUNS times after one warm-up and prints its median wall
time (process start to exit) and median peak memory (max RSS, from the
kernel's accounting of that one process), with the range of the times
and the cost per bucket. Standard output is discarded.
Usage: measure.py LABEL BUCKETS RUNS CMD..."""
import os
import statistics
import subprocess
import sys
import time

label, buckets, runs, cmd = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]


def once():
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    elapsed = time.perf_counter() - start
    err = p.stderr.read().decode(errors="replace")
    p.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):  # 1: validate's "an error-level finding"
        sys.exit(f"{label}: exit {code}: {err.strip()}")
    return elapsed, usage.ru_maxrss / 1024


once()
rows = [once() for _ in range(runs)]
secs = statistics.median(r[0] for r in rows)
mb = statistics.median(r[1] for r in rows)
lo, hi = min(r[0] for r in rows), max(r[0] for r in rows)
print(f"  {label:<28} {secs * 1000:8.1f} ms ({lo * 1000:.1f}-{hi * 1000:.1f})  {mb:7.0f} MB  {secs / buckets * 1e6:7.2f} µs/bucket", flush=True)
