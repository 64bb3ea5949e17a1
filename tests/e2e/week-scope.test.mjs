// A scaled-down real week (tests/e2e/fixtures/week.mjs, 1/20) read by the built page from
// fake-gcs-server: only kubevirt/kubevirt's e2e lanes are read. Other repositories' jobs, whose
// pointers sit beside kubevirt's, project-infra's rehearsals and non-kubevirt jobs under logs/ are
// never requested, and the page finds exactly the week's kubevirt presubmit, batch and periodic
// runs (batch runs read from pr-logs/pull/batch/, which has no pointers).
//
// Its JSON export equals the generator's truth, per SIG, of required lanes by default and of
// all with optional=show (the lanes' prowjob.json labels), and per way a run was started
// (presubmit, batch, periodic through the `trigger` view filter), with one PR's own failures
// apart (listed under the PR) unless pr-failures=show; each SIG's failing jobs (names, failed and
// counted runs) equal the truth's too. The filter bar's Trigger select and its optional-lane and
// one-PR toggles write those parameters and bring the cards to the truth's counts, and a link
// with them sets the controls.
//
// Requests: pointers are uploaded with their `x-goog-meta-link` metadata as Prow does, and the
// proxy applies `fields` as GCS does. A cold load then reads no pointer and no started.json: it
// makes exactly the listings, finished.json, JUnit and prowjob.json reads the bucket calls for
// (counted from the generator's truth): one prowjob.json per presubmit or batch job, read first by
// one of its runs, which reads no finished.json when that prowjob.json says how it ended. It
// prints requests per finished run, cold and warm. Where
// listings carry no metadata (a stand-in that drops it) the pointers are read and the page finds
// the same runs.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { isDeepStrictEqual } from "node:util";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { launchBrowser, openPage, serveStatic, startFakeGcs } from "./harness.mjs";
import { uploadMetadata } from "./fixtures/bucket.mjs";
import { startProxy } from "./fixtures/proxy.mjs";
import { generateWeek, readJobs, readOtherJobs, readsBeforeWindow, runRead, writeWeek } from "./fixtures/week.mjs";

const week = generateWeek({ now: Date.now(), scale: 1 / 20 });
const SIGS = ["compute", "storage", "network", "operator", "monitoring"];
/** Requests per finished run of a cold load, besides those made once per job. */
const PER_RUN_TARGET = 1.3;
let site, gcs, proxy, dir;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "triage-week-"));
  await writeWeek(dir, week);
  [site, gcs] = await Promise.all([serveStatic(), startFakeGcs(path.join(dir, "data"))]);
  await uploadMetadata(gcs.url, week.objects, week.metadata);
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

/** The week's kubevirt presubmit runs in the window, finished or not (batch runs have no pointer). */
function presubmitRuns() {
  const of = Object.values(week.truth.bySig).flatMap((sig) => (sig.presubmit ? [sig.presubmit.required, sig.presubmit.optional] : []));
  return of.reduce((n, counts) => n + counts.runs + counts.aborted + counts.inProgress, 0);
}

/**
 * What a cold load must request, by kind, from the week's objects and truth: one listing per root
 * and per kubevirt e2e job folder under it, one JUnit per failed run, a listing of partial pieces
 * (and the pieces) where it has none, and prowjob.json once per job that has presubmit or batch
 * runs. One finished.json per run (404 for runs in progress), but for the runs in `standIns`,
 * whose prowjob.json said how they ended.
 */
