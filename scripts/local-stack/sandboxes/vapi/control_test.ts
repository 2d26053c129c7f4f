import assert from "node:assert/strict";
import { recordingWav } from "./recording.ts";
import { ASSISTANT, testSandbox } from "./test_helpers.ts";

const TO = "+442079460123";

Deno.test("control: a scripted call answers with the conversation and ends", async () => {
  const { request } = await testSandbox();
  const res = await request("POST", "/control/calls", {
    to: TO,
    from: "+447700900555",
    script: ["Please take a message: my name is Ann Lee, call me back"],
  });
  assert.equal(res.status, 200);
  const { handled, callId, call } = await res.json();
  assert.equal(handled, true);
  assert.equal(call.id, callId);
  assert.equal(call.ended, true);
  assert.deepEqual(call.transcript.map((t: { role: string }) => t.role), [
    "assistant",
    "user",
    "assistant",
  ]);
  assert.equal(call.transcript[0].text, ASSISTANT.firstMessage);
  assert.match(call.transcript[2].text, /^take_message done/);
  assert.deepEqual(call.problems, []);
  const listed = await (await request("GET", "/control/calls")).json();
  assert.equal(listed[0].id, callId);
});

Deno.test("control: a live call — first line, say, hang up; refusals for ended and unknown calls", async () => {
  const { request } = await testSandbox();
  const started = await (await request("POST", "/control/calls", { to: TO, line: "Hello there" }))
    .json();
  assert.equal(started.call.ended, false);
  assert.equal(started.call.transcript.length, 3);
  const id = started.callId;
  const said = await request("POST", `/control/calls/${id}/say`, { line: "Do you have parking?" });
  assert.equal(said.status, 200);
  const after = await said.json();
  assert.match(after.transcript.at(-1).text, /^lookup_faq done/);
  assert.equal((await request("POST", `/control/calls/${id}/say`, {})).status, 400);
  assert.equal((await request("POST", `/control/calls/${id}/hangup`)).status, 200);
  const ended = await request("POST", `/control/calls/${id}/say`, { line: "hello?" });
  assert.equal(ended.status, 409);
  assert.equal((await request("POST", "/control/calls/nope/say", { line: "x" })).status, 404);
  assert.equal((await request("GET", "/control/calls/nope")).status, 404);
  assert.equal((await request("GET", `/control/calls/${id}`)).status, 200);
});

Deno.test("control: bad requests are 400, a down sandbox answers handled: false", async () => {
  const { request } = await testSandbox();
  assert.equal((await request("POST", "/control/calls", { to: "0207" })).status, 400);
  assert.equal((await request("POST", "/control/calls", { to: TO, script: "x" })).status, 400);
  assert.equal((await request("POST", "/control/calls")).status, 400);
  await request("POST", "/control/faults", { down: true });
  const down = await (await request("POST", "/control/calls", { to: TO, script: ["hi"] })).json();
  assert.equal(down.handled, false);
  const unknown = await (await request("POST", "/control/calls", { to: "+15550001111" })).json();
  assert.equal(unknown.handled, false);
  assert.equal((await request("GET", "/control/nope")).status, 404);
});

Deno.test("recordings: an ended call's recording is a WAV; none for others", async () => {
  const { request } = await testSandbox();
  const { call } = await (await request("POST", "/control/calls", { to: TO, script: ["hi"] }))
    .json();
  const path = new URL(call.artifact.recordingUrl).pathname.replace("/_local/vapi", "");
  const res = await request("GET", path);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "audio/wav");
  const bytes = new Uint8Array(await res.arrayBuffer());
  assert.equal(new TextDecoder().decode(bytes.slice(0, 4)), "RIFF");
  assert.equal(new TextDecoder().decode(bytes.slice(8, 12)), "WAVE");
  assert.equal((await request("GET", "/recordings/nope.wav")).status, 404);
});

Deno.test("recordingWav: a valid 8 kHz 16-bit mono PCM file, 1 to 5 seconds long", () => {
  for (const [seconds, expected] of [[0, 1], [3, 3], [60, 5]]) {
    const wav = recordingWav(seconds);
    const view = new DataView(wav.buffer);
    assert.equal(view.getUint32(4, true), wav.length - 8);
    assert.equal(view.getUint16(20, true), 1);
    assert.equal(view.getUint32(24, true), 8000);
    assert.equal(view.getUint32(40, true), expected * 8000 * 2);
  }
});

Deno.test("state: numbers and calls survive a restart; demo numbers follow the functions URL", async () => {
  const dir = await Deno.makeTempDir();
  const dataFile = `${dir}/vapi.json`;
  try {
    const first = await testSandbox({ dataFile });
    const { callId } =
      await (await first.request("POST", "/control/calls", { to: TO, script: ["hi"] })).json();
    await first.sandbox.settled();
    assert.equal((await Deno.stat(dataFile)).mode! & 0o777, 0o600);
    const second = await testSandbox({ dataFile });
    const call = await (await second.request("GET", `/control/calls/${callId}`)).json();
    assert.equal(call.ended, true);
    const demo = await (await second.request("GET", "/phone-number/vapi-demo-37167000123")).json();
    assert.equal(demo.server.url, "http://server.test/functions/v1/vapi");
    // Opening moved the demo numbers: that write is done before the folder goes.
    await second.sandbox.settled();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("console: calls with their conversation, escaped", async () => {
  const { request } = await testSandbox();
  await request("POST", "/control/calls", { to: TO, script: ["<b>book</b> tomorrow at 10:30"] });
  const page = await (await request("GET", "")).text();
  assert.match(page, /Vapi sandbox/);
  assert.match(page, /&lt;b&gt;book&lt;\/b&gt; tomorrow at 10:30/);
  assert.ok(!page.includes("<b>book</b>"));
  assert.match(page, /check_availability/);
  assert.match(page, /vapi-demo-442079460123/);
});
