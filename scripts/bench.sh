#!/usr/bin/env bash
# The benchmark against kubectl, Helm 4 and the floor (bench/run.ts): set-up, the
# bench-only Helm part of the toolchain, then one run on a local cluster of its own.
# Arguments go to bench/run.ts, e.g. --n 100,500,1000 --out results.json.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
bash "$hpx_root/scripts/setup.sh"
bash "$hpx_root/scripts/toolchain.sh" helm
exec node "$hpx_root/bench/run.ts" "$@"
