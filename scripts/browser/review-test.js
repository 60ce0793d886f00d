// Drives the review page in headless Chromium (playwright-core, Debian's chromium), as a
// translator would: keys and clicks. Run by scripts/browser-test.sh, which checks the
// exported files with the project's tools afterwards.
//
//   node review-test.js edit  PAGE BEADS WORK DOCS   # the seed page: edit, reload, export
//   node review-test.js scale PAGE BEADS WORK DOCS MAX_MS  # the 100k page: load time, a jump
//
// Prints one `ok`/`FAIL` line per check and `measure NAME VALUE` lines; exits 1 on a
// failure.
"use strict";
const fs = require("fs");
const path = require("path");
const { chromium } = require("playwright-core");

// Every flag that could make Chromium reach the network is off (see
// /work/.library/env/machines/rust.md on this machine's closed network).
const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

let failed = 0;
function check(name, expected, actual) {
  const same = JSON.stringify(expected) === JSON.stringify(actual);
  if (same) console.log(`ok    ${name} (${JSON.stringify(actual)})`);
  else { console.log(`FAIL  ${name}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`); failed++; }
}

async function open(profile, width, height) {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true, args: ARGS, acceptDownloads: true, viewport: { width, height },
  });
  const page = context.pages()[0] || await context.newPage();
  page.on("pageerror", (e) => { console.log(`FAIL  page error: ${e.message}`); failed++; });
  // A CSP violation means the page tried something the policy forbids.
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/.test(m.text())) { console.log(`FAIL  CSP: ${m.text()}`); failed++; }
  });
  return { context, page };
}

async function ready(page) {
  await page.waitForSelector("html[data-ready]", { timeout: 60000 });
  return Number(await page.getAttribute("html", "data-ready"));
}

const cur = (page) => page.$eval(".row.cur", (r) => r.id);
const count = (page, sel) => page.$$eval(sel, (els) => els.length);
const status = (page) => page.textContent("#status");
const progress = (page) => page.textContent("#progress");

async function press(page, ...keys) {
  for (const key of keys) await page.keyboard.press(key);
}

async function save(page, act, file) {
  const [download] = await Promise.all([page.waitForEvent("download"), page.click(`button[data-act=${act}]`)]);
  await download.saveAs(file);
  return fs.readFileSync(file, "utf8");
}

