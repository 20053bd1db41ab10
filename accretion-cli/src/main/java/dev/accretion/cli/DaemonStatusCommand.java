package dev.accretion.cli;

import dev.accretion.app.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code accretion daemon status}: the build daemons of this user, from their state files. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    versionProvider = Cli.VersionProvider.class,
    description = "List the build daemons: process, directory, builds served, last build.")
final class DaemonStatusCommand implements Callable<Integer> {
  private final Context context;

  @Option(names = "--json", description = "Print JSON on stdout.")
  boolean json;

  DaemonStatusCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() throws IOException {
    Path dir = BuildDaemon.stateDirectory(context.env());
    List<BuildDaemon.Described> daemons = new ArrayList<>();
    for (BuildDaemon.Described d : BuildDaemon.describeAll(context.resolve(dir))) {
      if (d.running()) {
        daemons.add(d);
      }
    }
    PrintWriter out = context.out();
    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("stateDirectory", context.resolve(dir).toString());
      List<Map<String, Object>> list = new ArrayList<>();
      for (BuildDaemon.Described d : daemons) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", d.key());
        m.put("pid", d.pid());
        m.put("port", d.port());
        m.put("directory", d.directory().toString());
        m.put("started", d.started().toString());
        m.put("builds", d.builds());
        m.put("lastBuild", d.lastBuild() == null ? null : d.lastBuild().toString());
        list.add(m);
      }
      doc.put("daemons", list);
      out.println(Json.write(doc));
      return Cli.OK;
    }
    if (daemons.isEmpty()) {
      out.println("No build daemon is running (state directory " + context.resolve(dir) + ").");
      return Cli.OK;
    }
    Table t = new Table("PID", "DIRECTORY", "STARTED", "BUILDS", "LAST BUILD");
    for (BuildDaemon.Described d : daemons) {
      t.row(
          d.pid(),
          d.directory(),
          CatalogSupport.human(d.started()),
          d.builds(),
          CatalogSupport.human(d.lastBuild()));
    }
    t.print(out, "");
    return Cli.OK;
  }
}
