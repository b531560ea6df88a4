import type {
  BrokerStatus,
  ConsumerStateReport as ConsumerState,
  OutsideClient,
  PublishResponse,
  QueueState,
  ServerFrame,
  WarrenEvent,
} from '@warren/protocol';
import type { CounterSnapshot } from '@warren/topology';
import type { StateCreator } from 'zustand';
import {
  outsideKey,
  withOutsideChange,
  withOutsideClient,
  withServerCopy,
  type OutsideObject,
} from './outside-state';
import {
  nextProducerRuntime,
  notBehind,
  type ProducerRuntime,
  type ProducerState,
} from './producer-runtime';
import type { WarrenState } from './store';

export type ServerConnection = 'connecting' | 'online' | 'offline';

/** What happened to a producer's last message, as shown on its node. */
export interface PublishResult {
  text: string;
  tone: 'ok' | 'warn' | 'error';
  messageId: string | null;
  /** When it was set, so the node can flash once per result. */
  at: number;
  /** The broker's own routing outcome, when the result came from it. */
  routedQueues?: string[];
  returned?: boolean;
  /** Every message a producer's send reply described (it then speaks for all of them). */
  messageIds?: string[];
}

/** A consumer's running state and exact counters, as its last consumer-state event said. */
export type { ConsumerState };

/** An exchange or queue deleted on the broker behind the diagram's back, by `kind:name`. */
export type MissingKey = `${'exchange' | 'queue'}:${string}`;

/** What the websocket client must do after a frame was taken in. */
export interface FrameOutcome {
  /** Events in order, without duplicates, for the animation. */
  accepted: WarrenEvent[];
  /** Events were missed: reconnect so the next hello brings exact state again. */
  resync: boolean;
}

export interface LiveSlice {
  server: ServerConnection;
  serverMessage: string | null;
  broker: BrokerStatus | null;
  /** Seq of the last event taken in; -1 before the first hello. */
  seq: number;
  /**
   * Events the server said it left out for this (slow) client and whose gap in seq has not
   * been seen yet; the gap may show up in a later frame than the count.
   */
  droppedUnseen: number;
  /** Animation events the server left out for this client since the page opened. */
  droppedTotal: number;
  /** Messages on each edge and through each exchange, as the server last counted them. */
  counters: CounterSnapshot;
  queueStats: Record<string, QueueState>;
  publishResults: Record<string, PublishResult>;
  /** By consumer id. */
  consumerStates: Record<string, ConsumerState>;
  /** Objects the diagram has that were deleted on the broker (a fault); Apply declares them again. */
  missingOnBroker: Partial<Record<MissingKey, true>>;
  /** By producer id: producers run by the server, with exact counters and a measured rate. */
  producerStates: Record<string, ProducerRuntime>;
  /** Connections on the vhost not made by Warren, by connection name. */
  outsideClients: Record<string, OutsideClient>;
  /** Objects declared or deleted by outside clients, by `kind:name`. */
  outsideObjects: Record<string, OutsideObject>;
  /** `kind:name` of the diagram's objects that outside clients declared (the server says). */
  outsideNames: string[];

  /** The one door through which server frames change the store. */
  applyServerFrame: (frame: ServerFrame) => FrameOutcome;
  setServer: (server: ServerConnection, message?: string) => void;
  setBroker: (broker: BrokerStatus | null) => void;
  /** A publish reply or failure, for when the event stream is slower or absent. */
  setPublishResult: (producerId: string, result: Omit<PublishResult, 'at'>) => void;
  /**
   * States read over HTTP (after a hello, which carries none). Events that arrived meanwhile
   * are newer, so a consumer already known keeps its state.
   */
  addConsumerStates: (states: ConsumerState[]) => void;
  /** A state a command's reply carried. */
  setConsumerState: (state: ConsumerState) => void;
  markMissing: (key: MissingKey) => void;
  /** An Apply declared every object of the diagram again. */
  clearMissing: () => void;
  /** Producer states read over HTTP; like consumers, a producer already known keeps its state. */
  addProducerStates: (states: ProducerState[]) => void;
  /** A state a producer command's reply carried. */
  setProducerState: (state: ProducerState) => void;
  /** Outside clients and objects read over HTTP (after a hello, which carries none). */
  addOutside: (clients: OutsideClient[], objects: OutsideObject[], outsideNames?: string[]) => void;
}

export function describePublish(
  response: Pick<PublishResponse, 'routedQueues' | 'returned'>,
): Omit<PublishResult, 'at' | 'messageId'> {
  const outcome = { routedQueues: response.routedQueues, returned: !!response.returned };
  if (response.returned)
    return {
      text: `returned ${response.returned.replyCode} ${response.returned.replyText}`,
      tone: 'error',
      ...outcome,
    };
  if (response.routedQueues.length === 0) return { text: 'unroutable', tone: 'warn', ...outcome };
  return { text: `routed to ${response.routedQueues.join(', ')}`, tone: 'ok', ...outcome };
}

