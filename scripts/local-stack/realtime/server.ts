// The Realtime stand-in: the websocket at /realtime/v1/websocket as Supabase Realtime answers
// realtime-js for postgres_changes (join with config.postgres_changes and access_token,
// heartbeats on `phoenix`, access_token refreshes, leave), fed by the wal2json change feed and
// authorised per subscriber as Realtime does. Broadcast, presence and private channels
// (authorised through realtime.messages) are not served.
import postgres from "postgres";
import { type ChangeFeed, publication, startChangeFeed } from "./changes.ts";
import { checkFilter, deliver, type Subscriber } from "./delivery.ts";
import {
  bindingId,
  type ChangeParams,
  changePayload,
  decode,
  encode,
  type Message,
  parseChangeParams,
  push,
  reply,
  systemPayload,
  type Vsn,
  vsns,
} from "./protocol.ts";
import { checkToken } from "./token.ts";

export interface RealtimeOptions {
  /** A role that may create replication slots and switch to the API roles (postgres). */
  databaseUrl: string;
  jwtSecret: string;
  /** The replication slot's name: one per stack. */
  slot: string;
  log?: (line: string) => void;
}

interface Channel extends Subscriber {
  topic: string;
  joinRef: string | null;
  token: string;
  expiry?: ReturnType<typeof setTimeout>;
}

/** Realtime's error for a subscription it cannot store. */
const subscribeError = (why: string, params: Record<string, unknown>) =>
  `Subscription insert failed with ${why}. Check that tables are part of publication ${publication} and subscription params are correct: ${
    JSON.stringify(params)
  }`;

/** The socket's key, where Realtime looks for it: the x-api-key header, else `apikey`. */
const apiKeyOf = (req: Request, url: URL) =>
  req.headers.get("x-api-key") ?? url.searchParams.get("apikey") ?? "";

