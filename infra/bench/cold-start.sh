#!/usr/bin/env bash
# Cold-start proxy: a fresh JVM invoking a handler once against the emulator, versus a fresh JVM
# doing one bare SDK GetItem (the floor); without SnapStart, with the C1-only flags of Globals, and
# the activation and the authorizer once more with their own (the default JIT). Handlers: the
# license activation and the token authorizer (a personal auth token with a license, on
# activation-lambda.jar), the invite (on members-lambda.jar), the console's page (console-lambda.jar)
# and a SCIM listing with the workspace's SCIM token (scim-lambda.jar). Each round runs every case
# once, in turn, so that a busy minute of a shared machine falls on all of them alike. Prints, per
# case, the median time from process start to the first response, its ratio to the floor's median,
# and the median number of classes loaded (-Xlog:class+load), over RUNS rounds; and the load average.
# Usage: infra/bench/cold-start.sh [RUNS]   (default 5)
#   NO_BUILD=1: measure the jars as built (no `mvn install` first);
#   CLASSES_DIR=dir: keep each case's list of loaded classes (its last round) as dir/<case number>.log.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
. "$root/infra/env.sh"
wsl_find_jdk
wsl_python_tools "$root"
runs="${1:-5}"
cd "$root"
[ -n "${NO_BUILD:-}" ] || mvn -B -q -ntp -DskipTests install
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
log=$(mktemp)
PORT=$port java -jar infra/emulator/target/local-runtime.jar >"$log" 2>&1 &
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
# A SCIM token for the workspace (the admin creates it; it is shown in this answer only).
answer=$(call POST "/workspaces/$ws/scim/token")
scim_token=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["token"])' "$answer")
props="-Daws.region=us-east-1 -Daws.accessKeyId=test -Daws.secretAccessKey=test -Daws.endpointUrl=$endpoint -DTABLE_NAME=wsl-local"
# The console's sign-in settings (read from the environment, or these properties); only its page uses them.
props="$props -DCONSOLE_OIDC_ISSUER=https://issuer.example.com/pool -DCONSOLE_OIDC_CLIENT_ID=console"
c1="-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -Xshare:auto"   # Globals' JAVA_TOOL_OPTIONS
default_jit="-XX:+TieredCompilation -Xshare:auto"                   # ActivationFunction's and TokenAuthorizerFunction's
probe="infra/bench/target/classes"
jar() { echo "functions/$1/target/$1-lambda.jar:$probe"; }

# The cases: name | JVM flags | classpath | probe class and arguments. The floor first (the ratios divide by it).
cases=(
  "bare SDK GetItem (floor)|$c1|$(jar members)|ColdStartProbe getitem"
  "activation, one invocation|$c1|$(jar activation)|ColdStartProbe activate $auth_token"
  "token authorizer, one invocation|$c1|$(jar activation)|ColdStartProbe authorize $auth_token"
  "invite handler, one invocation|$c1|$(jar members)|ColdStartProbe invite $ws $sub admin@example.com"
  "console page, one request|$c1|$(jar console)|Pages console"
  "SCIM listing, one request|$c1|$(jar scim)|Pages scim $scim_token"
  # The hot path's own flags (template.yaml): the default JIT, which SnapStart's priming pays off (docs/benchmarks.md).
  "activation, default JIT|$default_jit|$(jar activation)|ColdStartProbe activate $auth_token"
  "token authorizer, default JIT|$default_jit|$(jar activation)|ColdStartProbe authorize $auth_token"
)

# One activation before measuring, not counted: it checks the token activates a license, and it
# records this hour's use, so that every measured activation takes the same path (no usage write).
java $props -cp "$(jar activation)" dev.wsl.bench.ColdStartProbe activate "$auth_token" >/dev/null

declare -A times classes
for _ in $(seq 1 "$runs"); do
  for i in "${!cases[@]}"; do
    IFS='|' read -r _ flags cp args <<<"${cases[$i]}"
    cl=$(mktemp)
    # shellcheck disable=SC2086 # flags, props and args are word lists
    out=$(java $flags $props -Xlog:class+load:file="$cl" -cp "$cp" dev.wsl.bench.$args)
    times[$i]+="$(echo "$out" | sed -n 's/.*after \([0-9]*\) ms/\1/p') "
    classes[$i]+="$(wc -l <"$cl") "
    if [ -n "${CLASSES_DIR:-}" ]; then mkdir -p "$CLASSES_DIR" && mv "$cl" "$CLASSES_DIR/$i.log"; else rm -f "$cl"; fi
  done
done

median() { printf '%s\n' $1 | sort -n | sed -n "$(( (runs + 1) / 2 ))p"; }
echo "JDK: $(java -version 2>&1 | head -1); emulator: $endpoint; $runs rounds; load average $(cut -d' ' -f1-3 /proc/loadavg)"
floor=$(median "${times[0]}")
for i in "${!cases[@]}"; do
  IFS='|' read -r name _ <<<"${cases[$i]}"
  t=$(median "${times[$i]}")
  printf '%-34s median %5s ms (%s× the floor) to first response, %5s classes loaded  (runs: %s ms)\n' "$name" "$t" \
    "$(python3 -c "print(f'{$t / $floor:.2f}')")" "$(median "${classes[$i]}")" "${times[$i]% }"
done
