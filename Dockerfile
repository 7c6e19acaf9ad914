# S2Cart's container image: Debian bookworm's Python 3.11, a virtualenv built in one stage and copied into a
# slim runtime stage that runs as a non-root user. docs/operations.md ("Containers") says how to build and run
# it; `make image-test` builds it and checks /api/auth/health/ against a real PostgreSQL and Redis.
#
# No `# syntax=` line: the Dockerfile builds with the classic builder and with BuildKit alike, and needs no
# frontend image from a registry. BASE_IMAGE is Debian bookworm (slim); any bookworm root file system will do
# (the smoke test imports one made with debootstrap).
ARG BASE_IMAGE=debian:bookworm-slim

# --- python: the interpreter both stages share (the virtualenv's python is a link to /usr/bin/python3) ------
FROM ${BASE_IMAGE} AS python
ENV DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 ca-certificates \
 && apt-get clean && rm -rf /var/lib/apt/lists/*

# --- build: S2Cart and its dependencies from PyPI into /opt/s2cart (wheels only: no compiler in the image).
# pip compiles the bytecode here: the runtime user cannot write /opt/s2cart, and each worker would otherwise
# compile every module again at every start.
FROM python AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3-venv \
 && apt-get clean && rm -rf /var/lib/apt/lists/*
# A TLS-inspecting proxy's CA, when the build needs one to reach PyPI: drop its .crt file in
# deploy/docker/ca-certificates/ (ignored by git). It is trusted in this stage only, never in the image.
COPY deploy/docker/ca-certificates/ /usr/local/share/ca-certificates/
RUN update-ca-certificates
ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python3 -m venv /opt/s2cart && /opt/s2cart/bin/pip install --upgrade pip
COPY pyproject.toml README.md /src/
COPY src/ /src/src/
RUN /opt/s2cart/bin/pip install --only-binary=:all: --no-binary=s2cart /src \
 && /opt/s2cart/bin/pip uninstall --yes pip

# --- runtime --------------------------------------------------------------------------------------------------
FROM python AS runtime
RUN groupadd --system --gid 10001 s2cart \
 && useradd --system --uid 10001 --gid s2cart --home-dir /srv/s2cart --create-home --shell /usr/sbin/nologin s2cart
COPY --from=build /opt/s2cart /opt/s2cart
ENV PATH=/opt/s2cart/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    S2CART_ENV=prod \
    S2CART_LOG_FORMAT=json
USER s2cart
WORKDIR /srv/s2cart
EXPOSE 8000
# Liveness only (the process answers; no database): an orchestrator restarts a container that stops answering.
# Readiness (database and Redis) is /api/auth/health/, for a load balancer.
# HEALTHCHECK_URL names another address when the command serves elsewhere (e.g. --port 8080).
ENV HEALTHCHECK_URL=http://127.0.0.1:8000/api/auth/live/
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python3", "-c", "import os, sys, urllib.request as u; sys.exit(u.urlopen(os.environ['HEALTHCHECK_URL'], timeout=4).status != 200)"]
CMD ["s2cart", "serve", "--host", "0.0.0.0", "--port", "8000"]
