"""Search benchmark driver: Wenku against Groonga, Sphinx, Xapian, SQLite FTS5, PostgreSQL.

Run it through run.sh, which installs the engines first. See README.md for the method.
"""

import argparse
import html
import json
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import time
import traceback
import re
import urllib.parse

import corpus
import engines

HERE = os.path.dirname(os.path.abspath(__file__))
CLIENT_CPU = 0  # clients of servers run here; servers (and in-process engines) on SERVER_CPU


def parse_args():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--corpus", default=os.path.join(HERE, "../../../shared/corpus"))
    p.add_argument("--wenku", default=os.path.join(HERE, "../../build/wenku"))
    p.add_argument("--work", default="/tmp/wenku-search-bench")
    p.add_argument("--docs", type=int, default=0, help="sample this many documents (0: all)")
    p.add_argument("--queries", type=int, default=1000, help="generated queries")
    p.add_argument("--seed", type=int, default=5)
    p.add_argument("--engines",
                   default="wenku,wenku-member,groonga,sphinx,xapian,fts5,postgres",
                   help="wenku-member: Wenku again as a logged-in member (searches the "
                        "library of the wenku row when that ran before it)")
    p.add_argument("--wrk-seconds", type=int, default=15)
    p.add_argument("--repeat", type=int, default=3,
                   help="timed passes per engine and concurrency (medians are reported)")
    p.add_argument("--build-rounds", type=int, default=3,
                   help="interleaved rounds of Wenku's import and Groonga's bare build for "
                        "the import ratio (0: none; needs both engines)")
    p.add_argument("--viewer-rounds", type=int, default=6,
                   help="rounds of every query asked of Wenku as guest and as member back to "
                        "back, for the member/guest ratio (0: none; needs wenku-member)")
    p.add_argument("--publish", action="store_true",
                   help="write the table and chart into bench/README.md")
    return p.parse_args()


def percentile(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))] if s else float("nan")


def _client_worker(engine, queries, cpu, out):
    os.sched_setaffinity(0, {cpu})
    client = engine.client()
    lat = []
    start = time.perf_counter()
    for q in queries:
        t = time.perf_counter()
        client.search(q["terms"])
        lat.append(time.perf_counter() - t)
    out.put((start, time.perf_counter(), lat))


def measure(engine, queries, concurrency, cpu):
    """Latencies (s) of every query and queries/s, with `concurrency` client processes."""
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    procs = [ctx.Process(target=_client_worker, args=(engine, queries[i::concurrency], cpu, out))
             for i in range(concurrency)]
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
        if p.exitcode:
            raise RuntimeError("client process failed")
    lat = [x for r in results for x in r[2]]
    wall = max(r[1] for r in results) - min(r[0] for r in results)
    return lat, len(lat) / wall


def correctness(engine, queries, truth):
    """Warm-up pass that also checks recall, hit counts and false hits."""
    client = engine.client()
    found = generated = exact = false_hits = returned = 0
    misses, false_examples = [], []
    for q in queries:
        total, ids = client.search(q["terms"])
        expected = truth.matching(q["terms"])
        exact += total == len(expected)
        returned += len(ids)
        bad = [i for i in ids if not truth.contains_all(i, q["terms"])]
        false_hits += len(bad)
        if bad and len(false_examples) < 5:
            false_examples.append("%s → %s" % (q["text"], bad[0]))
        if q["source"] is not None:
            generated += 1
            num = truth.index_of[q["source"]] + 1
            ok = q["source"] in ids or client.contains(q["terms"], q["source"], num,
                                                       truth.titles[num - 1])
            found += ok
            if not ok and len(misses) < 5:
                misses.append(q["text"])
    return {"recall": found / max(generated, 1), "count_exact": exact / len(queries),
            "false_hits": false_hits, "returned": returned, "missed_examples": misses,
            "false_examples": false_examples}


def round_trip_floor(engine, n=300):
    """p50 of a trivial request (status, SELECT 1, /healthz): the client + protocol cost
    included in every latency of this engine."""
    client = engine.client()
    lat = []
    for _ in range(n):
        t = time.perf_counter()
        client.ping()
        lat.append(time.perf_counter() - t)
    return percentile(lat, 50) * 1e3


