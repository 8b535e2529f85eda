#!/usr/bin/env bash
# Web benchmark (issue 6): the document page /doc/{id} of a ~10 KB document, served by
# `wenku serve` and, as the ceiling, by nginx serving a saved copy of the same HTML.
#
#   bench/web/run.sh [BUILD_DIR]        (default: build; uses BUILD_DIR/wenku)
#
# One document is imported into a temporary library: the ../shared/corpus record whose text
# is closest to 10 KB (or, without the corpus, the demo texts joined up to ~10 KB). wenku runs
# pinned to core 0 (`--threads 1`, plus `--workers 1` when the binary has it), nginx
# (worker_processes 1, access_log off) pinned to core 0 as well, wrk pinned to core 1. Each
# server gets a warm-up, then wrk --latency for 10 s at 64 and at 256 connections. The page is
# requested as a guest (no cookies), as a first visit from a phone or a search engine is.
# Prints a markdown table (requests/s, p50, p99, non-2xx) with the ratio wenku/nginx and, when
# bench/README.md has the markers <!-- web-bench:begin --> / <!-- web-bench:end -->, puts it
# between them.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
build=${1:-build}
wenku="$repo/$build/wenku"
[ -x "$wenku" ] || { echo "no $wenku: build it first (ninja -C $build wenku)" >&2; exit 1; }

DURATION=${WENKU_BENCH_DURATION:-10s}
WARMUP=${WENKU_BENCH_WARMUP:-3s}
CONNECTIONS=(64 256)
SERVER_CORE=0
CLIENT_CORE=1

need=()
command -v nginx >/dev/null 2>&1 || need+=(nginx-light)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v python3 >/dev/null 2>&1 || need+=(python3)
command -v taskset >/dev/null 2>&1 || need+=(util-linux)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "bench/web: installing ${need[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
fi
# Debian's nginx binary lives in /usr/sbin, which a non-root PATH may lack.
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

tmp=$(mktemp -d)
chmod 755 "$tmp"  # nginx's worker (user nobody when started as root) reads the saved page
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
wait_for() {  # URL
  for _ in $(seq 300); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "no answer from $1" >&2
  return 1
}

# ---- the document ---------------------------------------------------------------------
doc_id=bench-doc
python3 - "$repo/../shared/corpus" "$repo/demo" "$tmp/doc.jsonl" "$doc_id" <<'EOF'
import json, pathlib, sys
corpus, demo, out, doc_id = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3], sys.argv[4]
TARGET = 10 * 1024
best = None
for f in sorted(corpus.glob("*.jsonl")) if corpus.is_dir() else []:
    for line in f.open(encoding="utf-8"):
        r = json.loads(line)
        d = abs(len(r["content"].encode()) - TARGET)
        if best is None or d < best[0]:
            best = (d, r, f"{f.name} id {r['id']}")
if best is None:  # no corpus: the demo texts joined up to ~10 KB
    paras, title = [], None
    for f in sorted(demo.glob("*.md")):
        lines = [l.strip() for l in f.read_text(encoding="utf-8").splitlines() if l.strip()]
        title = title or lines[0].lstrip("# ")
        paras += lines[1:]
        if len("\n".join(paras).encode()) >= TARGET:
            break
    r = {"title": title, "date": "2024-03-15", "category": "讲话稿", "content": "\n".join(paras)}
    best = (0, r, "demo/*.md joined")
r = best[1]
rec = {"id": doc_id, "title": r["title"], "date": r.get("date", ""), "category": r.get("category", ""),
       "source": "bench/web", "content": r["content"]}
pathlib.Path(out).write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
print(f"document: {best[2]}, {len(r['content'].encode())} bytes of text")
EOF
"$wenku" import --data "$tmp/data" "$tmp/doc.jsonl" >/dev/null

# ---- wenku ----------------------------------------------------------------------------
wport=$(free_port)
serve_args=(serve --data "$tmp/data" --listen "127.0.0.1:$wport" --threads 1)
if "$wenku" serve --help 2>&1 | grep -q -- '--workers'; then serve_args+=(--workers 1); fi
# One client asking for one page faster than any person; nginx has no such limit either.
if "$wenku" serve --help 2>&1 | grep -q -- '--rate-limits'; then serve_args+=(--rate-limits off); fi
taskset -c "$SERVER_CORE" "$wenku" "${serve_args[@]}" >"$tmp/wenku.log" 2>&1 &
wenku_pid=$!
pids+=("$wenku_pid")
wenku_url="http://127.0.0.1:$wport/doc/$doc_id"
wait_for "$wenku_url"

