/**
 * The Java builder: Maven listings (a {@code pom.xml}, a list of coordinates, an Accretion Java
 * lock) resolved in-process with Maven Resolver into {@code java/lib} layers. The entry point is
 * {@link dev.accretion.java.JavaBuilder}, found with {@link java.util.ServiceLoader}.
 */
package dev.accretion.java;