def make_engine(name, args, wenku_built=False):
    """Engine `name`; the member row searches the Wenku row's library when `wenku_built`."""
    work = args.work
    library = engines.Wenku(work, args.wenku, fresh=False).data if wenku_built else None
    return {"wenku": lambda: engines.Wenku(work, args.wenku),
            "wenku-member": lambda: engines.WenkuMember(work, args.wenku, library),
            "groonga": lambda: engines.Groonga(work), "sphinx": lambda: engines.Sphinx(work),
            "xapian": lambda: engines.Xapian(work), "fts5": lambda: engines.Fts5(work),
            "postgres": lambda: engines.Postgres(work)}[name]()


def load_1min():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def timed(engine, queries, conc, cpu, repeat):
    """`repeat` timed passes at concurrency `conc`; the median of each statistic, and the
    1-minute load average at the start of every pass. A server with a query cache is
    restarted before each pass, so that no pass is answered from it."""
    passes, loads = [], []
    for _ in range(repeat):
        if engine.has_query_cache:
            engine.restart()
        loads.append(load_1min())
        lat, qps = measure(engine, queries, conc, cpu)
        passes.append({"p50_ms": percentile(lat, 50) * 1e3, "p95_ms": percentile(lat, 95) * 1e3,
                       "p99_ms": percentile(lat, 99) * 1e3, "mean_ms": statistics.mean(lat) * 1e3,
                       "qps": qps})
    out = {k: statistics.median(p[k] for p in passes) for k in passes[0]}
    out["passes"] = passes
    out["loads"] = loads
    return out


def run_engine(engine, docs, queries, truth, corpus_bytes, repeat):
    shared = getattr(engine, "shared", False)  # searches a library built by an earlier row
    print("== %s: %s" % (engine.name, "on the library of the Wenku row" if shared else "building"),
          flush=True)
    engine.prepare(docs)
    in_process = engine.protocol.startswith("in-process")
    everywhere = os.sched_getaffinity(0)
    if in_process:  # the engine builds inside this process: one core, like the servers
        os.sched_setaffinity(0, {int(engines.SERVER_CPU)})
    build_load = load_1min()
    t = time.perf_counter()
    engine.build(docs)
    build_s = time.perf_counter() - t
    os.sched_setaffinity(0, everywhere)
    engine.start()
    row = {"engine": engine.name, "protocol": engine.protocol, "snippets": engine.snippets,
           "exact_count": engine.exact_count, "build_s": None if shared else build_s,
           "build_load": build_load,
           "build_mb_s": None if shared else corpus_bytes / 1e6 / build_s,
           "size_mb": engine.size() / 1e6}
    print("   built in %.1f s, %.1f MB; checking" % (build_s, row["size_mb"]), flush=True)
    row.update(correctness(engine, queries, truth))
    if isinstance(engine, engines.WenkuMember):
        row["snippet_check"] = snippet_check(engine, queries, docs)
        print("   snippets: " + json.dumps(row["snippet_check"], ensure_ascii=False), flush=True)
    row["floor_ms"] = round_trip_floor(engine)
    cpu = int(engines.SERVER_CPU) if in_process else CLIENT_CPU
    for conc in (1, 4):
        print("   timing at concurrency %d (%d passes)" % (conc, repeat), flush=True)
        row["c%d" % conc] = timed(engine, queries, conc, cpu, repeat)
    if engine.has_query_cache:
        # Once more without a restart: every query is then in the cache.
        load = load_1min()
        lat, qps = measure(engine, queries, 1, cpu)
        row["c1_warm"] = {"p50_ms": percentile(lat, 50) * 1e3, "p99_ms": percentile(lat, 99) * 1e3,
                          "qps": qps, "load": load}
    print("   " + json.dumps(row, ensure_ascii=False), flush=True)
    return row


# Characters of a guest's preview (access::Policy::preview_chars, the site's default): the
# guest sees at most these first characters of a gated text, cut at a sentence end.
PREVIEW_CHARS = 600


def snippet_span(snippet, text):
    """Code-point offsets (start, end) in `text` (newlines as spaces, as snippets show them)
    of the passage `snippet` (HTML, <mark>s, "…" at cut ends) shows, or None."""
    plain = html.unescape(re.sub(r"</?mark>", "", snippet))
    for candidate in (plain.removeprefix("…").removesuffix("…"), plain):
        if candidate:
            at = text.find(candidate)
            if at >= 0:
                return at, at + len(candidate)
    return None


