/**
 * One table of every bench: `pnpm bench` keeps each bench's JSON, then these functions pick the
 * figures people compare (a few per bench, named by their path in the JSON) and write them as
 * `bench/results/latest.json` and `latest.md`, with the machine they ran on. Pure: no I/O here.
 */

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  rabbitmq: string;
  loadAverage1m: number;
  at: string;
}

export interface BenchRun {
  /** File name without `.ts`: `observation`, `canvas`… */
  name: string;
  seconds: number;
  ok: boolean;
  /** What the bench printed, parsed; undefined when it printed no JSON. */
  result?: unknown;
}

/** The figures each bench is known by, as dotted paths into its JSON; `*` matches any key. */
export const HEADLINES: Readonly<Record<string, readonly string[]>> = {
  canvas: [
    'idle.medianFps',
    'load.medianFps',
    'load.framesOver50ms',
    'loadWithOtherCoreBusy.medianFps',
    'loadWithOtherCoreBusy.framesOver50ms',
    'firstLoad.scriptKB',
    'firstLoad.canvasVisibleMs',
  ],
  classroom: ['*.missing*', '*.lag*.p50', '*.lag*.p95', '*.serverCpu*', '*.serverRss*'],
  diagrams: ['latencyMs.*.*.p50', 'latencyMs.*.*.p95'],
  differential: ['cases', 'mismatches', 'materializeProblems', 'casesPerSecond'],
  explainer: ['explanationsPerSecond', 'explanationsPerCpuSecond', 'compileMs'],
  load: [
    'sessions',
    'ratePerSession',
    'missing*',
    'latencyMs.p50',
    'latencyMs.p95',
    'serverRssMb.*',
    'heapUsedMb.lowest*',
  ],
  materialize: ['fromScratchMs', 'oneEditMs', 'unchangedApplyMs', 'brokerReadMs'],
  observation: [
    'main.missingRouted',
    'main.missingDelivered',
    'main.routedLatencyMs.p50',
    'main.routedLatencyMs.p95',
    'highestRateWithNothingMissed',
    'serverCpu.msPerThousandMessages',
    'serverRssMb.maxMb',
  ],
};

/** Every number in a JSON value, by dotted path (arrays by index). */
export function numericLeaves(value: unknown, prefix = ''): [string, number][] {
  if (typeof value === 'number' && Number.isFinite(value)) return [[prefix, value]];
  if (typeof value !== 'object' || value === null) return [];
  const entries = Array.isArray(value)
    ? value.map((v, i) => [String(i), v] as const)
    : Object.entries(value);
  return entries.flatMap(([key, v]) => numericLeaves(v, prefix === '' ? key : `${prefix}.${key}`));
}

function matches(pattern: string, path: string): boolean {
  const parts = pattern.split('.');
  const names = path.split('.');
  if (parts.length !== names.length) return false;
  return parts.every((part, i) => {
    const name = names[i] as string;
    if (!part.includes('*')) return part === name;
    const re = new RegExp(`^${part.split('*').map(escape).join('.*')}$`);
    return re.test(name);
  });
}

const escape = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** The headline figures of one bench's JSON, in the order of its patterns; at most 12. */
export function headlines(name: string, result: unknown): [string, number][] {
  const leaves = numericLeaves(result);
  const patterns = HEADLINES[name];
  if (!patterns) return leaves.slice(0, 8);
  const picked: [string, number][] = [];
  for (const pattern of patterns)
    for (const leaf of leaves)
      if (matches(pattern, leaf[0]) && !picked.some(([p]) => p === leaf[0])) picked.push(leaf);
  return picked.slice(0, 12);
}

const figure = (n: number) =>
  Number.isInteger(n) ? n.toLocaleString('en-US') : String(Math.round(n * 100) / 100);

/** The table the README shows: one row per figure, the machine above it. */
export function markdown(runs: readonly BenchRun[], machine: Machine): string {
  const lines = [
    '# Latest benchmark results',
    '',
    `Ran ${machine.at} on ${machine.cores} × ${machine.cpu}, ${machine.memoryGb} GB, Node ${machine.node}, ` +
      `RabbitMQ ${machine.rabbitmq}; load average ${machine.loadAverage1m} when it started ` +
      '(the machine is shared: compare figures of one run as ratios).',
    '',
    '| bench | figure | value |',
    '| --- | --- | ---: |',
  ];
  for (const run of runs) {
    if (!run.ok || run.result === undefined) {
      lines.push(`| ${run.name} | did not finish (${Math.round(run.seconds)} s) | — |`);
      continue;
    }
    const rows = headlines(run.name, run.result);
    if (rows.length === 0) lines.push(`| ${run.name} | (no figures) | — |`);
    for (const [path, value] of rows)
      lines.push(`| ${run.name} | \`${path}\` | ${figure(value)} |`);
  }
  lines.push('', 'Every figure of every bench is in `latest.json`.', '');
  return lines.join('\n');
}

/** The last JSON object a bench printed (benches print one; logs go to stderr). */
export function parseBenchOutput(stdout: string): unknown {
  const start = stdout.indexOf('{');
  if (start < 0) return undefined;
  try {
    return JSON.parse(stdout.slice(start)) as unknown;
  } catch {
    return undefined;
  }
}
