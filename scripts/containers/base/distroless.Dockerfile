# Local stand-in for gcr.io/distroless/static-debian12:nonroot, built by scripts/containers/setup.sh:
# an empty image with only /etc/passwd, /etc/group, the CA bundle, time zones and /tmp, running as
# nonroot (65532). For static binaries (Go with CGO_ENABLED=0); there is no shell, so a HEALTHCHECK
# must be the binary itself (e.g. `HEALTHCHECK CMD ["/app", "-healthcheck"]`).
FROM localhost/debian:bookworm AS files
RUN set -eu; \
    mkdir -p /out/etc/ssl/certs /out/usr/share /out/tmp /out/home/nonroot; \
    printf '%s\n' 'root:x:0:0:root:/root:/sbin/nologin' 'nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin' \
      'nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin' > /out/etc/passwd; \
    printf '%s\n' 'root:x:0:' 'nobody:x:65534:' 'nonroot:x:65532:' > /out/etc/group; \
    cp /etc/ssl/certs/ca-certificates.crt /out/etc/ssl/certs/; \
    cp -r /usr/share/zoneinfo /out/usr/share/; \
    chmod 1777 /out/tmp; chown 65532:65532 /out/home/nonroot
FROM scratch
COPY --from=files /out/ /
ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
USER 65532:65532
WORKDIR /home/nonroot
