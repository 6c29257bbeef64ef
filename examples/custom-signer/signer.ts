/**
 * A request signer of your own, for a scheme authconform does not build in: Parcelpost's
 * `X-Parcel-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>` over
 * `<t>.<METHOD>.<path and query>.<body>`, keyed by the secret of the key id in `X-Parcel-Key`
 * (the shape of Stripe's webhook signatures, extended to requests).
 *
 * The profile names this file (`signing: { parcel: { scheme: module, module: ./signer.ts } }`);
 * authconform bundles it with esbuild when the profile is loaded, so neither tsx nor a build step
 * is needed, and the type import below is erased. The same object signs for the harness and
 * verifies for `authconform mock`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Signer, SignableRequest, VerifyResult } from 'authconform/signer';

/** This scheme's fields in the profile's signing entry (beside `scheme` and `module`). */
interface ParcelConfig {
  skewSeconds: number;
}

const SIGNATURE = 'x-parcel-signature';
const KEY_ID = 'x-parcel-key';
const VERSION = 'v1';

function mac(secret: string, t: string, method: string, pathWithQuery: string, body: string) {
  return createHmac('sha256', secret)
    .update(`${t}.${method.toUpperCase()}.${pathWithQuery}.${body}`)
    .digest('hex');
}

function header(req: SignableRequest, name: string): string | undefined {
  const k = Object.keys(req.headers).find((h) => h.toLowerCase() === name);
  return k === undefined ? undefined : req.headers[k];
}

/** `t=...,v1=...` split into its fields; undefined for anything else. */
function fields(value: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const part of value.split(',')) {
    const m = /^\s*([a-z0-9]+)=([^,]*)$/.exec(part);
    if (!m) return undefined;
    out[m[1]!] = m[2]!;
  }
  return out;
}

const signer: Signer<ParcelConfig> = {
  scheme: 'parcel-v1',

  parts: (c) => ({
    timestamp: { resolutionMs: 1000, skewSeconds: c.skewSeconds, boundary: 'inclusive' },
    version: VERSION,
    keyId: true,
    covers: { method: true, path: true, query: true, body: true, headers: [] },
  }),

  async sign(_c, req, key, controls) {
    if (key.secret === undefined) throw new Error('a Parcelpost signature needs the key secret');
    const t = String(Math.floor(controls.timeMs / 1000));
    const as = controls.signAs ?? {};
    const digest = mac(
      key.secret,
      t,
      as.method ?? req.method,
      as.pathWithQuery ?? req.pathWithQuery,
      as.body ?? req.body ?? '',
    );
    const label = controls.versionAs ?? VERSION;
    return {
      ...req,
      headers: {
        ...req.headers,
        'X-Parcel-Key': controls.keyIdAs ?? key.keyId,
        'X-Parcel-Signature': `t=${t},${label}=${digest}`,
      },
    };
  },

  async verify(c, req, keyOf, nowMs): Promise<VerifyResult> {
    const keyId = header(req, KEY_ID);
    const sent = header(req, SIGNATURE);
    if (!keyId || !sent) return { ok: false, denial: 'signature_missing' };
    const f = fields(sent);
    if (f === undefined || f['t'] === undefined) return { ok: false, denial: 'signature_invalid' };
    if (f[VERSION] === undefined)
      return {
        ok: false,
        denial: Object.keys(f).length > 1 ? 'signature_version' : 'signature_missing',
      };
    if (!/^\d{1,12}$/.test(f['t'])) return { ok: false, denial: 'timestamp_skew' };
    if (Math.abs(Math.floor(nowMs / 1000) - Number(f['t'])) > c.skewSeconds)
      return { ok: false, denial: 'timestamp_skew' };
    const secret = keyOf(keyId)?.secret;
    if (secret === undefined) return { ok: false, denial: 'signature_invalid' };
    const expected = Buffer.from(
      mac(secret, f['t'], req.method, req.pathWithQuery, req.body ?? ''),
    );
    const given = Buffer.from(f[VERSION]);
    if (expected.length !== given.length || !timingSafeEqual(expected, given))
      return { ok: false, denial: 'signature_invalid' };
    return { ok: true, keyId };
  },

  signatureSlot(_c, req) {
    const name = Object.keys(req.headers).find((h) => h.toLowerCase() === SIGNATURE);
    const sent = name === undefined ? undefined : req.headers[name]!;
    const m = sent === undefined ? null : new RegExp(`(^|,)${VERSION}=([0-9a-f]*)`).exec(sent);
    if (name === undefined || sent === undefined || !m) return undefined;
    const at = m.index + m[1]!.length + VERSION.length + 1;
    const value = m[2]!;
    return {
      value,
      encoding: 'hex',
      replace: (v) => ({
        ...req,
        headers: { ...req.headers, [name]: sent.slice(0, at) + v + sent.slice(at + value.length) },
      }),
      remove: () => {
        const headers = { ...req.headers };
        delete headers[name];
        return { ...req, headers };
      },
    };
  },
};

export default signer;
