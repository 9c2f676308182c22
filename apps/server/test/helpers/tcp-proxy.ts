import { createConnection, createServer, type Socket } from 'node:net';

export interface TcpProxy {
  /** The loopback port clients connect to instead of the upstream one. */
  port: number;
  /** Simulates an outage: every open connection is destroyed and new ones are dropped as they arrive. */
  cut(): void;
  /** Ends the outage: new connections reach the upstream again. */
  restore(): void;
  /** Connections accepted while cut (each dropped at once): proof that clients kept trying. */
  readonly refused: number;
  close(): Promise<void>;
}

/**
 * A TCP relay on a free loopback port to `upstream`, so a test can take a database away from one server without
 * stopping the shared database service other tests use.
 */
export async function startTcpProxy(upstream: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let isCut = false;
  let refused = 0;
  const server = createServer((client) => {
    if (isCut) {
      refused += 1;
      client.destroy();
      return;
    }
    const target = createConnection(upstream);
    open.add(client);
    open.add(target);
    const drop = () => {
      client.destroy();
      target.destroy();
      open.delete(client);
      open.delete(target);
    };
    client.on('error', drop).on('close', drop);
    target.on('error', drop).on('close', drop);
    client.pipe(target);
    target.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no TCP address');
  return {
    port: address.port,
    cut() {
      isCut = true;
      for (const socket of open) socket.destroy();
      open.clear();
    },
    restore() {
      isCut = false;
    },
    get refused() {
      return refused;
    },
    close() {
      for (const socket of open) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