// The seed page: every editing operation, undo, reload, and the three exports.
async function edit(pagePath, beadsPath, work, docs) {
  const gold = fs.readFileSync(beadsPath, "utf8").trim().split("\n");
  const conf = gold.map((l) => Number(l.split(":").pop()));
  const n = gold.length;
  if (n < 8 || !gold.slice(0, 8).every((l) => /^\[\d+\]:\[\d+\]:/.test(l))) {
    throw new Error("the seed alignment should start with eight 1-1 beads");
  }
  const { context, page } = await open(path.join(work, "profile-edit"), 1280, 820);
  await page.goto("file://" + pagePath);
  await ready(page);
  check("the page loads with every bead", `${n} beads`, (await progress(page)).split(" · ")[0]);
  check("the first bead is current", "b0", await cur(page));
  check("rows in view", true, (await count(page, "#rows .row")) > 0);
  await page.screenshot({ path: path.join(docs, "report-pt-id.png") });

  // Exports before any edit are the CLI's own files (bash compares them).
  await save(page, "exportTmx", path.join(work, "fresh.tmx"));
  await save(page, "exportBeads", path.join(work, "fresh.beads"));
  await save(page, "exportTsv", path.join(work, "fresh.tsv"));

  // Keyboard navigation, the plot in step (its marker is drawn from the same state).
  await press(page, "ArrowDown", "ArrowDown");
  check("↓ ↓ moves to bead 2", "b2", await cur(page));
  await press(page, "k");
  check("k moves back to bead 1", "b1", await cur(page));
  await press(page, "End");
  check("End goes to the last bead", `b${n - 1}`, await cur(page));
  await press(page, "Home");
  check("Home goes to the first bead", "b0", await cur(page));
  // Next bead to review, with the threshold at the median confidence.
  const median = [...conf].sort((a, b) => a - b)[Math.floor(n / 2)];
  await page.fill("#threshold", String(median));
  await page.$eval("#threshold", (e) => e.dispatchEvent(new Event("change")));
  await page.focus("#list");
  const lows = conf.map((c, k) => (c < median ? k : -1)).filter((k) => k > 0);
  await press(page, "n");
  check("n goes to the next bead under the threshold", `b${lows[0]}`, await cur(page));
  await press(page, "n");
  check("n again goes to the one after", `b${lows[1]}`, await cur(page));
  await press(page, "p");
  check("p goes back", `b${lows[0]}`, await cur(page));
  await page.fill("#threshold", "0.5");
  await page.$eval("#threshold", (e) => e.dispatchEvent(new Event("change")));
  await page.focus("#list");
  await press(page, "Home");

  // Merge bead 2 with bead 3, split it back, undo the split.
  await press(page, "j", "j", "m");
  check("m merges: one bead less", `${n - 1} beads`, (await progress(page)).split(" · ")[0]);
  check("the merged bead has both source sentences", 2, await count(page, "#b2 .src p"));
  check("and both target sentences", 2, await count(page, "#b2 .tgt p"));
  check("and says it was edited", 1, await count(page, "#b2 .edited"));
  await press(page, "s");
  check("s splits it in halves", [`${n} beads`, 1, 1], [(await progress(page)).split(" · ")[0],
    await count(page, "#b2 .src p"), await count(page, "#b3 .src p")]);
  await press(page, "z");
  check("z undoes the split", 2, await count(page, "#b2 .src p"));
  // Split before a clicked sentence: the second target sentence of the merged bead.
  await page.click("#b2 .tgt p[data-i='3']");
  check("a clicked sentence is selected", 1, await count(page, "#b2 p.sel"));
  await press(page, "s");
  check("s splits before the selected sentence", [1, 1, "[3]"],
    [await count(page, "#b2 .tgt p"), await count(page, "#b3 .tgt p"),
      JSON.stringify(await page.$$eval("#b3 .src p", (ps) => ps.map((p) => +p.dataset.i)))]);

  // Move the source sentence of bead 4 to bead 5, then undo.
  await page.click("#b4 .src p[data-i='4']");
  await press(page, "]");
  check("] moves the sentence to the next bead", [0, 2], [await count(page, "#b4 .src p"), await count(page, "#b5 .src p")]);
  await press(page, "z");
  check("z undoes the move", [1, 1], [await count(page, "#b4 .src p"), await count(page, "#b5 .src p")]);
  await page.click("#b5 .tgt p[data-i='5']");
  await press(page, "[");
  check("[ moves the sentence to the previous bead", [2, 0], [await count(page, "#b4 .tgt p"), await count(page, "#b5 .tgt p")]);
  await press(page, "z");

  // Unalign the target sentence of bead 6, then undo.
  await page.click("#b6 .tgt p[data-i='6']");
  await press(page, "u");
  check("u unaligns the selected sentence", [`${n + 1} beads`, 1, 1],
    [(await progress(page)).split(" · ")[0], await count(page, "#b6 .src .none"), await count(page, "#b7 .tgt .none")]);
  await press(page, "z");
  check("z undoes it", `${n} beads`, (await progress(page)).split(" · ")[0]);

  // The state the reload must keep: bead 0 confirmed, bead 1 wrong, beads 2 and 3 merged.
  await press(page, "Home", "c", "j", "w", "j", "m");
  check("c and w mark beads", ["row confirmed", "row wrong"],
    [await page.$eval("#b0", (r) => r.className.replace(" cur", "")), await page.$eval("#b1", (r) => r.className.replace(" cur", ""))]);
  await page.click("#b2 .src p[data-i='3']");
  await page.screenshot({ path: path.join(docs, "review-editing.png") });
  const before = await progress(page);
  check("the edits are counted", true, / 1 confirmed · 1 wrong · .* · \d+ edits$/.test(before));

  await page.reload();
  await ready(page);
  check("reload keeps the edits", before, await progress(page));
  check("and the current bead", "b2", await cur(page));
  check("the page says it restored them", true, /^restored \d+ edits/.test(await status(page)));
  await press(page, "Home");
  check("reload keeps the marks and the merge", ["row confirmed", "row wrong", 2], [
    await page.$eval("#b0", (r) => r.className.replace(" cur", "")),
    await page.$eval("#b1", (r) => r.className.replace(" cur", "")),
    await count(page, "#b2 .src p")]);

  const tmx = await save(page, "exportTmx", path.join(work, "review.tmx"));
  const units = tmx.split("<tu>").length - 1;
  check("TMX: one unit per pair but the wrong one", n - 2, units);
  check("TMX: the confirmed bead has confidence 1 and a reviewed prop", true,
    /<prop type="x-confidence">1\.000<\/prop>\n {6}<prop type="x-src-sentences">0<\/prop>\n {6}<prop type="x-tgt-sentences">0<\/prop>\n {6}<prop type="x-reviewed">confirmed<\/prop>/.test(tmx));
  check("TMX: one reviewed prop", 1, tmx.split("x-reviewed").length - 1);
  check("TMX: the merged unit", true, tmx.includes('<prop type="x-src-sentences">2,3</prop>'));
  const beads = (await save(page, "exportBeads", path.join(work, "review.beads"))).trim().split("\n");
  check("beads: one line per bead", n - 1, beads.length);
  check("beads: confirmed 1, wrong 0, merged", ["[0]:[0]:1.0000", "[1]:[1]:0.0000", "[2,3]:[2,3]"],
    [beads[0], beads[1], beads[2].split(":").slice(0, 2).join(":")]);
  const tsv = (await save(page, "exportTsv", path.join(work, "review.tsv"))).trim().split("\n");
  check("TSV: one line per kept pair, three fields", [n - 2, true], [tsv.length, tsv.every((l) => l.split("\t").length === 3)]);

  // Undo everything, one edit at a time.
  const edits = Number(/(\d+) edits$/.exec(await progress(page))[1]);
  for (let i = 0; i < edits; i++) await press(page, "z");
  check("undoing every edit gives the page as written back", [`${n} beads · 0 confirmed · 0 wrong`, "0 edits", 0],
    [(await progress(page)).split(" · ").slice(0, 3).join(" · "), (await progress(page)).split(" · ").pop(),
      await count(page, ".row .edited")]);
  await context.close();
}

