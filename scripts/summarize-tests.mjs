#!/usr/bin/env node
// Reads the JSON reports of the test stages and prints one closing line:
//   tests: N passed, N failed[, N skipped]
// Exits non-zero when anything failed or when no test ran at all.
//
//   node scripts/summarize-tests.mjs [--vitest FILE] [--playwright FILE] [--failed-stage NAME]...
//
// A report that is missing or unreadable (its runner crashed) counts as one failed test, and so
// does each --failed-stage: a stage without a report (lint, typecheck, build), or a runner that
// exited non-zero while its report shows no failure. The line never reads "0 failed" for a run
// that failed.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const reports = {
  vitest: resolve(root, '.artifacts/vitest.json'),
  playwright: resolve(root, '.artifacts/playwright.json'),
};
let failedStages = [];

const args = process.argv.slice(2);
for (let i = 0; i < args.length; i += 1) {
  const flag = args[i];
  const value = args[i + 1];
  if (value === undefined) usage(`${flag} needs a value`);
  i += 1;
  if (flag === '--vitest') reports.vitest = resolve(value);
  else if (flag === '--playwright') reports.playwright = resolve(value);
  else if (flag === '--failed-stage') failedStages.push(value);
  else usage(`unknown option ${flag}`);
}

function usage(problem) {
  console.error(`summarize-tests: ${problem}`);
  console.error(
    'usage: summarize-tests.mjs [--vitest FILE] [--playwright FILE] [--failed-stage NAME]...',
  );
  process.exit(2);
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return { unreadable: error.code === 'ENOENT' ? 'missing' : error.message };
  }
}

/** Vitest's `json` reporter writes Jest's format. */
function countVitest(report) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const file of report.testResults ?? []) {
    let failedHere = 0;
    for (const test of file.assertionResults ?? []) {
      if (test.status === 'passed') counts.passed += 1;
      else if (test.status === 'failed') failedHere += 1;
      else counts.skipped += 1; // skipped, pending, todo
    }
    // A file that failed to load or whose hooks threw has no failed test of its own.
    if (failedHere === 0 && file.status === 'failed') failedHere = 1;
    counts.failed += failedHere;
  }
  return counts;
}

/** Playwright's `json` reporter: stats.expected / unexpected / flaky / skipped. */
function countPlaywright(report) {
  const stats = report.stats ?? {};
  const counts = {
    passed: (stats.expected ?? 0) + (stats.flaky ?? 0),
    failed: stats.unexpected ?? 0,
    skipped: stats.skipped ?? 0,
  };
  // Global errors (the web server did not start, a config error) fail the run without a test.
  if (counts.failed === 0 && (report.errors ?? []).length > 0) counts.failed = 1;
  return counts;
}

const total = { passed: 0, failed: 0, skipped: 0 };
const stages = [
  ['vitest', reports.vitest, countVitest],
  ['playwright', reports.playwright, countPlaywright],
];
for (const [name, file, count] of stages) {
  const report = readJson(file);
  const runnerFailed = failedStages.includes(name);
  failedStages = failedStages.filter((stage) => stage !== name);
  if (report.unreadable) {
    console.log(`${name}: no report at ${file} (${report.unreadable}); counted as 1 failed`);
    total.failed += 1;
    continue;
  }
  const counts = count(report);
  if (runnerFailed && counts.failed === 0) {
    console.log(`${name}: exited with an error although no test failed; counted as 1 failed`);
    counts.failed = 1;
  }
  const skipped = counts.skipped > 0 ? `, ${counts.skipped} skipped` : '';
  console.log(`${name}: ${counts.passed} passed, ${counts.failed} failed${skipped}`);
  total.passed += counts.passed;
  total.failed += counts.failed;
  total.skipped += counts.skipped;
}
for (const stage of failedStages) {
  console.log(`${stage}: failed; counted as 1 failed`);
  total.failed += 1;
}

const skipped = total.skipped > 0 ? `, ${total.skipped} skipped` : '';
console.log(`tests: ${total.passed} passed, ${total.failed} failed${skipped}`);
process.exit(total.failed > 0 || total.passed === 0 ? 1 : 0);
