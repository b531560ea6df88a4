import type { EdgeTypes } from '@xyflow/react';
import { BindingEdge } from './edges/BindingEdge';
import { ConsumeEdge } from './edges/ConsumeEdge';
import { PublishEdge } from './edges/PublishEdge';
import { RelationEdge } from './edges/RelationEdge';

/** Defined once, like nodeTypes, so React Flow never remounts edges. */
export const edgeTypes = {
  binding: BindingEdge,
  publish: PublishEdge,
  relation: RelationEdge,
  consume: ConsumeEdge,
} satisfies EdgeTypes;
