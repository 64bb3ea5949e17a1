// A broken or hostile endpoint cannot run the page forever, and the cache never keeps a wrong
// answer: listings whose page tokens repeat or never end, answers larger than the page reads (with
// and without Content-Length), an answer that stalls mid-body (the 30 s idle timeout, waited for
// for real), a listing of more runs than one load reads (25,000), a slow step that must not hold
// back a loaded run, a JUnit file that lands after finished.json, an older cache version, and two
// endpoints in one browser.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { launchBrowser, openPage, serveStatic, startFakeGcs } from "./harness.mjs";
import { BUCKET, buildId, generateBucket, writeObjects } from "./fixtures/bucket.mjs";
import { FAILURES, junitXml } from "./fixtures/junit.mjs";
import { startProxy } from "./fixtures/proxy.mjs";

const NOW = Date.now();
const MINUTE = 60_000;
const { objects, expected } = generateBucket({ now: NOW, seed: 23 });

/** A pull request of our own: one run that failed 5 minutes ago without JUnit (yet), one that did
 * 40 minutes ago, and one that passed. */
const PR = 99001;
const JOB_FRESH = "pull-kubevirt-e2e-k8s-1.34-sig-storage";
const JOB_OLD = "pull-kubevirt-e2e-k8s-1.34-sig-network";
const JOB_PASSED = "pull-kubevirt-e2e-k8s-1.34-sig-compute";
const folder = (job, build) => `pr-logs/pull/kubevirt_kubevirt/${PR}/${job}/${build}/`;
const FRESH = folder(JOB_FRESH, buildId(NOW - 95 * MINUTE, 1));
const OLD = folder(JOB_OLD, buildId(NOW - 130 * MINUTE, 2));
const PASSED = folder(JOB_PASSED, buildId(NOW - 100 * MINUTE, 3));
const finished = (result, ms) => JSON.stringify({ timestamp: Math.floor(ms / 1000), passed: result === "SUCCESS", result, revision: "a".repeat(40) });
const started = (ms) => JSON.stringify({ timestamp: Math.floor(ms / 1000), pull: String(PR), repos: { "kubevirt/kubevirt": `main:${"b".repeat(40)},${PR}:${"c".repeat(40)}` } });
/** A periodic run dated next month: a broken or hostile bucket. */
const FUTURE = `logs/periodic-kubevirt-e2e-k8s-1.34-sig-compute/${buildId(NOW + 30 * 24 * 60 * MINUTE, 4)}/`;
const ours = new Map([
  [`${FUTURE}finished.json`, finished("FAILURE", NOW + 30 * 24 * 60 * MINUTE)],
  [`${FRESH}started.json`, started(NOW - 95 * MINUTE)],
  [`${FRESH}finished.json`, finished("FAILURE", NOW - 5 * MINUTE)],
  [`${OLD}started.json`, started(NOW - 130 * MINUTE)],
  [`${OLD}finished.json`, finished("FAILURE", NOW - 40 * MINUTE)],
  [`${PASSED}started.json`, started(NOW - 100 * MINUTE)],
  [`${PASSED}finished.json`, finished("SUCCESS", NOW - 20 * MINUTE)],
]);

let site, gcs, proxy, other, bucketDir;

before(async () => {
  bucketDir = await mkdtemp(path.join(tmpdir(), "triage-bounds-"));
  await writeObjects(path.join(bucketDir, BUCKET), new Map([...objects, ...ours]));
  [site, gcs] = await Promise.all([serveStatic(), startFakeGcs(bucketDir)]);
  [proxy, other] = await Promise.all([startProxy(gcs.url), startProxy(gcs.url)]);
});

after(async () => {
  await Promise.all([site?.close(), gcs?.stop(), proxy?.close(), other?.close()]);
  await rm(bucketDir, { recursive: true, force: true });
});

const pageUrl = (params) => `${site.url}?${new URLSearchParams(params)}`;
const done = (page) => page.locator('section.load-panel[data-phase="done"]').waitFor({ timeout: 90_000 });
const count = async (page, key) => (await page.locator(`[data-count="${key}"]`).textContent()).trim();
const problems = (page) => page.locator(".load-problem");
const unexpected = (errors) => errors.filter((e) => !/Failed to load resource/.test(e));
const listingsOf = (requests, prefix) => requests.filter((r) => r.includes(`/o?prefix=${prefix}&`));

