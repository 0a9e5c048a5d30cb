-- wrk script: POST the submission body to the bare reference endpoint.
local body_file = assert(io.open(os.getenv("BENCH_BODY_FILE"), "r"))
local body = body_file:read("*a")
body_file:close()
wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"
wrk.path = "/bench/bare"
