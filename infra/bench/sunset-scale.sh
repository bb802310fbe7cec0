#!/usr/bin/env bash
# The legacy-key sunset job at scale against the emulator (moto): seeds KEYS legacy keys across
# WORKSPACES workspaces through the real handlers, then runs the job in three phases (notices,
# disable after cut-off, delete after clean-up) and prints DynamoDB requests and wall time per
# 1,000 keys and the number of 15-minute invocations a full pass needs.
# Usage: infra/bench/sunset-scale.sh [KEYS] [WORKSPACES]   (default 20000 200)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
. "$root/infra/env.sh"
wsl_find_jdk
wsl_python_tools "$root"
wsl_localstack_client "$root"
wsl_bench "$root" SunsetScaleBench sunset-scale -Dwsl.scale.keys="${1:-20000}" -Dwsl.scale.workspaces="${2:-200}"
