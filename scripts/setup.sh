#!/usr/bin/env bash
# All set-up on a fresh machine: the toolchain (built once, cached by version) and
# the npm packages (installed again only when package-lock.json changes).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
bash "$hpx_root/scripts/toolchain.sh"
stamp=$hpx_root/node_modules/.hpx-lock-sha256
want=$(sha256sum "$hpx_root/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  (cd "$hpx_root" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" >"$stamp"
fi
