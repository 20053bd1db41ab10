package dev.accretion.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The OpenAPI 3.1 document of the API ({@code openapi.json} beside this class). */
final class OpenApi {
  private OpenApi() {}

  private static final class Holder {
    static final String TEXT = load();
  }

  static String document() {
    return Holder.TEXT;
  }

  private static String load() {
    try (InputStream in = OpenApi.class.getResourceAsStream("openapi.json")) {
      if (in == null) {
        throw new IllegalStateException("openapi.json is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