def snippet_check(engine, queries, docs):
    """Asks every query on the member row's server twice, once without a cookie (guest) and
    once with the member's, and compares the snippets of the hits both got: how many differ,
    how many of the member's show text beyond the guest preview (end past PREVIEW_CHARS in
    the content), and, as a check of the login wall, how many of the guest's do (0)."""
    guest = engines.WenkuClient(engine.port, engine.path)
    member = engine.client()
    content = {d["id"]: d["content"].replace("\n", " ") for d in docs}
    out = {"hits": 0, "differ": 0, "member_beyond_preview": 0, "guest_beyond_preview": 0,
           "queries_member_beyond": 0, "member_unlocated": 0, "guest_unlocated": 0,
           "member_median_start": None, "examples": [],
           "preview_chars": PREVIEW_CHARS}
    starts = []
    for q in queries:
        guest.search(q["terms"])
        member.search(q["terms"])
        g = {h["id"]: h["snippet"] for h in guest.last_hits}
        beyond = False
        for h in member.last_hits:
            if h["id"] not in g:
                continue
            out["hits"] += 1
            text = content.get(h["id"], "")
            ms, gs = snippet_span(h["snippet"], text), snippet_span(g[h["id"]], text)
            out["differ"] += h["snippet"] != g[h["id"]]
            out["member_unlocated"] += ms is None
            out["guest_unlocated"] += gs is None
            if gs and gs[1] > PREVIEW_CHARS:
                out["guest_beyond_preview"] += 1
            if ms:
                starts.append(ms[0])
                if ms[1] > PREVIEW_CHARS:
                    out["member_beyond_preview"] += 1
                    beyond = True
                    if len(out["examples"]) < 3:
                        out["examples"].append("%s → %s at character %d of %d" % (
                            q["text"], h["id"], ms[0], len(text)))
        out["queries_member_beyond"] += beyond
    if starts:
        out["member_median_start"] = statistics.median(starts)
    return out


def viewer_ratio(member, queries, rounds, work):
    """Wenku as guest and as member side by side, query by query: two fresh servers of the
    same binary pinned to the server core, one asked without the cookie and one with the
    member's, every query sent to both back to back (which goes first alternates), so that
    both see the same machine state (the two rows of the table run minutes apart on a
    machine whose speed drifts by ±15 %, too much for a 1.1x target). The servers are
    started anew each round (empty search caches: each server sees each query once per
    round) on two copies of the library (one server per library), which swap viewers every
    round, so that a difference between the copies falls on both alike. p50 and p99 of all
    rounds' latencies per viewer, their ratios, the median of the per-query ratios, and the
    CPU time each server spent per query (less disturbed by other processes than latency:
    time spent waiting for the core is not counted)."""
    copy = os.path.join(work, "wenku-library-copy")
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(member.data, copy)  # the server is stopped: a consistent copy
    libraries = [member.data, copy]
    latency = {"guest": [], "member": []}
    cpu = {"guest": 0.0, "member": 0.0}  # seconds of CPU the servers spent on the queries
    paired, loads = [], []
    everywhere = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {CLIENT_CPU})
    try:
        for r in range(rounds):
            servers = {}
            try:
                for k, name in enumerate(("guest", "member")):
                    server = engines.Wenku(work, member.binary, fresh=False)
                    server.data = libraries[(k + r) % 2]
                    servers[name] = server
                    server.start()
                clients = {"guest": engines.WenkuClient(servers["guest"].port, member.path),
                           "member": engines.WenkuClient(servers["member"].port, member.path,
                                                         member.cookie)}
                loads.append(load_1min())
                cpu_start = {name: cpu_seconds(s.proc.pid) for name, s in servers.items()}
                for i, q in enumerate(queries):
                    seconds = {}
                    for name in (("guest", "member") if (i + r) % 2 == 0 else ("member", "guest")):
                        t = time.perf_counter()
                        clients[name].search(q["terms"])
                        seconds[name] = time.perf_counter() - t
                    for name, s in seconds.items():
                        latency[name].append(s * 1e3)
                    paired.append(seconds["member"] / seconds["guest"])
                for name, server in servers.items():
                    cpu[name] += cpu_seconds(server.proc.pid) - cpu_start[name]
            finally:
                for server in servers.values():
                    server.stop()
            n = len(queries)
            print("   round %d (guest on library %d): guest p50 %.2f p99 %.2f ms, member p50 %.2f "
                  "p99 %.2f ms" % (r + 1, r % 2 + 1, percentile(latency["guest"][-n:], 50),
                                   percentile(latency["guest"][-n:], 99),
                                   percentile(latency["member"][-n:], 50),
                                   percentile(latency["member"][-n:], 99)), flush=True)
    finally:
        os.sched_setaffinity(0, everywhere)
        shutil.rmtree(copy, ignore_errors=True)
    out = {"rounds": rounds, "queries": len(queries), "loads": loads,
           "paired_median": statistics.median(paired)}
    for name, values in latency.items():
        out[name + "_p50_ms"] = percentile(values, 50)
        out[name + "_p99_ms"] = percentile(values, 99)
        out[name + "_cpu_ms"] = cpu[name] * 1e3 / len(values)
    out["p50_ratio"] = out["member_p50_ms"] / out["guest_p50_ms"]
    out["p99_ratio"] = out["member_p99_ms"] / out["guest_p99_ms"]
    out["cpu_ratio"] = out["member_cpu_ms"] / out["guest_cpu_ms"]
    return out


