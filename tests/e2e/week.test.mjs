// The week generator's own invariants (no page, no server): its truth equals what a reader
// re-deriving it from the generated objects finds, its volumes and shares are those of a real
// week, every run's files agree with each other and with the job list, and every trap is there.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { generateWeek, jobByTrigger, MIN_JUNIT_BYTES, readJobs, readOtherJobs, WEEK } from "./fixtures/week.mjs";

const SNOWFLAKE_EPOCH_MS = 1288834974657n;
const DAY_MS = 24 * 3600 * 1000;
const jobs = new Map(readJobs().map((job) => [job.name, job]));
const full = generateWeek();
const small = generateWeek({ scale: 1 / 20 });

/** When a run started, from its build id alone. */
const buildTime = (build) => Number((BigInt(build) >> 22n) + SNOWFLAKE_EPOCH_MS);
const read = ({ objects }, name) => (objects.has(name) ? JSON.parse(objects.get(name)) : undefined);

/** Every run folder in the bucket, with whose run it is, found the way a reader finds them. */
function runFolders(week) {
  const runs = [];
  for (const [name, content] of week.objects) {
    const pointer = /^pr-logs\/directory\/([^/]+)\/(\d+)\.txt$/.exec(name);
    if (pointer) {
      const folder = `${content.replace(/^gs:\/\/kubevirt-prow\//, "")}/`;
      const [, job, build] = pointer;
      assert.ok(folder.endsWith(`/${job}/${build}/`), name);
      const kubevirt = folder.startsWith("pr-logs/pull/kubevirt_kubevirt/");
      const owner = job.startsWith("rehearsal-") ? "rehearsal" : !kubevirt ? "other" : jobs.has(job) ? "kubevirt" : "nonE2e";
      runs.push({ type: "presubmit", job, build, folder, owner });
      continue;
    }
    const folder = /^(pr-logs\/pull\/batch|logs)\/([^/]+)\/(\d+)\/started\.json$/.exec(name);
    if (folder) {
      const [, root, job, build] = folder;
      runs.push({ type: root === "logs" ? "periodic" : "batch", job, build, folder: name.replace(/started\.json$/, ""), owner: jobs.has(job) ? "kubevirt" : "other" });
    }
  }
  return runs;
}

