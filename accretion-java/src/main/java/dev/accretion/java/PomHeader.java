package dev.accretion.java;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * What Accretion reads from a pom before resolving (without network): that it is well-formed XML
 * with a {@code <project>} root, its artifactId (for the default layer name) and its parent's
 * relativePath (to include local parents in the selector key).
 *
 * @param artifactId the project's artifactId, or null
 * @param hasParent whether it declares a parent
 * @param parentRelativePath the parent's relativePath ({@code ../pom.xml} by default, empty to look
 *     only in repositories)
 */
record PomHeader(String artifactId, boolean hasParent, String parentRelativePath) {

  static PomHeader read(Path file, byte[] bytes) throws AccretionException {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    String artifactId = null;
    boolean hasParent = false;
    String relativePath = "../pom.xml";
    try {
      XMLStreamReader r = factory.createXMLStreamReader(new ByteArrayInputStream(bytes));
      int depth = 0;
      boolean inParent = false;
      while (r.hasNext()) {
        int event = r.next();
        if (event == XMLStreamReader.START_ELEMENT) {
          depth++;
          String name = r.getLocalName();
          if (depth == 1 && !name.equals("project")) {
            throw new AccretionException(
                FailureKind.BAD_INPUT,
                file + ": not a Maven pom (the root element is <" + name + ">, not <project>)",
                "give a pom.xml",
                null);
          }
          if (depth == 2 && name.equals("parent")) {
            hasParent = true;
            inParent = true;
          } else if (depth == 2 && name.equals("artifactId")) {
            artifactId = r.getElementText().strip();
            depth--;
          } else if (depth == 3 && inParent && name.equals("relativePath")) {
            relativePath = r.getElementText().strip();
            depth--;
          }
        } else if (event == XMLStreamReader.END_ELEMENT) {
          if (depth == 2 && r.getLocalName().equals("parent")) {
            inParent = false;
          }
          depth--;
        }
      }
    } catch (XMLStreamException e) {
      int line = e.getLocation() == null ? -1 : e.getLocation().getLineNumber();
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          file + (line > 0 ? ":" + line : "") + ": not well-formed XML: " + e.getMessage(),
          "fix the pom",
          null);
    }
    return new PomHeader(artifactId, hasParent, relativePath);
  }
}
