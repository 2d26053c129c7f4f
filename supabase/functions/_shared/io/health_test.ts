import assert from "node:assert/strict";
import { checkDataApi } from "./health.ts";

async function withServer(
  handler: (req: Request) => Response | Promise<Response>,
  fn: (url: string, seen: { path: string; apikey: string | null }[]) => Promise<void>,
) {
  const seen: { path: string; apikey: string | null }[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    seen.push({ path: new URL(req.url).pathname, apikey: req.headers.get("apikey") });
    return handler(req);
  });
  try {
    await fn(`http://127.0.0.1:${server.addr.port}`, seen);
  } finally {
    await server.shutdown();
  }
}

Deno.test("the Data API check sends the service key and reports ok", async () => {
  await withServer(() => new Response(null, { status: 200 }), async (url, seen) => {
    assert.equal(await checkDataApi(url, "service-key"), "ok");
    assert.deepEqual(seen, [{ path: "/rest/v1/", apikey: "service-key" }]);
  });
});

Deno.test("the Data API check reports an error status or a hang as unreachable", async () => {
  await withServer(() => new Response(null, { status: 503 }), async (url) => {
    assert.equal(await checkDataApi(url, "k"), "unreachable");
  });
  // A server that accepts the connection and never answers.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepted = listener.accept();
  try {
    assert.equal(
      await checkDataApi(`http://127.0.0.1:${listener.addr.port}`, "k", 50),
      "unreachable",
    );
  } finally {
    (await accepted).close();
    listener.close();
  }
});

Deno.test("the Data API check without configuration says so", async () => {
  assert.equal(await checkDataApi("", "k"), "misconfigured");
});
