#!/usr/bin/env bash
# Import time of a 50+ package set side-loaded with `accretion efs`: one sys.path entry per
# package version (bootstrap --no-view) vs the view (one entry of links). Issue 14.
# Usage: bench/efs-importtime.sh [RUNS]   (python3.11, the machine's mirror through pip's config)
set -euo pipefail
runs=${1:-7}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# 67 packages for python3.11 x86_64 from the mirror (all that resolve for glibc 2.26)
printf '%s\n' pandas scipy scikit-learn requests flask sqlalchemy pydantic rich httpx boto3 \
  pyyaml jinja2 attrs click networkx sympy pillow lxml fastapi aiohttp pytest tqdm openpyxl \
  beautifulsoup4 tabulate > "$work/requirements.txt"
acc="$here/accretion"
opts=(--runtime python3.11 --index-strategy best-match)
"$acc" efs install "$work/requirements.txt" --root "$work/store" "${opts[@]}" --json >"$work/install.json"
"$acc" efs bootstrap "$work/requirements.txt" --mount "$work/store" "${opts[@]}" \
  --output "$work/view/accretion_efs.py" >/dev/null
"$acc" efs bootstrap "$work/requirements.txt" --mount "$work/store" "${opts[@]}" --no-view \
  --output "$work/versions/accretion_efs.py" >/dev/null
python3.11 - "$work" "$runs" <<'PY'
import json, os, statistics, subprocess, sys, time
work, runs = sys.argv[1], int(sys.argv[2])
install = json.load(open(os.path.join(work, "install.json")))
view = install["view"]
mods = []
for n in sorted(os.listdir(view)):
    full = os.path.join(view, n)
    if n.startswith((".", "_")) or n.endswith((".dist-info", ".libs", ".pth")):
        continue
    if n.endswith(".py"):
        mods.append(n[:-3])
    elif os.path.isdir(full) and os.path.exists(os.path.join(full, "__init__.py")):
        mods.append(n)
    elif n.endswith(".so"):
        mods.append(n.split(".")[0])
code = "import sys; sys.path.insert(0, sys.argv[1]); import accretion_efs\n" + "".join(
    "try:\n    import %s\nexcept Exception:\n    pass\n" % m for m in mods)
def one(mode):
    t = time.perf_counter()
    p = subprocess.run(["python3.11", "-S", "-X", "importtime", "-c", code, os.path.join(work, mode)],
                       capture_output=True, text=True)
    wall = time.perf_counter() - t
    total = 0
    for line in p.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            parts = line.split("|")
            name = parts[2]
            if not name.startswith("  ") and parts[1].strip().isdigit():
                total += int(parts[1].strip())
    return wall, total / 1e6
res = {}
for mode in ("versions", "view"):
    one(mode)  # warm the page cache
    w, c = zip(*(one(mode) for _ in range(runs)))
    res[mode] = (statistics.median(w), statistics.median(c))
print("packages: %d, top-level modules imported: %d, runs: %d" % (len(install["packages"]), len(mods), runs))
print("| sys.path | wall (median) | -X importtime cumulative (median) |")
print("|---|---|---|")
print("| one entry per version (%d entries, --no-view) | %.2f s | %.2f s |" % (len(install["packages"]), *res["versions"]))
print("| the view (1 entry) | %.2f s | %.2f s |" % res["view"])
PY
