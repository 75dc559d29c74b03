#!/usr/bin/env bash
# hpx's main job on the local simulated cluster, from a fresh machine.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
bash "$hpx_root/scripts/setup.sh"
hpx local up
