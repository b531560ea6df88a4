import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import {
  CreateDiagramRequestSchema,
  CreateDiagramResponseSchema,
  DiagramParamsSchema,
  DiagramResponseSchema,
  RenewEditTokenResponseSchema,
  RevisionParamsSchema,
  RevisionResponseSchema,
  RevisionsResponseSchema,
  UpdateDiagramRequestSchema,
  UpdateDiagramResponseSchema,
  type CreateDiagramResponse,
  type DiagramResponse,
  type RevisionResponse,
} from '@warren/protocol';
import { renderSvg } from '@warren/diagram-image';
import { TopologySchema, documentSizeIssue, type Topology } from '@warren/topology';
import { WarrenError } from '../../errors/warren-error';
import type { CreatedDiagram } from '../../store/diagram-store';
import { errorReplies } from './error-replies';
import { tokenOf, topologyOrThrow } from './topology-input';

const errors = errorReplies(400, 401, 404, 409, 413, 503);

/** Saved diagrams: create, read, save a revision, history, fork, delete, renew the edit link. */
export const diagramRoutes: FastifyPluginAsyncTypebox = async (app) => {
  /** The document as it is kept: checked, within the size limit, as JSON text. */
  function documentText(document: unknown): string {
    // Too many objects to handle is too large to keep, whatever else is wrong with it.
    const tooMany = documentSizeIssue(document);
    if (tooMany !== undefined)
      throw new WarrenError('PAYLOAD_TOO_LARGE', tooMany.message, { path: '/document' });
    topologyOrThrow(document, '/document');
    const text = JSON.stringify(document);
    const limit = app.config.maxDocumentBytes;
    if (Buffer.byteLength(text) > limit) {
      throw new WarrenError(
        'PAYLOAD_TOO_LARGE',
        `The diagram is ${Buffer.byteLength(text)} bytes; at most ${limit} are kept (MAX_DOCUMENT_BYTES).`,
        { path: '/document' },
      );
    }
    return text;
  }

  const links = (request: FastifyRequest, id: string, token: string) => {
    const view = new URL(`/d/${encodeURIComponent(id)}`, origin(request));
    return { viewUrl: view.href, editUrl: `${view.href}#edit=${encodeURIComponent(token)}` };
  };
  const created = (request: FastifyRequest, diagram: CreatedDiagram): CreateDiagramResponse => ({
    ...diagram,
    ...links(request, diagram.id, diagram.editToken),
  });
  const parse = (text: string) => JSON.parse(text) as Topology;

  app.post(
    '/api/diagrams',
    {
      schema: {
        summary: 'Save a new diagram; the reply holds its view link and its edit link',
        tags: ['diagrams'],
        body: CreateDiagramRequestSchema,
        response: { 201: CreateDiagramResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { name, document } = request.body;
      const diagram = await app.diagrams.create({ name, document: documentText(document) });
      return reply.status(201).send(created(request, diagram));
    },
  );

  app.get(
    '/api/diagrams/:id',
    {
      schema: {
        summary: 'A saved diagram at its latest revision (anyone with its id may read it)',
        tags: ['diagrams'],
        params: DiagramParamsSchema,
        response: { 200: DiagramResponseSchema, ...errors },
      },
    },
    async (request): Promise<DiagramResponse> => {
      const diagram = await app.diagrams.get(request.params.id);
      return { ...diagram, document: parse(diagram.document) };
    },
  );

  app.put(
    '/api/diagrams/:id',
    {
      schema: {
        summary: 'Save a new revision, made from baseRevision (409 when someone saved since)',
        tags: ['diagrams'],
        params: DiagramParamsSchema,
        body: UpdateDiagramRequestSchema,
        response: { 200: UpdateDiagramResponseSchema, ...errors },
      },
    },
    async (request) => {
      const { document, name, baseRevision } = request.body;
      return app.diagrams.update(request.params.id, tokenOf(request), {
        document: documentText(document),
        baseRevision,
        ...(name === undefined ? {} : { name }),
      });
    },
  );

  app.delete(
    '/api/diagrams/:id',
    {
      schema: {
        summary: 'Delete a diagram and all its revisions',
        tags: ['diagrams'],
        params: DiagramParamsSchema,
        response: { 204: Type.Null({ description: 'Deleted.' }), ...errors },
      },
    },
    async (request, reply) => {
      await app.diagrams.delete(request.params.id, tokenOf(request));
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/diagrams/:id/revisions',
    {
      schema: {
        summary: 'Every revision of a diagram, oldest first',
        tags: ['diagrams'],
        params: DiagramParamsSchema,
        response: { 200: RevisionsResponseSchema, ...errors },
      },
    },
    async (request) => ({ revisions: await app.diagrams.revisions(request.params.id) }),
  );

  app.get(
    '/api/diagrams/:id/revisions/:revision',
    {
      schema: {
        summary: 'One revision of a diagram',
        tags: ['diagrams'],
        params: RevisionParamsSchema,
        response: { 200: RevisionResponseSchema, ...errors },
      },
    },
    async (request): Promise<RevisionResponse> => {
      const found = await app.diagrams.revision(request.params.id, request.params.revision);
      return { ...found, document: parse(found.document) };
    },
  );

  app.post(
    '/api/diagrams/:id/fork',
    {
      schema: {
        summary: 'Copy a diagram (its latest revision, or ?revision=N) into a new one of yours',
        tags: ['diagrams'],
        params: DiagramParamsSchema,
        querystring: Type.Object({ revision: Type.Optional(Type.Integer({ minimum: 1 })) }),
        body: Type.Optional(
          Type.Union([
            Type.Object(
              { name: Type.Optional(CreateDiagramRequestSchema.properties.name) },
              {
                additionalProperties: false,
              },
            ),
            Type.Null(),
          ]),
        ),
        response: { 201: CreateDiagramResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const diagram = await app.diagrams.fork(
        request.params.id,
        request.query.revision,
        request.body?.name,
      );
      return reply.status(201).send(created(request, diagram));
    },
  );

  app.post(
    '/api/diagrams/:id/edit-token',
    {
      schema: {
        summary: 'Revoke the edit link: a new edit token replaces the old one',
        tags: ['diagrams'],
        params: DiagramParamsSchema,
        response: { 200: RenewEditTokenResponseSchema, ...errors },
      },
    },
    async (request) => {
      const editToken = await app.diagrams.renewEditToken(request.params.id, tokenOf(request));
      return { editToken, editUrl: links(request, request.params.id, editToken).editUrl };
    },
  );
};

/** The diagram as an image, and the JSON Schema of the document, for tools and editors. */
export const diagramImageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/diagrams/:id/image.svg',
    {
      schema: {
        summary: 'The diagram as an SVG image, drawn from its document (it carries the document)',
        tags: ['diagrams'],
        params: DiagramParamsSchema,
        querystring: Type.Object({
          revision: Type.Optional(Type.Integer({ minimum: 1 })),
          theme: Type.Optional(Type.Union([Type.Literal('light'), Type.Literal('dark')])),
        }),
        produces: ['image/svg+xml'],
        response: { 200: Type.String({ description: 'An SVG document.' }), ...errors },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { revision, theme } = request.query;
      const found = await app.diagrams.at(id, revision);
      const svg = renderSvg(JSON.parse(found.document) as Topology, {
        theme: theme ?? 'light',
        title: found.name,
      });
      return reply
        .type('image/svg+xml; charset=utf-8')
        .header(
          'cache-control',
          revision === undefined ? 'no-cache' : 'public, max-age=31536000, immutable',
        )
        .send(svg);
    },
  );

  app.get(
    '/schemas/topology-v1.json',
    {
      schema: {
        summary: 'JSON Schema of the Warren topology document, version 1',
        tags: ['diagrams'],
        produces: ['application/schema+json'],
        response: {
          200: Type.Object(
            {},
            { additionalProperties: true, description: 'A JSON Schema (draft-07) document.' },
          ),
        },
      },
    },
    async (_request, reply) =>
      reply.type('application/schema+json').send({
        $schema: 'http://json-schema.org/draft-07/schema#',
        $id: '/schemas/topology-v1.json',
        title: 'Warren topology document, version 1',
        ...TopologySchema,
      }),
  );
};

/** Where the client reached this server, for links it can open. */
function origin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}
