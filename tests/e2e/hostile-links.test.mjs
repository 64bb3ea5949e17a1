// Links and files chosen by an attacker: hostile `gcs`/`bucket`/`results` values and a leaderboard
// full of script URLs never become a clickable script; refused values are named; an endpoint that
// is not the public bucket is named in a banner and the exports; the Content-Security-Policy is in
// force and the page works under it; dropped files cannot exhaust the tab.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { appendFile, mkdtemp, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { launchBrowser, openPage, OUT_DIR, screenshot, serveStatic, startFakeGcs } from "./harness.mjs";
import { BUCKET, generateBucket, writeObjects } from "./fixtures/bucket.mjs";
import { FAILURES, junitXml } from "./fixtures/junit.mjs";
import { writeSyntheticJunit } from "./fixtures/synthetic-junit.mjs";

const DIST = process.env.DIST ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../dist");
const NOW = Date.now();
const generated = generateBucket({ now: NOW, seed: 11 });
const HOSTILE_BOARD = "ci-health/hostile.json";
/** URLs a leaderboard could list that must never become a link. */
const HOSTILE_URLS = [
  "javascript:alert(document.domain)",
  "JavaScript:alert(1)//https://prow.ci.kubevirt.io/view/gs/kubevirt-prow/logs/x/1",
  "data:text/html,<script>alert(1)</script>",
  "vbscript:msgbox(1)",
  "//evil.example/view/gs/kubevirt-prow/logs/x/1",
  "https:\\\\evil.example/x",
  " javascript:alert(1)",
  "java\tscript:alert(1)",
  "http://evil.example/view/gs/kubevirt-prow/logs/x/1",
];

let site, gcs, bucketDir, fileDir;

before(async () => {
  bucketDir = await mkdtemp(path.join(tmpdir(), "triage-hostile-"));
  fileDir = await mkdtemp(path.join(tmpdir(), "triage-hostile-files-"));
  const [job, urls] = [...generated.expected.failedPresubmits][0];
  const board = {
    EndDate: new Date(NOW).toISOString(),
    DataDays: 7,
    Data: { SIGRetests: { FailedJobLeaderBoard: [{ JobName: job, FailureCount: urls.length + HOSTILE_URLS.length, SuccessCount: 1, FailureURLs: [...urls, ...HOSTILE_URLS] }] } },
  };
  const objects = new Map(generated.objects).set(HOSTILE_BOARD, JSON.stringify(board));
  await writeObjects(path.join(bucketDir, BUCKET), objects);
  [site, gcs] = await Promise.all([serveStatic(undefined, "/triage/"), startFakeGcs(bucketDir)]);
});

after(async () => {
  await Promise.all([site?.close(), gcs?.stop()]);
  await rm(bucketDir, { recursive: true, force: true });
  await rm(fileDir, { recursive: true, force: true });
});

const pageUrl = (params) => `${site.url}?${new URLSearchParams(params)}`;
const done = (page) => page.locator('section.load-panel[data-phase="done"]').waitFor({ timeout: 60_000 });
const boardUrl = () => `${gcs.url}/storage/v1/b/${BUCKET}/o/${encodeURIComponent(HOSTILE_BOARD)}?alt=media`;
/** Console lines of CSP violations (Chromium logs each one as an error). */
const violations = (errors) => errors.filter((e) => /Content Security Policy/i.test(e));
/** Console errors other than the browser's own line for each failed request. */
const unexpected = (errors) => errors.filter((e) => !/Failed to load resource|net::ERR_FAILED/.test(e));

/**
 * A fresh browser whose requests to anything but loopback are answered by `offline` (aborted):
 * tests never reach the internet, and the requests are kept for assertions.
 */
async function browserFor(t) {
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const outside = [];
  await browser.context.route(
    (url) => !["127.0.0.1", "localhost", "[::1]"].includes(url.hostname),
    (route) => {
      outside.push(route.request().url());
      return route.abort("internetdisconnected");
    },
  );
  return { ...browser, outside };
}

/** Every `<a href>` on the page, as written and as resolved by the browser. */
const hrefs = (page) => page.locator("a[href]").evaluateAll((links) => links.map((a) => ({ raw: a.getAttribute("href"), resolved: a.href })));

