#!/usr/bin/env python3
"""Growth benchmark: how import time, store and index size, a serving node's memory and
search latency grow with the size of the library (issue 21, "Growth").

    bench/growth/run.sh [--factors 1,4,10] [--db URL] [--work DIR] [--passes N] ...

For each factor K (library = copies 0 … K-1 of generate.py, K × 23,296 documents):
1. generates the copies that are missing (generate.py, seeded: the same bytes every run);
2. imports them into an empty library: `wenku import --data DIR [--db URL] copy-00.jsonl …`
   (wall time, CPU time and peak RSS from wait4; the import's own phase times from its
   report on standard error);
3. measures the store (SQLite file with its -wal/-shm; PostgreSQL: pg_database_size) and
   the Groonga index on disk (bytes allocated: the files are sparse), and reads the index's
   own statistics (records and key bytes of each lexicon, segments of the full-text index)
   through libgroonga's `object_inspect`;
4. after every size is imported, `--passes` rounds over the sizes in turn (1×, 4×, 10×, 1×,
   …, so that each size meets the same moments of a shared machine): start `wenku serve
   --workers 1 --threads 1 --rate-limits off --access-log off` pinned to one core, warm it
   up (the 129 typed queries of bench/search/typed_queries.tsv and the document pages of
   their first hits), read its RSS from /proc, ask the 50 queries of
   bench/search/natural_queries.txt once each over HTTP /api/v1/search from one client
   thread on the other core (latency, and the server's CPU time from its threads'
   schedstat), stop it. A fresh server per pass: the server keeps results per query, and no
   timed query may be answered from that cache. Latency percentiles are over all passes'
   queries together. Before each import and each pass the runner waits (--quiet) until the
   rest of the machine is nearly idle, and it records how busy the machine was.

Results go to WORK/results.json and WORK/results.csv, merged with earlier runs (a row per
store and factor), and WORK/growth.svg; `--publish` copies the three into bench/growth/.

--db: a store URL passed to every wenku command (`--db postgresql://user@host/db`); `{k}` in
it is replaced by the factor, so that each size gets its own database; with
--recreate-db the runner drops and creates that database (through `psql` on the server's
`postgres` database) before the import. Without --db: the embedded SQLite store in the data
directory. Every wenku process runs under `nice -n NICE` (default 19: the machine is shared).
Python 3 standard library only.
"""

import argparse
import ctypes
import datetime
import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "../.."))

sys.path.insert(0, HERE)
import plot  # noqa: E402  (bench/growth/plot.py)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--factors", default="1,4", help="comma-separated copy factors, e.g. 1,4,10")
    p.add_argument("--db", default="", help="store URL for every wenku command (default: the "
                   "embedded SQLite of the data directory); {k} is replaced by the factor; "
                   "several stores separated by commas (`sqlite` for the embedded one) are "
                   "measured in one run, their search passes interleaved")
    p.add_argument("--recreate-db", action="store_true",
                   help="PostgreSQL: drop and create the --db database before each import")
    p.add_argument("--wenku", default=os.path.join(REPO, "build", "wenku"),
                   help="binary; copied into WORK first, so a rebuild cannot change it mid-run")
    p.add_argument("--dict", default=os.path.join(REPO, "build", "dict"))
    p.add_argument("--work", default="/tmp/growth")
    p.add_argument("--seed", type=int, default=21)
    p.add_argument("--corpus", default=os.path.normpath(os.path.join(REPO, "../shared/corpus")))
    p.add_argument("--passes", type=int, default=5,
                   help="timed search passes per size, a fresh server each (0: import and "
                        "sizes only)")
    p.add_argument("--nice", type=int, default=19)
    p.add_argument("--quiet", type=float, default=0.35,
                   help="before each import and each timed pass, wait until the machine (none "
                        "of our processes running) is busy below this fraction of all its cores "
                        "(0: do not wait)")
    p.add_argument("--quiet-wait", type=int, default=1800,
                   help="longest wait for --quiet, seconds (then the step runs anyway)")
    p.add_argument("--server-cpu", default="1", help="core of `wenku serve`")
    p.add_argument("--client-cpu", type=int, default=0, help="core of the HTTP client")
    p.add_argument("--import-cpu", default="", help="pin the import to this core (default: "
                   "not pinned)")
    p.add_argument("--docs-per-copy", type=int, default=0,
                   help="smoke test: about this many records of each copy, every n-th "
                        "(0: all)")
    p.add_argument("--keep", action="store_true", help="keep each library after measuring it")
    p.add_argument("--reuse", action="store_true",
                   help="measure an existing library of WORK without importing again")
    p.add_argument("--summary-only", action="store_true",
                   help="recompute the summaries of WORK/results.json from the latencies it "
                        "holds, redraw the chart, measure nothing")
    p.add_argument("--publish", action="store_true",
                   help="copy results.csv, results.json and growth.svg into bench/growth/")
    return p.parse_args()


