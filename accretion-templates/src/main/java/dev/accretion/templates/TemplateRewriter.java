package dev.accretion.templates;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Replaces given char ranges of a template's text and leaves every other character as it was:
 * comments, key order, quoting, indentation, line ends and tags are never re-serialized. Templates
 * are read as strict UTF-8, so unchanged text encodes back to the same bytes. Stateless and
 * thread-safe.
 */
public final class TemplateRewriter {
  private TemplateRewriter() {}

  /** Replace {@code text[start, end)} with {@code replacement}. */
  public record Edit(int start, int end, String replacement) {
    public Edit {
      Objects.requireNonNull(replacement, "replacement");
      if (start < 0 || end < start) {
        throw new IllegalArgumentException("bad range " + start + ".." + end);
      }
    }
  }

  /**
   * A template's bytes as text.
   *
   * @param source the file name, for messages
   * @throws AccretionException of kind {@link FailureKind#BAD_INPUT} when the bytes are not UTF-8
   */
  public static String decode(byte[] bytes, String source) throws AccretionException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          source + ": not UTF-8 text",
          "CloudFormation reads templates as UTF-8: save the file as UTF-8",
          e);
    }
  }

  /**
   * The text with each edit applied.
   *
   * @throws IllegalArgumentException if edits overlap or leave the text
   */
  public static String apply(String text, List<Edit> edits) {
    List<Edit> sorted = new ArrayList<>(edits);
    sorted.sort(Comparator.comparingInt(Edit::start));
    StringBuilder out = new StringBuilder(text.length() + 64);
    int at = 0;
    for (Edit e : sorted) {
      if (e.start() < at || e.end() > text.length()) {
        throw new IllegalArgumentException("overlapping or outside edit " + e);
      }
      out.append(text, at, e.start()).append(e.replacement());
      at = e.end();
    }
    out.append(text, at, text.length());
    return out.toString();
  }
}
