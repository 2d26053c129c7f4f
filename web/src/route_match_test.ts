import assert from "node:assert/strict";
import { addressOf, findRoute, matchPath, parseHash } from "./route_match.ts";

Deno.test("a hash address is a path and a query; anything else is the start page", () => {
  assert.deepEqual(parseHash("#/calls/42"), { path: "/calls/42", query: {} });
  assert.deepEqual(parseHash("#/appointments?date=2026-12-02&view=week"), {
    path: "/appointments",
    query: { date: "2026-12-02", view: "week" },
  });
  assert.deepEqual(parseHash("#/search?q=a%20b%26c"), { path: "/search", query: { q: "a b&c" } });
  // Auth's redirect and an empty hash are not page addresses.
  assert.deepEqual(parseHash("#access_token=x&type=recovery"), { path: "/", query: {} });
  assert.deepEqual(parseHash(""), { path: "/", query: {} });
});

Deno.test("an address written by addressOf reads back as the same location", () => {
  const address = addressOf("/appointments", { date: "2026-12-02", q: "a b&c", unset: undefined });
  assert.equal(address, "/appointments?date=2026-12-02&q=a+b%26c");
  assert.deepEqual(parseHash(`#${address}`), {
    path: "/appointments",
    query: { date: "2026-12-02", q: "a b&c" },
  });
  assert.equal(addressOf("/calls"), "/calls");
  assert.equal(addressOf("/calls", { id: undefined }), "/calls");
});

Deno.test("a pattern's parameters capture one decoded segment each", () => {
  assert.deepEqual(matchPath("/calls/:id", "/calls/42"), { id: "42" });
  assert.deepEqual(matchPath("/invitations/:token", "/invitations/a%2Fb"), { token: "a/b" });
  assert.deepEqual(matchPath("/channels", "/channels"), {});
  assert.equal(matchPath("/calls/:id", "/calls"), null);
  assert.equal(matchPath("/calls/:id", "/calls/"), null);
  assert.equal(matchPath("/calls/:id", "/calls/42/more"), null);
  assert.equal(matchPath("/calls/:id", "/conversations/42"), null);
  // Broken percent-encoding is an unknown page, not a crash.
  assert.equal(matchPath("/calls/:id", "/calls/%E0%A4%A"), null);
});

Deno.test("a last parameter marked optional may be absent", () => {
  assert.deepEqual(matchPath("/channels/:section?", "/channels"), {});
  assert.deepEqual(matchPath("/channels/:section?", "/channels/phone"), { section: "phone" });
  assert.equal(matchPath("/channels/:section?", "/channels/phone/x"), null);
  assert.equal(matchPath("/channels/:section?", "/channels/"), null);
  assert.equal(matchPath("/channels/:section?", "/"), null);
});

Deno.test("the first matching route wins, so exact paths go before parameters", () => {
  const routes = [
    { path: "/", name: "home" },
    { path: "/organisations/new", name: "create" },
    { path: "/organisations/:id", name: "organisation" },
  ];
  assert.equal(findRoute(routes, "/")?.route.name, "home");
  assert.equal(findRoute(routes, "/organisations/new")?.route.name, "create");
  assert.deepEqual(findRoute(routes, "/organisations/7"), {
    route: routes[2],
    params: { id: "7" },
  });
  assert.equal(findRoute(routes, "/nowhere"), null);
});
