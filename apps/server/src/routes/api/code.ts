import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { generateCode, type CodegenOptions } from '@warren/topology';
import {
  GenerateCodeRequestSchema,
  GenerateCodeResponseSchema,
  SessionCodeParamsSchema,
  type GenerateCodeResponse,
} from '@warren/protocol';
import { errorReplies } from './error-replies';
import { editableSession, findSession, topologyOrThrow } from './topology-input';

/** Stands in for the session's broker password in code exported without its edit token. */
export const PASSWORD_PLACEHOLDER = 'SESSION_PASSWORD';

export const codeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/code',
    {
      schema: {
        summary: 'Code (or commands) that declare a topology on a broker',
        tags: ['code'],
        body: GenerateCodeRequestSchema,
        response: { 200: GenerateCodeResponseSchema, ...errorReplies(400) },
      },
    },
    async (request): Promise<GenerateCodeResponse> =>
      generateCode(
        topologyOrThrow(request.body.topology, '/topology'),
        request.body.format,
        request.body.options ?? {},
      ),
  );

  app.get(
    '/api/sessions/:id/code/:format',
    {
      schema: {
        summary:
          "The session's diagram as code, with the session's vhost and broker user filled in",
        description: `With the session's edit token (Authorization: Bearer) the code carries the session's broker password; without it, the placeholder ${PASSWORD_PLACEHOLDER}.`,
        tags: ['code', 'sessions'],
        params: SessionCodeParamsSchema,
        response: { 200: GenerateCodeResponseSchema, ...errorReplies(400, 401, 404) },
      },
    },
    async (request): Promise<GenerateCodeResponse> => {
      const session = findSession(app, request.params.id);
      let password = PASSWORD_PLACEHOLDER;
      if (request.headers.authorization !== undefined || request.headers['x-warren-token']) {
        // A token that is given must be right: a wrong one is an error, not a silent placeholder.
        password = editableSession(app, request).identity.password;
      }
      const { user, vhost } = session.identity;
      const amqp = app.sessions.amqpDetails(session);
      const amqpUrl = `amqp://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${amqp.host}:${amqp.port}/${encodeURIComponent(vhost)}`;
      const options: CodegenOptions = {
        amqpUrl,
        managementUrl: app.config.publicManagementUrl,
        vhost,
        user,
        password,
      };
      const format = request.params.format;
      const policies = session.topology.policies ?? [];
      if ((format === 'curl' || format === 'rabbitmqadmin') && policies.length > 0) {
        // The session's broker user may not set policies (that tag would also reach broker-wide
        // settings); Warren has set them on the session's vhost already.
        const code = generateCode({ ...session.topology, policies: [] }, format, options);
        const note = [
          '',
          '# Policies are left out: the session user may not set them, and Warren has already set',
          `# them on this vhost (${policies.map((p) => p.name).join(', ')}). On another broker, an`,
          '# operator sets them with: rabbitmqctl set_policy (see the amqplib or pika export).',
          '',
        ].join('\n');
        return { ...code, code: `${code.code}${note}` };
      }
      return generateCode(session.topology, format, options);
    },
  );
};
