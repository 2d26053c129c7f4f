import assert from "node:assert/strict";
import { AuthRetryableFetchError } from "@supabase/supabase-js";
import { signal } from "@preact/signals";
import { describeError } from "../errors.ts";
import { mutate } from "./mutate.ts";
import { createPagedList, keysetAfter } from "./paged_list.ts";
import { createQuery, type Read, readAll } from "./query.ts";

/** A request whose answer the test gives, when it chooses. */
function deferred<T>() {
  let answer!: (value: T) => void;
  let fail!: (reason: unknown) => void;
  const promise = new Promise<T>((resolve, reject) => {
    answer = resolve;
    fail = reject;
  });
  return { promise, answer, fail };
}

/** A fetcher that hands out one pending request per call, answered by the test. */
function fakeFetcher<T>() {
  const calls: ReturnType<typeof deferred<Read<T>>>[] = [];
  const fetcher = () => {
    const call = deferred<Read<T>>();
    calls.push(call);
    return call.promise;
  };
  return { fetcher, calls };
}

const rowsOf = <T>(data: T): Read<T> => ({ data, error: null });
const failure = (message: string): Read<never> => ({
  data: null,
  error: { message, code: "P0001", details: null, hint: null },
});

Deno.test("the latest read wins, whatever order the answers come in", async () => {
  const { fetcher, calls } = fakeFetcher<string>();
  const query = createQuery(fetcher);
  const first = query.reload();
  const second = query.reload();
  assert.equal(query.loading.value, true);
  calls[1].answer(rowsOf("new"));
  await second;
  assert.equal(query.data.value, "new");
  assert.equal(query.loading.value, false);
  // The first request's answer comes last: it is out of date and must not replace "new".
  calls[0].answer(rowsOf("old"));
  await first;
  assert.equal(query.data.value, "new");
  assert.equal(query.loading.value, false);
});

Deno.test("a late failure of an earlier read neither shows nor stops loading", async () => {
  const { fetcher, calls } = fakeFetcher<string>();
  const query = createQuery(fetcher);
  const first = query.reload();
  const second = query.reload();
  calls[0].answer(failure("stale"));
  await first;
  assert.equal(query.error.value, null);
  assert.equal(query.loading.value, true);
  calls[1].answer(rowsOf("fresh"));
  await second;
  assert.deepEqual([query.data.value, query.error.value], ["fresh", null]);
});

Deno.test("a failed reload keeps what was shown and says why; a success clears it", async () => {
  const { fetcher, calls } = fakeFetcher<number[]>();
  const query = createQuery(fetcher);
  const load = query.reload();
  calls[0].answer(rowsOf([1, 2]));
  await load;
  const failed = query.reload();
  calls[1].answer(failure("Closures may not overlap"));
  await failed;
  assert.deepEqual(query.data.value, [1, 2]);
  assert.equal(query.error.value, "Closures may not overlap");
  const thrown = query.reload();
  calls[2].fail(new TypeError("Failed to fetch"));
  await thrown;
  assert.equal(query.error.value, "Can't reach the server. Check your connection and try again.");
  const again = query.reload();
  calls[3].answer(rowsOf([3]));
  await again;
  assert.deepEqual([query.data.value, query.error.value], [[3], null]);
});

Deno.test("reads made at once answer together, or with the first failure", async () => {
  const both = await readAll({
    hours: Promise.resolve(rowsOf([{ id: "h" }])),
    count: Promise.resolve(rowsOf(3)),
  });
  assert.deepEqual(both, { data: { hours: [{ id: "h" }], count: 3 }, error: null });
  const failed = await readAll({
    hours: Promise.resolve(rowsOf([])),
    closures: Promise.resolve(failure("permission denied for table closures")),
    services: Promise.resolve(failure("second")),
  });
  assert.equal(failed.data, null);
  assert.equal(describeError(failed.error), "permission denied for table closures");
});

Deno.test("after a reset, an answer still coming is dropped", async () => {
  const { fetcher, calls } = fakeFetcher<string>();
  const query = createQuery(fetcher);
  const load = query.reload();
  query.reset();
  calls[0].answer(rowsOf("previous clinic"));
  await load;
  assert.equal(query.data.value, undefined);
  assert.equal(query.loading.value, false);
});

type Entry = { id: string; created_at: string };
const entry = (n: number): Entry => ({
  id: `id-${String(n).padStart(3, "0")}`,
  created_at: `2026-12-01T10:${String(n).padStart(2, "0")}:00+00:00`,
});

/** A table of entries, newest first, paged as a keyset query would page it. */
function pagedTable(count: number) {
  const table = Array.from({ length: count }, (_, i) => entry(count - i));
  const asked: { after: Entry | undefined; limit: number }[] = [];
  const fetchPage = (after: Entry | undefined, limit: number) => {
    asked.push({ after, limit });
    const start = after ? table.findIndex((row) => row.id === after.id) + 1 : 0;
    return Promise.resolve(rowsOf(table.slice(start, start + limit)));
  };
  return { table, asked, fetchPage };
}

Deno.test("keyset paging reads after the last row shown until there is no more", async () => {
  const { table, asked, fetchPage } = pagedTable(5);
  const list = createPagedList({ fetchPage, pageSize: 2, key: (row) => row.id });
  await list.reload();
  assert.deepEqual(list.rows.value, table.slice(0, 2));
  assert.equal(list.hasMore.value, true);
  // One row more than a page is asked for: it tells whether another page exists.
  assert.deepEqual(asked[0], { after: undefined, limit: 3 });
  await list.loadMore();
  assert.deepEqual(asked[1].after, table[1]);
  await list.loadMore();
  assert.deepEqual(list.rows.value, table);
  assert.equal(list.hasMore.value, false);
});

