// The full-volume week benchmark of scripts/bench (issue 13, "Real volume, measured"): a whole
// generated week (tests/e2e/fixtures/week.mjs, ~4,200 kubevirt runs beside the traps) is served by
// fake-gcs-server behind the loopback proxy (tests/e2e/fixtures/proxy.mjs). One cold load records
// every answer; fake-gcs-server answers only ~100-200 requests/s, so that pass times the stand-in,
// not the page. The measured loads then get the recorded answers from memory, each 50 ms late,
// as a far GCS would give them, and the page is timed in headless Chromium:
//   - requests per finished kubevirt run of a cold load;
//   - cold time to the complete report, next to the latency bound: requests x 50 ms / the
//     connections the browser really opened to the bucket (HTTP/1.1: at most 6 per host);
//   - time to the first SIG card with run counts;
//   - requests of a warm reload (same browser profile, so Cache Storage holds the settled runs);
//   - the longest main-thread task, from a DevTools trace of every task of the load (trace.mjs),
//     beside the `longtask` entries observed from before the page's first script as a check.
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { launchBrowser, startFakeGcs } from "./harness.mjs";
import { traceTasks } from "./trace.mjs";
import { uploadMetadata } from "./fixtures/bucket.mjs";
import { startProxy } from "./fixtures/proxy.mjs";
import { generateWeek, readsBeforeWindow, runRead, writeWeek } from "./fixtures/week.mjs";

const LATENCY_MS = 50;
export const WEEK_TARGETS = { requestsPerRun: 1.3, boundRatio: 1.25, firstCardMs: 3000, warmShare: 0.02, longestTaskMs: 50 };
/** A load of the full week from fake-gcs-server takes minutes; nothing here should take longer. */
const LOAD_TIMEOUT_MS = 15 * 60_000;
const DONE = 'section.load-panel[data-phase="done"]';
/** Kinds of request, for the breakdown (a listing carries `prefix=`); each request is one kind. */
const KINDS = [
  ["listing", /[?&]prefix=(?!.*partial\.junit)/],
  ["pointer", /\/directory\/.*\.txt\?/],
  ["finished.json", /finished\.json\?/],
  ["started.json", /started\.json\?/],
  ["prowjob.json", /prowjob\.json\?/],
  ["junit", /\/junit\.functest\.xml\?/],
  ["partial-JUnit listing", /[?&]prefix=.*partial\.junit/],
  ["partial JUnit", /partial\.junit\.functest\.\d+\.xml\?/],
  ["quarantine.json", /quarantine\.json\?/],
];

/** The week section: generates the week into fake-gcs-server, records it once, measures replays. */
export async function weekBench(siteUrl, out) {
  const started = Date.now();
  const week = generateWeek({ now: Date.now() });
  const { totals } = week.truth;
  const dir = path.join(out, "week");
  await rm(dir, { recursive: true, force: true });
  await writeWeek(dir, week);
  console.error(`==> week: ${week.objects.size} objects into fake-gcs-server (minutes)`);
  const gcs = await startFakeGcs(path.join(dir, "data"), { readyMs: 20 * 60_000, filesystemRoot: path.join(dir, "gcs") });
  // fake-gcs-server keeps no metadata for files it reads from a folder: the pointers are uploaded
  // again with the link Prow gives them, so the page reads no pointer, as on GCS.
  console.error(`==> week: ${week.metadata.size} pointers' links into fake-gcs-server (minutes)`);
  await uploadMetadata(gcs.url, week.objects, week.metadata);
  const proxy = await startProxy(gcs.url);
  try {
    const generated = { objects: week.objects.size, kubevirtRuns: totals.runs + totals.aborted + totals.inProgress, loadSeconds: (Date.now() - started) / 1000 };
    const page = `${siteUrl}?${new URLSearchParams({ gcs: proxy.url })}`;
    const recording = await record(proxy, page);
    const measured = await replay(proxy, page, out, stretchReads(week));
    const finished = totals.runs + totals.aborted;
    const { cold } = measured;
    const perRun = {
      loaded: cold.requests / (finished + cold.stretch.finishedRuns),
      window: (cold.requests - cold.stretch.requests) / finished,
      all: cold.requests / finished,
    };
    return { generated, finishedRuns: finished, truth: { runs: totals.runs, failed: totals.failed, inProgress: totals.inProgress }, recording, ...measured, perRun, requestsPerRun: perRun.loaded };
  } finally {
    await proxy.close();
    await gcs.stop();
  }
}

