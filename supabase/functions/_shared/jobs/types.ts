// What a job handler sees and how it tells the worker what happened. A handler that returns
// finished the job; it throws JobPostponed to wait without spending an attempt (e.g. until an
// owner reconnects Google), JobFailedPermanently when retrying cannot help, and any other
// error to be retried with backoff (_shared/domain/backoff.ts). Handlers run again after a
// crash or a retry, so they must be idempotent. Error messages are stored in
// private.jobs.last_error for operators: handlers throw messages without tokens.
import type { Sql } from "../io/db.ts";

export interface Job {
  id: number;
  organisation_id: string | null;
  kind: string;
  payload: unknown;
  attempts: number;
  max_attempts: number;
  locked_by: string;
}

export type JobHandler = (job: Job, ctx: { sql: Sql }) => Promise<void>;

/** The job waits until `until` without spending an attempt; `reason` is stored as its last error. */
export class JobPostponed extends Error {
  constructor(readonly until: Date, reason: string) {
    super(reason);
    this.name = "JobPostponed";
  }
}

/** The job is dead now: retrying cannot help (e.g. the appointment no longer exists). */
export class JobFailedPermanently extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JobFailedPermanently";
  }
}
