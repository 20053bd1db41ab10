package dev.accretion.cli;

/** Validates responses against the service's /openapi.json (filled in below). */
final class OpenApiCheck {
  private OpenApiCheck() {}

  static void validate(
      ServiceProcess service, String method, String path, ServiceProcess.Response response) {}
}
