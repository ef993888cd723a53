# Aura as one container: the single binary (dist/aura) on a slim Debian, running as an
# unprivileged user. Build: `docker build -t aura .`
# Run:   `docker run -p 3000:3000 -e JWT_SECRET=... -e E2B_API_KEY=... -v aura-data:/data aura`
# Running code: in a container, set E2B_API_KEY. The local bubblewrap runner needs root and the
# language runtimes (python3) on the host; it is for a bare-metal or VM install (see
# docs/deployment.md). Without either, Run reports the sandbox unavailable; the rest works.

FROM oven/bun:1 AS build
WORKDIR /app
# Dependencies first, for layer caching. --ignore-scripts: the postinstall builds the browser
# assets from sources not copied yet; `bun run build` builds them below.
COPY package.json bun.lock bunfig.toml ./
RUN bun install --frozen-lockfile --ignore-scripts
COPY . .
RUN bun run build

FROM debian:bookworm-slim
# bubblewrap: kept so a derived image running as root (with python3 added) can use the local
# sandbox. curl: the HEALTHCHECK (the binary has no probe command).
# Versions float with Debian stable so security updates land on rebuild.
# hadolint ignore=DL3008
RUN apt-get update \
  && apt-get install -y --no-install-recommends bubblewrap ca-certificates curl \
  && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 aura \
  && useradd --system --uid 10001 --gid aura --home-dir /data --shell /usr/sbin/nologin aura \
  && mkdir /data \
  && chown aura:aura /data
COPY --from=build /app/dist/aura /usr/local/bin/aura

# Bun's fetch holds at most 256 connections at once unless told otherwise at start-up; each
# streaming AI answer holds one to the model for its whole length (docs/deployment.md, Capacity).
ENV DATA_DIR=/data NODE_ENV=production PORT=3000 BUN_CONFIG_MAX_HTTP_REQUESTS=1024
VOLUME /data
EXPOSE 3000
WORKDIR /data
# Shell form so an overridden PORT is honoured. /healthz answers as soon as HTTP listens,
# while the database may still be opening (that is /readyz).
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD curl -fsS -o /dev/null "http://127.0.0.1:${PORT}/healthz" || exit 1
# Aura drains in-flight requests on SIGTERM, then closes the database cleanly.
STOPSIGNAL SIGTERM
USER aura
ENTRYPOINT ["/usr/local/bin/aura"]
