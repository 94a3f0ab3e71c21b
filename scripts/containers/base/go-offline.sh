#!/bin/bash
# `go` in the local stand-in for docker.io/library/golang (installed as /usr/local/bin/go, ahead of
# Debian's /usr/bin/go). No Go module proxy is reachable on the qlf CI machine, so inside a module it
# runs the real go in GOPATH mode against the modules Debian packages under /usr/share/gocode/src:
# the module directory is linked at /go/src/<module path>, and the versions in go.mod are not
# used (Debian's are: Gin 1.8.1, lib/pq 1.10.7, ...). `go mod download` and `go mod verify` have
# nothing to fetch and succeed. This way a generated Dockerfile stays the one a real runner uses:
#   COPY go.mod go.sum ./
#   RUN go mod download
#   COPY . .
#   RUN CGO_ENABLED=0 go build -o /out/server .
# QLF_GO_OFFLINE=0 (or GO111MODULE=off) runs the real go untouched.
set -euo pipefail
real=/usr/lib/go/bin/go

if [ "${QLF_GO_OFFLINE:-1}" = 0 ] || [ "${GO111MODULE:-}" = off ]; then exec "$real" "$@"; fi

root=$PWD
while [ "$root" != / ] && [ ! -f "$root/go.mod" ]; do root=$(dirname "$root"); done
if [ ! -f "$root/go.mod" ]; then exec "$real" "$@"; fi
module=$(awk '$1 == "module" { gsub(/"/, "", $2); print $2; exit }' "$root/go.mod")
if [ -z "$module" ]; then exec "$real" "$@"; fi

case "${1:-} ${2:-}" in
  "mod download" | "mod verify")
    echo "go: offline stand-in: modules come from Debian's packages in /usr/share/gocode; nothing to download" >&2
    exit 0
    ;;
  "mod "* | "get "* | "work "*) exec "$real" "$@" ;;
esac

gopath_first=/go
link="$gopath_first/src/$module"
mkdir -p "$(dirname "$link")"
if [ "$(readlink "$link" 2>/dev/null || true)" != "$root" ]; then ln -sfn "$root" "$link"; fi
cd "$link${PWD#"$root"}"
case "${1:-}" in
  build | install | run | test | vet | list)
    echo "go: offline stand-in: GOPATH mode against Debian's packaged modules (go.mod versions not used)" >&2
    ;;
esac
export GO111MODULE=off GOPATH="$gopath_first:/usr/share/gocode"
exec "$real" "$@"
