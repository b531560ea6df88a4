import type { OutsideClient, OutsideObjectChange as OutsideObject } from '@warren/protocol';
import type { Topology } from '@warren/topology';
import type { XYPosition } from '@xyflow/react';

/** Who answers a direct reply-to requester: an outside client, or a consumer node. */
export type DirectReplier = { outsideClientId: string } | { consumerId: string };

export type { OutsideObject };

/*
 * The parts of the store's state that the canvas and the explain panel derive from. They live
 * here, apart from both, so that store/ (which makes each store's derivations) and
 * canvas/derive/ (which reads these fields) import one way only: the store the derivations,
 * both these types.
 */

export interface Size {
  width: number;
  height: number;
}

/** One header of the message being explained, as typed (a row may be half filled in). */
export interface HeaderRow {
  key: string;
  value: string;
}

/** The message the explain panel asks about. */
export interface ExplainDraft {
  /** '' is the default exchange. */
  exchange: string;
  routingKey: string;
  headers: HeaderRow[];
  /** Per-message TTL in milliseconds as typed; '' for none. */
  expiration: string;
  mandatory: boolean;
}

/** The document being edited, as the derivations read it. */
export interface DocumentInputs {
  topology: Topology;
  /** The document as the server last confirmed it, serialized for cheap comparison. */
  baselineJson: string;
}

/**
 * What the canvas needs besides the document: selection, where a node is while it is being
 * dragged (committed to the document on drop), and the sizes React Flow measured.
 */
export interface SelectionInputs {
  selectedNodes: string[];
  selectedEdges: string[];
  dragPositions: Record<string, XYPosition>;
  measured: Record<string, Size>;
}

/** What clients outside Warren did on the vhost. */
export interface OutsideInputs {
  /** Connections on the vhost not made by Warren, by connection name. */
  outsideClients: Record<string, OutsideClient>;
  /** Objects declared or deleted by outside clients, by `kind:name`. */
  outsideObjects: Record<string, OutsideObject>;
  /**
   * Direct reply-to: requester → who replies to it (an outside client, or a consumer node Warren
   * runs), whose replies the broker handed to the requester's channel (no queue between them),
   * from `routed` events with `directReplyTo`.
   */
  directReplies: Record<string, DirectReplier>;
}

export interface ExplainInputs {
  explainOpen: boolean;
  /** The producer whose message is explained; edits in the panel change that producer. */
  explainProducerId: string | null;
  /** The message when no producer is linked, and the fields a producer has no place for. */
  explainDraft: ExplainDraft;
}

/** Everything the derivations read of a store's state. */
export type DerivationInputs = DocumentInputs & SelectionInputs & OutsideInputs & ExplainInputs;
