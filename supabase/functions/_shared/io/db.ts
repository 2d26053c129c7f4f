// The database connection service code uses for routing and decryption: one pool per
// function instance, from the SUPABASE_DB_URL the Edge Runtime provides.
import postgres from "postgres";

let pool: postgres.Sql | undefined;

export function database(): postgres.Sql {
  if (!pool) {
    const url = Deno.env.get("SUPABASE_DB_URL");
    if (!url) throw new Error("SUPABASE_DB_URL is not set");
    // No prepared statements: hosted projects may hand out a transaction-mode pooler.
    pool = postgres(url, { max: 3, prepare: false, idle_timeout: 20, connect_timeout: 5 });
  }
  return pool;
}

export type Sql = postgres.Sql;
/** What `sql.begin` hands its callback: the same queries, inside one transaction. */
export type Tx = postgres.TransactionSql;
