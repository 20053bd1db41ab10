#!/usr/bin/env python3.11
"""Python side of bench/standards.sh: the shared input corpus, the Python peer, the report.

  standards.py corpus DIR        extract the inputs from the local wheel mirror into DIR
  standards.py peer DIR OUT      time packaging 26.2 / pip 23.2.1 over DIR, results to OUT (JSON)
  standards.py report DIR JMH PEER MD   merge JMH's JSON and the peer's JSON into a markdown file

The mirror is found the way pip finds it: the file:// indexes and find-links folders of
`python3.11 -m pip config list`; nothing is hard-coded. Both implementations read the same files
of DIR, and both write the answers they computed (counts, digests of the printed results) so the
report can check that they did the same work and agreed on it.
"""

import gc
import hashlib
import html.parser
import json
import math
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import time
import timeit
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

# ---------------------------------------------------------------------------------------------
# corpus


def pip_config():
    """{key: [values]} of `pip config list` (keys without their section/origin prefix)."""
    out = subprocess.run(
        [sys.executable, "-m", "pip", "config", "list"],
        check=True, capture_output=True, text=True,
    ).stdout
    config = {}
    for line in out.splitlines():
        m = re.match(r"^[^=]*?([a-z-]+)='(.*)'$", line.strip())
        if m:
            config.setdefault(m.group(1), []).extend(m.group(2).split())
    return config, out


