# peerchat server image: one process per container; scale with more replicas behind nginx (deploy/).
FROM python:3.11-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY setup.py setup.cfg pyproject.toml README.md ./
COPY server ./server
# The moderation pipeline compiled to C by mypyc (setup.py): same verdicts, about a quarter fewer
# instructions per message. The compiler stays in this stage; the image below gets only the result.
RUN PEERCHAT_COMPILE=1 pip install --no-cache-dir --prefix=/install .

# The browser client, built as `make web` builds it: `npm install`, not `npm ci`, because the lock holds
# rollup's native build for linux-x64-gnu and linux-arm64-gnu only (so a glibc image, not alpine), and
# `npm ci` refuses a lock that lacks other platforms' optional packages. Vite 7 needs Node 20.19+ or 22.12+.
FROM node:22-slim AS web
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN npm install --no-audit --no-fund
COPY web ./
RUN npm run build

FROM python:3.11-slim
RUN useradd --system --uid 10001 --home /app peerchat
WORKDIR /app
COPY --from=build /install /usr/local
# `peerchat migrate` (and the schema check at start) finds migrations/ in the working directory: the
# package is installed without them (server/storage/schema.py), so run peerchat from /app.
COPY alembic.ini ./
COPY migrations ./migrations
# The moderation matchers' compiled Hyperscan databases (server/moderation/multiscan.py) are built once,
# into the image, instead of on every container start (seconds); the directory stays the user's, so a
# database that does not fit this host's CPU is rebuilt and kept.
ENV XDG_CACHE_HOME=/app/cache
RUN mkdir -p /app/cache && chown peerchat /app/cache
USER peerchat
RUN python -c "from server.moderation.pipeline import review; from server.moderation.policy import RoomPolicy, \
SenderContext; review('warm up', RoomPolicy(), SenderContext())"
# The built client, after the warm-up so that a client change does not redo it; served from PEERCHAT_WEB_DIR.
COPY --from=web /web/dist ./web
ENV PEERCHAT_HOST=0.0.0.0 \
    PEERCHAT_WEB_DIR=/app/web \
    PEERCHAT_PORT=8080 \
    PEERCHAT_LOG_JSON=true \
    PYTHONUNBUFFERED=1
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8080/healthz').status != 200)"
# SIGTERM starts the drain (readiness fails, clients told to reconnect elsewhere); give it time to finish.
STOPSIGNAL SIGTERM
CMD ["peerchat", "serve"]
