// Verdicts on the cards (#14): a generated bucket with planted truth (fixtures/verdicts.mjs) read
// by the built page from fake-gcs-server. Each planted test's row must state its verdict in the
// summary's words, its figures and their basis, the onset of a broken test with its compare link,
// the flaky retest's evidence, and per lane a history strip whose cells are the lane's runs in
// order; the quarantine toggle brings the quarantined test and its failures back. Every href is
// https or loopback. The bundled sample (Prow's runs) shows the strip's cells as Prow links.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { launchBrowser, openPage, screenshot, serveStatic, startFakeGcs } from "./harness.mjs";
import { BUCKET, writeObjects } from "./fixtures/bucket.mjs";
import { BROKEN, COMPUTE_PR, FLAKY, HOT, LISTED, NETWORK, NEW, PERIODIC, QUARANTINED, QUARANTINE_JSON, RECURRING, STORAGE, generateVerdictBucket } from "./fixtures/verdicts.mjs";

const { objects, lanes, earlier } = generateVerdictBucket();
const UNLISTED = "kubevirt-prow-unlisted";
let site, gcs, browser, dir;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "triage-verdicts-"));
  await mkdir(path.join(dir, BUCKET));
  await writeObjects(path.join(dir, BUCKET), objects);
  // The same runs in a bucket without KubeVirt's quarantine list.
  await mkdir(path.join(dir, UNLISTED));
  await writeObjects(path.join(dir, UNLISTED), new Map([...objects].filter(([name]) => name !== QUARANTINE_JSON)));
  [site, gcs, browser] = await Promise.all([serveStatic(), startFakeGcs(dir), launchBrowser()]);
});

after(async () => {
  await Promise.all([site?.close(), gcs?.stop(), browser?.close()]);
  await rm(dir, { recursive: true, force: true });
});

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n) => String(n).padStart(2, "0");
/** A periodic run's label on the page: its day and time (UTC) from its build id. */
const periodicLabel = (ms) => {
  const d = new Date(ms);
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
};
const day = (ms) => new Date(ms).toISOString().slice(0, 10);

/** The verdicts' window: from the first to the last start of the window's runs. */
const starts = Object.values(lanes).flat().map((run) => run.start);
const windowLength = Math.max(...starts) - Math.min(...starts);
/** The storage lane's runs of the week before within a window's length before `run`. */
const earlierBefore = (run) => earlier[STORAGE].filter((e) => e.start >= run.start - windowLength);
const firstFailOf = (job, test) => lanes[job].find((run) => run.outcome[test] === "fail");

const card = (page, sig) => page.locator(`article.card[data-sig="${sig}"]`);

/** Loads the planted bucket (with `query`), and waits for the load to finish. */
async function loaded(query = {}) {
  const opened = await openPage(browser.context, `${site.url}?${new URLSearchParams({ gcs: gcs.url, ...query })}`);
  await opened.page.locator('section.load-panel[data-phase="done"]').waitFor({ timeout: 30_000 });
  return opened;
}

/** The row of `name` in the failing tests of `sig`'s card, its drill-down opened. */
async function row(page, sig, name) {
  const drill = card(page, sig).locator("details.drill", { hasText: "Failing tests" });
  if (!(await drill.evaluate((d) => d.open))) await drill.locator("summary").click();
  const found = drill.locator("li.test").filter({ has: page.locator(".test-name", { hasText: name }) });
  await found.first().waitFor();
  assert.equal(await found.count(), 1, `one row for ${name}`);
  return found;
}

/** What a test row shows: headline, figures and their basis, and per lane phrase, evidence and cells. */
function read(row) {
  return row.evaluate((li) => ({
    headline: li.querySelector(".headline")?.textContent,
    figures: li.querySelector(".figures")?.textContent,
    basis: li.querySelector(".figures")?.title,
    lanes: [...li.querySelectorAll(".lane")].map((lane) => ({
      phrase: lane.querySelector(".lane-phrase").textContent,
      evidence: [...lane.querySelectorAll(".evidence")].map((p) => p.textContent),
      cells: [...lane.querySelectorAll(".strip .cell")].map((cell) => ({
        outcome: cell.classList.contains("fail") ? "fail" : cell.classList.contains("pass") ? "pass" : "none",
        href: cell.getAttribute("href"),
        build: cell.title.split(" ").pop(),
      })),
      compare: lane.querySelector("a.compare")?.href ?? null,
    })),
    actions: [...li.querySelectorAll(".actions a")].map((a) => ({ href: a.href, target: a.target })),
  }));
}