class Anchors(html.parser.HTMLParser):
    """The <a> elements of a page, with their attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.anchors = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.anchors.append(dict(attrs))


def pep691(project, html_text):
    """A PEP 691 JSON rendition (API 1.1) of a PEP 503 project page: same files, same URLs."""
    parser = Anchors()
    parser.feed(html_text)
    files = []
    for a in parser.anchors:
        href = a.get("href")
        if not href:
            continue
        url, _, fragment = href.partition("#")
        hashes = {}
        if "=" in fragment:
            name, value = fragment.split("=", 1)
            hashes[name] = value
        entry = {"filename": urllib.parse.unquote(url.rsplit("/", 1)[-1]), "url": url,
                 "hashes": hashes}
        if a.get("data-requires-python"):
            entry["requires-python"] = a["data-requires-python"]
        if "data-yanked" in a:
            entry["yanked"] = a["data-yanked"] or True
        for key in ("data-core-metadata", "data-dist-info-metadata"):
            if key in a:
                value = a[key]
                entry["core-metadata"] = (
                    {value.split("=", 1)[0]: value.split("=", 1)[1]} if value and "=" in value
                    else True)
                break
        files.append(entry)
    return json.dumps({"meta": {"api-version": "1.1"}, "name": project, "files": files,
                       "versions": []}, indent=1) + "\n"


def lines_file(path, items):
    for item in items:
        if "\n" in item or "\r" in item:
            raise SystemExit(f"corpus item with a line break, cannot be a line: {item!r}")
    path.write_text("".join(item + "\n" for item in items), encoding="utf-8")


def corpus(out_dir):
    from packaging.metadata import parse_email
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name, parse_wheel_filename

    out = Path(out_dir)
    (out / "metadata").mkdir(parents=True, exist_ok=True)
    (out / "pages").mkdir(exist_ok=True)
    config, config_text = pip_config()
    indexes, find_links = [], []
    for key, values in config.items():
        for value in values:
            if key.endswith("index-url") and value.startswith("file:"):
                indexes.append(Path(urllib.request.url2pathname(urllib.parse.urlparse(value).path)))
            elif key == "find-links":
                find_links.append(Path(urllib.request.url2pathname(
                    urllib.parse.urlparse(value).path)) if value.startswith("file:") else Path(value))
    indexes, find_links = list(dict.fromkeys(indexes)), list(dict.fromkeys(find_links))
    if not indexes:
        raise SystemExit("no file:// index in `pip config list`:\n" + config_text)

    # Project pages of the file:// indexes, and the wheels they link to.
    wheels = set()
    pages = []
    for index in indexes:
        for project_dir in sorted(p for p in index.iterdir() if p.is_dir()):
            page = project_dir / "index.html"
            if not page.is_file():
                continue
            text = page.read_text(encoding="utf-8")
            pages.append((index, project_dir.name, page, text))
            for href in re.findall(r'href="([^"#]+)', text):
                target = (project_dir / urllib.parse.unquote(href)).resolve()
                if target.suffix == ".whl" and target.is_file():
                    wheels.add(target)
    for folder in find_links:
        if folder.is_dir():
            wheels.update(p.resolve() for p in folder.glob("*.whl"))
    wheels = sorted(wheels)
    if len(wheels) < 100:
        raise SystemExit(f"only {len(wheels)} wheels found through `pip config list`")

    with open(out / "pages.tsv", "w", encoding="utf-8") as manifest:
        for i, (index, project, page, text) in enumerate(pages):
            stem = f"{i:05d}"
            (out / "pages" / (stem + ".html")).write_text(text, encoding="utf-8")
            (out / "pages" / (stem + ".json")).write_text(pep691(project, text), encoding="utf-8")
            manifest.write(f"{stem}\t{page.parent.as_uri()}/\t{index.as_uri()}\n")

    versions, by_project = [], {}
    requires_dist, requires_python = {}, {}
    for i, wheel in enumerate(wheels):
        name, version, _, _ = parse_wheel_filename(wheel.name)
        raw_version = wheel.name.split("-")[1]
        versions.append(raw_version)
        by_project.setdefault(name, {})[raw_version] = None
        with zipfile.ZipFile(wheel) as z:
            entries = [n for n in z.namelist()
                       if re.fullmatch(r"[^/]+\.dist-info/METADATA", n)]
            if len(entries) != 1:
                raise SystemExit(f"{wheel}: {len(entries)} top-level .dist-info/METADATA")
            data = z.read(entries[0])
        (out / "metadata" / f"{i:05d}.METADATA").write_bytes(data)
        raw, _ = parse_email(data)
        for value in raw.get("requires_dist", []):
            requires_dist[value.strip()] = None
        if raw.get("requires_python"):
            requires_python[raw["requires_python"].strip()] = None

    # Distinct inputs, in a fixed shuffled order (index pages list versions in no useful order;
    # the sort benchmark should not get pre-sorted input).
    rng = random.Random(20260101)
    versions = list(dict.fromkeys(versions))
    rng.shuffle(versions)
    lines_file(out / "versions.txt", versions)
    requires = list(requires_dist)
    lines_file(out / "requires-dist.txt", requires)

    specifiers, markers, pairs = {}, {}, []
    for text in requires_python:
        specifiers[text] = None
    parsed = [Requirement(r) for r in requires]
    for req in parsed:
        if str(req.specifier):
            specifiers[str(req.specifier)] = None
        if req.marker is not None:
            markers[str(req.marker)] = None
    specifiers = list(specifiers)
    spec_index = {s: i for i, s in enumerate(specifiers)}
    version_index = {v: i for i, v in enumerate(versions)}
    # contains(): each requirement's specifier against every mirror version of the project it
    # names, as a resolver asks it.
    seen = set()
    for req in parsed:
        spec = str(req.specifier)
        candidates = by_project.get(canonicalize_name(req.name))
        if not spec or not candidates:
            continue
        for v in candidates:
            pair = (spec_index[spec], version_index[v])
            if pair not in seen:
                seen.add(pair)
                pairs.append(pair)
    lines_file(out / "specifiers.txt", specifiers)
    lines_file(out / "markers.txt", list(markers))
    lines_file(out / "contains.txt", [f"{s} {v}" for s, v in pairs])
    summary = {
        "config": config_text.strip().splitlines(),
        "indexes": [str(p) for p in indexes],
        "find_links": [str(p) for p in find_links],
        "wheels": len(wheels),
        "pages": len(pages),
        "versions": len(versions),
        "specifiers": len(specifiers),
        "contains_pairs": len(pairs),
        "requires_dist": len(requires),
        "markers": len(markers),
    }
    (out / "corpus.json").write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in summary.items() if k != "config"}))


# ---------------------------------------------------------------------------------------------
# peer


def read_lines(path):
    return Path(path).read_text(encoding="utf-8").splitlines()


def digest(strings):
    h = hashlib.sha256()
    for s in strings:
        h.update(s.encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()


def load(corpus_dir):
    d = Path(corpus_dir)
    c = {
        "versions": read_lines(d / "versions.txt"),
        "specifiers": read_lines(d / "specifiers.txt"),
        "requires": read_lines(d / "requires-dist.txt"),
        "markers": read_lines(d / "markers.txt"),
        "pairs": [tuple(map(int, line.split())) for line in read_lines(d / "contains.txt")],
        "metadata": [p.read_bytes() for p in sorted((d / "metadata").glob("*.METADATA"))],
        "pages": [],
    }
    for line in read_lines(d / "pages.tsv"):
        stem, page_url, _ = line.split("\t")
        c["pages"].append((page_url, (d / "pages" / (stem + ".html")).read_bytes(),
                           (d / "pages" / (stem + ".json")).read_bytes()))
    c["environment"] = json.loads((d / "environment.json").read_text(encoding="utf-8"))
    return c


def first_passes(c):
    """One pass of each benchmark's work, timed once (µs), in the order and with the chaining of
    StandardsCorpus.firstPassMicros on the Java side: nothing has been parsed before."""
    from packaging.markers import Marker
    from packaging.metadata import parse_email
    from packaging.requirements import Requirement
    from packaging.specifiers import SpecifierSet
    from packaging.version import Version
    from pip._internal.index.collector import IndexContent, parse_links

    out = {}
    clock = time.perf_counter

    def lap(name, start):
        now = clock()
        out[name] = (now - start) * 1e6
        return clock()

    start = clock()
    versions = [Version(s) for s in c["versions"]]
    start = lap("versionParse", start)
    ordered = sorted(versions)
    start = lap("versionSort", start)
    less = sum(1 for i in range(len(versions) - 1) if versions[i] < versions[i + 1])
    start = lap("versionCompare", start)
    sets = [SpecifierSet(s) for s in c["specifiers"]]
    start = lap("specifierParse", start)
    holds = sum(1 for s, v in c["pairs"] if sets[s].contains(versions[v]))
    start = lap("specifierContains", start)
    requirements = [Requirement(s) for s in c["requires"]]
    lap("requirementParse", start)
    markers = [Marker(m) for m in c["markers"]]
    start = clock()
    markers_true = sum(1 for m in markers if m.evaluate(c["environment"]))
    start = lap("markerEvaluate", start)
    parsed = [parse_email(b) for b in c["metadata"]]
    start = lap("metadataParse", start)
    files = sum(len(list(parse_links(IndexContent(h, "text/html", None, url, False))))
                for url, h, _ in c["pages"])
    start = lap("pageParseHtml", start)
    files += sum(len(list(parse_links(IndexContent(
        j, "application/vnd.pypi.simple.v1+json", None, url, False)))) for url, _, j in c["pages"])
    lap("pageParseJson", start)
    out["results"] = (len(ordered) + less + holds + len(requirements) + markers_true
                      + len(parsed) + files)
    return out


def peer(corpus_dir, out_path):
    import email.parser
    import email.policy

    import packaging
    import pip
    from packaging.markers import Marker
    from packaging.metadata import parse_email
    from packaging.requirements import Requirement
    from packaging.specifiers import SpecifierSet
    from packaging.version import Version
    from pip._internal.index.collector import IndexContent, parse_links

    c = load(corpus_dir)
    texts, spec_texts = c["versions"], c["specifiers"]
    first = first_passes(c)
    versions = [Version(s) for s in texts]
    specs = [SpecifierSet(s) for s in spec_texts]
    pairs = [(specs[s], versions[v]) for s, v in c["pairs"]]
    markers = [Marker(m) for m in c["markers"]]
    env = c["environment"]
    metadata = c["metadata"]
    html_pages = [IndexContent(h, "text/html", None, url, cache_link_parsing=False)
                  for url, h, _ in c["pages"]]
    json_pages = [IndexContent(j, "application/vnd.pypi.simple.v1+json", None, url,
                               cache_link_parsing=False) for url, _, j in c["pages"]]
    bytes_parser = email.parser.BytesParser(policy=email.policy.compat32)

    # One function per benchmark: one pass over its whole corpus, as the JMH methods do.
    def version_parse():
        return [Version(s) for s in texts]

    def version_sort():
        return sorted(versions)

    def version_compare():
        n = 0
        for i in range(len(versions) - 1):
            if versions[i] < versions[i + 1]:
                n += 1
        return n

    def specifier_parse():
        return [SpecifierSet(s) for s in spec_texts]

    def specifier_contains():
        n = 0
        for spec, version in pairs:
            if spec.contains(version):
                n += 1
        return n

    def requirement_parse():
        return [Requirement(s) for s in c["requires"]]

    def marker_evaluate():
        n = 0
        for m in markers:
            if m.evaluate(env):
                n += 1
        return n

    def metadata_parse():
        return [parse_email(b) for b in metadata]

    def metadata_email_only():
        return [bytes_parser.parsebytes(b) for b in metadata]

    def page_html():
        return [list(parse_links(p)) for p in html_pages]

    def page_json():
        return [list(parse_links(p)) for p in json_pages]

    benchmarks = {
        "versionParse": (version_parse, len(texts)),
        "versionSort": (version_sort, len(versions)),
        "versionCompare": (version_compare, len(versions) - 1),
        "specifierParse": (specifier_parse, len(spec_texts)),
        "specifierContains": (specifier_contains, len(pairs)),
        "requirementParse": (requirement_parse, len(c["requires"])),
        "markerEvaluate": (marker_evaluate, len(markers)),
        "metadataParse": (metadata_parse, len(metadata)),
        "metadataEmailParserOnly": (metadata_email_only, len(metadata)),
        "pageParseHtml": (page_html, len(html_pages)),
        "pageParseJson": (page_json, len(json_pages)),
    }

    # What was computed, to check against the Java side (same definitions there).
    parsed_meta = metadata_parse()
    answers = {
        "versions": len(versions),
        "versionsDigest": digest(str(v) for v in versions),
        "sortedDigest": digest(str(v) for v in version_sort()),
        "compareLess": version_compare(),
        "specifiers": len(specs),
        "specifiersDigest": digest(str(s) for s in specs),
        "containsPairs": len(pairs),
        "containsTrue": specifier_contains(),
        "requirements": len(c["requires"]),
        "requirementsDigest": digest(str(r) for r in requirement_parse()),
        "markers": len(markers),
        "markersTrue": marker_evaluate(),
        "metadata": len(metadata),
        "metadataRequiresDist": sum(len(raw.get("requires_dist", [])) for raw, _ in parsed_meta),
        "metadataNamesDigest": digest(raw["name"] for raw, _ in parsed_meta),
        "pages": len(html_pages),
        "htmlFiles": sum(len(links) for links in page_html()),
        "jsonFiles": sum(len(links) for links in page_json()),
    }

    min_time = float(os.environ.get("BENCH_PY_SAMPLE", "0.25"))
    repeats = int(os.environ.get("BENCH_PY_REPEATS", "8"))
    results = {}
    for name, (fn, items) in benchmarks.items():
        # timeit switches the cyclic GC off by default; switch it back on so that its cost is
        # counted, as the JVM's GC is counted on the Java side.
        timer = timeit.Timer(fn, setup="gc.enable()", globals={"gc": gc})
        fn()  # warm caches (imports, regex compilation) before timing
        one_pass = timer.timeit(1)
        number = max(1, math.ceil(min_time / max(one_pass, 1e-9)))
        samples = [t / number for t in timer.repeat(repeat=repeats, number=number)]
        results[name] = {"items": items, "number": number, "samples_s": samples}
        print(f"  {name}: {statistics.fmean(samples) * 1e3:.3f} ms/pass "
              f"({items} items, {number} passes x {repeats} samples)", file=sys.stderr)
    out = {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "packaging": packaging.__version__,
        "pip": pip.__version__,
        "answers": answers,
        "first_pass_us": first,
        "results": results,
    }
    Path(out_path).write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# report


def t_quantile(p, df):
    """Student's t quantile by bisection on the CDF (regularized incomplete beta by Simpson)."""

    def pdf(t):
        return math.exp(math.lgamma((df + 1) / 2) - math.lgamma(df / 2)
                        - 0.5 * math.log(df * math.pi)
                        - (df + 1) / 2 * math.log1p(t * t / df))

    def cdf(x):
        n = 2000
        h = x / n
        s = pdf(0) + pdf(x) + sum((4 if i % 2 else 2) * pdf(i * h) for i in range(1, n))
        return 0.5 + s * h / 3

    lo, hi = 0.0, 1000.0
    for _ in range(100):
        mid = (lo + hi) / 2
        if cdf(mid) < p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def stats(samples):
    """Mean and half-width of its 99.9% confidence interval (Student's t, as JMH reports)."""
    n = len(samples)
    mean = statistics.fmean(samples)
    if n < 2:
        return mean, float("nan")
    return mean, t_quantile(0.9995, n - 1) * statistics.stdev(samples) / math.sqrt(n)


