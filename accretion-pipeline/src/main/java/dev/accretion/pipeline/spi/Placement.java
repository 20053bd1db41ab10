package dev.accretion.pipeline.spi;

/**
 * Where packages go in the zip: a layer (extracted to {@code /opt}) or a function package (the
 * function's own code, extracted to {@code /var/task}).
 *
 * <ul>
 *   <li>{@link #LAYER}: the runtime's layer paths: {@code python/} (or {@code
 *       python/lib/python3.X/site-packages}), {@code nodejs/node_modules/}, {@code java/lib/}.
 *   <li>{@link #FUNCTION}: where the runtime looks beside the handler: Python packages at the zip
 *       root, Node.js packages in {@code node_modules/}, Java jars in {@code lib/}.
 * </ul>
 */
public enum Placement {
  LAYER,
  FUNCTION
}
