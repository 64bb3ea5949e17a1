// Live data end to end: the built page reads a generated KubeVirt bucket from fake-gcs-server,
// through a loopback proxy that counts requests, can answer HTTP 500 for chosen objects and can
// shrink listing pages (fake-gcs-server can do neither).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, launchBrowser, openPage, OUT_DIR, screenshot, serveStatic, startFakeGcs } from "./harness.mjs";
import {
  BUCKET,
  cardChangingJunits,
  expectedCards,
  generateBucket,
  LEADERBOARD_SUCCESSES,
  leaderboardJson,
  SAMPLE,
  writeObjects,
} from "./fixtures/bucket.mjs";
import { assertCards } from "./fixtures/cards.mjs";
import { startProxy } from "./fixtures/proxy.mjs";

const NOW = Date.now();
const generated = generateBucket({ now: NOW, seed: 7 });
const { expected } = generated;
const LEADERBOARD = "ci-health/results.json";

let site, gcs, proxy, bucketDir;

before(async () => {
  bucketDir = await mkdtemp(path.join(tmpdir(), "triage-live-"));
  const objects = new Map(generated.objects).set(LEADERBOARD, leaderboardJson(generated, NOW));
  await writeObjects(path.join(bucketDir, BUCKET), objects);
  [site, gcs] = await Promise.all([serveStatic(undefined, "/triage/"), startFakeGcs(bucketDir)]);
  proxy = await startProxy(gcs.url);
});

after(async () => {
  await Promise.all([site?.close(), gcs?.stop(), proxy?.close()]);
  await rm(bucketDir, { recursive: true, force: true });
});

const pageUrl = (params) => `${site.url}?${new URLSearchParams(params)}`;
const panel = (page) => page.locator("section.load-panel");
const done = (page) => page.locator('section.load-panel[data-phase="done"]').waitFor({ timeout: 60_000 });
const count = async (page, key) => (await page.locator(`[data-count="${key}"]`).textContent()).trim();
const problem = (page, text) => page.locator(".load-problem", { hasText: text });
/** Console errors other than the browser's own line for each failed request. */
const unexpected = (errors) => errors.filter((e) => !/Failed to load resource/.test(e));

