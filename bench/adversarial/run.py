#!/usr/bin/env python3
"""Times the adversarial queries of queries.tsv against `wenku serve` (issue 19).

    python3 bench/adversarial/run.py --wenku build/wenku --data DATA_DIR [--pages 3] [--rounds 3]

Starts one `wenku serve --workers 1 --threads 1` on DATA_DIR (a library imported beforehand, e.g.
the search benchmark's WORK/wenku/data), pinned to one core, and asks /api/v1/search for each
query's pages 1 … N (a new page misses the server's result cache, as an attacker's would), ROUNDS
times each on a fresh server. Prints, per query, the HTTP status and the median milliseconds of
each page over the rounds, then the server's resident memory before the first query and after
the last (the issue asks that it return to within 10 % of its level). A benchmark, not a test:
not in scripts/test or CI.
"""
import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))


def read_queries(path):
    """(name, query) pairs of the file: name TAB query, # lines are notes."""
    queries = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            name, query = line.split("\t", 1)
            queries.append((name, query.replace("\\t", "\t").replace("\\n", "\n")))
    return queries


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Server:
    """`wenku serve` on `data`, pinned to `cpu`; stopped by stop()."""

    def __init__(self, wenku, data, cpu):
        self.port = free_port()
        self.proc = subprocess.Popen(
            ["taskset", "-c", cpu, wenku, "serve", "--data", data, "--workers", "1", "--threads",
             "1", "--listen", "127.0.0.1:%d" % self.port, "--rate-limits", "off"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen("http://127.0.0.1:%d/healthz" % self.port).read()
                return
            except OSError:
                if self.proc.poll() is not None:
                    sys.exit("run.py: wenku serve exited before answering")
                time.sleep(0.1)  # start-up: polled until it answers
        sys.exit("run.py: wenku serve did not answer within 60 s")

    def search(self, query, page):
        """(status, milliseconds) of one /api/v1/search."""
        url = "http://127.0.0.1:%d/api/v1/search?q=%s&page=%d" % (
            self.port, urllib.parse.quote(query), page)
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(url) as r:
                r.read()
                status = r.status
        except urllib.error.HTTPError as e:
            e.read()
            status = e.code
        return status, (time.perf_counter() - start) * 1e3

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--wenku", default="build/wenku")
    p.add_argument("--data", required=True, help="library directory to serve")
    p.add_argument("--queries", default=os.path.join(HERE, "queries.tsv"))
    p.add_argument("--pages", type=int, default=3)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--cpu", default="1", help="core the server is pinned to")
    args = p.parse_args()
    queries = read_queries(args.queries)
    if not queries:
        sys.exit("run.py: no queries in " + args.queries)
    times = {name: [[] for _ in range(args.pages)] for name, _ in queries}
    statuses = {}
    rss = []
    for _ in range(args.rounds):
        server = Server(args.wenku, args.data, args.cpu)
        try:
            before = rss_mb(server.proc.pid)
            for name, query in queries:
                for page in range(1, args.pages + 1):
                    status, ms = server.search(query, page)
                    statuses[name] = status
                    times[name][page - 1].append(ms)
            rss.append((before, rss_mb(server.proc.pid)))
        finally:
            server.stop()
    print("load average %.2f; medians of %d rounds, one fresh server each" %
          (os.getloadavg()[0], args.rounds))
    print("| query | status | " + " | ".join("page %d ms" % (i + 1) for i in range(args.pages)) + " |")
    print("|---|--:|" + "--:|" * args.pages)
    for name, _ in queries:
        cells = " | ".join("%.1f" % statistics.median(t) for t in times[name])
        print("| %s | %d | %s |" % (name, statuses[name], cells))
    worst = max(max(statistics.median(t) for t in pages) for pages in times.values())
    print("worst median %.1f ms; RSS MB before → after each round: %s" % (
        worst, ", ".join("%.0f → %.0f" % pair for pair in rss)))


if __name__ == "__main__":
    main()