ROWS = [
    ("versionParse", "PEP 440 `Version.parse` / `Version(s)`", "versions"),
    ("versionSort", "sort parsed versions (`List.sort` / `sorted`), per element", "versions"),
    ("versionCompare", "`compareTo` / `<` of adjacent versions", "version pairs"),
    ("specifierParse", "`SpecifierSet.parse` / `SpecifierSet(s)`", "specifier sets"),
    ("specifierContains", "`SpecifierSet.contains(Version)`", "(set, version) pairs"),
    ("requirementParse", "PEP 508 `Requirement.parse` / `Requirement(s)`", "Requires-Dist"),
    ("markerEvaluate", "`Marker.evaluate(env)` (parsed markers)", "markers"),
    ("metadataParse", "`CoreMetadata.parse(byte[])` / `parse_email(bytes)`", "METADATA files"),
    ("pageParseHtml", "PEP 503 HTML page / pip `parse_links`", "project pages"),
    ("pageParseJson", "PEP 691 JSON page / pip `parse_links`", "project pages"),
]


def fmt(x):
    if x != x:
        return "n/a"
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 10:
        return f"{x:.1f}"
    if x >= 1:
        return f"{x:.2f}"
    return f"{x:.3f}"


KEEP = "<!-- bench/standards.sh rewrites everything above this line and keeps what follows -->"