/** Asserts every link is https, http to loopback, or relative to the page (so loopback here). */
async function assertSafeLinks(page) {
  const links = await hrefs(page);
  for (const { raw, resolved } of links) {
    const url = new URL(resolved);
    const loopback = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(url.hostname);
    assert.ok(url.protocol === "https:" || (url.protocol === "http:" && loopback), `unsafe href ${JSON.stringify(raw)}`);
    assert.ok(!/^\s|[\t\n\r\\]/.test(raw), `href the browser would repair: ${JSON.stringify(raw)}`);
  }
  return links;
}

describe("Content-Security-Policy", () => {
  test("dist's policy allows the inline loader by its hash, and no other inline script", async () => {
    const html = await readFile(path.join(DIST, "index.html"), "utf8");
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html);
    assert.ok(meta, "index.html has a CSP meta tag");
    const policy = Object.fromEntries(meta[1].split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
    assert.ok(html.indexOf(meta[0]) < html.indexOf("<script"), "the policy comes before any script");
    assert.deepEqual(policy["object-src"], ["'none'"]);
    assert.deepEqual(policy["base-uri"], ["'none'"]);
    const scripts = policy["script-src"];
    assert.ok(!scripts.includes("'unsafe-inline'") && !scripts.includes("'unsafe-eval'"), scripts.join(" "));
    assert.ok(scripts.includes("'wasm-unsafe-eval'"));
    const inline = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].filter(([, attrs]) => !/\bsrc=/.test(attrs));
    assert.ok(inline.length >= 1, "Trunk's loader is inline");
    const hashes = inline.map(([, , body]) => `'sha256-${createHash("sha256").update(body).digest("base64")}'`);
    assert.deepEqual(scripts.filter((s) => s.startsWith("'sha256-")).sort(), hashes.sort());
    assert.ok(!scripts.includes("'inline-scripts'"), "the build hook replaced the placeholder");
  });
});

