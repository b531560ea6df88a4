import Value from 'typebox/value';
import type { TSchema } from 'typebox';
import { describe, expect, it } from 'vitest';
import { emptyTopology } from '@warren/topology';
import { ErrorBodySchema, errorBody } from './errors';
import {
  WarrenEventSchema,
  type ConsumerStateEvent,
  type ProducerStateEvent,
  type WarrenEvent,
} from './events';
import { ClientFrameSchema, ServerFrameSchema, type ServerFrame } from './frames';
import {
  ApplyTopologyResponseSchema,
  CloseConnectionRequestSchema,
  ConsumerStateSchema,
  CreateSessionRequestSchema,
  CreateSessionResponseSchema,
  DeleteOnBrokerRequestSchema,
  ExplainRequestSchema,
  GenerateCodeRequestSchema,
  HealthResponseSchema,
  ImportDefinitionsResponseSchema,
  OutsideResponseSchema,
  ProducerOutboxResponseSchema,
  ProducerSendRequestSchema,
  ProducerSendResponseSchema,
  ProducerStateSchema,
  PublishRequestSchema,
  PublishResponseSchema,
  type ConsumerState,
  type ProducerState,
} from './http';

const at = { seq: 7, at: 1_700_000_000_000 };
const topology = emptyTopology();
const producer: ProducerState = {
  producerId: 'p1',
  status: 'running',
  running: true,
  sent: 12,
  confirmed: 11,
  nacked: 0,
  returned: 1,
  connected: true,
  mode: 'confirms',
  ratePerSecond: 5,
  outbox: { sending: 1, confirmed: 11, failed: 0 },
};
const consumer: ConsumerState = {
  consumerId: 'c1',
  name: 'worker',
  queue: 'orders',
  status: 'running',
  received: 3,
  acked: 2,
  nacked: 0,
  rejected: 0,
  requeued: 0,
  duplicates: 0,
  replied: 0,
  inFlight: 1,
};
const { name: _name, queue: _queue, ...consumerReport } = consumer;
const producerEvent: ProducerStateEvent = {
  ...at,
  type: 'producer-state',
  producerId: 'p1',
  running: false,
  sent: 1,
  confirmed: 1,
  nacked: 0,
  returned: 0,
};
const consumerEvent: ConsumerStateEvent = { ...at, type: 'consumer-state', ...consumerReport };

/** One of each event type, as the server emits them. */
const events: WarrenEvent[] = [
  { ...at, type: 'acked', method: 'basic.ack', messageId: 'm1', queue: 'orders', consumerId: 'c1' },
  {
    ...at,
    type: 'requeued',
    method: 'basic.nack',
    messageId: null,
    queue: 'orders',
    consumerId: 'c1',
    attempt: 2,
    reason: 'failed (30% failure rate)',
  },
  {
    ...at,
    type: 'retrying',
    messageId: 'm1',
    queue: 'orders',
    consumerId: 'c1',
    attempt: 1,
    delayMs: 500,
  },
  { ...at, type: 'duplicate', messageId: 'm1', queue: 'orders', consumerId: 'c1' },
  {
    ...at,
    type: 'dead-lettered',
    messageId: 'm1',
    queue: 'orders',
    reason: 'expired',
    exchange: 'dlx',
    routingKey: 'orders',
    count: 1,
    inferred: false,
  },
  { ...at, type: 'dropped', queue: 'orders', count: 3, inferred: true },
  producerEvent,
  consumerEvent,
  {
    ...at,
    type: 'outside-client',
    client: { id: 'conn', role: 'both', queues: ['q'], exchanges: ['x'], label: 'pika' },
    gone: false,
  },
  {
    ...at,
    type: 'outside-change',
    change: 'created',
    kind: 'queue',
    name: 'q',
    source: 'event-exchange',
  },
  {
    ...at,
    type: 'routed',
    messageId: 'm1',
    exchange: 'orders',
    routingKey: 'eu',
    routedQueues: ['orders-eu'],
    producerId: 'p1',
    outside: false,
    messageKey: 'k1-1',
    properties: {
      correlationId: 'c1',
      headers: { a: 'b' },
      xDeath: [
        {
          queue: 'work',
          reason: 'rejected',
          count: 1,
          exchange: 'orders',
          routingKeys: ['work'],
          time: 1700000000,
        },
      ],
    },
    payload: { size: 5, base64: 'aGVsbG8=' },
  },
  {
    ...at,
    type: 'returned',
    messageId: null,
    exchange: 'orders',
    routingKey: 'nowhere',
    replyCode: 312,
    replyText: 'NO_ROUTE',
  },
  { ...at, type: 'nacked', messageId: 'm2', producerId: 'p1' },
  {
    ...at,
    type: 'delivered',
    messageId: 'm1',
    queue: 'orders-eu',
    redelivered: false,
    messageKey: 'k1-1',
  },
  { ...at, type: 'queue-stats', queues: [{ name: 'orders', messages: 4, consumers: 1 }] },
  {
    ...at,
    type: 'counters',
    edges: { e1: 3 },
    exchanges: { orders: { published: 3, unroutable: 0 } },
  },
  {
    ...at,
    type: 'node-error',
    errors: [{ nodeId: 'q1', path: '/queues/0', code: 'PRECONDITION_FAILED', message: 'No.' }],
  },
  { ...at, type: 'broker-status', status: { amqp: true, management: false, hint: 'Enable it.' } },
  { ...at, type: 'broker-restart', phase: 'back', tookMs: 4200 },
  { ...at, type: 'topology', topology, outsideNames: ['queue:orders'] },
];

function expectValid(schema: TSchema, value: unknown): void {
  expect([...Value.Errors(schema, value)]).toEqual([]);
}

