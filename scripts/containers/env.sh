# shellcheck shell=bash
# Source this file (`. scripts/containers/env.sh`) before calling podman or buildah for qlf.
# It selects the project's own containers.conf (runc, permitted ulimits) without touching the
# machine's /etc/containers, and names the locally made base images that generated Dockerfiles use.
# Every script under scripts/containers sources it, so the tests need nothing exported beforehand.

QLF_CONTAINERS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export QLF_CONTAINERS_DIR
export CONTAINERS_CONF="${QLF_CONTAINERS_CONF:-$QLF_CONTAINERS_DIR/containers.conf}"

# Base images, tagged with the names the generated Dockerfiles use (docs/containers.md).
export QLF_IMAGE_DEBIAN_LOCAL="localhost/debian:bookworm"
export QLF_IMAGE_DEBIAN="docker.io/library/debian:bookworm-slim"
export QLF_IMAGE_NODE="docker.io/library/node:24-slim"
export QLF_IMAGE_PYTHON="docker.io/library/python:3.11-slim"
export QLF_IMAGE_GO="docker.io/library/golang:1.19-bookworm"
export QLF_IMAGE_DISTROLESS="gcr.io/distroless/static-debian12:nonroot"

# Where setup.sh keeps what it downloads (Node 24 and npm from the npm registry, debootstrap trees).
export QLF_CONTAINERS_CACHE="${QLF_CONTAINERS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/qlf/containers}"
