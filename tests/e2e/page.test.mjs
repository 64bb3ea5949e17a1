// The built page loads from a sub-path, renders its frame, and reads its storage URL from the query.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { launchBrowser, openPage, screenshot, serveStatic, startFakeGcs } from "./harness.mjs";

let site, gcs, browser, bucketDir;

before(async () => {
  bucketDir = await mkdtemp(path.join(tmpdir(), "triage-gcs-"));
  await mkdir(path.join(bucketDir, "kubevirt-prow/logs/periodic-kubevirt-e2e-k8s-1.34-sig-storage"), { recursive: true });
  await writeFile(path.join(bucketDir, "kubevirt-prow/logs/periodic-kubevirt-e2e-k8s-1.34-sig-storage/latest-build.txt"), "1");
  // KubeVirt's bucket holds a quarantine list (a missing one is a notice: verdicts.test.mjs).
  await mkdir(path.join(bucketDir, "kubevirt-prow/reports/quarantined-tests/kubevirt/kubevirt"), { recursive: true });
  await writeFile(path.join(bucketDir, "kubevirt-prow/reports/quarantined-tests/kubevirt/kubevirt/quarantine.json"), '{"files_stats": []}');
  [site, gcs, browser] = await Promise.all([serveStatic(undefined, "/triage/"), startFakeGcs(bucketDir), launchBrowser()]);
});

after(async () => {
  await Promise.all([site?.close(), gcs?.stop(), browser?.close()]);
  await rm(bucketDir, { recursive: true, force: true });
});

test("fake-gcs-server answers a JSON API listing with CORS", async () => {
  const res = await fetch(`${gcs.url}/storage/v1/b/kubevirt-prow/o?prefix=logs/&delimiter=/`, {
    headers: { origin: "http://example.test" },
  });
  assert.equal(res.status, 200);
  assert.ok(["*", "http://example.test"].includes(res.headers.get("access-control-allow-origin")), "a cross-origin page may read it");
  const body = await res.json();
  assert.deepEqual(body.prefixes, ["logs/periodic-kubevirt-e2e-k8s-1.34-sig-storage/"]);
});

test("the page renders its header and empty report from a sub-path", async () => {
  const { page, errors } = await openPage(browser.context, `${site.url}?gcs=${encodeURIComponent(gcs.url)}`);
  await page.getByRole("heading", { level: 1 }).waitFor();
  assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), "KubeVirt CI triage");
  const empty = page.locator(".empty-message");
  assert.match(await empty.textContent(), /No results loaded yet\./);
  await screenshot(page, "page-empty");
  assert.deepEqual(errors, []);
  await page.close();
});
