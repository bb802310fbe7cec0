#!/usr/bin/env bash
# The JIT decision's proxy (docs/benchmarks.md, "The JIT decision"): what a function restored from a
# SnapStart snapshot would spend on its first activations, for each JIT flag set and number of
# priming activations. Each run is a fresh JVM that primes as the activation function does before its
# snapshot (CannedPriming: real handler, service and SDK client, canned reads, log lines muted, then
# waits for the JIT) and then times its next activations (ColdStartProbe primed). CPU only: the reads
# are canned, as in the JMH benchmark; no emulator. Prints the median of RUNS runs per cell.
# Client "canned": the measured activations run on the client priming ran on (the best case);
# "foreign": on a client with other HTTP client and stream classes, as the function's own client is
# after priming on the canned one (what the JIT compiled for the canned types deoptimises).
#
# Usage: infra/bench/jit-priming.sh [RUNS [MEASURED [PRIMED...]]]   (CLIENTS="canned foreign" by default)
#   defaults: 3 runs, 2000 measured activations, priming with 1 300 1000 3000 10000 activations
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
. "$root/infra/env.sh"
wsl_find_jdk
runs="${1:-3}"
measured="${2:-2000}"
shift 2 || shift $# || true
primed=("${@:-1 300 1000 3000 10000}")
read -r -a primed <<<"${primed[*]}"
cd "$root"
mvn -B -q -ntp -DskipTests -pl infra/bench -am install
cp="functions/activation/target/activation-lambda.jar:infra/bench/target/classes"
echo "JDK: $(java -version 2>&1 | head -1); $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $runs runs per cell"
read -r -a clients <<<"${CLIENTS:-canned foreign}"
printf '%-9s %-8s %7s | %9s %8s | %8s %8s %8s %9s %9s\n' flags client primed "priming" "JIT" first "2-10" "11-100" "101-1000" "1001-$measured"
for flags in "C1:-XX:+TieredCompilation -XX:TieredStopAtLevel=1" "default:-XX:+TieredCompilation"; do
  name=${flags%%:*}
  opts=${flags#*:}
  for client in "${clients[@]}"; do
  for m in "${primed[@]}"; do
    results=$(for _ in $(seq 1 "$runs"); do
      java $opts -cp "$cp" dev.wsl.bench.ColdStartProbe primed "$m" "$measured" "$client" 2>/dev/null
    done)
    python3 - "$name" "$client" "$m" "$results" <<'PY'
import re, statistics, sys
name, client, m, text = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
line_re = re.compile(r"priming (\d+) ms, JIT (\d+) ms; activations \(µs\): first (\d+), 2-10 (-?\d+), "
                     r"11-100 (-?\d+), 101-1000 (-?\d+), 1001-\d+ (-?\d+)")
rows = [list(map(int, m.groups())) for m in map(line_re.search, text.splitlines()) if m]
if not rows:
    sys.exit("no result from the probe: " + text)
cols = [[r[i] for r in rows] for i in range(7)]
med = [int(statistics.median(c)) for c in cols]
print(f"{name:<9} {client:<8} {m:>7} | {med[0]:>6} ms {med[1]:>5} ms | {med[2]:>5} µs {med[3]:>5} µs {med[4]:>5} µs {med[5]:>6} µs {med[6]:>6} µs")
PY
  done
  done
done
