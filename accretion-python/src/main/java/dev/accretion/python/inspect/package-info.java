/**
 * Python's part of {@code accretion inspect}: distributions recognized from their {@code
 * .dist-info} (and legacy {@code .egg-info}) folders in any layer or function package, their RECORD
 * checked against what is present, and the checks only Python knows (extension modules built for
 * another interpreter, folders the runtime does not search, packages the runtime already provides).
 */
package dev.accretion.python.inspect;