/**
 * The requests of a load that read runs of the stretch before the window (read for the lanes of
 * tests that would read as new), and how many of those runs had finished.
 */
function stretchReads(week) {
  const before = readsBeforeWindow(week.truth);
  return (requests) => {
    const reads = requests.filter(before);
    const folders = new Set(reads.map((request) => runRead(request).folder));
    const finishedRuns = [...folders].filter((folder) => week.objects.has(`${folder}finished.json`)).length;
    return { requests: reads.length, finishedRuns };
  };
}

/** One cold load straight from fake-gcs-server, keeping every answer. */
async function record(proxy, page) {
  console.error("==> week: recording a cold load from fake-gcs-server (minutes)");
  proxy.reset();
  proxy.state.gcsParams = true;
  proxy.state.tape = { mode: "record", answers: new Map(), misses: [] };
  const browser = await launchBrowser();
  try {
    const tab = await browser.context.newPage();
    const started = Date.now();
    await tab.goto(page);
    await tab.locator(DONE).waitFor({ timeout: LOAD_TIMEOUT_MS });
    const bytes = [...proxy.state.tape.answers.values()].reduce((n, a) => n + a.body.length, 0);
    return { seconds: (Date.now() - started) / 1000, requests: proxy.state.requests.length, answers: proxy.state.tape.answers.size, bytes };
  } finally {
    await browser.close();
  }
}

/** A cold load and a warm reload from the recording, every answer `LATENCY_MS` late. */
async function replay(proxy, page, out, stretchOf) {
  const browser = await launchBrowser();
  const replaying = () => {
    proxy.reset();
    Object.assign(proxy.state, { gcsParams: true, delayMs: LATENCY_MS });
    proxy.state.tape.mode = "replay";
    Object.assign(proxy.state.tape, { misses: [], derived: 0 });
  };
  try {
    await browser.context.addInitScript(installWeekProbes);
    const tab = await browser.context.newPage();
    const cdp = await browser.context.newCDPSession(tab);
    console.error("==> week: cold load from the recording, 50 ms per answer");
    replaying();
    let trace = await traceTasks(cdp);
    await tab.goto(page);
    const cold = await measureLoad(tab, proxy, stretchOf, trace);
    await mkdir(out, { recursive: true });
    const screenshot = path.join(out, "week.png");
    await tab.screenshot({ path: screenshot, fullPage: true });
    console.error("==> week: warm reload");
    replaying();
    trace = await traceTasks(cdp);
    await tab.reload();
    const warm = await measureLoad(tab, proxy, stretchOf, trace);
    return { cold, warm, screenshot };
  } finally {
    await browser.close();
  }
}

