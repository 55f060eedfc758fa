package io.github.clusterrun.cluster.readiness;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;

/**
 * Holds once a URL answers a GET with a 2xx status. Proxies are never used: nodes are local.
 *
 * <p>After the first check, and until the URL's port first accepts a connection, each check is only
 * a {@link TcpProbe}: cheap enough to check often, and it never connects a port to itself (see
 * there), which an HTTP client connecting to a port nobody listens on yet could.
 */
public final class HttpProbe implements Probe {
  private static final int TIMEOUT_MS = 2000;

  private final String url;
  private final TcpProbe port;
  private volatile boolean portOpen;
  private int checked;
  private volatile String lastFailure = "";

  public HttpProbe(String url) {
    this.url = url;
    this.port = portOf(url);
  }

  private static TcpProbe portOf(String url) {
    try {
      URI uri = new URI(url);
      int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
      return uri.getHost() == null ? null : new TcpProbe(uri.getHost(), port);
    } catch (URISyntaxException e) {
      return null; // the HTTP client says what is wrong with it
    }
  }

  @Override
  public boolean check() {
    // The first check is HTTP whatever happens: it loads the JVM's HTTP client while the node boots,
    // not once its port is open, when every millisecond counts.
    if (port != null && !portOpen && checked++ > 0) {
      if (!port.check()) {
        lastFailure = port.lastFailure();
        return false;
      }
      portOpen = true; // from now on HTTP alone: no extra connection per check for the node to see
    }
    HttpURLConnection connection = null;
    try {
      connection = (HttpURLConnection) new URL(url).openConnection(Proxy.NO_PROXY);
      connection.setConnectTimeout(TIMEOUT_MS);
      connection.setReadTimeout(TIMEOUT_MS);
      connection.setUseCaches(false);
      connection.setInstanceFollowRedirects(true);
      int status = connection.getResponseCode();
      drain(connection);
      if (status >= 200 && status < 300) {
        return true;
      }
      lastFailure = "HTTP " + status;
      return false;
    } catch (IOException e) {
      lastFailure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return false;
    } finally {
      if (connection != null) {
        connection.disconnect();
      }
    }
  }

  private static void drain(HttpURLConnection connection) {
    try (InputStream in =
        connection.getResponseCode() < 400
            ? connection.getInputStream()
            : connection.getErrorStream()) {
      if (in != null) {
        in.transferTo(OutputStreamSink.INSTANCE);
      }
    } catch (IOException ignored) {
      // The status is what counts.
    }
  }

  @Override
  public String describe() {
    return "http " + url;
  }

  @Override
  public String lastFailure() {
    return lastFailure;
  }

  private static final class OutputStreamSink extends java.io.OutputStream {
    static final OutputStreamSink INSTANCE = new OutputStreamSink();

    @Override
    public void write(int b) {}

    @Override
    public void write(byte[] b, int off, int len) {}
  }
}
