// The class report of `rubric mark --html` in headless Chromium, driven by playwright-core:
// the grid sorts by a column and filters its rows with its small script, and printed it shows
// every row.
//
//   node tests/e2e/report.spec.mjs REPORT.html [SCREENSHOT_DIR]
//
// tests/mark.rs writes the report and runs this. Chromium is $CHROMIUM, else /usr/bin/chromium.
// Exits 0 when every check passes, 1 otherwise, and prints one line per step.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const report = process.argv[2];
if (!report) {
  console.error('usage: node report.spec.mjs REPORT.html [SCREENSHOT_DIR]');
  process.exit(2);
}
const shots = resolve(process.argv[3] || 'report-screenshots');
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});

let failed = false;
const problems = [];
async function step(name, fn) {
  try {
    await fn();
    console.log(`ok   ${name}`);
  } catch (e) {
    failed = true;
    console.log(`FAIL ${name}: ${e.stack || e}`);
  }
}

// The grid's rows as [student, score] (score null for a row not marked), visible ones only.
const rows = (page) =>
  page.$$eval('table.grid tbody tr', (trs) =>
    trs
      .filter((tr) => !tr.hidden)
      .map((tr) => [tr.cells[0].textContent.trim(), tr.classList.contains('failed') ? null : Number(tr.cells[1].textContent)]),
  );

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(pathToFileURL(resolve(report)).href);

  let all;
  await step('the grid has its search box and sort buttons', async () => {
    assert.ok(await page.locator('.grid-tools').isVisible());
    const buttons = await page.locator('table.grid thead button.sort').count();
    const heads = await page.locator('table.grid thead th').count();
    assert.equal(buttons, heads, 'every column head sorts');
    all = await rows(page);
    assert.ok(all.length >= 5, `rows: ${JSON.stringify(all)}`);
  });

  await step('sorting by score: highest first, then lowest first; rows not marked last', async () => {
    const head = page.locator('table.grid thead th', { hasText: 'Score' }).locator('button');
    await head.click();
    let got = await rows(page);
    const marked = got.filter(([, s]) => s !== null).map(([, s]) => s);
    assert.deepEqual(marked, [...marked].sort((a, b) => b - a), 'descending');
    assert.equal(got.length, all.length);
    assert.ok(got.slice(marked.length).every(([, s]) => s === null), 'not marked last');
    assert.equal(await page.locator('table.grid thead th[aria-sort="descending"]').count(), 1);
    await head.click();
    got = await rows(page);
    const up = got.filter(([, s]) => s !== null).map(([, s]) => s);
    assert.deepEqual(up, [...up].sort((a, b) => a - b), 'ascending');
    assert.ok(got.slice(up.length).every(([, s]) => s === null), 'not marked still last');
  });

  await step('sorting by a question\'s marks', async () => {
    const head = page.locator('table.grid thead th.qm').first().locator('button');
    await head.click();
    const col = await page.$$eval('table.grid tbody tr:not(.failed)', (trs) => {
      const i = Array.from(document.querySelectorAll('table.grid thead th')).findIndex((th) => th.classList.contains('qm'));
      return trs.map((tr) => Number(tr.cells[i].textContent));
    });
    assert.deepEqual(col, [...col].sort((a, b) => b - a));
  });

  await step('sorting by name, then filtering by a name', async () => {
    await page.locator('table.grid thead th', { hasText: 'Student' }).locator('button').click();
    const names = (await rows(page)).filter(([, s]) => s !== null).map(([n]) => n);
    assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b, undefined, { numeric: true })));
    const one = names[names.length - 1];
    await page.locator('#grid-filter').fill(one);
    const shown = await rows(page);
    assert.ok(shown.length >= 1 && shown.every(([n]) => n.includes(one)), JSON.stringify(shown));
    assert.match(await page.locator('#grid-count').textContent(), new RegExp(`${shown.length} of ${all.length}`));
    await page.screenshot({ path: join(shots, 'report-filtered.png'), fullPage: false });
  });

  await step('printed, a filtered grid shows every row and no search box', async () => {
    await page.emulateMedia({ media: 'print' });
    const visible = await page.$$eval('table.grid tbody tr', (trs) => trs.filter((tr) => tr.getClientRects().length > 0).length);
    assert.equal(visible, all.length);
    assert.ok(await page.locator('.grid-tools').isHidden());
    await page.emulateMedia({ media: 'screen' });
  });

  await step('no script error', async () => {
    assert.deepEqual(problems, []);
  });
  await context.close();
} finally {
  await browser.close();
}

if (failed) {
  console.log('some browser checks failed');
  process.exit(1);
}
console.log('all browser checks passed');