# ---- processes -------------------------------------------------------------------------------

def niced(cmd, nice, cpus=""):
    out = ["nice", "-n", str(nice)]
    if cpus != "":
        out += ["taskset", "-c", str(cpus)]
    return out + cmd


def store_args(db):
    return ["--db", db] if db else []


def load_average():
    with open("/proc/loadavg") as f:
        return [float(x) for x in f.read().split()[:3]]


def proc_status(pid):
    """VmRSS, RssAnon, RssFile, VmHWM of `pid` in bytes."""
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "RssAnon", "RssFile", "RssShmem", "VmHWM"):
                out[key] = int(value.split()[0]) * 1024
    return out


def cpu_seconds(pid):
    """CPU seconds `pid` has run so far, all its threads (schedstat: nanoseconds, not the
    10 ms ticks of /proc/PID/stat)."""
    total = 0
    task_dir = "/proc/%d/task" % pid
    for tid in os.listdir(task_dir):
        try:
            with open(os.path.join(task_dir, tid, "schedstat")) as f:
                total += int(f.read().split()[0])
        except OSError:  # a thread that ended meanwhile
            pass
    return total / 1e9


def postmaster_pid(db):
    """The pid of the PostgreSQL server of URL `db` when it runs on this machine and its data
    directory is readable (SHOW data_directory needs a superuser), else None."""
    try:
        d = subprocess.run(["psql", db, "-Atc", "SHOW data_directory"], capture_output=True,
                           text=True, check=True).stdout.strip()
        with open(os.path.join(d, "postmaster.pid")) as f:
            return int(f.readline())
    except (OSError, ValueError, subprocess.CalledProcessError):
        return None


def tree_cpu_seconds(root):
    """CPU seconds of process `root`, of its children that ended (cutime, cstime) and of
    those still running: a PostgreSQL server's work, backends included."""
    tick = os.sysconf("SC_CLK_TCK")

    def stat(pid):
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()

    f = stat(root)
    total = sum(int(x) for x in f[11:15])
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                c = stat(int(entry))
            except OSError:
                continue
            if int(c[1]) == root:
                total += int(c[11]) + int(c[12])
    return total / tick


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_measured(cmd, log_path):
    """Runs `cmd` with its output in `log_path`: wall seconds, rusage, exit status and the
    peaks of its RSS, anonymous and file-backed (mapped files: the index, the SQLite file),
    sampled from /proc every 0.2 s."""
    peaks = {"VmRSS": 0, "RssAnon": 0, "RssFile": 0}
    with open(log_path, "wb") as log:
        start = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        done = threading.Event()

        def sample():
            while not done.wait(0.2):
                try:
                    st = proc_status(proc.pid)
                except (OSError, ValueError):
                    continue
                for key in peaks:
                    peaks[key] = max(peaks[key], st.get(key, 0))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - start
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage, proc.returncode, peaks


# ---- sizes -----------------------------------------------------------------------------------

def allocated(path):
    """(bytes allocated on disk, apparent bytes) of a file or a directory tree."""
    if not os.path.exists(path):
        return 0, 0
    if os.path.isfile(path):
        st = os.stat(path)
        return st.st_blocks * 512, st.st_size
    alloc = size = 0
    for root, _, files in os.walk(path):
        for f in files:
            st = os.stat(os.path.join(root, f))
            alloc += st.st_blocks * 512
            size += st.st_size
    return alloc, size


