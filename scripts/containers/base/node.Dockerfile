# Local stand-in for docker.io/library/node:24-slim, built by scripts/containers/setup.sh.
# Context: `node` (the real Node 24 binary from the npm registry's `node` package) and `npm/`
# (the npm registry's `npm` package). Layout and user follow the official image: binaries in
# /usr/local/bin, npm under /usr/local/lib/node_modules, user `node` with uid/gid 1000.
FROM localhost/debian:bookworm
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
RUN set -eu; \
    ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm; \
    ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx; \
    groupadd --gid 1000 node; \
    useradd --uid 1000 --gid node --shell /bin/bash --create-home node; \
    node --version; npm --version; npx --version
# The build harness bind-mounts the host's CA bundle over this path during `podman build`, so
# `npm ci` trusts whatever proxy the host trusts; at run time it is Debian's own bundle.
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
CMD ["node"]
