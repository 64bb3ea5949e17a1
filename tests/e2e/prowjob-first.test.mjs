// The first run of a presubmit job to learn whether the job is optional reads its prowjob.json
// before anything else, and once the run has ended that file says how: its finished.json is not
// read. One pull request's runs (`?pr=`) from a tiny bucket behind the counting proxy: a lane run
// three times at one head commit (failed, then passed twice: a flake) and a lane run once (failed).
// Each job's prowjob.json is read once, finished.json only for the runs that did not read
// prowjob.json (2 of 4), every failed run's JUnit is read, all runs count, and the commits taken
// from prowjob.json are the pull request's head.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { launchBrowser, openPage, serveStatic, startFakeGcs } from "./harness.mjs";
import { BUCKET, buildId, random, writeObjects } from "./fixtures/bucket.mjs";
import { junitXml } from "./fixtures/junit.mjs";
import { startProxy } from "./fixtures/proxy.mjs";

const HOUR_MS = 3600 * 1000;
const PR = 18835;
const FLAKY_LANE = "pull-kubevirt-e2e-k8s-1.34-sig-network";
const FAILED_LANE = "pull-kubevirt-e2e-k8s-1.34-sig-compute";
const FLAKY = "[sig-network]VirtualMachineInstance with masquerade binding mechanism should be able to reach the outside world [IPv4]";
const FAILING = "[sig-compute]VMIDefaults [Serial]MemBalloon defaults [test_id:4556]Should have MemBalloon device by default";
const MESSAGE = "Timed out after 60.000s. Expected\n    <bool>: false\nto be true";

const r = random(18835);
const HEAD = r.hex(40);
const BASE = r.hex(40);
const json = (value) => `${JSON.stringify(value, null, 2)}\n`;

/** The runs of the pull request: `{ job, folder, fails }`, oldest first. */
function bucket(now) {
  const objects = new Map();
  const runs = [];
  const write = (job, hoursAgo, fails) => {
    const start = now - hoursAgo * HOUR_MS;
    const end = start + HOUR_MS;
    const build = buildId(start, r.int(0, 0x3fffff));
    const folder = `pr-logs/pull/kubevirt_kubevirt/${PR}/${job}/${build}/`;
    const result = fails.length ? "FAILURE" : "SUCCESS";
    const refs = { org: "kubevirt", repo: "kubevirt", base_ref: "main", base_sha: BASE, pulls: [{ number: PR, author: "alicefr", sha: HEAD, title: "network: retry" }] };
    objects.set(`${folder}started.json`, json({ timestamp: Math.floor(start / 1000), pull: String(PR), repos: { "kubevirt/kubevirt": `main:${BASE},${PR}:${HEAD}` } }));
    objects.set(`${folder}finished.json`, json({ timestamp: Math.floor(end / 1000), passed: !fails.length, result, revision: HEAD }));
    objects.set(`${folder}prowjob.json`, json({
      kind: "ProwJob",
      apiVersion: "prow.k8s.io/v1",
      metadata: { name: build, labels: { "prow.k8s.io/build-id": build, "prow.k8s.io/job": job, "prow.k8s.io/type": "presubmit", "prow.k8s.io/is-optional": "false", "prow.k8s.io/refs.pull": String(PR) } },
      spec: { type: "presubmit", job, refs, context: job },
      status: { startTime: new Date(start).toISOString(), completionTime: new Date(end).toISOString(), state: result.toLowerCase(), build_id: build },
    }));
    if (fails.length) objects.set(`${folder}artifacts/junit.functest.xml`, junitXml(fails.map((name) => ({ test: name, message: MESSAGE })), { passed: 3, skipped: 10 }));
    runs.push({ job, folder, fails });
  };
  write(FLAKY_LANE, 30, [FLAKY]);
  write(FLAKY_LANE, 28, []);
  write(FLAKY_LANE, 26, []);
  write(FAILED_LANE, 29, [FAILING]);
  return { objects, runs };
}

const { objects, runs } = bucket(Date.now());
let site, gcs, proxy, dir;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "triage-prowjob-first-"));
  await writeObjects(path.join(dir, BUCKET), objects);
  [site, gcs] = await Promise.all([serveStatic(), startFakeGcs(dir)]);
  proxy = await startProxy(gcs.url);
});

after(async () => {
  await Promise.all([site?.close(), gcs?.stop(), proxy?.close()]);
  await rm(dir, { recursive: true, force: true });
});

/** The run folders whose `file` the page requested, in request order. */
function read(file) {
  const names = proxy.state.requests.filter((request) => request.includes("alt=media")).map((request) => request.match(/\/o\/([^?]+)\?/)[1]);
  return names.filter((name) => name.endsWith(`/${file}`)).map((name) => name.slice(0, -file.length));
}

test("each job's first run reads prowjob.json instead of finished.json, and counts as it says", async (t) => {
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const { page, errors } = await openPage(browser.context, `${site.url}?${new URLSearchParams({ gcs: proxy.url, pr: String(PR) })}`);
  await page.locator('section.load-panel[data-phase="done"]').waitFor({ timeout: 60_000 });
  const count = async (key) => Number((await page.locator(`[data-count="${key}"]`).textContent()).trim());
  assert.deepEqual([await count("runs"), await count("failed"), await count("running")], [4, 2, 0]);

  const prowjobs = read("prowjob.json");
  const jobOf = (folder) => folder.split("/").at(-3);
  assert.deepEqual(prowjobs.map(jobOf).sort(), [FAILED_LANE, FLAKY_LANE], "one prowjob.json per job");
  const others = runs.map((run) => run.folder).filter((folder) => !prowjobs.includes(folder));
  assert.deepEqual(read("finished.json").sort(), others.sort(), "finished.json only for the runs that did not read prowjob.json");
  assert.deepEqual(read("started.json"), []);
  const failed = runs.filter((run) => run.fails.length).map((run) => run.folder);
  assert.deepEqual(read("artifacts/junit.functest.xml").sort(), failed.sort(), "every failed run's JUnit");
  assert.ok(prowjobs.includes(runs.find((run) => run.job === FAILED_LANE).folder), "the failed lane's one run read prowjob.json");

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download .json" }).click()]);
  const report = JSON.parse(await readFile(await download.path(), "utf8"));
  const verdictOf = (sig, name) => report.sigs.find((s) => s.sig === sig).tests.find((test) => test.test === name).verdicts[0];
  // Runs of a bucket other than Prow's are cited by their folder.
  const url = (folder) => folder.slice(0, -1);
  // The flake's failed and passed runs tested the same head, whichever of them read prowjob.json.
  const flaky = verdictOf("network", FLAKY).trend;
  assert.deepEqual([flaky.kind, flaky.commit, flaky.failed.commit, flaky.passed.commit], ["flaky_same_commit", HEAD, HEAD, HEAD]);
  assert.equal(flaky.failed.url, url(runs[0].folder));
  // The failed lane's one run was read from prowjob.json: failed, its JUnit's test, the PR head.
  const failing = verdictOf("compute", FAILING);
  assert.deepEqual([failing.runs.failed, failing.runs.total], [1, 1]);
  assert.deepEqual([failing.novelty.first_failing.url, failing.novelty.first_failing.commit], [url(runs[3].folder), HEAD]);
  assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
});
