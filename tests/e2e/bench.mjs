// Benchmarks of the release page, run by scripts/bench (takes minutes, so not part of scripts/test):
//   1. parse + classify throughput: our WASM and a DOMParser walk in the same headless Chromium
//      page, and the native build of the same Rust (`cargo bench --bench file_throughput`), on the
//      real KubeVirt JUnit files and a generated 100 MB one;
//   2. the longest main-thread task and peak memory while the page reads the 100 MB file through
//      its own file input;
//   3. page load: gzipped asset sizes, time to the first card from a warm cache, and time to apply
//      a filter to a report of 10,000 failures;
//   4. a full generated week of the bucket, recorded from fake-gcs-server and replayed with 50 ms
//      per answer: requests, times and long tasks of a cold load and a warm reload (bench-week.mjs).
// Prints a summary and writes every figure to target/bench/results.json; exits 1 when any figure
// misses its target (listed at the end). Arguments pick sections (`throughput`, `reading`,
// `load`, `week`), e.g. `scripts/bench load` to rerun only the page-load figures.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { launchBrowser, serveStatic } from "./harness.mjs";
import { traceTasks } from "./trace.mjs";
import { weekBench, weekSummary, weekVerdicts } from "./bench-week.mjs";
import { writeSyntheticJunit } from "./fixtures/synthetic-junit.mjs";
import { gzippedSize, WASM_BUDGET_BYTES } from "../../scripts/wasm-budget.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const DIST = process.env.DIST ?? path.join(ROOT, "dist");
const OUT = path.join(ROOT, "target/bench");
const BIG = "kubevirt-100MB.xml";
const MANY_FAILURES = "pull-kubevirt-e2e-k8s-1.34-sig-compute_10000-failures.xml";
const MB = 1e6;
/** A SIG card of the report (the skeleton cards shown while loading have no SIG). */
const CARD = "article.card[data-sig]";

/** Each file runs once to warm up, then at least MIN_RUNS times and for MIN_MS (as natively). */
const RUNS = { minRuns: 5, minMs: 1000, maxRuns: 200 };
const TARGETS = { wasmVsNative: 0.5, wasmVsDom: 3, longestTaskMs: 100, memoryPerFileByte: 3, filterMs: 16 };
/**
 * "< 16 ms per change" (one frame at 60 Hz) is judged on the median and on the 95th percentile
 * (nearest rank) of 40 changes, which may leave out the two slowest: on a 2-core machine other
 * processes deschedule the page now and then, and the maximum of one run measures that more than
 * the page. Every change within a frame would be the maximum; 95 % of them is what is checked.
 */
const FILTER_CHANGES = 40;
const WARM_LOADS = 5;

async function main() {
  await mkdir(OUT, { recursive: true });
  const big = path.join(OUT, BIG);
  const manyFailures = path.join(OUT, MANY_FAILURES);
  const generated = {
    big: writeSyntheticJunit(big, { bytes: 100 * MB }),
    manyFailures: writeSyntheticJunit(manyFailures, { failures: 10_000, failureEvery: 2, systemOut: [200, 1000], seed: 7 }),
  };
  const realDir = realJunitDir();
  const realNames = (await readdir(realDir)).filter((name) => name.endsWith(".xml")).sort();
  const servers = await Promise.all([
    serveStatic(DIST),
    serveStatic(DIST, "/", { headers: { "cache-control": "max-age=600" } }),
    serveStatic(realDir, "/", { headers: CORS }),
    serveStatic(OUT, "/", { headers: CORS }),
    emptyGcs(),
  ]);
  const [site, cachedSite, realData, benchData, gcs] = servers;
  const idlePage = `${site.url}?gcs=${encodeURIComponent(gcs.url)}`;
  const inputs = [
    ...realNames.map((name) => ({ real: true, file: path.join(realDir, name), url: realData.url + name })),
    { real: false, file: big, url: benchData.url + BIG },
  ];
  const sections = {
    throughput: () => throughput(inputs, idlePage),
    reading: () => withBrowser((context) => readThroughPage(context, idlePage, big)),
    load: async () => ({
      assets: await assetSizes(),
      firstCard: await withBrowser((context) => timeToFirstCard(context, `${cachedSite.url}?source=sample`)),
      filter: await withBrowser((context) => filterTimes(context, idlePage, manyFailures, generated.manyFailures.failures)),
    }),
    week: () => weekBench(site.url, OUT),
  };
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !(name in sections));
  if (unknown.length) throw new Error(`unknown section ${unknown.join(", ")}: pick from ${Object.keys(sections).join(", ")}`);
  try {
    const results = { generated };
    for (const [name, run] of Object.entries(sections)) {
      if (wanted.length === 0 || wanted.includes(name)) results[name] = await run();
    }
    results.missed = verdicts(results).filter((v) => !v.met);
    await writeFile(path.join(OUT, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
    console.log(summary(results));
    if (results.missed.length) {
      console.error(`\nMISSED ${results.missed.length} target(s):\n${results.missed.map((v) => `- ${v.what}: ${v.figure} (target ${v.target})`).join("\n")}`);
      process.exitCode = 1;
    }
  } finally {
    await Promise.all(servers.map((server) => server.close()));
  }
}

const CORS = { "access-control-allow-origin": "*" };

/** The real KubeVirt JUnit files the project keeps in tests/fixtures/junit (see SOURCES.md there). */
function realJunitDir() {
  return path.join(ROOT, "tests/fixtures/junit");
}

/** A GCS JSON API stand-in with an empty bucket, so the page's default live load ends at once. */
async function emptyGcs() {
  const server = createServer((req, res) =>
    res.writeHead(200, { "content-type": "application/json", ...CORS }).end('{"kind":"storage#objects"}'),
  );
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) };
}