function coldRequests(standIns) {
  const e2e = new Set(readJobs().map((job) => job.name));
  const folders = (root, depth) => new Set([...week.objects.keys()].filter((name) => name.startsWith(root)).map((name) => name.split("/")[depth]).filter((job) => e2e.has(job)));
  const { totals, failedRuns } = week.truth;
  const pieces = failedRuns.flatMap((run) => [...week.objects.keys()].filter((name) => name.startsWith(`${run}artifacts/partial.junit.functest.`)));
  const jobs = Object.values(week.truth.jobs).filter((job) => job.type === "presubmit").length;
  return {
    listings: 3 + folders("pr-logs/directory/", 2).size + folders("pr-logs/pull/batch/", 3).size + folders("logs/", 1).size,
    finished: totals.runs + totals.aborted + totals.inProgress - standIns.length,
    junit: totals.failed,
    partialListings: totals.failedWithoutJunit + totals.killed,
    pieces: pieces.length,
    prowjob: jobs,
  };
}

/** The run folder a request reads a file of (`name`), if it does. */
function folderOf(request, name) {
  const run = runRead(request);
  return run && decodeURIComponent(new URL(request, "http://proxy").pathname).endsWith(`/${run.folder}${name}`) ? run.folder : undefined;
}

/**
 * The runs whose prowjob.json was read, by whether it said how the run ended (the generator
 * writes a final state and completion time exactly when it writes finished.json).
 */
function prowjobReads(requests) {
  const runs = requests.map((request) => folderOf(request, "prowjob.json")).filter(Boolean);
  const ended = (folder) => week.objects.has(`${folder}finished.json`);
  for (const folder of runs) {
    const { status } = JSON.parse(week.objects.get(`${folder}prowjob.json`));
    assert.equal(ended(folder), status.state !== "pending" && "completionTime" in status, folder);
  }
  return { runs, standIns: runs.filter(ended), running: runs.filter((folder) => !ended(folder)) };
}

