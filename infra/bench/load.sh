#!/usr/bin/env bash
# Bounded load on loopback through the local runtime's HTTP front (LoadBench): activations, authorizations and the
# console's members page at a fixed concurrency for SECONDS each (at most MAX requests a phase; it stops by itself),
# the mixed run (assigns, unassigns, SCIM pushes, rotations, activations) with its recount, and one flooding client
# beside four good ones with and without the per-source limit. Prints [load] lines: throughput, p50/p99, errors, and
# the heap after a full GC around every phase (the runtime keeps its last 1,000 log lines for tests, not 20,000,
# so that what the heap shows is the functions'). Say the machine's load when you quote the figures.
# Usage: infra/bench/load.sh [SECONDS] [CONCURRENCY] [MAX]   (default 60 8 200000)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
. "$root/infra/env.sh"
wsl_find_jdk
wsl_python_tools "$root"
wsl_bench "$root" LoadBench load \
  -Dwsl.load.seconds="${1:-60}" -Dwsl.load.concurrency="${2:-8}" -Dwsl.load.maxRequests="${3:-200000}" \
  -Dwsl.local.keptLogLines=1000
