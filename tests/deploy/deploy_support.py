"""Helpers shared by the deploy/ tests (tests/deploy/*_test.py), run by CTest.

Exit codes follow the repository's convention: 0 pass, 1 fail, 77 skipped (SKIP_RETURN_CODE).
Messages name the check, GTest-style: "[  FAILED  ] what: why", "[  SKIPPED ] why".
"""

import atexit
import html
import http.client
import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request

SKIP = 77


class Failure(Exception):
    pass


def check(condition, what):
    """Raises Failure(what) unless `condition`."""
    if not condition:
        raise Failure(what)


def skip(why):
    print(f"[  SKIPPED ] {why}", flush=True)
    sys.exit(SKIP)


def run_checks(name, body):
    """Runs body() and exits 0, 1 or 77 with a GTest-style line."""
    print(f"[ RUN      ] {name}", flush=True)
    try:
        body()
    except Failure as e:
        print(f"[  FAILED  ] {name}: {e}", flush=True)
        sys.exit(1)
    except Exception:  # a check that could not run is a failure too, with its traceback
        traceback.print_exc()
        print(f"[  FAILED  ] {name}: unexpected error (traceback above)", flush=True)
        sys.exit(1)
    print(f"[       OK ] {name}", flush=True)
    sys.exit(0)


def require_program(name, package):
    path = shutil.which(name) or next(
        (p for p in (f"/usr/sbin/{name}", f"/sbin/{name}") if os.access(p, os.X_OK)), None)
    if path is None:
        raise Failure(f"{name} is not installed (Debian package {package})")
    return path


def run(argv, **kwargs):
    """Runs argv; returns CompletedProcess with text stdout/stderr."""
    kwargs.setdefault("capture_output", True)
    kwargs.setdefault("text", True)
    kwargs.setdefault("timeout", 600)
    return subprocess.run(argv, **kwargs)


