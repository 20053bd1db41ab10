# Sourced by bench/node.sh and bench/node-floor.sh: the peer they measure Accretion against.
# npm_peer WORK SET_DIR: `npm ci --omit=dev --ignore-scripts --os=linux --cpu=x64` of SET_DIR's
# package.json + package-lock.json into WORK/npm/nodejs with an empty cache (WORK/npm-cache), then
# `zip -qrX WORK/npm.zip nodejs/node_modules`; prints the seconds both took.
npm_peer() {
  local work=$1 set_dir=$2 t0
  rm -rf "$work/npm" "$work/npm-cache" "$work/npm.zip"
  mkdir -p "$work/npm/nodejs"
  cp "$set_dir/package.json" "$set_dir/package-lock.json" "$work/npm/nodejs/"
  t0=$(date +%s.%N)
  (cd "$work/npm/nodejs" && npm ci --omit=dev --ignore-scripts --os=linux --cpu=x64 \
    --cache "$work/npm-cache" --no-audit --no-fund --loglevel=error >/dev/null)
  (cd "$work/npm" && zip -qrX "$work/npm.zip" nodejs/node_modules)
  printf "%.2f" "$(echo "$(date +%s.%N) - $t0" | bc)"
}
