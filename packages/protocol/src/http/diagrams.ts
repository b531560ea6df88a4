import { Type } from 'typebox';
import { TopologyDocumentSchema } from './common';

/**
 * Saved diagrams: a name and a topology document (positions included), kept with every revision.
 * Anyone with a diagram's id may read it (the view link is the share link); changing it needs its
 * edit token, given once when it is created (or the link revoked and renewed).
 */

/** A diagram's name as people type it; markup in it is only ever shown as text. */
export const DiagramNameSchema = Type.String({ minLength: 1, maxLength: 200 });

export const DiagramParamsSchema = Type.Object({ id: Type.String({ maxLength: 64 }) });
export type DiagramParams = Type.Static<typeof DiagramParamsSchema>;

export const RevisionParamsSchema = Type.Object({
  id: Type.String({ maxLength: 64 }),
  revision: Type.Integer({ minimum: 1 }),
});
export type RevisionParams = Type.Static<typeof RevisionParamsSchema>;

/** One revision of a saved diagram: what a fork was copied from, what a session runs. */
export const DiagramRefSchema = Type.Object({ id: Type.String(), revision: Type.Integer() });
export type DiagramRef = Type.Static<typeof DiagramRefSchema>;

/** Body of `POST /api/diagrams`. */
export const CreateDiagramRequestSchema = Type.Object(
  { name: DiagramNameSchema, document: TopologyDocumentSchema },
  { additionalProperties: false },
);
export type CreateDiagramRequest = Type.Static<typeof CreateDiagramRequestSchema>;

/** Reply of `POST /api/diagrams` and of a fork: the only time the edit token is told. */
export const CreateDiagramResponseSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  revision: Type.Integer(),
  editToken: Type.String(),
  /** The share link: read-only. */
  viewUrl: Type.String(),
  /** The link that edits: the token travels in its fragment, never to a server log. */
  editUrl: Type.String(),
  forkedFrom: Type.Optional(DiagramRefSchema),
});
export type CreateDiagramResponse = Type.Static<typeof CreateDiagramResponseSchema>;

/** Reply of `GET /api/diagrams/:id`: its latest revision. */
export const DiagramResponseSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  revision: Type.Integer(),
  document: TopologyDocumentSchema,
  createdAt: Type.String({ description: 'ISO 8601.' }),
  updatedAt: Type.String({ description: 'ISO 8601.' }),
  forkedFrom: Type.Optional(DiagramRefSchema),
});
export type DiagramResponse = Type.Static<typeof DiagramResponseSchema>;

/** Body of `PUT /api/diagrams/:id`: a new revision, made from `baseRevision`. */
export const UpdateDiagramRequestSchema = Type.Object(
  {
    document: TopologyDocumentSchema,
    name: Type.Optional(DiagramNameSchema),
    baseRevision: Type.Integer({ minimum: 1 }),
  },
  { additionalProperties: false },
);
export type UpdateDiagramRequest = Type.Static<typeof UpdateDiagramRequestSchema>;

export const UpdateDiagramResponseSchema = Type.Object({ revision: Type.Integer() });
export type UpdateDiagramResponse = Type.Static<typeof UpdateDiagramResponseSchema>;

export const RevisionSummarySchema = Type.Object({
  revision: Type.Integer(),
  name: Type.String(),
  createdAt: Type.String({ description: 'ISO 8601.' }),
});
export type RevisionSummary = Type.Static<typeof RevisionSummarySchema>;

/** Reply of `GET /api/diagrams/:id/revisions`: every revision, oldest first. */
export const RevisionsResponseSchema = Type.Object({
  revisions: Type.Array(RevisionSummarySchema),
});
export type RevisionsResponse = Type.Static<typeof RevisionsResponseSchema>;

/** Reply of `GET /api/diagrams/:id/revisions/:revision`. */
export const RevisionResponseSchema = Type.Interface([RevisionSummarySchema], {
  document: TopologyDocumentSchema,
});
export type RevisionResponse = Type.Static<typeof RevisionResponseSchema>;

/** Reply of `POST /api/diagrams/:id/edit-token`: the new token; the old one no longer edits. */
export const RenewEditTokenResponseSchema = Type.Object({
  editToken: Type.String(),
  editUrl: Type.String(),
});
export type RenewEditTokenResponse = Type.Static<typeof RenewEditTokenResponseSchema>;
