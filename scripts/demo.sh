#!/usr/bin/env bash
# hpx's main job on the local simulated cluster, from a fresh machine: set-up, then
# `hpx up` on the example processes, then `hpx ls`.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
bash "$hpx_root/scripts/setup.sh"
cd "$hpx_root"
hpx local up
hpx up examples/three-processes.yml --yes
hpx ls
