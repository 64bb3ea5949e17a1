// A scaled-down real week (tests/e2e/fixtures/week.mjs, 1/20) read by the built page from
// fake-gcs-server: only kubevirt/kubevirt's e2e lanes are read. Other repositories' jobs, whose
// pointers sit beside kubevirt's, project-infra's rehearsals and non-kubevirt jobs under logs/ are
// never requested, and the page finds exactly the week's kubevirt presubmit, batch and periodic
// runs (batch runs read from pr-logs/pull/batch/, which has no pointers).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { launchBrowser, openPage, serveStatic, startFakeGcs } from "./harness.mjs";
import { startProxy } from "./fixtures/proxy.mjs";
import { generateWeek, readOtherJobs, writeWeek } from "./fixtures/week.mjs";

const week = generateWeek({ now: Date.now(), scale: 1 / 20 });
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
