// Trunk post_build hook: puts the SHA-256 of each inline <script> of the built index.html into its
// Content-Security-Policy, in place of the 'inline-scripts' placeholder. Trunk writes its loader
// inline, with the hashed file names of this build, so the hash can only be known here; a build
// without this hook leaves the placeholder, which browsers ignore, and the page does not start.
// Run by Trunk with TRUNK_STAGING_DIR set; `node scripts/csp-hash.mjs <dir>` works on a folder.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const PLACEHOLDER = "'inline-scripts'";

const file = path.join(process.env.TRUNK_STAGING_DIR ?? process.argv[2], "index.html");
const html = readFileSync(file, "utf8");
const policy = /<meta http-equiv="Content-Security-Policy" content="[^"]*"/.exec(html)?.[0] ?? "";
if (policy.split(PLACEHOLDER).length !== 2) {
  throw new Error(`${file}: no single ${PLACEHOLDER} in a Content-Security-Policy meta tag`);
}
const hashes = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)]
  .filter(([, attributes]) => !/\bsrc\s*=/i.test(attributes))
  .map(([, , body]) => `'sha256-${createHash("sha256").update(body, "utf8").digest("base64")}'`);
writeFileSync(file, html.replace(policy, policy.replace(PLACEHOLDER, hashes.join(" "))));