def cpu_seconds(pid):
    """User + system CPU time of process `pid` so far (/proc/PID/stat, clock ticks)."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# Connections of the scaling test. Each worker of `wenku serve --workers N` listens with
# SO_REUSEPORT and the kernel assigns connections by a hash: of 4 connections all went to one
# worker in one run of three (2026-11-28 01:42: 1,044 q/s, the one-worker rate); with 16,
# every worker gets its share. (A site behind a proxy also sees more connections than 4.)
SCALING_CONNECTIONS = 16


def wrk_qps(port, path, queries, seconds, work):
    """Requests/s that wrk (one thread, SCALING_CONNECTIONS connections) gets from `path`
    cycling `queries`.
    `limit` goes round 10..13 with each cycle, so a query comes back as another Groonga
    command 4,200 requests later: more than the server's query cache holds (2,000)."""
    script = os.path.join(work, "queries.lua")
    paths = [path + "?" + urllib.parse.urlencode({"q": engines.wenku_query(q["terms"]),
                                                  "limit": engines.LIMIT + extra})
             for extra in range(4) for q in queries]
    with open(script, "w") as f:
        f.write("local paths = {%s}\nlocal i = 0\nrequest = function()\n  i = i + 1\n"
                "  return wrk.format('GET', paths[(i %% #paths) + 1])\nend\n"
                % ",".join(json.dumps(p) for p in paths))
    out = subprocess.run(["wrk", "-t1", "-c%d" % SCALING_CONNECTIONS, "-d%ds" % seconds,
                          "-s", script, "http://127.0.0.1:%d" % port],
                         capture_output=True, text=True, check=True).stdout
    non2xx = [line for line in out.splitlines() if "Non-2xx" in line]
    if non2xx:
        raise RuntimeError("wrk: " + non2xx[0])
    return float(next(line.split()[1] for line in out.splitlines()
                      if line.startswith("Requests/sec")))


def wenku_scaling(args, queries):
    """Wenku throughput with one and two worker processes (one thread each) on both cores,
    wrk as the client (on the same two cores: nothing else is free). `repeat` runs of each,
    alternating, each on a fresh server; medians."""
    engine = engines.Wenku(args.work, args.wenku, fresh=False)  # the index built above
    runs = {"1": [], "2": []}
    for _ in range(args.repeat):
        for workers in (1, 2):
            engine.start(cpus="0,1", workers=workers)
            try:
                wrk_qps(engine.port, engine.path, queries, 2, args.work)  # warm-up
                load = load_1min()
                qps = wrk_qps(engine.port, engine.path, queries, args.wrk_seconds, args.work)
                runs[str(workers)].append({"qps": qps, "load": load})
            finally:
                engine.stop()
    q1 = statistics.median(r["qps"] for r in runs["1"])
    q2 = statistics.median(r["qps"] for r in runs["2"])
    return {"qps_1": q1, "qps_2": q2, "ratio": q2 / q1, "runs": runs,
            "connections": SCALING_CONNECTIONS}


