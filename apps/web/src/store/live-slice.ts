import type { PublishResponse, QueueState, WarrenEvent } from '@warren/protocol';
import type { CounterSnapshot } from '@warren/topology';
import type { StateCreator } from 'zustand';
import { hasLocalEdits } from './document-slice';
import { outsideKey, withOutsideChange, withOutsideClient, withServerCopy } from './outside-state';
import { nextProducerRuntime, notBehind } from './producer-runtime';
import type { FrameOutcome, LiveSlice, MissingKey, PublishResult, WarrenState } from './state';
import type { DirectReplier } from '../canvas-inputs';

const sameReplier = (a: DirectReplier | undefined, b: DirectReplier): boolean =>
  a !== undefined &&
  ('outsideClientId' in a
    ? 'outsideClientId' in b && a.outsideClientId === b.outsideClientId
    : 'consumerId' in b && a.consumerId === b.consumerId);

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

/**
 * Queue depths, edge counters and the running counts of producers and consumers change with
 * nearly every frame under load, and every change re-renders the nodes and edges showing them.
 * They reach the store at most this often (the newest values, so they stay exact); the first
 * change after a quiet spell goes at once.
 */
export const LIVE_FLUSH_MS = 250;

type LiveFields = Pick<LiveSlice, 'counters' | 'queueStats' | 'consumerStates' | 'producerStates'>;

/** Those fields newer than the store's, waiting for the next flush. */
interface Held {
  values: Partial<LiveFields>;
  timer: ReturnType<typeof setTimeout> | undefined;
  lastFlush: number;
}

export const createLiveSlice: StateCreator<WarrenState, [], [], LiveSlice> = (set, get) => {
  const held: Held = { values: {}, timer: undefined, lastFlush: 0 };
  const release = () => {
    clearTimeout(held.timer);
    held.timer = undefined;
    held.values = {};
  };
  const flush = () => {
    const values = held.values;
    release();
    held.lastFlush = Date.now();
    if (Object.keys(values).length > 0) set(values);
  };
  /** Before a change that does not come through the event stream, so it builds on the newest. */
  const settle = () => {
    if (held.timer !== undefined) flush();
  };
  return {
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
    outsideOwners: {},
    directReplies: {},

    applyServerFrame: (frame) => {
      switch (frame.type) {
        case 'hello': {
          const queueStats: Record<string, QueueState> = {};
          for (const q of frame.queues) queueStats[q.name] = q;
          const outsideBefore = get().outsideNames;
          release();
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
            outsideOwners: frame.outsideOwners ?? {},
            broker: frame.broker,
            server: 'online',
            serverMessage: null,
          });
          get().loadServerTopology(frame.topology, {
            keepLocalEdits: hasLocalEdits(get()),
            outsideNames: { before: outsideBefore, after: frame.outsideNames ?? [] },
          });
          if (frame.lesson) get().lessonProgress(frame.lesson.steps);
          return { accepted: [], resync: false };
        }
        case 'events':
          return takeEvents(frame.events, frame.dropped, frame.replaced ?? 0, set, get, {
            held,
            flush,
          });
        // The classroom's own state is the classroom page's; the session's store keeps none of it.
        case 'classroom':
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
    setConsumerState: (state) => {
      settle();
      set({ consumerStates: { ...get().consumerStates, [state.consumerId]: state } });
    },
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
  };
};

type Set = Parameters<StateCreator<WarrenState>>[0];
type Get = () => WarrenState;

function takeEvents(
  events: WarrenEvent[],
  dropped: number,
  replaced: number,
  set: Set,
  get: Get,
  live: { held: Held; flush: () => void },
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

  const { held } = live;
  const base = { ...state, ...held.values };
  let queueStats = base.queueStats;
  let counters = base.counters;
  let liveChanged = false;
  let urgent = false;
  let publishResults = state.publishResults;
  let consumerStates = base.consumerStates;
  let producerStates = base.producerStates;
  let outsideClients = state.outsideClients;
  let outsideObjects = state.outsideObjects;
  let outsideNames = state.outsideNames;
  let outsideOwners = state.outsideOwners;
  let directReplies = state.directReplies;
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
        liveChanged = true;
        break;
      }
      case 'counters':
        counters = { edges: event.edges, exchanges: event.exchanges };
        liveChanged = true;
        break;
      case 'routed': {
        // The replier: an outside client, or a consumer node Warren runs (an RPC responder).
        const replier: DirectReplier | undefined =
          event.outsideClientId !== undefined
            ? { outsideClientId: event.outsideClientId }
            : event.consumerId !== undefined
              ? { consumerId: event.consumerId }
              : undefined;
        if (
          event.directReplyTo !== undefined &&
          replier !== undefined &&
          !sameReplier(directReplies[event.directReplyTo], replier)
        )
          directReplies = { ...directReplies, [event.directReplyTo]: replier };
        if (event.producerId !== undefined)
          setResult(
            event.producerId,
            { ...describePublish(event), messageId: event.messageId },
            event.at,
          );
        break;
      }
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
        const before = consumerStates[event.consumerId];
        // A change of status (paused, stopped, failed) shows at once; new counts may wait.
        if (before?.status !== consumerState.status || before.error !== consumerState.error)
          urgent = true;
        consumerStates = { ...consumerStates, [event.consumerId]: consumerState };
        liveChanged = true;
        break;
      }
      case 'producer-state': {
        const { type: _type, seq: _seq, at: _at, ...producerState } = event;
        if (producerStates[event.producerId]?.running !== producerState.running) urgent = true;
        producerStates = {
          ...producerStates,
          [event.producerId]: nextProducerRuntime(
            producerStates[event.producerId],
            producerState,
            now,
          ),
        };
        liveChanged = true;
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
          keepLocalEdits: hasLocalEdits(get()),
          outsideNames: { before: outsideNames, after: event.outsideNames ?? [] },
        });
        outsideNames = event.outsideNames ?? [];
        outsideOwners = event.outsideOwners ?? {};
        outsideObjects = withServerCopy(outsideObjects);
        break;
      case 'lesson-progress':
        state.lessonProgress(event.steps);
        break;
      case 'confirmed':
      case 'delivered':
        break;
    }
  }
  let liveNow = {};
  if (liveChanged) {
    const wait = held.lastFlush + LIVE_FLUSH_MS - Date.now();
    const values: LiveFields = { queueStats, counters, consumerStates, producerStates };
    if (urgent || (wait <= 0 && held.timer === undefined)) {
      clearTimeout(held.timer);
      held.timer = undefined;
      held.values = {};
      held.lastFlush = Date.now();
      liveNow = values;
    } else {
      held.values = values;
      held.timer ??= setTimeout(live.flush, Math.max(0, wait));
    }
  }
  set({
    seq,
    droppedUnseen: allowance,
    droppedTotal: state.droppedTotal + dropped,
    ...liveNow,
    publishResults,
    outsideClients,
    outsideObjects,
    outsideNames,
    outsideOwners,
    directReplies,
    missingOnBroker,
    broker,
  });
  return { accepted, resync };
}
