package dev.accretion.python.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accretion.python.ParseException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class SimplePageParserTest {
  private static final URI PAGE = URI.create("https://example.org/simple/demo/");
  private static final URI INDEX = URI.create("https://example.org/simple/");
  private static final String SHA = "a".repeat(64);

  @Test
  void parseHtml_readsPep503AttributesAndHashes() throws Exception {
    String html =
        """
        <!DOCTYPE html>
        <html><head><meta name="pypi:repository-version" content="1.1"><title>Links for demo</title></head>
        <body><h1>Links for demo</h1>
        <!-- <a href="commented-out.whl">ignored</a> -->
        <a href="../../packages/demo-1.0-py3-none-any.whl#sha256=%s" data-requires-python="&gt;=3.8,&lt;4" data-core-metadata="sha256=%s">demo-1.0-py3-none-any.whl</a><br/>
        <A HREF='https://files.example.org/demo-0.9.tar.gz#md5=0123456789abcdef0123456789ABCDEF' data-yanked>demo-0.9.tar.gz</A>
        <a href=demo-0.8-py3-none-any.whl data-yanked="broken &amp; replaced" data-dist-info-metadata=true>x</a>
        <a href="demo-0.7-py3-none-any.whl" data-dist-info-metadata="true" data-core-metadata="false">x</a>
        <a href="demo-0.6-py3-none-any.whl#egg=demo" data-requires-python="">x</a>
        <a name="no-href">anchor without href</a>
        <a href="../">parent folder</a>
        <a href="mailto:someone@example.org">mail</a>
        </body></html>
        """
            .formatted(SHA, "b".repeat(64));
    List<IndexFile> files = SimplePageParser.parseHtml(html, PAGE, INDEX);
    assertThat(files).hasSize(5);

    IndexFile first = files.get(0);
    assertThat(first.filename()).isEqualTo("demo-1.0-py3-none-any.whl");
    assertThat(first.url())
        .isEqualTo(URI.create("https://example.org/packages/demo-1.0-py3-none-any.whl"));
    assertThat(first.hashes()).isEqualTo(Map.of("sha256", SHA));
    assertThat(first.requiresPython()).contains(">=3.8,<4");
    assertThat(first.yanked()).isFalse();
    assertThat(first.hasMetadataFile()).isTrue();
    assertThat(first.metadataHashes()).isEqualTo(Map.of("sha256", "b".repeat(64)));
    assertThat(first.metadataUrl())
        .contains(URI.create("https://example.org/packages/demo-1.0-py3-none-any.whl.metadata"));
    assertThat(first.index()).isEqualTo(INDEX);
    assertThat(first.size()).isEqualTo(OptionalLong.empty());

    IndexFile second = files.get(1);
    assertThat(second.url()).isEqualTo(URI.create("https://files.example.org/demo-0.9.tar.gz"));
    assertThat(second.hashes()).isEqualTo(Map.of("md5", "0123456789abcdef0123456789abcdef"));
    assertThat(second.yanked()).isTrue();
    assertThat(second.yankedReason()).isEmpty();
    assertThat(second.hasMetadataFile()).isFalse();

    IndexFile third = files.get(2);
    assertThat(third.url())
        .isEqualTo(URI.create("https://example.org/simple/demo/demo-0.8-py3-none-any.whl"));
    assertThat(third.yankedReason()).contains("broken & replaced");
    assertThat(third.hasMetadataFile()).isTrue();
    assertThat(third.metadataHashes()).isEmpty();

    // PEP 714: data-core-metadata wins over data-dist-info-metadata
    assertThat(files.get(3).hasMetadataFile()).isFalse();

    IndexFile fifth = files.get(4);
    assertThat(fifth.hashes()).isEmpty();
    assertThat(fifth.requiresPython()).isEmpty();
  }

  @Test
  void parseHtml_toleratesRealWorldPageShapes() throws Exception {
    String pypi =
        """
        <!DOCTYPE html>
        <html>
          <head>
            <meta name="pypi:repository-version" content="1.1">
            <title>Links for six</title>
          </head>
          <body>
            <h1>Links for six</h1>
            <a href="https://files.pythonhosted.org/packages/71/39/six-1.16.0-py2.py3-none-any.whl#sha256=%s" data-requires-python="&gt;=2.7, !=3.0.*, !=3.1.*" data-dist-info-metadata="sha256=%s" data-core-metadata="sha256=%s">six-1.16.0-py2.py3-none-any.whl</a><br />
            <a href="https://files.pythonhosted.org/packages/ab/cd/six-1.0.0.tar.gz" data-requires-python=">=2.4 " >six-1.0.0.tar.gz</a><br />
          </body>
        </html>
        <!--SERIAL 25009830-->
        """
            .formatted(SHA, SHA, SHA);
    List<IndexFile> files = SimplePageParser.parseHtml(pypi, PAGE, INDEX);
    assertThat(files)
        .extracting(IndexFile::filename)
        .containsExactly("six-1.16.0-py2.py3-none-any.whl", "six-1.0.0.tar.gz");
    assertThat(files.get(0).requiresPython()).contains(">=2.7, !=3.0.*, !=3.1.*");
    assertThat(files.get(1).requiresPython()).contains(">=2.4");

    String nginx =
        """
        <html>
        <head><title>Index of /wheels/</title></head>
        <body>
        <h1>Index of /wheels/</h1><hr><pre><a href="../">../</a>
        <a href="demo-1.0-py3-none-any.whl">demo-1.0-py3-none-any.whl</a>                 01-Jan-2024 00:00    1234
        <a href="sub/">sub/</a>                                              01-Jan-2024 00:00       -
        </pre><hr></body>
        </html>
        """;
    URI listing = URI.create("http://mirror.local/wheels/");
    assertThat(SimplePageParser.parseHtml(nginx, listing, listing))
        .extracting(IndexFile::url)
        .containsExactly(URI.create("http://mirror.local/wheels/demo-1.0-py3-none-any.whl"));
  }

  @Test
  void parseHtml_resolvesAgainstBaseHrefAndDecodesNames() throws Exception {
    String html =
        "<html><head><base href=\"https://mirror.example.net/files/\"></head><body>"
            + "<a href=\"sub/My%20Pkg-1.0.tar.gz\">My Pkg</a>"
            + "<a href=\"/abs/demo-2.0-py3-none-any.whl\">abs</a>"
            + "<a href=\"demo-3.0 final.tar.gz\">space</a>"
            + "<script>var s = '<a href=\"nope.whl\">';</script>"
            + "</body></html>";
    List<IndexFile> files = SimplePageParser.parseHtml(html, PAGE, INDEX);
    assertThat(files)
        .extracting(IndexFile::url)
        .containsExactly(
            URI.create("https://mirror.example.net/files/sub/My%20Pkg-1.0.tar.gz"),
            URI.create("https://mirror.example.net/abs/demo-2.0-py3-none-any.whl"),
            URI.create("https://mirror.example.net/files/demo-3.0%20final.tar.gz"));
    assertThat(files)
        .extracting(IndexFile::filename)
        .containsExactly("My Pkg-1.0.tar.gz", "demo-2.0-py3-none-any.whl", "demo-3.0 final.tar.gz");
  }

  @Test
  void parseHtml_dropsCredentialsFromFileUrls() throws Exception {
    List<IndexFile> files =
        SimplePageParser.parseHtml(
            "<a href=\"https://user:secret@files.example.org/demo-1.0.tar.gz#sha256="
                + SHA
                + "\">x</a>",
            PAGE,
            INDEX);
    assertThat(files.get(0).url())
        .isEqualTo(URI.create("https://files.example.org/demo-1.0.tar.gz"));
  }

  @Test
  void parseHtml_readsTheMirrorsPageShape() throws Exception {
    URI page = URI.create("file:///opt/pypi/simple/numpy/index.html");
    String html =
        "<!DOCTYPE html><html><body>\n<a href=\"../../files/numpy-2.2.6-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl#sha256="
            + SHA
            + "\">numpy-2.2.6-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl</a>\n</body></html>\n";
    IndexFile file =
        SimplePageParser.parseHtml(html, page, URI.create("file:///opt/pypi/simple/")).get(0);
    assertThat(file.url().toString())
        .isEqualTo(
            "file:///opt/pypi/files/numpy-2.2.6-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
  }

  @Test
  void parseHtml_rejectsUnterminatedAttributeQuotingUrlAndPosition() {
    String html = "<html><body>\n<a href=\"demo-1.0.tar.gz>demo</a>\n</body></html>";
    assertThatThrownBy(() -> SimplePageParser.parseHtml(html, PAGE, INDEX))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining(PAGE.toString())
        .hasMessageContaining("<a href=\"demo-1.0.tar.gz>demo</a>")
        .hasMessageContaining("line 2, column 9")
        .hasMessageContaining("unterminated quoted value")
        .satisfies(e -> assertThat(((ParseException) e).position()).isEqualTo(8));
  }

  @Test
  void parseHtml_rejectsTagLeftOpenAtTheEnd() {
    assertThatThrownBy(() -> SimplePageParser.parseHtml("<html><body>\n<a href=x.whl", PAGE, INDEX))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("line 2, column 1")
        .hasMessageContaining("never closed");
  }

  @Test
  void parseHtml_rejectsUnclosedComment() {
    assertThatThrownBy(
            () -> SimplePageParser.parseHtml("<a href=x.whl>x</a><!-- open", PAGE, INDEX))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("line 1, column 20")
        .hasMessageContaining("comment");
  }

  @Test
  void parseHtml_rejectsBinaryGarbage() {
    String garbage = "PK\u0003\u0004\u0014\u0000binary";
    assertThatThrownBy(() -> SimplePageParser.parseHtml(garbage, PAGE, INDEX))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining(PAGE.toString())
        .hasMessageContaining("control character U+0003")
        .hasMessageContaining("line 1, column 3");
  }

  @Test
  void parseHtml_rejectsHashFragmentThatIsNotHex() {
    String html = "<a href=\"demo-1.0.tar.gz#sha256=xyz\">x</a>";
    assertThatThrownBy(() -> SimplePageParser.parseHtml(html, PAGE, INDEX))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("sha256 hash 'xyz' is not 64 hexadecimal digits")
        .hasMessageContaining("column 26");
  }

  @Test
  void parseHtml_rejectsMalformedMetadataAttributeAndBadUrl() {
    assertThatThrownBy(
            () ->
                SimplePageParser.parseHtml(
                    "<a href=\"d-1.0.tar.gz\" data-core-metadata=\"maybe\">x</a>", PAGE, INDEX))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("PEP 658/714");
    assertThatThrownBy(
            () -> SimplePageParser.parseHtml("<a href=\"http://[::1/x.whl\">x</a>", PAGE, INDEX))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("is not a valid URL")
        .hasMessageContaining("column 10");
  }

  @Test
  void parse_rejectsBytesThatAreNotUtf8() {
    byte[] body = "<a href=\"x.whl\">\u00e9</a>".getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> SimplePageParser.parse(body, "text/html", PAGE, INDEX))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("not valid UTF-8")
        .hasMessageContaining("byte offset 16");
  }

  @Test
  void parse_honoursCharsetAndRejectsUnknownMediaTypes() throws Exception {
    byte[] body = "<a href=\"d\u00e9mo-1.0.tar.gz\">x</a>".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(SimplePageParser.parse(body, "text/html; charset=ISO-8859-1", PAGE, INDEX))
        .extracting(IndexFile::filename)
        .containsExactly("d\u00e9mo-1.0.tar.gz");
    assertThatThrownBy(() -> SimplePageParser.parse(new byte[0], "image/png", PAGE, INDEX))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("unexpected Content-Type");
  }

  // ---------------------------------------------------------------------------------------------
  // PEP 691

  private static final String JSON_PAGE =
      """
      {
        "meta": {"api-version": "1.1", "_last-serial": 1},
        "name": "demo",
        "versions": ["1.0", "0.9"],
        "files": [
          {"filename": "demo-1.0-py3-none-any.whl", "url": "../../packages/demo-1.0-py3-none-any.whl",
           "hashes": {"sha256": "%s"}, "requires-python": ">=3.8", "core-metadata": {"sha256": "%s"},
           "dist-info-metadata": false, "size": 12345, "upload-time": "2024-01-01T00:00:00.000000Z"},
          {"filename": "demo-0.9.tar.gz", "url": "https://files.example.org/demo-0.9.tar.gz",
           "hashes": {}, "requires-python": null, "yanked": "security hole", "size": 99},
          {"filename": "demo-0.8.tar.gz", "url": "demo-0.8.tar.gz", "hashes": {"SHA256": "%s"},
           "yanked": true, "dist-info-metadata": true},
          {"filename": "demo-0.7.tar.gz", "url": "demo-0.7.tar.gz", "hashes": {}, "yanked": false,
           "dist-info-metadata": {}}
        ]
      }
      """;

  @Test
  void parseJson_readsPep691And700Fields() throws Exception {
    String json = JSON_PAGE.formatted(SHA, "c".repeat(64), "D".repeat(64));
    List<IndexFile> files =
        SimplePageParser.parse(
            json.getBytes(StandardCharsets.UTF_8),
            "application/vnd.pypi.simple.v1+json",
            PAGE,
            INDEX);
    assertThat(files).hasSize(4);
    IndexFile first = files.get(0);
    assertThat(first.url())
        .isEqualTo(URI.create("https://example.org/packages/demo-1.0-py3-none-any.whl"));
    assertThat(first.hashes()).containsEntry("sha256", SHA);
    assertThat(first.requiresPython()).contains(">=3.8");
    assertThat(first.hasMetadataFile()).isTrue();
    assertThat(first.metadataHashes()).containsEntry("sha256", "c".repeat(64));
    assertThat(first.size()).isEqualTo(OptionalLong.of(12345));
    IndexFile second = files.get(1);
    assertThat(second.yanked()).isTrue();
    assertThat(second.yankedReason()).isEqualTo(Optional.of("security hole"));
    assertThat(second.requiresPython()).isEmpty();
    assertThat(files.get(2).yanked()).isTrue();
    assertThat(files.get(2).yankedReason()).isEmpty();
    assertThat(files.get(2).hashes()).containsEntry("sha256", "d".repeat(64));
    assertThat(files.get(2).hasMetadataFile()).isTrue();
    assertThat(files.get(3).hasMetadataFile()).isTrue();
    assertThat(files.get(3).metadataHashes()).isEmpty();
    assertThat(files.get(3).size()).isEmpty();
  }

  @Test
  void parseJson_rejectsUnknownMajorVersion() {
    String json = "{\"meta\": {\"api-version\": \"2.0\"}, \"name\": \"demo\", \"files\": []}";
    assertThatThrownBy(() -> SimplePageParser.parseJson(json, PAGE, INDEX))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("'2.0' is not supported")
        .hasMessageContaining("column 26");
  }

  @Test
  void parseJson_rejectsMissingHashesPointingAtTheFile() {
    String json =
        "{\"meta\": {\"api-version\": \"1.0\"}, \"name\": \"demo\",\n"
            + " \"files\": [{\"filename\": \"a.whl\", \"url\": \"a.whl\"}]}";
    assertThatThrownBy(() -> SimplePageParser.parseJson(json, PAGE, INDEX))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining(PAGE.toString())
        .hasMessageContaining("\"hashes\" is missing")
        .hasMessageContaining("line 2, column 12");
  }

  @Test
  void parseJson_rejectsSyntaxErrorsWithPosition() {
    String json = "{\"meta\": {\"api-version\": \"1.0\"},\n \"files\": [,]}";
    assertThatThrownBy(() -> SimplePageParser.parseJson(json, PAGE, INDEX))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("JSON syntax error")
        .hasMessageContaining("line 2, column 12")
        .satisfies(e -> assertThat(((ParseException) e).text()).contains("\"files\": [,]"));
  }

  @Test
  void parseJson_rejectsWrongTypes() {
    String json =
        "{\"meta\": {\"api-version\": \"1.0\"}, \"files\": [{\"filename\": \"a.whl\", \"url\": \"a.whl\","
            + " \"hashes\": {}, \"size\": -1}]}";
    assertThatThrownBy(() -> SimplePageParser.parseJson(json, PAGE, INDEX))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("\"size\" must be a non-negative integer");
  }

  @Test
  void unescape_decodesNamedAndNumericReferences() {
    assertThat(SimplePageParser.unescape("&gt;=3.8,&lt;4&#44;&#x21;&amp&unknown;"))
        .isEqualTo(">=3.8,<4,!&&unknown;");
  }
}
