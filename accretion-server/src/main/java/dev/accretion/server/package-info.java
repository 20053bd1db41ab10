/** The service shell: HTTP JSON API, bearer tokens, persistent build jobs over accretion-app. */
package dev.accretion.server;
