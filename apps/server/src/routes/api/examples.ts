/**
 * Examples for the OpenAPI document at /docs: for every route, its path and query parameters, its
 * request body and, for the routes a script uses most, its reply. The replies were recorded from
 * a session of the topic lesson on a real broker; apps/server/test/routes/docs-coverage.test.ts
 * sends every example body to its route and fails when the route refuses it or lacks an example.
 */

/** What one route's example shows, by part. */
export interface RouteExample {
  params?: Record<string, string | number | boolean>;
  body?: unknown;
  /** The success reply, by status. */
  reply?: Record<number, unknown>;
}

const SESSION = 'k3v9q2xw';
const DIAGRAM = 'd7Hq2LmX9pRt';
const CLASSROOM = 'K7QP2M';
const classroom = { code: CLASSROOM };

/** "Where will order.create.critical go?", answered by 24 students. */
const QUESTION = {
  id: 'q1',
  message: { exchange: 'demo.topic', routingKey: 'order.create.critical' },
  askedAt: '2026-12-07T09:12:00.000Z',
  answers: 24,
  tally: [
    { queues: ['critical', 'order'], count: 15 },
    { queues: ['critical'], count: 6 },
    { queues: [], count: 3 },
  ],
  revealed: null,
};

const REVEALED = {
  ...QUESTION,
  tally: [
    { queues: ['critical', 'order'], count: 15, correct: true },
    { queues: ['critical'], count: 6, correct: false },
    { queues: [], count: 3, correct: false },
  ],
  revealed: {
    routedQueues: ['critical', 'order'],
    messageId: '7f0c2a4e-1b3d-4c5e-9f60-8a7b6c5d4e3f',
    at: '2026-12-07T09:13:10.000Z',
    correct: 15,
  },
};

const CLASSROOM_STATE = {
  code: CLASSROOM,
  sessionId: SESSION,
  followers: 24,
  mode: 'follow',
  lessonId: 'topic',
  viewport: { x: -120, y: 40, zoom: 1.25 },
  selection: ['x-demo-topic'],
  stepId: 'login',
  question: QUESTION,
};

/** The topic lesson's diagram: one topic exchange, three queues, one producer. */
export const EXAMPLE_TOPOLOGY = {
  version: 1,
  name: 'Topic routing',
  exchanges: [
    {
      id: 'x-demo-topic',
      name: 'demo.topic',
      type: 'topic',
      durable: true,
      autoDelete: false,
      internal: false,
    },
  ],
  queues: [
    {
      id: 'q-critical',
      name: 'critical',
      durable: true,
      exclusive: false,
      autoDelete: false,
    },
    {
      id: 'q-order',
      name: 'order',
      durable: true,
      exclusive: false,
      autoDelete: false,
    },
    {
      id: 'q-login',
      name: 'login',
      durable: true,
      exclusive: false,
      autoDelete: false,
    },
  ],
  bindings: [
    {
      id: 'b-demo-topic-critical-critical',
      source: 'demo.topic',
      destination: 'critical',
      destinationType: 'queue',
      routingKey: '#.critical',
    },
    {
      id: 'b-demo-topic-order-order',
      source: 'demo.topic',
      destination: 'order',
      destinationType: 'queue',
      routingKey: 'order.#',
    },
    {
      id: 'b-demo-topic-login-user-login',
      source: 'demo.topic',
      destination: 'login',
      destinationType: 'queue',
      routingKey: 'user.login.*',
    },
  ],
  producers: [
    {
      id: 'p-events',
      name: 'event source',
      exchange: 'demo.topic',
      routingKey: 'order.create.critical',
      payload: '{{routingKey}}',
      mandatory: false,
    },
  ],
};

const DEFINITIONS = {
  exchanges: [
    {
      name: 'orders',
      vhost: '/',
      type: 'topic',
      durable: true,
      auto_delete: false,
      internal: false,
      arguments: {},
    },
  ],
  queues: [{ name: 'order.created', vhost: '/', durable: true, auto_delete: false, arguments: {} }],
  bindings: [
    {
      source: 'orders',
      vhost: '/',
      destination: 'order.created',
      destination_type: 'queue',
      routing_key: 'order.created',
      arguments: {},
    },
  ],
};