/** Waits for the load to end and the report to settle; the figures of that load. */
async function measureLoad(tab, proxy, stretchOf, trace) {
  await tab.locator(DONE).waitFor({ timeout: LOAD_TIMEOUT_MS });
  const probes = await tab.evaluate(
    (quietMs) =>
      new Promise((resolve) => {
        const check = () => {
          const bench = window.__week;
          if (performance.now() - bench.lastMutation >= quietMs) resolve({ ...bench, now: performance.now() });
          else setTimeout(check, quietMs / 4);
        };
        check();
      }),
    1000,
  );
  const count = async (key) => Number((await tab.locator(`[data-count="${key}"]`).textContent()).trim());
  const { requests, served, connections, inFlight, tape } = proxy.state;
  const kinds = Object.fromEntries(KINDS.map(([kind, pattern]) => [kind, requests.filter((r) => pattern.test(r)).length]));
  kinds.other = requests.length - Object.values(kinds).reduce((n, k) => n + k, 0);
  const bound = (requests.length * LATENCY_MS) / Math.max(1, connections.peak);
  const busyMs = served.reduce((n, s) => n + (s.at - s.received), 0);
  const span = served.length ? Math.max(...served.map((s) => s.at)) - Math.min(...served.map((s) => s.received)) : 0;
  const tasks = await trace.stop();
  const longTasks = probes.longTasks.map((t) => ({ startMs: t.start, ms: t.duration })).sort((a, b) => b.ms - a.ms);
  return {
    requests: requests.length,
    kinds,
    stretch: stretchOf(requests),
    misses: tape.misses.length,
    derived: tape.derived,
    missed: tape.misses.slice(0, 5),
    connections: { peak: connections.peak, opened: connections.opened },
    inFlight: { peak: inFlight.peak, mean: span ? busyMs / span : 0 },
    latencyBoundMs: bound,
    firstCardMs: probes.firstCard ?? null,
    doneMs: probes.doneAt ?? null,
    completeMs: probes.settledAt ?? null,
    // The two ways of seeing tasks have disagreed (a startup task in longtask entries and not in
    // the trace): the longer counts.
    longestTaskMs: Math.max(tasks[0].wallMs, longTasks[0]?.ms ?? 0),
    tracedLongestMs: tasks[0].wallMs,
    longestTaskCpuMs: tasks[0].cpuMs,
    tracedTasks: tasks.length,
    tracedOver50: tasks.filter((task) => task.wallMs > 50).length,
    longTasks: longTasks.length,
    longTaskTotalMs: longTasks.reduce((n, t) => n + t.ms, 0),
    longestTasks: longTasks.slice(0, 10),
    page: { runs: await count("runs"), failed: await count("failed"), cached: await count("cached"), running: await count("running") },
  };
}

/**
 * Init script, before the page's own: every long task (over 50 ms) from a `longtask` observer,
 * the first SIG card showing run counts, when the load panel says done, and the last DOM change
 * (the report's last render after done is the complete report).
 */
export function installWeekProbes() {
  const bench = (window.__week = { longTasks: [], lastMutation: 0 });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) bench.longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: "longtask", buffered: true });
  new MutationObserver(() => {
    const now = performance.now();
    bench.lastMutation = now;
    if (bench.doneAt !== undefined) bench.settledAt = now;
    else if (document.querySelector('section.load-panel[data-phase="done"]')) bench.doneAt = bench.settledAt = now;
    if (bench.firstCard === undefined) {
      const rates = document.querySelectorAll("article.card[data-sig] .run-rate");
      if ([...rates].some((rate) => /^\d+ \/ [1-9]\d* runs failed/.test(rate.textContent))) bench.firstCard = now;
    }
  }).observe(document, { childList: true, subtree: true, attributes: true, characterData: true });
}

/** The week's figures against their targets: { what, figure, target, met }. */
export function weekVerdicts(week) {
  const { cold, warm } = week;
  const t = WEEK_TARGETS;
  const warmShare = warm.requests / cold.requests;
  const ratio = cold.completeMs / cold.latencyBoundMs;
  return [
    { what: "week: requests per finished kubevirt run loaded, cold", figure: week.requestsPerRun.toFixed(2), target: `<= ${t.requestsPerRun}`, met: week.requestsPerRun <= t.requestsPerRun },
    { what: "week: complete report ÷ latency bound, cold", figure: ratio.toFixed(2), target: `<= ${t.boundRatio}`, met: ratio <= t.boundRatio },
    { what: "week: first SIG card with counts (ms)", figure: (cold.firstCardMs ?? Infinity).toFixed(0), target: `<= ${t.firstCardMs}`, met: cold.firstCardMs !== null && cold.firstCardMs <= t.firstCardMs },
    { what: "week: warm reload requests ÷ cold", figure: `${(warmShare * 100).toFixed(1)} %`, target: `<= ${t.warmShare * 100} %`, met: warmShare <= t.warmShare },
    { what: "week: longest main-thread task, cold (ms)", figure: cold.longestTaskMs.toFixed(1), target: `<= ${t.longestTaskMs}`, met: cold.longestTaskMs <= t.longestTaskMs },
  ];
}

/** Requests of a warm reload for what cannot have changed since the cold load. */
export function warmOther({ requests, kinds }) {
  return requests - kinds.listing - kinds["finished.json"] - kinds["quarantine.json"];
}

