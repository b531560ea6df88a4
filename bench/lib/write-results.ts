/**
 * Writes `bench/results/latest.json` and `latest.md` from the outputs `scripts/bench.sh` kept
 * in a folder (`<name>.out` with each bench's stdout, `<name>.status` with its exit code and
 * seconds). Usage: tsx bench/lib/write-results.ts <folder>
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { markdown, parseBenchOutput, type BenchRun, type Machine } from './results';

const folder = process.argv[2];
if (!folder) throw new Error('usage: write-results.ts <folder with the bench outputs>');

function rabbitmqVersion(): string {
  try {
    const out = execFileSync('rabbitmqctl', ['version'], { encoding: 'utf8', timeout: 20_000 });
    return out.trim() || 'unknown';
  } catch {
    return 'unknown';
  }
}

const runs: BenchRun[] = readdirSync(folder)
  .filter((f) => f.endsWith('.status'))
  .sort()
  .map((file) => {
    const name = file.replace(/\.status$/, '');
    const [code, seconds] = readFileSync(join(folder, file), 'utf8').trim().split(/\s+/);
    const result = parseBenchOutput(readFileSync(join(folder, `${name}.out`), 'utf8'));
    return { name, ok: code === '0', seconds: Number(seconds), result };
  });

const machine: Machine = {
  cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
  cores: cpus().length,
  memoryGb: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  rabbitmq: rabbitmqVersion(),
  loadAverage1m: Math.round((Number(process.env.BENCH_START_LOAD) || loadavg()[0] || 0) * 10) / 10,
  at: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
};

const out = new URL('../results/', import.meta.url);
mkdirSync(out, { recursive: true });
writeFileSync(new URL('latest.json', out), `${JSON.stringify({ machine, runs }, null, 2)}\n`);
writeFileSync(new URL('latest.md', out), markdown(runs, machine));
process.stdout.write(markdown(runs, machine));
