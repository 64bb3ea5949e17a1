// Trunk post_build hook: puts the SHA-256 of each inline <script> of the built index.html into its
// Content-Security-Policy, in place of the 'inline-scripts' placeholder. Trunk writes its loader
// inline, with the hashed file names of this build, so the hash can only be known here; a build
// without this hook leaves the placeholder, which browsers ignore, and the page does not start.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const PLACEHOLDER = "'inline-scripts'";

/** The CSP hash sources of every inline script of `html`. */
export function inlineScriptHashes(html) {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)]
    .filter(([, attributes]) => !/\bsrc\s*=/i.test(attributes))
    .map(([, , body]) => `'sha256-${createHash("sha256").update(body, "utf8").digest("base64")}'`);
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const file = path.join(process.env.TRUNK_STAGING_DIR ?? process.argv[2], "index.html");
  const html = readFileSync(file, "utf8");
  if (!html.includes(PLACEHOLDER)) throw new Error(`${file}: no ${PLACEHOLDER} in its Content-Security-Policy`);
  writeFileSync(file, html.replace(PLACEHOLDER, inlineScriptHashes(html).join(" ")));
}