const NO_COUNTERS: CounterSnapshot = { edges: {}, exchanges: {} };

export const createLiveSlice: StateCreator<WarrenState, [], [], LiveSlice> = (set, get) => ({
  server: 'connecting',
  serverMessage: null,
  broker: null,
  seq: -1,
  droppedUnseen: 0,
  droppedTotal: 0,
  counters: NO_COUNTERS,
  queueStats: {},
  publishResults: {},
  consumerStates: {},
  missingOnBroker: {},
  producerStates: {},
  outsideClients: {},
  outsideObjects: {},
  outsideNames: [],

  applyServerFrame: (frame) => {
    switch (frame.type) {
      case 'hello': {
        const queueStats: Record<string, QueueState> = {};
        for (const q of frame.queues) queueStats[q.name] = q;
        const outsideBefore = get().outsideNames;
        set({
          seq: frame.seq,
          droppedUnseen: 0,
          queueStats,
          counters: frame.counters ?? NO_COUNTERS,
          // Read again over HTTP right after; until then old counters would only mislead.
          consumerStates: {},
          producerStates: {},
          outsideClients: {},
          outsideNames: frame.outsideNames ?? [],
          broker: frame.broker,
          server: 'online',
          serverMessage: null,
        });
        get().loadServerTopology(frame.topology, {
          keepLocalEdits: get().unsaved,
          outsideNames: { before: outsideBefore, after: frame.outsideNames ?? [] },
        });
        return { accepted: [], resync: false };
      }
      case 'events':
        return takeEvents(frame.events, frame.dropped, frame.replaced ?? 0, set, get);
      case 'pong':
      case 'error':
        return { accepted: [], resync: false };
    }
  },

  setServer: (server, message) => {
    if (get().server === server && get().serverMessage === (message ?? null)) return;
    set({ server, serverMessage: message ?? null });
  },
  setBroker: (broker) => set({ broker }),
  setPublishResult: (producerId, result) => {
    const current = get().publishResults[producerId];
    // The event stream may already have said more (a return) about this very message.
    if (
      current &&
      current.messageId === result.messageId &&
      current.tone === 'error' &&
      result.tone !== 'error'
    )
      return;
    set({
      publishResults: { ...get().publishResults, [producerId]: { ...result, at: Date.now() } },
    });
  },
  addConsumerStates: (states) => {
    const current = get().consumerStates;
    const fresh = states.filter((s) => !(s.consumerId in current));
    if (fresh.length === 0) return;
    const consumerStates = { ...current };
    for (const state of fresh) consumerStates[state.consumerId] = state;
    set({ consumerStates });
  },
  setConsumerState: (state) =>
    set({ consumerStates: { ...get().consumerStates, [state.consumerId]: state } }),
  markMissing: (key) => {
    if (get().missingOnBroker[key]) return;
    set({ missingOnBroker: { ...get().missingOnBroker, [key]: true } });
  },
  clearMissing: () => {
    if (Object.keys(get().missingOnBroker).length > 0) set({ missingOnBroker: {} });
  },
  addProducerStates: (states) => {
    const current = get().producerStates;
    const fresh = states.filter((s) => !(s.producerId in current));
    if (fresh.length === 0) return;
    const producerStates = { ...current };
    for (const state of fresh)
      producerStates[state.producerId] = nextProducerRuntime(undefined, state, Date.now());
    set({ producerStates });
  },
  setProducerState: (state) => {
    const current = get().producerStates;
    set({
      producerStates: {
        ...current,
        [state.producerId]: nextProducerRuntime(
          current[state.producerId],
          notBehind(current[state.producerId], state),
          Date.now(),
        ),
      },
    });
  },
  addOutside: (clients, objects, outsideNames) => {
    let { outsideClients, outsideObjects } = get();
    for (const client of clients)
      if (!(client.id in outsideClients))
        outsideClients = withOutsideClient(outsideClients, { client, gone: false });
    for (const object of objects)
      if (!(outsideKey(object.kind, object.name) in outsideObjects))
        outsideObjects = withOutsideChange(outsideObjects, object);
    set({ outsideClients, outsideObjects, ...(outsideNames && { outsideNames }) });
  },
});

type Set = Parameters<StateCreator<WarrenState>>[0];
type Get = () => WarrenState;

