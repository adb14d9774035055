package dev.stiggsidecar.webhook.tls;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A key manager whose certificate can be swapped while the server runs: new TLS handshakes use
 * the latest certificate, connections in flight keep theirs. {@link #reloadIfChanged()} rereads
 * the files when they change (a mounted Secret changes by an atomic symlink swap); a bad new pair
 * is logged and the previous one kept, so a broken rotation never takes the webhook down.
 */
public final class ReloadingKeyManager extends X509ExtendedKeyManager {

  private static final Logger log = LoggerFactory.getLogger(ReloadingKeyManager.class);

  private final Path certificateChain;
  private final Path privateKey;
  private final AtomicReference<X509KeyManager> current = new AtomicReference<>();
  private volatile FileTime loadedVersion;

  public ReloadingKeyManager(Path certificateChain, Path privateKey) throws Exception {
    this.certificateChain = certificateChain;
    this.privateKey = privateKey;
    this.loadedVersion = version();
    current.set(PemKeyMaterial.load(certificateChain, privateKey));
  }

  /** @return whether a new certificate was loaded */
  public boolean reloadIfChanged() {
    try {
      FileTime version = version();
      if (version.equals(loadedVersion)) {
        return false;
      }
      current.set(PemKeyMaterial.load(certificateChain, privateKey));
      loadedVersion = version;
      log.info("serving certificate reloaded from {}", certificateChain);
      return true;
    } catch (Exception e) {
      log.warn("serving certificate not reloaded, keeping the previous one: {}", e.getMessage());
      return false;
    }
  }

  private FileTime version() throws IOException {
    FileTime cert = Files.getLastModifiedTime(certificateChain.toRealPath());
    FileTime key = Files.getLastModifiedTime(privateKey.toRealPath());
    return cert.compareTo(key) > 0 ? cert : key;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return current.get().getClientAliases(keyType, issuers);
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return current.get().chooseClientAlias(keyType, issuers, socket);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return current.get().getServerAliases(keyType, issuers);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return current.get().chooseServerAlias(keyType, issuers, socket);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    X509KeyManager manager = current.get();
    return manager instanceof X509ExtendedKeyManager extended
        ? extended.chooseEngineServerAlias(keyType, issuers, engine)
        : manager.chooseServerAlias(keyType, issuers, null);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return current.get().getCertificateChain(alias);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return current.get().getPrivateKey(alias);
  }
}
