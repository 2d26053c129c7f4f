// The local functions host behaves like the hosted Edge Runtime where our functions rely on
// it: verify_jwt from config.toml, EdgeRuntime.waitUntil, the request path, hot reload, and
// imports resolved with only each function's deploy configuration.
import assert from "node:assert/strict";
import { SignJWT } from "jose";
import { createFunctionsHost } from "./functions_host.ts";

const secret = "a-test-secret-that-is-long-enough-for-hs256";

async function fixture() {
  const dir = await Deno.makeTempDir({ prefix: "functions_host_" });
  await Deno.mkdir(`${dir}/functions/webhook`, { recursive: true });
  await Deno.mkdir(`${dir}/functions/_shared`, { recursive: true });
  await Deno.writeTextFile(
    `${dir}/config.toml`,
    `[functions.webhook]\nverify_jwt = false\n[functions.broken]\nverify_jwt = false\n`,
  );
  await Deno.writeTextFile(`${dir}/functions/_shared/greeting.ts`, `export const word = "one";`);
  await Deno.writeTextFile(
    `${dir}/functions/webhook/index.ts`,
    `import { word } from "../_shared/greeting.ts";
let finished = 0;
Deno.serve(async (req) => {
  EdgeRuntime.waitUntil(new Promise((r) => setTimeout(r, 10)).then(() => finished++));
  return Response.json({ word, path: new URL(req.url).pathname, finished, body: await req.text() });
});`,
  );
  await Deno.mkdir(`${dir}/functions/private`);
  await Deno.writeTextFile(
    `${dir}/functions/private/index.ts`,
    `Deno.serve(() => new Response("secret stuff"));`,
  );
  await Deno.mkdir(`${dir}/functions/broken`);
  await Deno.writeTextFile(`${dir}/functions/broken/index.ts`, `throw new Error("boom");`);
  // Bare names resolve through the function's own deno.json, relative to it.
  await Deno.mkdir(`${dir}/functions/mapped`);
  await Deno.writeTextFile(
    `${dir}/functions/mapped/deno.json`,
    JSON.stringify({ imports: { "greeting": "../_shared/greeting.ts" } }),
  );
  await Deno.writeTextFile(
    `${dir}/functions/mapped/index.ts`,
    `import { word } from "greeting";\nDeno.serve(() => new Response(word));`,
  );
  // The repository's deno.json maps "jose", but a function without its own entry cannot use it.
  await Deno.mkdir(`${dir}/functions/unmapped`);
  await Deno.writeTextFile(`${dir}/functions/unmapped/deno.json`, `{ "imports": {} }`);
  await Deno.writeTextFile(
    `${dir}/functions/unmapped/index.ts`,
    `import { SignJWT } from "jose";\nDeno.serve(() => new Response(typeof SignJWT));`,
  );
  return dir;
}

Deno.test("functions host: routing, verify_jwt, waitUntil, boot errors and hot reload", async () => {
  const dir = await fixture();
  const logs: string[] = [];
  const host = createFunctionsHost({
    supabaseDir: dir,
    jwtSecret: secret,
    log: (l) => logs.push(l),
  });
  const call = async (name: string, init: RequestInit = {}, rest = "") => {
    const res = await host.handle(
      new Request(`http://x/functions/v1/${name}${rest}`, init),
      name,
      rest,
    );
    return { status: res.status, body: await res.text() };
  };
  try {
    const first = await call("webhook", { method: "POST", body: "hello" }, "/events");
    assert.equal(first.status, 200, "verify_jwt = false needs no JWT");
    assert.deepEqual(JSON.parse(first.body), {
      word: "one",
      path: "/webhook/events",
      finished: 0,
      body: "hello",
    });
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(JSON.parse((await call("webhook")).body).finished, 1, "waitUntil work ran");

    assert.equal((await call("private")).status, 401, "verify_jwt defaults to true");
    const jwt = await new SignJWT({ role: "anon" }).setProtectedHeader({ alg: "HS256" })
      .sign(new TextEncoder().encode(secret));
    const allowed = await call("private", { headers: { authorization: `Bearer ${jwt}` } });
    assert.deepEqual(allowed, { status: 200, body: "secret stuff" });

    const broken = await call("broken");
    assert.equal(broken.status, 503);
    assert.match(broken.body, /BOOT_ERROR/);
    assert.ok(logs.some((l) => l.includes("boom")), "the boot error is logged");

    const mapped = await call("mapped", { headers: { authorization: `Bearer ${jwt}` } });
    assert.deepEqual(mapped, { status: 200, body: "one" }, "its deno.json maps its imports");
    const unmapped = await call("unmapped", { headers: { authorization: `Bearer ${jwt}` } });
    assert.equal(unmapped.status, 503, "the repository's deno.json is not the function's");
    assert.ok(logs.some((l) => l.startsWith("unmapped:") && l.includes("jose")), logs.join("\n"));

    assert.equal((await call("missing")).status, 404);
    assert.equal((await call("_shared")).status, 404, "_shared is not a function");

    await Deno.writeTextFile(`${dir}/functions/_shared/greeting.ts`, `export const word = "two";`);
    let word = "one";
    for (let i = 0; i < 50 && word === "one"; i++) {
      await new Promise((r) => setTimeout(r, 50));
      word = JSON.parse((await call("webhook")).body).word;
    }
    assert.equal(word, "two", "a saved change applies without a restart");
  } finally {
    await host.close();
    await Deno.remove(dir, { recursive: true });
  }
});
