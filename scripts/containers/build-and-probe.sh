#!/usr/bin/env bash
# build-and-probe <context-dir> <tag> [--port 8080] [--health /healthz] [--env K=V]... [--network host]
# Builds the Dockerfile in <context-dir> with podman, runs the image, waits for the health path to
# answer 200, runs the image's HEALTHCHECK, reports size, user and timings, and always removes the
# container. Exit 0 only when everything passed. See scripts/containers/harness.ts.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=./env.sh
. "$here/env.sh"
node_bin="${QLF_NODE:-node}"
# harness.ts runs with Node's built-in TypeScript support (Node >= 23.6; the project uses Node 24).
if ! "$node_bin" -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 23 || (a === 23 && b >= 6) ? 0 : 1)' 2>/dev/null; then
  echo "build-and-probe: needs Node 24 on PATH (found $("$node_bin" --version 2>/dev/null || echo none)); see .ci/run" >&2
  exit 2
fi
exec "$node_bin" "$here/harness.ts" build-and-probe "$@"