describe('event schemas', () => {
  it('take one sample of every event type', () => {
    const types = new Set(events.map((e) => e.type));
    expect(types.size).toBe(events.length);
    for (const event of events) expectValid(WarrenEventSchema, event);
  });

  it('tell events apart by their literal type', () => {
    expect(Value.Check(WarrenEventSchema, { ...producerEvent, type: 'producer-stats' })).toBe(
      false,
    );
    expect(Value.Check(WarrenEventSchema, { ...consumerEvent, status: 'sleeping' })).toBe(false);
    const { seq: _seq, ...withoutSeq } = producerEvent;
    expect(Value.Check(WarrenEventSchema, withoutSeq)).toBe(false);
  });

  it('carry the frames of the websocket', () => {
    const frames: ServerFrame[] = [
      {
        type: 'hello',
        sessionId: 's1',
        seq: 0,
        topology,
        queues: [],
        broker: { amqp: true, management: true },
        counters: { edges: {}, exchanges: {} },
      },
      { type: 'events', events, dropped: 0, replaced: 2 },
      { type: 'pong', id: '1' },
      { type: 'error', code: 'BAD_FRAME', message: 'Frames must be JSON.' },
    ];
    for (const frame of frames) expectValid(ServerFrameSchema, frame);
    expect(Value.Check(ServerFrameSchema, { type: 'error', code: 'OOPS', message: '' })).toBe(
      false,
    );
    expectValid(ClientFrameSchema, { type: 'ping', id: '42' });
    expect(Value.Check(ClientFrameSchema, { type: 'ping' })).toBe(false);
  });
});

describe('HTTP schemas', () => {
  it('accept the bodies a client sends', () => {
    expectValid(CreateSessionRequestSchema, { topology });
    expectValid(PublishRequestSchema, {
      exchange: '',
      routingKey: 'orders',
      payload: '{}',
      headers: { region: 'eu', priority: 3, urgent: true, none: null },
      mandatory: true,
    });
    expectValid(ExplainRequestSchema, { message: { exchange: 'orders' }, topology });
    expectValid(GenerateCodeRequestSchema, { topology, format: 'pika', options: { vhost: '/' } });
    expectValid(ProducerSendRequestSchema, { count: 10 });
    expectValid(CloseConnectionRequestSchema, { consumerId: 'c1' });
    expectValid(DeleteOnBrokerRequestSchema, { kind: 'queue', name: 'orders' });
  });

  it('refuse what the routes refuse', () => {
    expect(Value.Check(PublishRequestSchema, { exchange: 'x', colour: 'red' })).toBe(false);
    expect(Value.Check(PublishRequestSchema, { exchange: 'x', headers: { a: [1] } })).toBe(false);
    expect(Value.Check(ProducerSendRequestSchema, { count: 0 })).toBe(false);
    expect(Value.Check(CloseConnectionRequestSchema, { producerId: '' })).toBe(false);
    expect(Value.Check(DeleteOnBrokerRequestSchema, { kind: 'binding', name: 'b' })).toBe(false);
    expect(Value.Check(GenerateCodeRequestSchema, { topology, format: 'cobol' })).toBe(false);
  });

  it('describe the replies the server sends', () => {
    const amqp = {
      url: 'amqp://u:p@localhost:5672/v',
      host: 'localhost',
      port: 5672,
      vhost: 'v',
      username: 'u',
      password: 'p',
    };
    expectValid(CreateSessionResponseSchema, {
      id: 's1',
      vhost: 'v',
      createdAt: new Date(0).toISOString(),
      topology,
      editToken: 't',
      amqp,
      nodeErrors: [{ nodeId: 'x1', path: '/exchanges/0', code: 'ACCESS_REFUSED', message: 'No.' }],
    });
    expectValid(ApplyTopologyResponseSchema, {
      topology,
      nodeErrors: [],
      changes: { declared: ['queue:orders'], deleted: [] },
      brokerNames: { replies: 'amq.gen-1' },
    });
    const published = {
      messageId: 'm1',
      exchange: 'orders',
      routingKey: 'eu',
      routedQueues: [],
      returned: { replyCode: 312, replyText: 'NO_ROUTE' },
      confirmed: true,
    };
    expectValid(PublishResponseSchema, published);
    expectValid(ProducerStateSchema, producer);
    expectValid(ProducerSendResponseSchema, {
      producerId: 'p1',
      results: [{ ...published, error: 'channel closed' }],
      producer,
    });
    expectValid(ProducerOutboxResponseSchema, {
      producerId: 'p1',
      reliable: true,
      counts: { sending: 0, confirmed: 1, failed: 0 },
      entries: [{ messageId: 'm1', status: 'confirmed', attempts: 1, updatedAt: 'now' }],
    });
    expectValid(ConsumerStateSchema, consumer);
    expectValid(OutsideResponseSchema, { clients: [], objects: [], outsideNames: [] });
    expectValid(ImportDefinitionsResponseSchema, { topology, vhost: null, notImported: [] });
    expectValid(HealthResponseSchema, {
      status: 'degraded',
      amqp: { reachable: true, url: 'amqp://localhost' },
      management: { reachable: false, url: 'http://localhost:15672', error: 'refused' },
      brokerRestart: false,
      hint: 'Enable the management plugin.',
    });
    expectValid(
      ErrorBodySchema,
      errorBody('INVALID_TOPOLOGY', undefined, {
        details: [{ path: '/queues/0/name', message: 'A queue needs a name.' }],
      }),
    );
    expect(Value.Check(ErrorBodySchema, { error: { code: 'NOPE', message: '' } })).toBe(false);
  });
});
