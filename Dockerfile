# Production image: the service and its migrations, no embedded database (set DATABASE_URL).
FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/venv
COPY pyproject.toml README.md /src/
COPY app /src/app
RUN /opt/venv/bin/pip install /src

FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    ORGREG_HOST=0.0.0.0 \
    ORGREG_PORT=8000
RUN useradd --system --uid 10001 --no-create-home orgreg
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY alembic.ini ./
COPY app ./app
COPY migrations ./migrations
COPY seed ./seed
USER orgreg
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status != 200)"
CMD ["orgreg", "serve", "--no-migrate"]
