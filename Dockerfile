# ar-agent: the web app (`serve`) and the background worker (`worker`) in one small image.
#   docker build -t ar-agent .
#   docker run --rm -p 127.0.0.1:8000:8000 -e AR_AGENT_DATABASE_URL=postgresql://… ar-agent
# compose.yaml runs it with PostgreSQL and Mailpit (README: Deployment).

# --- build: resolve and install the locked dependencies into a virtualenv -------------------
FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/ar-agent
ENV PATH=/opt/ar-agent/bin:$PATH
WORKDIR /src
# requirements.lock pins every dependency (pip checks its hashes when it has them); without
# it, pyproject.toml's version ranges are resolved. A layer of its own: cached until it changes.
COPY pyproject.toml requirements.loc[k] ./
RUN if [ -f requirements.lock ]; then pip install -r requirements.lock; fi
COPY . .
RUN if [ -f requirements.lock ]; then pip install --no-deps . ; else pip install . ; fi \
 && find /opt/ar-agent -name '__pycache__' -prune -exec rm -rf {} +

# --- runtime: the virtualenv only, as an unprivileged user ----------------------------------
FROM python:3.11-slim AS runtime
LABEL org.opencontainers.image.title="ar-agent" \
      org.opencontainers.image.description="Accounts-receivable collections agent: it drafts, a human approves." \
      org.opencontainers.image.licenses="MIT"
RUN groupadd --system --gid 10001 ar \
 && useradd --system --uid 10001 --gid ar --home-dir /data --create-home --shell /usr/sbin/nologin ar
COPY --from=build /opt/ar-agent /opt/ar-agent
ENV PATH=/opt/ar-agent/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    AR_AGENT_DATABASE_URL=sqlite:////data/ar-agent.db \
    AR_AGENT_LOG_LEVEL=INFO
USER ar
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
ENTRYPOINT ["ar-agent"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
