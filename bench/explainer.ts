/**
 * How many routing explanations per second the explainer gives for a 200-binding diagram of
 * mixed exchange types, once prepared with createExplainer. Prints JSON.
 *
 * The machine is shared, so the rate is measured in short slices (the median slice, and the
 * best one: what the code does with a core to itself) and against the process's CPU time
 * (explanations per CPU-second, which other work on the machine does not dilute).
 */
import { loadavg } from 'node:os';
import { createExplainer, explainRoute, type ExplainMessage } from '@warren/topology';
import { benchMessages, benchTopology } from './lib/explainer-topology';

const SEED = 4242;
const MESSAGES = 2000;
const SLICES = 25;
const PER_SLICE = 4000;

function slices(run: (m: ExplainMessage) => unknown, messages: ExplainMessage[], perSlice: number) {
  // Warm up so the JIT has settled before measuring.
  for (let k = 0; k < 3; k++) for (const m of messages) run(m);
  const rates: number[] = [];
  let i = 0;
  const cpuBefore = process.cpuUsage();
  for (let s = 0; s < SLICES; s++) {
    const start = performance.now();
    for (let k = 0; k < perSlice; k++) run(messages[i++ % messages.length] as ExplainMessage);
    rates.push((perSlice / (performance.now() - start)) * 1000);
  }
  const cpu = process.cpuUsage(cpuBefore);
  rates.sort((a, b) => a - b);
  return {
    median: Math.round(rates[Math.floor(SLICES / 2)] ?? 0),
    best: Math.round(rates[SLICES - 1] ?? 0),
    perCpuSecond: Math.round((SLICES * perSlice) / ((cpu.user + cpu.system) / 1e6)),
  };
}

function main(): void {
  const topology = benchTopology(SEED);
  const messages = benchMessages(topology, SEED, MESSAGES);

  const compileStart = performance.now();
  const explain = createExplainer(topology);
  const compileMs = performance.now() - compileStart;

  let hops = 0;
  let verdicts = 0;
  let routed = 0;
  let deadLetterRoutes = 0;
  for (const m of messages) {
    const e = explain(m);
    hops += e.hops.length;
    verdicts += e.hops.reduce((sum, h) => sum + h.bindings.length, 0);
    if (e.queues.length > 0 || e.outcomes !== undefined) routed++;
    for (const f of e.fates) for (const l of f.later) if (l.deadLetter?.route) deadLetterRoutes++;
  }
  const distinct = new Set(messages.map((m) => JSON.stringify(m))).size;

  const prepared = slices(explain, messages, PER_SLICE);
  const withSummary = slices((m) => explain(m).summary.length, messages, PER_SLICE);
  const unprepared = slices((m) => explainRoute(topology, m), messages, PER_SLICE / 10);
  const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

  console.log(
    JSON.stringify(
      {
        bindings: topology.bindings.length,
        exchanges: topology.exchanges.length,
        queues: topology.queues.length,
        messages: messages.length,
        distinctMessages: distinct,
        explanationsPerSecond: prepared.median,
        bestSliceExplanationsPerSecond: prepared.best,
        explanationsPerCpuSecond: prepared.perCpuSecond,
        withSummaryReadPerSecond: withSummary.median,
        withSummaryReadPerCpuSecond: withSummary.perCpuSecond,
        explainRouteWithCompilePerSecond: unprepared.median,
        compileMs: round(compileMs),
        averageHops: round(hops / messages.length),
        averageBindingVerdicts: round(verdicts / messages.length, 1),
        averageDeadLetterRoutes: round(deadLetterRoutes / messages.length),
        routedShare: round(routed / messages.length),
        loadAverage1m: round(loadavg()[0] ?? 0, 1),
        cores: 2,
        target: 50_000,
      },
      null,
      2,
    ),
  );
}

main();
