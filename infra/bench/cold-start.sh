#!/usr/bin/env bash
# Cold-start proxy: a fresh JVM invoking a handler once against the emulator, versus a fresh JVM
# doing one bare SDK GetItem (the floor); without SnapStart, with the C1-only flags of Globals, and
# the activation and the authorizer once more with their own (the default JIT). Handlers: the
# license activation and the token authorizer (a personal auth token with a license, on
# activation-lambda.jar) and the invite (on members-lambda.jar). Prints the time from process start
# to the first response and the number of classes loaded (-Xlog:class+load), as the median of RUNS runs.
# Usage: infra/bench/cold-start.sh [RUNS]   (default 5)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
. "$root/infra/env.sh"
wsl_find_jdk
wsl_python_tools "$root"
runs="${1:-5}"
cd "$root"
mvn -B -q -ntp -DskipTests install
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
log=$(mktemp)
PORT=$port java -jar infra/local/target/local-runtime.jar >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 120); do grep -q 'export WS=' "$log" && break; sleep 0.5; done
ws=$(sed -n 's/^ *export WS=//p' "$log")
if [ -z "$ws" ]; then
  echo "error: the local runtime did not seed a workspace; its log:" >&2
  cat "$log" >&2
  exit 1
fi
token=$(sed -n 's/^ *export TOKEN=//p' "$log")
endpoint=$(sed -n 's/.*AWS emulator: \(http[^,]*\),.*/\1/p' "$log")
sub=""
if [ -z "$sub" ]; then
  sub=$(python3 - "$token" <<'PY'
import base64, json, sys
p = sys.argv[1].split(".")[1]; p += "=" * (-len(p) % 4)
print(json.loads(base64.urlsafe_b64decode(p))["sub"])
PY
)
fi
api="http://127.0.0.1:$port"
call() { # METHOD PATH: prints the body; fails the script, showing the answer, unless it is 2xx
  local answer status
  answer=$(curl -sS -X "$1" -H "Authorization: Bearer $token" -w '\n%{http_code}' "$api$2")
  status=${answer##*$'\n'}
  answer=${answer%$'\n'*}
  if [ "${status:0:1}" != 2 ]; then
    echo "error: $1 $2 answered $status: $answer" >&2
    exit 1
  fi
  printf '%s' "$answer"
}
# The admin's personal auth token, and a license for the admin (the seeded purchase already
# assigned one; assigning again is idempotent), so that the token activates a license.
answer=$(call GET /me/auth-token)
auth_token=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["token"])' "$answer")
answer=$(call GET "/workspaces/$ws/members")
member=$(python3 -c 'import json, sys
print(next(m["id"] for m in json.loads(sys.argv[1])["items"] if m["email"] == "admin@example.com"))' "$answer")
call POST "/workspaces/$ws/members/$member/license" >/dev/null
props="-Daws.region=us-east-1 -Daws.accessKeyId=test -Daws.secretAccessKey=test -Daws.endpointUrl=$endpoint -DTABLE_NAME=wsl-local"
c1="-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -Xshare:auto"   # Globals' JAVA_TOOL_OPTIONS
default_jit="-XX:+TieredCompilation -Xshare:auto"                   # ActivationFunction's and TokenAuthorizerFunction's
flags=$c1
probe="infra/bench/target/classes"

measure() { # name classpath args... (with $flags)
  local name=$1 cp=$2; shift 2
  local times=() classes=()
  for _ in $(seq 1 "$runs"); do
    local cl; cl=$(mktemp)
    out=$(java $flags $props -Xlog:class+load:file="$cl" -cp "$cp" dev.wsl.bench.ColdStartProbe "$@")
    times+=("$(echo "$out" | sed -n 's/.*after \([0-9]*\) ms/\1/p')")
    classes+=("$(wc -l <"$cl")")
    rm -f "$cl"
  done
  local t c
  t=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  c=$(printf '%s\n' "${classes[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  printf '%-34s median %5s ms to first response, %5s classes loaded  (runs: %s ms)\n' "$name" "$t" "$c" "${times[*]}"
}

# One activation before measuring, not counted: it checks the token activates a license, and it
# records this hour's use, so that every measured activation takes the same path (no usage write).
java $props -cp "functions/activation/target/activation-lambda.jar:$probe" dev.wsl.bench.ColdStartProbe \
  activate "$auth_token" >/dev/null

echo "JDK: $(java -version 2>&1 | head -1); emulator: $endpoint; $runs runs each"
measure "bare SDK GetItem (floor)" "functions/members/target/members-lambda.jar:$probe" getitem
measure "activation, one invocation" "functions/activation/target/activation-lambda.jar:$probe" activate "$auth_token"
measure "token authorizer, one invocation" "functions/activation/target/activation-lambda.jar:$probe" authorize "$auth_token"
measure "invite handler, one invocation" "functions/members/target/members-lambda.jar:$probe" invite "$ws" "$sub" admin@example.com
# The hot path's own flags (template.yaml): the default JIT, which SnapStart's priming pays off (docs/benchmarks.md).
flags=$default_jit
measure "activation, default JIT" "functions/activation/target/activation-lambda.jar:$probe" activate "$auth_token"
measure "token authorizer, default JIT" "functions/activation/target/activation-lambda.jar:$probe" authorize "$auth_token"
