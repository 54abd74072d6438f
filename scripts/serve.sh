#!/usr/bin/env bash
# Run the web server and a django-q2 worker together; Ctrl-C stops both.
set -euo pipefail
host=${1:-127.0.0.1}
port=${2:-8000}
py=.venv/bin/python

"$py" manage.py qcluster &
worker=$!
cleanup() {
  trap - INT TERM EXIT
  kill -INT "$worker" 2>/dev/null || true
  wait "$worker" 2>/dev/null || true
}
trap cleanup INT TERM EXIT

cat <<MSG

  Lodestar is running at http://$host:$port/
  Content admin (staff): http://$host:$port/cms/
  Background jobs (staff): http://$host:$port/ops/jobs/
  Demo logins are listed above; the password for all is: lodestar-demo
  Press Ctrl-C to stop the web server and the worker.

MSG
"$py" manage.py runserver "$host:$port"
