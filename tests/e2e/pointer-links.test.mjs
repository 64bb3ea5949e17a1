// Presubmit pointers' link metadata: the page finds each run's folder in the listing of a job's
// pointers, and a link passes the checks a pointer's content passes. A link into a fork is
// skipped and counted like a pointer into one; a link it cannot read (another bucket, a script
// URL) is not trusted, so that pointer is read and its content decides; the older `link` key
// works; no other pointer is read.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { launchBrowser, openPage, serveStatic, startFakeGcs } from "./harness.mjs";
import { BUCKET, generateBucket, uploadMetadata, writeObjects } from "./fixtures/bucket.mjs";
import { startProxy } from "./fixtures/proxy.mjs";

const { objects, metadata, expected } = generateBucket({ now: Date.now(), seed: 5 });
/** The pointer of each presubmit run in the window, passed runs first. */
const pointers = expected.runList
  .filter((run) => run.pr !== null && run.inWindow)
  .sort((a, b) => Number(a.failed) - Number(b.failed))
  .map((run) => {
    const folder = run.url.replace(/^.*\/view\/gs\/kubevirt-prow\//, "");
    const [job, build] = folder.split("/").slice(-2);
    return { name: `pr-logs/directory/${job}/${build}.txt`, folder, job, build, run };
  });
const [fork, otherBucket, script, older] = pointers;
const tampered = new Map([
  [fork.name, { "x-goog-meta-link": `gs://${BUCKET}/pr-logs/pull/someone_kubevirt/${fork.run.pr}/${fork.job}/${fork.build}` }],
  [otherBucket.name, { "x-goog-meta-link": `gs://another-bucket/${otherBucket.folder}` }],
  [script.name, { "x-goog-meta-link": "javascript:alert(1)" }],
  [older.name, { link: `gs://${BUCKET}/${older.folder}` }],
]);
let site, gcs, proxy, dir;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "triage-links-"));
  await writeObjects(path.join(dir, BUCKET), objects);
  [site, gcs] = await Promise.all([serveStatic(), startFakeGcs(dir)]);
  await uploadMetadata(gcs.url, objects, new Map([...metadata, ...tampered]));
  proxy = await startProxy(gcs.url);
});

after(async () => {
  await Promise.all([site?.close(), gcs?.stop(), proxy?.close()]);
  await rm(dir, { recursive: true, force: true });
});

test("pointer links name run folders, and pass the checks a pointer's content passes", async (t) => {
  assert.equal(fork.run.failed, false, "the skipped run passed, so only the run count changes");
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const { page, errors } = await openPage(browser.context, `${site.url}?${new URLSearchParams({ gcs: proxy.url })}`);
  await page.locator('section.load-panel[data-phase="done"]').waitFor({ timeout: 60_000 });
  const count = async (key) => Number((await page.locator(`[data-count="${key}"]`).textContent()).trim());
  assert.equal(await count("skipped"), 1, "the run a link places in a fork");
  assert.equal(await count("runs"), expected.runs - 1);
  assert.equal(await count("failed"), expected.failed);
  const read = proxy.state.requests.filter((r) => /\/o\/pr-logs\/directory\/.*\.txt\?/.test(r)).map((r) => /\/o\/(.*)\?/.exec(r)[1]);
  assert.deepEqual(read.sort(), [otherBucket.name, script.name].sort(), "only pointers without a readable link are read");
  assert.deepEqual(proxy.state.requests.filter((r) => /someone_kubevirt|another-bucket/.test(r)), []);
  assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
});
