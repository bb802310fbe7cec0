#!/usr/bin/env bash
# JMH benchmark of one license activation through ActivationHandler.handleRequest, and of one
# authorization of a platform call through TokenAuthorizerHandler.handleRequest, with a real
# DynamoDbClient whose HTTP client answers from memory (no network): the CPU cost of the hot path.
# Builds what it needs (installs functions/activation and its modules, then packages the
# out-of-reactor JMH project infra/bench/jmh), runs target/benchmarks.jar and prints the figure.
# Never part of `mvn verify`.
#
# Usage: infra/bench/activation-bench.sh [BENCHMARK_REGEX [JMH options...]]
#   default regex: activateLambdaJit|authorizeLambdaJit (the template's JIT flags; 3 forks x (5 + 5) x 2 s
#   each, about 2.5 min)
#   e.g. infra/bench/activation-bench.sh activateDefaultJit     (default tiered JIT, about 2 min)
#        infra/bench/activation-bench.sh activateLambdaJit -f 1 (quicker, one fork)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
. "$root/infra/env.sh"
wsl_find_jdk
cd "$root"
regex="${1:-activateLambdaJit|authorizeLambdaJit}"
shift || true
mvn -B -q -ntp -DskipTests -pl functions/activation -am install
mvn -B -q -ntp -f infra/bench/jmh/pom.xml package
result="infra/bench/jmh/target/jmh-result.json"
java -jar infra/bench/jmh/target/benchmarks.jar "ActivationBenchmark\.($regex)\$" -foe true -prof gc \
    -rf json -rff "$result" "$@"
python3 - "$result" "$(java -version 2>&1 | head -1)" <<'PY'
import json, sys
print()
print(f"JDK: {sys.argv[2]}")
for r in json.load(open(sys.argv[1])):
    m = r["primaryMetric"]
    scale = {"us/op": 1e3, "ns/op": 1, "ms/op": 1e6}[m["scoreUnit"]]
    alloc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score")
    print("{}: {:,.0f} ± {:,.0f} ns/op ({:.1f} µs/op), {} forks x {} iterations{}".format(
        r["benchmark"].rsplit(".", 1)[1], m["score"] * scale, m["scoreError"] * scale, m["score"] * scale / 1e3,
        r["forks"], r["measurementIterations"],
        "" if alloc is None else ", {:,.0f} B allocated/op".format(alloc)))
PY
