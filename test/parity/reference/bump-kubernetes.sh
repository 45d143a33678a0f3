#!/bin/sh
# Moves the reference kube-apiserver to another k8s.io/kubernetes release: ./bump-kubernetes.sh 1.35.4
# Kubernetes v1.X.Y publishes its staging modules as v0.X.Y; the replace block is regenerated from that
# release's own go.mod, so that modules added or dropped upstream are followed. See README.md.
set -eu
V=${1:?usage: $0 1.X.Y}
S=v0.${V#1.}
cd "$(dirname "$0")/kube-apiserver"
go mod download -json "k8s.io/kubernetes@v$V" >/dev/null
UPSTREAM="$(go env GOMODCACHE)/k8s.io/kubernetes@v$V/go.mod"
go mod edit -require="k8s.io/kubernetes@v$V" -require="k8s.io/component-base@$S"
# The same GODEBUG defaults as upstream's own binaries.
G=$(sed -n 's/^godebug default=//p' "$UPSTREAM")
if [ -n "$G" ]; then go mod edit -godebug="default=$G"; fi
sed -i '/^replace (/,/^)/d' go.mod
{
  echo 'replace ('
  grep '=> ./staging' "$UPSTREAM" | awk -v s="$S" '{print "\t" $1 " => " $1 " " s}'
  echo ')'
} >>go.mod
go mod tidy
echo "kube-apiserver now builds k8s.io/kubernetes v$V with its staging modules at $S; compare main.go with upstream's cmd/kube-apiserver/apiserver.go"
