import { QueryStatus } from "../../data/QueryStatus.tsx";
import { useQuery } from "../../data/query.ts";
import { plural } from "../../format.ts";
import { userId } from "../../session.ts";
import { supabase } from "../../supabase.ts";
import { Card } from "../../ui/mod.ts";
import { TaskItem } from "./CallbackTasks.tsx";
import { type CallbackTask, TASK_COLUMNS } from "./calls.ts";

/** For the overview: how many callers wait for a call back, and the latest of them. */
export function OpenCallbacks({ organisationId }: { organisationId: string }) {
  const open = useQuery(async () => {
    const { data, count, error } = await supabase().from("callback_tasks")
      .select(TASK_COLUMNS, { count: "exact" })
      .eq("organisation_id", organisationId).eq("status", "open")
      .order("created_at", { ascending: false }).limit(1);
    if (error) return { data: null, error };
    return {
      data: { count: count ?? 0, latest: data[0] as CallbackTask | undefined },
      error: null,
    };
  }, [organisationId]);
  const shown = open.data.value;
  return (
    <Card title="Callbacks" level={2}>
      <QueryStatus data={open.data} error={open.error} />
      {shown && (
        <p class={shown.count ? "" : "muted"}>
          {shown.count
            ? `${plural(shown.count, "caller")} waiting for a call back.`
            : "Nobody is waiting for a call back."} <a href="#/calls">Calls</a>
        </p>
      )}
      {shown?.latest && (
        <ul class="list" aria-label="Latest callback">
          <TaskItem task={shown.latest} me={userId.value} />
        </ul>
      )}
    </Card>
  );
}
