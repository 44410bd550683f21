/** Where `--store` puts the database when the flag has no path (kept apart from the store so naming it does not load DuckDB). */
export const DEFAULT_STORE_PATH = './logsleuth.duckdb';
