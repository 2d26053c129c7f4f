// The gateway refuses what no upstream answers well, before any upstream sees it: URLs and
// headers that are not UTF-8 or carry NUL, oversized bodies, data-changing RPCs by GET, and
// /_local/ consoles asked for under another host name. An outage upstream is a 503.
import assert from "node:assert/strict";
import type { Secrets, StackConfig } from "./config.ts";
import { createGateway, isLoopbackHost, maxBodyBytes } from "./gateway.ts";

const secrets = { anonKey: "anon-key", serviceRoleKey: "service-key" } as Secrets;

/** A port nothing listens on once this returns. */
function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

async function gateway(upstreamUp = true) {
  const seen: string[] = [];
  const upstream = upstreamUp
    ? Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
      seen.push(`${req.method} ${new URL(req.url).pathname} ${(await req.text()).length}`);
      return Response.json({ ok: true });
    })
    : null;
  const outboxDir = await Deno.makeTempDir();
  const apiPort = freePort();
  const cfg = {
    apiPort,
    apiUrl: `http://127.0.0.1:${apiPort}`,
    postgrestPort: upstream ? (upstream.addr as Deno.NetAddr).port : freePort(),
    outboxDir,
  } as StackConfig;
  const echo = (service: string) => ({
    handle: async (req: Request) => {
      seen.push(`${service} ${req.method} ${new URL(req.url).pathname}`);
      return Response.json({ service, body: await req.text() });
    },
  });
  const server = createGateway(
    cfg,
    secrets,
    {
      auth: echo("auth"),
      functions: echo("functions"),
      mail: echo("mail"),
      google: echo("google"),
      vapi: echo("vapi"),
      twilio: echo("twilio"),
      meta: echo("meta"),
      openai: echo("openai"),
      realtime: echo("realtime"),
      rpcIsVolatile: (schema, name) =>
        Promise.resolve(schema === "public" && name === "set_secret"),
    },
    outboxDir,
    ["public"],
  );
  return {
    base: cfg.apiUrl,
    seen,
    async close() {
      await server.shutdown();
      await upstream?.shutdown();
    },
  };
}

/** A raw HTTP/1.1 exchange, for bytes and Host headers fetch() would not send. */
async function raw(
  port: number,
  head: Uint8Array | string,
): Promise<{ status: number; body: string }> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.write(typeof head === "string" ? new TextEncoder().encode(head) : head);
  const text = new TextDecoder().decode(await new Response(conn.readable).arrayBuffer());
  return { status: Number(text.split(" ")[1]), body: text.slice(text.indexOf("\r\n\r\n") + 4) };
}

const apiHeaders = { apikey: "anon-key" };

Deno.test("URLs whose percent-decoding is not UTF-8 or holds NUL get a 400 for every upstream", async () => {
  const gw = await gateway();
  try {
    for (
      const path of [
        "/rest/v1/profiles?id=eq.%FF",
        "/rest/v1/profiles?select=%E0%A4%A",
        "/rest/v1/prof%FFiles",
        "/rest/v1/profiles?id=eq.%00",
        "/rest/v1/profiles?name=like.100%",
        "/auth/v1/admin/users/%E0%A4%A",
        "/auth/v1/user?x=%C0%80",
        "/functions/v1/health?x=%FF",
        "/functions/v1/he%00alth",
        "/_local/outbox?%FF",
        "/%FF",
      ]
    ) {
      const res = await fetch(`${gw.base}${path}`, { headers: apiHeaders });
      assert.equal(res.status, 400, path);
      const body = await res.json();
      assert.equal(body.code, "invalid_url", path);
      assert.match(body.message, /UTF-8|NUL/, path);
      assert.ok("hint" in body, path);
    }
    assert.deepEqual(gw.seen, [], "no upstream saw any of them");
    const fine = await fetch(
      `${gw.base}/rest/v1/profiles?name=eq.${encodeURIComponent("Zoë 100%")}`,
      {
        headers: apiHeaders,
      },
    );
    assert.equal(fine.status, 200, "valid UTF-8 passes");
    await fine.body?.cancel();
  } finally {
    await gw.close();
  }
});

