"""A/B latency of two wenku binaries, interleaved query by query.

    python3 bench/search/ab.py --a OLD_BINARY --data-a DIR_A --b NEW_BINARY --data-b DIR_B \
        [--corpus ../shared/corpus] [--queries 1000] [--rounds 6] [--out results.json]

Each binary serves its own data directory (the same documents, imported by each) as
`wenku serve --workers 1 --threads 1`, both pinned to CPU 1; the client runs on CPU 0. Every
query goes to A and to B back to back (which goes first alternates), so both see the same
machine state: this machine's speed drifts by ±15 % within minutes, which sequential runs of
the two would measure as a difference. Each round asks every query once with a new `limit`
(both servers cache results keyed by it), so no answer comes from a search cache; round 0
only warms up. Query sets:
  quoted   the search benchmark's queries (corpus.py: words, phrases, two-word ANDs, plus
           natural_queries.txt), every term quoted, as bench.py sends them to Wenku
  typed    typed_queries.tsv and natural_queries.txt without spaces, unquoted: the readings
Prints p50 and p99 per binary and set, their ratios B / A, and the median over every query and
round of B's time over A's for that query (the steadiest of the three).
"""

import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import time
import urllib.parse

import corpus
import engines

HERE = os.path.dirname(os.path.abspath(__file__))


def parse_args():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--a", required=True, help="the baseline binary")
    p.add_argument("--data-a", required=True)
    p.add_argument("--b", required=True, help="the binary measured against it")
    p.add_argument("--data-b", required=True)
    p.add_argument("--corpus", default=os.path.join(HERE, "../../../shared/corpus"))
    p.add_argument("--queries", type=int, default=1000, help="generated queries")
    p.add_argument("--seed", type=int, default=5)
    p.add_argument("--rounds", type=int, default=6, help="timed rounds after the warm-up")
    p.add_argument("--out", default="")
    return p.parse_args()


class Server:
    def __init__(self, binary, data):
        self.port = engines.free_port()
        self.proc = subprocess.Popen(engines.pinned([
            binary, "serve", "--data", data, "--listen", "127.0.0.1:%d" % self.port,
            "--workers", "1", "--threads", "1"] + engines.unlimited(binary)),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        engines.wait_for_port(self.port, self.proc)
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port)

    def search(self, query, limit):
        start = time.perf_counter()
        self.conn.request("GET", "/api/v1/search?" + urllib.parse.urlencode(
            {"q": query, "limit": limit}))
        response = self.conn.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - start
        if response.status != 200:
            raise RuntimeError("%s answered %d: %s" % (query, response.status, body[:200]))
        return elapsed

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)


def query_sets(args):
    docs = corpus.sample_corpus(args.corpus, 0, args.seed)
    generated = corpus.generate_queries(docs, args.queries, args.seed, args.b)
    natural = corpus.natural_queries(os.path.join(HERE, "natural_queries.txt"))
    quoted = [engines.wenku_query(q["terms"]) for q in generated + natural]
    typed = ["".join(q["terms"]) for q in natural]
    with open(os.path.join(HERE, "typed_queries.tsv"), encoding="utf-8") as f:
        typed += [line.split("\t")[0] for line in f if line.strip() and not line.startswith("#")]
    return {"quoted": quoted, "typed": typed}


def percentile(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def main():
    args = parse_args()
    os.sched_setaffinity(0, {0})
    sets = query_sets(args)
    servers = {"A": Server(args.a, args.data_a), "B": Server(args.b, args.data_b)}
    rng = random.Random(args.seed)
    results = {}
    try:
        for name, queries in sets.items():
            latency = {"A": [], "B": []}
            paired = []  # B / A of each query in each round
            for rnd in range(args.rounds + 1):
                order = list(range(len(queries)))
                rng.shuffle(order)
                for n, i in enumerate(order):
                    pair = ("A", "B") if (n + rnd) % 2 == 0 else ("B", "A")
                    elapsed = {side: servers[side].search(queries[i], 10 + rnd) for side in pair}
                    if rnd > 0:
                        for side, seconds in elapsed.items():
                            latency[side].append(seconds * 1e3)
                        paired.append(elapsed["B"] / elapsed["A"])
            results[name] = {
                side: {"p50_ms": statistics.median(v), "p99_ms": percentile(v, 99), "n": len(v)}
                for side, v in latency.items()}
            a, b = results[name]["A"], results[name]["B"]
            results[name]["ratio_p50"] = b["p50_ms"] / a["p50_ms"]
            results[name]["ratio_p99"] = b["p99_ms"] / a["p99_ms"]
            results[name]["paired_median"] = statistics.median(paired)
            print("%-7s %5d queries x %d rounds: A p50 %.2f p99 %.2f ms | B p50 %.2f p99 %.2f ms"
                  " | B/A p50 %.2f p99 %.2f, median of per-query B/A %.2f" % (
                      name, len(queries), args.rounds, a["p50_ms"], a["p99_ms"], b["p50_ms"],
                      b["p99_ms"], results[name]["ratio_p50"], results[name]["ratio_p99"],
                      results[name]["paired_median"]), flush=True)
    finally:
        for server in servers.values():
            server.stop()
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"a": args.a, "b": args.b, "rounds": args.rounds, "sets": results}, f,
                      indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