/** The human summary of the week section. */
export function weekSummary(week) {
  const { cold, warm, recording, generated } = week;
  const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
  const mark = (v) => (v.met ? "met" : "MISSED");
  const [perRun, bound, firstCard, warmShare, longest] = weekVerdicts(week);
  return [
    "",
    `## A full week, replayed (${generated.kubevirtRuns} kubevirt runs, ${week.finishedRuns} finished; ${generated.objects} objects)`,
    `- generated and read by fake-gcs-server in ${generated.loadSeconds.toFixed(1)} s; recording from it: ${recording.requests} requests in ${recording.seconds.toFixed(1)} s ` +
      `(${(recording.requests / recording.seconds).toFixed(0)}/s), ${recording.answers} answers, ${(recording.bytes / 1e6).toFixed(1)} MB kept`,
    `- cold load: ${cold.requests} requests (${Object.entries(cold.kinds).map(([k, n]) => `${k} ${n}`).join(", ")}); ` +
      `${cold.derived} listings cut from one recorded at an earlier startOffset, ${cold.misses} not recorded (passed to fake-gcs-server)`,
    `- requests per finished kubevirt run loaded: ${perRun.figure} (target ${perRun.target}: ${mark(perRun)}): ${cold.requests} requests for ` +
      `${week.finishedRuns} finished runs in the window and ${cold.stretch.finishedRuns} before it, read for the "new" check ` +
      `(${cold.stretch.requests} requests); the window's own: ${week.perRun.window.toFixed(2)} per finished run; all requests ÷ the window's finished runs: ${week.perRun.all.toFixed(2)}`,
    `- connections: ${cold.connections.peak} open at once (${cold.connections.opened} opened); requests in flight: ` +
      `peak ${cold.inFlight.peak}, mean ${cold.inFlight.mean.toFixed(2)}`,
    `- complete report: ${s(cold.completeMs)} (load done at ${s(cold.doneMs)}); latency bound ${cold.requests} x ` +
      `${LATENCY_MS} ms / ${cold.connections.peak} connections = ${s(cold.latencyBoundMs)}: ${bound.figure}x ` +
      `(target ${bound.target}: ${mark(bound)})`,
    `- first SIG card with run counts: ${cold.firstCardMs === null ? "never" : s(cold.firstCardMs)} (target ${firstCard.target} ms: ${mark(firstCard)})`,
    `- warm reload: ${warm.requests} requests, ${warmShare.figure} of cold (target ${warmShare.target}: ${mark(warmShare)}); ` +
      `complete in ${s(warm.completeMs)}, ${warm.page.cached} runs from the browser cache; what can change since the cold load: ` +
      `${warm.kinds.listing} listings (every job folder, where new runs appear), ${warm.kinds["finished.json"]} finished.json of runs in progress ` +
      `(${week.truth.inProgress} in the week), ${warm.kinds["quarantine.json"]} quarantine.json; anything else: ${warmOther(warm)}`,
    `- longest main-thread task: ${longest.figure} ms (target ${longest.target} ms: ${mark(longest)}), the longer of a DevTools trace's ` +
      `${cold.tracedLongestMs.toFixed(1)} ms (${cold.longestTaskCpuMs.toFixed(1)} ms CPU; ${cold.tracedOver50} of ${cold.tracedTasks} tasks over 50 ms) ` +
      `and the longtask entries' (${cold.longTasks} over 50 ms, ${cold.longTaskTotalMs.toFixed(0)} ms in all${cold.longestTasks.length ? `, the longest at ${cold.longestTasks[0].startMs.toFixed(0)} ms into the load` : ""}); ` +
      `warm: ${warm.longestTaskMs.toFixed(1)} ms (trace ${warm.tracedLongestMs.toFixed(1)} ms, ${warm.longTasks} longtask entries)`,
    `- the page counted ${cold.page.runs} runs, ${cold.page.failed} failed, ${cold.page.running} running ` +
      `(generator: ${week.generated.kubevirtRuns} runs, of which ${week.truth.runs} counted in rates and the rest aborted or running; ${week.truth.failed} failed, ${week.truth.inProgress} running)`,
    `- screenshot after the cold load: ${week.screenshot}`,
  ].join("\n");
}
