package dev.accretion.app.efs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accretion.app.Json;
import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The install worker's messages, JSON on SQS (documented in the README, "The install worker").
 *
 * <p>A request: {@code {"type": "accretion.efs.install", "requestId", "listingName", "listing" (the
 * text), "format", "runtime", "architecture", "replyTo"}}. A result: {@code {"type":
 * "accretion.efs.result", "requestId", "status": "installed"|"failed", "attempt", "final", "error",
 * "install"}} where {@code install} is the {@code efs install --json} document.
 */
public final class EfsMessages {
  public static final String REQUEST_TYPE = "accretion.efs.install";
  public static final String RESULT_TYPE = "accretion.efs.result";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** File names a listing may have on the worker (it is written there under this name). */
  private static final Pattern LISTING_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  private EfsMessages() {}

  /** An install request. */
  public record Request(
      String requestId,
      String listingName,
      String listing,
      String format,
      String runtime,
      String architecture,
      String replyTo) {
    public String toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("type", REQUEST_TYPE);
      m.put("requestId", requestId);
      m.put("listingName", listingName);
      m.put("listing", listing);
      m.put("format", format);
      m.put("runtime", runtime);
      m.put("architecture", architecture);
      m.put("replyTo", replyTo);
      return Json.write(m);
    }
  }

  /** A result, as the worker sends it to the request's reply queue. */
  public record Result(
      String requestId,
      boolean installed,
      int attempt,
      Boolean last,
      String error,
      JsonNode install) {
    public String toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("type", RESULT_TYPE);
      m.put("requestId", requestId);
      m.put("status", installed ? "installed" : "failed");
      m.put("attempt", attempt);
      m.put("final", last);
      m.put("error", error);
      m.put("install", install);
      return Json.write(m);
    }
  }

  /**
   * Reads a request.
   *
   * @throws AccretionException a bad-input failure naming what is wrong (a poison message)
   */
  public static Request request(String body) throws AccretionException {
    JsonNode j = parse(body, "install request");
    if (!REQUEST_TYPE.equals(text(j, "type"))) {
      throw bad(
          "the message is not an install request (type '"
              + text(j, "type")
              + "', expected '"
              + REQUEST_TYPE
              + "')");
    }
    String name = text(j, "listingName");
    String listing = text(j, "listing");
    if (name == null || !LISTING_NAME.matcher(name).matches() || name.matches("\\.+")) {
      throw bad("the install request's listingName '" + name + "' is not a plain file name");
    }
    if (listing == null) {
      throw bad("the install request has no listing");
    }
    return new Request(
        text(j, "requestId"),
        name,
        listing,
        text(j, "format"),
        text(j, "runtime"),
        text(j, "architecture"),
        text(j, "replyTo"));
  }

  /** Reads a result; null when the body is not one. */
  public static Result result(String body) {
    JsonNode j;
    try {
      j = MAPPER.readTree(body);
    } catch (IOException e) {
      return null;
    }
    if (j == null || !j.isObject() || !RESULT_TYPE.equals(text(j, "type"))) {
      return null;
    }
    JsonNode last = j.get("final");
    JsonNode install = j.get("install");
    return new Result(
        text(j, "requestId"),
        "installed".equals(text(j, "status")),
        j.path("attempt").asInt(),
        last == null || last.isNull() ? null : last.asBoolean(),
        text(j, "error"),
        install == null || install.isNull() ? null : install);
  }

  static JsonNode tree(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode parse(String body, String what) throws AccretionException {
    try {
      JsonNode j = MAPPER.readTree(body == null ? "" : body);
      if (j == null || !j.isObject()) {
        throw bad("the message is not a JSON object (an " + what + " is one)");
      }
      return j;
    } catch (IOException e) {
      throw bad("the message is not JSON (an " + what + " is): " + firstLine(e.getMessage()));
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "no detail";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static String text(JsonNode j, String field) {
    JsonNode v = j.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static AccretionException bad(String problem) {
    return new AccretionException(
        FailureKind.BAD_INPUT,
        problem,
        "send requests with accretion efs request (README, The install worker)",
        null);
  }
}
