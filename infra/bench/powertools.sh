#!/usr/bin/env bash
# Powertools for AWS Lambda (Java) 2.9.0 Logging + Metrics against functions/telemetry, for the
# activation's summary line and its Activations metric (infra/bench/powertools, outside the reactor):
#  1. cold start: a fresh JVM writing one summary (C1-only flags of Globals), the median time from
#     process start and classes loaded over RUNS rounds, each round running none / telemetry /
#     powertools in turn; "none" is the JVM and the probe alone;
#  2. hot path: JMH, one summary per operation to a discarding stdout (3 forks x 5 x 2 s each), with
#     the allocation per operation (-prof gc).
# Usage: infra/bench/powertools.sh [RUNS [JMH options...]]   (default 7)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
. "$root/infra/env.sh"
wsl_find_jdk
cd "$root"
runs="${1:-7}"
shift || true
mvn -B -q -ntp -DskipTests -pl functions/telemetry -am install
mvn -B -q -ntp -f infra/bench/powertools/pom.xml package dependency:build-classpath \
    -Dmdep.outputFile=target/classpath.txt
cp="infra/bench/powertools/target/classes:$(cat infra/bench/powertools/target/classpath.txt)"
# As in the function: Lambda's variables make EMF write to stdout (without them it connects to a CloudWatch
# agent on tcp://127.0.0.1:25888), and Powertools' service name.
export AWS_LAMBDA_FUNCTION_NAME=ActivationFunction AWS_REGION=us-east-1 POWERTOOLS_SERVICE_NAME=activation
c1="-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -Xshare:auto"   # Globals' JAVA_TOOL_OPTIONS
variants=(none telemetry powertools)
declare -A times classes
for _ in $(seq 1 "$runs"); do
  for v in "${variants[@]}"; do
    cl=$(mktemp)
    # shellcheck disable=SC2086 # c1 is a word list
    t=$(java $c1 -Xlog:class+load:file="$cl" -cp "$cp" dev.wsl.bench.powertools.SummaryProbe "$v" 2>&1 >/dev/null \
        | sed -n 's/.*after \([0-9]*\) ms/\1/p')
    times[$v]+="$t "
    classes[$v]+="$(wc -l <"$cl") "
    rm -f "$cl"
  done
done
median() { printf '%s\n' $1 | sort -n | sed -n "$(( (runs + 1) / 2 ))p"; }
echo "JDK: $(java -version 2>&1 | head -1); $runs rounds; load average $(cut -d' ' -f1-3 /proc/loadavg)"
for v in "${variants[@]}"; do
  printf '%-11s one summary: median %5s ms from process start, %5s classes loaded  (runs: %s ms)\n' "$v" \
    "$(median "${times[$v]}")" "$(median "${classes[$v]}")" "${times[$v]% }"
done
result="infra/bench/powertools/target/jmh-result.json"
java -cp "$cp" org.openjdk.jmh.Main 'SummaryBenchmark' -foe true -prof gc -rf json -rff "$result" "$@"
python3 - "$result" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1])):
    m = r["primaryMetric"]
    alloc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score")
    print("{}: {:,.0f} ± {:,.0f} ns/op, {} forks x {} iterations{}".format(r["benchmark"].rsplit(".", 1)[1],
          m["score"], m["scoreError"], r["forks"], r["measurementIterations"],
          "" if alloc is None else ", {:,.0f} B allocated/op".format(alloc)))
PY
