import pg from 'pg';

export interface ListenOptions {
  /** node-postgres client config (the DATABASE_URL). */
  connection: pg.ClientConfig;
  channel: string;
  onNotification(payload: string): void;
  /** Called after LISTEN is re-established: notifications sent while disconnected are lost, fill the gap. */
  onReconnect(): void;
  log?: (message: string) => void;
  /** Backoff between attempts, doubling from min to max. */
  retryDelayMs?: { min: number; max: number };
}

export interface ListenConnection {
  /** Resolves once the first LISTEN is in place. */
  readonly ready: Promise<void>;
  /** The backend pid of the current connection (tests terminate it to simulate a network failure). */
  readonly pid: number | undefined;
  close(): Promise<void>;
}

/**
 * A dedicated connection (outside the pool, which would recycle it) holding LISTEN on one channel, reconnecting
 * with backoff whenever it breaks. TCP keep-alive notices a silently dead peer.
 */
export function createListenConnection(options: ListenOptions): ListenConnection {
  const log = options.log ?? (() => {});
  const delays = options.retryDelayMs ?? { min: 100, max: 5000 };
  let client: pg.Client | undefined;
  let pid: number | undefined;
  let closed = false;
  let connectedOnce = false;
  let delay = delays.min;
  let timer: NodeJS.Timeout | undefined;
  let resolveReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    resolveReady = resolve;
  });

  const scheduleRetry = () => {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void attempt();
    }, delay);
    delay = Math.min(delay * 2, delays.max);
  };

  async function attempt(): Promise<void> {
    if (closed) return;
    const next = new pg.Client({
      ...options.connection,
      keepAlive: true,
      application_name: 'grokscope-listen',
    });
    let broken = false;
    const onBroken = (reason: string) => {
      if (broken) return;
      broken = true;
      if (client === next) {
        client = undefined;
        pid = undefined;
      }
      next.removeAllListeners('notification');
      next.end().catch(() => {});
      if (!closed) {
        log(`LISTEN connection lost (${reason}); reconnecting`);
        scheduleRetry();
      }
    };
    next.on('error', (error) => onBroken(String(error)));
    next.on('end', () => onBroken('ended'));
    next.on('notification', (message) => {
      if (message.channel === options.channel && message.payload !== undefined) {
        options.onNotification(message.payload);
      }
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${pg.escapeIdentifier(options.channel)}`);
      const row = await next.query<{ pid: number }>('select pg_backend_pid() as pid');
      if (closed || broken) {
        await next.end().catch(() => {});
        return;
      }
      client = next;
      pid = row.rows[0]?.pid;
      delay = delays.min;
      if (connectedOnce) {
        log('LISTEN connection re-established; filling the gap from the database');
        options.onReconnect();
      }
      connectedOnce = true;
      resolveReady();
    } catch (error) {
      onBroken(String(error));
    }
  }

  void attempt();
  return {
    ready,
    get pid() {
      return pid;
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const current = client;
      client = undefined;
      await current?.end().catch(() => {});
    },
  };
}
