#!/usr/bin/env bash
# hpctl's latency through hpx serve (bench/serve-latency.ts): set-up, then one run on a
# local cluster of its own. Arguments go to the script, e.g. --n 100.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
bash "$hpx_root/scripts/setup.sh"
exec node "$hpx_root/bench/serve-latency.ts" "$@"
