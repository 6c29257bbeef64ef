/**
 * Which Host a control route (/__mock/*) answers to over HTTP. A web page the developer has open
 * can send requests to the mock, and with DNS rebinding (its own name pointed at 127.0.0.1) it
 * reads the answers: the Host header is then the page's name, not the mock's. So the control
 * routes, /__mock/credentials above all, answer only to the address the mock listens on, to
 * localhost, 127.0.0.1 and [::1] on its port, and to the names given with --allow-host. The API
 * routes answer to any name, as a real API behind a proxy does.
 */

/** Why a control request's Host is refused, or undefined when it may be answered. */
export function refusedControlHost(
  host: string | undefined,
  listening: { host: string; port: number },
  allowHosts: readonly string[],
): string | undefined {
  const own = [listening.host, 'localhost', '127.0.0.1', '::1'].map(
    (name) => `${bracketed(name)}:${listening.port}`,
  );
  const sent = host === undefined ? undefined : parseHost(host);
  if (sent !== undefined) {
    const port = sent.port ?? 80;
    if (own.includes(`${sent.name}:${port}`)) return undefined;
    for (const entry of allowHosts) {
      const allowed = parseHost(entry);
      if (allowed?.name === sent.name && (allowed.port === undefined || allowed.port === port))
        return undefined;
    }
  }
  const shown = host === undefined ? '(none)' : JSON.stringify(host.slice(0, 100));
  return (
    `the mock's control routes answer only to the address it listens on (${own.join(', ')}); ` +
    `this request's Host is ${shown}. To reach them by that name, start the mock with ` +
    `--allow-host NAME (or allowHosts in MockServerOptions)`
  );
}

/** `name` or `name:port`, an IPv6 address in brackets; the name lower-cased. */
export function parseHost(value: string): { name: string; port?: number } | undefined {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]\s]+)(?::(\d{1,5}))?$/.exec(value.trim());
  if (!m) return undefined;
  return { name: m[1]!.toLowerCase(), ...(m[2] !== undefined ? { port: Number(m[2]) } : {}) };
}

function bracketed(name: string): string {
  return name.includes(':') && !name.startsWith('[') ? `[${name}]` : name.toLowerCase();
}
