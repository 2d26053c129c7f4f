// A busy port tells a newcomer both ways out: stop the other program, or move the whole
// stack with FRONTDESK_PORT_BASE to a base whose ports are free.
import assert from "node:assert/strict";
import type { StackConfig } from "./config.ts";
import { SetupError } from "./prereqs.ts";
import { requireFreePort } from "./processes.ts";

Deno.test("a busy port's message names FRONTDESK_PORT_BASE with a base that is free", () => {
  const busy = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (busy.addr as Deno.NetAddr).port;
  try {
    const cfg = { profile: "dev", apiPort: port } as StackConfig;
    let err: unknown;
    try {
      requireFreePort(cfg, port, "API");
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof SetupError, "a SetupError: dev.ts prints its message alone");
    assert.match(err.message, new RegExp(`Port ${port} \\(API\\) is in use`));
    assert.match(err.message, new RegExp(`ss -ltnp 'sport = :${port}'`));
    const base = Number(err.message.match(/FRONTDESK_PORT_BASE=(\d+) deno task dev/)?.[1]);
    assert.ok(base > port, "a base other than the busy one");
    for (const free of [base, base + 1, base + 6]) {
      const probe = Deno.listen({ hostname: "127.0.0.1", port: free });
      probe.close();
    }
  } finally {
    busy.close();
  }
  const cfg = { profile: "test", apiPort: port } as StackConfig;
  assert.doesNotThrow(() => requireFreePort(cfg, port, "API"), "a free port passes");
});
