import type { NodeTypes } from '@xyflow/react';
import { ExchangeNode } from './nodes/ExchangeNode';
import { ProducerNode } from './nodes/ProducerNode';
import { QueueNode } from './nodes/QueueNode';

/** Defined once: a new object on each render would make React Flow remount every node. */
export const nodeTypes = {
  producer: ProducerNode,
  exchange: ExchangeNode,
  queue: QueueNode,
} satisfies NodeTypes;