Deno.test("form bodies that do not decode to UTF-8 get a 400", async () => {
  const gw = await gateway();
  try {
    for (const body of ["%FF=1", "name=%00", "a=%E0%A4%A"]) {
      const res = await fetch(`${gw.base}/rest/v1/rpc/create_organisation`, {
        method: "POST",
        headers: { ...apiHeaders, "content-type": "application/x-www-form-urlencoded" },
        body,
      });
      assert.equal(res.status, 400, body);
      assert.match((await res.json()).message, /The form body/);
    }
    const fine = await fetch(`${gw.base}/rest/v1/rpc/create_organisation`, {
      method: "POST",
      headers: { ...apiHeaders, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ name: "Zoë & co 100%" }),
    });
    assert.equal(fine.status, 200);
    await fine.body?.cancel();
    assert.deepEqual(gw.seen, ["POST /rpc/create_organisation 27"], "the valid form passes whole");
  } finally {
    await gw.close();
  }
});

Deno.test("methods fetch() cannot forward get a 405, not a 502", async () => {
  const gw = await gateway();
  try {
    const port = Number(new URL(gw.base).port);
    for (const method of ["TRACE", "TRACK"]) {
      const res = await raw(
        port,
        `${method} /rest/v1/profiles HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`,
      );
      assert.equal(res.status, 405, method);
    }
  } finally {
    await gw.close();
  }
});

Deno.test("header values that are not UTF-8 get a 400 naming the header", async () => {
  const gw = await gateway();
  try {
    const port = Number(new URL(gw.base).port);
    const head = new Uint8Array([
      ...new TextEncoder().encode(
        `GET /rest/v1/profiles HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\napikey: anon-key\r\nPrefer: count=`,
      ),
      0xff,
      ...new TextEncoder().encode("\r\nConnection: close\r\n\r\n"),
    ]);
    const res = await raw(port, head);
    assert.equal(res.status, 400);
    assert.match(JSON.parse(res.body).message, /prefer header is not valid UTF-8/);
    assert.deepEqual(gw.seen, []);
  } finally {
    await gw.close();
  }
});

Deno.test("a Host header that is no host name gets a 400, not a 500", async () => {
  const gw = await gateway();
  try {
    const port = Number(new URL(gw.base).port);
    for (const host of ["a b", "[::1", "x:y:z"]) {
      const res = await raw(
        port,
        `GET /rest/v1/profiles HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
      );
      assert.ok(res.status >= 400 && res.status < 500, `${host}: ${res.status}`);
    }
  } finally {
    await gw.close();
  }
});

Deno.test("bodies over the limit get a 413, announced or streamed", async () => {
  const gw = await gateway();
  try {
    const big = new Uint8Array(maxBodyBytes + 1);
    const announced = await fetch(`${gw.base}/rest/v1/rpc/anything`, {
      method: "POST",
      headers: apiHeaders,
      body: big,
    });
    assert.equal(announced.status, 413);
    assert.equal((await announced.json()).code, "payload_too_large");
    const streamed = await fetch(`${gw.base}/functions/v1/health`, {
      method: "POST",
      body: new Blob([big]).stream(),
    });
    assert.equal(streamed.status, 413);
    await streamed.body?.cancel();
    const fits = await fetch(`${gw.base}/rest/v1/rpc/anything`, {
      method: "POST",
      headers: apiHeaders,
      body: new Uint8Array(1024),
    });
    assert.equal(fits.status, 200);
    await fits.body?.cancel();
    assert.deepEqual(gw.seen, ["POST /rpc/anything 1024"], "only the body that fits got through");
  } finally {
    await gw.close();
  }
});

Deno.test("GET or HEAD to a data-changing RPC is refused before PostgREST sees the URL", async () => {
  const gw = await gateway();
  try {
    for (const method of ["GET", "HEAD"]) {
      const res = await fetch(`${gw.base}/rest/v1/rpc/set_secret?secret=hunter2`, {
        method,
        headers: apiHeaders,
      });
      assert.equal(res.status, 405, method);
      await res.body?.cancel();
    }
    const post = await fetch(`${gw.base}/rest/v1/rpc/set_secret`, {
      method: "POST",
      headers: apiHeaders,
      body: JSON.stringify({ secret: "hunter2" }),
    });
    assert.equal(post.status, 200);
    await post.body?.cancel();
    const stable = await fetch(`${gw.base}/rest/v1/rpc/read_only?x=1`, { headers: apiHeaders });
    assert.equal(stable.status, 200, "stable functions still answer GET");
    await stable.body?.cancel();
    assert.deepEqual(gw.seen, ["POST /rpc/set_secret 20", "GET /rpc/read_only 0"]);
  } finally {
    await gw.close();
  }
});

Deno.test("/_local/ routes answer loopback host names on the stack's port only", async () => {
  const gw = await gateway();
  try {
    const port = Number(new URL(gw.base).port);
    for (const host of ["127.0.0.1", "localhost", "[::1]"]) {
      const res = await raw(
        port,
        `GET /_local/outbox HTTP/1.1\r\nHost: ${host}:${port}\r\nConnection: close\r\n\r\n`,
      );
      assert.equal(res.status, 200, host);
      assert.deepEqual(JSON.parse(res.body), []);
    }
    for (
      const host of [
        "evil.example",
        `evil.example:${port}`,
        `127.0.0.1.evil.example:${port}`,
        "127.0.0.1:1",
        "127.0.0.1",
      ]
    ) {
      for (
        const path of [
          "/_local/outbox",
          "/_local/mail/emails",
          "/_local/google",
          "/_local/anything",
        ]
      ) {
        const res = await raw(
          port,
          `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
        );
        assert.equal(res.status, 403, `${host} ${path}`);
        assert.equal(JSON.parse(res.body).code, "loopback_only");
      }
    }
    assert.deepEqual(gw.seen, []);
    const mail = await fetch(`${gw.base}/_local/mail/emails`, { method: "POST", body: "{}" });
    assert.equal(mail.status, 200, "the mail sandbox still answers the stack's own URL");
    assert.deepEqual(await mail.json(), { service: "mail", body: "{}" });
    const google = await fetch(`${gw.base}/_local/google/control/accounts`);
    assert.deepEqual(await google.json(), { service: "google", body: "" });
    assert.deepEqual(gw.seen.slice(-1), ["google GET /_local/google/control/accounts"]);
  } finally {
    await gw.close();
  }
});

