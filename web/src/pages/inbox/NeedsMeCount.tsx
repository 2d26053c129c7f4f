import { useQuery } from "../../data/query.ts";
import { useRealtime } from "../../data/realtime.ts";
import { userId } from "../../session.ts";
import { supabase } from "../../supabase.ts";
import { needsMeFilter } from "./conversations.ts";

/**
 * Beside the Inbox link: how many patient conversations need the signed-in member (waiting for
 * staff, or taken over by them), kept live; nothing when none do.
 */
export function NeedsMeCount({ organisationId }: { organisationId: string }) {
  const me = userId.value;
  const count = useQuery(async () => {
    const { count, error } = await supabase().from("conversations")
      .select("id", { count: "exact", head: true })
      .eq("organisation_id", organisationId).neq("channel", "test").or(needsMeFilter(me ?? ""));
    return error ? { data: null, error } : { data: count ?? 0, error: null };
  }, [organisationId, me]);
  useRealtime(
    [{ table: "conversations", filter: `organisation_id=eq.${organisationId}` }],
    { onChange: count.reload, onLive: count.reload },
    [organisationId],
  );
  const shown = count.data.value;
  if (!shown) return null;
  return <span class="badge badge-count" aria-label={`${shown} need you`}>{shown}</span>;
}
