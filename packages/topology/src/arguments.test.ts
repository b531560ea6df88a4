import { describe, expect, it } from 'vitest';
import {
  effectiveExchangeArguments,
  effectiveQueueArguments,
  policyFor,
  QUEUE_ARGUMENTS,
} from './arguments';
import type { Policy, Topology } from './model';
import { binding, exchange, policy, queue, topology } from './testing/builders';
import { parseTopology, type TopologyIssue } from './validate';

/** A work queue dead-lettering to `dlx`, which routes to `parking`. */
function work(args: Record<string, unknown> = {}, policies: Policy[] = []): Topology {
  return topology({
    exchanges: [exchange('dlx', 'fanout')],
    queues: [
      queue('work', { arguments: { 'x-dead-letter-exchange': 'dlx', ...args } }),
      queue('parking'),
    ],
    bindings: [binding('dlx', 'parking', '', { id: 'b' })],
    policies,
  });
}

function issuesOf(topology: Topology): TopologyIssue[] {
  const result = parseTopology(topology);
  return result.ok ? [] : result.issues;
}

describe('effective arguments', () => {
  it('takes the lower TTL of argument and policy, and says where it comes from', () => {
    const lowPolicy = work({ 'x-message-ttl': 5000 }, [
      policy('ttl', '^work$', { 'message-ttl': 1000 }),
    ]);
    const [q] = lowPolicy.queues;
    expect(effectiveQueueArguments(lowPolicy, q!).get('x-message-ttl')).toEqual({
      value: 1000,
      source: { from: 'policy', policy: 'ttl' },
    });
    const highPolicy = work({ 'x-message-ttl': 500 }, [
      policy('ttl', '^work$', { 'message-ttl': 1000 }),
    ]);
    expect(effectiveQueueArguments(highPolicy, highPolicy.queues[0]!).get('x-message-ttl')).toEqual(
      {
        value: 500,
        source: { from: 'argument' },
      },
    );
  });

  it("lets the queue's own dead-letter exchange win over a policy's", () => {
    const t = work({}, [policy('dl', '.*', { 'dead-letter-exchange': 'other' })]);
    expect(effectiveQueueArguments(t, t.queues[0]!).get('x-dead-letter-exchange')?.value).toBe(
      'dlx',
    );
    expect(effectiveQueueArguments(t, t.queues[1]!).get('x-dead-letter-exchange')).toEqual({
      value: 'other',
      source: { from: 'policy', policy: 'dl' },
    });
  });

  it('applies only the highest-priority matching policy, respecting apply-to', () => {
    const t = work({}, [
      policy('low', '^work', { 'max-length': 10 }, { priority: 1 }),
      policy('high', '^work', { 'message-ttl': 10 }, { priority: 5 }),
      policy(
        'exchanges-only',
        '.*',
        { 'alternate-exchange': 'dlx' },
        { applyTo: 'exchanges', priority: 9 },
      ),
      policy('quorum-only', '.*', { 'max-length': 1 }, { applyTo: 'quorum_queues', priority: 10 }),
    ]);
    expect(policyFor(t, 'queue', 'work')?.name).toBe('high');
    const settings = effectiveQueueArguments(t, t.queues[0]!);
    expect(settings.has('x-max-length')).toBe(false);
    expect(settings.get('x-message-ttl')?.value).toBe(10);
    expect(effectiveExchangeArguments(t, t.exchanges[0]!).get('alternate-exchange')?.value).toBe(
      'dlx',
    );
  });

  it('catalogues every queue argument the model names', () => {
    expect(QUEUE_ARGUMENTS.map((s) => s.key)).toEqual([
      'x-message-ttl',
      'x-expires',
      'x-max-length',
      'x-max-length-bytes',
      'x-overflow',
      'x-dead-letter-exchange',
      'x-dead-letter-routing-key',
      'x-max-priority',
      'x-single-active-consumer',
      'x-queue-type',
    ]);
  });
});