def sqlite_size(data):
    alloc = size = 0
    for suffix in ("", "-wal", "-shm"):
        a, s = allocated(os.path.join(data, "wenku.sqlite" + suffix))
        alloc, size = alloc + a, size + s
    return alloc, size


def pg_size(db):
    out = subprocess.run(["psql", db, "-Atc", "select pg_database_size(current_database())"],
                         capture_output=True, text=True, check=True).stdout.strip()
    return int(out), int(out)


def pg_recreate(db):
    """Drops and creates the database of URL `db` through the server's `postgres` database."""
    u = urllib.parse.urlsplit(db)
    name = u.path.lstrip("/")
    if not re.fullmatch(r"[A-Za-z0-9_]+", name):
        sys.exit("run.py: --recreate-db needs a plain database name, not %r" % name)
    admin = urllib.parse.urlunsplit((u.scheme, u.netloc, "/postgres", u.query, u.fragment))
    subprocess.run(["psql", admin, "-v", "ON_ERROR_STOP=1", "-qc",
                    "DROP DATABASE IF EXISTS %s" % name, "-c", "CREATE DATABASE %s" % name],
                   check=True)


class GroongaInspector:
    """`object_inspect` of objects of a Groonga database through libgroonga (read only)."""

    def __init__(self, db_path):
        self.lib = ctypes.CDLL("libgroonga.so.0")
        self.lib.grn_ctx_open.restype = ctypes.c_void_p
        self.lib.grn_db_open.restype = ctypes.c_void_p
        self.lib.grn_db_open.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
        self.lib.grn_ctx_send.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_uint,
                                          ctypes.c_int]
        self.lib.grn_ctx_recv.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p,
                                          ctypes.c_void_p]
        self.lib.grn_ctx_close.argtypes = [ctypes.c_void_p]
        self.lib.grn_obj_close.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        self.lib.grn_init()
        self.ctx = self.lib.grn_ctx_open(0)
        self.db = self.lib.grn_db_open(self.ctx, db_path.encode())
        if not self.db:
            raise RuntimeError("cannot open Groonga database %s" % db_path)

    def command(self, text):
        data = text.encode()
        self.lib.grn_ctx_send(self.ctx, data, len(data), 0)
        out, size, flags = ctypes.c_char_p(), ctypes.c_uint(), ctypes.c_int()
        self.lib.grn_ctx_recv(self.ctx, ctypes.byref(out), ctypes.byref(size), ctypes.byref(flags))
        return json.loads(ctypes.string_at(out, size.value).decode())

    def close(self):
        self.lib.grn_obj_close(self.ctx, self.db)
        self.lib.grn_ctx_close(self.ctx)


def index_statistics(data):
    """Records and key bytes of the index's tables, and the fill of its full-text index."""
    index = os.path.join(data, "index")
    with open(os.path.join(index, "CURRENT")) as f:
        generation = f.read().strip()
    g = GroongaInspector(os.path.join(index, generation, "db"))
    try:
        out = {}
        for table in ("Docs", "Terms", "Words"):
            t = g.command("object_inspect " + table)
            out[table] = {"records": t["n_records"], "key_bytes": t["key"]["total_size"],
                          "max_key_bytes": t["key"]["max_total_size"],
                          "type": t["type"]["name"]}
        for column in ("Terms.docs_text", "Terms.docs_guest_view", "Words.docs_words"):
            c = g.command("object_inspect " + column)
            s = c["value"]["statistics"]
            out[column] = {"physical_segments": s["next_physical_segment_id"],
                           "max_physical_segments": s["max_n_physical_segments"],
                           "chunk_bytes": s["total_chunk_size"],
                           "disk_usage": c["disk_usage"]}
        return out
    finally:
        g.close()


# ---- HTTP ------------------------------------------------------------------------------------