// The 100k page: time to ready, to the first answer to a key, a jump from the strip.
async function scale(pagePath, beadsPath, work, docs, maxMs) {
  const { context, page } = await open(path.join(work, "profile-scale"), 1280, 820);
  const start = Date.now();
  await page.goto("file://" + pagePath);
  const readyMs = await ready(page);
  const wall = Date.now() - start;
  const t = Date.now();
  await press(page, "n");
  await page.waitForFunction(() => document.querySelector(".row.cur") && document.querySelector(".row.cur").id !== "b0");
  const keyMs = Date.now() - t;
  console.log(`measure ready_ms ${readyMs}`);
  console.log(`measure wall_ms ${wall}`);
  console.log(`measure first_key_ms ${keyMs}`);
  check(`the 100k page is ready within ${maxMs} ms`, true, readyMs <= maxMs && wall <= maxMs);
  const rows = await count(page, "#rows .row");
  check("only the rows in view are in the DOM", true, rows > 0 && rows < 100);
  // Click the strip on a bead to review (unaligned or under 0.5) in the document's last
  // third: the worst bead of that column becomes current.
  const lines = fs.readFileSync(beadsPath, "utf8").trim().split("\n");
  const k = lines.findIndex((l, i) => i > lines.length * 0.67 && (l.includes("[]") || Number(l.split(":").pop()) < 0.5));
  const [x0, y, width, height] = (await page.getAttribute("#plot", "data-strip")).split(",").map(Number);
  const box = await page.$("#plot").then((e) => e.boundingBox());
  await page.mouse.click(box.x + x0 + (k + 0.5) * width / lines.length, box.y + y + height / 2);
  const id = await cur(page);
  console.log(`measure jumped_to ${id} (bead ${k} is to review)`);
  check("a click on the strip jumps to a bead to review near there", true,
    Math.abs(Number(id.slice(1)) - k) <= 2 * lines.length / width &&
    await page.$eval(".row.cur", (r) => /low|unaligned/.test(r.className)));
  await page.screenshot({ path: path.join(docs, "review-100k.png") });
  await context.close();
}

(async () => {
  const [mode, ...args] = process.argv.slice(2);
  if (mode === "edit") await edit(...args);
  else if (mode === "scale") await scale(args[0], args[1], args[2], args[3], Number(args[4]));
  else throw new Error("usage: review-test.js edit|scale ...");
  process.exit(failed ? 1 : 0);
})().catch((e) => { console.log(`FAIL  ${e.stack || e}`); process.exit(1); });
