package dev.accretion.python.index;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HTTP basic credentials for index hosts, from the userinfo of configured URLs (kept per host and
 * port, as pip's {@code MultiDomainBasicAuth} does) and from a netrc file (per host name, as
 * requests does). Thread-safe.
 */
final class Credentials {
  /** A user name and password. */
  record Login(String user, String password) {
    String authorizationHeader() {
      String pair = user + ":" + (password == null ? "" : password);
      return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }
  }

  private final Map<String, Login> byNetloc = new ConcurrentHashMap<>();
  private final Map<String, Login> netrc;
  private final Login netrcDefault;

  private Credentials(Map<String, Login> netrc, Login netrcDefault) {
    this.netrc = netrc;
    this.netrcDefault = netrcDefault;
  }

  static Credentials none() {
    return new Credentials(Map.of(), null);
  }

  /**
   * Credentials with a netrc file: {@code NETRC} from the environment, else {@code ~/.netrc}. A
   * missing file means no netrc credentials.
   */
  static Credentials withNetrc(Path netrcFile) {
    if (netrcFile == null || !Files.isRegularFile(netrcFile)) {
      return none();
    }
    String text;
    try {
      text = Files.readString(netrcFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return none();
    }
    Map<String, Login> machines = new LinkedHashMap<>();
    Login[] defaultLogin = new Login[1];
    parseNetrc(text, machines, defaultLogin);
    return new Credentials(machines, defaultLogin[0]);
  }

  /** The netrc file requests would read: {@code $NETRC}, else {@code ~/.netrc}. */
  static Path netrcPath(Map<String, String> env, Path home) {
    String fromEnv = env.get("NETRC");
    if (fromEnv != null && !fromEnv.isEmpty()) {
      return Path.of(fromEnv);
    }
    return home.resolve(".netrc");
  }

  /** Remembers the userinfo of a configured URL for every later request to its host and port. */
  void remember(URI url) {
    Login login = fromUserInfo(url);
    if (login != null) {
      byNetloc.put(netloc(url), login);
    }
  }

  /** The login to send with a request to {@code url}, if any. */
  Optional<Login> forUrl(URI url) {
    Login inUrl = fromUserInfo(url);
    if (inUrl != null) {
      return Optional.of(inUrl);
    }
    Login known = byNetloc.get(netloc(url));
    if (known != null) {
      return Optional.of(known);
    }
    String host = url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT);
    Login fromNetrc = netrc.get(host);
    if (fromNetrc != null) {
      return Optional.of(fromNetrc);
    }
    return Optional.ofNullable(host.isEmpty() ? null : netrcDefault);
  }

  /** The URL without userinfo (the rest of the URL kept byte for byte). */
  static URI strip(URI url) {
    String userInfo = url.getRawUserInfo();
    if (userInfo == null) {
      return url;
    }
    String text = url.toString();
    int start = text.indexOf("//") + 2;
    if (start < 2 || !text.startsWith(userInfo + "@", start)) {
      throw new IllegalArgumentException("cannot remove credentials from " + redact(url));
    }
    return URI.create(text.substring(0, start) + text.substring(start + userInfo.length() + 1));
  }

  /** The URL for messages: the password replaced by {@code ****}. */
  static String redact(URI url) {
    String userInfo = url.getRawUserInfo();
    if (userInfo == null) {
      return url.toString();
    }
    int colon = userInfo.indexOf(':');
    String shown = colon < 0 ? userInfo : userInfo.substring(0, colon) + ":****";
    return url.toString().replace(userInfo + "@", shown + "@");
  }

  private static Login fromUserInfo(URI url) {
    String userInfo = url.getRawUserInfo();
    if (userInfo == null || userInfo.isEmpty()) {
      return null;
    }
    int colon = userInfo.indexOf(':');
    if (colon < 0) {
      // pip treats "token@host" as a user name with an empty password
      return new Login(SimplePageParser.percentDecode(userInfo), "");
    }
    return new Login(
        SimplePageParser.percentDecode(userInfo.substring(0, colon)),
        SimplePageParser.percentDecode(userInfo.substring(colon + 1)));
  }

  private static String netloc(URI url) {
    String host = url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT);
    int port = url.getPort();
    if (port < 0) {
      port = "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    }
    return host + ":" + port;
  }

  /** The netrc(5) format: machine/default entries with login, password, account; macdef skipped. */
  static void parseNetrc(String text, Map<String, Login> machines, Login[] defaultLogin) {
    List<String> tokens = tokens(text);
    int i = 0;
    while (i < tokens.size()) {
      String token = tokens.get(i++);
      String machine;
      if (token.equals("machine") && i < tokens.size()) {
        machine = tokens.get(i++).toLowerCase(Locale.ROOT);
      } else if (token.equals("default")) {
        machine = null;
      } else if (token.equals("macdef")) {
        // a macro body runs to the next blank line; the tokenizer marks it with an empty token
        while (i < tokens.size() && !tokens.get(i).isEmpty()) {
          i++;
        }
        continue;
      } else {
        continue;
      }
      String login = null;
      String password = null;
      while (i < tokens.size()) {
        String key = tokens.get(i);
        if (key.equals("machine") || key.equals("default") || key.equals("macdef")) {
          break;
        }
        i++;
        if (key.isEmpty() || i >= tokens.size()) {
          continue;
        }
        switch (key) {
          case "login", "user" -> login = tokens.get(i++);
          case "password" -> password = tokens.get(i++);
          case "account" -> i++;
          default -> {
            // unknown tokens are ignored, as curl and Python do
          }
        }
      }
      Login entry = new Login(login == null ? "" : login, password == null ? "" : password);
      if (machine == null) {
        if (defaultLogin[0] == null) {
          defaultLogin[0] = entry;
        }
      } else {
        machines.putIfAbsent(machine, entry);
      }
    }
  }

  /** Whitespace-separated tokens, {@code "quoted"} allowed, {@code #} comment lines dropped. */
  private static List<String> tokens(String text) {
    List<String> tokens = new ArrayList<>();
    for (String rawLine : text.split("\r?\n", -1)) {
      String line = rawLine.strip();
      if (line.isEmpty()) {
        tokens.add("");
        continue;
      }
      if (line.startsWith("#")) {
        continue;
      }
      int i = 0;
      while (i < line.length()) {
        char c = line.charAt(i);
        if (Character.isWhitespace(c)) {
          i++;
          continue;
        }
        StringBuilder token = new StringBuilder();
        if (c == '"') {
          i++;
          while (i < line.length() && line.charAt(i) != '"') {
            if (line.charAt(i) == '\\' && i + 1 < line.length()) {
              i++;
            }
            token.append(line.charAt(i++));
          }
          i++;
        } else {
          while (i < line.length() && !Character.isWhitespace(line.charAt(i))) {
            token.append(line.charAt(i++));
          }
        }
        tokens.add(token.toString());
      }
    }
    return tokens;
  }
}
