// Runs one edge function in its own Deno process the way the Supabase Edge Runtime does: its
// imports resolve with only its deploy configuration (the host passes the flags), the module calls
// Deno.serve(handler), may use EdgeRuntime.waitUntil, and answers on a port it prints for the host.
//   deno run -A <deploy configuration flags> function_worker.ts <entry URL>

/** The line that tells the host the port, apart from whatever the function itself prints. */
export const READY = "frontdesk-function-ready";

type Handler = (req: Request, info: Deno.ServeHandlerInfo) => Response | Promise<Response>;

if (import.meta.main) {
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
        onListen: ({ port }) => console.log(`${READY} ${port}`),
      }, handler);
    },
  });

  try {
    await import(Deno.args[0]);
  } catch (err) {
    console.error(err instanceof Error ? err.stack ?? err.message : String(err));
    Deno.exit(1);
  }
  if (!served) {
    console.error("The module did not call Deno.serve");
    Deno.exit(1);
  }
}