const session = { id: SESSION };
const consumer = { id: SESSION, consumerId: 'c-worker' };
const producer = { id: SESSION, producerId: 'p-events' };

/** Examples by route, as `<method> <OpenAPI path>`. */
export const ROUTE_EXAMPLES: Record<string, RouteExample> = {
  'get /api/health': {
    reply: {
      200: {
        status: 'ok',
        amqp: {
          reachable: true,
          url: 'amqp://guest:***@127.0.0.1:5672',
        },
        management: {
          reachable: true,
          url: 'http://127.0.0.1:15672',
        },
      },
    },
  },
  'post /api/sessions': {
    body: { lessonId: 'topic' },
    reply: {
      201: {
        id: 'k3v9q2xw',
        vhost: 'warren-k3v9q2xw',
        createdAt: '2026-12-07T09:00:00.000Z',
        topology: {
          version: 1,
          name: 'Topic routing',
          exchanges: [
            {
              id: 'x-demo-topic',
              name: 'demo.topic',
              type: 'topic',
              durable: true,
              autoDelete: false,
              internal: false,
            },
          ],
          queues: [
            {
              id: 'q-critical',
              name: 'critical',
              durable: true,
              exclusive: false,
              autoDelete: false,
            },
            {
              id: 'q-order',
              name: 'order',
              durable: true,
              exclusive: false,
              autoDelete: false,
            },
            {
              id: 'q-login',
              name: 'login',
              durable: true,
              exclusive: false,
              autoDelete: false,
            },
          ],
          bindings: [
            {
              id: 'b-demo-topic-critical-critical',
              source: 'demo.topic',
              destination: 'critical',
              destinationType: 'queue',
              routingKey: '#.critical',
            },
            {
              id: 'b-demo-topic-order-order',
              source: 'demo.topic',
              destination: 'order',
              destinationType: 'queue',
              routingKey: 'order.#',
            },
            {
              id: 'b-demo-topic-login-user-login',
              source: 'demo.topic',
              destination: 'login',
              destinationType: 'queue',
              routingKey: 'user.login.*',
            },
          ],
          producers: [
            {
              id: 'p-events',
              name: 'event source',
              exchange: 'demo.topic',
              routingKey: 'order.create.critical',
              payload: '{{routingKey}}',
              mandatory: false,
            },
          ],
        },
        editToken: 'Zq8mV1c9xY2bT4nR7sK3pL6wE0aH5dJf',
        amqp: {
          url: 'amqp://warren-k3v9q2xw:Hp4sT8vQ2mW6yB1n@127.0.0.1:5672/warren-k3v9q2xw',
          host: '127.0.0.1',
          port: 5672,
          vhost: 'warren-k3v9q2xw',
          username: 'warren-k3v9q2xw',
          password: 'Hp4sT8vQ2mW6yB1n',
        },
        lessonId: 'topic',
      },
    },
  },
  'get /api/sessions/{id}': {
    params: session,
    reply: {
      200: {
        id: 'k3v9q2xw',
        vhost: 'warren-k3v9q2xw',
        createdAt: '2026-12-07T09:00:00.000Z',
        topology: {
          version: 1,
          name: 'Topic routing',
          exchanges: [
            {
              id: 'x-demo-topic',
              name: 'demo.topic',
              type: 'topic',
              durable: true,
              autoDelete: false,
              internal: false,
            },
          ],
          queues: [
            {
              id: 'q-critical',
              name: 'critical',
              durable: true,
              exclusive: false,
              autoDelete: false,
            },
            {
              id: 'q-order',
              name: 'order',
              durable: true,
              exclusive: false,
              autoDelete: false,
            },
            {
              id: 'q-login',
              name: 'login',
              durable: true,
              exclusive: false,
              autoDelete: false,
            },
          ],
          bindings: [
            {
              id: 'b-demo-topic-critical-critical',
              source: 'demo.topic',
              destination: 'critical',
              destinationType: 'queue',
              routingKey: '#.critical',
            },
            {
              id: 'b-demo-topic-order-order',
              source: 'demo.topic',
              destination: 'order',
              destinationType: 'queue',
              routingKey: 'order.#',
            },
            {
              id: 'b-demo-topic-login-user-login',
              source: 'demo.topic',
              destination: 'login',
              destinationType: 'queue',
              routingKey: 'user.login.*',
            },
          ],
          producers: [
            {
              id: 'p-events',
              name: 'event source',
              exchange: 'demo.topic',
              routingKey: 'order.create.critical',
              payload: '{{routingKey}}',
              mandatory: false,
            },
          ],
        },
        lessonId: 'topic',
      },
    },
  },
  'delete /api/sessions/{id}': { params: session },
  'get /api/sessions/{id}/connect': { params: session },
  'put /api/sessions/{id}/topology': {
    params: { ...session, recreate: false },
    body: EXAMPLE_TOPOLOGY,
  },
  'post /api/sessions/{id}/publish': {
    params: session,
    body: { exchange: 'demo.topic', routingKey: 'order.create.critical', payload: '{"id":1}' },
    reply: {
      200: {
        messageId: '7f0c2a4e-1b3d-4c5e-9f60-8a7b6c5d4e3f',
        exchange: 'demo.topic',
        routingKey: 'order.create.critical',
        routedQueues: ['critical', 'order'],
        confirmed: true,
      },
    },
  },
  'get /api/sessions/{id}/queues': {
    params: session,
    reply: {
      200: {
        queues: [
          {
            name: 'critical',
            messages: 1,
            consumers: 0,
            unacked: 0,
            publishRate: 0,
            deliverRate: 0,
            ackRate: 0,
          },
          {
            name: 'order',
            messages: 1,
            consumers: 0,
            unacked: 0,
            publishRate: 0,
            deliverRate: 0,
            ackRate: 0,
          },
          {
            name: 'login',
            messages: 0,
            consumers: 0,
            unacked: 0,
            publishRate: 0,
            deliverRate: 0,
            ackRate: 0,
          },
        ],
      },
    },
  },
  'get /api/sessions/{id}/counters': {
    params: session,
    reply: {
      200: {
        edges: {
          'b-demo-topic-critical-critical': 1,
          'b-demo-topic-order-order': 1,
        },
        exchanges: {
          'demo.topic': {
            published: 1,
            unroutable: 0,
          },
        },
      },
    },
  },
  'post /api/sessions/{id}/counters/reset': { params: session },
  'get /api/sessions/{id}/definitions': { params: session },
  'post /api/explain': {
    body: {
      topology: EXAMPLE_TOPOLOGY,
      message: { exchange: 'demo.topic', routingKey: 'order.paid' },
    },
    reply: {
      200: {
        message: {
          exchange: 'demo.topic',
          routingKey: 'order.paid',
        },
        hops: [
          {
            exchange: 'demo.topic',
            type: 'topic',
            via: {
              kind: 'publish',
            },
            bindings: [
              {
                bindingId: 'b-demo-topic-critical-critical',
                source: 'demo.topic',
                destination: 'critical',
                destinationType: 'queue',
                routingKey: '#.critical',
                matched: false,
                reason:
                  "'#.critical' does not match 'order.paid': '#' takes 'order', but 'critical' ≠ 'paid'",
                topic: [
                  {
                    pattern: '#',
                    words: ['order'],
                    ok: true,
                  },
                  {
                    pattern: 'critical',
                    words: ['paid'],
                    ok: false,
                  },
                ],
              },
              {
                bindingId: 'b-demo-topic-order-order',
                source: 'demo.topic',
                destination: 'order',
                destinationType: 'queue',
                routingKey: 'order.#',
                matched: true,
                reason: "'order.#' matches 'order.paid': 'order' = 'order', '#' takes 'paid'",
                topic: [
                  {
                    pattern: 'order',
                    words: ['order'],
                    ok: true,
                  },
                  {
                    pattern: '#',
                    words: ['paid'],
                    ok: true,
                  },
                ],
              },
              {
                bindingId: 'b-demo-topic-login-user-login',
                source: 'demo.topic',
                destination: 'login',
                destinationType: 'queue',
                routingKey: 'user.login.*',
                matched: false,
                reason: "'user.login.*' does not match 'order.paid': 'user' ≠ 'order'",
                topic: [
                  {
                    pattern: 'user',
                    words: ['order'],
                    ok: false,
                  },
                ],
              },
            ],
            notes: [],
          },
        ],
        queues: ['order'],
        hashChoices: [],
        unroutable: false,
        returned: false,
        fates: [
          {
            queue: 'order',
            path: ['demo.topic'],
            later: [
              {
                kind: 'rejected',
                reason: 'rejected',
                text: "If a consumer rejects it without requeueing (basic.reject, or basic.nack with requeue=false), it is dropped: 'order' has no dead-letter exchange.",
              },
            ],
            queueId: 'q-order',
          },
        ],
        summary:
          "The message goes to 'demo.topic' with routing key 'order.paid'. At topic exchange 'demo.topic' it goes to queue 'order' (pattern 'order.#'); 2 other bindings do not match. It ends up in queue 'order'.",
      },
    },
  },
  'post /api/definitions/import': { body: { definitions: DEFINITIONS } },
  'post /api/definitions/export': { body: { topology: EXAMPLE_TOPOLOGY } },
  'post /api/code': { body: { topology: EXAMPLE_TOPOLOGY, format: 'amqplib' } },
  'get /api/sessions/{id}/code/{format}': { params: { ...session, format: 'pika' } },
  'post /api/sessions/{id}/queues/{queue}/purge': { params: { ...session, queue: 'order' } },
  'post /api/sessions/{id}/faults/close-connection': {
    params: session,
    body: { consumerId: 'c-worker' },
  },
  'post /api/sessions/{id}/faults/delete': {
    params: session,
    body: { kind: 'queue', name: 'order' },
  },
  'get /api/sessions/{id}/outside': { params: session },
  'get /api/sessions/{id}/consumers': { params: session },
  'post /api/sessions/{id}/consumers/{consumerId}/start': { params: consumer },
  'post /api/sessions/{id}/consumers/{consumerId}/pause': { params: consumer },
  'post /api/sessions/{id}/consumers/{consumerId}/resume': { params: consumer },
  'post /api/sessions/{id}/consumers/{consumerId}/kill': { params: consumer },
  'get /api/sessions/{id}/producers': { params: session },
  'post /api/sessions/{id}/producers/{producerId}/start': { params: producer },
  'post /api/sessions/{id}/producers/{producerId}/stop': { params: producer },
  'post /api/sessions/{id}/producers/{producerId}/send': { params: producer, body: { count: 10 } },
  'get /api/sessions/{id}/producers/{producerId}/outbox': { params: producer },
  'post /api/diagrams': { body: { name: 'Topic routing', document: EXAMPLE_TOPOLOGY } },
  'get /api/diagrams/{id}': { params: { id: DIAGRAM } },
  'put /api/diagrams/{id}': {
    params: { id: DIAGRAM },
    body: { name: 'Topic routing', document: EXAMPLE_TOPOLOGY, baseRevision: 1 },
  },
  'delete /api/diagrams/{id}': { params: { id: DIAGRAM } },
  'get /api/diagrams/{id}/revisions': { params: { id: DIAGRAM } },
  'get /api/diagrams/{id}/revisions/{revision}': { params: { id: DIAGRAM, revision: 2 } },
  'post /api/diagrams/{id}/fork': {
    params: { id: DIAGRAM, revision: 2 },
    body: { name: 'Topic routing, my copy' },
  },
  'post /api/diagrams/{id}/edit-token': { params: { id: DIAGRAM } },
  'get /api/diagrams/{id}/image.svg': { params: { id: DIAGRAM, revision: 2, theme: 'dark' } },
  'get /schemas/topology-v1.json': {
    reply: { 200: { $id: 'https://warren.dev/schemas/topology-v1.json' } },
  },
  'get /api/lessons': {
    reply: {
      200: {
        lessons: [
          {
            id: 'topic',
            number: 7,
            title: 'Topic routing',
            summary:
              'Topic bindings match dotted keys with * (one word) and # (any number of words).',
          },
        ],
      },
    },
  },
  'get /api/lessons/{id}': { params: { id: 'topic' } },
  'get /api/lessons/{id}/image.svg': { params: { id: 'topic', theme: 'light' } },
  'get /api/sessions/{id}/lesson': {
    params: session,
    reply: {
      200: {
        lessonId: 'topic',
        steps: [
          {
            id: 'critical-order',
            title: 'Two matches',
            done: true,
          },
          {
            id: 'login',
            title: 'One word for *',
            done: false,
          },
          {
            id: 'nowhere',
            title: 'No match',
            done: false,
          },
        ],
      },
    },
  },
  'post /api/sessions/{id}/lesson/steps/{stepId}/run': {
    params: { ...session, stepId: 'login' },
    reply: {
      200: {
        lessonId: 'topic',
        steps: [
          {
            id: 'critical-order',
            title: 'Two matches',
            done: true,
          },
          {
            id: 'login',
            title: 'One word for *',
            done: true,
          },
          {
            id: 'nowhere',
            title: 'No match',
            done: false,
          },
        ],
        stepId: 'login',
        did: 'published 1 message',
      },
    },
  },
  'post /api/sessions/{id}/classroom': {
    params: session,
    reply: { 201: { code: CLASSROOM, joinUrl: `http://localhost:8080/join/${CLASSROOM}` } },
  },
  'get /api/classrooms/{code}': {
    params: classroom,
    reply: {
      200: {
        code: CLASSROOM,
        sessionId: SESSION,
        followers: 24,
        mode: 'follow',
        lessonId: 'topic',
      },
    },
  },
  'get /api/classrooms/{code}/state': {
    params: classroom,
    reply: { 200: CLASSROOM_STATE },
  },
  'delete /api/classrooms/{code}': { params: classroom },
  'put /api/classrooms/{code}/view': {
    params: classroom,
    body: {
      viewport: { x: -120, y: 40, zoom: 1.25 },
      selection: ['x-demo-topic'],
      stepId: 'login',
    },
  },
  'post /api/classrooms/{code}/mode': {
    params: classroom,
    body: { mode: 'try' },
    reply: { 200: { ...CLASSROOM_STATE, mode: 'try' } },
  },
  'post /api/classrooms/{code}/forks': {
    params: classroom,
    body: { followerId: 'f-5c1e9a7b2d' },
    reply: { 201: { sessionId: 'p4t8m2zq', editToken: 'e1Wq8Zr0xY3vB6nK9sD2fH5j' } },
  },
  'post /api/classrooms/{code}/questions': {
    params: classroom,
    body: { message: QUESTION.message },
    reply: { 201: { ...QUESTION, answers: 0, tally: [] } },
  },
  'post /api/classrooms/{code}/questions/{qid}/answers': {
    params: { ...classroom, qid: QUESTION.id },
    body: { queues: ['critical', 'order'], followerId: 'f-5c1e9a7b2d' },
    reply: { 200: QUESTION },
  },
  'post /api/classrooms/{code}/questions/{qid}/reveal': {
    params: { ...classroom, qid: QUESTION.id },
    reply: { 200: REVEALED },
  },
};

interface Operation {
  parameters?: { name: string; in: string; example?: unknown }[];
  requestBody?: { content?: Record<string, { example?: unknown }> };
  responses?: Record<string, { content?: Record<string, { example?: unknown }> }>;
}

/**
 * Puts each route's examples into the OpenAPI document (@fastify/swagger's `transformObject`):
 * on its parameters, its request body and its success replies.
 */
export function withExamples<T extends { paths?: object }>(document: T): T {
  const paths = (document.paths ?? {}) as Record<string, Record<string, Operation>>;
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const example = ROUTE_EXAMPLES[`${method} ${path}`];
      if (!example) continue;
      for (const parameter of operation.parameters ?? []) {
        const value = example.params?.[parameter.name];
        if (value !== undefined) parameter.example = value;
      }
      if (example.body !== undefined) {
        for (const media of Object.values(operation.requestBody?.content ?? {})) {
          media.example = example.body;
        }
      }
      for (const [status, value] of Object.entries(example.reply ?? {})) {
        for (const media of Object.values(operation.responses?.[status]?.content ?? {})) {
          media.example = value;
        }
      }
    }
  }
  return document;
}
