// A scaled-down real week (tests/e2e/fixtures/week.mjs, 1/20) read by the built page from
// fake-gcs-server: only kubevirt/kubevirt's e2e lanes are read. Other repositories' jobs, whose
// pointers sit beside kubevirt's, project-infra's rehearsals and non-kubevirt jobs under logs/ are
// never requested, and the page finds exactly the week's kubevirt presubmit, batch and periodic
// runs (batch runs read from pr-logs/pull/batch/, which has no pointers).
//
// Its JSON export equals the generator's truth, per SIG, of required lanes by default and of
// all with optional=show (the lanes' prowjob.json labels), and per way a run was started
// (presubmit, batch, periodic through the `trigger` view filter), with one PR's own failures
// apart (listed under the PR) unless pr-failures=show. Prints the requests per finished run of
// a cold load.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { launchBrowser, openPage, serveStatic, startFakeGcs } from "./harness.mjs";
import { startProxy } from "./fixtures/proxy.mjs";
import { generateWeek, readOtherJobs, writeWeek } from "./fixtures/week.mjs";

const week = generateWeek({ now: Date.now(), scale: 1 / 20 });
const SIGS = ["compute", "storage", "network", "operator", "monitoring"];
let site, gcs, proxy, dir;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "triage-week-"));
  await writeWeek(dir, week);
  [site, gcs] = await Promise.all([serveStatic(), startFakeGcs(path.join(dir, "data"))]);
  proxy = await startProxy(gcs.url);
});

after(async () => {
  await Promise.all([site?.close(), gcs?.stop(), proxy?.close()]);
  await rm(dir, { recursive: true, force: true });
});

/** The week's kubevirt presubmit, batch and periodic runs in the window: all, and failed. */
function expected({ bySig }) {
  const parts = Object.entries(bySig)
    .filter(([sig]) => sig !== "ci")
    .flatMap(([, p]) => [p.presubmit.required, p.presubmit.optional, p.batch.required, p.batch.optional, p.periodic]);
  const sum = (key) => parts.reduce((n, counts) => n + counts[key], 0);
  return { runs: sum("runs") + sum("aborted") + sum("inProgress"), failed: sum("failed") };
}

test("reads kubevirt's e2e runs of the week and nothing of other repositories or rehearsals", async (t) => {
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const { page, errors } = await openPage(browser.context, `${site.url}?${new URLSearchParams({ gcs: proxy.url })}`);
  await page.locator('section.load-panel[data-phase="done"]').waitFor({ timeout: 120_000 });
  const count = async (key) => Number((await page.locator(`[data-count="${key}"]`).textContent()).trim());

  const want = expected(week.truth);
  assert.equal(await count("runs"), want.runs);
  assert.equal(await count("failed"), want.failed);
  const requests = proxy.state.requests;
  const foreign = [/rehearsal-/, /kubevirt_project-infra/, /build-kubekins-e2e-image/, ...readOtherJobs().map((job) => new RegExp(`/${job}/`))];
  const read = requests.filter((r) => foreign.some((pattern) => pattern.test(r)));
  assert.deepEqual(read, [], "no request for another repository's or a rehearsal's objects");
  // Discovery passes over their job folders, so no pointer of theirs is read (none is skipped
  // after reading it); runs without finished.json are counted as running.
  assert.ok((await count("skipped-jobs")) > 0);
  assert.equal(await count("skipped"), 0);
  assert.equal(await count("running"), week.truth.totals.inProgress);
  // Killed runs left only partial JUnit pieces: they are listed and read.
  assert.ok(week.truth.totals.killed > 0);
  assert.ok(requests.some((r) => /partial\.junit\.functest\.1\.xml/.test(r)), "a killed run's first piece is read");
  assert.ok(week.truth.skipped.otherRepositories > 0 && week.truth.skipped.rehearsals > 0, "the bucket holds both");
  assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
});

/**
 * The truth's counted runs of a SIG, of the ways of starting `kinds`, of required lanes (and
 * optional ones with `optional`): `{ failed, total }`. Periodics have no optional lanes.
 */
function truthRuns(sig, kinds, { optional = false } = {}) {
  const of = week.truth.bySig[sig];
  const lanes = (kind) => (optional ? [of[kind].required, of[kind].optional] : [of[kind].required]);
  const parts = kinds.flatMap((kind) => (kind === "periodic" ? [of.periodic] : lanes(kind)));
  return { failed: parts.reduce((n, c) => n + c.failed, 0), total: parts.reduce((n, c) => n + c.runs, 0) };
}

