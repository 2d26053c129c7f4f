import { keysetAfter, usePagedList } from "../../data/paged_list.ts";
import { useQuery } from "../../data/query.ts";
import { supabase } from "../../supabase.ts";
import { type AuditEntry, nameFromDetails, type Names } from "./describe.ts";

export const PAGE_SIZE = 50;

/**
 * An organisation's audit log, newest first, PAGE_SIZE entries at a time (`loadMore` appends the
 * next page), filtered to some actions (comma-separated; "" for all). Also the names of the
 * organisation's people and current channels, to name an entry's actor and target.
 */
export function useAuditLog(organisationId: string, actions: string) {
  const entries = usePagedList<AuditEntry>({
    pageSize: PAGE_SIZE,
    key: (entry) => String(entry.id),
    fetchPage: async (after, limit) => {
      let query = supabase()
        .from("audit_log")
        .select("id, actor_id, actor_label, action, target_type, target_id, details, created_at")
        .eq("organisation_id", organisationId);
      if (actions) query = query.in("action", actions.split(","));
      if (after) query = query.or(keysetAfter("created_at", after));
      const { data, error } = await query
        .order("created_at", { ascending: false })
        .order("id", { ascending: false })
        .limit(limit);
      return error ? { data: null, error } : { data: data as AuditEntry[], error: null };
    },
  }, [organisationId, actions]);
  // A failure only costs the names: addresses and ids show instead.
  const names = useQuery(async () => {
    const [people, channels] = await Promise.all([
      readPeople(organisationId),
      readChannelNames(organisationId),
    ]);
    return { data: { people, channels } as Names, error: null };
  }, [organisationId]);
  return { entries, names };
}

/** Teammates' ids to their names; a failure only costs the names (addresses show). */
async function readPeople(organisationId: string): Promise<Map<string, string>> {
  const { data } = await supabase()
    .from("organisation_members")
    .select("user_id")
    .eq("organisation_id", organisationId);
  const ids = (data ?? []).map((m) => m.user_id as string);
  const profiles = await supabase().from("profiles").select("id, display_name").in("id", ids);
  return new Map(
    ((profiles.data ?? []) as { id: string; display_name: string }[])
      .filter((p) => p.display_name)
      .map((p) => [p.id, p.display_name]),
  );
}

/** Channel ids to the names people know them by; a failure only costs the names (ids show). */
async function readChannelNames(organisationId: string): Promise<Map<string, string>> {
  const db = supabase();
  const tables = [
    db.from("twilio_accounts").select("id, label, account_sid"),
    db.from("phone_numbers").select("id, label, e164"),
    db.from("whatsapp_channels").select(
      "id, label, display_phone_number, meta_phone_number_id, twilio_sender",
    ),
    db.from("meta_apps").select("id, label"),
    db.from("calendar_connections").select("id, account_email"),
  ];
  const results = await Promise.all(
    tables.map((query) => query.eq("organisation_id", organisationId)),
  );
  const names = new Map<string, string>();
  for (const { data } of results) {
    for (const row of (data ?? []) as Record<string, unknown>[]) {
      const name = nameFromDetails(row);
      if (name) names.set(row.id as string, name);
    }
  }
  return names;
}
