#!/usr/bin/env bash
# The whole test suite: unit tests (surefire), the contract and cfn-lint checks, and
# the integration tests (failsafe, *IT) that drive the real handlers against moto,
# which the tests start and reset themselves, `sam validate --lint` + `sam build` (SamBuildIT),
# and the console in headless Chromium. Extra arguments go to Maven.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
. "$root/infra/env.sh"
wsl_find_jdk
wsl_python_tools "$root"
wsl_localstack_client "$root"
wsl_scim_client "$root"
wsl_dns_server "$root"
wsl_sam_cli "$root"
wsl_browser
cd "$root"
exec mvn -B -ntp verify "$@"