/** The truth, re-derived from the objects. */
function derive(week) {
  const now = Date.parse(week.truth.window.end);
  const start = Date.parse(week.truth.window.start);
  const counts = () => ({ runs: 0, failed: 0, failedWithoutJunit: 0, killed: 0, aborted: 0, inProgress: 0 });
  const sig = () => ({ presubmit: { required: counts(), optional: counts() }, batch: { required: counts(), optional: counts() }, periodic: counts() });
  const out = {
    totals: { ...counts(), retests: 0 },
    bySig: { compute: sig(), storage: sig(), network: sig(), operator: sig(), monitoring: sig(), none: sig(), ci: { failed: 0 } },
    jobs: {},
    jobsByTrigger: {},
    failedRuns: [],
    inProgress: [],
    skipped: { otherRepositories: 0, rehearsals: 0, otherRepositoryBatch: 0, otherRepositoryPeriodic: 0, nonE2e: 0 },
  };
  const seen = new Set();
  const runs = runFolders(week).sort((a, b) => a.build.localeCompare(b.build));
  for (const run of runs) {
    const inWindow = buildTime(run.build) >= start && buildTime(run.build) < now;
    const started = read(week, `${run.folder}started.json`);
    assert.ok(started, `${run.folder} has started.json`);
    const head = Object.values(started.repos)[0].split(",").at(-1).split(":")[1];
    const first = !seen.has(`${run.job} ${head}`);
    seen.add(`${run.job} ${head}`);
    if (!inWindow) continue;
    if (run.owner !== "kubevirt") {
      const key = { rehearsal: "rehearsals", nonE2e: "nonE2e" }[run.owner] ?? { presubmit: "otherRepositories", batch: "otherRepositoryBatch", periodic: "otherRepositoryPeriodic" }[run.type];
      out.skipped[key] += 1;
      continue;
    }
    const job = jobs.get(run.job);
    const prowjob = read(week, `${run.folder}prowjob.json`);
    const optional = prowjob.metadata.labels["prow.k8s.io/is-optional"];
    const lane = job.sig === "-" ? "none" : job.sig;
    const bucket = run.type === "periodic" ? out.bySig[lane].periodic : out.bySig[lane][run.type][optional === "true" ? "optional" : "required"];
    const perJob = (out.jobs[run.job] ??= { type: job.kind, optional: job.optional, sig: lane, ...counts() });
    const add = (key) => [bucket, perJob, out.totals].forEach((c) => (c[key] += 1));
    if (!first && run.type === "presubmit") out.totals.retests += 1;
    const finished = read(week, `${run.folder}finished.json`);
    if (!finished) {
      add("inProgress");
      out.inProgress.push(run.folder);
      continue;
    }
    if (finished.result === "ABORTED") {
      add("aborted");
      continue;
    }
    add("runs");
    const byTrigger = jobByTrigger(out, job)[run.type];
    byTrigger.runs += 1;
    if (finished.result === "SUCCESS") continue;
    add("failed");
    out.failedRuns.push(run.folder);
    const junit = ["junit.functest.xml", "partial.junit.functest.1.xml"].map((file) => week.objects.get(`${run.folder}artifacts/${file}`)).find(Boolean);
    if (!junit) {
      add("failedWithoutJunit");
      out.bySig.ci.failed += 1;
      byTrigger.withoutJunit += 1;
      continue;
    }
    if (!week.objects.has(`${run.folder}artifacts/junit.functest.xml`)) add("killed");
    // The card a run's failures go to: the SIG its failed tests name.
    const failed = [...junit.matchAll(/<testcase name="([^"]*)"[^>]*>\s*<failure/g)].map(([, name]) => name.replaceAll("&amp;", "&"));
    const sigs = new Set(failed.map((name) => /^\[sig-([a-z]+)/.exec(name)[1]));
    assert.equal(sigs.size, 1, `${run.folder}: the failed tests of one SIG`);
    out.jobsByTrigger[run.job].sig ??= [...sigs][0];
    byTrigger[failed.includes(week.truth.onePullRequest.test) ? "onePullRequest" : "failed"] += 1;
  }
  out.failedRuns.sort();
  out.inProgress.sort();
  return out;
}

for (const [label, week] of [["full week", full], ["1/20 week", small]]) {
  describe(label, () => {
    test("the truth is what a reader finds in the objects", () => {
      const { truth } = week;
      const derived = derive(week);
      for (const key of Object.keys(derived)) assert.deepEqual(truth[key], derived[key], key);
      const failing = Object.entries(derived.jobs).filter(([, c]) => c.failed > 0);
      assert.deepEqual(truth.failingJobs.map((j) => j.job).sort(), failing.map(([job]) => job).sort());
      assert.ok(truth.failingJobs.every((j, i, all) => i === 0 || all[i - 1].failed >= j.failed), "failing jobs sorted by failed runs");
    });

    test("counts sum up", () => {
      const { truth } = week;
      const sum = (pick) => {
        const total = { runs: 0, failed: 0, failedWithoutJunit: 0, killed: 0, aborted: 0, inProgress: 0 };
        for (const [sig, parts] of Object.entries(truth.bySig)) {
          if (sig === "ci") continue;
          for (const counts of pick(parts)) for (const key of Object.keys(total)) total[key] += counts[key];
        }
        return total;
      };
      const all = sum((p) => [p.presubmit.required, p.presubmit.optional, p.batch.required, p.batch.optional, p.periodic]);
      const { retests, ...totals } = truth.totals;
      assert.deepEqual(all, totals);
      assert.equal(truth.failedRuns.length, totals.failed);
      assert.equal(truth.inProgress.length, totals.inProgress);
      assert.equal(truth.bySig.ci.failed, totals.failedWithoutJunit);
      const perJob = Object.values(truth.jobs).reduce((n, c) => n + c.runs + c.aborted + c.inProgress, 0);
      assert.equal(perJob, totals.runs + totals.aborted + totals.inProgress);
      assert.ok(retests > 0 && retests < totals.runs);
      assert.ok(Object.values(truth.bySig).every((parts) => !parts.batch || parts.batch.optional.runs === 0), "Tide batches run required lanes only");
    });

    test("every kubevirt run is of a configured job, and its files agree", () => {
      const names = new Set();
      for (const run of runFolders(week).filter((run) => run.owner === "kubevirt")) {
        names.add(run.job);
        const job = jobs.get(run.job);
        assert.equal(job.kind === "periodic", run.type === "periodic", run.folder);
        const started = read(week, `${run.folder}started.json`);
        const prowjob = read(week, `${run.folder}prowjob.json`);
        const labels = prowjob.metadata.labels;
        assert.equal(labels["prow.k8s.io/job"], run.job);
        assert.equal(labels["prow.k8s.io/type"], run.type);
        assert.equal(labels["prow.k8s.io/build-id"], run.build);
        assert.equal(labels["prow.k8s.io/is-optional"], run.type === "periodic" ? undefined : String(job.optional), run.folder);
        const refs = prowjob.spec.refs ?? prowjob.spec.extra_refs[0];
        const [base, ...pulls] = started.repos["kubevirt/kubevirt"].split(",");
        assert.equal(base, `${job.branch}:${refs.base_sha}`);
        assert.deepEqual(pulls, (refs.pulls ?? []).map((p) => `${p.number}:${p.sha}`));
        if (run.type === "presubmit") assert.equal(started.pull, labels["prow.k8s.io/refs.pull"]);
        const finished = read(week, `${run.folder}finished.json`);
        assert.equal(prowjob.status.state, finished ? { SUCCESS: "success", FAILURE: "failure", ABORTED: "aborted" }[finished.result] : "pending");
        // Prow's revision: the first pull's head (presubmit and batch runs), else the base.
        if (finished) assert.equal(finished.revision, refs.pulls?.length ? refs.pulls[0].sha : refs.base_sha);
        const junit = week.objects.get(`${run.folder}artifacts/junit.functest.xml`);
        const pieces = [1, 2, 3].map((n) => week.objects.get(`${run.folder}artifacts/partial.junit.functest.${n}.xml`)).filter(Boolean);
        assert.ok(!(junit && pieces.length), `${run.folder}: merged or in pieces, not both`);
        for (const file of [junit, ...pieces].filter(Boolean)) {
          assert.equal(finished?.result, "FAILURE", `${run.folder}: JUnit only for failed runs`);
          assert.ok(Buffer.byteLength(file) >= MIN_JUNIT_BYTES, `${run.folder}: ${file.length} bytes`);
          assert.match(file, /^<\?xml[^\n]*\n<testsuite name="KubeVirt Tests Suite" /);
        }
        if (junit) assert.match(junit, /failures="[1-9]/);
        if (pieces.length) assert.match(pieces[0], /failures="[1-9]/);
      }
      assert.deepEqual([...names].sort(), [...jobs.keys()].sort(), "every configured job runs, no other");
    });

    test("one PR fails a test in its own runs only", () => {
      const { pr, test: name, runs } = week.truth.onePullRequest;
      const failing = [...week.objects]
        .filter(([object, content]) => object.endsWith("/artifacts/junit.functest.xml") && content.includes(`name="${name}"`))
        .map(([object]) => object.replace(/artifacts\/junit\.functest\.xml$/, ""));
      assert.ok(failing.every((folder) => folder.startsWith(`pr-logs/pull/kubevirt_kubevirt/${pr}/`)), "nowhere else");
      const start = Date.parse(week.truth.window.start);
      const inWindow = failing.filter((folder) => buildTime(folder.split("/").at(-2)) >= start).sort();
      assert.deepEqual(runs, inWindow);
      assert.ok(runs.length >= 2, `${runs.length} runs`);
      assert.ok(new Set(runs.map((folder) => folder.split("/")[4])).size >= 2, "on several lanes");
      assert.ok(runs.every((folder) => week.truth.failedRuns.includes(folder)));
    });

    test("the traps are there", () => {
      const { truth, objects } = week;
      for (const [key, value] of Object.entries(truth.skipped)) assert.ok(value > 0, `skipped ${key}`);
      assert.ok(truth.totals.inProgress > 0 && truth.totals.retests > 0 && truth.totals.failedWithoutJunit > 0 && truth.totals.aborted > 0);
      if (week === full) assert.ok(truth.totals.killed > 0, "killed runs with partial JUnit pieces");
      assert.ok(truth.outsideWindow > 0, "runs before the window");
      const pointers = [...objects].filter(([name]) => /^pr-logs\/directory\/[^/]+\/\d+\.txt$/.test(name));
      assert.ok(!pointers.some(([, content]) => content.includes("/pull/batch/")), "batch runs have no pointer");
      assert.ok(pointers.some(([name, content]) => /\/pull-kubevirt-[a-z-]+-e2e\//.test(name) && !content.includes("kubevirt_kubevirt")), "other repositories' kubevirt-named jobs");
      assert.ok(pointers.some(([name, content]) => name.includes("/rehearsal-pull-kubevirt-e2e-") && content.includes("/kubevirt_project-infra/")));
      assert.ok([...objects.keys()].some((name) => /^pr-logs\/pull\/batch\/pull-kubevirt-e2e-[^/]+\/\d+\/started\.json$/.test(name)));
      assert.ok([...objects.keys()].some((name) => /^pr-logs\/pull\/batch\/pull-(?!kubevirt-e2e-)[^/]+\/\d+\/started\.json$/.test(name)), "other repositories' batch runs");
      assert.ok([...objects.keys()].some((name) => name.startsWith("logs/build-kubekins-e2e-image/")), "another repository's job under logs/");
      const others = new Set(readOtherJobs());
      assert.ok(runFolders(week).filter((run) => run.owner === "other").every((run) => others.has(run.job)));
    });
  });
}

describe("volumes of the full week", () => {
  const { truth } = full;
  const all = (c) => c.runs + c.aborted + c.inProgress;
  const perDay = (job) => all(truth.jobs[job]) / WEEK.days;

  test("about 4,000 kubevirt runs, ~15 % failed with JUnit, 3 % without", () => {
    const { totals } = truth;
    assert.ok(all(totals) >= 3500 && all(totals) <= 4500, `${all(totals)} runs`);
    const withJunit = (totals.failed - totals.failedWithoutJunit) / totals.runs;
    assert.ok(withJunit >= 0.13 && withJunit <= 0.18, `${withJunit} failed with JUnit`);
    const without = totals.failedWithoutJunit / totals.runs;
    assert.ok(without >= 0.02 && without <= 0.045, `${without} failed without JUnit`);
  });

  test("required always-run main lanes ~20 a day, release lanes fewer, periodics ~3", () => {
    const kinds = [...jobs.values()];
    const mainRequired = kinds.filter((j) => j.kind === "presubmit" && j.branch === "main" && j.alwaysRun && !j.optional);
    assert.equal(mainRequired.length, 8);
    for (const job of mainRequired) assert.ok(perDay(job.name) >= 15 && perDay(job.name) <= 27, `${job.name}: ${perDay(job.name)}/day`);
    const releaseAlwaysRun = kinds.filter((j) => j.kind === "presubmit" && j.branch !== "main" && j.alwaysRun);
    for (const job of releaseAlwaysRun) assert.ok(perDay(job.name) <= 6, `${job.name}: ${perDay(job.name)}/day`);
    for (const job of kinds.filter((j) => j.kind === "periodic")) assert.ok(Math.abs(perDay(job.name) - 3) <= 0.5, `${job.name}: ${perDay(job.name)}/day`);
  });
});

test("the same seed makes the same bucket, another seed another", () => {
  const digest = ({ objects }) => {
    const hash = createHash("sha256");
    for (const [name, content] of objects) hash.update(`${name}\0${content}\0`);
    return hash.digest("hex");
  };
  assert.equal(digest(generateWeek({ scale: 1 / 20 })), digest(small));
  assert.notEqual(digest(generateWeek({ scale: 1 / 20, seed: WEEK.seed + 1 })), digest(small));
  assert.ok(small.truth.totals.runs * 10 < full.truth.totals.runs, "scale shrinks the week");
});
