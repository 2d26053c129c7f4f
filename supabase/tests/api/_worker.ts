// The worker function run by hand, as the wake and pg_cron run it: tests and benchmarks that
// cannot wait for either.

/** POSTs the worker with the service role; answers its counts, throws on anything but 2xx. */
export async function runWorker(
  apiUrl: string,
  serviceRoleKey: string,
): Promise<Record<string, number>> {
  const response = await fetch(`${apiUrl}/functions/v1/worker`, {
    method: "POST",
    headers: { authorization: `Bearer ${serviceRoleKey}`, apikey: serviceRoleKey },
  });
  const body = await response.json();
  if (!response.ok) throw new Error(`worker: ${response.status} ${JSON.stringify(body)}`);
  return body;
}
