// The report page with local JUnit files: SIG cards, every filter in the URL, shared links,
// back/forward, dropped good and bad files, Markdown export. Both colour schemes are checked (and
// screenshotted).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { launchBrowser, openPage, screenshot, serveStatic, startFakeGcs } from "./harness.mjs";
import { FAILURES, junitXml } from "./fixtures/junit.mjs";
import { CARDS } from "./fixtures/bucket.mjs";
import { assertCards } from "./fixtures/cards.mjs";
import { writeSyntheticJunit } from "./fixtures/synthetic-junit.mjs";

/**
 * Files named after their jobs, so job, k8s, branch, lane and arch come from the name; `sig` is the
 * card the job's run counts on (the failures' tests are all of that SIG too).
 */
const RUNS = [
  { name: "pull-kubevirt-e2e-k8s-1.34-sig-compute_1001.xml", sig: "compute", failures: [FAILURES.vmiStart, FAILURES.hostile] },
  { name: "pull-kubevirt-e2e-k8s-1.34-sig-compute-migrations-1.7_1002.xml", sig: "compute", failures: [FAILURES.migration] },
  { name: "pull-kubevirt-e2e-k8s-1.33-sig-storage-1.7_1003.xml", sig: "storage", failures: [FAILURES.snapshot, FAILURES.fstrim] },
  { name: "pull-kubevirt-e2e-kind-1.34-sig-network-arm64_1004.xml", sig: "network", failures: [FAILURES.masquerade] },
  { name: "pull-kubevirt-e2e-k8s-1.34-sig-operator-serial_1005.xml", sig: "operator", failures: [FAILURES.operatorUpdate] },
  { name: "pull-kubevirt-e2e-k8s-1.34-sig-monitoring_1006.xml", sig: "monitoring", failures: [] },
];
const FILES = RUNS.map(({ name, failures }) => ({ name, mimeType: "text/xml", buffer: Buffer.from(junitXml(failures)) }));

/**
 * What every card must show for RUNS: one run per job, none without JUnit (SIG CI counts them all);
 * local runs have no Prow run to link to.
 */
const EXPECTED_CARDS = CARDS.map((sig) => {
  const runs = sig === "ci" ? RUNS : RUNS.filter((run) => run.sig === sig);
  const failing = sig === "ci" ? [] : runs.filter((run) => run.failures.length > 0);
  return {
    sig,
    failed: failing.length,
    total: runs.length,
    kinds: [...new Set(failing.flatMap((run) => run.failures.map((f) => f.kind)))].sort(),
    jobs: failing
      .map((run) => ({ job: run.name.replace(/_\d+\.xml$/, ""), failed: 1, total: 1, links: [] }))
      .sort((a, b) => a.job.localeCompare(b.job)),
  };
});

let site, browser, gcs, bucketDir;

before(async () => {
  // The page loads live data by default: give it an empty bucket, so only local files show.
  bucketDir = await mkdtemp(path.join(tmpdir(), "triage-empty-"));
  await mkdir(path.join(bucketDir, "kubevirt-prow"));
  // KubeVirt's bucket holds a quarantine list (a missing one is a notice: verdicts.test.mjs).
  await mkdir(path.join(bucketDir, "kubevirt-prow/reports/quarantined-tests/kubevirt/kubevirt"), { recursive: true });
  await writeFile(path.join(bucketDir, "kubevirt-prow/reports/quarantined-tests/kubevirt/kubevirt/quarantine.json"), '{"files_stats": []}');
  [site, browser, gcs] = await Promise.all([serveStatic(), launchBrowser(), startFakeGcs(bucketDir)]);
});

after(async () => {
  await Promise.all([site?.close(), browser?.close(), gcs?.stop()]);
  await rm(bucketDir, { recursive: true, force: true });
});

/** The page URL with `query` (a search string or ""), reading the empty fake bucket. */
function pageUrl(query = "") {
  const params = new URLSearchParams(query);
  params.set("gcs", gcs.url);
  return `${site.url}?${params}`;
}

/** Opens the page at `query`, adds the fixture files through the file button, waits for cards. */
async function loaded(query = "") {
  const opened = await openPage(browser.context, pageUrl(query));
  await opened.page.locator('input[type="file"]').setInputFiles(FILES);
  await opened.page.locator(".local-file").nth(FILES.length - 1).waitFor();
  return opened;
}

const card = (page, sig) => page.locator(`article.card[data-sig="${sig}"]`);

