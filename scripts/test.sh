#!/usr/bin/env bash
# The whole test suite: set-up, type check, unit tests beside the code, and the
# integration tests on one local simulated cluster + moto (test/harness/global-setup.ts).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
bash "$hpx_root/scripts/setup.sh"
cd "$hpx_root"
echo "== type check"
node node_modules/typescript/bin/tsc -p tsconfig.json
echo "== tests"
exec node --test --test-reporter=spec --test-global-setup=test/harness/global-setup.ts \
  'src/**/*.test.ts' 'test/**/*.test.ts'
