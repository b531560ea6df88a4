import type {
  BrokerStatus,
  PublishResponse,
  QueueState,
  ServerFrame,
  WarrenEvent,
} from '@warren/protocol';
import type { StateCreator } from 'zustand';
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
}

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
  queueStats: Record<string, QueueState>;
  publishResults: Record<string, PublishResult>;

  /** The one door through which server frames change the store. */
  applyServerFrame: (frame: ServerFrame) => FrameOutcome;
  setServer: (server: ServerConnection, message?: string) => void;
  setBroker: (broker: BrokerStatus | null) => void;
  /** A publish reply or failure, for when the event stream is slower or absent. */
  setPublishResult: (producerId: string, result: Omit<PublishResult, 'at'>) => void;
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

export const createLiveSlice: StateCreator<WarrenState, [], [], LiveSlice> = (set, get) => ({
  server: 'connecting',
  serverMessage: null,
  broker: null,
  seq: -1,
  droppedUnseen: 0,
  queueStats: {},
  publishResults: {},

  applyServerFrame: (frame) => {
    switch (frame.type) {
      case 'hello': {
        const queueStats: Record<string, QueueState> = {};
        for (const q of frame.queues) queueStats[q.name] = q;
        set({
          seq: frame.seq,
          droppedUnseen: 0,
          queueStats,
          broker: frame.broker,
          server: 'online',
          serverMessage: null,
        });
        get().loadServerTopology(frame.topology, { keepLocalEdits: get().unsaved });
        return { accepted: [], resync: false };
      }
      case 'events':
        return takeEvents(frame.events, frame.dropped, set, get);
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
});

type Set = Parameters<StateCreator<WarrenState>>[0];
type Get = () => WarrenState;

function takeEvents(events: WarrenEvent[], dropped: number, set: Set, get: Get): FrameOutcome {
  const state = get();
  // Before the first hello there is nothing to apply events to; hello will carry their effect.
  if (state.seq < 0) return { accepted: [], resync: false };
  let seq = state.seq;
  // The server may leave out animation events for a slow reader and says how many; such a
  // gap is expected. Any other gap means state was missed.
  let allowance = state.droppedUnseen + dropped;
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
  let publishResults = state.publishResults;
  let broker = state.broker;
  const setResult = (producerId: string, result: Omit<PublishResult, 'at'>, at: number) => {
    const current = publishResults[producerId];
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
      case 'broker-status':
        broker = event.status;
        break;
      case 'node-error':
        get().addNodeErrors(event.errors);
        break;
      case 'topology':
        get().loadServerTopology(event.topology, { keepLocalEdits: get().unsaved });
        break;
      case 'confirmed':
      case 'delivered':
        break;
    }
  }
  set({ seq, droppedUnseen: allowance, queueStats, publishResults, broker });
  return { accepted, resync };
}