/** Whether the page's background, a card's and the card's text are light or dark, as rendered. */
function schemeOf(page) {
  return page.locator("article.card[data-sig]").first().evaluate((card) => {
    const tone = (colour) => {
      const [r, g, b] = colour.match(/[\d.]+/g).map(Number);
      return 0.2126 * r + 0.7152 * g + 0.0722 * b > 128 ? "light" : "dark";
    };
    const style = (element, property) => getComputedStyle(element)[property];
    return { page: tone(style(document.body, "backgroundColor")), card: tone(style(card, "backgroundColor")), text: tone(style(card, "color")) };
  });
}
const cardSigs = (page) => page.locator("article.card").evaluateAll((cards) => cards.map((c) => c.dataset.sig));
/** Opens every shown test's "Latest failure" (rendered when opened) and waits for one. */
async function openLatestFailures(card) {
  await card.locator(".test details").first().waitFor();
  await card.locator(".test details").evaluateAll((all) => all.forEach((d) => (d.open = true)));
  await card.locator(".test .failure-test").first().waitFor();
}
const select = (page, name) => page.getByRole("combobox", { name, exact: true });

describe("SIG cards", () => {
  test("show failure kinds, jobs and rates per SIG from local files", async () => {
    const { page, errors } = await loaded();
    assert.deepEqual(await cardSigs(page), ["compute", "storage", "network", "operator", "monitoring", "ci"]);
    const compute = card(page, "compute");
    const kinds = await compute.locator(".kind").evaluateAll((ks) => ks.map((k) => k.dataset.kind));
    assert.deepEqual(new Set(kinds), new Set(["vmi-start", "live-migration", "assertion"]));
    assert.match(await compute.locator(".run-rate").textContent(), /2 \/ 2 runs failed · 100\.0 %/);
    assert.match(await compute.locator(".jobs").textContent(), /pull-kubevirt-e2e-k8s-1\.34-sig-compute-migrations-1\.7/);
    assert.match(await card(page, "storage").locator(".kinds").textContent(), /VM snapshots[\s\S]*fstrim|fstrim[\s\S]*VM snapshots/);
    assert.equal(await card(page, "monitoring").locator(".no-failures").textContent(), "No failing tests.");
    assert.match(await card(page, "monitoring").locator(".run-rate").textContent(), /0 \/ 1 runs failed/);
    await assertCards(page, EXPECTED_CARDS, "local files");
    await screenshot(page, "report-light");
    assert.deepEqual(await schemeOf(page), { page: "light", card: "light", text: "dark" });
    await page.emulateMedia({ colorScheme: "dark" });
    assert.deepEqual(await schemeOf(page), { page: "dark", card: "dark", text: "light" });
    await screenshot(page, "report-dark");
    await page.emulateMedia({ colorScheme: "light" });
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("render test names and messages as text, never as HTML", async () => {
    const { page } = await loaded();
    const compute = card(page, "compute");
    await compute.locator("details.drill summary").first().click();
    await openLatestFailures(compute);
    const names = await compute.locator(".failure-test").allTextContents();
    assert.ok(names.includes(FAILURES.hostile.test), names.join("\n"));
    assert.equal(await compute.locator(".failure img, .failure script, .failure b").count(), 0);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    await page.close();
  });
});

describe("long lists", () => {
  test("show a page at a time, and drill-downs render when opened", async () => {
    const file = path.join(await mkdtemp(path.join(tmpdir(), "triage-long-")), "pull-kubevirt-e2e-k8s-1.34-sig-compute_1007.xml");
    writeSyntheticJunit(file, { failures: 400, failureEvery: 2, systemOut: [10, 20], seed: 5 });
    const { page } = await openPage(browser.context, pageUrl());
    await page.locator('input[type="file"]').setInputFiles(file);
    const compute = card(page, "compute");
    const kinds = compute.locator(".kinds li.kind");
    await kinds.first().waitFor();
    assert.equal(await kinds.count(), 6, "the six most common kinds first");
    const moreKinds = compute.locator(".kinds button", { hasText: "Show more" });
    const total = Number((await moreKinds.textContent()).match(/of (\d+) shown/)[1]);
    assert.ok(total > 6, `${total} kinds`);
    while (await moreKinds.count()) await moreKinds.click();
    assert.equal(await kinds.count(), total);

    const tests = compute.locator("li.test");
    assert.equal(await tests.count(), 0, "nothing rendered in a closed drill-down");
    await compute.locator("details.drill summary", { hasText: "Failing tests" }).click();
    await tests.first().waitFor();
    assert.equal(await tests.count(), 20);
    await compute.locator(".drill button", { hasText: "Show more" }).first().click();
    await tests.nth(20).waitFor();
    assert.equal(await tests.count(), 40);
    await page.close();
    await rm(path.dirname(file), { recursive: true, force: true });
  });
});

describe("filters", () => {
  const cases = [
    { name: "SIG", value: "storage", param: "sig=storage", sigs: ["storage"] },
    { name: "Failure kind", value: "fstrim", param: "kind=fstrim", tests: [FAILURES.fstrim.test] },
    { name: "Job", value: "pull-kubevirt-e2e-kind-1.34-sig-network-arm64", param: "job=pull-kubevirt-e2e-kind-1.34-sig-network-arm64", tests: [FAILURES.masquerade.test] },
    { name: "k8s", value: "1.33", param: "k8s=1.33", tests: [FAILURES.snapshot.test, FAILURES.fstrim.test] },
    { name: "Branch", value: "release-1.7", param: "branch=release-1.7", tests: [FAILURES.migration.test, FAILURES.snapshot.test, FAILURES.fstrim.test] },
    { name: "Lane", value: "serial", param: "lane=serial", tests: [FAILURES.operatorUpdate.test] },
    { name: "Arch", value: "arm64", param: "arch=arm64", tests: [FAILURES.masquerade.test] },
  ];

  /** Every failing test shown on every card, from the "Failing tests" drill-downs. */
  async function shownTests(page) {
    await openDrills(page.locator("article.card"));
    return page.locator("article.card .test .test-name").evaluateAll((ps) => ps.map((p) => p.textContent).sort());
  }

  for (const c of cases) {
    test(`${c.name} changes the view and the URL`, async () => {
      const { page } = await loaded();
      await select(page, c.name).selectOption(c.value);
      await page.waitForURL((url) => url.search.includes(c.param));
      if (c.sigs) assert.deepEqual(await cardSigs(page), c.sigs);
      if (c.tests) assert.deepEqual(await shownTests(page), [...c.tests].sort());
      await page.close();
    });
  }

  test("the time window keeps undated local runs and writes days=", async () => {
    const { page } = await loaded();
    await select(page, "Window").selectOption("3");
    await page.waitForURL((url) => url.search.includes("days=3"));
    assert.equal((await shownTests(page)).length, 7);
    await page.close();
  });

  test("free text searches test names and messages", async () => {
    const { page } = await loaded();
    await page.getByRole("searchbox", { name: "Search" }).fill("agent of testvmi");
    await page.getByRole("searchbox", { name: "Search" }).press("Enter");
    await page.waitForURL((url) => url.search.includes("q=agent"));
    assert.deepEqual(await shownTests(page), [FAILURES.snapshot.test]);
    await page.close();
  });

  test("a shared URL reopens the same view, and back/forward restore views", async () => {
    const { page } = await loaded();
    await select(page, "Branch").selectOption("release-1.7");
    await page.waitForURL((url) => url.search.includes("branch=release-1.7"));
    await select(page, "SIG").selectOption("storage");
    await page.waitForURL((url) => url.search.includes("sig=storage"));
    const shared = page.url();
    const view = await page.locator("section.report").innerText();

    const other = await loaded(new URL(shared).search);
    assert.equal(await other.page.locator("section.report").innerText(), view);
    assert.equal(await select(other.page, "SIG").inputValue(), "storage");
    await other.page.close();

    await page.goBack();
    await page.waitForURL((url) => !url.search.includes("sig="));
    assert.deepEqual(await cardSigs(page), ["compute", "storage", "network", "operator", "monitoring", "ci"]);
    assert.equal(await select(page, "SIG").inputValue(), "");
    await page.goForward();
    await page.waitForURL((url) => url.search.includes("sig=storage"));
    assert.deepEqual(await cardSigs(page), ["storage"]);
    await page.close();
  });

  test("a kind's name on a card filters to it", async () => {
    const { page } = await loaded();
    await card(page, "storage").getByRole("button", { name: "fstrim" }).click();
    await page.waitForURL((url) => url.search.includes("kind=fstrim"));
    assert.deepEqual(await shownTests(page), [FAILURES.fstrim.test]);
    await page.close();
  });

  test("unknown and malformed parameters are ignored with a notice", async () => {
    const { page, errors } = await loaded("?sig=Not_A_SIG&k8s=abc&colour=blue");
    const notice = page.locator(".notice");
    await notice.waitFor();
    const text = await notice.textContent();
    for (const part of ["sig=Not_A_SIG", "k8s=abc", "colour=blue", "unknown parameter"]) {
      assert.ok(text.includes(part), `${part} in ${text}`);
    }
    assert.equal((await cardSigs(page)).length, 6);
    assert.deepEqual(errors, []);
    await page.close();
  });
});

describe("local files", () => {
  test("a drop of a good and a bad file loads one and names the other", async () => {
    const { page } = await openPage(browser.context, pageUrl());
    await page.getByRole("heading", { level: 1 }).waitFor();
    await page.evaluate(
      ([good, name]) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([good], name, { type: "text/xml" }));
        transfer.items.add(new File(["%PDF-1.4 not xml"], "report.pdf", { type: "application/pdf" }));
        transfer.items.add(new File(['<testsuite><testcase name="[sig-storage]cut">'], "truncated.xml"));
        for (const type of ["dragover", "drop"]) {
          document.body.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
        }
      },
      [junitXml([FAILURES.fstrim]), "pull-kubevirt-e2e-k8s-1.34-sig-storage_7.xml"],
    );
    await page.locator(".local-file").nth(2).waitFor();
    const rejected = page.locator(".local-file.error");
    assert.equal(await rejected.count(), 2);
    const messages = (await rejected.allTextContents()).join("\n");
    assert.match(messages, /report\.pdf could not be read: byte 0: /);
    assert.match(messages, /truncated\.xml could not be read: byte \d+: unexpected end of file/);
    assert.deepEqual(await shownTestsOf(page, "storage"), [FAILURES.fstrim.test]);
    await page.close();
  });

  test("editing a file's job re-attributes its runs", async () => {
    const { page } = await openPage(browser.context, pageUrl());
    await page.locator('input[type="file"]').setInputFiles([
      { name: "junit.functest.xml", mimeType: "text/xml", buffer: Buffer.from(junitXml([FAILURES.fstrim])) },
    ]);
    const job = page.getByRole("textbox", { name: "Job name for this file" });
    assert.equal(await job.inputValue(), "local");
    await job.fill("pull-kubevirt-e2e-k8s-1.31-sig-storage");
    await job.press("Enter");
    await select(page, "k8s").selectOption("1.31");
    await page.waitForURL((url) => url.search.includes("k8s=1.31"));
    assert.deepEqual(await shownTestsOf(page, "storage"), [FAILURES.fstrim.test]);
    await page.close();
  });
});

