import type {
  Consumer,
  Exchange,
  ExchangeType,
  Position,
  Producer,
  Queue,
  Topology,
} from '../model';
import type { NodeKind } from './elements';
import { newId, nextName } from './ids';
import { roundPosition } from './move-node';

/** A new node of `kind` at `position`, named `<kind>-<n>` after the ones already there. */
export function addNode(
  topology: Topology,
  kind: NodeKind,
  position: Position,
  exchangeType: ExchangeType = 'direct',
): { topology: Topology; id: string } {
  const at = roundPosition(position);
  switch (kind) {
    case 'exchange': {
      const id = newId('x');
      const name = nextName(
        topology.exchanges.map((x) => x.name),
        'exchange',
      );
      const exchange: Exchange = {
        id,
        name,
        type: exchangeType,
        durable: true,
        autoDelete: false,
        internal: false,
        position: at,
      };
      return { id, topology: { ...topology, exchanges: [...topology.exchanges, exchange] } };
    }
    case 'queue': {
      const id = newId('q');
      const name = nextName(
        topology.queues.map((q) => q.name),
        'queue',
      );
      const queue: Queue = {
        id,
        name,
        durable: true,
        exclusive: false,
        autoDelete: false,
        position: at,
      };
      return { id, topology: { ...topology, queues: [...topology.queues, queue] } };
    }
    case 'producer': {
      const id = newId('p');
      const name = nextName(
        topology.producers.map((p) => p.name),
        'producer',
      );
      const producer: Producer = {
        id,
        name,
        exchange: '',
        routingKey: '',
        payload: 'hello',
        mandatory: false,
        position: at,
      };
      return { id, topology: { ...topology, producers: [...topology.producers, producer] } };
    }
    case 'consumer': {
      const id = newId('c');
      const consumers = topology.consumers ?? [];
      const name = nextName(
        consumers.map((c) => c.name),
        'consumer',
      );
      // Manual acks, one message at a time and a visible processing time: the settings of a
      // work-queue worker, so a learner sees messages being taken, worked on and acked.
      const consumer: Consumer = {
        id,
        name,
        queue: '',
        prefetch: 1,
        autoAck: false,
        processingMs: { min: 500, max: 500 },
        position: at,
      };
      return { id, topology: { ...topology, consumers: [...consumers, consumer] } };
    }
  }
}
