package dev.stiggsidecar.webhook.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Issues the webhook's own CA and its serving certificate (ECDSA P-256), as PEM, so that the
 * webhook needs no cert-manager. The CA lives ten years; serving certificates one year and are
 * renewed well before they end.
 */
public final class CertificateIssuer {

  static final Duration CA_LIFETIME = Duration.ofDays(3650);
  static final Duration SERVING_LIFETIME = Duration.ofDays(365);

  private final SecureRandom random = new SecureRandom();

  /** PEM certificate and PKCS#8 key. */
  public record Issued(String certificatePem, String privateKeyPem, X509Certificate certificate, KeyPair keys) {}

  public Issued certificateAuthority(String commonName, Instant now) {
    KeyPair keys = keyPair();
    X500Name name = new X500Name("CN=" + commonName);
    try {
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minusSeconds(300)),
          Date.from(now.plus(CA_LIFETIME)), name, keys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      return issued(builder, keys, keys);
    } catch (CertIOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @param hosts DNS names and IP addresses the certificate is for; the first is its common name */
  public Issued serving(Issued authority, List<String> hosts, Instant now) {
    KeyPair keys = keyPair();
    try {
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(authority.certificate(), serial(),
          Date.from(now.minusSeconds(300)), Date.from(now.plus(SERVING_LIFETIME)), new X500Name("CN=" + hosts.get(0)),
          keys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
          .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(hosts.stream()
              .map(host -> new GeneralName(isIpAddress(host) ? GeneralName.iPAddress : GeneralName.dNSName, host))
              .toArray(GeneralName[]::new)));
      return issued(builder, keys, authority.keys());
    } catch (CertIOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** IPv4 dotted quads and IPv6 (which alone contain a colon); anything else is a DNS name. */
  static boolean isIpAddress(String host) {
    return host.contains(":") || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
  }

  private Issued issued(X509v3CertificateBuilder builder, KeyPair subject, KeyPair signer) {
    try {
      X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
      return new Issued(pem(certificate), pem(new JcaPKCS8Generator(subject.getPrivate(), null).generate()),
          certificate, subject);
    } catch (OperatorCreationException | GeneralSecurityException | IOException e) {
      throw new IllegalStateException("could not issue a certificate", e);
    }
  }

  private KeyPair keyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(256, random);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC keys are required of every JVM", e);
    }
  }

  private BigInteger serial() {
    return new BigInteger(127, random).add(BigInteger.ONE);
  }

  private static String pem(Object object) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    }
    return out.toString();
  }
}
