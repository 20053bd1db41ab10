# Answers questions about PEP 440 / PEP 508 with Python's `packaging`, one JSON object per line
# on stdin, one JSON answer per line on stdout (same order). Used by the Java conformance tests.
import json
import sys
import warnings

import packaging
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.specifiers import Specifier, SpecifierSet
from packaging.version import Version

warnings.simplefilter("ignore")

ENVS = []
TRI = (None, True, False)


def error(e):
    cause = e.__cause__ if e.__cause__ is not None else e
    out = {"ok": False, "err": type(e).__name__}
    if hasattr(cause, "span") and hasattr(cause, "message"):
        out["msg"] = cause.message
        out["pos"] = cause.span[1]
    return out


def char(f):
    try:
        return "T" if f() else "F"
    except Exception:
        return "E"


def version(q):
    try:
        v = Version(q["s"])
    except Exception as e:
        return error(e)
    return {
        "ok": True,
        "str": str(v),
        "epoch": str(v.epoch),
        "release": [str(x) for x in v.release],
        "pre": None if v.pre is None else [v.pre[0], str(v.pre[1])],
        "post": None if v.post is None else str(v.post),
        "dev": None if v.dev is None else str(v.dev),
        "local": v.local,
        "public": v.public,
        "base": v.base_version,
        "is_pre": v.is_prerelease,
        "is_post": v.is_postrelease,
        "is_dev": v.is_devrelease,
        "major": str(v.major),
        "minor": str(v.minor),
        "micro": str(v.micro),
    }


def order(q):
    vs = [Version(s) for s in q["vs"]]
    idx = sorted(range(len(vs)), key=lambda i: vs[i])
    ranks = [0] * len(vs)
    rank = 0
    for k, i in enumerate(idx):
        if k > 0 and vs[i] != vs[idx[k - 1]]:
            rank += 1
        ranks[i] = rank
    return {"ranks": ranks}


def parsed_versions(strings):
    out = []
    for s in strings:
        try:
            out.append(Version(s))
        except Exception:
            out.append(None)
    return out


def spec(q):
    try:
        s = Specifier(q["s"], prereleases=q.get("explicit"))
    except Exception as e:
        return error(e)
    out = {
        "ok": True,
        "str": str(s),
        "op": s.operator,
        "version": s.version,
        "pre": s.prereleases,
    }
    try:
        out["canon"] = list(s._canonical_spec)
    except Exception:
        out["canon"] = "E"
    vs = q.get("vs", [])
    parsed = parsed_versions(vs)
    res = []
    for raw, v in zip(vs, parsed):
        chars = ""
        for pre in TRI:
            chars += "-" if v is None else char(lambda: s.contains(v, prereleases=pre))
        chars += char(lambda: s.contains(raw, prereleases=True))
        res.append(chars)
    out["contains"] = res
    valid = [v for v in parsed if v is not None]
    filters = []
    for pre in TRI:
        try:
            kept = list(s.filter(range(len(valid)), prereleases=pre, key=lambda i: valid[i]))
            filters.append(kept)
        except Exception:
            filters.append("E")
    out["filter"] = filters
    return out


def sset(q):
    try:
        s = SpecifierSet(q["s"], prereleases=q.get("explicit"))
    except Exception as e:
        return error(e)
    out = {"ok": True, "str": str(s), "pre": s.prereleases, "len": len(s)}
    other = q.get("and")
    if other is not None:
        try:
            o = SpecifierSet(other["s"], prereleases=other.get("explicit"))
            s = s & o
            out["and"] = str(s)
            out["and_pre"] = s.prereleases
        except Exception as e:
            out["and"] = "E:" + type(e).__name__
            return out
    vs = q.get("vs", [])
    valid = [v for v in parsed_versions(vs) if v is not None]
    out["contains"] = ["".join(char(lambda: s.contains(v, prereleases=pre)) for pre in TRI)
                       for v in valid]
    filters = []
    for pre in TRI:
        try:
            filters.append(list(s.filter(range(len(valid)), prereleases=pre,
                                         key=lambda i: valid[i])))
        except Exception:
            filters.append("E")
    out["filter"] = filters
    return out


def marker(q):
    try:
        m = Marker(q["s"])
    except Exception as e:
        return error(e)
    out = {"ok": True, "str": str(m)}
    extras = q.get("extras", [])
    evals = []
    for env in ENVS:
        row = char(lambda: m.evaluate(env))
        for e in extras:
            row += char(lambda: m.evaluate(dict(env, extra=e)))
        evals.append(row)
    out["evals"] = evals
    return out


def req(q):
    try:
        r = Requirement(q["s"])
    except Exception as e:
        return error(e)
    out = {
        "ok": True,
        "str": str(r),
        "name": r.name,
        "extras": sorted(r.extras),
        "specifier": str(r.specifier),
        "url": r.url,
        "marker": None if r.marker is None else str(r.marker),
    }
    vs = q.get("vs")
    if vs is not None:
        valid = [v for v in parsed_versions(vs) if v is not None]
        out["contains"] = ["".join(char(lambda: r.specifier.contains(v, prereleases=pre))
                                   for pre in TRI) for v in valid]
    return out


def envs(q):
    ENVS[:] = q["envs"]
    return {"ok": True, "packaging": packaging.__version__}


HANDLERS = {
    "version": version,
    "order": order,
    "spec": spec,
    "sset": sset,
    "marker": marker,
    "req": req,
    "envs": envs,
}

out = sys.stdout
for line in sys.stdin:
    q = json.loads(line)
    out.write(json.dumps(HANDLERS[q["t"]](q)))
    out.write("\n")
