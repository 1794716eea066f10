// The CLI's help text (printed for --help and after a bad argument).
export const USAGE = `Usage: npm run load -- [--rate 50] [--duration 60s] [--mix normal:80,out-of-stock:10,payment-timeout:10]
                     [--url http://127.0.0.1:8080] [--max-requests N] [--timeout 10s] [--max-in-flight 1000] [--json FILE]

Open-loop load: requests start on a fixed schedule (rate per second), whether
or not earlier ones have answered, as real users would. A progress bar and a
live summary go to stderr; the final table to stdout. Exits 1 when any request
could not connect (or timed out), 2 on bad arguments.

Scenarios for --mix: normal, out-of-stock, payment-timeout, payment-failure, fast (delay 0).`;