/** Runs `measure` in a fresh browser with the page probes installed, and closes it. */
async function withBrowser(measure) {
  const browser = await launchBrowser();
  try {
    await browser.context.addInitScript(installProbes, { card: CARD });
    return await measure(browser.context);
  } finally {
    await browser.close();
  }
}

/** The three pipelines on every input, and totals over the real files and over the big one. */
async function throughput(inputs, pageUrl) {
  const native = nativeThroughput(inputs.map((input) => input.file));
  const { wasm, dom } = await withBrowser((context) =>
    browserThroughput(context, pageUrl, inputs.map((input) => input.url)),
  );
  const totals = (real) => {
    const pick = (results) => results.filter((_, i) => inputs[i].real === real);
    return combine(pick(native), pick(wasm), pick(dom));
  };
  return {
    real: { input: "real KubeVirt files", ...totals(true) },
    big: { input: `generated ${BIG}`, ...totals(false) },
    files: { native, wasm, dom },
  };
}

/** `cargo bench --bench file_throughput` on `files`: one result object per file. */
function nativeThroughput(files) {
  console.error("==> native throughput (cargo bench --bench file_throughput)");
  const bench = spawnSync("cargo", ["bench", "--locked", "--bench", "file_throughput", "--", ...files], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 1 << 20,
  });
  if (bench.status !== 0) throw new Error(`cargo bench failed with status ${bench.status}`);
  return bench.stdout.trim().split("\n").map((line) => JSON.parse(line));
}

/** WASM `parse_and_classify` and the DOMParser walk on every URL, in one page. */
async function browserThroughput(context, url, urls) {
  console.error("==> WASM and DOMParser throughput in headless Chromium");
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => typeof window.wasmBindings?.parse_and_classify === "function");
  // Through DevTools, not a <script>: the page's CSP refuses inline scripts, as it should.
  await page.evaluate(`window.__domPipeline = ${domPipeline};`);
  const wasm = await page.evaluate(measureInPage, { urls, pipeline: "wasm", ...RUNS });
  const dom = await page.evaluate(measureInPage, { urls, pipeline: "dom", ...RUNS });
  await page.close();
  return { wasm, dom };
}

/** In the page: fetches each URL, then times `pipeline` on its bytes like the native bench. */
async function measureInPage({ urls, pipeline, minRuns, minMs, maxRuns }) {
  const run =
    pipeline === "wasm"
      ? (bytes) => window.wasmBindings.parse_and_classify(bytes)
      : (bytes) => window.__domPipeline(bytes).failures.length;
  const results = [];
  for (const url of urls) {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const failures = run(bytes);
    const times = [];
    const started = performance.now();
    while (times.length < maxRuns && (times.length < minRuns || performance.now() - started < minMs)) {
      const runStarted = performance.now();
      run(bytes);
      times.push(performance.now() - runStarted);
    }
    times.sort((a, b) => a - b);
    const seconds = times[times.length >> 1] / 1000;
    results.push({ file: url, bytes: bytes.length, failures, runs: times.length, seconds, mb_per_s: bytes.length / 1e6 / seconds });
  }
  return results;
}