class Client:
    def __init__(self, port):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)

    def get(self, path, params=None):
        url = path + ("?" + urllib.parse.urlencode(params) if params else "")
        for attempt in (0, 1):
            try:
                self.conn.request("GET", url)
                resp = self.conn.getresponse()
                return resp.status, resp.read()
            except (http.client.HTTPException, ConnectionError):
                if attempt:
                    raise
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)


def read_queries():
    natural = [l.strip() for l in open(os.path.join(REPO, "bench/search/natural_queries.txt"),
                                       encoding="utf-8") if l.strip() and not l.startswith("#")]
    typed = [l.split("\t")[0].strip() for l in open(
        os.path.join(REPO, "bench/search/typed_queries.tsv"), encoding="utf-8")
        if l.strip() and not l.startswith("#")]
    return natural, typed


def percentile(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))] if s else float("nan")


class Server:
    def __init__(self, args, binary, data, db, log_path):
        self.port = free_port()
        cmd = niced([binary, "serve", "--data", data] + store_args(db) + [
            "--dict", args.dict, "--listen", "127.0.0.1:%d" % self.port, "--workers", "1",
            "--threads", "1", "--rate-limits", "off", "--access-log", "off"],
            args.nice, args.server_cpu)
        self.log = open(log_path, "ab")
        start = time.monotonic()
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT)
        self.wait_ready()
        self.ready_s = time.monotonic() - start

    def wait_ready(self, timeout=7200):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("wenku serve exited with %s" % self.proc.returncode)
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                c.request("GET", "/healthz")
                if c.getresponse().status == 200:
                    c.close()
                    return
                c.close()
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("wenku serve not ready after %d s" % timeout)

    def metrics(self):
        status, body = Client(self.port).get("/metrics")
        out = {}
        for line in body.decode().splitlines():
            m = re.match(r"^(wenku_documents|wenku_index_lag)(?:\{[^}]*\})? (\S+)$", line)
            if m:
                out[m.group(1)] = float(m.group(2))
        return out

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


def warm_up(port, typed):
    """The typed queries, then the document pages of up to 100 of their first hits."""
    client = Client(port)
    ids = []
    for q in typed:
        status, body = client.get("/api/v1/search", {"q": q})
        if status == 200:
            hits = json.loads(body).get("hits", [])
            if hits and hits[0]["id"] not in ids:
                ids.append(hits[0]["id"])
    for i in ids[:100]:
        client.get("/doc/" + urllib.parse.quote(i))
    return len(typed), min(len(ids), 100)


def timed_pass(port, pid, queries, client_cpu):
    """Latency (s) of each query asked once, server CPU seconds used, totals found."""
    before_affinity = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {client_cpu})
    try:
        client = Client(port)
        client.get("/healthz")  # the connection is open before the first timed request
        cpu0 = cpu_seconds(pid)
        lat, totals = [], []
        for q in queries:
            t = time.perf_counter()
            status, body = client.get("/api/v1/search", {"q": q})
            lat.append(time.perf_counter() - t)
            if status != 200:
                raise RuntimeError("search %r: HTTP %d" % (q, status))
            totals.append(json.loads(body)["total"])
        return lat, cpu_seconds(pid) - cpu0, totals
    finally:
        os.sched_setaffinity(0, before_affinity)


# ---- one size ----------------------------------------------------------------------------------

def import_report(log_path):
    """The import's own phase times from its report."""
    text = open(log_path, encoding="utf-8", errors="replace").read()
    out = {}
    m = re.search(r"imported (\d+) documents \((\d+) new.*? in ([\d.]+) s .*?; indexed in ([\d.]+) s",
                  text)
    if m:
        out.update(imported=int(m.group(1)), new=int(m.group(2)), store_phase_s=float(m.group(3)),
                   index_phase_s=float(m.group(4)))
    m = re.search(r"keywords computed .*? in ([\d.]+) s", text)
    if m:
        out["keywords_s"] = float(m.group(1))
    m = re.search(r"(\d+) near-duplicate pairs", text)
    if m:
        out["near_duplicate_pairs"] = int(m.group(1))
    return out


