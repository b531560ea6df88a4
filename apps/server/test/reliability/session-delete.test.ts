import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { ManagementError, type ManagementClient } from '../../src/broker/management';
import { appPerFile, auth, createSession, management, topicTopology, until } from '../helpers';

let app: FastifyInstance;
appPerFile((a) => (app = a));

/** The registry's own management client, whose deletions the test makes fail. */
const clientOf = (a: FastifyInstance) =>
  (a.sessions as unknown as { management: ManagementClient }).management;

describe('deleting a session', () => {
  it('keeps trying until the vhost and the user are really gone', async () => {
    const session = await createSession(app, { topology: topicTopology() });
    const client = clientOf(app);
    const deleteVhost = client.deleteVhost.bind(client);
    let failures = 0;
    // The first two attempts fail as a deletion that outlasts the API's timeout does.
    client.deleteVhost = async (name: string) => {
      if (name === session.vhost && failures < 2) {
        failures += 1;
        throw new ManagementError(
          0,
          'management API unreachable: The operation was aborted due to timeout',
        );
      }
      return deleteVhost(name);
    };
    try {
      const deleted = await app.inject({
        method: 'DELETE',
        url: `/api/sessions/${session.id}`,
        headers: auth(session),
      });
      expect(deleted.statusCode).toBe(204);
      expect(app.sessions.pendingRemovals).toContain(session.vhost);
      const m = management();
      await until(
        async () => {
          const vhosts = await m.listVhosts();
          const users = await m.listUsers();
          return (
            !vhosts.some((v) => v.name === session.vhost) &&
            !users.some((u) => u.name === session.amqp.username)
          );
        },
        15_000,
        'the vhost and the user to be gone',
      );
      expect(failures).toBe(2);
      expect(app.sessions.pendingRemovals).not.toContain(session.vhost);
    } finally {
      client.deleteVhost = deleteVhost;
    }
  }, 30_000);
});
