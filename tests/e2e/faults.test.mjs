// Faults between the page and GCS: 429 and 500 answers, answers cut off mid-file, listings whose
// later pages fail, slow answers. The page must finish with everything that could be read, list
// what could not, and its retries must work.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { launchBrowser, openPage, serveStatic, startFakeGcs } from "./harness.mjs";
import { BUCKET, cardChangingJunits, expectedCards, generateBucket, uploadMetadata, writeObjects } from "./fixtures/bucket.mjs";
import { assertCards } from "./fixtures/cards.mjs";
import { startProxy } from "./fixtures/proxy.mjs";

const { objects, metadata, expected } = generateBucket({ now: Date.now(), seed: 11 });

let site, gcs, proxy, bucketDir;

before(async () => {
  bucketDir = await mkdtemp(path.join(tmpdir(), "triage-faults-"));
  await writeObjects(path.join(bucketDir, BUCKET), objects);
  [site, gcs] = await Promise.all([serveStatic(), startFakeGcs(bucketDir)]);
  await uploadMetadata(gcs.url, objects, metadata);
  proxy = await startProxy(gcs.url);
});

after(async () => {
  await Promise.all([site?.close(), gcs?.stop(), proxy?.close()]);
  await rm(bucketDir, { recursive: true, force: true });
});

const done = (page) => page.locator('section.load-panel[data-phase="done"]').waitFor({ timeout: 90_000 });
const count = async (page, key) => (await page.locator(`[data-count="${key}"]`).textContent()).trim();
const problems = (page) => page.locator(".load-problem");
const unexpected = (errors) => errors.filter((e) => !/Failed to load resource/.test(e));

/** Opens the page on the proxy in a fresh browser profile (no cache), closed with the test. */
async function open(t, query = {}) {
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const opened = await openPage(browser.context, `${site.url}?${new URLSearchParams({ gcs: proxy.url, ...query })}`);
  await done(opened.page);
  return opened;
}

/** Clicks Retry on the first problem naming `text`; waits until it is gone and the load settles. */
async function retry(page, text) {
  const matching = problems(page).filter({ hasText: text });
  const before = await matching.count();
  await matching.first().getByRole("button", { name: "Retry" }).click();
  await page.waitForFunction(
    ([needle, n]) => [...document.querySelectorAll(".load-problem")].filter((p) => p.textContent.includes(needle)).length < n,
    [text, before],
    { timeout: 60_000 },
  );
  await done(page);
}

describe("faults between the page and GCS", () => {
  test("429 and 500 answers are retried with backoff until they pass", async (t) => {
    proxy.reset();
    const [throttled, flaky] = expected.failedJunits;
    proxy.state.faults.set(throttled, { status: 429, times: 2 });
    proxy.state.faults.set(flaky, { status: 500, times: 1 });
    const { page, errors } = await open(t);
    assert.equal(await problems(page).count(), expected.truncated.length, "only the cut-off JUnit is a problem");
    assert.equal(proxy.requestsFor(throttled), 3, "two 429s, then the file");
    assert.equal(proxy.requestsFor(flaky), 2, "one 500, then the file");
    assert.equal(await count(page, "runs"), String(expected.runs));
    assert.equal(await count(page, "failed"), String(expected.failed));
    await assertCards(page, expectedCards(expected), "after the retried answers");
    assert.deepEqual(unexpected(errors), []);
  });

  test("a file cut off mid-body is listed, everything else loads, and its retry works", async (t) => {
    proxy.reset();
    const [dropped] = cardChangingJunits(expected);
    assert.ok(dropped, "a failed run whose JUnit changes the cards");
    proxy.state.drops.add(dropped);
    const { page, errors } = await open(t);
    const problem = problems(page).filter({ hasText: dropped });
    assert.match(await problem.textContent(), /network error/i);
    assert.equal(await count(page, "runs"), String(expected.runs), "the run still counts, as failed and unread");
    assert.equal(await count(page, "failed"), String(expected.failed));
    await assertCards(page, expectedCards(expected, { unread: [dropped] }), "before the retry");

    proxy.state.drops.clear();
    await retry(page, dropped);
    assert.equal(await problems(page).count(), expected.truncated.length);
    assert.equal(await count(page, "runs"), String(expected.runs));
    await assertCards(page, expectedCards(expected), "after the retry");
    assert.deepEqual(unexpected(errors), []);
  });

  test("a listing whose later pages fail keeps the first pages, says so, and its retry reads the rest", async (t) => {
    proxy.reset();
    proxy.state.pageSize = 3;
    proxy.state.brokenPages = true;
    const { page, errors } = await open(t);
    const listing = problems(page).filter({ hasText: "pageToken" });
    assert.ok((await listing.count()) > 0, "the failed listing pages are listed");
    assert.match(await listing.first().textContent(), /HTTP 503/);
    const partial = Number(await count(page, "runs"));
    assert.ok(partial > 0 && partial < expected.runs, `${partial} of ${expected.runs} runs read from the first pages`);

    proxy.state.brokenPages = false;
    while ((await listing.count()) > 0) await retry(page, "pageToken");
    assert.equal(await count(page, "runs"), String(expected.runs));
    assert.equal(await count(page, "failed"), String(expected.failed));
    await assertCards(page, expectedCards(expected), "after the listing's retries");
    assert.deepEqual(unexpected(errors), []);
  });

  test("a run in progress whose read failed counts as running once, however often it is retried", async (t) => {
    proxy.reset();
    const folder = [...objects.keys()].find((name) => name.endsWith("/started.json") && !objects.has(name.replace(/started\.json$/, "finished.json"))).replace(/started\.json$/, "");
    const prowjob = `${folder}prowjob.json`;
    proxy.state.failing.add(prowjob);
    const { page, errors } = await open(t, { run: `https://prow.ci.kubevirt.io/view/gs/${BUCKET}/${folder.slice(0, -1)}` });
    assert.equal(await problems(page).filter({ hasText: prowjob }).count(), 1);
    assert.equal(await count(page, "running"), "1");
    for (const attempt of [1, 2]) {
      await retry(page, prowjob);
      await problems(page).filter({ hasText: prowjob }).waitFor();
      assert.equal(await count(page, "running"), "1", `after retry ${attempt}`);
      assert.equal(await count(page, "runs"), "1");
    }
    proxy.state.failing.clear();
    await retry(page, prowjob);
    assert.equal(await count(page, "running"), "1", "after the retry that read it");
    assert.equal(await problems(page).count(), 0);
    assert.deepEqual(unexpected(errors), []);
  });

  test("slow answers still load everything", async (t) => {
    proxy.reset();
    proxy.state.delayMs = 250;
    const { page, errors } = await open(t);
    assert.equal(await count(page, "runs"), String(expected.runs));
    assert.equal(await count(page, "failed"), String(expected.failed));
    await assertCards(page, expectedCards(expected), "after slow answers");
    assert.equal(await problems(page).count(), expected.truncated.length);
    assert.deepEqual(unexpected(errors), []);
  });
});
