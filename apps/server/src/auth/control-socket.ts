import { chmod, unlink } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import type { Db } from '@grokscope/db';
import { runTokenCommand } from './token-command.ts';

/**
 * The embedded server's token channel. PGlite is opened by one process at a time, so while the server runs the
 * token CLI cannot open the data folder itself; it sends its arguments here instead and the server runs the same
 * command on its own connection. The socket lives in the data folder with mode 0600: whoever may use it could
 * read and write the database files beside it anyway, so it grants nothing new.
 */
export const CONTROL_SOCKET = 'control.sock';

export const controlSocketPath = (dataDir: string) => join(dataDir, CONTROL_SOCKET);

interface ControlRequest {
  argv: string[];
}

export interface ControlReply {
  status: number;
  stdout: string;
  stderr: string;
}

/** Listens on `<dataDir>/control.sock`; a socket left by a crashed server is replaced. */
export async function listenControlSocket(
  dataDir: string,
  db: Db,
  log: (message: string) => void,
): Promise<{ close(): Promise<void> }> {
  const path = controlSocketPath(dataDir);
  if (await answers(path)) throw new Error(`another grokscope server answers on ${path}`);
  await unlink(path).catch(() => {});
  // Half-open: the client ends its side after the request and still reads the reply.
  const server: Server = createServer({ allowHalfOpen: true }, (socket) => {
    let input = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      input += chunk;
      if (input.length > 64 * 1024) socket.destroy(); // a token command is a few dozen bytes
    });
    socket.on('end', () => {
      void (async () => {
        const reply: ControlReply = { status: 0, stdout: '', stderr: '' };
        try {
          const request = JSON.parse(input) as ControlRequest;
          if (!Array.isArray(request.argv) || !request.argv.every((a) => typeof a === 'string')) {
            throw new Error('argv must be a list of strings');
          }
          const io = {
            stdout: { write: (text: string) => (reply.stdout += text) },
            stderr: { write: (text: string) => (reply.stderr += text) },
          };
          reply.status = await runTokenCommand(request.argv, io, db);
          log(`token ${request.argv[0] ?? ''} through the control socket: exit ${reply.status}`);
        } catch (error) {
          reply.status = 1;
          reply.stderr += `grokscope token: ${error instanceof Error ? error.message : String(error)}\n`;
        }
        socket.end(JSON.stringify(reply));
      })();
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  await chmod(path, 0o600);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
      }),
  };
}

/** Whether a server answers on `path` (false: no socket, or one left by a process that is gone). */
/** Whether an embedded server runs on `dataDir` (and so holds its PGlite folder). */
export const serverHoldsDataDir = (dataDir: string): Promise<boolean> => answers(controlSocketPath(dataDir));

function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Sends a token command to a running embedded server. undefined: no server listens (no socket, or a stale one),
 * so the caller may open the data folder itself.
 */
export function sendControlCommand(
  dataDir: string,
  argv: readonly string[],
): Promise<ControlReply | undefined> {
  return new Promise((resolve, reject) => {
    const socket = connect(controlSocketPath(dataDir));
    let output = '';
    let connected = false;
    socket.setEncoding('utf8');
    socket.once('connect', () => {
      connected = true;
      socket.end(JSON.stringify({ argv: [...argv] } satisfies ControlRequest));
    });
    socket.on('data', (chunk: string) => {
      output += chunk;
    });
    socket.on('end', () => {
      try {
        resolve(JSON.parse(output) as ControlReply);
      } catch {
        reject(
          new Error(`the server's control socket answered something unreadable: ${output.slice(0, 200)}`),
        );
      }
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (!connected && (error.code === 'ENOENT' || error.code === 'ECONNREFUSED')) resolve(undefined);
      else reject(error);
    });
  });
}
