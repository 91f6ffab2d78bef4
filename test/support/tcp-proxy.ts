// A TCP proxy on loopback for tests of what a client does when its server misbehaves or what it
// asks of it: it forwards connections to a port, counts the bytes and request lines it forwards,
// and holds (stalls) a connection once a request for a path with "/stall/" in it goes through:
// nothing more moves on it either way, and it stays open until the client gives up.
import { connect, createServer, type Server, type Socket } from "node:net";

export interface StallingProxy {
  endpoint: string;
  /** How many connections it has stalled. */
  stalled(): number;
  /** How many bytes it has forwarded to the server. */
  sent(): number;
  /** The HTTP request lines it has forwarded ("GET /bucket/key?x-id=GetObject HTTP/1.1"), in order. */
  requests(): string[];
  close(): Promise<void>;
}

/**
 * A TCP proxy to a port on loopback that forwards every connection until a request for a path with
 * "/stall/" in it goes through: from then on that connection is held open and nothing more moves
 * either way, as a server that has stopped answering.
 */
export async function stallingProxy(target: number): Promise<StallingProxy> {
  const sockets = new Set<Socket>();
  let stalled = 0;
  let sent = 0;
  const requests: string[] = [];
  const server: Server = createServer((client) => {
    const upstream = connect(target, "127.0.0.1");
    sockets.add(client).add(upstream);
    let held = false;
    client.on("data", (chunk: Buffer) => {
      if (!held && /^[A-Z]+ \/[^ ]*\/stall\//m.test(chunk.toString("latin1"))) {
        held = true;
        stalled++;
      }
      if (!held) {
        for (const m of chunk.toString("latin1").matchAll(/^([A-Z]+ \/\S* HTTP\/1\.[01])\r?$/gm)) requests.push(m[1]!);
        sent += chunk.length;
        upstream.write(chunk);
      }
    });
    upstream.on("data", (chunk: Buffer) => {
      if (!held) client.write(chunk);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("close", end).on("error", end);
    // A held connection stays open to the client whatever the server does (MinIO closes a connection
    // idle for about 30 s): the client must find out by its own timeout.
    const upstreamEnded = () => {
      if (!held) end();
      else {
        upstream.destroy();
        sockets.delete(upstream);
      }
    };
    upstream.on("close", upstreamEnded).on("error", upstreamEnded);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stalled: () => stalled,
    sent: () => sent,
    requests: () => [...requests],
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
