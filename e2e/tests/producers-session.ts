import { expect, type Locator, type Page } from '@playwright/test';
import type { CreateSessionResponse } from '@warren/protocol';
import type { Producer, Topology } from '@warren/topology';

/**
 * A session made through the scripting API (its reply carries the edit token and the AMQP
 * details an outside client needs), opened in the page as the browser that made it.
 */
export async function openSession(page: Page, topology: Topology): Promise<CreateSessionResponse> {
  // A server started a moment ago may not have reached the broker yet.
  await expect
    .poll(
      async () => {
        const health = (await (await page.request.get('/api/health')).json()) as {
          amqp?: { reachable?: boolean };
        };
        return health.amqp?.reachable;
      },
      { timeout: 20_000 },
    )
    .toBe(true);
  const reply = await page.request.post('/api/sessions', { data: { topology } });
  expect(reply.status()).toBe(201);
  const session = (await reply.json()) as CreateSessionResponse;
  // The app keeps a session's edit token in localStorage under its id.
  await page.addInitScript(
    ([id, editToken]) => {
      localStorage.setItem(`warren.session.${id}`, JSON.stringify({ id, editToken }));
    },
    [session.id, session.editToken] as const,
  );
  await page.goto(`/?session=${encodeURIComponent(session.id)}`);
  await expect(page.getByTestId('session-id')).toHaveText(session.id);
  await expect(page.getByTestId('server-banner')).toBeHidden();
  return session;
}

export async function closeSession(page: Page, session: CreateSessionResponse): Promise<void> {
  await page.request.delete(`/api/sessions/${encodeURIComponent(session.id)}`, {
    headers: { authorization: `Bearer ${session.editToken}` },
  });
}

/** POST with the session's edit token; fails the test on a refusal. */
export async function post(
  page: Page,
  session: CreateSessionResponse,
  path: string,
  data: unknown = {},
): Promise<unknown> {
  const reply = await page.request.post(`/api/sessions/${encodeURIComponent(session.id)}${path}`, {
    data,
    headers: { authorization: `Bearer ${session.editToken}` },
  });
  expect(reply.ok(), `${path}: ${await reply.text()}`).toBe(true);
  return reply.json();
}

/** `orders` (direct) → `order.q` on key `new`, and a producer `shop` publishing `new` to it. */
export function ordersTopology(producer: Partial<Producer> = {}): Topology {
  return {
    version: 1,
    exchanges: [
      {
        id: 'x-orders',
        name: 'orders',
        type: 'direct',
        durable: true,
        autoDelete: false,
        internal: false,
        position: { x: 380, y: 140 },
      },
    ],
    queues: [
      {
        id: 'q-orders',
        name: 'order.q',
        durable: true,
        exclusive: false,
        autoDelete: false,
        position: { x: 700, y: 120 },
      },
    ],
    bindings: [
      {
        id: 'b-orders',
        source: 'orders',
        destination: 'order.q',
        destinationType: 'queue',
        routingKey: 'new',
      },
    ],
    producers: [
      {
        id: 'p-shop',
        name: 'shop',
        exchange: 'orders',
        routingKey: 'new',
        payload: '{"order": {{n}}}',
        mandatory: false,
        position: { x: 40, y: 60 },
        ...producer,
      },
    ],
  };
}

/** Selects a node by its header (its inputs would take the click), so the inspector shows it. */
export async function select(page: Page, testId: string): Promise<void> {
  await page.getByTestId(testId).locator('.node__header').click();
  await expect(page.getByTestId(testId)).toHaveClass(/is-selected/);
}

/** The inspector beside the canvas. */
export function inspector(page: Page): Locator {
  return page.getByRole('complementary', { name: 'Inspector' });
}

/** The inspector's Send button: `Send message`, or `Send 5 messages` with a count. */
export function sendButton(page: Page): Locator {
  return inspector(page).getByRole('button', { name: /^Send (message|\d+ messages)$/ });
}
