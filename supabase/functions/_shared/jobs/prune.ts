// Job jobs.prune, enqueued daily by pg_cron ('frontdesk-jobs-prune'): finished jobs stay for
// operators to look at (done for 14 days, dead for 90), then go, so the queue stays small.
import type { JobHandler } from "./types.ts";

export const pruneJobs: JobHandler = async (_job, { sql }) => {
  await sql`
    delete from private.jobs
    where (status = 'done' and finished_at < now() - interval '14 days')
       or (status = 'dead' and finished_at < now() - interval '90 days')`;
};