/**
 * In the page: what a straightforward JavaScript version of the pipeline does with the browser's
 * own XML parser. Decodes the bytes, parses them into a DOM, walks the <testcase> elements,
 * counts passed and skipped specs, and for each failure splits off its location, finds its SIG,
 * classifies it with a handful of regexes and normalises it for grouping.
 */
function domPipeline(bytes) {
  const KINDS = [
    ["admission-webhook-denial", /admission webhook (\S+ )?denied the request/i],
    ["connection-refused", /connection refused|connection reset by peer|broken pipe|\bEOF\b/i],
    ["console-timeout", /expect: timer expired/i],
    ["control-plane-readiness", /control-plane components (is|are) not ready/i],
    ["timeout", /timed out|timeout|deadline exceeded/i],
    ["unexpected-error", /unexpected error|expected success, but got an error/i],
    ["assertion", /\bexpected\b|\bto (equal|be (true|false|nil|empty)|succeed|contain|have|match)\b/i],
  ];
  const NORMALISE = [
    [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "UID"],
    [/0x[0-9a-f]+/gi, "ADDR"],
    [/\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b/g, "IP"],
    [/\b\d+(\.\d+)?s\b/g, "DURATION"],
    [/\b([a-z0-9]+(-[a-z0-9]+)*)-[bcdfghjklmnpqrstvwxz2456789]{5}\b/g, "$1-NAME"],
    [/\d+/g, "N"],
  ];
  const LOCATION = /^\S+\.go:\d+$/;
  const doc = new DOMParser().parseFromString(new TextDecoder().decode(bytes), "application/xml");
  if (doc.getElementsByTagName("parsererror").length > 0) throw new Error("not well-formed XML");
  const failures = [];
  let passed = 0;
  let skipped = 0;
  for (const testcase of doc.getElementsByTagName("testcase")) {
    let failure = null;
    let wasSkipped = false;
    for (const child of testcase.children) {
      if (child.localName === "failure" || child.localName === "error") failure = child;
      else if (child.localName === "skipped") wasSkipped = true;
    }
    if (!failure) {
      if (wasSkipped) skipped += 1;
      else passed += 1;
      continue;
    }
    const lines = failure.textContent.split("\n");
    const location = LOCATION.test(lines[0]) ? lines.shift() : null;
    if (lines.length > 1 && LOCATION.test(lines[lines.length - 1])) lines.pop();
    const message = (failure.getAttribute("message") || lines.join("\n")).trim();
    const test = testcase.getAttribute("name") ?? "";
    failures.push({
      test,
      sig: /\[sig-([a-z-]+)\]/.exec(test)?.[1] ?? null,
      type: failure.getAttribute("type") ?? "Failure",
      location,
      message,
      kind: KINDS.find(([, pattern]) => pattern.test(message))?.[0] ?? "other-failure",
      cluster: NORMALISE.reduce((text, [pattern, to]) => text.replace(pattern, to), message),
    });
  }
  return { failures, passed, skipped };
}

/** Totals over some files (MB/s from the summed median times) and the ratios. */
function combine(native, wasm, dom) {
  native.forEach((result, i) => {
    const counts = [result.failures, wasm[i].failures, dom[i].failures];
    if (new Set(counts).size !== 1) throw new Error(`${result.file}: failures native/WASM/DOM differ: ${counts}`);
  });
  const sum = (results, key) => results.reduce((total, result) => total + result[key], 0);
  const bytes = sum(native, "bytes");
  const rates = {
    wasm: bytes / MB / sum(wasm, "seconds"),
    dom: bytes / MB / sum(dom, "seconds"),
    native: bytes / MB / sum(native, "seconds"),
  };
  return {
    files: native.length,
    bytes,
    failures: sum(native, "failures"),
    ...rates,
    wasmVsNative: rates.wasm / rates.native,
    wasmVsDom: rates.wasm / rates.dom,
  };
}

/**
 * Adds the 100 MB file through the page's file input and waits for its report to settle. Every
 * main-thread task meanwhile comes from a DevTools trace, with its wall and CPU time (on a busy
 * machine the wall time of a task includes time the thread was not scheduled). Memory: WASM
 * linear memory never shrinks, so its final size is its peak; the JS and DOM heaps and the
 * ArrayBuffers outside them (the file's bytes as the browser read them) are sampled.
 */
