# Local stand-in for docker.io/library/python:3.11-slim, built by scripts/containers/setup.sh.
# PyPI is unreachable here, so the libraries generated FastAPI apps need come from Debian's
# packages (FastAPI 0.92, pydantic 1.10, SQLAlchemy 1.4, uvicorn 0.17, psycopg2 2.9, cryptography 38,
# PyJWT 2.6) installed into the system interpreter. `pip install -r requirements.txt` passes when
# every requirement is already satisfied by them; PIP_NO_INDEX makes anything else fail at once
# instead of timing out.
FROM localhost/debian:bookworm
RUN set -eu; \
    apt-get update; \
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      python3 python3-pip python3-venv python-is-python3 \
      python3-fastapi python3-uvicorn python3-pydantic python3-email-validator python3-multipart \
      python3-sqlalchemy python3-psycopg2 python3-alembic python3-httpx python3-pytest \
      python3-cryptography python3-jwt; \
    rm -rf /var/lib/apt/lists/*; \
    rm -f /usr/lib/python3.*/EXTERNALLY-MANAGED; \
    # Debian ships FastAPI 0.92 with Starlette 0.26 (tested together, patched to fit), but FastAPI's
    # metadata still asks for <0.26, so pip would reject the set; record what Debian ships.
    sed -i 's/^Requires-Dist: starlette<0.26.0,>=0.25.0$/Requires-Dist: starlette>=0.25.0/' \
      /usr/lib/python3/dist-packages/fastapi-*/METADATA; \
    python3 -m pip check; \
    python3 -c 'import fastapi, uvicorn, pydantic, sqlalchemy, psycopg2; print("python", fastapi.__version__)'
ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1
CMD ["python3"]
