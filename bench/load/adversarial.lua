-- wrk script of bench/load/run.sh: the adversarial queries of bench/adversarial/queries.tsv
-- (from targets.lua), one after another, each from a new client address. Prints one RESULT line.
local targets = dofile(os.getenv("WENKU_LOAD_TARGETS"))
local threads = {}
local n = 0

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  count = 0
end

function request()
  n = n % #targets.adversarial + 1
  local client = string.format("10.250.%d.%d", math.random(0, 255), math.random(1, 254))
  return wrk.format("GET", "/search?q=" .. targets.adversarial[n], {["X-Forwarded-For"] = client})
end

function response(status, headers, body)
  count = count + 1
end

function done(summary, latency, requests)
  io.write(string.format("RESULT requests=%d p50_ms=%.2f p99_ms=%.2f\n", summary.requests,
                         latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
