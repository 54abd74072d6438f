#!/usr/bin/env bash
# Extract translatable strings into each app's own zh_Hans catalogue (apps edit their
# own catalogue without touching each other's) and the project catalogue (templates/,
# config/). Usage: scripts/translations.sh [PROJECT_ROOT]
set -euo pipefail
root=$(cd "${1:-.}" && pwd)
here=$(cd "$(dirname "$0")/.." && pwd)
py="$here/.venv/bin/python"
export DJANGO_SETTINGS_MODULE=config.settings.test PYTHONPATH="$root"
apps=(accounts courses cohorts workbook)
options=(-l zh_Hans --no-obsolete --no-wrap -v 0)
for app in "${apps[@]}"; do
  mkdir -p "$root/$app/locale"
  (cd "$root/$app" && "$py" -P -m django makemessages "${options[@]}")
done
ignore=()
for skip in "${apps[@]}" kpi tests benchmarks .venv staticfiles media test-artifacts; do
  ignore+=(-i "$skip/*" -i "$skip")
done
(cd "$root" && "$py" -P -m django makemessages "${options[@]}" "${ignore[@]}")