def build_ratio(args, docs):
    """Groonga's bare index build and Wenku's import of `docs`, interleaved
    `args.build_rounds` times, both on the server core: each build's seconds, the medians and
    their ratio. One build each is no ratio on this machine: its speed drifts by ±15 % within
    minutes, and the two single builds of the engine table run minutes apart."""
    work = os.path.join(args.work, "build-ratio")
    seconds = {"Groonga": [], "Wenku": []}
    for r in range(args.build_rounds):
        for engine in (engines.Groonga(work), engines.Wenku(work, args.wenku)):
            try:
                engine.prepare(docs)
                t = time.perf_counter()
                engine.build(docs)
                seconds[engine.name].append(time.perf_counter() - t)
            finally:
                engine.stop()
        print("   build round %d: Groonga %.1f s, Wenku %.1f s" % (
            r + 1, seconds["Groonga"][-1], seconds["Wenku"][-1]), flush=True)
    shutil.rmtree(work, ignore_errors=True)
    g, w = statistics.median(seconds["Groonga"]), statistics.median(seconds["Wenku"])
    return {"groonga_s": seconds["Groonga"], "wenku_s": seconds["Wenku"],
            "groonga_median": g, "wenku_median": w, "ratio": w / g}


def freeze_wenku(args):
    """Runs a private copy of the binary, so a rebuild during the run changes nothing; the
    dictionary stays where the original finds it (dict/ beside it)."""
    dict_dir = os.path.join(os.path.dirname(os.path.abspath(args.wenku)), "dict")
    if os.path.isdir(dict_dir):
        os.environ.setdefault("WENKU_DICT_DIR", dict_dir)
    copy = os.path.join(args.work, "wenku-bin")
    shutil.copy2(args.wenku, copy)
    args.wenku = copy


def load_average():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def main():
    args = parse_args()
    os.makedirs(args.work, exist_ok=True)
    freeze_wenku(args)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load_before = load_average()
    docs = corpus.sample_corpus(args.corpus, args.docs, args.seed)
    corpus_bytes = sum(len((d["title"] + d["content"]).encode()) for d in docs)
    queries = corpus.generate_queries(docs, args.queries, args.seed, args.wenku)
    queries += corpus.natural_queries(os.path.join(HERE, "natural_queries.txt"))
    with open(os.path.join(args.work, "queries.json"), "w") as f:
        json.dump(queries, f, ensure_ascii=False, indent=0)
    truths = {False: corpus.GroundTruth(docs),
              True: corpus.GroundTruth(docs, corpus.traditional_folder())}
    print("%d docs (%.1f MB), %d queries" % (len(docs), corpus_bytes / 1e6, len(queries)),
          flush=True)
    rows, failures = [], {}
    names = args.engines.split(",")
    member = None
    for i, name in enumerate(names):
        engine = make_engine(name, args, "wenku" in names[:i] and "Wenku" not in failures)
        try:
            rows.append(run_engine(engine, docs, queries, truths[engine.folds_traditional],
                                   corpus_bytes, args.repeat))
            if name == "wenku-member":
                member = engine
        except Exception as e:  # one broken anchor must not lose the others' numbers
            traceback.print_exc()
            failures[engine.name] = "%s: %s" % (type(e).__name__, e)
        finally:
            engine.stop()
    viewers = None
    if member is not None and args.viewer_rounds > 0:
        print("== Wenku as guest and as member, query by query", flush=True)
        try:
            viewers = viewer_ratio(member, queries, args.viewer_rounds, args.work)
        except Exception as e:
            traceback.print_exc()
            failures["guest/member ratio"] = str(e)
    scaling = None
    if "wenku" in args.engines.split(",") and "Wenku" not in failures:
        try:
            scaling = wenku_scaling(args, queries)
        except Exception as e:
            traceback.print_exc()
            failures["Wenku scaling"] = str(e)
    ratio = None
    if args.build_rounds > 0 and {"wenku", "groonga"} <= set(args.engines.split(",")):
        print("== import against Groonga's bare build, interleaved", flush=True)
        try:
            ratio = build_ratio(args, docs)
        except Exception as e:
            traceback.print_exc()
            failures["build ratio"] = str(e)
    meta = {"started": started, "docs": len(docs), "corpus_mb": corpus_bytes / 1e6,
            "queries": len(queries), "seed": args.seed, "load_before": load_before,
            "load_after": load_average(), "cpus": os.cpu_count(), "failures": failures,
            "wenku_scaling": scaling, "build_ratio": ratio, "viewer_ratio": viewers}
    with open(os.path.join(args.work, "results.json"), "w") as f:
        json.dump({"meta": meta, "rows": rows}, f, ensure_ascii=False, indent=1)
    import report
    table = report.markdown(meta, rows)
    print(table)
    with open(os.path.join(args.work, "results.md"), "w") as f:
        f.write(table)
    if args.publish:
        report.chart(rows, os.path.join(HERE, "search-bench.png"))
        report.publish(table, os.path.join(HERE, "..", "README.md"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
