/** Timestamps leave PostgreSQL as the ISO strings SQLite holds, so both stores share one row mapping. */
export const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${column}`;