/** The requests of a load by kind (decoded URLs as the proxy logs them). */
function byKind(requests) {
  const get = (pattern) => requests.filter((r) => /\?alt=media/.test(r) && pattern.test(r)).length;
  const list = (pattern) => requests.filter((r) => !/\?alt=media/.test(r) && pattern.test(r)).length;
  return {
    listings: list(/\/o\?prefix=(?!.*partial\.junit)/),
    partialListings: list(/\/o\?prefix=.*partial\.junit/),
    pointers: get(/\/o\/pr-logs\/directory\//),
    finished: get(/\/finished\.json\?/),
    started: get(/\/started\.json\?/),
    prowjob: get(/\/prowjob\.json\?/),
    junit: get(/\/artifacts\/junit\.functest\.xml\?/),
    pieces: get(/\/artifacts\/partial\.junit\.functest\.\d+\.xml\?/),
    quarantine: get(/\/quarantine\.json\?/),
  };
}

test("reads kubevirt's e2e runs of the week and nothing of other repositories or rehearsals, pointers read where listings carry no links", async (t) => {
  const browser = await launchBrowser();
  t.after(() => {
    proxy.state.dropMetadata = false;
    return browser.close();
  });
  proxy.state.dropMetadata = true;
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
  const pointers = requests.filter((r) => /\/o\/pr-logs\/directory\/.*\.txt\?/.test(r));
  assert.equal(pointers.length, presubmitRuns(), "without links, each kubevirt presubmit run's pointer is read");
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

/**
 * The truth's failing jobs on a SIG's card (SIG CI's: runs failed without JUnit), by name, as
 * `{ job, failed, total }` over the runs of the ways of starting `kinds`, of required lanes (and
 * optional ones with `optional`), one PR's own failed runs only with `prFailures`.
 */
function truthJobs(sig, kinds, { optional = false, prFailures = false } = {}) {
  const rows = [];
  for (const [job, of] of Object.entries(week.truth.jobsByTrigger)) {
    const kept = kinds.filter((kind) => optional || !of.optional || kind === "periodic");
    const sum = (key) => kept.reduce((n, kind) => n + of[kind][key], 0);
    const failed = sig === "ci" ? sum("withoutJunit") : of.sig !== sig ? 0 : sum("failed") + (prFailures ? sum("onePullRequest") : 0);
    if (failed > 0) rows.push({ job, failed, total: sum("runs") });
  }
  return rows.sort((a, b) => a.job.localeCompare(b.job));
}

/** Each SIG's failing jobs in a JSON export, as `truthJobs` writes them. */
function exportedJobs(report) {
  const rows = (card) => card.jobs.map(({ job, runs }) => ({ job, failed: runs.failed, total: runs.total }));
  return Object.fromEntries([...SIGS, "ci"].map((sig) => [sig, rows(report.sigs.find((s) => s.sig === sig)).sort((a, b) => a.job.localeCompare(b.job))]));
}

/** `truthJobs` of every SIG and SIG CI. */
const truthJobsBySig = (kinds, scope) => Object.fromEntries([...SIGS, "ci"].map((sig) => [sig, truthJobs(sig, kinds, scope)]));

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
  proxy.state.gcsParams = true;
  t.after(() => (proxy.state.gcsParams = false));
  const all = await exported(page, {});
  const cold = proxy.state.requests;
  const { totals } = week.truth;
  const finished = totals.runs + totals.aborted;
  const isStretch = readsBeforeWindow(week.truth);
  const stretch = cold.filter(isStretch);
  const stretchKinds = byKind(stretch);
  console.log(`the stretch before the window: ${stretch.length} requests: ${JSON.stringify(stretchKinds)}`);
  assert.ok(stretchKinds.finished > 0, "the lanes of tests that would read as new are read before the window");
  assert.equal(stretchKinds.listings + stretchKinds.pointers + stretchKinds.started, 0, "the window's listings name the stretch's runs");
  const windowCold = cold.filter((request) => !isStretch(request));
  const kinds = byKind(windowCold);
  const prowjobs = prowjobReads(windowCold);
  // The 1/20 week keeps every job and the last push's runs in progress at full size: requests
  // made once per job, or once per run in progress, weigh 20 times more than in a real week, so
  // the target is checked on what finished runs cost (the bench measures the whole at full volume).
  // A prowjob.json that said how its run ended stood in for that run's finished.json.
  const perJob = kinds.listings + prowjobs.running.length;
  const windowRequests = windowCold.length;
  const perRun = (windowRequests - perJob - totals.inProgress) / finished;
  console.log(`cold load: ${windowRequests} requests for the window's ${finished} finished runs (${totals.runs} counted, ${totals.inProgress} in progress): ${(windowRequests / finished).toFixed(2)} per finished run; ${perJob} once per job (listings, prowjob.json of runs in progress), ${totals.inProgress} for runs in progress, ${perRun.toFixed(2)} per finished run besides; ${prowjobs.standIns.length} prowjob.json reads stood in for finished.json`);
  console.log(`cold requests by kind: ${JSON.stringify(kinds)}`);
  const want = coldRequests(prowjobs.standIns);
  assert.equal(kinds.pointers, 0, "pointers' links come with the listing: none is read");
  assert.equal(kinds.started, 0, "finished.json's revision names the commit: no started.json is read");
  assert.equal(kinds.quarantine, 1, "quarantine.json is read once per load");
  assert.deepEqual(
    { listings: kinds.listings, finished: kinds.finished, junit: kinds.junit, partialListings: kinds.partialListings, pieces: kinds.pieces, prowjob: kinds.prowjob },
    { listings: want.listings, finished: want.finished, junit: want.junit, partialListings: want.partialListings, pieces: want.pieces, prowjob: want.prowjob },
  );
  const jobOf = (folder) => folder.split("/").at(-3);
  assert.equal(new Set(prowjobs.runs.map(jobOf)).size, want.prowjob, "one prowjob.json per job");
  const finishedRead = new Set(windowCold.map((request) => folderOf(request, "finished.json")).filter(Boolean));
  assert.deepEqual(prowjobs.standIns.filter((folder) => finishedRead.has(folder)), [], "no finished.json for a run its prowjob.json said had ended");
  assert.deepEqual(prowjobs.running.filter((folder) => !finishedRead.has(folder)), [], "finished.json for a run its prowjob.json said was running");
  assert.equal(windowRequests, Object.values(kinds).reduce((n, k) => n + k, 0), "every request is one of these kinds");
  assert.ok(perRun <= PER_RUN_TARGET, `${perRun.toFixed(2)} requests per finished run besides the per-job ones (target ${PER_RUN_TARGET})`);
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
  assert.deepEqual(exportedJobs(all), truthJobsBySig(KINDS), "failing jobs of required lanes, the PR's own failures apart");
  assert.ok(truthJobs("compute", KINDS).length > 0 && truthJobs("ci", KINDS).length > 0);
  proxy.state.requests = [];
  const shown = await exported(page, { "pr-failures": "show" });
  const warm = proxy.state.requests;
  console.log(`warm reload: ${warm.length} requests (${((100 * warm.length) / cold.length).toFixed(1)} % of cold): ${JSON.stringify(byKind(warm))}`);
  // Settled runs come from the cache, and their records say which jobs are optional: a reload
  // lists every job again (new runs appear there) and reads the runs still in progress.
  const none = { partialListings: 0, pointers: 0, started: 0, prowjob: 0, junit: 0, pieces: 0 };
  // A presubmit or batch job's runs in progress may load before any of its cached runs has said
  // whether the job is optional: its prowjob.json is then read again, at most once per such job.
  const jobsRunning = new Set(week.truth.inProgress.filter((folder) => folder.startsWith("pr-logs/")).map((folder) => folder.split("/").at(-3)));
  const warmKinds = byKind(warm);
  assert.ok(warmKinds.prowjob <= jobsRunning.size, `prowjob.json read ${warmKinds.prowjob} times on reload, at most once per job with a run in progress (${jobsRunning.size})`);
  assert.deepEqual({ ...warmKinds, prowjob: 0 }, { ...none, quarantine: 1, listings: want.listings, finished: totals.inProgress });
  assert.deepEqual(warm.filter(isStretch), [], "the stretch's settled runs are read from the cache");
  assert.deepEqual(exportedJobs(shown), truthJobsBySig(KINDS, { prFailures: true }), "failing jobs with the PR's own failures");
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
  assert.deepEqual(exportedJobs(withOptional), truthJobsBySig(KINDS, { optional: true, prFailures: true }), "failing jobs of all lanes");

  for (const kind of ["presubmit", "batch", "periodic"]) {
    const report = await exported(page, { trigger: kind, "pr-failures": "show" });
    assert.equal(report.filters.trigger, kind);
    for (const [sig, card] of Object.entries(cards(report))) {
      assert.deepEqual(runsOf(card), truthRuns(sig, [kind]), `${sig}: ${kind} runs`);
    }
    assert.deepEqual(exportedJobs(report), truthJobsBySig([kind], { prFailures: true }), `failing jobs of ${kind} runs`);
  }
  assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
});

/** The SIG cards' counted runs as `{ sig: { failed, total } }` (a card without runs: zeros). */
async function cardRuns(page) {
  const rates = await page.locator("article.card[data-sig]").evaluateAll((cards) => cards.map((card) => [card.dataset.sig, card.querySelector(".run-rate")?.textContent.trim() ?? ""]));
  const runs = (rate) => {
    const [, failed = 0, total = 0] = /^(\d+) \/ (\d+) runs failed/.exec(rate) ?? [];
    return { failed: Number(failed), total: Number(total) };
  };
  return Object.fromEntries(rates.filter(([sig]) => SIGS.includes(sig)).map(([sig, rate]) => [sig, runs(rate)]));
}

/** The truth's counted runs per SIG for a setting of the view filters (as on the cards). */
function truthCards(kinds, { optional = false, prFailures = false } = {}) {
  const own = prFailures || !kinds.includes("presubmit") ? 0 : week.truth.onePullRequest.runs.length;
  return Object.fromEntries(SIGS.map((sig) => {
    const want = truthRuns(sig, kinds, { optional });
    return [sig, { ...want, failed: want.failed - (sig === "compute" ? own : 0) }];
  }));
}

/** Waits (10 s at most) for the cards to show `want`'s counts, and asserts that they do. */
async function cardsShow(page, want, message) {
  let got;
  for (let tries = 0; tries < 50; tries += 1) {
    got = await cardRuns(page);
    if (isDeepStrictEqual(got, want)) break;
    await page.waitForTimeout(200);
  }
  assert.deepEqual(got, want, message);
}

test("the filter bar's trigger, optional-lane and one-PR controls write their parameters and count as the truth says", async (t) => {
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const KINDS = ["presubmit", "batch", "periodic"];
  const open = async (query) => {
    const { page, errors } = await openPage(browser.context, `${site.url}?${new URLSearchParams({ gcs: proxy.url, ...query })}`);
    await page.locator('section.load-panel[data-phase="done"]').waitFor({ timeout: 120_000 });
    return { page, errors };
  };
  const { page, errors } = await open({});
  const trigger = page.getByRole("combobox", { name: "Trigger" });
  const optional = page.getByRole("checkbox", { name: "Show optional lanes" });
  const pullFailures = page.getByRole("checkbox", { name: "Show one PR's own failures" });
  // The defaults, said on the page beside the controls.
  assert.equal(await trigger.inputValue(), "");
  assert.equal(await optional.isChecked(), false);
  assert.equal(await pullFailures.isChecked(), false);
  assert.match(await page.locator("label.toggle", { has: optional }).textContent(), /default: required lanes only, as ci-health counts/);
  assert.match(await page.locator("label.toggle", { has: pullFailures }).textContent(), /default: kept apart, listed per PR/);
  await cardsShow(page, truthCards(KINDS), "default: required lanes, the PR's own failures apart");
  const param = (name) => new URL(page.url()).searchParams.get(name);

  for (const kind of KINDS) {
    await trigger.selectOption(kind);
    await page.waitForURL((url) => url.searchParams.get("trigger") === kind);
    await cardsShow(page, truthCards([kind]), `trigger=${kind}`);
  }
  // By keyboard: the select takes focus and moves back to "All".
  await trigger.focus();
  await page.keyboard.press("Home");
  await page.waitForURL((url) => !url.searchParams.has("trigger"));
  await cardsShow(page, truthCards(KINDS), "trigger: all");

  await optional.check();
  await page.waitForURL((url) => url.searchParams.get("optional") === "show");
  await cardsShow(page, truthCards(KINDS, { optional: true }), "optional=show");
  await pullFailures.focus();
  await page.keyboard.press("Space");
  await page.waitForURL((url) => url.searchParams.get("pr-failures") === "show");
  assert.equal(param("optional"), "show");
  await cardsShow(page, truthCards(KINDS, { optional: true, prFailures: true }), "optional=show&pr-failures=show");
  await optional.uncheck();
  await page.waitForURL((url) => !url.searchParams.has("optional"));
  await cardsShow(page, truthCards(KINDS, { prFailures: true }), "pr-failures=show");
  await pullFailures.uncheck();
  await page.waitForURL((url) => !url.searchParams.has("pr-failures"));
  await cardsShow(page, truthCards(KINDS), "back to the defaults");

  // A link with the parameters sets the controls.
  const linked = await open({ trigger: "periodic", optional: "show", "pr-failures": "show" });
  assert.equal(await linked.page.getByRole("combobox", { name: "Trigger" }).inputValue(), "periodic");
  assert.equal(await linked.page.getByRole("checkbox", { name: "Show optional lanes" }).isChecked(), true);
  assert.equal(await linked.page.getByRole("checkbox", { name: "Show one PR's own failures" }).isChecked(), true);
  await cardsShow(linked.page, truthCards(["periodic"], { optional: true, prFailures: true }), "linked: trigger=periodic");
  for (const { errors: seen } of [{ errors }, linked]) assert.deepEqual(seen.filter((e) => !/Failed to load resource/.test(e)), []);
});
