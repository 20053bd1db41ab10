package dev.accretion.server;

import dev.accretion.app.Json;
import dev.accretion.app.service.InvalidDefinition;
import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem the API answers with ({@code application/problem+json}): status, title,
 * detail, and the JSON pointer of the bad field when there is one. The one place where failure
 * kinds become HTTP statuses.
 */
final class ApiProblem extends RuntimeException {
  private final int status;
  private final String type;
  private final String pointer;
  private final String advice;

  ApiProblem(int status, String type, String detail, String pointer, String advice) {
    super(detail, null, false, false);
    this.status = status;
    this.type = type;
    this.pointer = pointer;
    this.advice = advice;
  }

  static ApiProblem badRequest(String pointer, String detail) {
    return new ApiProblem(400, "bad-request", detail, pointer, null);
  }

  static ApiProblem notFound(String detail) {
    return new ApiProblem(404, "not-found", detail, null, null);
  }

  /** The HTTP status of a failure kind: core's table ({@link FailureKind#httpStatus}). */
  static int status(FailureKind kind) {
    return kind.httpStatus();
  }

  static ApiProblem of(AccretionException e) {
    String pointer = e instanceof InvalidDefinition d ? d.pointer() : null;
    return new ApiProblem(status(e.kind()), e.kind().id(), e.problem(), pointer, e.advice());
  }

  int status() {
    return status;
  }

  Map<String, Object> tree() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "https://accretion.dev/problems/" + type);
    m.put("title", title(status));
    m.put("status", status);
    m.put("detail", getMessage());
    if (pointer != null) {
      m.put("pointer", pointer);
    }
    if (advice != null) {
      m.put("advice", advice);
    }
    return m;
  }

  String toJson() {
    return Json.write(tree());
  }

  private static String title(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 409 -> "Conflict";
      case 413 -> "Content Too Large";
      case 415 -> "Unsupported Media Type";
      case 422 -> "Unprocessable Content";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      default -> "Internal Server Error";
    };
  }
}
