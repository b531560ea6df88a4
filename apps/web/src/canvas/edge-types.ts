import type { EdgeTypes } from '@xyflow/react';
import { BindingEdge } from './edges/BindingEdge';
import { PublishEdge } from './edges/PublishEdge';

/** Defined once, like nodeTypes, so React Flow never remounts edges. */
export const edgeTypes = {
  binding: BindingEdge,
  publish: PublishEdge,
} satisfies EdgeTypes;
