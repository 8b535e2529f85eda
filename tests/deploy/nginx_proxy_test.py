#!/usr/bin/env python3
"""deploy/nginx/wenku.conf at work: nginx runs the config (listening on a free loopback port,
everything else under a private prefix) in front of two stub nodes — A answers 503 to every
request, B answers 200 and records what it receives. Checks:

- POST is never retried: every POST reaches exactly one node, A's 503 reaches the client, and
  those 503s do not take A out (A keeps receiving POSTs beyond max_fails);
- GET: a 503 from A is retried on B (every GET answers 200), and A is taken out after
  max_fails failures (it sees at most that many GETs);
- connections to the nodes are kept alive (B sees fewer connections than requests);
- X-Forwarded-For names the client, appended to whatever the client sent;
- text is gzipped for a client that accepts it;
- /static/ answers are cached (B sees one request for two GETs; X-Cache-Status HIT);
- the body limit: a declared body one byte over kMaxUploadBytes is refused with 413 before it
  is sent, one of exactly kMaxUploadBytes is invited (100 Continue);
- /metrics is not proxied (404);
- the per-client rates are limited (429 after the burst), POSTs below GETs.

  nginx_proxy_test.py --source-dir DIR
"""

import argparse
import gzip
import http.client
import http.server
import os
import re
import socket
import subprocess
import threading
import time

from deploy_support import (Failure, check, free_port, max_upload_bytes, nginx_argv,
                            nginx_site_for_test, require_program, run_checks, stop_process,
                            temp_dir, wait_for_http, write_nginx_conf)

PAGE = ("<!doctype html><html><body>" + "文库 node B " * 200 + "</body></html>").encode()


class Stub:
    """An HTTP/1.1 node on a free loopback port that answers every request with `status` and
    records (method, path, X-Forwarded-For, client port) of each."""

    def __init__(self, name, status):
        self.name = name
        self.status = status
        self.requests = []
        self.lock = threading.Lock()
        stub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # head and body are two writes: no 40 ms stalls

            def log_message(self, *args):
                pass

            def answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                with stub.lock:
                    stub.requests.append((self.command, self.path,
                                          self.headers.get("X-Forwarded-For"),
                                          self.client_address[1]))
                if self.path.startswith("/static/"):
                    body, content_type = b"body{color:#333}" * 64, "text/css"
                    cache = "public, max-age=31536000"
                else:
                    body, content_type, cache = PAGE, "text/html; charset=utf-8", "no-store"
                if stub.status != 200:
                    body = f"{stub.name} unavailable".encode()
                self.send_response(stub.status)
                self.send_header("Content-Type", content_type)
                self.send_header("Cache-Control", cache)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            do_GET = do_POST = do_HEAD = answer

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def count(self, method=None, path=None):
        with self.lock:
            return sum(1 for m, p, _, _ in self.requests
                       if (method is None or m == method) and (path is None or p == path))

    def clear(self):
        with self.lock:
            self.requests.clear()


def request(port, method, path, headers=None, body=None, client="127.0.0.1"):
    """One request on a connection of its own from loopback address `client` (nginx limits
    the rate per client address: each phase of the test may use a fresh one)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15,
                                            source_address=(client, 0))
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def declared_body_answer(port, length):
    """Status line nginx answers to a POST that declares `length` bytes and waits for
    100 Continue before sending them."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall((f"POST /admin/upload HTTP/1.1\r\nHost: wenku.example.org\r\n"
                   f"Content-Type: application/octet-stream\r\nContent-Length: {length}\r\n"
                   "Expect: 100-continue\r\n\r\n").encode())
        return s.recv(4096).split(b"\r\n", 1)[0].decode()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--source-dir", required=True)
    args = parser.parse_args()
    conf_path = os.path.join(args.source_dir, "deploy/nginx/wenku.conf")

    def body():
        nginx = require_program("nginx", "nginx")
        with open(conf_path, encoding="utf-8") as f:
            text = f.read()
        max_fails = [int(n) for n in re.findall(r"max_fails=(\d+)", text)]
        check(max_fails, "no max_fails in wenku.conf")
        max_fails = max(max_fails)

        a, b = Stub("A", 503), Stub("B", 200)
        port = free_port()
        prefix = temp_dir("wenku-nginx-run-")
        site = nginx_site_for_test(text, prefix)
        # The example's nodes become the stubs; nginx listens on a free loopback port.
        for example, stub in (("127.0.0.1:8081", a), ("127.0.0.1:8082", b)):
            check(example in site, f"example node {example} not in wenku.conf")
            site = site.replace(example, f"127.0.0.1:{stub.port}")
        listens = []

        def one_listen(match):  # the first listen line on the test's port, no other
            listens.append(match.group(0))
            return f"{match.group(1)}listen 127.0.0.1:{port};" if len(listens) == 1 else ""

        site = re.sub(r"^(\s*)listen\s+[^;]+;", one_listen, site, flags=re.M)
        check(listens, "no listen directive in wenku.conf")
        conf = write_nginx_conf(prefix, site, foreground=True)
        log = open(os.path.join(prefix, "nginx.out"), "w")
        process = subprocess.Popen(nginx_argv(nginx, prefix, conf), stdout=log,
                                   stderr=subprocess.STDOUT)
        try:
            wait_for_http(f"http://127.0.0.1:{port}/healthz", 20, process)
            checks(port, a, b, max_fails, max_upload_bytes(args.source_dir))
        except Failure:
            with open(os.path.join(prefix, "error.log"), encoding="utf-8",
                      errors="replace") as f:
                print("nginx error.log (last lines):\n" + "".join(f.readlines()[-20:]))
            raise
        finally:
            stop_process(process)

    run_checks("DeployNginx.ProxyTest", body)


