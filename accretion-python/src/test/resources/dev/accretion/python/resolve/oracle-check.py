# Independent check of resolutions, with Python's `packaging` only (no Accretion code).
#
# stdin: one JSON object per line:
#   {"id": ..., "python": "3.12", "full": "3.12.12", "machine": "x86_64" | "aarch64",
#    "glibc": [2, 34], "roots": ["requirement line", ...],
#    "packages": [{"name": ..., "version": ..., "path": "/path/to/chosen.whl"}, ...]}
# stdout: one line per object: "<id>\tOK" or "<id>\tFAIL\t<problem>; <problem>; ..."
#
# For each resolution it checks, for the target's marker environment (built here from the target's
# Python version, full version and CPU, not taken from Accretion):
#   - every chosen file is a wheel of the chosen name and version, its METADATA says so too, its
#     Requires-Python admits the target's full version, and its tags intersect the target's tags
#     (packaging.tags.cpython_tags + compatible_tags over the manylinux platforms up to the
#     target's glibc, as packaging orders them);
#   - every root requirement whose marker holds is satisfied by the chosen version (pre-releases
#     allowed: the resolver's rules decide whether one may be chosen, the check only asks whether
#     the chosen version is inside the specifier);
#   - every Requires-Dist of every chosen package (for the extras requested of it) whose marker
#     holds is satisfied, extras propagate;
#   - nothing is chosen that no requirement reaches.
import email.parser
import json
import sys
import zipfile

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.tags import compatible_tags, cpython_tags
from packaging.utils import canonicalize_name, parse_wheel_filename
from packaging.version import Version


def manylinux_platforms(glibc, machine):
    # packaging.tags._manylinux.platform_tags order: newest glibc first, each legacy alias right
    # after its PEP 600 name; the oldest glibc considered is 2.5 on x86_64, 2.17 elsewhere
    major, minor = glibc
    lowest = 5 if machine == "x86_64" else 17
    legacy = {17: "manylinux2014", 12: "manylinux2010", 5: "manylinux1"}
    out = []
    for y in range(minor, lowest - 1, -1):
        out.append(f"manylinux_{major}_{y}_{machine}")
        if y in legacy and (y == 17 or machine == "x86_64"):
            out.append(f"{legacy[y]}_{machine}")
    return out


def environment(case):
    full = case["full"]
    return {
        "implementation_name": "cpython",
        "implementation_version": full,
        "os_name": "posix",
        "platform_machine": case["machine"],
        "platform_python_implementation": "CPython",
        "platform_release": "",
        "platform_system": "Linux",
        "platform_version": "",
        "python_full_version": full,
        "python_version": case["python"],
        "sys_platform": "linux",
    }


def read_metadata(path):
    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist() if n.count("/") == 1 and n.endswith(".dist-info/METADATA")]
        if len(names) != 1:
            raise ValueError(f"{path}: expected one .dist-info/METADATA, found {names}")
        text = z.read(names[0]).decode("utf-8")
    return email.parser.HeaderParser().parsestr(text)


def marker_holds(req, env, extra):
    if req.marker is None:
        return True
    return req.marker.evaluate(dict(env, extra=extra))


def check(case):
    problems = []
    env = environment(case)
    major, minor = (int(x) for x in case["python"].split("."))
    platforms = manylinux_platforms(case["glibc"], case["machine"])
    interpreter = f"cp{major}{minor}"
    tags = set(cpython_tags((major, minor), abis=[interpreter], platforms=platforms))
    tags |= set(compatible_tags((major, minor), interpreter=interpreter, platforms=platforms))
    full = Version(case["full"])

    chosen = {}
    requires = {}
    for p in case["packages"]:
        name = canonicalize_name(p["name"])
        version = Version(p["version"])
        if name in chosen:
            problems.append(f"{name} chosen twice")
        chosen[name] = version
        filename = p["path"].rsplit("/", 1)[-1]
        try:
            wname, wversion, _build, wtags = parse_wheel_filename(filename)
        except Exception as e:  # noqa: BLE001 - any parse failure is a problem to report
            problems.append(f"{filename}: not a valid wheel name ({e})")
            continue
        if wname != name or wversion != version:
            problems.append(f"{filename} is not {name} {version}")
        if not (set(wtags) & tags):
            problems.append(f"{filename}: no tag fits cp{major}{minor} {platforms[0]}")
        meta = read_metadata(p["path"])
        if canonicalize_name(meta["Name"]) != name or Version(meta["Version"]) != version:
            problems.append(f"{filename}: METADATA says {meta['Name']} {meta['Version']}")
        rp = meta.get("Requires-Python")
        if rp and rp.strip() and not SpecifierSet(rp).contains(full, prereleases=True):
            problems.append(f"{name} {version} requires Python {rp}, target is {full}")
        requires[name] = [Requirement(r) for r in meta.get_all("Requires-Dist") or []]

    reached = set()
    done = set()  # (name, extra) whose Requires-Dist were checked
    work = []

    def need(req, who):
        name = canonicalize_name(req.name)
        reached.add(name)
        if name not in chosen:
            problems.append(f"{req} ({who}) is not satisfied: {name} is not in the resolution")
            return
        if not req.specifier.contains(chosen[name], prereleases=True):
            problems.append(f"{req} ({who}) is not satisfied by {name} {chosen[name]}")
        for extra in [""] + sorted(canonicalize_name(e) for e in req.extras):
            if (name, extra) not in done:
                done.add((name, extra))
                work.append((name, extra))

    for line in case["roots"]:
        req = Requirement(line)
        if marker_holds(req, env, ""):
            need(req, "listing")
    while work:
        name, extra = work.pop()
        for req in requires.get(name, []):
            if marker_holds(req, env, extra):
                need(req, f"{name} {chosen[name]}" + (f"[{extra}]" if extra else ""))
    for name in sorted(set(chosen) - reached):
        problems.append(f"{name} {chosen[name]} is chosen but nothing requires it")
    return problems


for line in sys.stdin:
    if not line.strip():
        continue
    case = json.loads(line)
    try:
        problems = check(case)
    except Exception as e:  # noqa: BLE001 - report, don't stop the batch
        problems = [f"checker error: {type(e).__name__}: {e}"]
    print(case["id"] + ("\tOK" if not problems else "\tFAIL\t" + "; ".join(problems)), flush=True)
