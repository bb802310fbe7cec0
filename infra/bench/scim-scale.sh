#!/usr/bin/env bash
# SCIM provisioning at scale through the SCIM client library (scim2-client, from PyPI) against the
# emulator: USERS users created, GROUP of them added to a license group (PATCHes of 100 members), LOOKUPS
# filter lookups by userName; prints DynamoDB requests per user, per member and per lookup, and the
# client's wall time per 100 users (ScimScaleBench).
# Usage: infra/bench/scim-scale.sh [USERS] [GROUP] [LOOKUPS]   (default 1000 500 200)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
. "$root/infra/env.sh"
wsl_find_jdk
wsl_python_tools "$root"
wsl_scim_client "$root"
wsl_bench "$root" ScimScaleBench scim-scale \
  -Dwsl.scim.users="${1:-1000}" -Dwsl.scim.members="${2:-500}" -Dwsl.scim.lookups="${3:-200}"