def report(corpus_dir, jmh_path, peer_path, java_answers_path, machine_path, md_path):
    jmh = json.loads(Path(jmh_path).read_text(encoding="utf-8"))
    py = json.loads(Path(peer_path).read_text(encoding="utf-8"))
    java_answers = json.loads(Path(java_answers_path).read_text(encoding="utf-8"))
    summary = json.loads((Path(corpus_dir) / "corpus.json").read_text(encoding="utf-8"))
    machine = Path(machine_path).read_text(encoding="utf-8").strip()

    mismatches = [f"{k}: Java {java_answers.get(k)!r}, Python {v!r}"
                  for k, v in py["answers"].items() if java_answers.get(k) != v]

    java = {}
    for b in jmh:
        name = b["benchmark"].rsplit(".", 1)[-1]
        unit = b["primaryMetric"]["scoreUnit"]
        if unit != "us/op":
            raise SystemExit(f"unexpected JMH unit {unit} for {name}")
        samples = [x for fork in b["primaryMetric"]["rawData"] for x in fork]
        java[name] = {"samples_us": samples}
    first = jmh[0]
    lines = []
    w = lines.append
    w("# Packaging standards: Accretion (Java) vs packaging/pip (Python)")
    w("")
    w("Written by `bench/standards.sh` on " + time.strftime("%Y-%m-%d %H:%M %Z") + ".")
    w("")
    w("## Machine")
    w("")
    w(machine)
    w(f"- JMH: {first['jmhVersion']}, {first['forks']} forks x "
      f"({first['warmupIterations']} warmup + {first['measurementIterations']} measured) "
      f"iterations of {first['measurementTime']}, one thread, JVM flags "
      f"`{' '.join(first['jvmArgs']) or '(defaults)'}`")
    w(f"- Python peer: {py['implementation']} {py['python']}, packaging {py['packaging']}, "
      f"pip {py['pip']}; `timeit` with the cyclic GC enabled, "
      f"{len(next(iter(py['results'].values()))['samples_s'])} samples of >= "
      f"{os.environ.get('BENCH_PY_SAMPLE', '0.25')} s each after one warm-up pass")
    w("")
    w("## Inputs (the local mirror, via `pip config list`)")
    w("")
    w(f"{summary['wheels']} wheels from {', '.join(summary['indexes'])} and find-links "
      f"{', '.join(summary['find_links']) or '(none)'}: {summary['versions']} distinct "
      f"version strings (filename versions, shuffled with a fixed seed), "
      f"{summary['specifiers']} distinct specifier sets (every Requires-Python, and the "
      f"specifier of every Requires-Dist), {summary['contains_pairs']} (specifier set, "
      f"version) pairs (each Requires-Dist specifier against every mirror version of the "
      f"project it names), {summary['requires_dist']} distinct Requires-Dist values, "
      f"{summary['markers']} distinct markers (evaluated for Lambda python3.11 x86_64, no "
      f"extra), {summary['wheels']} METADATA files (read into memory first), "
      f"{summary['pages']} project pages as served (HTML) and as a PEP 691 JSON rendition "
      f"generated from them.")
    w("")
    w("## Results")
    w("")
    w("Time per item (µs), mean ± half-width of the 99.9% confidence interval (Student's t "
      "over the measured samples: every measured JMH iteration of every fork for Java, as "
      "JMH's own `scoreError`; every timeit sample for Python). Each measured operation is one pass over the whole "
      "input list, divided by the number of items. Ratio = Python time / Java time.")
    w("")
    w("| operation | items | Java µs/item | Python µs/item | Python/Java |")
    w("|---|---:|---:|---:|---:|")
    for key, label, what in ROWS:
        if key not in java or key not in py["results"]:
            w(f"| {label} | | missing | missing | |")
            continue
        items = py["results"][key]["items"]
        jm, je = stats([s / items for s in java[key]["samples_us"]])
        pm, pe = stats([s * 1e6 / items for s in py["results"][key]["samples_s"]])
        w(f"| {label} | {items:,} {what} | {fmt(jm)} ± {fmt(je)} | {fmt(pm)} ± {fmt(pe)} "
          f"| {pm / jm:.1f}x |")
    if "metadataEmailParserOnly" in py["results"]:
        r = py["results"]["metadataEmailParserOnly"]
        pm, pe = stats([s * 1e6 / r["items"] for s in r["samples_s"]])
        w(f"| (Python only) stdlib `email` `BytesParser(policy=compat32)` alone, the first "
          f"step of `parse_email` | {r['items']:,} METADATA files | | {fmt(pm)} ± {fmt(pe)} | |")
    w("")
    java_first = json.loads((Path(corpus_dir) / "java-first-pass.json").read_text("utf-8"))
    py_first = py.get("first_pass_us", {})
    w("### First pass, before any warm-up")
    w("")
    w("One pass over each input list in a fresh process, timed once (one sample: noisy), in "
      "the order of the table, each pass building the parsed inputs of the later ones (Java: "
      "`StandardsCorpus.firstPassMicros` right after JVM start, so it includes class loading, "
      "the interpreter and JIT compilation; Python: `first_passes` right after the imports). "
      "This is closer to what one short CLI run pays than the steady state above. "
      "Milliseconds per whole pass.")
    w("")
    w("| operation | items | Java first pass | Java steady state | Python first pass | "
      "Python steady state |")
    w("|---|---:|---:|---:|---:|---:|")
    for key, label, what in ROWS:
        if key not in java or key not in py["results"] or key not in java_first:
            continue
        items = py["results"][key]["items"]
        jm, _ = stats(java[key]["samples_us"])
        pm, _ = stats([x * 1e6 for x in py["results"][key]["samples_s"]])
        w(f"| {label} | {items:,} | {fmt(java_first[key] / 1e3)} | {fmt(jm / 1e3)} | "
          f"{fmt(py_first.get(key, float('nan')) / 1e3)} | {fmt(pm / 1e3)} |")
    w("")
    w("## Notes")
    w("")
    w("- The machine is shared with other jobs (see the load averages above); contention "
      "shows as wide intervals and as differences between forks. Ratios are indicative "
      "within the error bars, not exact.")
    w("- Java numbers are steady state after JIT warm-up; each JMH fork is a fresh JVM with "
      "default flags. The Python numbers include the cyclic GC, like the Java ones include "
      "the JVM's GC.")
    w("- The operations are the libraries' public APIs, so each side pays its own extras: "
      "`packaging`'s `Marker.evaluate` builds `default_environment()` and merges the given "
      "environment on every call; pip's `parse_links` builds `Link` objects (URL cleaning, "
      "hash parsing), Accretion builds `IndexFile` records (URL resolution, hash checks). "
      "`parse_email` includes the stdlib `email` parser (the Python-only row shows it "
      "alone); `CoreMetadata.parse` includes UTF-8 decoding and the checks of required "
      "fields.")
    w("- `packaging` 26 computes a `Version`'s comparison key lazily, on its first "
      "comparison, and caches it on the object. `Version(s)` above therefore excludes it, "
      "and the steady-state sort and compare rows (which reuse the parsed objects) never "
      "pay it; the first-pass sort row does. Accretion's `Version` is comparable as parsed.")
    w("")
    w("## Same work, same answers")
    w("")
    if mismatches:
        w("The two sides DISAGREE on these answers (a conformance difference to look at):")
        w("")
        for m in mismatches:
            w(f"- {m}")
    else:
        w("Before timing, both sides computed the same answers over these inputs: item "
          "counts, SHA-256 of the normalized text of every parsed version, specifier set and "
          "requirement and of the sorted version list, the number of `<` among adjacent "
          "versions, of true `contains` and marker results, of Requires-Dist fields in all "
          "METADATA and of files on all pages (HTML and JSON): "
          + ", ".join(f"{k} {v if not isinstance(v, str) else v[:12]}"
                      for k, v in py["answers"].items()
                      if not isinstance(v, str)) + ".")
    w("")
    # Hand-written analysis below the marker survives a re-run.
    previous = Path(md_path).read_text("utf-8") if Path(md_path).is_file() else ""
    w(KEEP)
    kept = previous.split(KEEP, 1)[1].strip("\n") if KEEP in previous else ""
    if kept:
        w("")
        w(kept)
    w("")
    Path(md_path).parent.mkdir(parents=True, exist_ok=True)
    Path(md_path).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    if mismatches:
        raise SystemExit("answers differ between Java and Python: " + "; ".join(mismatches))


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "corpus" and len(sys.argv) == 3:
        corpus(sys.argv[2])
    elif command == "peer" and len(sys.argv) == 4:
        peer(sys.argv[2], sys.argv[3])
    elif command == "report" and len(sys.argv) == 8:
        report(*sys.argv[2:])
    else:
        raise SystemExit(__doc__)
