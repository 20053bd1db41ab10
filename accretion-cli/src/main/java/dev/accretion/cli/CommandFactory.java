package dev.accretion.cli;

import java.lang.reflect.Constructor;
import picocli.CommandLine;

/** Creates command objects, handing the {@link Context} to those that take one. */
final class CommandFactory implements CommandLine.IFactory {
  private final Context context;
  private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

  CommandFactory(Context context) {
    this.context = context;
  }

  @Override
  public <K> K create(Class<K> cls) throws Exception {
    for (Constructor<?> constructor : cls.getDeclaredConstructors()) {
      Class<?>[] types = constructor.getParameterTypes();
      if (types.length == 1 && types[0] == Context.class) {
        constructor.setAccessible(true);
        return cls.cast(constructor.newInstance(context));
      }
    }
    return fallback.create(cls);
  }
}