async function shownTestsOf(page, sig) {
  await openDrills(card(page, sig));
  return card(page, sig).locator(".test .test-name").evaluateAll((ps) => ps.map((p) => p.textContent));
}

/** Opens the drill-downs under `cards`, which render their rows when first opened, and waits for the rows. */
async function openDrills(cards) {
  await cards.locator("details.drill").evaluateAll((drills) => drills.forEach((drill) => (drill.open = true)));
  await cards
    .page()
    .waitForFunction(() => [...document.querySelectorAll("details.drill[open]")].every((drill) => drill.querySelector(".rows")));
}

describe("export", () => {
  test("Markdown download is the filtered view shaped like the SIG summary", async () => {
    const { page } = await loaded("?branch=release-1.7");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download .md" }).click(),
    ]);
    assert.equal(download.suggestedFilename(), "kubevirt-sig-failures.md");
    const markdown = await readFile(await download.path(), "utf8");
    assert.match(markdown, /^# KubeVirt SIG Failure Report Summary\n/);
    assert.match(markdown, /filtered by `branch=release-1\.7`/);
    assert.match(markdown, /## SIG Storage\n[\s\S]*\*\*Common Failures:\*\*\n- \*\*(VM snapshots|fstrim):\*\*/);
    assert.match(markdown, /\*\*Failing Jobs:\*\*\n- `pull-kubevirt-e2e-k8s-1\.33-sig-storage-1\.7` \(1 of 1 run failed\)/);
    assert.match(markdown, /The SIG Network report shows no failing tests\./);
    assert.doesNotMatch(markdown, /pull-kubevirt-e2e-k8s-1\.34-sig-compute_|sig-network-arm64/);
    await page.close();
  });

  test("JSON download holds the same report", async () => {
    const { page } = await loaded();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download .json" }).click(),
    ]);
    const report = JSON.parse(await readFile(await download.path(), "utf8"));
    const storage = report.sigs.find((s) => s.sig === "storage");
    assert.deepEqual(storage.kinds.map((k) => k.id).sort(), ["fstrim", "snapshot"]);
    assert.equal(storage.runs.failed, 1);
    await page.close();
  });
});
