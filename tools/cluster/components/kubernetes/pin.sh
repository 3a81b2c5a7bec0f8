#!/usr/bin/env bash
# Rewrites go.mod (and go.sum) to build Kubernetes <version> from the Go module proxy: require
# k8s.io/kubernetes at that release and pin each of its staging modules (the ones its own go.mod replaces
# with ./staging/src/...) to the matching v0.X.Y release. Usage: pin.sh 1.36.3
set -euo pipefail
version="${1:?usage: pin.sh <kubernetes version, e.g. 1.36.3>}"
version="${version#v}"
cd "$(dirname "$0")"
proxy="$(go env GOPROXY)"
proxy="${proxy%%,*}"
[[ "$proxy" == http* ]] || proxy=https://proxy.golang.org
upstream="$(curl -fsS "${proxy}/k8s.io/kubernetes/@v/v${version}.mod")"
go_directive="$(grep -E '^go ' <<<"$upstream")"
{
  echo "// Builds the Kubernetes control-plane and node programs of one pinned release from the Go module proxy."
  echo "// k8s.io/kubernetes points its staging modules at ./staging, which a module download does not have, so"
  echo "// \`go install k8s.io/kubernetes/cmd/...@v${version}\` is refused; here each staging module is pinned to its release."
  echo "// To move to another release: tools/cluster/components/kubernetes/pin.sh <version> (rewrites this file)."
  echo "module ricochet.dev/cluster/kubernetes"
  echo
  echo "${go_directive}"
  echo
  echo "require k8s.io/kubernetes v${version}"
  echo
  echo "replace ("
  grep -E '=> \./staging' <<<"$upstream" | awk -v v="v0.${version#1.}" '{print "\t" $1 " => " $1 " " v}'
  echo ")"
  echo
  echo "tool ("
  for program in kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy; do
    echo "	k8s.io/kubernetes/cmd/${program}"
  done
  echo ")"
} >go.mod
rm -f go.sum
go mod tidy
echo "pinned Kubernetes v${version}: $(grep -c ' => ' go.mod) staging modules"