mkdir -p "$tmp/www/doc"
status=$(curl -sS -o "$tmp/www/doc/$doc_id" -w '%{http_code}' "$wenku_url")
[ "$status" = 200 ] || { echo "GET $wenku_url: $status" >&2; exit 1; }
chmod -R a+rX "$tmp/www"
page_bytes=$(stat -c %s "$tmp/www/doc/$doc_id")
grep -q 'id="read-more"' "$tmp/www/doc/$doc_id" && gate="guest preview + 阅读全文 block" || gate="full text"
echo "page: $page_bytes bytes of HTML ($gate), saved from $wenku_url"

# ---- nginx ------------------------------------------------------------------------------
nport=$(free_port)
mkdir -p "$tmp/nginx/logs"
cat >"$tmp/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$nport;
    root $tmp/www;
    default_type "text/html; charset=utf-8";
  }
}
EOF
taskset -c "$SERVER_CORE" "$NGINX" -p "$tmp/nginx/" -c "$tmp/nginx/nginx.conf" -e "$tmp/nginx/logs/error.log" &
pids+=($!)
nginx_url="http://127.0.0.1:$nport/doc/$doc_id"
wait_for "$nginx_url"
cmp -s <(curl -sS "$nginx_url") "$tmp/www/doc/$doc_id" || { echo "nginx serves another page" >&2; exit 1; }

# ---- wrk --------------------------------------------------------------------------------
# Prints "rps p50_ms p99_ms non2xx" for one run. wrk counts responses with status >= 400 as
# "Non-2xx or 3xx" and connect/read/write/timeout failures as socket errors; both are added.
measure() {  # URL CONNECTIONS
  local out
  out=$(taskset -c "$CLIENT_CORE" wrk -t1 -c"$2" -d"$DURATION" --latency "$1")
  echo "$out" >>"$tmp/wrk.log"
  python3 -c '
import re, sys
out = sys.stdin.read()
def ms(label):
    m = re.search(r"^\s*" + label + r"\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    v = float(m.group(1))
    return v / 1000 if m.group(2) == "us" else v * 1000 if m.group(2) == "s" else v
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
bad = sum(int(x) for x in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", out))
sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
bad += sum(int(x) for x in sock.groups()) if sock else 0
p50, p99 = ms("50%"), ms("99%")
print(f"{rps:.0f} {p50:.2f} {p99:.2f} {bad}")
' <<<"$out"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A result
for name in wenku nginx; do
  url=$([ $name = wenku ] && echo "$wenku_url" || echo "$nginx_url")
  taskset -c "$CLIENT_CORE" wrk -t1 -c64 -d"$WARMUP" "$url" >/dev/null
  for c in "${CONNECTIONS[@]}"; do
    result[$name,$c]=$(measure "$url" "$c")
    echo "$name c=$c: ${result[$name,$c]}  (rps p50_ms p99_ms non2xx)"
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

wenku_version=$("$wenku" --version 2>/dev/null | head -1 || true)
table=$(
  echo "Run $(date +%F) on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')); load average" \
    "$load_before before, $load_after after; $page_bytes-byte page ($gate); wrk -t1 --latency, $DURATION per row." \
    "${wenku_version:+wenku: $wenku_version.}"
  echo
  echo "| connections | server | requests/s | p50 ms | p99 ms | non-2xx + socket errors | wenku/nginx rps |"
  echo "|---:|---|---:|---:|---:|---:|---:|"
  for c in "${CONNECTIONS[@]}"; do
    read -r wr w50 w99 wbad <<<"${result[wenku,$c]}"
    read -r nr n50 n99 nbad <<<"${result[nginx,$c]}"
    ratio=$(python3 -c "print(f'{$wr / $nr * 100:.0f} %')")
    echo "| $c | wenku | $wr | $w50 | $w99 | $wbad | **$ratio** |"
    echo "| $c | nginx (static copy) | $nr | $n50 | $n99 | $nbad | |"
  done
)
echo
echo "$table"

readme="$repo/bench/README.md"
if grep -q '<!-- web-bench:begin -->' "$readme" && grep -q '<!-- web-bench:end -->' "$readme"; then
  python3 - "$readme" "$table" <<'EOF'
import re, sys
path, table = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
text = re.sub(r"(<!-- web-bench:begin -->\n).*?(<!-- web-bench:end -->)",
              lambda m: m.group(1) + table + "\n" + m.group(2), text, flags=re.S)
open(path, "w", encoding="utf-8").write(text)
EOF
  echo "bench/web: table written into bench/README.md"
fi