def temp_dir(prefix):
    """A private temporary directory, removed at exit unless WENKU_KEEP_TEMP is set."""
    path = tempfile.mkdtemp(prefix=prefix)
    if not os.environ.get("WENKU_KEEP_TEMP"):
        atexit.register(shutil.rmtree, path, True)
    return path


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_http(url, seconds=60, process=None):
    """Waits until `url` answers at all (any status); fails if `process` exits first."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise Failure(f"process exited with status {process.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise Failure(f"{url} did not answer within {seconds} s")


def http_get(url, headers=None, timeout=10):
    """(status, headers, body bytes) of a GET; HTTP errors are answers, not exceptions."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def stop_process(process, seconds=20):
    """SIGTERM, then SIGKILL after `seconds`; returns the exit status."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


def unprivileged_prefix(directory):
    """When running as root: argv prefix that runs a command as `nobody` (as the service
    runs as its own user), with `directory` handed to that user. Empty otherwise."""
    if os.geteuid() != 0:
        return []
    setpriv = require_program("setpriv", "util-linux")
    user = pwd.getpwnam("nobody")
    for root, dirs, files in os.walk(directory):
        for name in dirs + files:
            os.lchown(os.path.join(root, name), user.pw_uid, user.pw_gid)
    os.chown(directory, user.pw_uid, user.pw_gid)
    return [setpriv, f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--clear-groups", "--"]


def max_upload_bytes(source_dir):
    """kMaxUploadBytes of src/web/http/request_guard.h, evaluated (e.g. 64 * 1024 * 1024)."""
    path = os.path.join(source_dir, "src/web/http/request_guard.h")
    with open(path, encoding="utf-8") as f:
        match = re.search(r"kMaxUploadBytes\s*=\s*([0-9\s*]+);", f.read())
    check(match is not None, f"kMaxUploadBytes not found in {path}")
    value = 1
    for factor in match.group(1).split("*"):
        value *= int(factor)
    return value


def nginx_size_bytes(text):
    """Bytes of an nginx size: 64m, 512k, 1g, 100."""
    units = {"k": 1024, "m": 1024**2, "g": 1024**3}
    text = text.strip().lower()
    if text and text[-1] in units:
        return int(text[:-1]) * units[text[-1]]
    return int(text)


# ---- nginx ---------------------------------------------------------------------------------

# Absolute paths of deploy/nginx/wenku.conf that a test run must not touch, and where under
# its private prefix they go instead.
NGINX_PRIVATE_PATHS = {"/var/cache/nginx/wenku": "cache"}


def strip_nginx_comments(text):
    return "\n".join(line.split("#", 1)[0] for line in text.splitlines())


def nginx_site_for_test(conf_text, prefix):
    """deploy/nginx/wenku.conf with its absolute paths moved under `prefix`. Fails when the
    file names an absolute path the tests do not know (nginx -t would create or open it)."""
    for path, private in NGINX_PRIVATE_PATHS.items():
        check(path in conf_text, f"{path} no longer in wenku.conf: update NGINX_PRIVATE_PATHS")
        conf_text = conf_text.replace(path, os.path.join(prefix, private))
    unknown = re.findall(r"\s(/(?:var|etc|run|usr|srv|opt|home|tmp|root)/[^\s;]*)",
                         strip_nginx_comments(conf_text).replace(prefix, ""))
    check(not unknown, f"wenku.conf names paths the tests do not redirect: {unknown} "
          "(add them to NGINX_PRIVATE_PATHS)")
    return conf_text


def write_nginx_conf(prefix, site_text, foreground=False):
    """A minimal nginx.conf under `prefix` (pid, logs, temporary paths all inside it) that
    includes `site_text` in its http {} block; returns its path."""
    site = os.path.join(prefix, "wenku.conf")
    with open(site, "w", encoding="utf-8") as f:
        f.write(site_text)
    lines = [
        "worker_processes 1;",
        f"pid {prefix}/nginx.pid;",
        f"error_log {prefix}/error.log info;",
    ]
    if os.geteuid() == 0:
        lines.append("user root;")  # workers must write the private (0700) prefix
    if foreground:
        lines.append("daemon off;")
    lines += [
        "events { worker_connections 512; }",
        "http {",
        f"    access_log {prefix}/access.log;",
        f"    client_body_temp_path {prefix}/client_body;",
        f"    proxy_temp_path {prefix}/proxy;",
        f"    fastcgi_temp_path {prefix}/fastcgi;",
        f"    uwsgi_temp_path {prefix}/uwsgi;",
        f"    scgi_temp_path {prefix}/scgi;",
        "    default_type application/octet-stream;",
        f"    include {site};",
        "}",
    ]
    path = os.path.join(prefix, "nginx.conf")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return path


def nginx_argv(nginx, prefix, conf):
    return [nginx, "-p", prefix + "/", "-c", conf, "-e", os.path.join(prefix, "error.log")]


# ---- wenku serve ---------------------------------------------------------------------------

ADMIN_TOKEN = "deploy-test-admin-token"


def start_wenku(argv_prefix, binary, data_dir, log_path, workers=1, env=None):
    """Starts `binary serve --demo` on a free loopback port (behind `argv_prefix`, e.g.
    setpriv or strace); returns (process, base URL) once /healthz answers."""
    port = free_port()
    argv = argv_prefix + [binary, "serve", "--data", data_dir, "--listen", f"127.0.0.1:{port}",
                          "--workers", str(workers), "--demo", "--admin-token", ADMIN_TOKEN]
    log = open(log_path, "w")
    process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(base + "/healthz", 120, process)
    except Failure:
        stop_process(process)
        with open(log_path, encoding="utf-8", errors="replace") as f:
            print("wenku serve output (last lines):\n" + "".join(f.readlines()[-20:]))
        raise
    return process, base


def exercise_site(base):
    """GETs the pages a visitor and the search use, and one POST; fails unless they answer
    as a working site does. Returns the number of requests made."""
    status, _, home = http_get(base + "/")
    check(status == 200, f"GET / answered {status}")
    home = html.unescape(home.decode("utf-8", "replace"))  # "&#x2F;static&#x2F;…"
    docs = re.findall(r'href="(/doc/[^"/?#]+)"', home)
    check(docs, "the home page links no document (--demo)")
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', home)
    check(assets, "the home page links no static file")
    paths = [docs[0], docs[0] + "/template", "/search?q=%E5%B7%A5%E4%BD%9C", "/hot",
             "/sitemap.xml", "/api/v1/search?q=%E5%B7%A5%E4%BD%9C", "/login"] + assets
    for path in paths:
        status, _, _ = http_get(base + path, {"Accept-Encoding": "gzip"})
        check(status == 200, f"GET {path} answered {status}")
    # A POST without a CSRF token: refused by the site (not a crash, not a 5xx).
    request = urllib.request.Request(base + "/login", data=b"username=a&password=b",
                                     method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status = response.status
    except urllib.error.HTTPError as e:
        status = e.code
    check(status < 500, f"POST /login answered {status}")
    return len(paths) + 2


def upload_and_find(base, token=ADMIN_TOKEN, seconds=30):
    """Logs in to /admin with the token, uploads one Markdown text through /admin/upload and
    waits until the search finds it: the site's write path (import, database, index)."""
    host, port = urllib.parse.urlsplit(base).netloc.split(":")

    def exchange(method, path, headers=None, body=b""):
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            connection.close()

    status, headers, _ = exchange("POST", "/admin/login",
                                  {"Content-Type": "application/x-www-form-urlencoded"},
                                  b"token=" + token.encode())
    cookies = [v.split(";", 1)[0] for k, v in headers if k.lower() == "set-cookie"]
    check(status in (302, 303) and cookies, f"admin login answered {status}")
    cookie = "; ".join(cookies)
    status, _, page = exchange("GET", "/admin", {"Cookie": cookie})
    csrf = re.search(rb'name="csrf" value="([0-9a-f]+)"', page)
    check(status == 200 and csrf, f"GET /admin answered {status} without a form token")
    title = "部署测试关于加强沙箱运行检查的通知"
    text = (f"# {title}\n\n各单位：\n\n为确保服务在受限环境中稳定运行，现就有关事项通知如下。\n\n"
            "一、提高认识。各单位要充分认识部署检查的重要意义。\n\n"
            "二、加强领导。各单位要明确责任，抓好落实。\n").encode()
    boundary = "----wenku-deploy-test"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n"
            f"{csrf.group(1).decode()}\r\n--{boundary}\r\nContent-Disposition: form-data; "
            f"name=\"files\"; filename=\"deploy-test.md\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode() + text + \
        f"\r\n--{boundary}--\r\n".encode()
    status, _, answer = exchange("POST", "/admin/upload", {
        "Cookie": cookie, "Accept": "application/json",
        "Content-Type": f"multipart/form-data; boundary={boundary}"}, body)
    check(status == 200, f"upload answered {status}: {answer[:300]!r}")
    files = json.loads(answer).get("files")
    check(isinstance(files, list) and len(files) == 1, f"upload report: {answer[:300]!r}")
    query = urllib.parse.quote("沙箱运行检查")
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status, _, found = http_get(f"{base}/api/v1/search?q={query}")
        if status == 200 and title in found.decode("utf-8", "replace"):
            return
        time.sleep(0.3)
    raise Failure(f"the uploaded text was not found by the search within {seconds} s")


def stop_traced(tracer, seconds=60):
    """Stops the process a tracer (strace) runs with SIGTERM to that process — strace would
    only detach on its own SIGTERM — and returns the tracer's exit status (the traced one's)."""
    try:
        with open(f"/proc/{tracer.pid}/task/{tracer.pid}/children") as f:
            children = [int(pid) for pid in f.read().split()]
    except OSError:
        children = []
    for pid in children:
        os.kill(pid, signal.SIGTERM)
    try:
        tracer.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        return stop_process(tracer, 5)
    return tracer.returncode
