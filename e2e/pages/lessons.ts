import { expect } from '@playwright/test';
import type { CanvasPage } from './canvas-page';
import type { ConsumersPage } from './consumers';

type Point = [x: number, y: number];

/**
 * A node's name, and where on the page its top-left corner goes; without `at` it goes where
 * the lesson layout puts its kind (see `LAYOUT`).
 */
export interface PlacedNode {
  name: string;
  at?: Point;
}

export interface PlacedExchange extends PlacedNode {
  type: 'direct' | 'fanout' | 'topic' | 'headers';
}

/** An exchange feeding one queue, drawn below the main line: a dead-letter or error lane. */
export interface SideLane {
  exchange: PlacedExchange;
  queue: PlacedNode;
  bindingKey?: string;
}

/**
 * The line most lessons start from: producer → exchange → work queue → consumers, with
 * optional side lanes below it.
 */
export interface Pipeline {
  producer: PlacedNode;
  exchange: PlacedExchange;
  /** The binding key of exchange → work queue; none leaves the binding's key empty. */
  bindingKey?: string;
  queue: PlacedNode;
  /** Each reads from the work queue. */
  consumers?: PlacedNode[];
  lanes?: SideLane[];
  /**
   * Zooms the view to the whole diagram before the edges are drawn (the default): nodes far
   * right stick out under the inspector until it does.
   */
  fitView?: boolean;
}

/**
 * The lesson layout: the main line across the top, the consumers stacked at its right, each
 * side lane a row further down.
 */
const LAYOUT = {
  producer: [262, 110],
  exchange: [520, 150],
  queue: [770, 130],
  consumer: (index: number): Point => [1040, 100 + 300 * index],
  laneExchange: (index: number): Point => [620, 400 + 220 * index],
  laneQueue: (index: number): Point => [880, 380 + 220 * index],
} as const;

/** Draws a lesson's diagram on the canvas the way a learner would, from the palette. */
export class LessonDiagram {
  constructor(
    private readonly canvas: CanvasPage,
    private readonly consumers: ConsumersPage,
  ) {}

  /**
   * Adds, arranges and connects a pipeline on a fresh canvas (each node still bears its kind's
   * first default name when added). The work queue is added after the side lanes' queues and
   * just before its consumers: a consumer added while a queue is selected reads from it.
   */
  async drawPipeline(pipeline: Pipeline): Promise<void> {
    const { canvas, consumers } = this;
    const { producer, exchange, queue } = pipeline;
    const lanes = pipeline.lanes ?? [];
    const readers = pipeline.consumers ?? [];

    await canvas.add('producer', 'producer-1', producer.name);
    await canvas.add('exchange', 'exchange-1', exchange.name, exchange.type);
    for (const lane of lanes)
      await canvas.add('exchange', 'exchange-1', lane.exchange.name, lane.exchange.type);
    for (const lane of lanes) await canvas.add('queue', 'queue-1', lane.queue.name);
    await canvas.add('queue', 'queue-1', queue.name);
    for (const [index, consumer] of readers.entries()) {
      // The previous consumer took the selection; the work queue gets it back.
      if (index > 0) await canvas.node('queue', queue.name).click();
      await canvas.add('consumer', 'consumer-1', consumer.name);
      await expect(consumers.node(consumer.name)).toContainText(`from ${queue.name}`);
    }

    await canvas.arrange([
      [canvas.node('producer', producer.name), ...(producer.at ?? LAYOUT.producer)],
      [canvas.node('exchange', exchange.name), ...(exchange.at ?? LAYOUT.exchange)],
      [canvas.node('queue', queue.name), ...(queue.at ?? LAYOUT.queue)],
      ...readers.map((c, i): Move => [consumers.node(c.name), ...(c.at ?? LAYOUT.consumer(i))]),
      ...lanes.flatMap((lane, i): Move[] => [
        [
          canvas.node('exchange', lane.exchange.name),
          ...(lane.exchange.at ?? LAYOUT.laneExchange(i)),
        ],
        [canvas.node('queue', lane.queue.name), ...(lane.queue.at ?? LAYOUT.laneQueue(i))],
      ]),
    ]);
    if (pipeline.fitView ?? true) await consumers.fitView();

    await canvas.connect(
      canvas.node('producer', producer.name),
      canvas.node('exchange', exchange.name),
    );
    await canvas.connect(canvas.node('exchange', exchange.name), canvas.node('queue', queue.name));
    if (pipeline.bindingKey !== undefined)
      await canvas.setBindingKey(exchange.name, queue.name, pipeline.bindingKey);
    for (const lane of lanes) {
      await canvas.connect(
        canvas.node('exchange', lane.exchange.name),
        canvas.node('queue', lane.queue.name),
      );
      if (lane.bindingKey !== undefined)
        await canvas.setBindingKey(lane.exchange.name, lane.queue.name, lane.bindingKey);
    }
  }
}

type Move = Parameters<CanvasPage['arrange']>[0][number];
