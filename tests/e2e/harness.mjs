// End-to-end harness: serves the built dist/ and a fake-gcs-server on loopback, drives the page in the
// system's headless Chromium. Every process it starts is stopped by `stop()` (and on exit).
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { mkdir, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
export const OUT_DIR = path.join(here, "out");
const DIST = process.env.DIST ?? path.resolve(here, "../../dist");

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".wasm": "application/wasm",
  ".css": "text/css",
  ".json": "application/json",
  ".xml": "application/xml",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".txt": "text/plain; charset=utf-8",
};

/** A free loopback port, asked of the OS. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createNetServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Serves `root` as a static site under `basePath` (to prove dist/ is sub-path aware), adding
 * `headers` to every file it sends (CORS or caching, for scripts/bench).
 */
export async function serveStatic(root = DIST, basePath = "/", { headers = {} } = {}) {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://localhost");
    if (!url.pathname.startsWith(basePath)) {
      res.writeHead(404).end();
      return;
    }
    let rel = decodeURIComponent(url.pathname.slice(basePath.length)) || "index.html";
    const file = path.join(root, rel);
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile((await stat(file)).isDirectory() ? path.join(file, "index.html") : file);
      res.writeHead(200, { "content-type": MIME[path.extname(file)] ?? "application/octet-stream", ...headers });
      res.end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}${basePath}`, close: () => new Promise((r) => server.close(r)) };
}

/** Polls `check` until it resolves truthy; throws after `timeoutMs`. A readiness check, not a sleep. */
async function waitFor(check, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}${lastError ? `: ${lastError.message}` : ""}`);
}

/**
 * Starts fake-gcs-server with every folder of `dataDir` as a bucket (the binary comes from
 * scripts/lib.sh `ensure_fake_gcs`, via $FAKE_GCS_SERVER). It reads them all before it answers.
 * In memory that slowed down with every object here (a full week of ~29,000 had not finished
 * after 10 minutes on a busy 2-core machine, nor had uploading them); given a `filesystemRoot`
 * it keeps them there instead and read the week in 2.5-6 minutes (`readyMs` bounds the wait).
 */
export async function startFakeGcs(dataDir, { readyMs = 15_000, filesystemRoot } = {}) {
  const binary = process.env.FAKE_GCS_SERVER;
  if (!binary) throw new Error("FAKE_GCS_SERVER is not set: run the tests through scripts/test");
  const port = await freePort();
  const child = spawn(
    binary,
    [
      ...["-scheme", "http", "-host", "127.0.0.1", "-port", String(port), "-data", dataDir, "-log-level", "error"],
      ...(filesystemRoot ? ["-backend", "filesystem", "-filesystem-root", filesystemRoot] : ["-backend", "memory"]),
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  tracked.add(child);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => {
    if (child.exitCode !== null) throw new Error(`fake-gcs-server exited: ${stderr}`);
    return (await fetch(`${url}/storage/v1/b`)).ok;
  }, readyMs, "fake-gcs-server");
  return {
    url,
    stop: async () => {
      child.kill("SIGTERM");
      await new Promise((r) => (child.exitCode !== null ? r() : child.once("exit", r)));
      tracked.delete(child);
    },
  };
}

const tracked = new Set();
process.on("exit", () => tracked.forEach((child) => child.kill("SIGKILL")));

/** Launches the system Chromium headless with a fresh profile. Never downloads a browser. */
export async function launchBrowser() {
  const profile = await mkdtemp(path.join(tmpdir(), "triage-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Opens a page and collects console errors and uncaught exceptions for later assertions. */
export async function openPage(context, url) {
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (err) => errors.push(err.message));
  page.on("console", (msg) => msg.type() === "error" && errors.push(msg.text()));
  await page.goto(url);
  return { page, errors };
}

/** Saves a PNG of the page for a person to look at (tests/e2e/out/<name>.png). */
export async function screenshot(page, name) {
  await mkdir(OUT_DIR, { recursive: true });
  const file = path.join(OUT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
