package dev.accretion.cli;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The response check the service tests rely on catches what it must. */
class OpenApiCheckTest {
  private static ServiceProcess.Response json(int status, String type, String body) {
    return new ServiceProcess.Response(status, type, body, Map.of());
  }

  @Test
  void documentedResponse_passes() throws Exception {
    assertThatCode(
            () ->
                OpenApiCheck.validate(
                    OpenApiCheck.bundled(),
                    "GET",
                    "/api/v1/builds/abc",
                    json(
                        404,
                        "application/problem+json",
                        "{\"type\":\"t\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"x\"}")))
        .doesNotThrowAnyException();
  }

  @Test
  void bodyAgainstTheSchema_wrongTypeOrMissingField_fails() {
    assertThatThrownBy(
            () ->
                OpenApiCheck.validate(
                    OpenApiCheck.bundled(),
                    "POST",
                    "/api/v1/layers/x/builds",
                    json(202, "application/json", "{\"id\":\"1\",\"status\":\"running\"}")))
        .isInstanceOf(AssertionError.class);
    assertThatThrownBy(
            () ->
                OpenApiCheck.validate(
                    OpenApiCheck.bundled(),
                    "GET",
                    "/api/v1/layers/x/arn",
                    json(200, "application/json", "{\"region\":\"us-east-1\"}")))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void wrongContentType_fails() {
    assertThatThrownBy(
            () ->
                OpenApiCheck.validate(
                    OpenApiCheck.bundled(),
                    "GET",
                    "/api/v1/layers",
                    json(401, "text/html", "<html/>")))
        .isInstanceOf(AssertionError.class);
  }
}
