#!/usr/bin/env python3
"""Times the adversarial queries of queries.tsv against `wenku serve` (issue 19).

    python3 bench/adversarial/run.py --wenku build/wenku --data DATA_DIR [--pages 3] [--rounds 3]

Starts one `wenku serve --workers 1 --threads 1` on DATA_DIR (a library imported beforehand, e.g.
the search benchmark's WORK/wenku/data), pinned to one core, and asks /api/v1/search for each
query's pages 1 … N (a new page misses the server's result cache, as an attacker's would), ROUNDS
times each on a fresh server, after the server has answered the search benchmark's typed queries
(pages 1 and 2: a server that has been serving, not a fresh process mapping its index). Prints,
per query, the HTTP status and the median milliseconds of each page over the rounds, then the
server's resident memory (all, and its anonymous part) after the warm-up and after the last
query (the issue asks that it return to within 10 % of its level). A benchmark, not a test:
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
# Ordinary searches asked first, pages 1 and 2 each: the typed queries of the search benchmark.
WARM_UP = os.path.join(HERE, "..", "search", "typed_queries.tsv")


def read_warm_up(path):
    """The queries (first column) of a TSV file; # lines are notes."""
    with open(path, encoding="utf-8") as f:
        return [line.split("\t", 1)[0] for line in f if line.strip() and not line.startswith("#")]


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


def rss_mb(pid, field="VmRSS"):
    """Resident memory of `pid` in MB: all of it (VmRSS) or its anonymous part (RssAnon, the
    heap; the rest is mostly the index's mapped files, which the kernel may reclaim)."""
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
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
    warm_up = read_warm_up(WARM_UP)
    if not queries:
        sys.exit("run.py: no queries in " + args.queries)
    times = {name: [[] for _ in range(args.pages)] for name, _ in queries}
    statuses = {}
    rss = []
    for _ in range(args.rounds):
        server = Server(args.wenku, args.data, args.cpu)
        try:
            # Warmed by ordinary searches first: the times are those of the queries, not of a
            # fresh process mapping the index, and the memory level before them is that of a
            # server that has been answering (its caches and the index's mapped pages filled).
            for query in warm_up:
                for page in (1, 2):
                    server.search(query, page)
            before = (rss_mb(server.proc.pid), rss_mb(server.proc.pid, "RssAnon"))
            for name, query in queries:
                for page in range(1, args.pages + 1):
                    status, ms = server.search(query, page)
                    statuses[name] = status
                    times[name][page - 1].append(ms)
            rss.append(before + (rss_mb(server.proc.pid), rss_mb(server.proc.pid, "RssAnon")))
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
    print("worst median %.1f ms; RSS MB before → after each round (anonymous in brackets): %s" % (
        worst, ", ".join("%.0f (%.0f) → %.0f (%.0f)" % r for r in rss)))


if __name__ == "__main__":
    main()
