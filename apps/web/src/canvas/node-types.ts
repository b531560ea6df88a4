import type { NodeTypes } from '@xyflow/react';
import { ConsumerNode } from './nodes/ConsumerNode';
import { ExchangeNode } from './nodes/ExchangeNode';
import { OutsideClientNode } from './nodes/OutsideClientNode';
import { OutsideObjectNode } from './nodes/OutsideObjectNode';
import { ProducerNode } from './nodes/ProducerNode';
import { QueueNode } from './nodes/QueueNode';

/** Defined once: a new object on each render would make React Flow remount every node. */
export const nodeTypes = {
  producer: ProducerNode,
  exchange: ExchangeNode,
  queue: QueueNode,
  consumer: ConsumerNode,
  'outside-client': OutsideClientNode,
  'outside-object': OutsideObjectNode,
} satisfies NodeTypes;
