package dev.stiggsidecar.webhook.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509KeyManager;

/**
 * Reads a serving certificate chain and its PKCS#8 private key (RSA or EC) from PEM files, as a
 * Kubernetes TLS Secret mounts them ({@code tls.crt}, {@code tls.key}).
 */
public final class PemKeyMaterial {

  private static final Pattern KEY = Pattern.compile(
      "-----BEGIN PRIVATE KEY-----(.+?)-----END PRIVATE KEY-----", Pattern.DOTALL);

  private PemKeyMaterial() {}

  public static X509KeyManager load(Path certificateChain, Path privateKey) throws IOException, GeneralSecurityException {
    List<X509Certificate> chain = certificates(Files.readString(certificateChain, StandardCharsets.US_ASCII),
        certificateChain.toString());
    PrivateKey parsed = privateKey(Files.readString(privateKey, StandardCharsets.US_ASCII), privateKey.toString());
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("serving", parsed, new char[0], chain.toArray(Certificate[]::new));
    KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(store, new char[0]);
    return (X509KeyManager) factory.getKeyManagers()[0];
  }

  /** Certificates in PEM form, leaf first; at least one. */
  static List<X509Certificate> certificates(String pem, String source) throws GeneralSecurityException {
    Collection<? extends Certificate> chain = CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    if (chain.isEmpty()) {
      throw new GeneralSecurityException(source + ": no certificate in PEM form");
    }
    return chain.stream().map(X509Certificate.class::cast).toList();
  }

  /** A PKCS#8 private key in PEM form, RSA or EC. */
  static PrivateKey privateKey(String pem, String source) throws GeneralSecurityException {
    Matcher key = KEY.matcher(pem);
    if (!key.find()) {
      throw new GeneralSecurityException(source + ": expected a PKCS#8 key (-----BEGIN PRIVATE KEY-----); "
          + "convert with: openssl pkcs8 -topk8 -nocrypt -in key.pem");
    }
    return parse(Base64.getMimeDecoder().decode(key.group(1)), source);
  }

  private static PrivateKey parse(byte[] der, String source) throws GeneralSecurityException {
    for (String algorithm : new String[] {"RSA", "EC"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException notThisAlgorithm) {
        // try the next one
      }
    }
    throw new GeneralSecurityException(source + ": not an RSA or EC private key");
  }
}
