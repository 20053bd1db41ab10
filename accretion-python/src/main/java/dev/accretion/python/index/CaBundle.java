package dev.accretion.python.index;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * pip's {@code cert} setting: a PEM file of certificate authorities (one or more {@code BEGIN
 * CERTIFICATE} blocks; text between them, as in certifi's bundle, is ignored) that replaces the
 * default trust for https indexes, as pip does. Used for indexes behind a private or corporate CA.
 */
final class CaBundle {
  static final String REMEDY =
      "fix the path or the file, or remove the setting (cert in pip.conf, PIP_CERT, --cert)";

  private CaBundle() {}

  /**
   * Checks that {@code file} is a readable regular file, without parsing it.
   *
   * @throws IndexException naming the file and the setting otherwise
   */
  static void checkReadable(Path file) throws IndexException {
    if (!Files.exists(file)) {
      throw new IndexException("CA bundle " + file + " does not exist; " + REMEDY);
    }
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IndexException("CA bundle " + file + " is not a readable file; " + REMEDY);
    }
  }

  /**
   * A TLS context that trusts exactly the certificates in {@code file}.
   *
   * @throws IndexException naming the file when it is missing, unreadable, or holds no certificate
   */
  static SSLContext load(Path file) throws IndexException {
    Collection<? extends Certificate> certificates;
    try (InputStream in = Files.newInputStream(file)) {
      certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (NoSuchFileException e) {
      throw new IndexException("CA bundle " + file + " does not exist; " + REMEDY, e);
    } catch (IOException e) {
      throw new IndexException("CA bundle " + file + " cannot be read (" + e + "); " + REMEDY, e);
    } catch (GeneralSecurityException e) {
      throw new IndexException(
          "CA bundle "
              + file
              + " is not a PEM file of certificates ("
              + e.getMessage()
              + "); "
              + REMEDY,
          e);
    }
    if (certificates.isEmpty()) {
      throw new IndexException("CA bundle " + file + " holds no certificate; " + REMEDY);
    }
    try {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate certificate : certificates) {
        trust.setCertificateEntry("ca-" + i++, certificate);
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IndexException(
          "CA bundle " + file + " cannot be used (" + e.getMessage() + "); " + REMEDY, e);
    }
  }
}
