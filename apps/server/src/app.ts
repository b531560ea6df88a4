import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, {
  type FastifyInstance,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import { errorBody } from '@warren/protocol';
import { BrokerMonitor } from './broker/broker-monitor';
import { BrokerRestart } from './broker/broker-restart';
import { ManagementClient } from './broker/management';
import { TopicBus } from './broker/topic-bus';
import { FORWARDED_BY, PEER_TOKEN } from './cluster/session-keys';
import { HttpOwnerClient } from './cluster/owner-client';
import { RemoteSessions } from './cluster/remote-sessions';
import { ServerDirectory } from './cluster/server-directory';
import { SessionFanout } from './cluster/session-fanout';
import { StoreSessionLocator, type SessionLocator } from './cluster/session-locator';
import type { Config } from './config';
import { registerErrorHandler } from './errors/error-handler';
import { classroomRoutes } from './routes/api/classrooms';
import { codeRoutes } from './routes/api/code';
import { consumerRoutes } from './routes/api/consumers';
import { producerRoutes } from './routes/api/producers';
import { registerForwarding } from './routes/guards/forward-to-owner';
import { registerHttpHardening } from './routes/guards/http-hardening';
import { registerRateLimits } from './routes/guards/rate-limits';
import { definitionsRoutes } from './routes/api/definitions';
import { diagramImageRoutes, diagramRoutes } from './routes/api/diagrams';
import { eventRoutes } from './routes/api/events';
import { withExamples } from './routes/api/examples';
import { explainRoutes } from './routes/api/explain';
import { faultRoutes } from './routes/api/faults';
import { healthRoutes } from './routes/api/health';
import { internalRoutes } from './routes/api/internal';
import { lessonRoutes } from './routes/api/lessons';
import { outsideRoutes } from './routes/api/outside';
import { sessionRoutes } from './routes/api/sessions';
import { SessionRegistry } from './session/session-registry';
import { openDatabase } from './store/database';
import { ClassroomStore } from './store/classroom-store';
import { DiagramStore } from './store/diagram-store';
import { SessionStore } from './store/session-store';
import { ServerStore } from './store/server-store';
import { Classrooms } from './teaching/classroom-hub';
import { LessonCatalogue } from './teaching/lesson-catalogue';
import { BrokerRestarts } from './teaching/broker-restarts';
import { LessonRuns } from './teaching/lesson-runs';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    broker: BrokerMonitor;
    sessions: SessionRegistry;
    diagrams: DiagramStore;
    lessons: LessonCatalogue;
    lessonRuns: LessonRuns;
    classrooms: Classrooms;
    cluster: Cluster;
  }
}

/** This server among the others sharing its store and broker. */
export interface Cluster {
  directory: ServerDirectory;
  locator: SessionLocator;
  /** Sessions of this server viewed on others. */
  fanout: SessionFanout;
  /** Sessions of other servers viewed on this one. */
  remote: RemoteSessions;
}

/** The topic exchange, on Warren's own vhost, through which classrooms reach every server. */
export const CLASSROOM_EXCHANGE = 'warren.classrooms';

/** A route as it was registered, for checks that every route is documented. */
export interface RegisteredRoute {
  method: string;
  url: string;
  schema: Record<string, unknown> | undefined;
  websocket: boolean;
}
const registered = new WeakMap<FastifyInstance, RegisteredRoute[]>();

/** Every route the app registered (its own, its plugins', the automatic HEAD routes). */
export function registeredRoutes(app: FastifyInstance): readonly RegisteredRoute[] {
  return registered.get(app) ?? [];
}

/** Largest websocket frame a client may send; clients only send small commands. */
const MAX_CLIENT_FRAME_BYTES = 64 * 1024;

/**
 * Built assets carry a hash of their content in their name: a changed file is a new name, so
 * browsers may keep them a year. Everything else (index.html) is checked on every visit.
 */
