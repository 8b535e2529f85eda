#!/usr/bin/env bash
# Runs the browser tests (site.test.mjs) against a real server:
#   tests/browser/run.sh WENKU_BINARY ARTIFACTS_DIR
# Starts `wenku serve --demo --admin-token T` on a temporary data dir and a free loopback
# port, waits for /healthz, imports fixtures/gated-speech.jsonl (a text longer than the
# guest preview) and views it once, restarts the server (so the view is in the 热门 lists),
# runs node, stops the server. Exit codes: 0 pass, 1 fail, 77 skipped (Chromium or
# playwright-core missing on a developer machine; under CI=true that fails).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
wenku=${1:?usage: run.sh WENKU_BINARY ARTIFACTS_DIR}
artifacts=${2:?usage: run.sh WENKU_BINARY ARTIFACTS_DIR}
chromium=${WENKU_CHROMIUM:-/usr/bin/chromium}

# Missing tools skip the test on a developer machine; in CI they are installed by
# scripts/test, so their absence is a failure there.
missing() {
  if [ -n "${CI:-}" ]; then
    echo "FAIL browser: $1 (CI=$CI)"
    exit 1
  fi
  echo "SKIP browser: $1"
  exit 77
}
command -v node >/dev/null 2>&1 || missing "node is not installed"
[ -x "$chromium" ] || missing "$chromium is not installed (apt-get install chromium fonts-wqy-microhei)"
[ -d "$here/node_modules/playwright-core" ] ||
  missing "playwright-core is not installed (run: npm ci --prefix tests/browser)"

tmp=$(mktemp -d)
: >"$tmp/server.log"
server_pid=""
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid"
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
  fi
  server_pid=""
}
limited_pid=""
trap 'stop_server; [ -z "$limited_pid" ] || kill -TERM "$limited_pid" 2>/dev/null; rm -rf "$tmp"' EXIT

server_log() {
  echo "---- wenku serve log (last 40 lines) ----"
  tail -40 "$tmp/server.log"
}

port=""  # set by start_server from the server's "serving … at" line
token="browser-test-admin-token"

# Prints the HTTP status code of GET PATH, asked as a browser (bash's /dev/tcp: no curl needed).
http_status() {
  (
    exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
    printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64) Chrome/156\r\n\r\n' "$1" >&3
    read -r -t 5 _ code _ <&3 || exit 1
    echo "$code"
  ) 2>/dev/null
}

# Starts the server on a port it picks (--listen 127.0.0.1:0: no other process can take it
# between a probe and the bind) and waits (30 s at most) until its "serving … at" line names
# the port and /healthz answers 200 there.
start_server() {
  local earlier
  earlier=$(wc -l <"$tmp/server.log")
  "$wenku" serve --demo --admin-token "$token" --data "$tmp/data" --listen 127.0.0.1:0 \
    --rate-limits off \
    >>"$tmp/server.log" 2>&1 &
  server_pid=$!
  port=""
  for _ in $(seq 300); do
    [ -n "$port" ] || port=$(tail -n "+$((earlier + 1))" "$tmp/server.log" |
      sed -n 's|.*serving .* at http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p')
    [ -n "$port" ] && [ "$(http_status /healthz)" = 200 ] && return 0
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "FAIL browser: wenku serve exited before answering /healthz"
      server_log
      exit 1
    fi
    sleep 0.1
  done
  echo "FAIL browser: no answer from /healthz on port $port within 30 s"
  server_log
  exit 1
}

start_server
# A text where 的 comes before 3,000 different characters, so that a search of 的 costs more than
# one search may and is left out (search/index.h: Index::search).
python3 - "$tmp/common.jsonl" <<'PY'
import json, sys
text = "".join("的" + chr(0x4E00 + 300 + k) for k in range(3000))
doc = {"id": "common-characters", "title": "常用字测试", "date": "2024", "category": "工作总结",
       "source": "browser test", "content": "乡村振兴工作要点。\n" + text}
open(sys.argv[1], "w", encoding="utf-8").write(json.dumps(doc, ensure_ascii=False) + "\n")
PY
# A long document, and a speech flattened as when copied from a web page (cleaned on import),
# imported by another process while the server runs (as an operator would).
if ! "$wenku" import --data "$tmp/data" "$here/fixtures/gated-speech.jsonl" \
  "$here/fixtures/messy-speech.jsonl" "$tmp/common.jsonl" >"$tmp/import.log" 2>&1; then
  echo "FAIL browser: importing fixtures/gated-speech.jsonl, fixtures/messy-speech.jsonl and common.jsonl"
  cat "$tmp/import.log"
  exit 1
fi
# One reader's view of it, so that the 热门 lists show its long title from the first page on:
# the view is written when the server stops (views are flushed at shutdown) and the lists are
# cached for a minute, hence the restart.
code=$(http_status /doc/browser-gated-speech)
if [ "$code" != 200 ]; then
  echo "FAIL browser: GET /doc/browser-gated-speech answered '$code' after the import"
  server_log
  exit 1
fi
stop_server
start_server
echo "wenku serving at http://127.0.0.1:$port/ (data $tmp/data)"

# A second server on a library of its own with the rate limits on (the default), for the 429
# page: the first runs with them off, as the steps ask faster than a person would.
: >"$tmp/limited.log"
"$wenku" serve --demo --data "$tmp/limited" --listen 127.0.0.1:0 --admin-token "$token" \
  >>"$tmp/limited.log" 2>&1 &
limited_pid=$!
limited_port=""
for _ in $(seq 300); do
  limited_port=$(sed -n 's|.*serving .* at http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$tmp/limited.log")
  [ -n "$limited_port" ] && break
  sleep 0.1
done
if [ -z "$limited_port" ]; then
  echo "FAIL browser: the second server (rate limits on) did not start"
  tail -20 "$tmp/limited.log"
  exit 1
fi

status=0
WENKU_URL="http://127.0.0.1:$port" WENKU_ADMIN_TOKEN="$token" WENKU_GATED_ID=browser-gated-speech \
  WENKU_LIMITED_URL="http://127.0.0.1:$limited_port" \
  WENKU_MESSY_ID=browser-messy-speech \
  WENKU_ARTIFACTS="$artifacts" WENKU_CHROMIUM="$chromium" \
  node "$here/site.test.mjs" || status=1
if ! kill -0 "$server_pid" 2>/dev/null; then
  echo "FAIL browser: wenku serve died during the tests"
  status=1
fi
[ $status -eq 0 ] || server_log
stop_server
exit $status
