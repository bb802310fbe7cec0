#!/usr/bin/env bash
# Runs the whole application locally: builds the project when its sources changed, then serves
# the HTTP API of template.yaml on http://127.0.0.1:${PORT:-3000}, with the functions in one JVM
# against an emulator (moto, started for you; or a running LocalStack if AWS_ENDPOINT_URL is set).
# Arguments go to the runtime, e.g.:  infra/run-local.sh token jane@example.com
# infra/run-local.sh sunset [--dry-run] runs the legacy-key sunset job on the running server.
# infra/run-local.sh dns-txt NAME VALUE publishes a TXT record on the running server's DNS (--remove NAME [VALUE]).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$repo/infra/env.sh"
cd "$repo"
port="${PORT:-3000}"
jar=infra/emulator/target/local-runtime.jar

# The same words as the runtime's own CLI (LocalMain.notRunning) when nothing answers.
not_running() {
  echo "no local runtime answers on port $port: start it with infra/run-local.sh (PORT selects the port)" >&2
  exit 1
}

if [[ "${1:-}" == "sunset" ]]; then
  # Runs the legacy-key sunset job now on the running server (--dry-run: report only, change nothing).
  input='{}'
  [[ "${2:-}" == "--dry-run" ]] && input='{"dryRun":true}'
  rc=0
  answer=$(curl -sS -X POST -H 'Content-Type: application/json' -d "$input" \
    "http://127.0.0.1:$port/local/scheduled/SunsetFunction" 2>&1) || rc=$?
  [[ $rc == 7 ]] && not_running            # 7: could not connect
  [[ $rc != 0 ]] && { echo "$answer" >&2; exit "$rc"; }
  echo "$answer"
  exit 0
fi
if [[ "${1:-}" == "token" || "${1:-}" == "purchase" || "${1:-}" == "params" || "${1:-}" == "dns-txt" ]]; then
  # Only talks to the running server; rebuilding would replace the jar it runs from.
  [[ -f "$jar" ]] || not_running
  wsl_find_jdk
  exec java -jar "$jar" "$@"
fi

# A second runtime on a busy port would rebuild the jar the first one runs from, then fail to bind:
# say so at once instead.
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "port $port is in use (another local runtime?): stop that one, or start this one with PORT=<another port>" >&2
  exit 1
fi

wsl_find_jdk
wsl_python_tools "$repo"
wsl_dns_server "$repo"

# Build only when a source or build file is newer than the runtime jar (the template is read from
# the repository at start, so changing it needs no build). Maven's output goes to a log, shown
# only when the build fails.
changed=""
if [[ -f "$jar" ]]; then
  # (functions/testkit is test support: not in the runtime, so its changes need no build here)
  changed=$(find pom.xml functions/*/pom.xml functions/*/src/main infra/emulator/pom.xml infra/emulator/src/main \
    -newer "$jar" -type f -not -path 'functions/testkit/*' -print -quit 2>/dev/null || true)
fi
if [[ ! -f "$jar" || -n "$changed" ]]; then
  log=infra/emulator/target/run-local-build.log
  mkdir -p infra/emulator/target
  echo "building (${changed:-no runtime jar yet}; about a minute; log: $log) ..." >&2
  if ! mvn -B -q -ntp -Dstyle.color=never -DskipTests install > "$log" 2>&1; then
    # Maven 3.8 writes terminal escape codes even in batch mode: strip them from what is shown.
    sed -e 's/\x1b\[[0-9;]*m//g' "$log" | tail -n 40 >&2
    echo "the build failed; the whole log is $log" >&2
    exit 1
  fi
fi
exec java -jar "$jar" "$@"
