# The service on PostgreSQL: docker run -e XUNCHA_DATABASE_URL=postgresql+psycopg://... -e XUNCHA_SECRET_KEY=... -p 8000:8000
# The PWA, built in a node stage; only its dist/ reaches the service image.
FROM node:20-slim AS frontend
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN rm -rf dist && npx vite build

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 XUNCHA_ENV=production XUNCHA_MEDIA_DIR=/data/media XUNCHA_DATABASE_URL=sqlite:////data/xuncha.db \
    XUNCHA_FRONTEND_DIR=/srv/xuncha/frontend/dist
WORKDIR /srv/xuncha
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock
COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY migrations ./migrations
COPY --from=frontend /src/frontend/dist ./frontend/dist
RUN pip install --no-cache-dir --no-deps . && useradd --system --home /srv/xuncha xuncha && mkdir -p /data/media \
    && chown -R xuncha /data
USER xuncha
VOLUME /data
EXPOSE 8000
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["sh", "-c", "xuncha migrate && exec xuncha serve --host 0.0.0.0 --port 8000 --workers 2"]