/** The cells a lane's strip must show for `test`: every run of the lane, oldest first. */
const cellsOf = (job, test) => lanes[job].map((run) => ({ outcome: run.outcome[test], href: null, build: run.build }));

async function assertSafeLinks(page) {
  const hrefs = await page.locator("a[href]").evaluateAll((links) => links.map((a) => a.href));
  assert.ok(hrefs.length > 0);
  for (const href of hrefs) {
    const url = new URL(href);
    const loopback = url.protocol === "http:" && /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(url.hostname);
    assert.ok(url.protocol === "https:" || loopback, `unsafe href ${href}`);
  }
}

test("the cards state each planted verdict, its evidence and history", async () => {
  const { page, errors } = await loaded();

  const periodic = lanes[PERIODIC];
  const [lastPassing, firstFailing] = [periodic[3], periodic[4]];
  const broken = await read(await row(page, "compute", BROKEN));
  assert.equal(broken.headline, `consistently failing since ${day(firstFailing.start)} on ${PERIODIC}`);
  assert.equal(broken.figures, "4 of 8 runs · 50 %");
  assert.equal(broken.basis, "8 runs: 3 passed (their JUnit is not read), 1 failed on other tests, 4 failed on this one");
  assert.equal(broken.lanes.length, 1);
  assert.deepEqual(broken.lanes[0].cells, cellsOf(PERIODIC, BROKEN));
  assert.deepEqual(broken.lanes[0].evidence, [
    `Last passed ${periodicLabel(lastPassing.start)} (${lastPassing.commit.slice(0, 7)}), first failed ${periodicLabel(firstFailing.start)} (${firstFailing.commit.slice(0, 7)}) · commits between`,
  ]);
  assert.equal(broken.lanes[0].compare, `https://github.com/kubevirt/kubevirt/compare/${lastPassing.commit}...${firstFailing.commit}`);
  assert.equal(broken.actions.length, 2);
  for (const { href, target } of broken.actions) {
    assert.ok(href.startsWith("https://github.com/kubevirt/kubevirt/issues"), href);
    assert.equal(target, "_blank");
  }

  const network = lanes[NETWORK];
  const flaky = await read(await row(page, "network", FLAKY));
  assert.equal(flaky.headline, `flaky: 1 of 4 runs on ${NETWORK}`);
  assert.equal(flaky.figures, "1 of 4 runs · 25 %");
  assert.deepEqual(flaky.lanes[0].evidence, [`at commit ${network[1].commit.slice(0, 7)}, failed in run ${network[1].build} and passed in run ${network[2].build}`]);
  assert.deepEqual(flaky.lanes[0].cells, cellsOf(NETWORK, FLAKY));
  assert.equal(flaky.lanes[0].compare, null, "no compare link for a presubmit");

  // The week before was read for the storage lane: NEW never failed there, RECURRING did.
  const newChecked = earlierBefore(firstFailOf(STORAGE, NEW));
  assert.ok(newChecked.length > 0 && newChecked.length < earlier[STORAGE].length, "a window's length back, not all");
  assert.ok(newChecked.every((run) => run.outcome[NEW] === "pass"));
  const fresh = await read(await row(page, "storage", NEW));
  assert.equal(fresh.headline, `new this week on ${STORAGE}`);
  assert.equal(fresh.figures, "1 of 5 runs · 20 %");
  assert.deepEqual(fresh.lanes[0].evidence, [`no failure in the ${newChecked.length} runs of the lane in the week before its first failure`]);
  assert.deepEqual(fresh.lanes[0].cells, cellsOf(STORAGE, NEW), "the week before is not in the strip");

  const recurringChecked = earlierBefore(firstFailOf(STORAGE, RECURRING));
  const recurredIn = recurringChecked.filter((run) => run.outcome[RECURRING] === "fail");
  assert.ok(recurredIn.length < earlier[STORAGE].filter((run) => run.outcome[RECURRING] === "fail").length, "an older failure is out of range");
  const recurring = await read(await row(page, "storage", RECURRING));
  assert.equal(recurring.headline, `failed 1 of 5 runs on ${STORAGE}`);
  assert.deepEqual(recurring.lanes[0].evidence, [
    `also failed ${recurredIn.length} of ${recurringChecked.length} runs the week before (last on ${day(recurredIn.at(-1).start)})`,
  ]);
  assert.equal(recurredIn.length, 2);

  const hot = await read(await row(page, "compute", HOT));
  assert.equal(
    hot.headline,
    `failed 2 of 2 runs on ${COMPUTE_PR}, first this week (the week before not checked: no runs of the lane)`,
    "one PR's own failures are not \"broken\", and a lane without earlier runs is not checked",
  );
  assert.equal(hot.figures, "2 of 2 runs · 100 %");
  assert.deepEqual(hot.lanes[0].cells, cellsOf(COMPUTE_PR, HOT));

  // The earlier runs are not the window's: the storage lane still counts its 5 runs.
  const storageCount = card(page, "storage").locator(".jobs .job", { hasText: STORAGE }).locator(".count");
  assert.equal(await storageCount.textContent(), "2 of 5 runs failed");

  // Run links on failing jobs carry a day and PR, never build-id digits.
  const storageRuns = await card(page, "storage").locator(".jobs a.run-link").allTextContents();
  const runLabel = (run, pr) => `${MONTHS[new Date(run.start).getUTCMonth()]} ${new Date(run.start).getUTCDate()} · #${pr}`;
  assert.deepEqual(storageRuns, [runLabel(lanes[STORAGE][4], 18829), runLabel(lanes[STORAGE][1], 18808)], "the window's failed runs, newest first");
  assert.equal(await page.locator(".quarantine-list").textContent(), "quarantine.json lists 1 test");
  await assertSafeLinks(page);
  assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
  await screenshot(page, "verdicts");
  await page.close();
});

