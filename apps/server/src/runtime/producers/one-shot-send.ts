import type { ProducerSendResult, WarrenEvent } from '@warren/protocol';
import { withTimeout } from '../../broker/waits';
import type { Outcome, Publication } from './publication';

/** How long a one-shot send waits for the firehose to report where a message was routed. */
const ROUTE_WAIT_MS = 3000;
/** How long a one-shot send waits for the broker's confirms before reporting them missing. */
const CONFIRM_WAIT_MS = 10_000;

interface SendCollector {
  results: ProducerSendResult[];
  /** Results still waiting for their routing, by message id. */
  waiting: Map<string, ProducerSendResult[]>;
}

/** Watches each sent publication: `outcome` settles with what the broker made of it. */
export type ObservePublication = (publication: Publication, outcome: Promise<Outcome>) => void;

/**
 * One-shot sends and what became of each message: confirmed or nacked, returned, and the
 * queues the broker routed it to, as its firehose reports them.
 */
export class OneShotSends {
  private readonly collectors = new Set<SendCollector>();

  constructor(
    private readonly producerId: () => string,
    private readonly events: { listen: (listener: (event: WarrenEvent) => void) => () => void },
  ) {}

  /** Runs `publish` and answers once every message is settled and routed, or waited for enough. */
  async collect(
    publish: (observe: ObservePublication) => Promise<void>,
  ): Promise<ProducerSendResult[]> {
    const collector: SendCollector = { results: [], waiting: new Map() };
    this.collectors.add(collector);
    const unlisten = this.events.listen((event) => {
      if (event.type !== 'routed' || event.messageId === null) return;
      if (event.producerId !== this.producerId()) return;
      const waiting = collector.waiting.get(event.messageId);
      const result = waiting?.shift();
      if (!result) return;
      result.routedQueues = event.routedQueues;
      if (waiting?.length === 0) collector.waiting.delete(event.messageId);
    });
    try {
      const outcomes: Promise<void>[] = [];
      await publish((publication, outcome) => {
        const result: ProducerSendResult = {
          messageId: publication.messageId,
          exchange: publication.exchange,
          routingKey: publication.routingKey,
          routedQueues: [],
          confirmed: false,
        };
        collector.results.push(result);
        const waiting = collector.waiting.get(result.messageId) ?? [];
        waiting.push(result);
        collector.waiting.set(result.messageId, waiting);
        outcomes.push(
          outcome.then((o) => {
            if (o.kind === 'confirmed') result.confirmed = true;
            if (o.kind === 'nacked') result.nacked = true;
            if (o.kind === 'lost') {
              result.error = o.error;
              // A message that never reached an exchange is not routed anywhere.
              collector.waiting.delete(result.messageId);
            }
          }),
        );
      });
      await withTimeout(Promise.all(outcomes), CONFIRM_WAIT_MS);
      const deadline = Date.now() + ROUTE_WAIT_MS;
      while (collector.waiting.size > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return collector.results;
    } finally {
      unlisten();
      this.collectors.delete(collector);
    }
  }

  /** A basic.return of a message a send is waiting on. */
  returned(messageId: string, detail: { replyCode: number; replyText: string }): void {
    for (const collector of this.collectors) {
      const result = collector.results.find((r) => r.messageId === messageId && !r.returned);
      if (result) result.returned = detail;
    }
  }
}
