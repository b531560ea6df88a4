import type { Binding, Consumer, Exchange, ExchangeType, Producer, Queue } from '@warren/topology';
import type { Edge, Node } from '@xyflow/react';
import type { OutsideFlowEdge, OutsideFlowNode } from './outside-elements';

/** React Flow's nodes and edges as the canvas draws them from the document. */

export type ExchangeFlowNode = Node<{ exchange: Exchange }, 'exchange'>;
export type QueueFlowNode = Node<{ queue: Queue }, 'queue'>;
export type ProducerFlowNode = Node<{ producer: Producer }, 'producer'>;
export type ConsumerFlowNode = Node<{ consumer: Consumer }, 'consumer'>;
export type WarrenNode =
  ExchangeFlowNode | QueueFlowNode | ProducerFlowNode | ConsumerFlowNode | OutsideFlowNode;

export type BindingFlowEdge = Edge<
  { binding: Binding; exchangeType: ExchangeType | undefined },
  'binding'
>;
/** A producer's line into its exchange, or, through the default exchange, to the queue its key names. */
export type PublishFlowEdge = Edge<{ producer: Producer; viaDefault?: boolean }, 'publish'>;
/** A queue's line to a consumer reading from it. */
export type ConsumeFlowEdge = Edge<{ consumer: Consumer }, 'consume'>;
/**
 * Where a queue dead-letters to, or where an exchange sends what it cannot route: drawn from
 * arguments and policies, not a binding, so it is not edited on the canvas.
 */
export type RelationFlowEdge = Edge<
  {
    relation: 'dead-letter' | 'alternate';
    /** Name of the queue or exchange it starts at. */
    from: string;
    /** Name of the exchange it goes to. */
    to: string;
    /** The policy that sets it, when no argument does. */
    policy: string | undefined;
    /** The dead-letter routing key, when one replaces the message's own. */
    routingKey: string | undefined;
  },
  'relation'
>;
export type WarrenEdge =
  BindingFlowEdge | PublishFlowEdge | RelationFlowEdge | ConsumeFlowEdge | OutsideFlowEdge;

/** Handles on the bottom of queues and exchanges that the relations start from. */
export const DEAD_LETTER_HANDLE = 'dead-letter';
export const ALTERNATE_HANDLE = 'alternate';
/** Handle on the top of exchanges that dead letters and unroutable messages arrive at. */
export const RELATION_TARGET_HANDLE = 'relation-in';

/** Ids of the arrowhead markers the canvas defines (React Flow's own cannot follow selection by CSS). */
export const ARROW_MARKER = 'warren-arrow';
export const ARROW_MARKER_SELECTED = 'warren-arrow-selected';
export const DEAD_LETTER_MARKER = 'warren-arrow-dead-letter';
export const ALTERNATE_MARKER = 'warren-arrow-alternate';
