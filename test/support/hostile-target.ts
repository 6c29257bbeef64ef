/**
 * A target that tries to hurt the harness rather than fool it: its answers never end, are huge,
 * never come, or are a 429 forever. A node:http server on 127.0.0.1, port 0; it counts what it
 * was sent and what the harness actually took from it, so a test can assert on bytes and
 * attempts instead of on the harness's RSS.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type HostileMode =
  /** 200 with a JSON body that never ends: one chunk every 50 ms until the harness hangs up. */
  | 'endless-body'
  /**
   * 200 with a body of `hugeBytes` (default 50 MB), written as fast as the harness reads; with a
   * Content-Length unless `chunked`.
   */
  | 'huge-body'
  /** Accepts the connection and the request, and never answers. */
  | 'never-answers'
  /** 429 with `Retry-After: retryAfter` (default "1") to every request. */
  | 'always-429';

export interface HostileOptions {
  hugeBytes?: number;
  chunked?: boolean;
  retryAfter?: string;
}

export interface HostileTarget {
  url: string;
  /** Requests received, in order (method and path). */
  readonly requests: string[];
  /** Body bytes the harness took from the socket (written and flushed before it hung up). */
  readonly bodyBytesSent: number;
  close(): Promise<void>;
}

const CHUNK = Buffer.alloc(64 * 1024, 'x');

export async function startHostileTarget(
  mode: HostileMode,
  opts: HostileOptions = {},
): Promise<HostileTarget> {
  const requests: string[] = [];
  let bodyBytesSent = 0;
  const timers = new Set<NodeJS.Timeout>();

  const serve = (req: IncomingMessage, res: ServerResponse): void => {
    requests.push(`${req.method} ${req.url}`);
    req.resume();
    switch (mode) {
      case 'never-answers':
        return;
      case 'always-429':
        res.writeHead(429, {
          'content-type': 'application/json',
          'retry-after': opts.retryAfter ?? '1',
        });
        res.end('{"error":"rate_limited"}');
        return;
      case 'endless-body': {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"data":"');
        const timer = setInterval(() => {
          res.write('x'.repeat(256), () => (bodyBytesSent += 256));
        }, 50);
        timers.add(timer);
        res.on('close', () => (clearInterval(timer), timers.delete(timer)));
        return;
      }
      case 'huge-body': {
        const total = opts.hugeBytes ?? 50 * 1024 * 1024;
        res.writeHead(200, {
          'content-type': 'application/octet-stream',
          ...(opts.chunked ? {} : { 'content-length': total }),
        });
        let left = total;
        // Written only as fast as the harness reads (backpressure), so bodyBytesSent is what it
        // took, plus what the loopback socket buffers hold.
        const pump = (): void => {
          while (left > 0 && !res.destroyed) {
            const n = Math.min(left, CHUNK.length);
            left -= n;
            const ok = res.write(CHUNK.subarray(0, n), (err) => {
              if (!err) bodyBytesSent += n;
            });
            if (!ok) return void res.once('drain', pump);
          }
          if (left === 0) res.end();
        };
        pump();
        return;
      }
    }
  };

  const server = createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get bodyBytesSent() {
      return bodyBytesSent;
    },
    close: async () => {
      for (const t of timers) clearInterval(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
