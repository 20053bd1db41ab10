package dev.accretion.bench;

import dev.accretion.core.AccretionException;
import dev.accretion.python.ParseException;
import dev.accretion.python.index.IndexFile;
import dev.accretion.python.index.SimplePageParser;
import dev.accretion.python.metadata.CoreMetadata;
import dev.accretion.python.pep440.SpecifierSet;
import dev.accretion.python.pep440.Version;
import dev.accretion.python.pep508.Marker;
import dev.accretion.python.pep508.MarkerEnvironment;
import dev.accretion.python.pep508.Requirement;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The Python packaging standards over the local mirror's real inputs ({@link StandardsCorpus}):
 * each benchmark is one pass over its whole input list, so the time per item is the score divided
 * by the list's length (the report does that division). The Python peer in {@code
 * bench/standards.py} times the same passes with {@code packaging} and pip.
 *
 * <p>Run through {@code bench/standards.sh}; JMH options (forks, iterations) come from there.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StandardsBench {
  private StandardsCorpus corpus;
  private List<Version> versions;
  private SpecifierSet[] containsSets;
  private Version[] containsVersions;
  private List<Marker> markers;
  private MarkerEnvironment environment;

  /** Loads the corpus named by {@link StandardsCorpus#locate()} and parses what is not timed. */
  @Setup
  public void setUp() throws IOException, AccretionException {
    prepare(StandardsCorpus.load(StandardsCorpus.locate()));
  }

  void prepare(StandardsCorpus corpus) throws ParseException {
    this.corpus = corpus;
    versions = new ArrayList<>();
    for (String text : corpus.versionTexts) {
      versions.add(Version.parse(text));
    }
    List<SpecifierSet> sets = new ArrayList<>();
    for (String text : corpus.specifierTexts) {
      sets.add(SpecifierSet.parse(text));
    }
    containsSets = new SpecifierSet[corpus.containsSpecifier.length];
    containsVersions = new Version[corpus.containsVersion.length];
    for (int i = 0; i < containsSets.length; i++) {
      containsSets[i] = sets.get(corpus.containsSpecifier[i]);
      containsVersions[i] = versions.get(corpus.containsVersion[i]);
    }
    markers = new ArrayList<>();
    for (String text : corpus.markerTexts) {
      markers.add(Marker.parse(text));
    }
    environment = corpus.environment;
  }

  /** PEP 440: every distinct version string of the mirror. */
  @Benchmark
  public void versionParse(Blackhole bh) throws ParseException {
    for (String text : corpus.versionTexts) {
      bh.consume(Version.parse(text));
    }
  }

  /** Sorting a copy of the parsed versions (shuffled order). */
  @Benchmark
  public List<Version> versionSort() {
    List<Version> copy = new ArrayList<>(versions);
    copy.sort(null);
    return copy;
  }

  /** {@code compareTo} of each version with the next one; returns how many are smaller. */
  @Benchmark
  public int versionCompare() {
    int less = 0;
    for (int i = 0; i + 1 < versions.size(); i++) {
      if (versions.get(i).compareTo(versions.get(i + 1)) < 0) {
        less++;
      }
    }
    return less;
  }

  /** Every distinct Requires-Python and Requires-Dist specifier set. */
  @Benchmark
  public void specifierParse(Blackhole bh) throws ParseException {
    for (String text : corpus.specifierTexts) {
      bh.consume(SpecifierSet.parse(text));
    }
  }

  /**
   * {@code contains} of each Requires-Dist specifier set for every mirror version of the project it
   * names; returns how many hold.
   */
  @Benchmark
  public int specifierContains() {
    int holds = 0;
    for (int i = 0; i < containsSets.length; i++) {
      if (containsSets[i].contains(containsVersions[i])) {
        holds++;
      }
    }
    return holds;
  }

  /** PEP 508: every distinct Requires-Dist value. */
  @Benchmark
  public void requirementParse(Blackhole bh) throws ParseException {
    for (String text : corpus.requirementTexts) {
      bh.consume(Requirement.parse(text));
    }
  }

  /** Every distinct Requires-Dist marker, parsed beforehand, for Lambda python3.11 x86_64. */
  @Benchmark
  public int markerEvaluate() {
    int holds = 0;
    for (Marker marker : markers) {
      if (marker.evaluate(environment)) {
        holds++;
      }
    }
    return holds;
  }

  /** Every wheel's METADATA, from bytes already in memory. */
  @Benchmark
  public void metadataParse(Blackhole bh) throws ParseException {
    for (byte[] bytes : corpus.metadata) {
      bh.consume(CoreMetadata.parse(bytes));
    }
  }

  /** Every project page of the file:// indexes, PEP 503 HTML as served (no Content-Type). */
  @Benchmark
  public void pageParseHtml(Blackhole bh) throws ParseException {
    for (StandardsCorpus.Page page : corpus.pages) {
      List<IndexFile> files =
          SimplePageParser.parse(page.html(), null, page.pageUrl(), page.index());
      bh.consume(files);
    }
  }

  /** The same pages as PEP 691 JSON. */
  @Benchmark
  public void pageParseJson(Blackhole bh) throws ParseException {
    for (StandardsCorpus.Page page : corpus.pages) {
      bh.consume(
          SimplePageParser.parse(
              page.json(), SimplePageParser.JSON_V1, page.pageUrl(), page.index()));
    }
  }
}