test("the quarantine toggle brings quarantined failures back into the counts", async () => {
  const { page } = await loaded();
  const compute = card(page, "compute");
  const periodicCount = compute.locator(".jobs .job", { hasText: PERIODIC }).locator(".count");
  assert.equal(await compute.locator(".quarantined-note").textContent(), "2 failures of quarantined tests left out (see \u201cShow quarantined tests\u201d).");
  assert.equal(await compute.locator(".card-summary").textContent(), "6 failures in 2 tests across 2 jobs.");
  assert.equal(await periodicCount.textContent(), "4 of 8 runs failed");
  await compute.locator("details.drill summary", { hasText: "Failing tests" }).click();
  assert.deepEqual(await compute.locator(".test .test-name").allTextContents(), [BROKEN, HOT]);
  const network = card(page, "network");
  await network.locator("details.drill summary", { hasText: "Failing tests" }).click();
  await network.locator(".test .test-name").first().waitFor();
  assert.deepEqual(await network.locator(".test .test-name").allTextContents(), [FLAKY], "the listed test is left out");

  await page.getByRole("checkbox", { name: "Show quarantined tests" }).check();
  await page.waitForURL((url) => url.searchParams.get("quarantined") === "show");
  await compute.locator(".card-summary", { hasText: "8 failures in 3 tests across 2 jobs." }).waitFor();
  assert.equal(await compute.locator(".quarantined-note").count(), 0);
  assert.equal(await periodicCount.textContent(), "5 of 8 runs failed");
  const quarantined = await read(await row(page, "compute", QUARANTINED));
  assert.equal(quarantined.headline, `quarantined: failed 2 of 8 runs on ${PERIODIC}, a periodic lane that runs quarantined tests`);
  assert.deepEqual(quarantined.lanes[0].cells, cellsOf(PERIODIC, QUARANTINED));

  const listed = await read(await row(page, "network", LISTED));
  assert.equal(listed.headline, `quarantined (listed in quarantine.json): failed 1 of 4 runs on ${NETWORK}`, "listed, without [QUARANTINE] in its name");

  await page.getByRole("checkbox", { name: "Show quarantined tests" }).uncheck();
  await page.waitForURL((url) => !url.searchParams.has("quarantined"));
  await compute.locator(".quarantined-note").waitFor();
  assert.equal(await periodicCount.textContent(), "4 of 8 runs failed");
  await page.close();
});

