-- wrk script of bench/load/run.sh: a mix of home, document, search and QR requests, each from
-- one of many client addresses (X-Forwarded-For, the server trusting 127.0.0.1 as its proxy),
-- as a site sees its visitors. Targets come from targets.lua, written by run.sh. Counts 2xx,
-- 429 and other answers apart and prints one RESULT line.
local targets = dofile(os.getenv("WENKU_LOAD_TARGETS"))
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  ok, limited, other = 0, 0, 0
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end

local function pick(list)
  return list[math.random(#list)]
end

function request()
  local roll = math.random(100)
  local path
  if roll <= targets.weights.doc then
    path = "/doc/" .. pick(targets.docs)
  elseif roll <= targets.weights.doc + targets.weights.search then
    path = "/search?q=" .. pick(targets.queries)
  elseif roll <= targets.weights.doc + targets.weights.search + targets.weights.home then
    path = "/"
  else
    path = "/qr/doc/" .. pick(targets.docs) .. ".svg"
  end
  local client = string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255),
                               math.random(1, 254))
  return wrk.format("GET", path, {["X-Forwarded-For"] = client, ["Accept-Encoding"] = "gzip"})
end

function response(status, headers, body)
  if status == 429 then
    limited = limited + 1
  elseif status >= 200 and status < 300 then
    ok = ok + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local k, l, o = 0, 0, 0
  for _, t in ipairs(threads) do
    k = k + t:get("ok")
    l = l + t:get("limited")
    o = o + t:get("other")
  end
  local e = summary.errors
  io.write(string.format(
      "RESULT requests=%d ok=%d limited=%d other=%d socket_errors=%d p50_ms=%.2f p99_ms=%.2f rps=%.1f\n",
      summary.requests, k, l, o, e.connect + e.read + e.write + e.timeout,
      latency:percentile(50) / 1000, latency:percentile(99) / 1000,
      summary.requests / (summary.duration / 1e6)))
end
