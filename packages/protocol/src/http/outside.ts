import { Type } from 'typebox';

/** A client outside Warren: its own connection on the session's vhost. */
export const OutsideClientSchema = Type.Object({
  /**
   * Stable id of the node: a short hash of who the client is (its connection name or product,
   * its host, user) and the first thing it did; `-2`, `-3` for more at once. Repeated runs of one
   * program reuse it.
   */
  id: Type.String({ description: 'Stable id of the outside client node.' }),
  /**
   * What it did: published (`producer`), consumed (`consumer`), both, or, so far, only declared
   * queues, exchanges or bindings (`declarer`). A declarer that goes on to publish or consume
   * takes that role.
   */
  role: Type.Union([
    Type.Literal('producer'),
    Type.Literal('consumer'),
    Type.Literal('both'),
    Type.Literal('declarer'),
  ]),
  /** Queues it consumes from. */
  queues: Type.Array(Type.String(), { description: 'Queues it consumes from.' }),
  /** Exchanges it published to (from the firehose). */
  exchanges: Type.Array(Type.String(), { description: 'Exchanges it published to.' }),
  /**
   * What it declared that the broker reported created, as `kind:name` (`queue:hello`,
   * `exchange:logs`, `binding:logs -> amq.gen-… ()`): its exclusive queues and their bindings,
   * and what it declared while it was the only client of its user on the vhost.
   */
  declared: Type.Optional(
    Type.Array(Type.String(), { description: 'Objects it declared, as kind:name.' }),
  ),
  /** Its own `connection_name`, else its product and the short id (`amqplib #3f9a1c`). */
  label: Type.String(),
  /** The client library it says it is (`client_properties.product`). */
  product: Type.Optional(Type.String()),
  /** How many connections (runs of the program) this node stands for, one after another. */
  runs: Type.Optional(Type.Integer({ minimum: 1 })),
  /** The broker's names of its connections open now. */
  connections: Type.Optional(Type.Array(Type.String())),
});
export type OutsideClient = Type.Static<typeof OutsideClientSchema>;

/** An object an outside client declared or deleted (or a fault deleted), as last reported. */
export const OutsideObjectChangeSchema = Type.Object({
  kind: Type.Union([
    Type.Literal('exchange'),
    Type.Literal('queue'),
    Type.Literal('binding'),
    Type.Literal('policy'),
  ]),
  name: Type.String(),
  change: Type.Union([Type.Literal('created'), Type.Literal('deleted')]),
  /**
   * Whether it was seen on the broker's event exchange or by polling; `fault` when Warren deleted
   * it on purpose (fault injection) and the next Apply declares it again.
   */
  source: Type.Union([
    Type.Literal('event-exchange'),
    Type.Literal('polling'),
    Type.Literal('fault'),
  ]),
});
export type OutsideObjectChange = Type.Static<typeof OutsideObjectChangeSchema>;

/** `kind:name` of the topology's objects declared outside Warren (`queue:orders`). */
export const OutsideNamesSchema = Type.Array(Type.String());

/**
 * Of the objects in `outsideNames`, those one client owns (its exclusive queues and their
 * bindings): `kind:name` → the owning client's id (its connection's name on the broker).
 */
export const OutsideOwnersSchema = Type.Record(Type.String(), Type.String());

/** Reply of `GET /api/sessions/:id/outside`. */
export const OutsideResponseSchema = Type.Object({
  clients: Type.Array(OutsideClientSchema),
  objects: Type.Array(OutsideObjectChangeSchema),
  /** `kind:name` of the session topology's objects declared outside Warren. */
  outsideNames: OutsideNamesSchema,
  outsideOwners: Type.Optional(OutsideOwnersSchema),
});
export type OutsideResponse = Type.Static<typeof OutsideResponseSchema>;