test("the JSON and Markdown exports say new only when checked, and what the week before showed", async () => {
  const { page } = await loaded();
  const download = async (name) => {
    const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name }).click()]);
    return readFile(await file.path(), "utf8");
  };
  const report = JSON.parse(await download("Download .json"));
  const verdictOf = (sig, test) => report.sigs.find((s) => s.sig === sig).tests.find((t) => t.test === test).verdicts[0];
  const fresh = verdictOf("storage", NEW);
  assert.equal(fresh.headline, "new");
  assert.equal(fresh.phrase, `new this week on ${STORAGE}`);
  assert.deepEqual(
    [fresh.novelty.kind, fresh.novelty.earlier_runs_checked, fresh.novelty.unchecked],
    ["new", earlierBefore(firstFailOf(STORAGE, NEW)).length, null],
  );
  const recurring = verdictOf("storage", RECURRING);
  assert.equal(recurring.headline, "failing");
  assert.deepEqual(
    [recurring.novelty.kind, recurring.novelty.earlier_failures, recurring.novelty.earlier_runs],
    ["recurring", 2, earlierBefore(firstFailOf(STORAGE, RECURRING)).length],
  );
  const hot = verdictOf("compute", HOT);
  assert.deepEqual([hot.headline, hot.novelty.kind, hot.novelty.earlier_runs_checked, hot.novelty.unchecked], ["failing", "new", null, "no runs of the lane"]);

  const markdown = await download("Download .md");
  assert.ok(markdown.includes(`  - new this week on \`${STORAGE}\`; no failure in the `), markdown);
  assert.ok(markdown.includes(`  - failed 1 of 5 runs on \`${STORAGE}\`; also failed 2 of `), markdown);
  assert.ok(!markdown.includes(`new this week on \`${COMPUTE_PR}\``), "not checked: not \"new this week\"");
  await page.close();
});

test("sorting by rate puts the highest failure rate first", async () => {
  const { page } = await loaded();
  const compute = card(page, "compute");
  await compute.locator("details.drill summary", { hasText: "Failing tests" }).click();
  const names = () => compute.locator(".test .test-name").allTextContents();
  await compute.locator(".test").nth(1).waitFor();
  assert.deepEqual(await names(), [BROKEN, HOT], "by failed runs: 4, then 2");
  await compute.getByRole("button", { name: "rate" }).click();
  await page.waitForFunction((hot) => document.querySelector('article.card[data-sig="compute"] .test .test-name')?.textContent === hot, HOT);
  assert.deepEqual(await names(), [HOT, BROKEN], "by rate: 100 %, then 50 %");
  await page.close();
});

test("in Prow's runs (the bundled sample), history cells link their Prow runs", async () => {
  const { page } = await openPage(browser.context, `${site.url}?source=sample`);
  await page.locator('section.load-panel[data-phase="done"]').waitFor({ timeout: 30_000 });
  const first = page.locator("article.card details.drill", { hasText: "Failing tests" }).first();
  await first.locator("summary").click();
  const cells = first.locator(".strip a.cell");
  await cells.first().waitFor();
  const hrefs = await cells.evaluateAll((all) => all.map((a) => a.getAttribute("href")));
  assert.ok(hrefs.every((href) => href?.startsWith(`https://prow.ci.kubevirt.io/view/gs/${BUCKET}/`)), hrefs.join("\n"));
  assert.equal(await page.locator(".quarantine-list").count(), 0, "the sample is a snapshot of runs only: no list is read");
  await page.close();
});

test("a bucket without quarantine.json loads with a notice, not a problem", async () => {
  const { page } = await loaded({ bucket: UNLISTED });
  assert.equal(
    await page.locator(".quarantine-list").textContent(),
    "quarantine.json not read (not found): only [QUARANTINE] in a name marks a test quarantined",
  );
  assert.equal(await page.locator(".load-problem").count(), 0);
  const listed = await read(await row(page, "network", LISTED));
  assert.equal(listed.headline, `failed 1 of 4 runs on ${NETWORK}, first this week (the week before not checked: no runs of the lane)`, "not quarantined without the list");
  await assertSafeLinks(page);
  await page.close();
});