Deno.test("asking for more twice while a page is coming reads it once", async () => {
  const { table, asked, fetchPage } = pagedTable(6);
  const list = createPagedList({ fetchPage, pageSize: 2, key: (row) => row.id });
  await list.reload();
  await Promise.all([list.loadMore(), list.loadMore()]);
  assert.equal(asked.length, 2);
  assert.deepEqual(list.rows.value, table.slice(0, 4));
});

Deno.test("a page still coming when the list is reloaded is not appended", async () => {
  const pages: ReturnType<typeof deferred<Read<Entry[]>>>[] = [];
  const list = createPagedList<Entry>({
    fetchPage: () => {
      pages.push(deferred());
      return pages.at(-1)!.promise;
    },
    pageSize: 1,
    key: (row) => row.id,
  });
  const first = list.reload();
  pages[0].answer(rowsOf([entry(9), entry(8)]));
  await first;
  const more = list.loadMore();
  const reload = list.reload(); // e.g. a filter changed
  pages[2].answer(rowsOf([entry(5)]));
  await reload;
  pages[1].answer(rowsOf([entry(8), entry(7)]));
  await more;
  assert.deepEqual(list.rows.value, [entry(5)]);
  assert.equal(list.hasMore.value, false);
});

Deno.test("a live row goes on top, or replaces the row it updates", async () => {
  const { table, fetchPage } = pagedTable(3);
  const list = createPagedList({ fetchPage, pageSize: 10, key: (row) => row.id });
  list.prepend(entry(99)); // before the first page: that page will have it
  assert.equal(list.rows.value, undefined);
  await list.reload();
  list.prepend(entry(4));
  assert.deepEqual(list.rows.value, [entry(4), ...table]);
  const updated = { ...table[1], created_at: "changed" };
  list.prepend(updated);
  assert.deepEqual(list.rows.value, [entry(4), table[0], updated, table[2]]);
});

Deno.test("a failed page keeps the rows shown and says why", async () => {
  let fail = false;
  const { fetchPage } = pagedTable(4);
  const list = createPagedList<Entry>({
    fetchPage: (after, limit) =>
      fail ? Promise.resolve(failure("permission denied")) : fetchPage(after, limit),
    pageSize: 2,
    key: (row) => row.id,
  });
  await list.reload();
  fail = true;
  await list.loadMore();
  assert.equal(list.rows.value?.length, 2);
  assert.equal(list.error.value, "permission denied");
  assert.equal(list.hasMore.value, true);
});

Deno.test("the keyset filter is strictly after the last row, ties broken by id", () => {
  assert.equal(
    keysetAfter("created_at", entry(7)),
    'created_at.lt."2026-12-01T10:07:00+00:00",' +
      'and(created_at.eq."2026-12-01T10:07:00+00:00",id.lt."id-007")',
  );
  // A value with quotes or a backslash cannot end the quoted value early.
  assert.equal(
    keysetAfter("name", { id: "x", name: 'a "b" \\c' }),
    'name.lt."a \\"b\\" \\\\c",and(name.eq."a \\"b\\" \\\\c",id.lt."x")',
  );
});

Deno.test("an optimistic change shows at once and rolls back when refused", async () => {
  const shown = signal<string[] | undefined>(["a", "b"]);
  const request = deferred<{ error: unknown }>();
  const saving = mutate(shown, (list) => list.toReversed(), () => request.promise);
  assert.deepEqual(shown.value, ["b", "a"]);
  request.answer({ error: { message: "permission denied for function reorder_intents" } });
  const { error } = await saving;
  assert.deepEqual(shown.value, ["a", "b"]);
  assert.equal(describeError(error), "permission denied for function reorder_intents");
});

Deno.test("an optimistic change stays when saved; a rollback never undoes newer data", async () => {
  const shown = signal<string[] | undefined>(["a", "b"]);
  assert.deepEqual(
    await mutate(shown, (list) => [...list, "c"], () => Promise.resolve({ error: null })),
    {
      error: null,
    },
  );
  assert.deepEqual(shown.value, ["a", "b", "c"]);
  const request = deferred<{ error: unknown }>();
  const saving = mutate(shown, () => ["x"], () => request.promise);
  shown.value = ["reloaded"];
  request.fail(new TypeError("Failed to fetch"));
  const { error } = await saving;
  assert.deepEqual(shown.value, ["reloaded"]);
  assert.equal(
    describeError(error),
    "Can't reach the server. Check your connection and try again.",
  );
});

Deno.test("refusals read as the page's sentences", () => {
  // PostgREST: the database's message, then its hint.
  assert.equal(
    describeError({ code: "P0001", message: "Opening hours overlap", hint: "Change the times" }),
    "Opening hours overlap. Change the times",
  );
  assert.equal(describeError({ code: "23505", message: "Taken!", hint: "" }), "Taken!");
  // postgrest-js reports a failed request as an error without a code.
  assert.equal(
    describeError({ code: "", message: "TypeError: Failed to fetch" }),
    "Can't reach the server. Check your connection and try again.",
  );
  assert.equal(
    describeError(new AuthRetryableFetchError("Failed to fetch", 0)),
    "Can't reach the server. Check your connection and try again.",
  );
  assert.equal(describeError(new Error("Invalid login credentials")), "Invalid login credentials");
  assert.equal(describeError(undefined), "Something went wrong. Please try again.");
  assert.equal(describeError({}), "Something went wrong. Please try again.");
});
