package dev.accretion.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The documented JSON documents of the use cases: Jackson's pretty printer (two-space indent,
 * {@code "key" : value}), maps in their insertion order, so the bytes of a document depend only on
 * its content. Every result's {@code toJson()} goes through here; the CLI prints it as it is and
 * the service sends it as it is.
 */
public final class Json {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Json() {}

  /** A tree of maps (insertion order), lists, strings, numbers, booleans and nulls as JSON text. */
  public static String write(Object tree) {
    try {
      return MAPPER.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a result tree holds a value JSON cannot write", e);
    }
  }

  /** JSON text already checked elsewhere (a manifest), as a tree to embed in a document. */
  public static JsonNode tree(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("JSON that was parsed before is no longer JSON", e);
    }
  }
}
