// Runs one edge function inside a Web Worker the way the Supabase Edge Runtime does: the
// module calls Deno.serve(handler), may use EdgeRuntime.waitUntil, and answers requests
// proxied to the port reported back to the host.
/// <reference lib="deno.worker" />

type Handler = (req: Request, info: Deno.ServeHandlerInfo) => Response | Promise<Response>;

const background = new Set<Promise<unknown>>();

Object.defineProperty(globalThis, "EdgeRuntime", {
  value: {
    waitUntil(promise: Promise<unknown>) {
      const tracked = promise
        .catch((err) => console.error("EdgeRuntime.waitUntil task failed:", err))
        .finally(() => background.delete(tracked));
      background.add(tracked);
    },
  },
});

const serve = Deno.serve.bind(Deno);
let served = false;
// The function may pass a port or options; like the hosted runtime, we choose the socket.
Object.defineProperty(Deno, "serve", {
  value: (...args: unknown[]) => {
    const handler = args.find((a) => typeof a === "function") as Handler | undefined ??
      (args[0] as { handler?: Handler }).handler;
    if (!handler) throw new TypeError("Deno.serve needs a handler");
    if (served) throw new Error("An edge function may call Deno.serve only once");
    served = true;
    return serve({
      hostname: "127.0.0.1",
      port: 0,
      onListen: ({ port }) => self.postMessage({ ready: port }),
    }, handler);
  },
});

self.onmessage = async (event: MessageEvent<{ entry: string }>) => {
  try {
    await import(event.data.entry);
    if (!served) self.postMessage({ error: "The module did not call Deno.serve" });
  } catch (err) {
    self.postMessage({ error: err instanceof Error ? err.stack ?? err.message : String(err) });
  }
};
