# Sourced by the other scripts: puts the toolchain's Node.js first on PATH.
hpx_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../toolchain/versions.env
. "$hpx_root/toolchain/versions.env"
hpx_cache=${HPX_CACHE:-$HOME/.cache/hpx}
export PATH="$hpx_cache/node-$NODE_VERSION/bin:$hpx_root/bin:$PATH"
