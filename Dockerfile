# Production image: gunicorn serves the app, the same image runs the Celery worker and beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=mskoko.settings_production MSKOKO_VAR_DIR=/var/lib/mskoko

# WeasyPrint needs Pango (and HarfBuzz's subset library: without it PDFs carry the build time and a closed year's
# documents no longer rebuild byte for byte); fonts with Cyrillic for documents; poppler for checks.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libffi8 \
      fonts-dejavu-core fonts-liberation postgresql-client \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -c constraints.txt . \
 && useradd --system --home /app mskoko && mkdir -p /var/lib/mskoko && chown mskoko /var/lib/mskoko
USER mskoko
EXPOSE 8000
CMD ["gunicorn", "mskoko.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "120"]
