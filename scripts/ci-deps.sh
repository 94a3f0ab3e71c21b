#!/usr/bin/env bash
# Debian packages the integration tests need on the host, installed only when missing.
# Python: generated FastAPI apps run their tests under Debian's /usr/bin/python3 (PyPI is not
# reachable here). Go: generated Gin apps build offline against Debian's packaged Go libraries.
set -euo pipefail
packages=(
  python3-fastapi python3-uvicorn python3-pytest python3-httpx python3-pydantic python3-sqlalchemy
  python3-psycopg2 python3-pyflakes python3-cryptography python3-jwt
  golang-go golang-github-gin-gonic-gin-dev golang-github-lib-pq-dev
  openssl
)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]} > 0)); then
  echo "ci: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt="apt-get -o DPkg::Lock::Timeout=600 -q"
  $apt install -y "${missing[@]}" >/dev/null 2>&1 || { $apt update >/dev/null && $apt install -y "${missing[@]}" >/dev/null; }
fi
