package io.github.clusterrun.cluster.readiness;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.Proxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Holds once a URL answers a GET with a 2xx status. Proxies are never used: nodes are local.
 *
 * <p>A connection refused by a closed port is free and seen by nobody, so until the port accepts the
 * checks come as often as the waiter's. An {@code http} URL is asked directly: its socket is bound
 * first to a port other than the URL's, so that it never connects the port to itself (see {@link
 * TcpProbe}), and the request is the node's one connection per check. Where the JDK's client asks
 * ({@code https}), which could connect a port to itself, each check after the first is only a {@link
 * TcpProbe} until the port first accepts: one bare connection the node sees.
 *
 * <p>Once the port accepts, each check is a request, which the node sees (it logs it, queues it,
 * answers it): a request that fails (not 2xx, reset, no answer) is not asked again before {@link
 * #pauseAfterFailure}, a tenth of the time waited so far, between {@value #MIN_PAUSE_MS} and
 * {@value #MAX_PAUSE_MS} ms. A node answering 503 for 3 s from its launch gets ~40 requests, for
 * 60 s ~270 (fewer when its port opens later: the pauses count from the first check), and
 * the one that says it is ready comes at most a tenth of the time waited (at least {@value
 * #MIN_PAUSE_MS} ms, plus a poll) after it turned healthy.
 *
 * <p>An {@code http} URL is asked on a plain, non-blocking socket: one {@code GET} with {@code
 * Connection: close}; a check that finds no answer yet returns at once and the next one reads on, so
 * a node slow to answer holds none of the few checking threads; once the status line has come, what
 * has come of the rest is read and the connection closed. The JDK's HTTP client blocks its thread
 * for the answer, and takes ~10 ms for its first one in a JVM where it has not run yet, which is the
 * one that says a node is ready. A redirect (3xx), and {@code https}, go through the JDK's client,
 * which follows redirects and speaks TLS.
 */
public final class HttpProbe implements Probe {
  private static final int TIMEOUT_MS = 2000;
  /** The most of an answer read after its status line before the connection is closed. */
  private static final int MAX_READ = 1 << 16;
  private static final int NO_RAW = -2;
  static final long MIN_PAUSE_MS = 20;
  static final long MAX_PAUSE_MS = 250;

  private final String url;
  private final TcpProbe port;
  /** The plain-socket request, or null where the JDK's client asks (https, unparsable URL). */
  private final Raw raw;
  private volatile boolean portOpen;
  /** When the first check ran ({@link System#nanoTime}): the time waited counts from then. */
  private long firstCheckNanos;
  private boolean checked;
  /** No request before this ({@link System#nanoTime}) after one failed; valid once one failed. */
  private long notBeforeNanos;
  private boolean backingOff;
  private volatile String lastFailure = "";

  public HttpProbe(String url) {
    this.url = url;
    this.port = portOf(url);
    this.raw = Raw.of(url);
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

  /** Loads what the HTTP check needs while the node boots, not once its port is open. */
  @Override
  public void prepare() {
    if (raw != null) {
      Raw.warmUp();
    }
  }

  @Override
  public synchronized boolean check() {
    long now = System.nanoTime();
    // The first check asks whatever happens (an http:// URL is asked at every check): at the node's
    // launch its port is almost always closed (a refused connect, free), and were it open, the
    // request is the one connection it sees.
    if (!checked) {
      checked = true;
      firstCheckNanos = now;
    } else if (raw == null && port != null && !portOpen) {
      if (!port.check()) {
        lastFailure = port.lastFailure();
        return false;
      }
      portOpen = true; // from now on HTTP alone: no extra connection per check for the node to see
    }
    if (backingOff && now - notBeforeNanos < 0) {
      return false; // lastFailure still says why the last request failed
    }
    backingOff = false;
    int outcome = ask();
    portOpen |= raw != null && raw.accepted();
    if (outcome == FAILED && (portOpen || port == null)) {
      backingOff = true;
      notBeforeNanos = System.nanoTime() + pauseAfterFailure(now - firstCheckNanos);
    }
    return outcome == HELD;
  }

  /**
   * The pause before the next request after one failed, {@code waited} ns after the first check: a
   * tenth of that, between {@value #MIN_PAUSE_MS} and {@value #MAX_PAUSE_MS} ms. So the requests
   * thin out as the wait grows (a tenth each time: ~10 in the first 0.2 s, then ~25 per tenfold of
   * the time), and the node is found ready at most a tenth of the time it took, or {@value
   * #MIN_PAUSE_MS} ms, after it is.
   */
  static long pauseAfterFailure(long waited) {
    long min = TimeUnit.MILLISECONDS.toNanos(MIN_PAUSE_MS);
    long max = TimeUnit.MILLISECONDS.toNanos(MAX_PAUSE_MS);
    return Math.max(min, Math.min(max, waited / 10));
  }

  private static final int HELD = 1;
  private static final int FAILED = 0;
  private static final int WAITING = -1;

  /**
   * Sends the request or reads on the answer: {@link #HELD} for a 2xx answer, {@link #WAITING} while
   * it has not come, {@link #FAILED} otherwise, {@link #lastFailure} saying why.
   */
  private int ask() {
    int status;
    try {
      status = raw != null ? raw.poll() : NO_RAW;
      if (status == Raw.PENDING) {
        lastFailure = "no answer yet";
        return WAITING; // asked again at the next check, which meanwhile serves the other nodes
      }
      if (status == NO_RAW || (status >= 300 && status < 400)) {
        status = viaJdkClient(); // https, or a redirect to follow
      }
    } catch (IOException e) {
      lastFailure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return FAILED;
    }
    portOpen = true; // an answer came: the port accepts
    if (status >= 200 && status < 300) {
      return HELD;
    }
    lastFailure = "HTTP " + status;
    return FAILED;
  }

  /** Whether the last check sent a request whose answer has not come yet (tests). */
  boolean awaitingAnswer() {
    return raw != null && raw.pending();
  }

  private int viaJdkClient() throws IOException {
    HttpURLConnection connection = null;
    try {
      connection = (HttpURLConnection) new URL(url).openConnection(Proxy.NO_PROXY);
      connection.setConnectTimeout(TIMEOUT_MS);
      connection.setReadTimeout(TIMEOUT_MS);
      connection.setUseCaches(false);
      connection.setInstanceFollowRedirects(true);
      int status = connection.getResponseCode();
      drain(connection);
      return status;
    } finally {
      if (connection != null) {
        connection.disconnect();
      }
    }
  }

  /**
   * A GET of an {@code http} URL on a plain, non-blocking socket: {@link #poll} sends the request
   * and returns at once; each later call reads what has come, until the status line has. So a node
   * that is slow to answer (dozens booting on two cores) holds no checking thread, and the other
   * nodes' checks go on meanwhile.
   */
  static final class Raw {
    /** What {@link #poll} returns while the answer is on its way. */
    static final int PENDING = -1;

    private final String host;
    private final int port;
    private final byte[] request;
    private SocketChannel channel;
    private ByteBuffer out;
    private ByteBuffer in;
    private long sentAt;
    private boolean accepted;

    private Raw(String host, int port, byte[] request) {
      this.host = host;
      this.port = port;
      this.request = request;
    }

    private static final AtomicBoolean WARM = new AtomicBoolean();

    /**
     * Once per JVM: one request to a server of its own, so that the code that reads an answer has
     * run before a node's first answer, which is the one that says it is ready (~8 ms otherwise).
     */
    static void warmUp() {
      if (!WARM.compareAndSet(false, true)) {
        return;
      }
      try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        Thread answering =
            new Thread(
                () -> {
                  try (Socket s = server.accept()) {
                    s.getInputStream().read(new byte[1024]);
                    s.getOutputStream()
                        .write("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                  } catch (IOException ignored) {
                    // only a warm-up
                  }
                },
                "cluster-http-warm-up");
        answering.setDaemon(true);
        answering.start();
        Raw raw = of("http://" + server.getInetAddress().getHostAddress() + ":" + server.getLocalPort() + "/");
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (raw.poll() == PENDING && System.nanoTime() - deadline < 0) {
          LockSupport.parkNanos(100_000);
        }
        raw.release();
        answering.join(TIMEOUT_MS);
      } catch (IOException | InterruptedException | RuntimeException ignored) {
        // only a warm-up
      }
    }

    /** The request of {@code url}, or null when the JDK's client must ask (not plain http). */
    static Raw of(String url) {
      try {
        URI uri = new URI(url);
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getRawUserInfo() != null) {
          return null;
        }
        String host = uri.getHost();
        int port = uri.getPort() >= 0 ? uri.getPort() : 80;
        String target =
            (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        String head =
            "GET " + target + " HTTP/1.1\r\n"
                + "Host: " + host + (uri.getPort() >= 0 ? ":" + port : "") + "\r\n"
                + "User-Agent: cluster-maven-plugin\r\n"
                + "Accept: */*\r\n"
                + "Connection: close\r\n\r\n";
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return new Raw(literal, port, head.getBytes(StandardCharsets.US_ASCII));
      } catch (URISyntaxException e) {
        return null;
      }
    }

    /** Whether the port has accepted one of this probe's connections. */
    synchronized boolean accepted() {
      return accepted;
    }

    synchronized boolean pending() {
      return channel != null;
    }

    /**
     * Sends the request, or goes on with the one sent: the status of the answer once its status
     * line has come (the connection then closed), {@link #PENDING} while it has not, an IOException
     * when the connection fails, the answer is not HTTP, or none came within the timeout.
     */
    synchronized int poll() throws IOException {
      try {
        if (channel == null) {
          channel = openOffThePort();
          channel.configureBlocking(false);
          out = ByteBuffer.wrap(request);
          in = ByteBuffer.allocate(8192);
          sentAt = System.nanoTime();
          channel.connect(new InetSocketAddress(host, port));
        }
        if (channel.isConnectionPending() && !channel.finishConnect()) {
          return pendingWithin();
        }
        accepted = true;
        if (out.hasRemaining()) {
          channel.write(out);
          if (out.hasRemaining()) {
            return pendingWithin();
          }
        }
        int read = channel.read(in);
        int eol = indexOf(in, '\n');
        if (eol < 0) {
          if (read < 0 || !in.hasRemaining()) {
            throw new IOException(read < 0 ? "the connection closed without an answer" : "no HTTP status line in the answer");
          }
          return pendingWithin();
        }
        String line = new String(in.array(), 0, eol, StandardCharsets.ISO_8859_1).trim();
        String[] parts = line.split(" ", 3); // HTTP/1.1 200 OK
        if (parts.length < 2 || !parts[0].startsWith("HTTP/") || parts[1].length() != 3) {
          throw new IOException("not an HTTP status line: " + line);
        }
        try {
          return Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
          throw new IOException("not an HTTP status line: " + line, e);
        }
      } catch (IOException e) {
        close();
        throw e;
      } finally {
        if (channel != null && in != null && indexOf(in, '\n') >= 0) {
          close();
        }
      }
    }

    /**
     * A channel bound to a local port other than the one asked: connecting from the asked port to
     * itself while nobody listens on it would connect (TCP simultaneous open) and hold the node's
     * port. While the first channel holds that port, the system cannot give it out again.
     */
    private SocketChannel openOffThePort() throws IOException {
      SocketChannel first = bound();
      if (((InetSocketAddress) first.getLocalAddress()).getPort() != port) {
        return first;
      }
      try (SocketChannel held = first) {
        return bound();
      }
    }

    private static SocketChannel bound() throws IOException {
      SocketChannel c = SocketChannel.open();
      try {
        c.bind(new InetSocketAddress(0));
        return c;
      } catch (IOException e) {
        c.close();
        throw e;
      }
    }

    private int pendingWithin() throws IOException {
      if (System.nanoTime() - sentAt > TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS)) {
        throw new IOException("no answer within " + TIMEOUT_MS + " ms");
      }
      return PENDING;
    }

    /** Closes an exchange still on its way: the wait is over. */
    synchronized void release() {
      close();
    }

    /** Closes the exchange, reading first what has come of the answer (so the node sees a close, not a reset). */
    private void close() {
      try {
        if (channel != null) {
          ByteBuffer rest = ByteBuffer.allocate(MAX_READ);
          while (channel.isConnected() && channel.read(rest) > 0 && rest.hasRemaining()) {
            // drained
          }
          channel.close();
        }
      } catch (IOException ignored) {
        // closed either way
      } finally {
        channel = null;
        in = null;
        out = null;
      }
    }

    private static int indexOf(ByteBuffer buf, char c) {
      byte[] a = buf.array();
      for (int i = 0; i < buf.position(); i++) {
        if (a[i] == c) {
          return i;
        }
      }
      return -1;
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

  /** Closes the request still on its way, if any: the wait is over. */
  @Override
  public synchronized void close() {
    if (raw != null) {
      raw.release();
    }
  }

  private static final class OutputStreamSink extends java.io.OutputStream {
    static final OutputStreamSink INSTANCE = new OutputStreamSink();

    @Override
    public void write(int b) {}

    @Override
    public void write(byte[] b, int off, int len) {}
  }
}
