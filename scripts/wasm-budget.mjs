// The release WASM's size budget: 400 KB (400,000 bytes) gzipped with zlib at level 9, as a web
// server compresses it (GNU `gzip -9` makes the same WASM ~5 KB smaller, so it would hide 5 KB of
// growth). Run by scripts/test after the release build, and by tests/e2e/bench.mjs:
//   node scripts/wasm-budget.mjs [dist]
// Exits 1 with the figures when the budget is exceeded.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

export const WASM_BUDGET_BYTES = 400_000;

/** The size of `bytes` gzipped the way the budget counts. */
export const gzippedSize = (bytes) => gzipSync(bytes, { level: 9 }).length;

/** The raw and gzipped sizes of the one `.wasm` in `dist`. */
function wasmIn(dist) {
  const names = readdirSync(dist).filter((name) => name.endsWith(".wasm"));
  if (names.length !== 1) throw new Error(`${dist}: expected one .wasm, found ${names.length}`);
  const bytes = readFileSync(path.join(dist, names[0]));
  return { name: names[0], bytes: bytes.length, gzipped: gzippedSize(bytes) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dist = path.resolve(process.argv[2] ?? "dist");
  const wasm = wasmIn(dist);
  const figure = `${wasm.name}: ${(wasm.gzipped / 1000).toFixed(1)} KB gzipped (zlib level 9; ${(wasm.bytes / 1000).toFixed(1)} KB raw), budget ${WASM_BUDGET_BYTES / 1000} KB`;
  if (wasm.gzipped > WASM_BUDGET_BYTES) {
    console.error(`WASM budget exceeded by ${wasm.gzipped - WASM_BUDGET_BYTES} bytes: ${figure}`);
    process.exit(1);
  }
  console.log(`WASM budget met: ${figure}`);
}
