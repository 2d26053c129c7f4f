import assert from "node:assert/strict";
import { FLOOD_LIMIT, limitReason } from "./limits.ts";

Deno.test("limitReason: the hourly cap, then the flood limit, each with a reason in words", () => {
  const table: [number, number, number, RegExp | null][] = [
    [0, 200, 1, null],
    [199, 200, 1, null],
    [200, 200, 1, /limit of 200 messages an hour/],
    [5, 1, 1, /limit of 1 messages an hour/],
    [0, 200, FLOOD_LIMIT, null],
    [0, 200, FLOOD_LIMIT + 1, /more than 20 messages in 10 minutes/],
    [300, 200, 100, /limit of 200/], // the cap is named first
  ];
  for (const [bot, max, inbound, expected] of table) {
    const reason = limitReason({
      botMessagesLastHour: bot,
      maxMessagesPerHour: max,
      inboundRecently: inbound,
    });
    if (expected === null) assert.equal(reason, null);
    else assert.match(reason ?? "", expected);
  }
});
