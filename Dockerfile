# peerchat server image: one process per container; scale with more replicas behind nginx (deploy/).
FROM python:3.11-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY setup.py setup.cfg pyproject.toml README.md ./
COPY server ./server
# The moderation pipeline compiled to C by mypyc (setup.py): same verdicts, about a quarter fewer
# instructions per message. The compiler stays in this stage; the image below gets only the result.
RUN PEERCHAT_COMPILE=1 pip install --no-cache-dir --prefix=/install .

FROM python:3.11-slim
RUN useradd --system --uid 10001 --home /app peerchat
WORKDIR /app
COPY --from=build /install /usr/local
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
ENV PEERCHAT_HOST=0.0.0.0 \
    PEERCHAT_PORT=8080 \
    PEERCHAT_LOG_JSON=true \
    PYTHONUNBUFFERED=1
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8080/healthz').status != 200)"
# SIGTERM starts the drain (readiness fails, clients told to reconnect elsewhere); give it time to finish.
STOPSIGNAL SIGTERM
CMD ["peerchat", "serve"]
