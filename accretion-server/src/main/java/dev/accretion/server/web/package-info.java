/**
 * The dashboard: a static HTML/JS app served at {@code /} by the service itself, reading and
 * writing through the public {@code /api/v1} with the user's bearer token.
 */
package dev.accretion.server.web;
