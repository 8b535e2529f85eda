#!/usr/bin/env python3
"""Several `wenku serve` nodes on one PostgreSQL database, behind nginx (issue 21).

All on loopback, in a temporary directory: a PostgreSQL primary and a streaming hot standby
(pg_basebackup -R), two nodes (`wenku serve --db PRIMARY --db-read STANDBY`, each with its own
search index), and nginx in front of both. Then, in order:

1. a document uploaded through node A is found by search through node B within 2 s;
2. a login made through A is valid on B;
3. document views counted by both nodes add up exactly;
4. uploads through both nodes at once for --upload-seconds: every acknowledged document is
   searchable on both nodes afterwards (writers on two nodes commit their change numbers
   concurrently: the out-of-order case a follower must not skip);
5. node A is killed (SIGKILL) while a load of page views and searches runs through nginx for
   --load-seconds: fewer than 1 % of the requests fail and nothing acknowledged is lost; A is
   started again and catches up (finds what was uploaded while it was down);
6. the primary is stopped: pages, search and reading through both nodes keep answering 200
   from the standby, and a write (login) answers 503 暂时只读 instead of a 500.

Prints one line per check and exits 1 when any fails, 77 when PostgreSQL or nginx is not
installed (unless WENKU_REQUIRE_POSTGRES is set).

Usage: cluster_test.py --wenku BIN --dict DIR [--upload-seconds 20] [--load-seconds 20]
"""
import argparse
import concurrent.futures
import glob
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid

ADMIN_TOKEN = "cluster-test-admin-token"
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        failures.append(what)
    return ok


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_bin():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return os.path.dirname(found[-1]) if found else None


def as_server_user(argv):
    """PostgreSQL refuses to run as root: run its programs as the `postgres` user then."""
    return (["runuser", "-u", "postgres", "--"] + argv) if os.geteuid() == 0 else argv


class Postgres:
    def __init__(self, bindir, datadir, port):
        self.bindir, self.datadir, self.port = bindir, datadir, port
        self.log = datadir + ".log"

    def url(self):
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def start(self):
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 "
                   "-c unix_socket_directories='' -c fsync=off -c max_connections=200")
        with open(self.log, "ab") as log:
            subprocess.run(as_server_user([f"{self.bindir}/pg_ctl", "-D", self.datadir, "-w",
                                           "-t", "60", "-o", options, "start"]),
                           stdin=subprocess.DEVNULL, stdout=log, stderr=log, check=True)

    def stop(self, mode="fast"):
        subprocess.run(as_server_user([f"{self.bindir}/pg_ctl", "-D", self.datadir, "-m", mode,
                                       "-w", "stop"]),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)