export function createRealtime(opts: RealtimeOptions) {
  const log = opts.log ?? ((line: string) => console.error(line));
  const secret = new TextEncoder().encode(opts.jwtSecret);
  const sql = postgres(opts.databaseUrl, { max: 4, onnotice: () => {} });
  const channels = new Set<Channel>();
  const sockets = new Set<WebSocket>();
  const feed: ChangeFeed = startChangeFeed(
    opts.databaseUrl,
    opts.slot,
    (changes) => deliver(sql, changes, [...channels].filter((c) => c.bindings.length)),
    log,
  );

  /** Why the bindings cannot be served (table not published, bad filter), or null. */
  async function checkBindings(bindings: ChangeParams[]): Promise<string | null> {
    const published = await sql`
      select schemaname as schema, tablename as table
        from pg_publication_tables where pubname = ${publication}`;
    for (const b of bindings) {
      const tables = published.filter((t) =>
        t.schema === b.schema && (b.table === "*" || t.table === b.table)
      );
      if (!tables.length) return subscribeError("0 rows", b.raw);
      if (b.filter) {
        for (const t of tables) {
          const bad = await checkFilter(sql, t.schema, t.table, b.filter);
          if (bad) return subscribeError(`error: ${bad}`, b.raw);
        }
      }
    }
    return null;
  }

  async function roleExists(role: string): Promise<boolean> {
    return (await sql`select 1 from pg_roles where rolname = ${role}`).length > 0;
  }

  function handle(req: Request): Response {
    const url = new URL(req.url);
    if (req.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("Realtime answers websocket connections only", { status: 400 });
    }
    const vsn = (url.searchParams.get("vsn") ?? "1.0.0") as Vsn;
    if (!vsns.includes(vsn)) {
      return new Response(`Unsupported serializer version ${vsn}`, { status: 400 });
    }
    const apiKey = apiKeyOf(req, url);
    const { socket, response } = Deno.upgradeWebSocket(req);
    sockets.add(socket);
    const mine = new Map<string, Channel>();
    const send = (msg: Message) => {
      if (socket.readyState === WebSocket.OPEN) socket.send(encode(vsn, msg));
    };

    function close(channel: Channel) {
      clearTimeout(channel.expiry);
      channels.delete(channel);
      if (mine.get(channel.topic) === channel) mine.delete(channel.topic);
      send({
        join_ref: channel.joinRef,
        ref: channel.joinRef,
        topic: channel.topic,
        event: "phx_close",
        payload: {},
      });
    }

    /** Realtime's shutdown: a `system` error saying why, then the channel closes. */
    function shutdown(channel: Channel, message: string) {
      const sub = channel.topic.slice("realtime:".length);
      send(
        push(
          channel.topic,
          channel.joinRef,
          "system",
          systemPayload("system", "error", message, sub),
        ),
      );
      close(channel);
    }

    /** At the token's expiry the channel shuts down (timers reach ~24 days: then it looks again). */
    function expireAt(channel: Channel, exp: number) {
      clearTimeout(channel.expiry);
      // A longer delay overflows the timer and fires at once: a busy loop for long-lived keys.
      const ms = Math.min(Math.max(exp * 1000 - Date.now(), 0) + 50, 2 ** 31 - 1);
      channel.expiry = setTimeout(async () => {
        const check = await checkToken(channel.token, secret);
        if (check.ok) expireAt(channel, check.claims.exp);
        else shutdown(channel, check.message);
      }, ms);
    }

    async function join(msg: Message) {
      const sub = msg.topic.slice("realtime:".length);
      if (!sub) {
        return send(
          reply(msg, "error", { reason: "TopicNameRequired: You must provide a topic name" }),
        );
      }
      const config = msg.payload.config as Record<string, unknown> | undefined;
      if (config?.private === true) {
        return send(reply(msg, "error", {
          reason:
            "PrivateChannelsNotSupported: the local Realtime stand-in serves public channels only",
        }));
      }
      const given = msg.payload.access_token ?? msg.payload.user_token;
      const token = typeof given === "string" && !given.startsWith("sb_") ? given : apiKey;
      const check = await checkToken(token, secret);
      if (!check.ok) {
        return send(reply(msg, "error", { reason: `${check.code}: ${check.message}` }));
      }
      if (!(await roleExists(check.claims.role))) {
        return send(reply(msg, "error", {
          reason: `Unauthorized: the token's role ${check.claims.role} does not exist`,
        }));
      }
      const parsed = parseChangeParams(config);
      const bindings = typeof parsed === "string" ? [] : parsed;
      const problem = typeof parsed === "string" ? parsed : await checkBindings(bindings);

      // A second join of the same topic replaces the first, as in Phoenix.
      const previous = mine.get(msg.topic);
      if (previous) close(previous);
      const channel: Channel = {
        topic: msg.topic,
        joinRef: msg.join_ref ?? msg.ref,
        token,
        role: check.claims.role,
        claims: check.claims,
        bindings: problem ? [] : bindings,
        send: (ids, data) =>
          send(push(msg.topic, channel.joinRef, "postgres_changes", changePayload(ids, data))),
      };
      mine.set(msg.topic, channel);
      channels.add(channel);
      expireAt(channel, check.claims.exp);
      // Every binding gets its id, usable or not: the client matches them by position.
      const listed = Array.isArray(config?.postgres_changes) ? config.postgres_changes : [];
      send(reply(msg, "ok", {
        postgres_changes: listed
          .filter((e): e is Record<string, unknown> => typeof e === "object" && e !== null)
          .map(({ id: _id, ...raw }) => ({ ...raw, id: bindingId(raw) })),
      }));
      if (problem || bindings.length) {
        send(push(
          msg.topic,
          channel.joinRef,
          "system",
          problem
            ? systemPayload("postgres_changes", "error", problem, sub)
            : systemPayload("postgres_changes", "ok", "Subscribed to PostgreSQL", sub),
        ));
      }
    }

    async function refresh(channel: Channel, token: unknown) {
      if (typeof token !== "string" || token.startsWith("sb_") || token === channel.token) return;
      const check = await checkToken(token, secret);
      if (!check.ok) return shutdown(channel, check.message);
      if (!(await roleExists(check.claims.role))) {
        return shutdown(channel, `the token's role ${check.claims.role} does not exist`);
      }
      channel.token = token;
      channel.role = check.claims.role;
      channel.claims = check.claims;
      expireAt(channel, check.claims.exp);
    }

    async function receive(msg: Message) {
      if (msg.topic === "phoenix") {
        if (msg.event === "heartbeat") send(reply(msg, "ok"));
        return;
      }
      if (msg.event === "phx_join") {
        if (!msg.topic.startsWith("realtime:")) {
          return send(reply(msg, "error", { reason: "unmatched topic" }));
        }
        return await join(msg);
      }
      const channel = mine.get(msg.topic);
      if (!channel) return send(reply(msg, "error", { reason: "unmatched topic" }));
      if (msg.event === "phx_leave") {
        send(reply(msg, "ok"));
        return close(channel);
      }
      if (msg.event === "access_token") return await refresh(channel, msg.payload.access_token);
      // Broadcast and presence are not served; Realtime ignores events it does not know.
    }

    // One message at a time, in order, as a Phoenix socket handles them.
    let queue = Promise.resolve();
    socket.onmessage = (event) => {
      if (typeof event.data !== "string") return;
      const msg = decode(vsn, event.data);
      if (!msg) return;
      queue = queue.then(() => receive(msg)).catch((err) => {
        log(`realtime: ${msg.event} on ${msg.topic}: ${err instanceof Error ? err.message : err}`);
      });
    };
    socket.onclose = () => {
      sockets.delete(socket);
      for (const channel of mine.values()) {
        clearTimeout(channel.expiry);
        channels.delete(channel);
      }
      mine.clear();
    };
    socket.onerror = () => {};
    return response;
  }

  return {
    /** A websocket upgrade at /realtime/v1/websocket; a bad API key is refused with 403. */
    async handle(req: Request): Promise<Response> {
      // Checked before the upgrade: a refused key gets Phoenix's 403 and never a socket.
      if (!(await checkToken(apiKeyOf(req, new URL(req.url)), secret)).ok) {
        return new Response("Forbidden", { status: 403 });
      }
      return handle(req);
    },
    async close(): Promise<void> {
      for (const socket of sockets) socket.close(1001, "Realtime is shutting down");
      for (const channel of channels) clearTimeout(channel.expiry);
      await feed.close();
      await sql.end({ timeout: 2 });
    },
  };
}