def measure_size(args, binary, store, k, copies_dir, natural, typed):
    """Imports the library of factor `k` into `store` ("" for the embedded SQLite, else a URL)
    and measures it on disk; the search passes come later (search_pass)."""
    kind = "postgresql" if store.startswith("postgres") else "sqlite"
    db = store.replace("{k}", str(k))
    lib_dir = os.path.join(args.work, "%s-k%d" % (kind, k))
    data = os.path.join(lib_dir, "data")
    row = {"store": kind, "factor": k, "db": re.sub(r"//[^@/]*@", "//…@", db) if db else "",
           "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}
    files = [os.path.join(copies_dir, "copy-%02d.jsonl" % c) for c in range(k)]
    infos = [json.load(open(os.path.join(copies_dir, "copy-%02d.json" % c))) for c in range(k)]
    row["documents_in_files"] = sum(i["documents"] for i in infos)
    row["content_mb"] = round(sum(i["content_bytes"] for i in infos) / 1e6, 1)
    row["copies_sha256"] = [i["sha256"][:16] for i in infos]

    if not args.reuse:
        if os.path.exists(lib_dir):
            shutil.rmtree(lib_dir)
        os.makedirs(lib_dir)
        if kind == "postgresql" and args.recreate_db:
            pg_recreate(db)
        cmd = niced([binary, "import", "--data", data] + store_args(db) + ["--dict", args.dict]
                    + files, args.nice, args.import_cpu)
        print("[%s %d×] importing %d documents: %s" % (kind, k, row["documents_in_files"],
                                                        " ".join(cmd[:8]) + " …"), flush=True)
        busy, waited = wait_for_quiet(args.quiet, args.quiet_wait)
        row["load_before_import"] = load_average()
        row["busy_before_import"] = round(busy, 3)
        cpu0 = machine_cpu_seconds()
        pm = postmaster_pid(db) if kind == "postgresql" else None
        db_cpu0 = tree_cpu_seconds(pm) if pm else None
        wall, usage, rc, peaks = run_measured(cmd, os.path.join(lib_dir, "import.log"))
        if pm:
            row["import_db_cpu_s"] = round(tree_cpu_seconds(pm) - db_cpu0, 1)
        # What the rest of the machine used meanwhile, in cores (of os.cpu_count()).
        others = (machine_cpu_seconds() - cpu0 - (usage.ru_utime + usage.ru_stime)
                  - row.get("import_db_cpu_s", 0))
        row["others_cores_during_import"] = round(max(0.0, others) / wall, 2)
        row["load_after_import"] = load_average()
        if rc != 0:
            raise RuntimeError("import failed (%d), see %s/import.log" % (rc, lib_dir))
        row.update(import_s=round(wall, 1), import_cpu_s=round(usage.ru_utime + usage.ru_stime, 1),
                   import_peak_rss_mb=round(usage.ru_maxrss / 1024, 1),
                   import_peak_anon_mb=round(peaks["RssAnon"] / 1e6, 1),
                   import_peak_file_mb=round(peaks["RssFile"] / 1e6, 1))
        row["import"] = import_report(os.path.join(lib_dir, "import.log"))
        print("[%s %d×] import %.1f s (CPU %.1f s, database server CPU %s s, peak RSS %.0f MB: "
              "anonymous %.0f, file %.0f; other processes used %.2f cores meanwhile) %s"
              % (kind, k, wall, row["import_cpu_s"], row.get("import_db_cpu_s", "-"),
                 row["import_peak_rss_mb"], row["import_peak_anon_mb"],
                 row["import_peak_file_mb"], row["others_cores_during_import"], row["import"]),
              flush=True)

    store_alloc, store_apparent = pg_size(db) if kind == "postgresql" else sqlite_size(data)
    index_alloc, index_apparent = allocated(os.path.join(data, "index"))
    row.update(store_mb=round(store_alloc / 1e6, 1), store_apparent_mb=round(store_apparent / 1e6, 1),
               index_mb=round(index_alloc / 1e6, 1), index_apparent_mb=round(index_apparent / 1e6, 1))
    try:
        row["groonga"] = index_statistics(data)
    except Exception as e:  # the statistics are extra; the sizes above are the measure
        print("[%s %d×] index statistics unavailable: %s" % (kind, k, e), flush=True)
    print("[%s %d×] store %.0f MB, index %.0f MB" % (kind, k, row["store_mb"], row["index_mb"]),
          flush=True)

    row["_data"], row["_db"], row["_lib_dir"] = data, db, lib_dir
    return row


def machine_busy(seconds=3.0):
    """Fraction of all cores' time spent busy over `seconds` (/proc/stat)."""
    def sample():
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:9]]
        total = sum(v)  # user nice system idle iowait irq softirq steal
        return total - v[3] - v[4] - v[7], total
    b0, t0 = sample()
    time.sleep(seconds)
    b1, t1 = sample()
    return (b1 - b0) / max(1, t1 - t0)


