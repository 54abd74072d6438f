#!/usr/bin/env bash
# Extract translatable strings into each app's own zh_Hans catalogue (apps edit their
# own catalogue without touching each other's) and the project catalogue (templates/,
# config/). Usage: scripts/translations.sh [PROJECT_ROOT]
set -euo pipefail
root=$(cd "${1:-.}" && pwd)
here=$(cd "$(dirname "$0")/.." && pwd)
py="$here/.venv/bin/python"
export DJANGO_SETTINGS_MODULE=config.settings.test PYTHONPATH="$root"
# Sub-apps inside cohorts/ keep their own catalogues, so their parent skips them.
apps=(accounts courses cohorts cohorts/coaching cohorts/certificates cohorts/admissions
  cohorts/feedback cohorts/reporting workbook)
options=(-l zh_Hans --no-obsolete --no-wrap -v 0)
for app in "${apps[@]}"; do
  nested=()
  for other in "${apps[@]}"; do
    if [[ "$other" == "$app/"* ]]; then
      nested+=(-i "${other#"$app/"}/*" -i "${other#"$app/"}")
    fi
  done
  mkdir -p "$root/$app/locale"
  (cd "$root/$app" && "$py" -P -m django makemessages "${options[@]}" "${nested[@]}")
done
ignore=()
for skip in "${apps[@]}" kpi tests benchmarks .venv staticfiles media test-artifacts; do
  ignore+=(-i "$skip/*" -i "$skip")
done
(cd "$root" && "$py" -P -m django makemessages "${options[@]}" "${ignore[@]}")
