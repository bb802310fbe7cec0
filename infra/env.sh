# Sourced by the run and test scripts: finds a JDK 25 and the Python tools the
# local runtime and tests need (moto for the emulator, cfn-lint for the template).
# Installs what is missing into infra/.venv from PyPI; changes nothing else.

wsl_find_jdk() {
  local candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25* /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    if "$candidate/bin/java" -version 2>&1 | grep -Eq 'version "(2[5-9]|[3-9][0-9])'; then
      export JAVA_HOME="$candidate"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  echo "error: this project needs JDK 25 (Lambda java25). Install one (e.g. Temurin 25) and set JAVA_HOME." >&2
  return 1
}

wsl_python_tools() {
  local root="$1" venv="$1/infra/.venv"
  if python3 -c 'import moto, flask, werkzeug; import moto.server' >/dev/null 2>&1 && command -v cfn-lint >/dev/null 2>&1; then
    export MOTO_PYTHON="$(command -v python3)"
    return 0
  fi
  if [ ! -x "$venv/bin/python" ]; then
    echo "installing moto and cfn-lint into $venv ..." >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'moto[server]==5.2.1' 'cfn-lint>=1.20'
  fi
  export MOTO_PYTHON="$venv/bin/python"
  export PATH="$venv/bin:$PATH"
}

# The real LocalStack licensing client (the `localstack` CLI package from PyPI), which the
# activation tests drive unchanged. Pinned: docs/localstack-licensing-client.md records what
# this version sends and accepts. Exports LOCALSTACK_CLIENT_PYTHON for the tests.
WSL_LOCALSTACK_CLIENT_VERSION=2026.8.2
wsl_localstack_client() {
  local root="$1" venv="$1/infra/.venv-localstack"
  wsl_pinned_venv "$venv" localstack "$WSL_LOCALSTACK_CLIENT_VERSION"
  export LOCALSTACK_CLIENT_PYTHON="$venv/bin/python"
}

# Installs package==version from PyPI into its own venv, unless that version is there already.
wsl_pinned_venv() {
  local venv="$1" package="$2" version="$3"
  if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('$package') != '$version')" >/dev/null 2>&1; then
    echo "installing $package $version into $venv ..." >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "$package==$version"
  fi
}

# A SCIM client written by others, as an identity provider would drive the SCIM endpoint, and an
# independent RFC 7643/7644 checker: scim2-client with its models and its httpx2 engine, scim2-tester
# and its command line scim2-cli, pinned, from PyPI, into one venv (they share their dependencies).
# The SCIM integration tests run infra/scim-client/idp.py with it (SCIM_CLIENT_PYTHON), and
# ScimConformanceIT runs the checker (SCIM_CHECKER: its `scim2` command). WSL_SCIM_VENV chooses
# another venv (a worktree whose infra/.venv-scim is shared keeps its own there).
WSL_SCIM_CLIENT_VERSION=0.13.2
WSL_SCIM_MODELS_VERSION=0.12.3
WSL_SCIM_TESTER_VERSION=0.5.2
WSL_SCIM_CLI_VERSION=0.6.0
wsl_scim_client() {
  local root="$1" venv="${WSL_SCIM_VENV:-$1/infra/.venv-scim}"
  if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('scim2-client') != '$WSL_SCIM_CLIENT_VERSION' or m.version('scim2-models') != '$WSL_SCIM_MODELS_VERSION' or m.version('scim2-tester') != '$WSL_SCIM_TESTER_VERSION' or m.version('scim2-cli') != '$WSL_SCIM_CLI_VERSION')" >/dev/null 2>&1; then
    echo "installing scim2-client $WSL_SCIM_CLIENT_VERSION, scim2-tester $WSL_SCIM_TESTER_VERSION and scim2-cli $WSL_SCIM_CLI_VERSION into $venv ..." >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check \
      "scim2-client[httpx2]==$WSL_SCIM_CLIENT_VERSION" "scim2-models==$WSL_SCIM_MODELS_VERSION" \
      "scim2-tester==$WSL_SCIM_TESTER_VERSION" "scim2-cli==$WSL_SCIM_CLI_VERSION"
  fi
  export SCIM_CLIENT_PYTHON="$venv/bin/python"
  export SCIM_CHECKER="$venv/bin/scim2"
}

# The DNS server on loopback that domain verification asks locally and in the tests (infra/dns/serve.py,
# started by the runtime like moto): dnslib, pinned, from PyPI, into its own venv. Exports DNS_SERVER_PYTHON.
WSL_DNSLIB_VERSION=0.9.26
wsl_dns_server() {
  local root="$1" venv="$1/infra/.venv-dns"
  wsl_pinned_venv "$venv" dnslib "$WSL_DNSLIB_VERSION"
  export DNS_SERVER_PYTHON="$venv/bin/python"
}

# AWS SAM CLI for `sam validate --lint` and `sam build` (SamBuildIT runs both). Pinned, from PyPI,
# into its own venv (it brings its own boto3 and cfn-lint). Exports SAM_CLI for the tests and
# turns SAM's telemetry off. Deploying needs nothing else: `sam build` runs make and Maven
# (functions/lambda.mk), no Docker.
WSL_SAM_CLI_VERSION=1.170.0
wsl_sam_cli() {
  local root="$1" venv="$1/infra/.venv-sam"
  wsl_pinned_venv "$venv" aws-sam-cli "$WSL_SAM_CLI_VERSION"
  export SAM_CLI="$venv/bin/sam"
  export SAM_CLI_TELEMETRY=0
}

# The console's browser tests drive Debian's headless chromium through its chromedriver. Installs
# both with apt-get when they are missing and this runs as root (CI, .ci/run); otherwise says what
# to install, since a browser test that cannot start is a failure, not a skip.
wsl_browser() {
  if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
    return 0
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing chromium and chromium-driver with apt-get ..." >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
    return
  fi
  echo "error: the console's browser tests need chromium and chromedriver (Debian: sudo apt-get install chromium chromium-driver)" >&2
  return 1
}

# Runs one bench of the acceptance suite (infra/bench/*.sh): wsl_bench ROOT CLASS TAG [-Dname=value ...]
# builds and installs the project, runs the bench class in infra/acceptance with those properties, and
# shows only its "[TAG] ..." lines and the test result.
wsl_bench() {
  local class="$2" tag="$3"
  cd "$1"
  shift 3
  mvn -B -q -ntp -DskipTests install
  mvn -B -ntp -pl infra/acceptance verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test="$class" -Dfailsafe.failIfNoSpecifiedTests=false "$@" \
    | grep --line-buffered -E "^\[$tag\]|Tests run:|FAIL"
}
