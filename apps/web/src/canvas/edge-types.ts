import type { EdgeTypes } from '@xyflow/react';
import { BindingEdge } from './edges/BindingEdge';
import { ConsumeEdge } from './edges/ConsumeEdge';
import { OutsideEdge } from './edges/OutsideEdge';
import { PublishEdge } from './edges/PublishEdge';
import { RelationEdge } from './edges/RelationEdge';

/** Defined once, like nodeTypes, so React Flow never remounts edges. */
export const edgeTypes = {
  binding: BindingEdge,
  publish: PublishEdge,
  relation: RelationEdge,
  consume: ConsumeEdge,
  // Only the lines of clients outside Warren have no type of their own.
  default: OutsideEdge,
} satisfies EdgeTypes;