describe('argument validation', () => {
  it('accepts a work queue with every argument set sensibly', () => {
    expect(
      issuesOf(
        work({
          'x-message-ttl': 60000,
          'x-expires': 3600000,
          'x-max-length': 100,
          'x-max-length-bytes': 1048576,
          'x-overflow': 'reject-publish-dlx',
          'x-dead-letter-routing-key': 'parked',
          'x-max-priority': 10,
          'x-single-active-consumer': true,
          'x-queue-type': 'classic',
          'x-custom': 'kept as is',
        }),
      ),
    ).toEqual([]);
  });

  it('names the argument at fault with a sentence', () => {
    const issues = issuesOf(
      work({ 'x-message-ttl': '5s', 'x-overflow': 'drop-tail', 'x-max-priority': 300 }),
    );
    expect(issues).toEqual([
      {
        path: '/queues/0/arguments/x-message-ttl',
        nodeId: 'q-work',
        message:
          "Queue 'work': Message TTL (ms) (x-message-ttl) must be a whole number (a number, not text).",
      },
      {
        path: '/queues/0/arguments/x-overflow',
        nodeId: 'q-work',
        message:
          "Queue 'work': Overflow (x-overflow) must be one of 'drop-head', 'reject-publish', 'reject-publish-dlx'.",
      },
      {
        path: '/queues/0/arguments/x-max-priority',
        nodeId: 'q-work',
        message: "Queue 'work': Max priority (x-max-priority) must be at most 255.",
      },
    ]);
  });

  it('refuses a dead-letter exchange that does not exist, but accepts the default exchange', () => {
    expect(issuesOf(work({ 'x-dead-letter-exchange': 'nowhere' }))).toEqual([
      {
        path: '/queues/0/arguments/x-dead-letter-exchange',
        nodeId: 'q-work',
        message:
          "Queue 'work': dead-letter exchange 'nowhere' does not exist in this diagram; add it or pick another.",
      },
    ]);
    expect(issuesOf(work({ 'x-dead-letter-exchange': '' }))).toEqual([]);
  });

  it('refuses a dead-letter routing key without a dead-letter exchange', () => {
    const t = work();
    t.queues[1] = queue('parking', { arguments: { 'x-dead-letter-routing-key': 'again' } });
    expect(issuesOf(t).map((i) => i.path)).toEqual([
      '/queues/1/arguments/x-dead-letter-routing-key',
    ]);
  });

  it('knows what quorum queues cannot do', () => {
    const t = work();
    t.queues[1] = queue('parking', {
      arguments: {
        'x-queue-type': 'quorum',
        'x-max-priority': 5,
        'x-overflow': 'reject-publish-dlx',
      },
      exclusive: true,
      durable: false,
    });
    expect(issuesOf(t).map((i) => i.path)).toEqual([
      '/queues/1/durable',
      '/queues/1/exclusive',
      '/queues/1/arguments/x-max-priority',
    ]);
  });

  it('checks alternate exchanges, x-match and consistent-hash weights', () => {
    const t = work();
    t.exchanges.push(
      exchange('h', 'headers', { arguments: { 'alternate-exchange': 'gone' } }),
      exchange('c', 'x-consistent-hash'),
    );
    t.bindings.push(
      binding('h', 'parking', '', { id: 'b-h', arguments: { 'x-match': 'some' } }),
      binding('c', 'parking', 'heavy', { id: 'b-c' }),
    );
    expect(issuesOf(t).map((i) => [i.path, i.nodeId])).toEqual([
      ['/exchanges/1/arguments/alternate-exchange', 'x-h'],
      ['/bindings/1/arguments/x-match', 'b-h'],
      ['/bindings/2/routingKey', 'b-c'],
    ]);
  });

  it('checks policies: pattern, empty definition, values and referenced exchanges', () => {
    const t = work({}, [
      policy('bad-pattern', '(', { 'message-ttl': 1 }),
      policy('empty', '.*', {}),
      policy('bad-values', '.*', {
        'message-ttl': -1,
        'dead-letter-exchange': 'gone',
        'ha-mode': 'all',
      }),
    ]);
    expect(issuesOf(t).map((i) => [i.path, i.nodeId])).toEqual([
      ['/policies/0/pattern', 'p-bad-pattern'],
      ['/policies/1/definition', 'p-empty'],
      ['/policies/2/definition/message-ttl', 'p-bad-values'],
      ['/policies/2/definition/dead-letter-exchange', 'p-bad-values'],
    ]);
  });

  it('refuses consumers of missing queues and producers of internal exchanges', () => {
    const t = work();
    t.exchanges[0] = { ...t.exchanges[0]!, internal: true };
    t.producers.push({
      id: 'pr',
      name: 'app',
      exchange: 'dlx',
      routingKey: '',
      payload: '',
      mandatory: false,
    });
    t.consumers = [{ id: 'c', name: 'worker', queue: 'nope', prefetch: 1, autoAck: false }];
    expect(issuesOf(t).map((i) => [i.path, i.nodeId])).toEqual([
      ['/producers/0/exchange', 'pr'],
      ['/consumers/0/queue', 'c'],
    ]);
  });

  it('accepts broker-assigned amq.gen names on server-named queues only', () => {
    const t = work();
    t.queues.push(queue('amq.gen-Xy1', { serverNamed: true, exclusive: true }));
    expect(issuesOf(t)).toEqual([]);
    t.queues.push(queue('amq.mine'));
    expect(issuesOf(t).map((i) => i.path)).toEqual(['/queues/3/name']);
  });
});
