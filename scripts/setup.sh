#!/usr/bin/env bash
# All set-up on a fresh machine: the toolchain (built once, cached by version) and
# the npm packages (installed again only when package-lock.json changes). The Pulumi CLI
# and its kubernetes plugin are built only when the machine has no installed ones hpx
# supports (scripts/installed-pulumi.ts asks as hpx does at run time).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
rc=0
bash "$hpx_root/scripts/toolchain.sh" node moto awscli kwok etcd kube kubectl || rc=$?
# env.sh put the toolchain's Node.js first on PATH; it was built first, above.
parts_line=$(node "$hpx_root/scripts/installed-pulumi.ts") || exit 1
read -r -a pulumi_parts <<<"$parts_line"
if [ ${#pulumi_parts[@]} -gt 0 ]; then
  bash "$hpx_root/scripts/toolchain.sh" "${pulumi_parts[@]}" || rc=$?
fi
stamp=$hpx_root/node_modules/.hpx-lock-sha256
want=$(sha256sum "$hpx_root/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  (cd "$hpx_root" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" >"$stamp"
fi
exit $rc
