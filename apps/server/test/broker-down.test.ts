import { afterEach, describe, expect, it } from 'vitest';
import type { ErrorBody, HealthResponse } from '@warren/protocol';
import { brokerDoor, type BrokerDoor } from './broker-door';
import { buildTestApp, until } from './helpers';

const doors: BrokerDoor[] = [];
afterEach(async () => {
  await Promise.all(doors.map((d) => d.close()));
});

describe('broker unreachable', () => {
  it('starts anyway, says so, refuses sessions with a hint, and recovers when the broker appears', async () => {
    const amqpDoor = await brokerDoor(5672);
    const managementDoor = await brokerDoor(15672);
    doors.push(amqpDoor, managementDoor);
    const app = await buildTestApp({
      AMQP_URL: `amqp://guest:guest@127.0.0.1:${amqpDoor.port}`,
      MANAGEMENT_URL: `http://127.0.0.1:${managementDoor.port}`,
    });
    try {
      const down = await app.inject('/api/health');
      expect(down.statusCode).toBe(200);
      expect(down.json<HealthResponse>()).toMatchObject({
        status: 'degraded',
        amqp: { reachable: false },
      });
      expect(down.json<HealthResponse>().hint).toMatch(/rabbitmq-server|docker compose/);

      const refused = await app.inject({ method: 'POST', url: '/api/sessions', payload: {} });
      expect(refused.statusCode).toBe(503);
      expect(refused.json<ErrorBody>().error.code).toBe('BROKER_UNAVAILABLE');

      await amqpDoor.open();
      await managementDoor.open();
      await until(
        async () => (await app.inject('/api/health')).json<HealthResponse>().status === 'ok',
        15_000,
        'recovery',
      );
      const created = await app.inject({ method: 'POST', url: '/api/sessions', payload: {} });
      expect(created.statusCode).toBe(201);
    } finally {
      await app.close();
    }
  });

  it('refuses a bad configuration value with a clear message', async () => {
    await expect(buildTestApp({ PORT: 'eighty' })).rejects.toThrow(/PORT="eighty" is not valid/);
  });
});