/** Loads the page with `query`, waits for the load to end and returns its JSON export. */
async function exported(page, query) {
  await page.goto(`${site.url}?${new URLSearchParams({ gcs: proxy.url, ...query })}`);
  await page.locator('section.load-panel[data-phase="done"]').waitFor({ timeout: 120_000 });
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download .json" }).click()]);
  return JSON.parse(await readFile(await download.path(), "utf8"));
}

test("the JSON export of the 1/20 week equals the generator's truth", async (t) => {
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const { page, errors } = await openPage(browser.context, "about:blank");

  proxy.state.requests = [];
  const all = await exported(page, {});
  const requests = proxy.state.requests.length;
  const { totals } = week.truth;
  const finished = totals.runs + totals.aborted;
  console.log(`cold load: ${requests} requests for ${finished} finished runs (${totals.runs} counted, ${totals.inProgress} in progress): ${(requests / finished).toFixed(2)} per finished run`);
  const kinds = ["prefix=", ".txt", "finished.json", "started.json", "prowjob.json", "junit.functest.xml", "partial.junit"];
  const byKind = kinds.map((kind) => `${kind} ${proxy.state.requests.filter((r) => decodeURIComponent(r).includes(kind)).length}`);
  console.log(`requests by kind (listings are prefix=): ${byKind.join(", ")}`);
  const count = async (key) => Number((await page.locator(`[data-count="${key}"]`).textContent()).trim());
  assert.equal(await count("running"), totals.inProgress);

  const cards = (report) => Object.fromEntries(SIGS.map((sig) => [sig, report.sigs.find((s) => s.sig === sig)]));
  const runsOf = (card) => ({ failed: card.runs.failed, total: card.runs.total });
  // One PR's own failures are apart by default: its runs that failed on them alone are not
  // failed runs of compute's lanes, and the export lists them under the PR.
  const own = week.truth.onePullRequest;
  const sorted = (pulls) => pulls.map((pull) => ({ ...pull, runs: [...pull.runs].sort() }));
  assert.deepEqual(sorted(all.pr_failures), [{ pr: own.pr, tests: [own.test], runs: own.runs }]);
  const line = await page.locator(`.pull-failures li[data-pr="${own.pr}"]`).textContent();
  assert.equal(line, `PR #${own.pr} (${own.runs.length} runs): ${own.test}`);
  const KINDS = ["presubmit", "batch", "periodic"];
  for (const [sig, card] of Object.entries(cards(all))) {
    const want = truthRuns(sig, KINDS);
    if (sig === "compute") want.failed -= own.runs.length;
    assert.deepEqual(runsOf(card), want, `${sig}: runs of required lanes, the PR's own failures apart`);
  }
  const shown = await exported(page, { "pr-failures": "show" });
  assert.deepEqual(shown.pr_failures, []);
  assert.deepEqual(runsOf(cards(shown).compute), truthRuns("compute", KINDS), "compute: with the PR's own failures");
  const optional = truthRuns("compute", ["presubmit"], { optional: true }).total - truthRuns("compute", ["presubmit"]).total;
  assert.ok(optional > 0, "the week has optional compute runs, so the default leaves something out");

  const withOptional = await exported(page, { optional: "show", "pr-failures": "show" });
  assert.deepEqual({ failed: withOptional.runs.failed, total: withOptional.runs.total }, { failed: totals.failed, total: totals.runs });
  for (const [sig, card] of Object.entries(cards(withOptional))) {
    assert.deepEqual(runsOf(card), truthRuns(sig, KINDS, { optional: true }), `${sig}: runs of all lanes`);
  }
  assert.equal(withOptional.sigs.find((s) => s.sig === "ci").runs.failed, week.truth.bySig.ci.failed, "SIG CI: failed without JUnit");

  for (const kind of ["presubmit", "batch", "periodic"]) {
    const report = await exported(page, { trigger: kind, "pr-failures": "show" });
    assert.equal(report.filters.trigger, kind);
    for (const [sig, card] of Object.entries(cards(report))) {
      assert.deepEqual(runsOf(card), truthRuns(sig, [kind]), `${sig}: ${kind} runs`);
    }
  }
  assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
});
