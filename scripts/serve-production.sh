#!/usr/bin/env bash
# The production profile on this machine: PostgreSQL, Redis as broker/cache/sessions,
# several gunicorn workers and django-q2 clusters, hashed and compressed static files.
# Everything is overridable from the environment (see docs/deploy.md); Ctrl-C stops all.
set -euo pipefail
py=.venv/bin/python
export DJANGO_SETTINGS_MODULE=config.settings.production
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/lodestar}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
export ALLOWED_HOSTS=${ALLOWED_HOSTS:-127.0.0.1,localhost}
export HTTPS=${HTTPS:-false}
host=${HOST:-127.0.0.1}
port=${PORT:-8000}
clusters=${Q_CLUSTERS:-2}

mkdir -p run
if [[ -z "${SECRET_KEY:-}" ]]; then
  [[ -s run/secret_key ]] || "$py" -c "import secrets; print(secrets.token_urlsafe(64))" > run/secret_key
  SECRET_KEY=$(cat run/secret_key)
  export SECRET_KEY
fi

# Create the database if it does not exist yet (the URL's user must be allowed to).
"$py" - <<'PY'
import os
import psycopg
from urllib.parse import urlsplit

url = urlsplit(os.environ["DATABASE_URL"])
name = url.path.lstrip("/")
admin = url._replace(path="/postgres").geturl()
with psycopg.connect(admin, autocommit=True) as conn:
    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
        conn.execute(f'CREATE DATABASE "{name}"')
        print(f"Created database {name}")
PY

"$py" manage.py migrate --noinput -v 0
"$py" manage.py createcachetable
"$py" manage.py collectstatic --noinput -v 0
[[ "${SEED:-1}" == "1" ]] && "$py" manage.py seed_demo

pids=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT
for _ in $(seq 1 "$clusters"); do
  "$py" manage.py qcluster &
  pids+=($!)
done
echo "Lodestar (production profile) at http://$host:$port/ with $clusters job clusters"
.venv/bin/gunicorn config.wsgi -c config/gunicorn.conf.py -b "$host:$port" &
pids+=($!)
wait -n