export function cacheControlOf(path: string): string {
  return /[\\/]assets[\\/][^\\/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+(\.(br|gz))?$/.test(path)
    ? 'public, max-age=31536000, immutable'
    : 'no-cache';
}

/** `?token=secret&x=1` → `?token=***&x=1`: edit tokens never reach the log. */
export function redactTokens(url: string): string {
  return url.replace(/([?&](?:token|editToken|access_token)=)[^&#]*/gi, '$1***');
}

const headerOf = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
};

/** Builds the Warren server as a Fastify instance; tests call this, server.ts listens. */
export async function buildApp(
  config: Config,
  options: FastifyServerOptions = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    ...options,
    logger: {
      level: config.logLevel,
      ...(typeof options.logger === 'object' ? options.logger : {}),
      serializers: {
        // The URL as logged, with any token in its query blanked out.
        req: (request: { method: string; url: string; host?: string; ip?: string }) => ({
          method: request.method,
          url: redactTokens(request.url),
          host: request.host,
          remoteAddress: request.ip,
        }),
      },
    },
    bodyLimit: 16 * 1024 * 1024,
    // Unknown fields are an error the user should hear about, not something to strip silently.
    // A `type` list (string | number | boolean | null) is how header values keep their type.
    ajv: { customOptions: { removeAdditional: false, allowUnionTypes: true } },
  });
  app.decorate('config', config);
  const routes: RegisteredRoute[] = [];
  registered.set(app, routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      routes.push({
        method: method.toLowerCase(),
        url: route.url,
        schema: route.schema as Record<string, unknown> | undefined,
        websocket: route.websocket === true,
      });
    }
  });
  const database = await openDatabase(config);
  app.log.info({ store: database.kind, where: database.where }, 'saved diagrams store open');
  app.decorate('diagrams', new DiagramStore(database.db));
  const catalogue = await LessonCatalogue.load();
  app.decorate('lessons', catalogue);
  const management = new ManagementClient(
    config.managementUrl,
    config.managementUser,
    config.managementPassword,
  );
  const broker = new BrokerMonitor(config, management, app.log);
  const sessions = new SessionRegistry(
    config,
    management,
    broker,
    app.log,
    config.keepSessions
      ? { records: new SessionStore(database.db), owner: config.serverName }
      : undefined,
  );
  const lessonRuns = new LessonRuns(
    new BrokerRestarts({
      restart: new BrokerRestart(config.brokerRestartCommand, app.log),
      sessions: () => sessions.all(),
      log: app.log,
    }),
  );
  app.decorate('lessonRuns', lessonRuns);
  sessions.onRestored((session, record) => {
    const lesson = record.lessonId === undefined ? undefined : catalogue.get(record.lessonId);
    if (lesson) lessonRuns.start(session, lesson, record.runtime.lessonDone ?? []);
  });
  const serverId = randomBytes(6).toString('base64url');
  const bus = new TopicBus(
    config.amqpUrl,
    CLASSROOM_EXCHANGE,
    app.log,
    `warren classrooms ${serverId}`,
  );
  const classrooms = new Classrooms({
    serverId,
    store: new ClassroomStore(database.db),
    bus,
    sessions,
    lessons: lessonRuns,
    catalogue,
    management,
    vhostPrefix: config.vhostPrefix,
    log: app.log,
  });
  const servers = new ServerStore(database.db);
  const directory = new ServerDirectory(config.serverName, servers, app.log);
  const fanout = new SessionFanout(bus, app.log);
  const cluster: Cluster = {
    directory,
    locator: new StoreSessionLocator(sessions, servers, directory.id),
    fanout,
    remote: new RemoteSessions(bus, new HttpOwnerClient(directory), app.log),
  };
  // Other servers find a session created here through the store.
  sessions.onAdded((session) => servers.setOwner(session.id, directory.id, new Date()));
  sessions.onRemoved((id) => {
    fanout.ended(id);
    void servers.dropOwner(id, directory.id).catch((error: unknown) => {
      app.log.warn({ err: error, session: id }, 'forgetting where a session ran failed');
    });
  });
  app.decorate('broker', broker);
  app.decorate('sessions', sessions);
  app.decorate('classrooms', classrooms);
  app.decorate('cluster', cluster);
  broker.start();
  // Kept sessions are known before the server listens: a page reconnecting at once finds its own.
  await sessions.start();
  bus.start();
  classrooms.start();
  // In the directory once listening: its address is known then (PORT=0 included).
  app.addHook('onListen', async () => {
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    await directory.start(config.internalUrl ?? `http://127.0.0.1:${port}`);
  });
  app.addHook('onClose', async () => {
    // Classrooms first: their followers hear that the class ends while the broker is still there.
    await classrooms.stop();
    cluster.remote.close();
    await sessions.close();
    fanout.close();
    await directory.stop();
    await bus.close();
    await broker.close();
    await database.close();
  });

  registerErrorHandler(app);
  await registerRateLimits(app, config, (request) =>
    directory.isPeer(headerOf(request, FORWARDED_BY), headerOf(request, PEER_TOKEN)),
  );
  await registerHttpHardening(app, config);
  registerForwarding(app, {
    locator: cluster.locator,
    selfId: directory.id,
    peerToken: directory.peerToken,
  });
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Warren scripting API',
        version: '1',
        description:
          'Create sessions on a real RabbitMQ broker, materialize topologies, publish and observe.',
      },
    },
    // Warren registers `openapi`, so the document is always the OpenAPI one.
    transformObject: (document) =>
      'openapiObject' in document ? withExamples(document.openapiObject) : document.swaggerObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', staticCSP: true });
  await app.register(fastifyWebsocket, { options: { maxPayload: MAX_CLIENT_FRAME_BYTES } });
  await app.register(healthRoutes);
  await app.register(internalRoutes);
  await app.register(sessionRoutes);
  await app.register(eventRoutes);
  await app.register(explainRoutes);
  await app.register(definitionsRoutes);
  await app.register(codeRoutes);
  await app.register(faultRoutes);
  await app.register(outsideRoutes);
  await app.register(consumerRoutes);
  await app.register(producerRoutes);
  await app.register(diagramRoutes);
  await app.register(diagramImageRoutes);
  await app.register(lessonRoutes);
  await app.register(classroomRoutes);

  const hasWeb = existsSync(`${config.webDist}/index.html`);
  if (hasWeb) {
    // Files are looked up per request (wildcard), so a rebuild of the web app is served at once.
    await app.register(fastifyStatic, {
      root: config.webDist,
      wildcard: true,
      // The build writes .br and .gz copies of each asset; the one the browser accepts is sent.
      preCompressed: true,
      cacheControl: false,
      setHeaders: (reply, path) => {
        reply.header('cache-control', cacheControlOf(path));
      },
    });
  } else {
    app.log.warn(
      { webDist: config.webDist },
      'web app not built; serving the API only (run `pnpm build`)',
    );
  }
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/') || !hasWeb || request.method !== 'GET') {
      return reply
        .status(404)
        .send(errorBody('NOT_FOUND', `No route ${request.method} ${request.url}.`));
    }
    // Client-side routes of the single-page app.
    return reply.sendFile('index.html');
  });
  return app;
}
