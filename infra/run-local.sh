#!/usr/bin/env bash
# Runs the whole application locally: builds the project, then serves the HTTP API of
# template.yaml on http://127.0.0.1:${PORT:-3000}, with the functions in one JVM against an
# emulator (moto, started for you; or a running LocalStack if AWS_ENDPOINT_URL is set).
# Arguments go to the runtime, e.g.:  infra/run-local.sh token jane@example.com
# infra/run-local.sh sunset [--dry-run] runs the legacy-key sunset job on the running server.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$repo/infra/env.sh"
wsl_find_jdk
cd "$repo"
if [[ "${1:-}" == "sunset" ]]; then
  # Runs the legacy-key sunset job now on the running server (--dry-run: report only, change nothing).
  input='{}'
  [[ "${2:-}" == "--dry-run" ]] && input='{"dryRun":true}'
  exec curl -sS -X POST -H 'Content-Type: application/json' -d "$input" \
    "http://127.0.0.1:${PORT:-3000}/local/scheduled/SunsetFunction"
fi
if [[ "${1:-}" == "token" || "${1:-}" == "purchase" ]]; then
  # Only talks to the running server; rebuilding would replace the jar it runs from.
  exec java -jar infra/local/target/local-runtime.jar "$@"
fi
wsl_python_tools "$repo"
mvn -B -q -ntp -Dstyle.color=never -DskipTests install
exec java -jar infra/local/target/local-runtime.jar "$@"