def machine_cpu_seconds():
    """Busy CPU seconds of the whole machine since boot (/proc/stat, all cores)."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:9]]
    return (sum(v) - v[3] - v[4] - v[7]) / os.sysconf("SC_CLK_TCK")


def wait_for_quiet(limit, max_wait):
    """Waits (up to `max_wait` s) until the machine, with no server of ours running, is busy
    below `limit`; returns the last busy fraction seen and the seconds waited."""
    start = time.monotonic()
    busy = machine_busy()
    while limit and busy > limit and time.monotonic() - start < max_wait:
        time.sleep(10)
        busy = machine_busy()
    return busy, time.monotonic() - start


def search_pass(args, binary, row, natural, typed):
    """One timed pass on a fresh server of `row`'s library."""
    kind, k = row["store"], row["factor"]
    busy, waited = wait_for_quiet(args.quiet, args.quiet_wait)
    server = Server(args, binary, row["_data"], row["_db"], os.path.join(row["_lib_dir"],
                                                                        "serve.log"))
    try:
        if "serve_ready_s" not in row:
            row["serve_ready_s"] = round(server.ready_s, 2)
            row["metrics"] = server.metrics()
        warm_up(server.port, typed)
        rss_warm = proc_status(server.proc.pid)
        load = load_average()[0]
        pm = postmaster_pid(row["_db"]) if kind == "postgresql" else None
        db_cpu0 = tree_cpu_seconds(pm) if pm else None
        lat, cpu, totals = timed_pass(server.port, server.proc.pid, natural, args.client_cpu)
        db_cpu = tree_cpu_seconds(pm) - db_cpu0 if pm else None
        rss_after = proc_status(server.proc.pid)
    finally:
        server.stop()
    p = {"lat_ms": [round(x * 1e3, 3) for x in lat], "server_cpu_s": cpu, "db_cpu_s": db_cpu,
         "rss_warm": rss_warm,
         "rss_after": rss_after, "load": load, "busy_before": round(busy, 3),
         "waited_s": round(waited), "totals": totals}
    print("[%s %d×] pass: p50 %.2f ms, p99 %.2f ms, server CPU %.2f ms/query, RSS %.0f MB, "
          "load %.2f, machine busy before %.0f %% (waited %d s)" % (
              kind, k, percentile(lat, 50) * 1e3, percentile(lat, 99) * 1e3,
              cpu / len(natural) * 1e3, rss_warm["VmRSS"] / 1e6, load, busy * 100, waited),
          flush=True)
    return p


def search_summary(latencies):
    """Latency measures from the per-pass lists of per-query latencies (ms), all passes asking
    the same queries in the same order. Headline (search_p50_ms, search_p99_ms): percentiles
    over the queries of each query's median latency across passes, which one disturbed pass
    on a shared machine cannot move; also the percentiles of all latencies pooled."""
    per_query = [statistics.median(p[i] for p in latencies) for i in range(len(latencies[0]))]
    pooled = [x for p in latencies for x in p]
    return {"search_p50_ms": round(percentile(per_query, 50), 2),
            "search_p90_ms": round(percentile(per_query, 90), 2),
            "search_p99_ms": round(percentile(per_query, 99), 2),
            "search_pooled_p50_ms": round(percentile(pooled, 50), 2),
            "search_pooled_p99_ms": round(percentile(pooled, 99), 2),
            "search_mean_ms": round(statistics.mean(pooled), 2),
            "search_max_ms": round(max(pooled), 2),
            "search_pass_p50_ms": [round(percentile(p, 50), 2) for p in latencies]}