def checks(port, a, b, max_fails, max_upload):
    form = {"Content-Type": "application/x-www-form-urlencoded"}

    # POST first, while both nodes are in: exactly one node each, never retried; A's 503s reach
    # the client and do not take A out.
    posts = 2 * max_fails + 2  # A gets half: more than max_fails (within the write burst)
    statuses = [request(port, "POST", "/login", form, b"username=u&password=p",
                        client="127.0.0.2")[0] for _ in range(posts)]
    a_posts, b_posts = a.count("POST"), b.count("POST")
    print(f"POST: A saw {a_posts}, B saw {b_posts} of {posts}; answers {statuses}")
    check(a_posts + b_posts == posts, f"{posts} POSTs reached the nodes {a_posts + b_posts} times")
    check(statuses.count(503) == a_posts and statuses.count(200) == b_posts,
          "a POST answered by A was retried on B (or B's answer was lost)")
    check(a_posts > max_fails, f"A received only {a_posts} POSTs: its 503s to writes took it out")

    # Idempotent requests fail over from A (503) to B; A is left out after max_fails.
    a.clear()
    b.clear()
    for i in range(12):
        status, _, page = request(port, "GET", f"/doc/{i}")
        check(status == 200 and b"node B" in page, f"GET /doc/{i} answered {status}, not B's page")
    check(a.count("GET") >= 1, "no GET reached A: the retry path was not exercised")
    check(a.count("GET") <= max_fails,
          f"A received {a.count('GET')} GETs: not taken out after max_fails={max_fails}")
    print(f"GET: A saw {a.count('GET')}, B saw {b.count('GET')} of 12; all answered 200")

    # Kept-alive upstream connections.
    ports = {p for m, _, _, p in b.requests if m == "GET"}
    check(len(ports) < b.count("GET"),
          f"B saw {b.count('GET')} GETs on {len(ports)} connections: no keepalive")

    # X-Forwarded-For: the client's address, appended to what it claimed.
    b.clear()
    request(port, "GET", "/xff-plain")
    request(port, "GET", "/xff-claimed", {"X-Forwarded-For": "203.0.113.9"})
    seen = {p: x for _, p, x, _ in b.requests}
    check(seen.get("/xff-plain") == "127.0.0.1",
          f"X-Forwarded-For of a plain request: {seen.get('/xff-plain')!r}")
    check(seen.get("/xff-claimed") == "203.0.113.9, 127.0.0.1",
          f"X-Forwarded-For of a request claiming one: {seen.get('/xff-claimed')!r}")

    # gzip for text.
    status, headers, data = request(port, "GET", "/", {"Accept-Encoding": "gzip"})
    check(status == 200 and headers.get("Content-Encoding") == "gzip",
          f"text/html not gzipped (status {status}, headers {headers})")
    check(gzip.decompress(data) == PAGE, "gzipped page differs from the node's")

    # /static/ is cached.
    b.clear()
    first = request(port, "GET", "/static/style.css?v=1")
    second = request(port, "GET", "/static/style.css?v=1")
    check(first[0] == 200 and second[0] == 200, "static file not answered 200")
    check(b.count("GET", "/static/style.css?v=1") == 1,
          f"B saw {b.count('GET', '/static/style.css?v=1')} requests for one cached file")
    check(second[1].get("X-Cache-Status") == "HIT",
          f"second GET X-Cache-Status: {second[1].get('X-Cache-Status')}")

    # Body limit, decided on the declared length before any body is sent.
    over = declared_body_answer(port, max_upload + 1)
    at = declared_body_answer(port, max_upload)
    check(" 413 " in over + " ", f"a body of {max_upload + 1} bytes answered {over!r}, not 413")
    check(" 100 " in at, f"a body of {max_upload} bytes answered {at!r}, not 100 Continue")

    # /metrics stays between Prometheus and each node.
    check(request(port, "GET", "/metrics")[0] == 404, "/metrics is proxied")

    # The per-client rates, each from a client address of its own. Writes: 40 quick POSTs
    # exceed the write burst (the reading burst would let them all through).
    statuses = [request(port, "POST", "/login", form, b"username=u&password=p",
                        client="127.0.0.3")[0] for _ in range(40)]
    print(f"write rate: {statuses.count(429)} of 40 quick POSTs answered 429")
    check(statuses.count(429) > 0, "40 quick POSTs from one client were never limited")
    # Reading: 300 quick GETs exceed the reading burst; the write limit does not count them.
    statuses = []
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15,
                                            source_address=("127.0.0.4", 0))
    start = time.monotonic()
    for i in range(300):
        connection.request("GET", f"/hot?{i}")
        response = connection.getresponse()
        response.read()
        statuses.append(response.status)
    connection.close()
    elapsed = time.monotonic() - start
    print(f"read rate: {statuses.count(200)} of 300 quick GETs answered 200, "
          f"{statuses.count(429)} 429, in {elapsed:.2f} s")
    check(statuses.count(429) > 0, "300 quick GETs from one client were never limited")
    check(statuses.count(200) > 40, "GETs were held to the write rate")
    check(set(statuses) <= {200, 429}, f"unexpected statuses {set(statuses)}")

if __name__ == "__main__":
    main()
