-- wrk script: POST one inspection per request, each with a fresh Idempotency-Key.
local body_file = assert(io.open(os.getenv("BENCH_BODY_FILE"), "r"))
local body = body_file:read("*a")
body_file:close()
local thread_counter = 0

function setup(thread)
  thread_counter = thread_counter + 1
  thread:set("tid", thread_counter)
end

local n = 0
function request()
  n = n + 1
  local headers = {
    ["Content-Type"] = "application/json",
    ["Cookie"] = os.getenv("BENCH_COOKIE"),
    ["X-CSRF-Token"] = os.getenv("BENCH_CSRF"),
    ["Idempotency-Key"] = string.format("bench-%s-%d-%d", os.getenv("BENCH_RUN"), tid, n),
  }
  return wrk.format("POST", "/api/inspections", headers, body)
end

local failures = 0
function response(status, headers, body)
  if status ~= 201 then failures = failures + 1 end
end

function done(summary, latency, requests)
  io.write(string.format("non-201 answers: %d\n", summary.errors.status))
end