def summarise_search(row, passes, natural):
    row.update(search_summary([p["lat_ms"] for p in passes]))
    row.update(
        queries=sum(len(p["lat_ms"]) for p in passes), passes=len(passes),
        server_cpu_ms_per_query=round(statistics.median(p["server_cpu_s"] for p in passes)
                                      / len(natural) * 1e3, 2),
        server_cpu_pass_ms=[round(p["server_cpu_s"] / len(natural) * 1e3, 2) for p in passes],
        db_cpu_ms_per_query=(round(statistics.median(p["db_cpu_s"] for p in passes)
                                   / len(natural) * 1e3, 2)
                             if all(p.get("db_cpu_s") is not None for p in passes) else None),
        rss_warm_mb=round(statistics.median(p["rss_warm"]["VmRSS"] for p in passes) / 1e6, 1),
        rss_anon_mb=round(statistics.median(p["rss_warm"]["RssAnon"] for p in passes) / 1e6, 1),
        rss_file_mb=round(statistics.median(p["rss_warm"]["RssFile"] for p in passes) / 1e6, 1),
        rss_after_mb=round(statistics.median(p["rss_after"]["VmRSS"] for p in passes) / 1e6, 1),
        rss_hwm_mb=round(max(p["rss_after"]["VmHWM"] for p in passes) / 1e6, 1),
        search_loads=[p["load"] for p in passes],
        search_busy_before=[p["busy_before"] for p in passes],
        hits_total=passes[0]["totals"],
        latencies_ms=[p["lat_ms"] for p in passes])
    row["documents"] = int(row.get("metrics", {}).get("wenku_documents", 0)) or None


# ---- results -----------------------------------------------------------------------------------

CSV_COLUMNS = ["store", "factor", "documents", "content_mb", "import_s", "import_cpu_s",
               "import_peak_rss_mb", "import_peak_anon_mb", "store_mb", "index_mb",
               "rss_warm_mb", "rss_anon_mb", "rss_file_mb", "search_p50_ms", "search_p90_ms",
               "search_p99_ms", "search_pooled_p50_ms", "search_pooled_p99_ms",
               "server_cpu_ms_per_query", "db_cpu_ms_per_query", "import_db_cpu_s",
               "terms_records", "terms_key_bytes",
               "docs_text_segments", "date", "binary"]


def flat(row):
    g = row.get("groonga", {})
    out = dict(row)
    out["terms_records"] = g.get("Terms", {}).get("records", "")
    out["terms_key_bytes"] = g.get("Terms", {}).get("key_bytes", "")
    out["docs_text_segments"] = g.get("Terms.docs_text", {}).get("physical_segments", "")
    return out


def save(results, work):
    results.sort(key=lambda r: (r["store"], r["factor"]))
    with open(os.path.join(work, "results.json"), "w", encoding="utf-8") as f:
        json.dump(results, f, ensure_ascii=False, indent=1)
        f.write("\n")
    with open(os.path.join(work, "results.csv"), "w", encoding="utf-8") as f:
        f.write(",".join(CSV_COLUMNS) + "\n")
        for r in results:
            fr = flat(r)
            f.write(",".join(str(fr.get(c, "")) for c in CSV_COLUMNS) + "\n")
    with open(os.path.join(work, "growth.svg"), "w", encoding="utf-8") as f:
        f.write(plot.render(results))


