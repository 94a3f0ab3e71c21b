# Local stand-in for docker.io/library/golang:1.19-bookworm, built by scripts/containers/setup.sh
# (context: scripts/containers/base). Go 1.19 and the Go libraries generated Gin apps use come from
# Debian's packages (sources under /usr/share/gocode/src), since no Go module proxy is reachable.
# /usr/local/bin/go (go-offline.sh) makes the usual `go mod download` + `go build` steps work
# offline; see that file. CGO_ENABLED=0 because the image has no C compiler (and generated apps
# ship static binaries); GOPROXY=off makes any download attempt fail at once.
FROM localhost/debian:bookworm
RUN set -eu; \
    apt-get update; \
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      golang-go golang-github-gin-gonic-gin-dev golang-github-lib-pq-dev; \
    rm -rf /var/lib/apt/lists/*; \
    mkdir -p /go/src /go/bin
COPY go-offline.sh /usr/local/bin/go
ENV GOPATH=/go PATH=/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    CGO_ENABLED=0 GOPROXY=off GOSUMDB=off GOFLAGS=-buildvcs=false
# Compile the standard library (for CGO_ENABLED=0) and the packaged web stack once, so each app's
# build only compiles its own code (~45 s saved per image). Builds with -trimpath miss this cache.
RUN GO111MODULE=off GOPATH=/usr/share/gocode go build std github.com/gin-gonic/gin github.com/lib/pq && \
    go version
WORKDIR /go
CMD ["go", "version"]
