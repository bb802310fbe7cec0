#!/usr/bin/env bash
# A workspace of MEMBERS members (default 50,000) and one of 100, loaded straight into the table with the stores'
# own item mappers (not through the API), then each read measured through the real handlers against moto: DynamoDB
# requests with the items each read, and latency (median / 90th percentile of RUNS calls). Prints [scale] lines
# (ScaleBench). The request counts at two sizes are pinned in the suite by ScaleRequestCountIT.
# Usage: infra/bench/scale.sh [MEMBERS] [RUNS]   (default 50000 20)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
. "$root/infra/env.sh"
wsl_find_jdk
wsl_python_tools "$root"
wsl_bench "$root" ScaleBench scale -Dwsl.scale.members="${1:-50000}" -Dwsl.scale.runs="${2:-20}"