/** A fresh browser profile, closed when the test ends however it ends. */
async function browserFor(t) {
  const browser = await launchBrowser();
  t.after(() => browser.close());
  return browser;
}

/** Answers the listing of `prefix` with `page(token)`: JSON for the page a token names. */
function fakeListing(prefix, page) {
  return (url) => {
    if (url.searchParams.get("prefix") !== prefix || !url.pathname.endsWith("/o")) return null;
    const body = JSON.stringify(page(url.searchParams.get("pageToken")));
    return (res) => res.writeHead(200, { "content-type": "application/json", "access-control-allow-origin": "*" }).end(body);
  };
}

/** Loads the default window through the proxy and returns the page once the load is done. */
async function loadWindow(t) {
  const browser = await browserFor(t);
  const opened = await openPage(browser.context, pageUrl({ gcs: proxy.url }));
  await done(opened.page);
  return opened;
}

describe("bounds on what an endpoint can make the page do", () => {
  test("a listing whose page tokens go round in a circle ends with a listed problem naming it", async (t) => {
    proxy.reset();
    const next = { null: "A", A: "B", B: "A" };
    proxy.state.answer = fakeListing("logs/", (token) => ({ prefixes: [], nextPageToken: next[token] }));
    const { page, errors } = await loadWindow(t);
    const cut = problems(page).filter({ hasText: "repeats a page token" });
    assert.equal(await cut.count(), 1);
    assert.match(await cut.textContent(), /prefix=logs\//, "the problem names the listing");
    assert.equal(await cut.getByRole("button", { name: "Retry" }).count(), 0, "a retry would loop again");
    assert.equal(listingsOf(proxy.state.requests, "logs/").length, 3, "A, B, then the repeated A stops it");
    assert.ok(Number(await count(page, "runs")) > 0, "the presubmits still load");
    assert.deepEqual(unexpected(errors), []);
  });

  test("an endless listing stops at 100 pages with a listed problem", async (t) => {
    proxy.reset();
    proxy.state.answer = fakeListing("logs/", (token) => ({
      prefixes: [`logs/not-a-lane-${token ?? 0}/`],
      nextPageToken: `${Number(token ?? 0) + 1}`,
    }));
    const { page, errors } = await loadWindow(t);
    const cut = problems(page).filter({ hasText: "stopped after 100 pages" });
    assert.equal(await cut.count(), 1);
    assert.match(await cut.textContent(), /prefix=logs\//);
    assert.equal(listingsOf(proxy.state.requests, "logs/").length, 100);
    assert.deepEqual(unexpected(errors), []);
  });

  test("answers larger than the page reads are refused, with or without Content-Length, and not retried", async (t) => {
    proxy.reset();
    const junit = expected.failedJunits[0];
    const json = `${expected.failedJunits[1].replace("artifacts/junit.functest.xml", "")}finished.json`;
    proxy.state.answer = (url, object) => {
      if (object === junit) {
        // Says 300 MB, sends a little, and never ends: the header alone must stop the page.
        return (res) => {
          res.writeHead(200, { "content-length": String(300_000_000), "access-control-allow-origin": "*" });
          res.write("<testsuite>");
        };
      }
      if (object === json) {
        // No Content-Length: 1.5 MB of JSON whitespace in 64 kB chunks, then the rest would follow.
        return async (res) => {
          res.writeHead(200, { "content-type": "application/json", "access-control-allow-origin": "*" });
          const chunk = " ".repeat(65_536);
          for (let sent = 0; sent < 1_500_000 && !res.destroyed; sent += chunk.length) {
            res.write(chunk);
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
          res.end("{}");
        };
      }
      return null;
    };
    const { page, errors } = await loadWindow(t);
    for (const [object, limit] of [[junit, "256.0 MB"], [json, "1.0 MB"]]) {
      const problem = problems(page).filter({ hasText: object });
      assert.equal(await problem.count(), 1, object);
      assert.match(await problem.textContent(), new RegExp(`larger than ${limit.replace(".", "\\.")}`));
      assert.equal(await problem.getByRole("button", { name: "Retry" }).count(), 0);
      assert.equal(proxy.requestsFor(object), 1, `${object} is asked for once`);
    }
    assert.equal(await count(page, "runs"), String(expected.runs - 1), "every run loads but the one without a readable finished.json");
    assert.equal(await count(page, "failed"), String(expected.failed - 1), "the run whose JUnit is refused still counts as failed");
    assert.deepEqual(unexpected(errors), []);
  });

  test("a download that takes longer than the idle timeout but never goes quiet completes", async (t) => {
    proxy.reset();
    const junit = expected.failedJunits[0];
    const body = Buffer.from(objects.get(junit));
    const pieces = 35;
    let began;
    proxy.state.answer = (url, object) =>
      object === junit &&
      (async (res) => {
        began = Date.now();
        res.writeHead(200, { "content-type": "application/xml", "content-length": String(body.length), "access-control-allow-origin": "*" });
        const size = Math.ceil(body.length / pieces);
        for (let at = 0; at < body.length && !res.destroyed; at += size) {
          res.write(body.subarray(at, at + size));
          await new Promise((resolve) => setTimeout(resolve, 1_000));
        }
        res.end();
      });
    const run = `https://prow.ci.kubevirt.io/view/gs/${BUCKET}/${junit.replace("/artifacts/junit.functest.xml", "")}`;
    const browser = await browserFor(t);
    const { page, errors } = await openPage(browser.context, pageUrl({ gcs: proxy.url, run }));
    await done(page);
    assert.equal(proxy.requestsFor(junit), 1, "read in one go");
    const served = proxy.state.served.find((s) => s.path.includes(junit));
    const took = (served?.at ?? Date.now()) - began;
    console.log(`JUnit of ${body.length} bytes took ${took} ms`);
    assert.ok(took > 30_000, `the download took ${took} ms, longer than the 30 s idle timeout`);
    assert.equal(await problems(page).count(), 0, "nothing timed out");
    assert.equal(await count(page, "failed"), "1");
    assert.deepEqual(unexpected(errors), []);
  });

  test("a build dated more than a day ahead is reported, not loaded", async (t) => {
    proxy.reset();
    const { page, errors } = await loadWindow(t);
    const future = problems(page).filter({ hasText: "more than a day ahead" });
    assert.equal(await future.count(), 1);
    assert.match(await future.textContent(), new RegExp(FUTURE.split("/")[2]), "the problem names the build");
    assert.equal(proxy.requestsFor(`${FUTURE}finished.json`), 0, "nothing of it is fetched");
    assert.equal(await count(page, "runs"), String(expected.runs), "it is not counted");
    assert.deepEqual(unexpected(errors), []);
  });

  test("a run loaded while another step is slow shows its card within a second", async (t) => {
    proxy.reset();
    const [pr] = [...expected.prs].sort((a, b) => b[1] - a[1])[0];
    const root = `pr-logs/pull/kubevirt_kubevirt/${pr}/`;
    const runsOf = new Map();
    for (const name of objects.keys()) {
      if (!name.startsWith(root) || !name.includes("-e2e-") || !name.endsWith("/finished.json")) continue;
      const job = name.split("/")[4];
      runsOf.set(job, (runsOf.get(job) ?? 0) + 1);
    }
    const [[fast], [slow]] = [...runsOf].sort((a, b) => a[1] - b[1]);
    assert.ok(fast && slow, `PR ${pr} has runs of ${runsOf.size} jobs`);
    // The PR holds two jobs: one whose runs are listed after 300 ms and then load at once, one
    // whose listing takes 8 s. The fast listing ends over 250 ms after the previous step, so a
    // page that flushes only when a step ends (and at most every 250 ms) flushes then, finds its
    // run arriving too soon after, and holds it until the slow listing ends.
    proxy.state.answer = fakeListing(root, () => ({ prefixes: [`${root}${fast}/`, `${root}${slow}/`] }));
    const slowMs = 8_000;
    const delays = new Map([[`${root}${fast}/`, 300], [`${root}${slow}/`, slowMs]]);
    proxy.state.delayFor = (url) => delays.get(url.searchParams.get("prefix")) ?? 0;
    const browser = await browserFor(t);
    const { page, errors } = await openPage(browser.context, pageUrl({ gcs: proxy.url, pr: String(pr) }));
    await page.locator("article.card[data-sig]").first().waitFor({ timeout: slowMs });
    const cardAt = Date.now();
    const fastFiles = proxy.state.served.filter((s) => s.path.includes(`/o/${root}${fast}/`));
    assert.ok(fastFiles.length > 0, "the fast job's run files were served");
    const lastFast = Math.max(...fastFiles.map((s) => s.at));
    console.log(`card ${cardAt - lastFast} ms after the fast run's last file`);
    assert.ok(cardAt - lastFast < 1_000, `card ${cardAt - lastFast} ms after the run's files`);
    assert.equal(await page.locator('section.load-panel[data-phase="loading"]').count(), 1, "the slow listing is still pending");
    await done(page);
    assert.equal(await count(page, "runs"), String(runsOf.get(fast) + runsOf.get(slow)));
    assert.deepEqual(unexpected(errors), []);
  });
});

// Each with a proxy of its own, side by side: the stalled answer spends most of its two minutes
// waiting, the capped load reading.
describe("what one load cannot pass", { concurrency: 2 }, () => {
  test("an answer that stalls mid-body ends, after the 30 s idle timeout on every attempt, in a problem naming it", async (t) => {
    const stalling = await startProxy(gcs.url);
    t.after(() => stalling.close());
    const junit = expected.failedJunits[0];
    const body = Buffer.from(objects.get(junit));
    const began = [];
    // Half the body, then nothing, on every attempt: without an idle timeout the load never ends.
    stalling.state.answer = (url, object) =>
      object === junit &&
      ((res) => {
        began.push(Date.now());
        res.writeHead(200, { "content-type": "application/xml", "content-length": String(body.length), "access-control-allow-origin": "*" });
        res.write(body.subarray(0, body.length >> 1));
      });
    const run = `https://prow.ci.kubevirt.io/view/gs/${BUCKET}/${junit.replace("/artifacts/junit.functest.xml", "")}`;
    const browser = await browserFor(t);
    const { page, errors } = await openPage(browser.context, pageUrl({ gcs: stalling.url, run }));
    const start = Date.now();
    await page.locator('section.load-panel[data-phase="done"]').waitFor({ timeout: 180_000 });
    console.log(`stalled JUnit: load done after ${Date.now() - start} ms`);
    const problem = problems(page).filter({ hasText: junit });
    assert.equal(await problem.count(), 1, "one problem names the stalled object");
    assert.match(await problem.textContent(), /no data for 30 s \(after 4 attempts\)/);
    assert.equal(await problem.getByRole("button", { name: "Retry" }).count(), 1, "a person may try it again");
    const attempts = stalling.state.served.filter((s) => s.path.includes(junit)).map((s, i) => s.at - began[i]);
    console.log(`attempts ended after ${attempts.join(", ")} ms of waiting`);
    assert.equal(attempts.length, 4);
    for (const ms of attempts) assert.ok(ms >= 29_500 && ms < 45_000, `an attempt ended after ${ms} ms, not at the 30 s idle timeout`);
    assert.equal(await count(page, "failed"), "1", "the run still counts as failed");
    assert.deepEqual(unexpected(errors), []);
  });

  test("a listing of more runs than one load reads stops at 25,000 runs and says so", async (t) => {
    const capped = await startProxy(gcs.url);
    t.after(() => capped.close());
    // One periodic lane listing 25,500 runs of the last six days (1,000 a page), each still
    // running: its finished.json is not there, answered from memory.
    const job = "periodic-kubevirt-e2e-k8s-1.34-sig-storage";
    const prefix = `logs/${job}/`;
    const LISTED = 25_500;
    const span = 6 * 24 * 60 * MINUTE;
    const builds = Array.from({ length: LISTED }, (_, i) => buildId(NOW - 60 * MINUTE - span + (i * span) / LISTED, i));
    const pageSize = 1_000;
    const listing = fakeListing(prefix, (token) => {
      const from = Number(token ?? 0);
      const more = from + pageSize < LISTED;
      return { prefixes: builds.slice(from, from + pageSize).map((build) => `${prefix}${build}/`), ...(more ? { nextPageToken: String(from + pageSize) } : {}) };
    });
    let runFiles = 0;
    capped.state.answer = (url, object) => {
      if (object.startsWith(prefix)) {
        runFiles += 1;
        return (res) => res.writeHead(404, { "content-type": "application/json", "access-control-allow-origin": "*" }).end('{"error":{"code":404}}');
      }
      return listing(url);
    };
    const browser = await browserFor(t);
    const opened = await openPage(browser.context, pageUrl({ gcs: capped.url, concurrency: "32" }));
    const start = Date.now();
    await opened.page.locator('section.load-panel[data-phase="done"]').waitFor({ timeout: 300_000 });
    console.log(`capped load: done after ${Date.now() - start} ms, ${runFiles} run files of ${LISTED} listed runs asked for`);
    const cap = problems(opened.page).filter({ hasText: "stopped at 25000 runs" });
    assert.equal(await cap.count(), 1, "the cap is a listed problem");
    assert.match(await cap.textContent(), /the most one load reads: narrow the time window or the jobs/);
    assert.equal(await count(opened.page, "runs"), "25000", "the load reads 25,000 runs");
    assert.ok(runFiles > 24_000 && runFiles <= 25_000, `${runFiles} of the lane's ${LISTED} runs read: the rest of the 25,000 are the other lanes'`);
    assert.deepEqual(unexpected(opened.errors), []);
  });
});

describe("the cache never keeps a wrong answer", () => {
  test("a failure without JUnit is not cached while its JUnit can still land", async (t) => {
    proxy.reset();
    const browser = await browserFor(t);
    const { page, errors } = await openPage(browser.context, pageUrl({ gcs: proxy.url, pr: String(PR) }));
    await done(page);
    assert.equal(await count(page, "runs"), "3");
    assert.equal(await count(page, "failed"), "2");
    assert.equal(await count(page, "cached"), "0");
    const storageCard = async () => (await page.locator('article.card[data-sig="storage"]').allTextContents()).join("");
    assert.ok(!(await storageCard()).includes("fstrim"), "no JUnit yet");

    // The JUnit lands after finished.json, as the sidecar may upload it.
    const landed = `${FRESH}artifacts/junit.functest.xml`;
    proxy.state.answer = (url, object) =>
      object === landed &&
      ((res) => res.writeHead(200, { "content-type": "application/xml", "access-control-allow-origin": "*" }).end(junitXml([FAILURES.fstrim])));
    proxy.state.requests = [];
    await page.reload();
    await done(page);
    assert.equal(await count(page, "cached"), "2", "the passed run and the 40-minute-old failure come from the cache");
    // (finished.json itself may come from the browser's HTTP cache: it never changes.)
    assert.equal(proxy.requestsFor(landed), 1, "the fresh failure's JUnit is looked for again");
    assert.equal(proxy.requestsFor(`${OLD}artifacts/junit.functest.xml`), 0, "the settled failure is not");
    assert.equal(await count(page, "failed"), "2");
    assert.ok((await storageCard()).includes("fstrim"), "the failure the late JUnit names is on the card");
    assert.deepEqual(unexpected(errors), []);
  });

  test("opening the page deletes older versions of its cache and nothing else", async (t) => {
    proxy.reset();
    const browser = await browserFor(t);
    const { page, errors } = await openPage(browser.context, pageUrl({ gcs: proxy.url, pr: String(PR) }));
    await done(page);
    await page.evaluate(async () => {
      await (await caches.open("kubevirt-ci-triage-v1")).put("/old-record", new Response("{}"));
      await (await caches.open("someone-else")).put("/theirs", new Response("{}"));
    });
    await page.reload();
    await done(page);
    const names = await page.evaluate(() => caches.keys());
    assert.ok(!names.includes("kubevirt-ci-triage-v1"), `${names}`);
    assert.ok(names.includes("kubevirt-ci-triage-v3"), `${names}`);
    assert.ok(names.includes("someone-else"), `${names}`);
    assert.deepEqual(unexpected(errors), []);
  });

  test("what was cached from one endpoint is never served for another", async (t) => {
    proxy.reset();
    other.reset();
    const browser = await browserFor(t);
    const { page, errors } = await openPage(browser.context, pageUrl({ gcs: proxy.url, pr: String(PR) }));
    await done(page);
    await page.reload();
    await done(page);
    assert.equal(await count(page, "cached"), "2", "endpoint A's records are cached");

    // Endpoint B says the run that passed on A failed.
    other.state.answer = (url, object) =>
      object === `${PASSED}finished.json` &&
      ((res) => res.writeHead(200, { "content-type": "application/json", "access-control-allow-origin": "*" }).end(finished("FAILURE", NOW - 20 * MINUTE)));
    await page.goto(pageUrl({ gcs: other.url, pr: String(PR) }));
    await done(page);
    assert.equal(await count(page, "cached"), "0", "nothing of A's is used for B");
    assert.equal(await count(page, "failed"), "3", "B's own answer counts");
    assert.equal(other.requestsFor(`${PASSED}finished.json`), 1, "B is asked for its own answer");
    assert.deepEqual(unexpected(errors), []);
  });
});
