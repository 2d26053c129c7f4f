import assert from "node:assert/strict";
import { checkDataApi } from "./health.ts";

async function withServer(
  handler: (req: Request) => Response | Promise<Response>,
  fn: (url: string, seen: Request[]) => Promise<void>,
) {
  const seen: Request[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    seen.push(req);
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
    assert.equal(new URL(seen[0].url).pathname, "/rest/v1/");
    assert.equal(seen[0].headers.get("apikey"), "service-key");
  });
});

Deno.test("the Data API check reports an error status or a hang as unreachable", async () => {
  await withServer(() => new Response(null, { status: 503 }), async (url) => {
    assert.equal(await checkDataApi(url, "k"), "unreachable");
  });
  await withServer(
    () => new Promise<Response>((r) => setTimeout(() => r(new Response(null)), 500)),
    async (url) => assert.equal(await checkDataApi(url, "k", 50), "unreachable"),
  );
});

Deno.test("the Data API check without configuration says so", async () => {
  assert.equal(await checkDataApi("", "k"), "misconfigured");
});
