import type { RealtimePostgresChangesPayload } from "@supabase/supabase-js";
import { useEffect, useRef } from "preact/hooks";
import { supabase } from "../supabase.ts";

/** A row change Realtime reports: the table, what happened, the row after (and its key before). */
export type RowChange = RealtimePostgresChangesPayload<Record<string, unknown>>;

/** One table to follow, optionally only its rows matching a Realtime filter ("organisation_id=eq.…"). */
export type Followed = { table: string; filter?: string };

/** Topics must differ per subscription: supabase-js hands back an existing channel of the same name. */
let subscriptions = 0;

/**
 * Follows row changes of `tables` (postgres changes, authorised by RLS) while the component is
 * shown: `onChange` for each change, and `onLive` each time the subscription is (re)established,
 * since changes made before it — before the first join or while the connection was down — were
 * not delivered: the caller reads again then. Unsubscribes on unmount and when `deps` change.
 */
export function useRealtime(
  tables: Followed[],
  handlers: { onChange: (change: RowChange) => void; onLive: () => void },
  deps: unknown[],
) {
  const current = useRef(handlers);
  current.current = handlers;
  useEffect(() => {
    const db = supabase();
    let channel = db.channel(`frontdesk-${++subscriptions}`);
    for (const { table, filter } of tables) {
      channel = channel.on(
        "postgres_changes",
        { event: "*", schema: "public", table, filter },
        (change: RowChange) => current.current.onChange(change),
      );
    }
    channel.subscribe((status) => {
      if (status === "SUBSCRIBED") current.current.onLive();
    });
    return () => {
      db.removeChannel(channel);
    };
  }, deps);
}