describe("hostile page URLs", () => {
  test("script and foreign-host values of gcs, bucket and results are refused with a notice", async (t) => {
    const browser = await browserFor(t);
    const params = { source: "ci-health", gcs: "javascript:void(0)//x", bucket: "../evil", results: "javascript:alert(1)//" };
    const { page, errors } = await openPage(browser.context, pageUrl(params));
    const notice = page.locator(".notice");
    await notice.waitFor();
    const text = await notice.textContent();
    for (const [key, value] of Object.entries(params).slice(1)) assert.ok(text.includes(`${key}=${value}`), text);
    // The defaults apply (here: the real leaderboard, which this browser cannot reach).
    const offline = page.locator(".load-offline");
    await offline.waitFor({ timeout: 30_000 });
    assert.match(await offline.textContent(), /First failed request: https:\/\/kubevirt\.io\/ci-health\//);
    assert.equal(await page.locator(".source-banner").count(), 0, "the public source needs no banner");
    await assertSafeLinks(page);
    assert.deepEqual(violations(errors), []);
    await screenshot(page, "hostile-refused");
    await page.close();
  });

  test("a bad loading parameter is a notice and the rest still loads", async (t) => {
    const browser = await browserFor(t);
    const params = { gcs: gcs.url, "load-window": "7w", concurrency: "0", jobs: "sig-storage" };
    const { page, errors } = await openPage(browser.context, pageUrl(params));
    await done(page);
    const text = await page.locator(".notice").textContent();
    assert.match(text, /load-window=7w \(use hours or days/);
    assert.match(text, /concurrency=0 \(use 1 to 32\)/);
    assert.match(text, /jobs=sig-storage \(renamed load-jobs, read as it\)/);
    assert.equal(await page.locator("input.load-jobs").inputValue(), "sig-storage");
    assert.ok(Number(await page.locator('[data-count="runs"]').textContent()) > 0, "runs loaded");
    assert.deepEqual(browser.outside, []);
    assert.deepEqual(unexpected(errors), []);
    await page.close();
  });

  test("a hostile leaderboard's URLs are text, the banner names the endpoint, runs do not link to Prow", async (t) => {
    const browser = await browserFor(t);
    const { page, errors } = await openPage(browser.context, pageUrl({ source: "ci-health", gcs: gcs.url, results: boardUrl() }));
    await done(page);
    const banner = page.locator(".source-banner");
    const said = await banner.textContent();
    assert.ok(said.includes(`bucket ${BUCKET} at ${gcs.url}`), said);
    assert.ok(said.includes(`the leaderboard is ${gcs.url}/storage/v1/b/${BUCKET}/o/ci-health`), said);
    assert.match(said, /Prow and build-log links are left out/);

    const problems = page.locator(".load-problem");
    await problems.first().waitFor();
    const notLinked = await page.locator(".load-problem .not-linked").allTextContents();
    assert.deepEqual(notLinked.map((t) => t.trim()).sort(), HOSTILE_URLS.map((u) => u.trim()).sort());
    const links = await assertSafeLinks(page);
    assert.ok(!links.some(({ raw }) => raw.includes("prow.ci.kubevirt.io")), "no Prow links for runs from elsewhere");
    await page.locator("article.card").first().waitFor();
    const runs = page.locator(".run-link");
    assert.ok((await runs.count()) > 0, "failed runs are listed");
    assert.equal(await page.locator(".run-link.off-prow:not([href])").count(), await runs.count(), "run numbers are text marked not on Prow");
    await page.locator("details.drill").first().evaluate((drill) => (drill.open = true));
    await page.locator(".test details").first().evaluate((latest) => (latest.open = true));
    await page.locator(".failure .off-prow").first().waitFor();
    // The flake issue's prefilled body names the runs' folders on that endpoint, as the JSON
    // export does, never their Prow pages.
    const flakeLinks = await page.locator("a.file-flake").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
    assert.ok(flakeLinks.length > 0, "flake issue links are shown");
    for (const href of [...flakeLinks, ...(await assertSafeLinks(page)).map(({ resolved }) => resolved)]) {
      assert.ok(!decodeURIComponent(href).includes("prow.ci.kubevirt.io"), `a link naming Prow: ${decodeURIComponent(href)}`);
    }
    const flakeRuns = (href) => new URL(href).searchParams.get("body").split("### Failed runs\n\n")[1].split("\n\n")[0].split("\n");
    for (const href of flakeLinks) {
      const runs = flakeRuns(href);
      assert.ok(runs.length > 0 && runs.every((run) => /^- (pr-logs\/pull|logs)\/[^ ]+\/\d+$/.test(run)), runs.join("\n"));
    }
    await banner.screenshot({ path: path.join(OUT_DIR, "hostile-banner.png") });
    await screenshot(page, "hostile-leaderboard");

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download .md" }).click()]);
    const markdown = await readFile(await download.path(), "utf8");
    assert.match(markdown, new RegExp(`^Source: .*bucket ${BUCKET} at ${gcs.url.replace(/[.]/g, "\\.")}`, "m"));
    const [json] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download .json" }).click()]);
    const exported = JSON.parse(await readFile(await json.path(), "utf8"));
    assert.ok(exported.source.includes(gcs.url));
    const exportedFlakes = exported.sigs.flatMap((sig) => sig.tests.map((test) => test.links.file_flake_issue));
    assert.deepEqual(flakeLinks.filter((href) => !exportedFlakes.includes(href)), [], "the page's flake issue links are the export's");

    assert.deepEqual(browser.outside, []);
    assert.deepEqual(violations(errors), []);
    assert.deepEqual(unexpected(errors), []);
    await page.close();
  });

  test("from the public bucket, runs link to Prow and no banner shows", async (t) => {
    const browser = await browserFor(t);
    const { page, errors } = await openPage(browser.context, pageUrl({ source: "sample" }));
    await done(page);
    await page.locator("article.card .run-link").first().waitFor();
    const links = await assertSafeLinks(page);
    assert.ok(links.some(({ raw }) => raw.startsWith("https://prow.ci.kubevirt.io/view/gs/kubevirt-prow/")));
    assert.equal(await page.locator(".source-banner").count(), 0);
    assert.deepEqual(violations(errors), []);
    assert.deepEqual(unexpected(errors), []);
    await page.close();
  });
});

describe("dropped files", () => {
  const reading = (page) => page.locator(".local-reading");
  const unread = (page) => page.locator(".local-file.unread");

  test("a file over 512 MB is refused with its size, unread", async (t) => {
    const browser = await browserFor(t);
    const big = path.join(fileDir, "huge.xml");
    await writeFile(big, "");
    await truncate(big, 600 * 1000 * 1000);
    const { page, errors } = await openPage(browser.context, pageUrl({ source: "sample" }));
    await page.locator('input[type="file"]').setInputFiles(big);
    await unread(page).waitFor();
    assert.equal(await unread(page).textContent(), "huge.xml could not be read: 600.0 MB is larger than the 512.0 MB this page reads");
    assert.deepEqual(unexpected(errors), []);
    await page.close();
  });

  test("files are read one at a time, a failed read keeps the browser's words, Remove stops the reading", async (t) => {
    const browser = await browserFor(t);
    const big = path.join(fileDir, "pull-kubevirt-e2e-k8s-1.34-sig-storage_big.xml");
    writeSyntheticJunit(big, { bytes: 80e6, failureEvery: 500, seed: 3 });
    const changed = path.join(fileDir, "changed.xml");
    await writeFile(changed, junitXml([FAILURES.fstrim]));
    const { page, errors } = await openPage(browser.context, pageUrl({ source: "sample" }));
    await page.locator('input[type="file"]').setInputFiles([big, changed]);
    // While the big file is read, the second waits: changed on disk now, its read must fail.
    await reading(page).waitFor();
    assert.match(await reading(page).textContent(), /Reading pull-kubevirt-e2e-k8s-1\.34-sig-storage_big\.xml… \(1 more waiting\)/);
    await appendFile(changed, "<!-- changed -->");
    await unread(page).waitFor({ timeout: 60_000 });
    assert.match(await unread(page).textContent(), /^changed\.xml could not be read: NotReadableError: /);
    assert.equal(await page.locator(".local-file:not(.error)").count(), 1, "the big file was read first");

    // Remove while a file is being read: it never appears.
    await page.locator('input[type="file"]').setInputFiles([big]);
    await reading(page).waitFor();
    await page.getByRole("button", { name: "Remove local files" }).click();
    const small = path.join(fileDir, "small.xml");
    await writeFile(small, junitXml([FAILURES.fstrim]));
    await page.locator('input[type="file"]').setInputFiles([small]);
    await page.locator(".local-file", { hasText: "small.xml" }).waitFor();
    assert.deepEqual(await page.locator(".local-file strong").allTextContents(), ["small.xml"]);
    assert.equal(await reading(page).count(), 0);
    assert.deepEqual(unexpected(errors), []);
    await page.close();
  });

  test("renaming a file's job re-reads it without a main-thread task over 100 ms", async (t) => {
    const browser = await browserFor(t);
    const file = path.join(fileDir, "junit.functest.xml");
    writeSyntheticJunit(file, { bytes: 40e6, failureEvery: 400, seed: 5 });
    const { page, errors } = await openPage(browser.context, pageUrl({ source: "sample", sig: "storage" }));
    await done(page);
    await page.locator('input[type="file"]').setInputFiles(file);
    const job = page.getByRole("textbox", { name: "Job name for this file" });
    await job.waitFor({ timeout: 60_000 });
    await page.evaluate(() => {
      window.longTasks = [];
      new PerformanceObserver((list) => window.longTasks.push(...list.getEntries().map((e) => e.duration))).observe({ type: "longtask" });
    });
    await job.fill("pull-kubevirt-e2e-k8s-1.31-sig-storage");
    await job.press("Enter");
    await reading(page).waitFor();
    await reading(page).waitFor({ state: "detached", timeout: 60_000 });
    const longest = Math.max(0, ...(await page.evaluate(() => window.longTasks)));
    assert.ok(longest < 100, `longest task while re-reading: ${longest} ms`);
    assert.deepEqual(unexpected(errors), []);
    await page.close();
  });
});
