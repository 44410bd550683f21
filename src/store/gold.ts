/**
 * Gold's process and connection tables, rebuilt from silver samples. Each
 * rebuild takes only the samples newer than what gold already holds for the
 * run, so silver's shorter retention never empties gold.
 */

const SINCE = (table: string) =>
  `coalesce((SELECT max(sampled_at) FROM ${table} WHERE run_id = $run), TIMESTAMP '1970-01-01')`;

/** Statements run in order with `$run` bound to the run id. */
export const GOLD_PROCESS_REBUILD: readonly string[] = [
  `INSERT INTO gold_fact_process
    SELECT run_id, host, sampled_at, pid, start_time, cpu_percent, rss FROM silver_process_samples
    WHERE run_id = $run AND sampled_at > ${SINCE('gold_fact_process')}`,
  `INSERT INTO gold_fact_connection
    SELECT run_id, host, sampled_at, remote_address, count(*) AS connections,
      to_json(list_sort(list_distinct(list(state)))),
      to_json(list_sort(list_distinct(list(pid) FILTER (WHERE pid IS NOT NULL))))
    FROM silver_socket_samples
    WHERE run_id = $run AND remote_port <> 0 AND state <> 'LISTEN'
      AND sampled_at > ${SINCE('gold_fact_connection')}
    GROUP BY run_id, host, sampled_at, remote_address`,
  // A process is one pid + start time: merge what gold knew with the new samples.
  `CREATE OR REPLACE TEMP TABLE dim_process_merge AS
    SELECT run_id, host, pid, start_time, arg_max(name, last_seen) AS name, arg_max(cmdline, last_seen) AS cmdline,
      arg_max("user", last_seen) AS "user", min(first_seen) AS first_seen, max(last_seen) AS last_seen
    FROM (
      SELECT * FROM gold_dim_process WHERE run_id = $run
      UNION ALL
      SELECT run_id, host, pid, start_time, name, cmdline, "user", sampled_at, sampled_at
      FROM silver_process_samples
      WHERE run_id = $run
        AND sampled_at > coalesce((SELECT max(last_seen) FROM gold_dim_process WHERE run_id = $run), TIMESTAMP '1970-01-01')
    ) GROUP BY run_id, host, pid, start_time`,
  `DELETE FROM gold_dim_process WHERE run_id = $run`,
  `INSERT INTO gold_dim_process SELECT * FROM dim_process_merge`,
  `DROP TABLE dim_process_merge`,
];
