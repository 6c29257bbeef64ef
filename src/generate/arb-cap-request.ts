/**
 * A request value for one of a route's capped fields (`caps`: a value the API caps rather than
 * rejects), with the value the answer must show for it: above the cap (max+1 up to ten times
 * max, max+1 often), at most the cap (1 up to max, both ends often), or not sent (the default).
 */
import fc from 'fast-check';
import type { Route } from '../model/profile.ts';

export type CapRange = 'above' | 'atMost' | 'absent';

export interface CapRequest {
  field: string;
  /** The value sent; absent: the field is left out of the body. */
  sent?: number;
  /** The value the API acts on, shown in the answer at `at`. */
  held: number;
  at: string;
}

type Cap = NonNullable<Route['caps']>[number];

/** The route's caps this range can test: shown in the answer, with a default for `absent`. */
export function testableCaps(route: Route, range: CapRange): Cap[] {
  return (route.caps ?? []).filter(
    (c) => c.at !== undefined && (range !== 'absent' || c.default !== undefined),
  );
}

export function arbCapRequest(route: Route, range: CapRange): fc.Arbitrary<CapRequest> {
  return fc.constantFrom(...testableCaps(route, range)).chain((cap) => {
    const at = cap.at!;
    const top = Math.floor(cap.max);
    if (range === 'absent') return fc.constant({ field: cap.field, held: cap.default!, at });
    if (range === 'above')
      return fc
        .integer({ min: top + 1, max: Math.max(top + 1, 10 * top) })
        .map((sent) => ({ field: cap.field, sent, held: Math.min(sent, cap.max), at }));
    return fc
      .integer({ min: Math.min(1, top), max: top })
      .map((sent) => ({ field: cap.field, sent, held: sent, at }));
  });
}
