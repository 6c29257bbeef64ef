/**
 * `--shard i/n`: the vocabulary the engine deals cases with (src/engine/shard-cases.ts) and the
 * reports record and merge (src/report/run-record.ts, src/report/merge-shards.ts).
 */

/** Shard `index` (1-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** One profile x scenario case of a run, the shard it is dealt to, and its estimated cost. */
export interface ShardedCase {
  profile: string;
  scenario: string;
  shard: number;
  cost: number;
}