/** Polls `check` until it holds (a readiness wait, not a sleep). */
async function until(check, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A fresh browser profile, closed when the test ends however it ends. */
async function browserFor(t) {
  const browser = await launchBrowser();
  t.after(() => browser.close());
  return browser;
}

describe("live data from GCS", () => {
  test("loads every e2e run of the window, reports a 500-ing object with a working retry and a cut-off JUnit", async (t) => {
    proxy.reset();
    const [lost] = cardChangingJunits(expected);
    assert.ok(lost, "a failed run whose JUnit changes the cards");
    proxy.state.failing.add(lost);
    proxy.state.pageSize = 3;
    const browser = await browserFor(t);
    const { page, errors } = await openPage(browser.context, pageUrl({ gcs: proxy.url }));
    await done(page);

    assert.equal(await count(page, "jobs"), String(expected.jobs.length));
    assert.equal(await count(page, "runs"), String(expected.runs));
    assert.equal(await count(page, "failed"), String(expected.failed));
    const requests = proxy.state.requests;
    assert.ok(requests.some((r) => r.includes("pageToken=")), "listings were paged");
    assert.ok(!requests.some((r) => /unit-test|nightly-build/.test(r)), "non-e2e jobs are never read");
    // Runs before the window are read only as the stretch before it, for lanes whose failing
    // tests would read as new (lanes with a failed run in the window), and never counted.
    const failingLanes = new Set(expected.runList.filter((run) => run.inWindow && run.failures.length).map((run) => run.job));
    const outsideRead = expected.outside.filter((folder) => requests.some((r) => r.includes(folder)));
    assert.ok(outsideRead.every((folder) => [...failingLanes].some((job) => folder.includes(`/${job}/`))), "runs before the window are read only for lanes to check");

    const failing = problem(page, lost);
    assert.match(await failing.textContent(), /HTTP 500 \(after 4 attempts\)/);
    assert.match(await problem(page, expected.truncated[0]).textContent(), /JUnit file cut short or malformed \(byte \d+: /);
    await assertCards(page, expectedCards(expected, { unread: [lost] }), "before the retry");
    await screenshot(page, "live-loaded");
    await panel(page).screenshot({ path: path.join(OUT_DIR, "live-panel.png") });

    proxy.state.failing.clear();
    proxy.state.requests = [];
    await failing.getByRole("button", { name: "Retry" }).click();
    await until(() => proxy.state.requests.some((r) => r.includes(lost)), "the retry's request");
    await done(page);
    assert.equal(await failing.count(), 0, "the retried run loaded");
    assert.equal(await count(page, "runs"), String(expected.runs));
    assert.equal(await count(page, "failed"), String(expected.failed), "the retried run replaced its unread version");
    assert.equal(await page.locator(".load-problem").count(), 1, "only the cut-off file is left");
    await assertCards(page, expectedCards(expected), "after the retry");
    assert.deepEqual(unexpected(errors), []);
  });

  test("shows loading skeletons until the first runs arrive, then the cards", async (t) => {
    proxy.reset();
    proxy.state.delayMs = 1500;
    const browser = await browserFor(t);
    const { page, errors } = await openPage(browser.context, pageUrl({ gcs: proxy.url }));
    await page.locator("[data-skeleton]").first().waitFor();
    assert.equal(await page.locator("article.card[data-sig]").count(), 0);
    proxy.state.delayMs = 0;
    await done(page);
    await assertCards(page, expectedCards(expected), "after the load");
    assert.equal(await page.locator("[data-skeleton]").count(), 0);
    assert.deepEqual(unexpected(errors), []);
  });

  test("a reload in the same browser fetches at most a tenth of the first load's requests", async (t) => {
    proxy.reset();
    const browser = await browserFor(t);
    const { page, errors } = await openPage(browser.context, pageUrl({ gcs: proxy.url }));
    await done(page);
    const first = proxy.state.requests.length;
    proxy.state.requests = [];
    await page.reload();
    await done(page);
    const second = proxy.state.requests.length; console.log("RELOAD", JSON.stringify(proxy.state.requests.map(decodeURIComponent))); console.log("RELOAD", JSON.stringify(proxy.state.requests.map(decodeURIComponent)));
    console.log(`requests: first load ${first}, reload ${second} (${((100 * second) / first).toFixed(1)} %)`);
    assert.ok(second <= first / 10, `${second} requests on reload, ${first} on the first load`);
    assert.equal(await count(page, "runs"), String(expected.runs));
    assert.equal(await count(page, "failed"), String(expected.failed));
    const uncached = 1 + expected.truncated.length;
    assert.equal(await count(page, "cached"), String(expected.runs - uncached), "all but the running run and the cut-off file come from the cache");
    await assertCards(page, expectedCards(expected), "after a reload from the cache");

    await page.getByRole("button", { name: "Clear cache" }).click();
    await page.getByText("Cache cleared").waitFor();
    proxy.state.requests = [];
    await page.getByRole("button", { name: "Reload" }).click();
    await done(page);
    assert.equal(await count(page, "cached"), "0");
    assert.ok(proxy.state.requests.length >= first * 0.9, "a cleared cache fetches everything again");
    await assertCards(page, expectedCards(expected), "after a reload with a cleared cache");
    assert.deepEqual(unexpected(errors), []);
  });

  test("a new page deletes cached entries of runs older than 30 days and keeps the rest", async (t) => {
    proxy.reset();
    const browser = await browserFor(t);
    const { page, errors } = await openPage(browser.context, pageUrl({ gcs: proxy.url }));
    await done(page);
    const objects = `${proxy.url}/storage/v1/b/kubevirt-prow/o/`;
    const snowflake = (daysAgo) => ((BigInt(Date.now() - daysAgo * 86_400_000) - 1_288_834_974_657n) << 22n).toString();
    const stale = `${objects}logs%2Fperiodic-kubevirt-e2e-k8s-1.34-sig-storage%2F${snowflake(40)}%2Ftriage-record.json?alt=media`;
    const recent = `${objects}logs%2Fperiodic-kubevirt-e2e-k8s-1.34-sig-storage%2F${snowflake(20)}%2Ftriage-record.json?alt=media`;
    const keys = () =>
      page.evaluate(async () => (await (await caches.open("kubevirt-ci-triage-v3")).keys()).map((request) => request.url));
    await page.evaluate(async (urls) => {
      const cache = await caches.open("kubevirt-ci-triage-v3");
      for (const url of urls) await cache.put(url, new Response("{}"));
    }, [stale, recent]);
    const before = await keys();
    await page.reload();
    await done(page);
    await page.waitForFunction((url) => caches.open("kubevirt-ci-triage-v3").then((c) => c.match(url)).then((r) => !r), stale);
    const after = await keys();
    assert.ok(after.includes(recent), "a 20-day-old run is kept");
    assert.equal(after.length, before.length - 1, "only the 40-day-old entry is gone");
    assert.deepEqual(unexpected(errors), []);
  });

  test("one pull request or one pasted run loads just that", async (t) => {
    proxy.reset();
    const browser = await browserFor(t);
    const { page, errors } = await openPage(browser.context, pageUrl({ gcs: proxy.url }));
    await done(page);
    const [pr, prRuns] = [...expected.prs].sort((a, b) => b[1] - a[1])[0];
    const entry = page.getByLabel("One run or pull request");
    await entry.fill(`#${pr}`);
    await entry.press("Enter");
    await page.getByText(`Showing PR #${pr} only.`).waitFor();
    await done(page);
    assert.equal(await count(page, "runs"), String(prRuns));
    assert.match(page.url(), new RegExp(`pr=${pr}`));
    await assertCards(page, expectedCards(expected, { include: (run) => run.pr === pr }), `PR #${pr}`);

    const [job, [runUrl]] = [...expected.failedPresubmits][0];
    await entry.fill(runUrl);
    await entry.press("Enter");
    await page.getByText(`of ${job} only.`).waitFor();
    await done(page);
    assert.equal(await count(page, "runs"), "1");
    assert.equal(await count(page, "failed"), "1");
    assert.doesNotMatch(page.url(), /pr=/);
    await assertCards(page, expectedCards(expected, { include: (run) => run.url === runUrl }), "one pasted run");

    await page.getByRole("button", { name: "Show all runs" }).click();
    await page.locator(".load-focus").waitFor({ state: "detached" });
    await done(page);
    assert.equal(await count(page, "runs"), String(expected.runs));
    await assertCards(page, expectedCards(expected), "all runs again");
    assert.deepEqual(unexpected(errors), []);
  });

  test("the ci-health scope loads the leaderboard's failed runs and its job totals", async (t) => {
    proxy.reset();
    const browser = await browserFor(t);
    const results = `${proxy.url}/storage/v1/b/${BUCKET}/o/${encodeURIComponent(LEADERBOARD)}?alt=media`;
    const { page, errors } = await openPage(browser.context, pageUrl({ source: "ci-health", gcs: proxy.url, results }));
    await done(page);
    const boards = [...expected.failedPresubmits];
    const failedRuns = boards.reduce((sum, [, urls]) => sum + urls.length, 0);
    assert.equal(await count(page, "jobs"), String(boards.length));
    assert.equal(await count(page, "runs"), String(failedRuns));
    assert.equal(await count(page, "failed"), String(failedRuns));
    const storage = boards.filter(([job]) => job.includes("sig-storage"));
    const failed = storage.reduce((sum, [, urls]) => sum + urls.length, 0);
    const rate = page.locator('article.card[data-sig="storage"] .run-rate');
    assert.match(await rate.textContent(), new RegExp(`^${failed} / ${failed + LEADERBOARD_SUCCESSES * storage.length} runs failed`));
    const leaderboard = new Set(boards.flatMap(([, urls]) => urls));
    const totals = new Map(boards.map(([job, urls]) => [job, { failed: urls.length, total: urls.length + LEADERBOARD_SUCCESSES }]));
    await assertCards(page, expectedCards(expected, { include: (run) => leaderboard.has(run.url), totals }), "the ci-health scope");
    assert.deepEqual(unexpected(errors), []);
  });
});

describe("when GCS cannot be reached", () => {
  test("the page says what failed and the bundled sample is one click away", async (t) => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const browser = await browserFor(t);
    const { page, errors } = await openPage(browser.context, pageUrl({ gcs: dead }));
    const alert = page.locator(".load-offline[role=alert]");
    await alert.waitFor({ timeout: 30_000 });
    const text = await alert.textContent();
    assert.ok(text.includes(`Could not load results from ${dead}: network error`), text);
    assert.ok(text.includes(`${dead}/storage/v1/b/${BUCKET}/o?prefix=`), text);
    await screenshot(page, "live-unreachable");

    await alert.getByRole("button", { name: "Use the bundled sample" }).click();
    await done(page);
    assert.match(page.url(), /source=sample/);
    const sample = generateBucket(SAMPLE).expected;
    assert.equal(await count(page, "runs"), String(sample.runs));
    assert.equal(await count(page, "failed"), String(sample.failed));
    assert.equal(await alert.count(), 0);
    await assertCards(page, expectedCards(sample), "the bundled sample");
    await screenshot(page, "live-sample");
    assert.deepEqual(unexpected(errors), []);
  });

  test("the built sample is what its generator makes: every object's name and content", async () => {
    const dist = process.env.DIST ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../dist");
    const manifest = JSON.parse(await readFile(path.join(dist, "sample/manifest.json"), "utf8"));
    const { objects } = generateBucket(SAMPLE);
    assert.deepEqual(manifest.objects, [...objects.keys()].sort());
    assert.equal(Date.parse(manifest.snapshot), SAMPLE.now);
    const stale = [];
    for (const [name, content] of objects) {
      if ((await readFile(path.join(dist, "sample", ...name.split("/")), "utf8")) !== content) stale.push(name);
    }
    assert.deepEqual(stale, [], "objects that differ from the generator's: rerun tests/e2e/fixtures/make-sample.mjs");
  });
});
