// The test proxy's own behaviour that scripts/bench relies on (no page, no fake-gcs-server): what
// it records it replays byte for byte with the same status and headers, a request never recorded
// goes upstream and is counted, and listings get GCS's `matchGlob` and `fields` applied, which
// fake-gcs-server ignores.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { globPattern, parseFields, startProxy } from "./fixtures/proxy.mjs";

const LISTING = {
  kind: "storage#objects",
  prefixes: ["logs/a/", "logs/b/"],
  items: [
    { kind: "storage#object", name: "logs/a/1/finished.json", size: "10", metadata: { link: "x" } },
    { kind: "storage#object", name: "logs/a/1/started.json", size: "12" },
    { kind: "storage#object", name: "logs/a/1/artifacts/junit.functest.xml", size: "99" },
  ],
};
let upstream, upstreamHits, proxy;

before(async () => {
  upstreamHits = 0;
  upstream = createServer((req, res) => {
    upstreamHits += 1;
    const listing = req.url.startsWith("/storage/v1/b/bucket/o?");
    res.writeHead(200, { "content-type": listing ? "application/json" : "text/plain", "access-control-allow-origin": "*", "x-hit": String(upstreamHits) });
    res.end(listing ? JSON.stringify(LISTING) : `body of ${req.url}`);
  });
  await new Promise((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  proxy = await startProxy(`http://127.0.0.1:${upstream.address().port}`);
});

after(async () => {
  await proxy.close();
  await new Promise((resolve) => upstream.close(resolve));
});

test("GCS globs: * and ? stop at /, ** does not, classes and alternatives", () => {
  assert.ok(globPattern("logs/*/1/*.json").test("logs/a/1/finished.json"));
  assert.ok(!globPattern("logs/*.json").test("logs/a/1/finished.json"));
  assert.ok(globPattern("logs/**.json").test("logs/a/1/finished.json"));
  assert.ok(globPattern("logs/a/?/{finished,started}.json").test("logs/a/1/started.json"));
  assert.ok(!globPattern("logs/a/?/{finished,started}.json").test("logs/a/12/started.json"));
  assert.ok(globPattern("a[0-9]b.txt").test("a7b.txt") && !globPattern("a[!0-9]b.txt").test("a7b.txt"));
  assert.ok(globPattern("a.b+c(d)").test("a.b+c(d)") && !globPattern("a.b").test("axb"));
});

test("partial-response fields: lists, nested lists and paths", () => {
  assert.deepEqual(parseFields("prefixes,items(name,metadata/link),nextPageToken"), {
    prefixes: null,
    items: { name: null, metadata: { link: null } },
    nextPageToken: null,
  });
});

test("records answers, replays them late from memory, and counts what was never recorded", async () => {
  proxy.reset();
  proxy.state.tape = { mode: "record", answers: new Map(), misses: [] };
  const object = `${proxy.url}/storage/v1/b/bucket/o/logs%2Fa%2F1%2Ffinished.json?alt=media`;
  const first = await fetch(object);
  const body = await first.text();
  assert.equal(upstreamHits, 1);
  proxy.reset();
  Object.assign(proxy.state, { delayMs: 50 });
  proxy.state.tape.mode = "replay";
  const began = Date.now();
  const again = await fetch(object);
  assert.equal(await again.text(), body);
  assert.ok(Date.now() - began >= 50, "answered late");
  assert.equal(again.status, 200);
  assert.equal(again.headers.get("x-hit"), "1", "the recorded headers");
  assert.equal(again.headers.get("access-control-allow-origin"), "*");
  assert.equal(upstreamHits, 1, "from memory");
  assert.deepEqual(proxy.state.tape.misses, []);
  await (await fetch(`${proxy.url}/storage/v1/b/bucket/o/other?alt=media`)).text();
  assert.equal(upstreamHits, 2, "passed upstream");
  assert.deepEqual(proxy.state.tape.misses, ["/storage/v1/b/bucket/o/other?alt=media"]);
  assert.ok(proxy.state.connections.opened >= 1 && proxy.state.inFlight.peak >= 1);
  proxy.state.tape = null;
});

test("a listing from a later startOffset is cut from the one recorded", async () => {
  proxy.reset();
  proxy.state.tape = { mode: "record", answers: new Map(), misses: [] };
  const listing = (offset) => `${proxy.url}/storage/v1/b/bucket/o?${new URLSearchParams({ prefix: "logs/", startOffset: offset })}`;
  await (await fetch(listing("logs/a/1/"))).json();
  const hits = upstreamHits;
  proxy.state.tape.mode = "replay";
  const cut = await (await fetch(listing("logs/a/1/s"))).json();
  assert.deepEqual(cut.items.map((item) => item.name), ["logs/a/1/started.json"]);
  assert.deepEqual(cut.prefixes, ["logs/a/", "logs/b/"], "a folder holding the offset stays");
  const past = await (await fetch(listing("logs/a0"))).json();
  assert.deepEqual([past.items, past.prefixes], [[], ["logs/b/"]], "folders and names before the offset go");
  assert.equal(upstreamHits, hits);
  assert.equal(proxy.state.tape.derived, 2);
  await (await fetch(listing("logs/"))).json();
  assert.equal(upstreamHits, hits + 1, "an earlier offset cannot be cut from a later one");
  assert.equal(proxy.state.tape.misses.length, 1);
  proxy.state.tape = null;
});

test("listings get matchGlob and fields applied only with gcsParams", async () => {
  proxy.reset();
  const query = new URLSearchParams({ prefix: "logs/", matchGlob: "logs/*/1/*.json", fields: "items(name,metadata),nextPageToken" });
  const url = `${proxy.url}/storage/v1/b/bucket/o?${query}`;
  assert.deepEqual(await (await fetch(url)).json(), LISTING, "passed through as fake-gcs-server answers");
  proxy.state.gcsParams = true;
  assert.deepEqual(await (await fetch(url)).json(), {
    items: [{ name: "logs/a/1/finished.json", metadata: { link: "x" } }, { name: "logs/a/1/started.json" }],
  });
  const prefixes = new URLSearchParams({ prefix: "logs/", matchGlob: "logs/b/", fields: "prefixes" });
  assert.deepEqual(await (await fetch(`${proxy.url}/storage/v1/b/bucket/o?${prefixes}`)).json(), { prefixes: ["logs/b/"] });
});