def start_postgres(bindir, work):
    primary = Postgres(bindir, os.path.join(work, "primary"), free_port())
    subprocess.run(as_server_user([f"{bindir}/initdb", "-D", primary.datadir, "-U", "postgres",
                                   "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]),
                   stdout=subprocess.DEVNULL, check=True)
    primary.start()
    standby = Postgres(bindir, os.path.join(work, "standby"), free_port())
    subprocess.run(as_server_user([f"{bindir}/pg_basebackup", "-h", "127.0.0.1", "-p",
                                   str(primary.port), "-U", "postgres", "-D", standby.datadir,
                                   "-R", "-X", "stream", "-c", "fast"]),
                   stdout=subprocess.DEVNULL, check=True)
    standby.start()
    return primary, standby


class Node:
    """One `wenku serve` process (with its workers) and its data directory."""

    def __init__(self, args, name, work, primary, standby):
        self.args, self.name = args, name
        self.data = os.path.join(work, name)
        self.port = free_port()
        self.primary, self.standby = primary, standby
        self.proc = None

    def start(self):
        log = open(self.data + ".log", "ab")
        self.proc = subprocess.Popen(
            [self.args.wenku, "serve", "--db", self.primary.url(), "--db-read",
             self.standby.url(), "--data", self.data, "--dict", self.args.dict, "--listen",
             f"127.0.0.1:{self.port}", "--workers", "2", "--admin-token", ADMIN_TOKEN,
             "--rate-limits", "off", "--access-log", "off", "--trusted-proxy", "127.0.0.1"],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"node {self.name} exited: see {self.data}.log")
            try:
                if request(self.port, "GET", "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"node {self.name} did not get ready")

    def kill(self):
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def request(port, method, path, body=None, headers=None, timeout=30):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, r.read().decode("utf-8", "replace"), r.getheaders()
    finally:
        conn.close()


def header(headers, name):
    return [v for k, v in headers if k.lower() == name.lower()]


def admin_session(port):
    status, _, headers = request(port, "POST", "/admin/login",
                                 urllib.parse.urlencode({"token": ADMIN_TOKEN}),
                                 {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 303, status
    cookie = header(headers, "Set-Cookie")[0].split(";")[0]
    page = request(port, "GET", "/admin/upload", headers={"Cookie": cookie})[1]
    csrf = re.search(r'name="csrf" value="([0-9a-f]{64})"', page).group(1)
    return cookie, csrf


def upload(port, session, title, marker):
    """Uploads a text document through the admin of the node on `port`; its id, or None."""
    cookie, csrf = session
    text = (f"{title}\n\n同志们：\n今天我们召开会议，研究部署{marker}工作。\n"
            f"一、提高认识，把{marker}摆在突出位置。\n二、压实责任，确保各项任务落地见效。\n")
    boundary = "----wenku" + uuid.uuid4().hex
    parts = [("csrf", None, csrf.encode()), ("files", f"{marker}.txt", text.encode())]
    body = b""
    for name, filename, data in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        body += (f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n").encode() + data
        body += b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    status, answer, _ = request(port, "POST", "/admin/upload", body, {
        "Cookie": cookie, "Accept": "application/json",
        "Content-Type": f"multipart/form-data; boundary={boundary}"})
    if status != 200:
        return None
    files = json.loads(answer)["files"]
    documents = files[0].get("documents", []) if files else []
    return documents[0]["id"] if documents else None


def login_form(port, user, password):
    """The fields of the member login form of the node on `port`, and the cookies its page set
    (the form's CSRF token is bound to them)."""
    status, page, headers = request(port, "GET", "/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    cookies = "; ".join(c.split(";")[0] for c in header(headers, "Set-Cookie"))
    form = {"username": user, "password": password, "next": ""}
    if token:
        form["csrf_token"] = token.group(1)
    return form, cookies


def search_ids(port, query):
    path = "/api/v1/search?" + urllib.parse.urlencode({"q": query, "limit": 50})
    status, body, _ = request(port, "GET", path)
    if status != 200:
        return set()
    return {hit["id"] for hit in json.loads(body)["hits"]}


def wait_until(predicate, seconds):
    """Polls `predicate` until it holds or `seconds` pass; the time it took, or None."""
    start = time.time()
    while time.time() - start < seconds:
        if predicate():
            return time.time() - start
        time.sleep(0.02)
    return None


def doc_views(port, doc_id):
    status, body, _ = request(port, "GET", f"/api/v1/docs/{doc_id}")
    return json.loads(body)["views"] if status == 200 else -1


def run_load(port, paths, seconds, stop_event):
    """Requests `paths` round-robin through `port` from 8 threads for `seconds`; (ok, failed)."""
    counts = {"ok": 0, "failed": 0}
    lock = threading.Lock()
    deadline = time.time() + seconds

    def client(offset):
        i = offset
        while time.time() < deadline and not stop_event.is_set():
            try:
                status = request(port, "GET", paths[i % len(paths)], timeout=10)[0]
                ok = status == 200
            except OSError:
                ok = False
            with lock:
                counts["ok" if ok else "failed"] += 1
            i += 1

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        list(pool.map(client, range(8)))
    return counts["ok"], counts["failed"]


def start_nginx(work, nodes):
    port = free_port()
    prefix = os.path.join(work, "nginx")
    os.makedirs(prefix, exist_ok=True)
    servers = "\n".join(f"    server 127.0.0.1:{n.port} max_fails=1 fail_timeout=5s;"
                        for n in nodes)
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = f"""{user}worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {prefix}/body;
  proxy_temp_path {prefix}/proxy;
  fastcgi_temp_path {prefix}/fastcgi;
  uwsgi_temp_path {prefix}/uwsgi;
  scgi_temp_path {prefix}/scgi;
  upstream wenku {{
{servers}
    keepalive 16;
  }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://wenku;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_next_upstream error timeout http_502 http_503 http_504;
      proxy_connect_timeout 2s;
    }}
  }}
}}
"""
    with open(os.path.join(prefix, "nginx.conf"), "w") as f:
        f.write(conf)
    proc = subprocess.Popen(["nginx", "-p", prefix, "-c", os.path.join(prefix, "nginx.conf"),
                             "-g", "daemon off;"], stdout=subprocess.DEVNULL,
                            stderr=open(os.path.join(prefix, "stderr.log"), "ab"))
    if wait_until(lambda: _answers(port), 10) is None:
        raise RuntimeError("nginx did not start: see " + prefix)
    return proc, port


def _answers(port):
    try:
        return request(port, "GET", "/healthz", timeout=2)[0] == 200
    except OSError:
        return False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--wenku", required=True)
    parser.add_argument("--dict", required=True)
    parser.add_argument("--upload-seconds", type=float, default=20)
    parser.add_argument("--load-seconds", type=float, default=20)
    args = parser.parse_args()

    bindir = pg_bin()
    if bindir is None or shutil.which("nginx") is None:
        print("cluster test: needs PostgreSQL (Debian postgresql) and nginx")
        return 1 if os.environ.get("WENKU_REQUIRE_POSTGRES") else 77

    work = tempfile.mkdtemp(prefix="wenku-cluster-")
    os.chmod(work, 0o755)
    if os.geteuid() == 0:
        shutil.chown(work, "postgres")
    primary = standby = nginx = None
    nodes = []
    try:
        primary, standby = start_postgres(bindir, work)
        nodes = [Node(args, name, work, primary, standby) for name in ("node-a", "node-b")]
        for node in nodes:
            node.start()
        a, b = nodes
        nginx, front = start_nginx(work, nodes)
        session_a, session_b = admin_session(a.port), admin_session(b.port)

        # 1. Upload through A, found through B.
        marker = "集群甲" + uuid.uuid4().hex[:6]
        doc_id = upload(a.port, session_a, "关于集群测试的讲话", marker)
        check(doc_id is not None, "an upload through node A is acknowledged")
        took = wait_until(lambda: doc_id in search_ids(b.port, marker), 10)
        check(took is not None and took < 2,
              f"node B finds it by search within 2 s (took {took if took is None else round(took, 3)} s)")

        # 2. A login through A is valid on B.
        user = "cluster" + uuid.uuid4().hex[:6]
        subprocess.run([args.wenku, "user", "add", user, "--db", primary.url(), "--data",
                        os.path.join(work, "cli")], input=b"cluster-password-1\n",
                       stdout=subprocess.DEVNULL, check=True)
        form, login_cookie = login_form(a.port, user, "cluster-password-1")
        status, _, headers = request(a.port, "POST", "/login", urllib.parse.urlencode(form),
                                     {"Content-Type": "application/x-www-form-urlencoded",
                                      "Cookie": login_cookie})
        cookies = [c.split(";")[0] for c in header(headers, "Set-Cookie")]
        member_cookie = "; ".join(cookies)
        status_b, me_b, _ = request(b.port, "GET", "/me", headers={"Cookie": member_cookie})
        check(status == 303 and status_b == 200 and user in me_b,
              f"a login through A ({status}) is valid on B (/me {status_b})")

        # 3. Views counted by both nodes add up exactly (distinct visitors via X-Forwarded-For).
        before = doc_views(a.port, doc_id)
        browser = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) MicroMessenger/8.0"
        for i in range(7):
            request(a.port, "GET", f"/doc/{doc_id}",
                    headers={"X-Forwarded-For": f"10.1.0.{i}", "User-Agent": browser})
        for i in range(5):
            request(b.port, "GET", f"/doc/{doc_id}",
                    headers={"X-Forwarded-For": f"10.2.0.{i}", "User-Agent": browser})
        took = wait_until(lambda: doc_views(b.port, doc_id) == before + 12, 15)
        check(took is not None, f"12 views through both nodes add up to {doc_views(a.port, doc_id) - before}")

        # 4. Concurrent uploads through both nodes.
        acknowledged = []
        lock = threading.Lock()
        deadline = time.time() + args.upload_seconds

        def uploader(node, session, tag):
            n = 0
            while time.time() < deadline:
                marker = f"并发{tag}{n}x{uuid.uuid4().hex[:6]}"
                got = upload(node.port, session, f"并发上传{tag}{n}", marker)
                if got:
                    with lock:
                        acknowledged.append((got, marker))
                n += 1

        threads = [threading.Thread(target=uploader, args=(node, session, f"{tag}{k}"))
                   for node, session, tag in ((a, session_a, "甲"), (b, session_b, "乙"))
                   for k in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        check(len(acknowledged) > 20, f"{len(acknowledged)} uploads acknowledged in "
              f"{args.upload_seconds:.0f} s through both nodes")

        def all_found(node):
            return all(doc in search_ids(node.port, marker) for doc, marker in acknowledged)

        for node in nodes:
            check(wait_until(lambda: all_found(node), 10) is not None,
                  f"every acknowledged upload is searchable on {node.name}")

        # 5. Kill A while load runs through nginx; restart it; it catches up.
        if not acknowledged:
            return 1
        paths = [f"/doc/{doc}" for doc, _ in acknowledged[:50]] + \
                ["/api/v1/search?" + urllib.parse.urlencode({"q": m}) for _, m in acknowledged[:50]]
        stop = threading.Event()
        result = {}
        loader = threading.Thread(target=lambda: result.update(
            counts=run_load(front, paths, args.load_seconds, stop)))
        loader.start()
        time.sleep(args.load_seconds / 4)
        a.kill()
        late_marker = "停机后" + uuid.uuid4().hex[:6]
        late_id = upload(b.port, session_b, "节点停机期间上传", late_marker)
        loader.join()
        ok, failed = result["counts"]
        rate = failed / max(1, ok + failed)
        check(rate < 0.01, f"with node A killed under load through nginx: {failed} of "
              f"{ok + failed} requests failed ({rate:.2%})")
        a.start()
        check(late_id is not None and wait_until(
            lambda: late_id in search_ids(a.port, late_marker), 10) is not None,
            "node A, started again, finds what was uploaded while it was down")
        check(all_found(a), "node A lost nothing acknowledged")

        # 6. Stop the primary: reads keep working from the standby; writes say 暂时只读.
        primary.stop()
        sample_doc, sample_marker = acknowledged[0]
        for node in nodes:
            statuses = [request(node.port, "GET", p)[0] for p in
                        ("/", f"/doc/{sample_doc}",
                         "/api/v1/search?" + urllib.parse.urlencode({"q": sample_marker}))]
            found = sample_doc in search_ids(node.port, sample_marker)
            check(statuses == [200, 200, 200] and found,
                  f"{node.name} with the primary stopped: home, page, search {statuses}, found {found}")
        status, page, _ = request(front, "GET", f"/doc/{sample_doc}")
        check(status == 200, f"a page through nginx with the primary stopped: {status}")
        form, login_cookie = login_form(b.port, user, "cluster-password-1")
        status, page, _ = request(b.port, "POST", "/login", urllib.parse.urlencode(form),
                                  {"Content-Type": "application/x-www-form-urlencoded",
                                   "Cookie": login_cookie})
        check(status == 503 and "暂时只读" in page,
              f"a login with the primary stopped answers {status} 暂时只读")
    finally:
        for node in nodes:
            node.stop()
        if nginx:
            nginx.terminate()
            nginx.wait()
        for server in (standby, primary):
            if server:
                server.stop("immediate")
        if not failures:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print("cluster test: logs kept in " + work)
    print(f"cluster test: {len(failures)} failed check(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
