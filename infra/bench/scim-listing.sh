#!/usr/bin/env bash
# SCIM list pages as a workspace grows: the first page of 100 of GET /scim/v2/Users and the page at
# startIndex 51 of a walk by 50, and the same two pages of a group's members, over HTTP against the runtime and the
# emulator, median of 5 walks, at each size (members written straight into the table). ScimListingBench.
# Usage: infra/bench/scim-listing.sh [SIZE …]   (default 100 1000 10000)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
. "$root/infra/env.sh"
wsl_find_jdk
wsl_python_tools "$root"
sizes="${*:-100 1000 10000}"
wsl_bench "$root" ScimListingBench scim-listing -Dwsl.scim.sizes="${sizes// /,}"
