#!/usr/bin/env bash
# The whole test suite: unit tests (surefire), the contract and cfn-lint checks, and
# the integration tests (failsafe, *IT) that drive the real handlers against moto,
# which the tests start and reset themselves, `sam validate --lint` + `sam build` (SamBuildIT),
# and the console in headless Chromium; the quality gates (gates profile: SpotBugs, PIT; JaCoCo and
# -Werror always). Extra arguments go to Maven.
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
# -Pgates: SpotBugs (zero findings) and PIT (mutation score floors), see docs/testing.md.
# install, not verify: the quick start (infra/run-local.sh) and the benches build with `mvn install`, so the
# suite proves that the whole reactor installs too (a module with nothing to install must say so in its pom).
exec mvn -B -ntp -Pgates install "$@"
