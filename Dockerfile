# Production image: gunicorn serving Duban, static files collected, non-root user.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1

# CJK fonts for PDF/DOCX output of supervision reports.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
RUN useradd --system --uid 10001 --home /app duban \
    && mkdir -p /app/var/media \
    && DEBUG=false STATIC_MANIFEST=true SECRET_KEY=collectstatic-only-build-key-0000000000 ALLOWED_HOSTS=build \
       python manage.py collectstatic --noinput \
    && chown -R duban /app/var

USER duban
EXPOSE 8000
# SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, REDIS_URL and EMAIL_URL come from the environment.
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
