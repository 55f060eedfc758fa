package it;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** A node of this project: answers its name (from the environment the plugin gives every node). */
public final class Node {
  public static void main(String[] args) throws Exception {
    String name = System.getenv("CLUSTER_NODE_NAME");
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), Integer.parseInt(args[0])), 10);
    server.createContext("/", exchange -> {
      byte[] body = (name + "\n").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    System.out.println(name + " serving on " + args[0] + ", tmpdir " + System.getProperty("java.io.tmpdir"));
  }
}