def sample_copies(copies_dir, n_copies, per_copy):
    """Every n-th line of each copy (a smoke test's small library), in a directory beside."""
    out_dir = copies_dir + "-sample%d" % per_copy
    os.makedirs(out_dir, exist_ok=True)
    for c in range(n_copies):
        with open(os.path.join(copies_dir, "copy-%02d.jsonl" % c), encoding="utf-8") as f:
            lines = f.readlines()
        step = max(1, len(lines) // per_copy)
        kept = lines[::step][:per_copy]
        with open(os.path.join(out_dir, "copy-%02d.jsonl" % c), "w", encoding="utf-8") as f:
            f.writelines(kept)
        data = "".join(kept).encode("utf-8")
        info = {"copy": c, "documents": len(kept), "sha256": hashlib.sha256(data).hexdigest(),
                "content_bytes": sum(len(json.loads(l)["content"].encode("utf-8")) for l in kept)}
        with open(os.path.join(out_dir, "copy-%02d.json" % c), "w") as f:
            json.dump(info, f)
    return out_dir


def freeze_binary(args):
    """Copies the binary into WORK (the build directory may be rebuilt during a run)."""
    os.makedirs(args.work, exist_ok=True)
    frozen = os.path.join(args.work, "wenku")
    if os.path.realpath(args.wenku) != os.path.realpath(frozen):
        shutil.copy2(args.wenku, frozen)
    with open(frozen, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()[:12]
    return frozen, digest


def main():
    args = parse_args()
    if args.summary_only:
        results = json.load(open(os.path.join(args.work, "results.json")))
        for r in results:
            if r.get("latencies_ms"):
                r.update(search_summary(r["latencies_ms"]))
        save(results, args.work)
        publish(args)
        return
    binary, digest = freeze_binary(args)
    natural, typed = read_queries()
    factors = [int(x) for x in args.factors.split(",") if x]
    copies_dir = os.path.join(args.work, "copies")
    subprocess.run(niced([sys.executable, os.path.join(HERE, "generate.py"), "--out", copies_dir,
                          "--copies", "0-%d" % (max(factors) - 1), "--seed", str(args.seed),
                          "--corpus", args.corpus, "--missing-only"], args.nice), check=True)
    if args.docs_per_copy:
        copies_dir = sample_copies(copies_dir, max(factors), args.docs_per_copy)
    results_path = os.path.join(args.work, "results.json")
    results = json.load(open(results_path)) if os.path.exists(results_path) else []
    stores = ["" if x in ("", "sqlite") else x for x in args.db.split(",")]
    rows = []
    for store in stores:
        for k in factors:
            rows.append(measure_size(args, binary, store, k, copies_dir, natural, typed))
    # Timed passes interleaved over the stores and sizes (1×, 4×, 10×, 1×, …), so that every
    # library meets the same moments of a shared machine.
    passes = {id(r): [] for r in rows}
    for n in range(args.passes):
        for row in rows:
            passes[id(row)].append(search_pass(args, binary, row, natural, typed))
    for row in rows:
        k = row["factor"]
        if passes[id(row)]:
            summarise_search(row, passes[id(row)], natural)
        if not args.keep:
            shutil.rmtree(row["_data"], ignore_errors=True)
        for key in ("_data", "_db", "_lib_dir"):
            del row[key]
        row["binary"] = digest
        earlier = [r for r in results if (r["store"], r["factor"]) == (row["store"], k)]
        if earlier and args.reuse:  # the import's measures stay those of the run that imported
            kept = {key: v for key, v in earlier[0].items()
                    if key.startswith(("import", "load_", "busy_before_import", "others_",
                                       "content", "documents_in"))}
            row = {**row, **kept, "search_date": row["date"], "date": earlier[0]["date"]}
        elif earlier and not passes[id(row)]:  # an import-only run keeps the earlier searches
            row = {**{key: v for key, v in earlier[0].items() if key not in row}, **row,
                   "search_date": earlier[0].get("search_date", earlier[0]["date"])}
        results = [r for r in results if (r["store"], r["factor"]) != (row["store"], k)]
        results.append(row)
        save(results, args.work)
        print("[%s %d×] %s" % (row["store"], k, {c: flat(row).get(c) for c in CSV_COLUMNS}),
              flush=True)
    publish(args)


def publish(args):
    if args.publish:
        for name in ("results.json", "results.csv", "growth.svg"):
            shutil.copy(os.path.join(args.work, name), os.path.join(HERE, name))
        print("run.py: wrote bench/growth/results.{json,csv} and growth.svg")

if __name__ == "__main__":
    main()
