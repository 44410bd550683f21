/**
 * Retention per layer (`--retention bronze=15m,silver=24h,gold=90d`): how
 * long `record` keeps each layer's rows. Parsing is pure; the statements
 * delete only rows of `record` runs, so an `analyze` kept in the same store
 * stays whatever its age.
 */

const isNumberChar = (c: string): boolean => (c >= '0' && c <= '9') || c === '.';

export type Layer = 'bronze' | 'silver' | 'gold';

/** Age limit per layer in ms; a layer left out is kept forever. */
export type Retention = Partial<Record<Layer, number>>;

export const DEFAULT_RETENTION: Retention = { bronze: 15 * 60_000, silver: 24 * 3_600_000, gold: 90 * 86_400_000 };

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Parses `3s`, `15m`, `24h`, `90d`, `500ms` to ms; undefined when it is none of those. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  let split = trimmed.length;
  while (split > 0 && !isNumberChar(trimmed[split - 1]!)) split--;
  const unit = UNITS[trimmed.slice(split)];
  const amount = Number(trimmed.slice(0, split));
  if (unit === undefined || split === 0 || !Number.isFinite(amount) || amount <= 0) return undefined;
  return amount * unit;
}

/** Parses `bronze=15m,silver=24h,gold=90d` (any subset); throws with a one-line message. */
export function parseRetention(text: string): Retention {
  const retention: Retention = {};
  for (const part of text.split(',')) {
    const [layer, age, ...rest] = part.split('=');
    if (layer === undefined || age === undefined || rest.length)
      throw new Error(`retention '${part}' is not layer=age`);
    if (layer !== 'bronze' && layer !== 'silver' && layer !== 'gold') {
      throw new Error(`retention layer '${layer}' is not bronze, silver or gold`);
    }
    const ms = parseDuration(age);
    if (ms === undefined) throw new Error(`retention age '${age}' is not a duration like 15m, 24h or 90d`);
    retention[layer] = ms;
  }
  return retention;
}

/** The time column retention looks at, per table. */
const AGE_COLUMN: Record<Layer, [table: string, column: string][]> = {
  bronze: [
    ['bronze_lines', 'read_at'],
    ['bronze_proc_samples', 'sampled_at'],
  ],
  silver: [
    ['silver_events', 'ts'],
    ['silver_process_samples', 'sampled_at'],
    ['silver_socket_samples', 'sampled_at'],
    ['silver_system_samples', 'sampled_at'],
  ],
  gold: [
    ['gold_cases', 'last_seen'],
    ['gold_findings', '"at"'],
    ['gold_chains', 'end_at'],
    ['gold_errors', 'last_at'],
    ['gold_dim_process', 'last_seen'],
    ['gold_fact_process', 'sampled_at'],
    ['gold_fact_connection', 'sampled_at'],
  ],
};

/** DELETE statements (with `$cutoff` in epoch microseconds) for the layers given. */
export function retentionStatements(
  retention: Retention,
  now: number,
): { table: string; sql: string; cutoff: number }[] {
  const statements: { table: string; sql: string; cutoff: number }[] = [];
  for (const layer of ['bronze', 'silver', 'gold'] as const) {
    const age = retention[layer];
    if (age === undefined) continue;
    for (const [table, column] of AGE_COLUMN[layer]) {
      statements.push({
        table,
        cutoff: Math.round(now - age),
        sql:
          `DELETE FROM ${table} WHERE ${column} < make_timestamp($cutoff) ` +
          `AND run_id IN (SELECT id FROM runs WHERE command = 'record')`,
      });
    }
  }
  return statements;
}
