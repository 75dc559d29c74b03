#!/usr/bin/env bash
# The whole test suite: set-up, type check, then vitest: unit tests beside the code and
# the integration tests on one local simulated cluster + moto (vitest.config.ts).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
bash "$hpx_root/scripts/setup.sh"
cd "$hpx_root"
echo "== type check"
node node_modules/typescript/bin/tsc -p tsconfig.json
echo "== tests"
exec node node_modules/vitest/vitest.mjs run
