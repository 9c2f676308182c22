import {
  type Db,
  getRun,
  listRuns,
  pgNotify,
  readReports,
  type StoredReport,
  TERMINAL_STATUSES,
} from '@grokscope/db';
import type { Topics } from '@grokscope/schema';
import type { StepReport } from '@grokscope/trainer';
import type pg from 'pg';
import { createListenConnection, type ListenConnection } from './listen-connection.ts';
import { createLocalFanout } from './local-fanout.ts';
import {
  CHANNEL,
  decodeNotification,
  encodeNotification,
  type Notification,
  reportsNotification,
  statusNotification,
} from './notification.ts';
import type { ServerPubSub } from './pubsub.ts';

export interface PgNotifyOptions {
  db: Db;
  /** Config for the dedicated LISTEN connection. */
  connection: pg.ClientConfig;
  log?: (message: string) => void;
  retryDelayMs?: { min: number; max: number };
}

export interface PgNotifyPubSub extends ServerPubSub {
  /** The LISTEN connection's backend pid, for tests that break it. */
  readonly listenPid: number | undefined;
}

const READ_PAGE = 500;

/**
 * Team-mode pub/sub over PostgreSQL LISTEN/NOTIFY: every instance LISTENs on one channel and hands what arrives to
 * its own subscribers, so an event published by any instance reaches subscribers on all of them (the publisher
 * included: there is one delivery path). Notifications carry references (see notification.ts); reports are read
 * here once per notification, for all local subscribers of the run, and only when there are any.
 *
 * Notifications are processed one at a time, in arrival order, which is commit order. For each followed run
 * `delivered` holds the last step handed on; a read always starts there, so a failed read or a notification
 * lost while the LISTEN connection was down is made good by the next read, and after a reconnect every
 * followed run is read up to date at once.
 */
export async function createPgNotifyPubSub(options: PgNotifyOptions): Promise<PgNotifyPubSub> {
  const { db } = options;
  const log = options.log ?? (() => {});
  const delivered = new Map<string, number>();
  /** Runs seen unfinished on the `runs` topic: re-announced after a reconnect in case they finished meanwhile. */
  const unfinished = new Set<string>();
  const fanout = createLocalFanout((topic, key) => {
    if (topic === 'run') delivered.delete(key);
  });

  let chain: Promise<void> = Promise.resolve();
  const enqueue = (task: () => Promise<void>) => {
    chain = chain.then(task).catch((error: unknown) => log(`pub/sub: ${String(error)}`));
  };
  let sends: Promise<void> = Promise.resolve();
  const send = (notification: Notification) => {
    const payload = encodeNotification(notification);
    // One at a time, so NOTIFYs from this instance commit (and arrive) in the order they were published.
    sends = sends
      .then(async () => {
        await pgNotify(db, CHANNEL, payload);
      })
      .catch((error: unknown) => log(`pub/sub: NOTIFY failed: ${String(error)}`));
  };

  async function deliverReports(runId: string, through: number | undefined, ms: Record<string, number> = {}) {
    if (!fanout.hasSubscribers('run', runId)) return;
    for (;;) {
      const since = delivered.get(runId) ?? -1;
      if (through !== undefined && since >= through) return;
      const page = await readReports(db, runId, { sinceStep: since, untilStep: through, limit: READ_PAGE });
      if (page.length === 0) return;
      const reports = page.map((r) => withElapsed(r, ms));
      delivered.set(runId, reports.at(-1)?.step ?? since);
      fanout.deliver('run', runId, { kind: 'reports', runId, reports });
      if (page.length < READ_PAGE) return;
    }
  }

  async function deliverRow(runId: string) {
    if (!fanout.hasSubscribers('runs', runId)) return;
    const row = await getRun(db, runId);
    if (!row) return;
    if (TERMINAL_STATUSES.includes(row.status)) unfinished.delete(runId);
    else unfinished.add(runId);
    fanout.deliver('runs', runId, row);
  }

  async function handle(notification: Notification) {
    if (notification.t === 'reports') {
      // A subscriber that joined after earlier batches starts here; its own replay covers what came before.
      if (!delivered.has(notification.run) && fanout.hasSubscribers('run', notification.run)) {
        delivered.set(notification.run, notification.from - 1);
      }
      await deliverReports(notification.run, notification.to, notification.ms);
    } else if (notification.t === 'status') {
      // Reports committed before the status change come first, even if their notification was lost.
      if (delivered.has(notification.run)) await deliverReports(notification.run, undefined);
      const { run: runId, status, error } = notification;
      fanout.deliver('run', runId, { kind: 'status', runId, status, error });
    } else await deliverRow(notification.run);
  }

  /** After a reconnect: catch every followed run up from the database, and re-announce rows that may have moved. */
  async function fillGap() {
    for (const runId of fanout.keys('run')) {
      await deliverReports(runId, undefined);
      const row = await getRun(db, runId);
      if (row && TERMINAL_STATUSES.includes(row.status)) {
        fanout.deliver('run', runId, { kind: 'status', runId, status: row.status, error: row.error });
      }
    }
    if (fanout.keys('runs').length === 0 && !fanout.hasSubscribers('runs', '*')) return;
    const { rows: active } = await listRuns(db, { first: 100, filter: { status: ['QUEUED', 'RUNNING'] } });
    for (const id of new Set([...unfinished, ...active.map((r) => r.id)])) await deliverRow(id);
  }

  const listen: ListenConnection = createListenConnection({
    connection: options.connection,
    channel: CHANNEL,
    log,
    ...(options.retryDelayMs && { retryDelayMs: options.retryDelayMs }),
    onNotification: (payload) => {
      let notification: Notification;
      try {
        notification = decodeNotification(payload);
      } catch (error) {
        log(`pub/sub: ignoring a malformed notification: ${String(error)}`);
        return;
      }
      enqueue(() => handle(notification));
    },
    onReconnect: () => enqueue(fillGap),
  });
  await listen.ready;

  return {
    get listenPid() {
      return listen.pid;
    },
    transactional: {
      async notifyReports(tx, runId, reports) {
        if (reports.length === 0) return;
        const payload = encodeNotification(reportsNotification(runId, reports));
        await pgNotify(tx, CHANNEL, payload);
      },
    },
    publish<T extends keyof Topics>(topic: T, key: string, event: Topics[T]) {
      if (topic === 'runs') return send({ t: 'row', run: key });
      const runEvent = event as Topics['run'];
      if (runEvent.kind === 'status') send(statusNotification(key, runEvent.status, runEvent.error));
      else if (runEvent.reports.length > 0) send(reportsNotification(key, runEvent.reports));
    },
    subscribe: (topic, key, signal) => fanout.subscribe(topic, key, signal),
    async close() {
      await listen.close();
      await sends;
      await chain;
      fanout.endAll();
    },
  };
}

/**
 * Stored reports carry no timing: the notification's when it has one for the step. Without one the field is
 * left out, which runProgress already answers as `elapsedMs: null` (as for replayed steps); a made-up number
 * would be worse than the type's white lie.
 */
function withElapsed(report: StoredReport, ms: Record<string, number>): StepReport {
  const elapsedMs = ms[report.step];
  return (elapsedMs === undefined ? report : { ...report, elapsedMs }) as StepReport;
}
