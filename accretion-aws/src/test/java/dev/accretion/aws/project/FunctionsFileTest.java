package dev.accretion.aws.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.runtime.Language;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionsFileTest {
  private static final Path FILE = Path.of("/repo/accretion.toml");
  private static final String ROLE = "arn:aws:iam::123456789012:role/lambda";

  @Test
  void parse_readsEveryKeyAndAppliesDefaults() throws Exception {
    FunctionsFile f =
        FunctionsFile.parse(
            FILE,
            """
            [repository]
            name = "acme/shop"

            [functions."services/orders"]
            runtime = "python3.11"
            handler = "app.handler"
            role = "%s"
            architecture = "arm64"
            memory = 256
            timeout = 30
            environment = { TABLE = "orders", MODE = "prod" }
            layers = ["web-deps", "arn:aws:lambda:us-east-1:123456789012:layer:x:3"]
            name = "orders"

            [functions."./web//"]
            runtime = "nodejs20.x"
            handler = "index.handler"
            role = "%s"
            """
                .formatted(ROLE, ROLE));

    assertThat(f.repositoryName()).isEqualTo("acme/shop");
    assertThat(f.functions()).hasSize(2);
    FunctionsFile.FunctionConfig orders = f.functions().get(0);
    assertThat(orders.path()).isEqualTo("services/orders");
    assertThat(orders.language()).isEqualTo(Language.PYTHON);
    assertThat(orders.architecture()).isEqualTo("arm64");
    assertThat(orders.memory()).isEqualTo(256);
    assertThat(orders.timeout()).isEqualTo(30);
    assertThat(orders.environment())
        .containsExactly(Map.entry("MODE", "prod"), Map.entry("TABLE", "orders"));
    assertThat(orders.layers())
        .containsExactly("web-deps", "arn:aws:lambda:us-east-1:123456789012:layer:x:3");
    assertThat(orders.name()).isEqualTo("orders");
    assertThat(orders.where()).isEqualTo("accretion.toml:4: functions.\"services/orders\"");
    FunctionsFile.FunctionConfig web = f.functions().get(1);
    assertThat(web.path()).isEqualTo("web");
    assertThat(web.language()).isEqualTo(Language.NODEJS);
    assertThat(web.architecture()).isEqualTo("x86_64");
    assertThat(web.memory()).isEqualTo(128);
    assertThat(web.timeout()).isEqualTo(3);
    assertThat(web.environment()).isEmpty();
    assertThat(web.layers()).isEmpty();
    assertThat(web.name()).isNull();
  }

  @Test
  void parse_reportsEveryProblemWithLineAndKey() {
    assertThatThrownBy(
            () ->
                FunctionsFile.parse(
                    FILE,
                    """
                    [functions."../outside"]
                    runtime = "python3.11"
                    handler = "a.b"
                    role = "%s"

                    [functions."svc/a"]
                    runtime = "java21"
                    handler = "a.b"
                    role = "not-a-role"
                    memory = 64
                    timez = 3
                    environment = { AWS_REGION = "x" }

                    [functions."svc/b"]
                    handler = "a.b"
                    role = "%s"
                    layers = ["bad layer!"]
                    """
                        .formatted(ROLE, ROLE)))
        .isInstanceOfSatisfying(
            AccretionException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(FailureKind.BAD_INPUT);
              assertThat(e.problem())
                  .contains("accretion.toml:1: functions.\"../outside\": is not a folder inside")
                  .contains(
                      "accretion.toml:7: functions.\"svc/a\".runtime: 'java21' is not a Python or Node.js runtime")
                  .contains(
                      "accretion.toml:9: functions.\"svc/a\".role: 'not-a-role' is not an IAM role ARN")
                  .contains(
                      "accretion.toml:10: functions.\"svc/a\".memory: must be a whole number from 128 to 10240")
                  .contains("accretion.toml:11: functions.\"svc/a\".timez: unknown key")
                  .contains("functions.\"svc/a\".environment.AWS_REGION: is reserved by Lambda")
                  .contains("accretion.toml:14: functions.\"svc/b\".runtime: missing")
                  .contains("functions.\"svc/b\".layers[0]: must be a managed layer's name");
            });
  }

  @Test
  void parse_refusesAFileWithoutFunctionsAndTwoTablesForOneFolder() {
    assertThatThrownBy(() -> FunctionsFile.parse(FILE, "[layers.x]\nlisting = \"r.txt\"\n"))
        .hasMessageContaining("no function folders: add a [functions.\"<folder>\"] table");
    assertThatThrownBy(
            () ->
                FunctionsFile.parse(
                    FILE,
                    """
                    [functions."a"]
                    runtime = "python3.11"
                    handler = "a.b"
                    role = "%s"
                    [functions."./a"]
                    runtime = "python3.11"
                    handler = "a.b"
                    role = "%s"
                    """
                        .formatted(ROLE, ROLE)))
        .hasMessageContaining("accretion.toml:5: functions.\"./a\": names the same folder as");
  }

  @Test
  void projectFile_acceptsAFileWithOnlyFunctions() throws Exception {
    ProjectFile p =
        ProjectFile.parse(
            FILE,
            "[repository]\nname = \"x\"\n[functions.\"a\"]\nruntime = \"python3.11\"\n",
            Map.of());
    assertThat(p.layers()).isEmpty();
  }

  @Test
  void normalizePath_keepsFoldersInsideTheRepository() {
    assertThat(FunctionsFile.normalizePath("a/b/")).isEqualTo("a/b");
    assertThat(FunctionsFile.normalizePath("./a/./b")).isEqualTo("a/b");
    for (String bad : List.of("/abs", "a/../b", ".", "", "a\\b", ".git/x")) {
      assertThat(FunctionsFile.normalizePath(bad)).as(bad).isNull();
    }
  }
}
