package dev.accretion.python.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accretion.core.json.Json;
import dev.accretion.testkit.Python;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Differential test: pip 23.x's own link parser ({@code pip._internal.index.collector.parse_links})
 * and {@link SimplePageParser} read the same pages — synthetic ones with the awkward parts of PEP
 * 503/592/658/714 and a sample of the machine's mirror pages — and must find the same files.
 */
class SimplePageParserPipTest {
  private static final String ORACLE =
      """
      import json, sys
      from pip._internal.index.collector import parse_links, IndexContent
      for line in sys.stdin:
          case = json.loads(line)
          page = IndexContent(case["html"].encode("utf-8"), "text/html", "utf-8", case["url"],
                              cache_link_parsing=False)
          links = []
          for link in parse_links.__wrapped__(page) if hasattr(parse_links, "__wrapped__") else parse_links(page):
              meta = link.metadata_file_data
              links.append({
                  "url": link.url_without_fragment,
                  "requires_python": link.requires_python,
                  "yanked_reason": link.yanked_reason,
                  "hash_name": link.hash_name, "hash": link.hash,
                  "metadata": None if meta is None else (meta.hashes or {}),
              })
          print(json.dumps(links), flush=True)
      """;

  private static final String SHA = "ab".repeat(32);

  private static List<String[]> syntheticPages() {
    List<String[]> pages = new ArrayList<>();
    pages.add(
        new String[] {
          "https://example.org/simple/demo/",
          """
          <!DOCTYPE html><html><head><title>Links for demo</title></head><body>
          <a href="../../packages/demo-1.0-py3-none-any.whl#sha256=%s" data-requires-python="&gt;=3.8,&lt;4">a</a>
          <a href="demo-0.9.tar.gz#md5=0123456789abcdef0123456789abcdef" data-yanked="">b</a>
          <a href="demo-0.8.tar.gz" data-yanked="bad &amp; broken" data-core-metadata="sha256=%s">c</a>
          <a href="demo-0.7.tar.gz" data-dist-info-metadata="true">d</a>
          <a href="demo-0.6.tar.gz" data-dist-info-metadata="true" data-core-metadata="sha256=%s">e</a>
          <A HREF="/abs/demo-0.5.zip" DATA-REQUIRES-PYTHON='>=2.7'>f</A>
          <a href=https://other.example.org/demo-0.4.tar.gz>g</a>
          <a href="demo%%2B0.3.tar.gz">h</a>
          <!-- <a href="hidden.whl">hidden</a> -->
          </body></html>
          """
              .formatted(SHA, SHA, SHA)
        });
    pages.add(
        new String[] {
          "https://example.org/simple/based/",
          """
          <html><head><base href="https://cdn.example.net/pkgs/"></head><body>
          <a href="based-1.0.tar.gz">x</a><a href="../up/based-0.9.tar.gz">y</a>
          <a href="//proto.example.com/based-0.8.tar.gz">z</a>
          </body></html>
          """
        });
    pages.add(
        new String[] {
          "file:///srv/simple/local/index.html",
          "<a href=\"../../files/local-1.0-py3-none-any.whl#sha512="
              + "cd".repeat(64)
              + "\" data-requires-python=\"&gt;=3.6&#44;!=3.7.*\">local</a>"
        });
    return pages;
  }

  @Test
  void parseHtml_findsTheSameFilesAsPip() throws Exception {
    List<String[]> pages = new ArrayList<>(syntheticPages());
    for (String root : List.of("/opt/pypi/simple", "/opt/pypi-more/simple")) {
      try (Stream<Path> folders = Files.list(Path.of(root))) {
        List<Path> sample = folders.filter(Files::isDirectory).sorted().toList();
        for (int i = 0; i < sample.size(); i += 9) {
          Path html = sample.get(i).resolve("index.html");
          pages.add(new String[] {html.toUri().toString(), Files.readString(html)});
        }
      }
    }
    assertThat(pages).hasSizeGreaterThan(90);
    StringBuilder stdin = new StringBuilder();
    for (String[] page : pages) {
      Map<String, String> c = new LinkedHashMap<>();
      c.put("url", page[0]);
      c.put("html", page[1]);
      stdin.append(json(c)).append('\n');
    }
    String[] answers = Python.of("3.11").script(ORACLE, stdin.toString()).split("\n");
    assertThat(answers).hasSize(pages.size());
    int links = 0;
    for (int i = 0; i < pages.size(); i++) {
      URI pageUrl = URI.create(pages.get(i)[0]);
      List<IndexFile> ours = SimplePageParser.parseHtml(pages.get(i)[1], pageUrl, pageUrl);
      List<?> theirs = (List<?>) Json.parse(answers[i]).value();
      assertThat(ours).as(pageUrl.toString()).hasSize(theirs.size());
      for (int j = 0; j < theirs.size(); j++) {
        @SuppressWarnings("unchecked")
        Map<String, Json.Node> link = (Map<String, Json.Node>) ((Json.Node) theirs.get(j)).value();
        IndexFile file = ours.get(j);
        String context = pageUrl + " link " + j;
        assertThat(file.url().toString()).as(context).isEqualTo(link.get("url").value());
        Object requires = link.get("requires_python").value();
        assertThat(file.requiresPython().orElse(null))
            .as(context)
            .isEqualTo(requires == null ? null : ((String) requires).strip());
        Object yanked = link.get("yanked_reason").value();
        assertThat(file.yanked()).as(context).isEqualTo(yanked != null);
        assertThat(file.yankedReason().orElse(""))
            .as(context)
            .isEqualTo(yanked == null ? "" : yanked);
        Object hashName = link.get("hash_name").value();
        if (hashName == null) {
          assertThat(file.hashes()).as(context).isEmpty();
        } else {
          assertThat(file.hashes())
              .as(context)
              .containsEntry((String) hashName, (String) link.get("hash").value());
        }
        Object metadata = link.get("metadata").value();
        assertThat(file.hasMetadataFile()).as(context).isEqualTo(metadata != null);
        if (metadata != null) {
          Map<String, String> hashes = new LinkedHashMap<>();
          ((Map<?, ?>) metadata)
              .forEach((k, v) -> hashes.put((String) k, (String) ((Json.Node) v).value()));
          assertThat(file.metadataHashes()).as(context).isEqualTo(hashes);
        }
        links++;
      }
    }
    System.out.printf("%d pages, %d links agree with pip%n", pages.size(), links);
    assertThat(links).isGreaterThan(100);
  }

  private static String json(Map<String, String> map) {
    StringBuilder out = new StringBuilder("{");
    for (Map.Entry<String, String> entry : map.entrySet()) {
      if (out.length() > 1) {
        out.append(',');
      }
      out.append(quote(entry.getKey())).append(':').append(quote(entry.getValue()));
    }
    return out.append('}').toString();
  }

  private static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
