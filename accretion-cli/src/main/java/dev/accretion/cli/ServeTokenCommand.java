package dev.accretion.cli;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.server.AccretionServer;
import dev.accretion.server.Scope;
import dev.accretion.server.Tokens;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code accretion serve token create|ls|revoke}: the service's bearer tokens. */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    versionProvider = Cli.VersionProvider.class,
    usageHelpAutoWidth = true,
    description = {
      "Create, list and revoke the service's bearer tokens. Only a token's hash is stored: the"
          + " token itself is printed once, by create.",
    },
    subcommands = {
      ServeTokenCommand.Create.class,
      ServeTokenCommand.Ls.class,
      ServeTokenCommand.Revoke.class
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  TOKEN=$(accretion serve token create --scope write --name ci)",
      "  accretion serve token ls",
      "  accretion serve token revoke ci",
    })
final class ServeTokenCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "Missing a token command: create, ls or revoke.");
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      usageHelpAutoWidth = true,
      description = {
        "Create a token and print it (only it) on stdout, once. Scopes: read (GET), write (also"
            + " define and build layers), admin (also definitions whose builder runs code).",
      },
      footerHeading = "%nExample:%n",
      footer = {"  accretion serve token create --scope read --name dashboard"})
  static final class Create implements Callable<Integer> {
    private final Context context;

    @Option(
        names = "--scope",
        required = true,
        paramLabel = "read|write|admin",
        description = "What the token may do.")
    String scope;

    @Option(names = "--name", paramLabel = "NAME", description = "A name to list and revoke it by.")
    String name;

    @Mixin ServeOptions storage;

    Create(Context context) {
      this.context = context;
    }

    @Override
    public Integer call() throws AccretionException {
      Scope s = Scope.of(scope);
      if (s == null) {
        throw new AccretionException(
            FailureKind.USAGE, "--scope '" + scope + "': one of read, write, admin", null, null);
      }
      try (AccretionServer.TokenAdmin admin =
          AccretionServer.TokenAdmin.open(storage.config(context))) {
        Tokens.Created created = admin.create(s, name);
        context.out().println(created.token());
        context
            .err()
            .println("token " + created.name() + " (" + s.id() + ", id " + created.id() + ")");
      }
      return Cli.OK;
    }
  }

  @Command(
      name = "ls",
      mixinStandardHelpOptions = true,
      usageHelpAutoWidth = true,
      description = {"List the tokens: id, name, scope, created, revoked (never the token)."})
  static final class Ls implements Callable<Integer> {
    private final Context context;

    @Mixin ServeOptions storage;

    Ls(Context context) {
      this.context = context;
    }

    @Override
    public Integer call() throws AccretionException {
      try (AccretionServer.TokenAdmin admin =
          AccretionServer.TokenAdmin.open(storage.config(context))) {
        for (Tokens.Info i : admin.list()) {
          context
              .out()
              .printf(
                  "%s  %-20s %-6s created %s%s%n",
                  i.id(),
                  i.name(),
                  i.scope().id(),
                  i.created(),
                  i.revoked() == null ? "" : "  revoked " + i.revoked());
        }
      }
      return Cli.OK;
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      usageHelpAutoWidth = true,
      description = {"Revoke a token by its id or name; it stops working at once."})
  static final class Revoke implements Callable<Integer> {
    private final Context context;

    @Parameters(paramLabel = "ID|NAME", description = "The token's id or name.")
    String token;

    @Mixin ServeOptions storage;

    Revoke(Context context) {
      this.context = context;
    }

    @Override
    public Integer call() throws AccretionException {
      try (AccretionServer.TokenAdmin admin =
          AccretionServer.TokenAdmin.open(storage.config(context))) {
        Tokens.Info i = admin.revoke(token);
        context.out().println("revoked " + i.name() + " (" + i.id() + ")");
      }
      return Cli.OK;
    }
  }
}
