// Calls a sandbox's control API through the stack's gateway (`/_local/<sandbox>/control…`), as the
// API tests and the benches drive the sandboxes: JSON in and out, and an error naming the call for
// any answer that is not 2xx.
export async function sandboxControlAt<T>(
  apiUrl: string,
  sandbox: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${apiUrl}/_local/${sandbox}/control${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const parsed = await res.json();
  if (!res.ok) {
    throw new Error(
      `${sandbox} control ${method} ${path}: ${res.status} ${JSON.stringify(parsed)}`,
    );
  }
  return parsed as T;
}