function takeEvents(
  events: WarrenEvent[],
  dropped: number,
  replaced: number,
  set: Set,
  get: Get,
): FrameOutcome {
  const state = get();
  // Before the first hello there is nothing to apply events to; hello will carry their effect.
  if (state.seq < 0) return { accepted: [], resync: false };
  let seq = state.seq;
  // The server may leave out animation events for a slow reader and says how many; such a
  // gap is expected. Any other gap means state was missed.
  let allowance = state.droppedUnseen + dropped + replaced;
  const accepted: WarrenEvent[] = [];
  let resync = false;
  for (const event of events) {
    if (event.seq <= seq) continue;
    const gap = event.seq - seq - 1;
    if (gap > allowance) {
      resync = true;
      break;
    }
    allowance -= gap;
    seq = event.seq;
    accepted.push(event);
  }

  let queueStats = state.queueStats;
  let counters = state.counters;
  let publishResults = state.publishResults;
  let consumerStates = state.consumerStates;
  let producerStates = state.producerStates;
  let outsideClients = state.outsideClients;
  let outsideObjects = state.outsideObjects;
  let outsideNames = state.outsideNames;
  let missingOnBroker = state.missingOnBroker;
  let broker = state.broker;
  const now = Date.now();
  const setResult = (producerId: string, result: Omit<PublishResult, 'at'>, at: number) => {
    // A running producer shows its counters; a result per message would flicker at its rate.
    if (producerStates[producerId]?.running) return;
    const current = publishResults[producerId];
    // A send reply already told what became of this message, with the rest of its batch.
    if (result.messageId !== null && current?.messageIds?.includes(result.messageId)) return;
    if (
      current &&
      current.messageId !== null &&
      current.messageId === result.messageId &&
      current.tone === 'error' &&
      result.tone !== 'error'
    )
      return;
    publishResults = { ...publishResults, [producerId]: { ...result, at } };
  };

  for (const event of accepted) {
    switch (event.type) {
      case 'queue-stats': {
        queueStats = { ...queueStats };
        for (const q of event.queues) queueStats[q.name] = q;
        break;
      }
      case 'counters':
        counters = { edges: event.edges, exchanges: event.exchanges };
        break;
      case 'routed':
        if (event.producerId !== undefined)
          setResult(
            event.producerId,
            { ...describePublish(event), messageId: event.messageId },
            event.at,
          );
        break;
      case 'returned':
        if (event.producerId !== undefined)
          setResult(
            event.producerId,
            {
              ...describePublish({ routedQueues: [], returned: event }),
              messageId: event.messageId,
            },
            event.at,
          );
        break;
      case 'nacked':
        if (event.producerId !== undefined)
          setResult(
            event.producerId,
            { text: 'nacked by the broker', tone: 'error', messageId: event.messageId },
            event.at,
          );
        break;
      case 'consumer-state': {
        const { type: _type, seq: _seq, at: _at, ...consumerState } = event;
        consumerStates = { ...consumerStates, [event.consumerId]: consumerState };
        break;
      }
      case 'producer-state': {
        const { type: _type, seq: _seq, at: _at, ...producerState } = event;
        producerStates = {
          ...producerStates,
          [event.producerId]: nextProducerRuntime(
            producerStates[event.producerId],
            producerState,
            now,
          ),
        };
        break;
      }
      case 'outside-client':
        outsideClients = withOutsideClient(outsideClients, event);
        break;
      case 'outside-change': {
        outsideObjects = withOutsideChange(outsideObjects, event);
        if (event.kind === 'exchange' || event.kind === 'queue') {
          const key: MissingKey = `${event.kind}:${event.name}`;
          // Only the diagram's own objects go missing; one an outside client declared just goes.
          const drawn =
            event.kind === 'exchange'
              ? get().topology.exchanges.some((x) => x.name === event.name)
              : get().topology.queues.some((q) => q.name === event.name);
          if (event.change === 'deleted' && drawn && !outsideNames.includes(key))
            missingOnBroker = { ...missingOnBroker, [key]: true };
          else if (missingOnBroker[key]) {
            const { [key]: _back, ...rest } = missingOnBroker;
            missingOnBroker = rest;
          }
        }
        break;
      }
      case 'broker-status':
        broker = event.status;
        break;
      case 'node-error':
        get().addNodeErrors(event.errors);
        break;
      case 'topology':
        get().loadServerTopology(event.topology, {
          keepLocalEdits: get().unsaved,
          outsideNames: { before: outsideNames, after: event.outsideNames ?? [] },
        });
        outsideNames = event.outsideNames ?? [];
        outsideObjects = withServerCopy(outsideObjects);
        break;
      case 'confirmed':
      case 'delivered':
        break;
    }
  }
  set({
    seq,
    droppedUnseen: allowance,
    droppedTotal: state.droppedTotal + dropped,
    queueStats,
    counters,
    publishResults,
    consumerStates,
    producerStates,
    outsideClients,
    outsideObjects,
    outsideNames,
    missingOnBroker,
    broker,
  });
  return { accepted, resync };
}
