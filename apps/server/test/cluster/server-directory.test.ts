import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEAD_AFTER_MS,
  FORGET_AFTER_MS,
  ServerDirectory,
} from '../../src/cluster/server-directory';
import { StoreSessionLocator } from '../../src/cluster/session-locator';
import type { SessionRegistry } from '../../src/session/session-registry';
import { openDatabase, type Database } from '../../src/store/database';
import { ServerStore } from '../../src/store/server-store';
import { STORE_KINDS, testStore, type TestStore } from '../diagrams/stores';

const quiet = { warn: () => {} };
/** A registry that runs `local` only. */
const registry = (...local: string[]) =>
  ({ get: (id: string) => (local.includes(id) ? {} : undefined) }) as unknown as SessionRegistry;

describe.each(STORE_KINDS)('the server directory on %s', (kind) => {
  let store: TestStore;
  let database: Database;
  let servers: ServerStore;

  beforeAll(async () => {
    store = await testStore(kind);
    database = await openDatabase({
      dataDir: store.env.WARREN_DATA_DIR ?? '',
      ...(store.env.DATABASE_URL ? { databaseUrl: store.env.DATABASE_URL } : {}),
    });
    servers = new ServerStore(database.db);
  });
  afterAll(async () => {
    await database?.close();
    await store?.drop();
  });

  it('lists the servers that beat lately, with their url, and forgets one that stops', async () => {
    const one = new ServerDirectory('one', servers, quiet);
    const two = new ServerDirectory('two', servers, quiet);
    await one.start('http://one:8080');
    await two.start('http://two:8080');
    expect((await servers.seenSince(new Date(Date.now() - 5000))).map((s) => s.id).sort()).toEqual([
      'one',
      'two',
    ]);
    // Beating again moves the row, it does not add one.
    await one.start('http://one:9090');
    expect(await servers.get('one')).toMatchObject({ url: 'http://one:9090' });
    expect(await two.isKnownPeer('one', one.peerToken)).toBe(true);
    expect(await two.isKnownPeer('one', two.peerToken)).toBe(false);
    await two.stop();
    expect(await servers.get('two')).toBeUndefined();
    await one.stop();
  });

  it('locates a session here, on a live server, on a dead one, or nowhere', async () => {
    const now = new Date();
    await servers.beat({ id: 'alive', url: 'http://alive:1', peerTokenHash: 'x' }, now, now);
    const old = new Date(now.getTime() - DEAD_AFTER_MS - 1000);
    await servers.beat({ id: 'dead', url: 'http://dead:1', peerTokenHash: 'x' }, old, old);
    await servers.setOwner('s-alive', 'alive', now);
    await servers.setOwner('s-dead', 'dead', now);
    await servers.setOwner('s-mine', 'me', now);
    const locator = new StoreSessionLocator(registry('s-here'), servers, 'me');
    expect(await locator.where('s-here')).toBe('here');
    expect(await locator.where('s-alive')).toEqual({
      serverId: 'alive',
      url: 'http://alive:1',
      alive: true,
    });
    expect(await locator.where('s-dead')).toMatchObject({ serverId: 'dead', alive: false });
    // Ours by the store but not running here: gone with an earlier run.
    expect(await locator.where('s-mine')).toBeUndefined();
    expect(await locator.where('s-unknown')).toBeUndefined();
    await servers.dropOwner('s-alive', 'someone else');
    expect(await servers.ownerOf('s-alive')).toBe('alive');
    await servers.dropOwner('s-alive', 'alive');
    expect(await locator.where('s-alive')).toBeUndefined();
  });

  it('forgets servers silent for an hour, and the sessions they ran', async () => {
    const now = new Date();
    const longAgo = new Date(now.getTime() - FORGET_AFTER_MS - 1000);
    await servers.beat({ id: 'gone', url: 'http://gone:1', peerTokenHash: 'x' }, longAgo, longAgo);
    await servers.beat({ id: 'here', url: 'http://here:1', peerTokenHash: 'x' }, now, now);
    await servers.setOwner('s-gone', 'gone', longAgo);
    await servers.setOwner('s-here', 'here', now);
    // A server that starts looks for such servers at its first beat.
    const directory = new ServerDirectory('starting', servers, quiet);
    await directory.start('http://starting:1');
    expect(await servers.get('gone')).toBeUndefined();
    expect(await servers.ownerOf('s-gone')).toBeUndefined();
    expect(await servers.get('here')).toMatchObject({ url: 'http://here:1' });
    expect(await servers.ownerOf('s-here')).toBe('here');
    await directory.stop();
  });
});
