#!/usr/bin/env bash
# Regenerates the package-lock.json of every set here with the machine's npm (locks are data:
# they are committed, so CI installs the same versions every run). Usage: ./generate.sh [set...]
set -euo pipefail
cd "$(dirname "$0")"
sets=("$@")
[ ${#sets[@]} -eq 0 ] && sets=(*/)
for s in "${sets[@]}"; do
  s=${s%/}
  ( cd "$s" && rm -f package-lock.json && \
    npm install --package-lock-only --ignore-scripts --no-audit --no-fund \
      --omit-lockfile-registry-resolved="$( [ -f .omit-resolved ] && echo true || echo false )" >/dev/null )
  echo "$s: $(grep -c '"node_modules/' "$s/package-lock.json") lock entries"
done
