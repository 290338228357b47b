# The service on PostgreSQL: docker run -e XUNCHA_DATABASE_URL=postgresql+psycopg://... -e XUNCHA_SECRET_KEY=... -p 8000:8000
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 XUNCHA_ENV=production XUNCHA_MEDIA_DIR=/data/media XUNCHA_DATABASE_URL=sqlite:////data/xuncha.db
WORKDIR /srv/xuncha
COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY migrations ./migrations
RUN pip install --no-cache-dir . && useradd --system --home /srv/xuncha xuncha && mkdir -p /data/media \
    && chown -R xuncha /data
USER xuncha
VOLUME /data
EXPOSE 8000
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["sh", "-c", "xuncha migrate && exec xuncha serve --host 0.0.0.0 --port 8000 --workers 2"]
