/**
 * A target that attacks the person reading the harness's output (issue 12, items 9 and 10): every
 * answer is a 200 whose body opens with terminal control sequences (clear screen, an OSC 8 link,
 * an OSC 0 window title, CR, BEL, NUL, a C1 CSI, bidi overrides) and then echoes each credential
 * the request carried in every form a masking by plain search misses: JSON `\u` escapes (the
 * whole key, its first character only, every other character), percent-encoding, HTML character
 * references, base64, base64url and base64 of `user:secret` (HTTP Basic). A header carries C1
 * bytes and a bidi override's UTF-8 bytes (read as Latin-1 by an HTTP client). Asked
 * GET /__mock/health, it names a profile made of the same control sequences.
 *
 * A node:http server on 127.0.0.1, port 0. It keeps every body it sent, so a test can show that
 * its own search finds the controls and the secrets in what the target said (the positive
 * control) before it finds none in what the harness printed and wrote.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The control sequences every answer opens with. */
export const TERMINAL_ATTACK =
  '\x1b[2J\x1b[H' + // clear the screen, cursor home
  '\x1b]8;;https://evil.example/\x07support\x1b]8;;\x07' + // an OSC 8 hyperlink
  '\x1b]0;authconform: PASS\x07' + // OSC 0: the window title
  'FAIL\rPASS' + // CR: the line is overwritten
  '\x07\x00\x7f' + // BEL, NUL, DEL
  '\x9b32m' + // C1 CSI
  '\u202eSSAP\u202c\u2066x\u2069'; // bidi override and isolate

const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');
const jsonU = (c: string, upper = false) => {
  const h = `\\u${hex(c.charCodeAt(0), 4)}`;
  return upper ? h.toUpperCase().replace('\\U', '\\u') : h;
};
const b64 = (s: string) => Buffer.from(s).toString('base64');

/** Each form the echo takes, named. */
export const ECHOED_FORMS: Record<string, (s: string) => string> = {
  'JSON-escaped first character': (s) => jsonU(s[0]!) + s.slice(1),
  base64: b64,
  'JSON-escaped every other character': (s) =>
    [...s].map((c, i) => (i % 2 ? c : jsonU(c, true))).join(''),
  base64url: (s) => Buffer.from(`{${s}`).toString('base64url'),
  'HTTP Basic': (s) => `Basic ${b64(`merchant:${s}`)}`,
  'percent-encoded': (s) => [...s].map((c) => `%${hex(c.charCodeAt(0), 2)}`).join(''),
  'JSON-escaped': (s) => [...s].map((c) => jsonU(c)).join(''),
  'HTML character references': (s) => [...s].map((c) => `&#${c.charCodeAt(0)};`).join(''),
};

export interface HostileEcho {
  url: string;
  /** Every body sent, in order. */
  readonly bodies: string[];
  close(): Promise<void>;
}

/** Starts the echo; `secrets` are the credentials it looks for in each request to echo back. */
export async function startHostileEcho(secrets: readonly string[]): Promise<HostileEcho> {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      // The look a URL run takes for the bundled mock: the profile it names is printed.
      if (req.url === '/__mock/health') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'ok', profile: `luxcore${TERMINAL_ATTACK}` }));
        return;
      }
      const sent = `${req.url}\n${req.rawHeaders.join('\n')}\n${Buffer.concat(chunks).toString()}`;
      const echoed = secrets.filter((s) => sent.includes(s));
      const body = [
        TERMINAL_ATTACK,
        ...echoed.flatMap((s) => Object.values(ECHOED_FORMS).map((form) => form(s))),
      ].join('\n');
      bodies.push(body);
      res.writeHead(200, {
        'content-type': 'text/plain; charset=utf-8',
        // Latin-1 on the wire: C1 CSI, and U+202E's UTF-8 bytes.
        'x-hostile': '\x9b2J \xe2\x80\xae',
      });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bodies,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
