#!/usr/bin/env bash
# Runs the whole application locally: builds the project, then serves the HTTP API of
# template.yaml on http://127.0.0.1:${PORT:-3000}, with the functions in one JVM against an
# emulator (moto, started for you; or a running LocalStack if AWS_ENDPOINT_URL is set).
# Needs a JDK 25 and Maven; python3 with moto[server] is found or installed by infra/env.sh.
# Arguments go to the runtime, e.g.:  infra/run-local.sh token jane@example.com
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = //p' | cut -d. -f1
}

# A JDK 25: JAVA_HOME if it is 25 or newer, else Temurin 25, else any /usr/lib/jvm/*25*.
find_jdk() {
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]] && (( $(java_major "$JAVA_HOME") >= 25 )); then
    echo "$JAVA_HOME"; return
  fi
  local candidate
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25*; do
    if [[ -x "$candidate/bin/java" ]]; then
      echo "$candidate"; return
    fi
  done
  echo "no JDK 25 found: install one (e.g. Temurin 25) and set JAVA_HOME" >&2
  return 1
}

JAVA_HOME="$(find_jdk)"
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"

cd "$repo"
if [[ "${1:-}" == "token" ]]; then
  # Only talks to the running server; rebuilding would replace the jar it runs from.
  exec java -jar infra/local/target/local-runtime.jar "$@"
fi
if [[ -f infra/env.sh ]]; then
  # shellcheck source=env.sh
  . infra/env.sh
  wsl_python_tools "$repo" # sets MOTO_PYTHON, installing moto into infra/.venv if needed
fi
mvn -B -q -Dstyle.color=never -DskipTests install
exec java -jar infra/local/target/local-runtime.jar "$@"