Deno.test("isLoopbackHost", () => {
  assert.equal(isLoopbackHost("LOCALHOST:54321", 54321), true);
  assert.equal(isLoopbackHost("[::1]:54321", 54321), true);
  assert.equal(isLoopbackHost("localhost", 54321), false);
  assert.equal(isLoopbackHost(null, 54321), false);
  assert.equal(isLoopbackHost("127.0.0.2:54321", 54321), false);
});

Deno.test("an upstream that is down is a 503 with what to do, and no URL in the log", async () => {
  const gw = await gateway(false);
  const logged: unknown[][] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => logged.push(args);
  try {
    const res = await fetch(`${gw.base}/rest/v1/profiles?secret=hunter2`, { headers: apiHeaders });
    assert.equal(res.status, 503);
    const body = await res.json();
    assert.match(body.message, /PostgREST\) is not answering/);
    assert.match(body.hint, /postgrest\.log/);
    assert.ok(logged.length > 0, "the outage is logged");
    assert.doesNotMatch(JSON.stringify(logged), /hunter2/);
  } finally {
    console.error = original;
    await gw.close();
  }
});

Deno.test("proxying leaves Deno.serve's request.signal alone (no legacy-abort warning)", async () => {
  const gw = await gateway();
  const warned: unknown[][] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => warned.push(args);
  try {
    for (const path of ["/auth/v1/token", "/rest/v1/profiles", "/functions/v1/health"]) {
      const res = await fetch(`${gw.base}${path}`, {
        method: "POST",
        headers: apiHeaders,
        body: "{}",
      });
      await res.body?.cancel();
    }
    await new Promise((r) => setTimeout(r, 50)); // the warning comes once the response is sent
    assert.doesNotMatch(JSON.stringify(warned), /request\.signal/);
  } finally {
    console.warn = original;
    await gw.close();
  }
});

Deno.test("/realtime/v1/websocket goes to the Realtime stand-in as it came (it checks the key)", async () => {
  const gw = await gateway();
  try {
    const res = await fetch(`${gw.base}/realtime/v1/websocket?apikey=k&vsn=2.0.0`);
    assert.equal((await res.json()).service, "realtime");
    assert.ok(gw.seen.includes("realtime GET /realtime/v1/websocket"));
  } finally {
    await gw.close();
  }
});