async function readThroughPage(context, url, file) {
  console.error("==> the page reading the 100 MB file through its file input");
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => window.__bench.wasm !== undefined);
  await quiet(page);
  const cdp = await context.newCDPSession(page);
  const heaps = async () => {
    const usage = await cdp.send("Runtime.getHeapUsage");
    return usage.usedSize + usage.embedderHeapUsedSize + usage.backingStorageSize;
  };
  const wasmBytes = () => page.evaluate(() => window.__bench.wasm.memory.buffer.byteLength);
  const before = { heaps: await heaps(), wasm: await wasmBytes() };
  let peakHeaps = before.heaps;
  let reading = true;
  const sampling = (async () => {
    while (reading) {
      peakHeaps = Math.max(peakHeaps, await heaps());
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const tasks = await traceTasks(cdp);
  const started = await page.evaluate(() => performance.now());
  await page.locator('input[type="file"]').setInputFiles(file);
  await page.locator(CARD).first().waitFor({ timeout: 300_000 });
  const { settledAt } = await quiet(page);
  reading = false;
  await sampling;
  const mainTasks = await tasks.stop();
  const longTasks = mainTasks.filter((task) => task.wallMs > 50);
  const wasm = await wasmBytes();
  const fileBytes = (await stat(file)).size;
  await page.close();
  const peak = wasm + peakHeaps;
  return {
    fileBytes,
    seconds: (settledAt - started) / 1000,
    longestTask: mainTasks[0],
    mostCpuTask: mainTasks.reduce((most, task) => (task.cpuMs > most.cpuMs ? task : most)),
    mainTasks: mainTasks.length,
    longTasks,
    memory: { before, wasm, peakHeaps, peak, perFileByte: peak / fileBytes },
  };
}

/**
 * Raw and gzipped (zlib level 9, as web servers compress) sizes of the page's WASM and JavaScript;
 * the WASM's is the one scripts/wasm-budget.mjs checks.
 */
async function assetSizes() {
  const names = (await readdir(DIST)).filter((name) => /\.(wasm|js)$/.test(name));
  return Promise.all(
    names.map(async (name) => {
      const bytes = await readFile(path.join(DIST, name));
      return { name, bytes: bytes.length, gzipped: gzippedSize(bytes) };
    }),
  );
}

/** Navigation start to the first SIG card, once cold and then from a warm cache (same profile). */
async function timeToFirstCard(context, url) {
  console.error("==> time to first card");
  const page = await context.newPage();
  const load = async () => {
    await page.goto(url);
    await page.waitForFunction(() => window.__bench.firstCard !== undefined, null, { timeout: 60_000 });
    return page.evaluate(() => window.__bench.firstCard);
  };
  const cold = await load();
  const warm = [];
  for (let i = 0; i < WARM_LOADS; i++) warm.push(await load());
  await page.close();
  return { url, coldMs: cold, warmMs: median(warm), warmRunsMs: warm };
}

/**
 * Drops the 10,000-failure file, then changes the SIG and failure-kind filters one at a time.
 * Each change is timed from the select's `change` event (seen first, by a capturing listener on
 * the window) to the last DOM mutation it causes, with style and layout forced at each mutation
 * so that rendering work is included; the CPU time of the change's task comes from a trace. The
 * page pushes the history entry after its view has changed, so each change also checks that the
 * URL then holds it.
 */
async function filterTimes(context, url, file, failures) {
  console.error("==> filter changes over 10,000 failures");
  const page = await context.newPage();
  await page.goto(url);
  await page.locator('input[type="file"]').setInputFiles(file);
  await page.locator(CARD).first().waitFor({ timeout: 120_000 });
  await quiet(page);
  const select = (name) => page.getByRole("combobox", { name, exact: true });
  const optionsOf = (name) => select(name).locator("option").evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
  const cycle = [
    ...(await optionsOf("SIG")).slice(0, 3).map((value) => ["SIG", value]),
    ["SIG", ""],
    ...(await optionsOf("Failure kind")).slice(0, 5).map((value) => ["Failure kind", value]),
    ["Failure kind", ""],
  ];
  const changes = Array.from({ length: FILTER_CHANGES }, (_, i) => cycle[i % cycle.length]);
  await page.evaluate(() => (window.__bench.forceLayout = true));
  const cdp = await context.newCDPSession(page);
  const times = [];
  for (const [name, value] of changes) {
    const before = await page.evaluate(() => {
      window.__bench.changedAt = undefined;
      return location.search;
    });
    const tasks = await traceTasks(cdp);
    await select(name).selectOption(value);
    await page.waitForFunction(() => window.__bench.settledAt > window.__bench.changedAt);
    const { settledAt, changedAt } = await quiet(page);
    const [longest] = await tasks.stop();
    if ((await page.evaluate(() => location.search)) === before) throw new Error(`${name}=${value} left the URL at ${before}`);
    times.push({ filter: `${name}=${value}`, ms: settledAt - changedAt, cpuMs: longest.cpuMs });
  }
  await page.close();
  const ms = times.map((t) => t.ms);
  return {
    failures,
    changes: times,
    medianMs: median(ms),
    medianCpuMs: median(times.map((t) => t.cpuMs)),
    p95Ms: percentile(ms, 0.95),
    maxMs: Math.max(...ms),
  };
}

/** Waits until the page's DOM has not changed for `ms`; the probes' state at that point. */
function quiet(page, ms = 300) {
  return page.evaluate(
    (ms) =>
      new Promise((resolve) => {
        const check = () => {
          const bench = window.__bench;
          if (performance.now() - bench.lastMutation >= ms) resolve({ settledAt: bench.settledAt, changedAt: bench.changedAt });
          else setTimeout(check, ms / 4);
        };
        check();
      }),
    ms,
  );
}

/**
 * Init script for every page: records the WASM instance, when a control's `change` event came, the first SIG
 * card and the last DOM mutation (optionally forcing layout there, so that a settle time includes
 * style and layout).
 */
function installProbes({ card }) {
  const bench = (window.__bench = { lastMutation: 0, settledAt: 0 });
  window.addEventListener("TrunkApplicationStarted", (e) => (bench.wasm = e.detail.wasm));
  window.addEventListener("change", () => (bench.changedAt = performance.now()), true);
  new MutationObserver(() => {
    if (bench.forceLayout) document.body.getBoundingClientRect();
    bench.lastMutation = bench.settledAt = performance.now();
    if (bench.firstCard === undefined && document.querySelector(card)) bench.firstCard = bench.settledAt;
  }).observe(document, { childList: true, subtree: true, attributes: true, characterData: true });
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
/** The nearest-rank percentile: the smallest value with at least `p` of the values at or below it. */
const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.ceil(p * values.length) - 1];

/** Every figure that has a target, from the sections that ran: { what, figure, target, met }. */
function verdicts({ throughput, reading, load, week }) {
  const checks = [];
  const check = (what, value, target, met, digits = 2) => checks.push({ what, figure: fixed(value, digits), target, met });
  for (const r of throughput ? [throughput.real, throughput.big] : []) {
    check(`WASM/native, ${r.input}`, r.wasmVsNative, `>= ${TARGETS.wasmVsNative}`, r.wasmVsNative >= TARGETS.wasmVsNative);
    check(`WASM/DOMParser, ${r.input}`, r.wasmVsDom, `>= ${TARGETS.wasmVsDom}`, r.wasmVsDom >= TARGETS.wasmVsDom);
  }
  if (reading) {
    const { wallMs } = reading.longestTask;
    check("longest main-thread task (ms)", wallMs, `<= ${TARGETS.longestTaskMs}`, wallMs <= TARGETS.longestTaskMs, 1);
    const { perFileByte } = reading.memory;
    check("peak memory per file byte", perFileByte, `< ${TARGETS.memoryPerFileByte}`, perFileByte < TARGETS.memoryPerFileByte);
  }
  if (load) {
    const wasm = load.assets.find((a) => a.name.endsWith(".wasm"));
    check("release WASM gzipped (KB)", wasm.gzipped / 1000, `<= ${WASM_BUDGET_BYTES / 1000}`, wasm.gzipped <= WASM_BUDGET_BYTES, 1);
    const { medianMs, p95Ms } = load.filter;
    check("filter change, median (ms)", medianMs, `< ${TARGETS.filterMs}`, medianMs < TARGETS.filterMs, 1);
    check("filter change, p95 (ms)", p95Ms, `< ${TARGETS.filterMs}`, p95Ms < TARGETS.filterMs, 1);
  }
  return week ? checks.concat(weekVerdicts(week)) : checks;
}

/** The human summary: every figure against its target. */
function summary({ throughput, reading, load, week }) {
  return [throughput && throughputSummary(throughput), reading && readingSummary(reading), load && loadSummary(load), week && weekSummary(week)]
    .filter(Boolean)
    .concat(["", `All figures: ${path.relative(ROOT, path.join(OUT, "results.json"))}`])
    .join("\n");
}

const mark = (ok) => (ok ? "met" : "MISSED");
const fixed = (n, digits = 1) => n.toFixed(digits);

function throughputSummary(throughput) {
  const rows = [throughput.real, throughput.big].map(
    (r) =>
      `| ${r.input} (${r.files} file${r.files > 1 ? "s" : ""}, ${fixed(r.bytes / MB)} MB, ${r.failures} failures) | ` +
      `${fixed(r.wasm)} | ${fixed(r.dom)} | ${fixed(r.native)} | ${fixed(r.wasmVsNative, 2)}x ${mark(r.wasmVsNative >= TARGETS.wasmVsNative)} | ` +
      `${fixed(r.wasmVsDom, 2)}x ${mark(r.wasmVsDom >= TARGETS.wasmVsDom)} |`,
  );
  return [
    "",
    "## Throughput (MB/s, 1 MB = 10^6 bytes, median run)",
    `| input | WASM in Chromium | DOMParser + JS | native | WASM/native (target >= ${TARGETS.wasmVsNative}x) | WASM/DOMParser (target >= ${TARGETS.wasmVsDom}x) |`,
    "|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}

function readingSummary(reading) {
  const mem = reading.memory;
  return [
    "",
    `## Reading ${fixed(reading.fileBytes / MB)} MB through the page's file input`,
    `- file input to settled report: ${fixed(reading.seconds, 2)} s (${fixed(reading.fileBytes / MB / reading.seconds)} MB/s)`,
    `- longest main-thread task: ${fixed(reading.longestTask.wallMs)} ms (${fixed(reading.longestTask.cpuMs)} ms CPU), ` +
      `${reading.longTasks.length} of its ${reading.mainTasks} tasks over 50 ms ` +
      `(target <= ${TARGETS.longestTaskMs} ms: ${mark(reading.longestTask.wallMs <= TARGETS.longestTaskMs)})`,
    `- most CPU in one main-thread task: ${fixed(reading.mostCpuTask.cpuMs)} ms (${fixed(reading.mostCpuTask.wallMs)} ms wall); ` +
      "a longest task of far more wall than CPU time was descheduled by other processes",
    `- peak memory: WASM linear memory ${fixed(mem.wasm / MB)} MB + JS and DOM heaps and ArrayBuffers ` +
      `${fixed(mem.peakHeaps / MB)} MB = ` +
      `${fixed(mem.peak / MB)} MB, ${fixed(mem.perFileByte, 2)}x the file (target < ${TARGETS.memoryPerFileByte}x: ` +
      `${mark(mem.perFileByte < TARGETS.memoryPerFileByte)})`,
  ].join("\n");
}

function loadSummary(load) {
  const budget = (a) =>
    a.name.endsWith(".wasm") ? ` (budget ${WASM_BUDGET_BYTES / 1000} KB: ${mark(a.gzipped <= WASM_BUDGET_BYTES)})` : "";
  const assets = load.assets.map((a) => `${a.name}: ${fixed(a.bytes / 1000)} KB, ${fixed(a.gzipped / 1000)} KB gzipped${budget(a)}`);
  return [
    "",
    "## Page load",
    ...assets.map((a) => `- ${a}`),
    `- first card (${load.firstCard.url.replace(/^.*\?/, "?")}): cold ${fixed(load.firstCard.coldMs)} ms, ` +
      `warm ${fixed(load.firstCard.warmMs)} ms (median of ${WARM_LOADS})`,
    `- filter change over ${load.filter.failures} failures: median ${fixed(load.filter.medianMs)} ms ` +
      `(${fixed(load.filter.medianCpuMs)} ms CPU), p95 ${fixed(load.filter.p95Ms)} ms, max ` +
      `${fixed(load.filter.maxMs)} ms over ${load.filter.changes.length} changes ` +
      `(target < ${TARGETS.filterMs} ms on the median and the p95: ` +
      `${mark(load.filter.medianMs < TARGETS.filterMs && load.filter.p95Ms < TARGETS.filterMs)})`,
  ].join("\n");
}

await main();
