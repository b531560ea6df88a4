import type { Producer, Topology } from '@warren/topology';
import type { StateCreator } from 'zustand';
import type { WarrenState } from './store';

/** One header of the message being explained, as typed (a row may be half filled in). */
export interface HeaderRow {
  key: string;
  value: string;
}

/** The message the explain panel asks about. */
export interface ExplainDraft {
  /** '' is the default exchange. */
  exchange: string;
  routingKey: string;
  headers: HeaderRow[];
  /** Per-message TTL in milliseconds as typed; '' for none. */
  expiration: string;
  mandatory: boolean;
}

/** What the broker did with a message sent while the panel was open, next to the prediction. */
export interface BrokerComparison {
  /** When the broker's answer arrived; a new one replaces the old. */
  at: number;
  messageId: string | null;
  predictedQueues: string[];
  /** Consistent-hash exchanges on the way: exactly one queue of each list is also expected. */
  hashChoices: { exchange: string; queues: string[] }[];
  predictedReturned: boolean;
  brokerQueues: string[];
  brokerReturned: boolean;
  agreed: boolean;
  /** The message compared, as JSON, to tell when the panel has moved on to another one. */
  messageKey: string;
  /** Set when there was no prediction to compare with (the explainer failed). */
  problem?: string;
}

export type TransferDialog = 'import' | 'export' | null;

export interface ExplainSlice {
  explainOpen: boolean;
  /** The producer whose message is explained; edits in the panel change that producer. */
  explainProducerId: string | null;
  /** The message when no producer is linked, and the fields a producer has no place for. */
  explainDraft: ExplainDraft;
  explainComparison: BrokerComparison | null;
  /** The import or export dialog, when one is open. */
  transferDialog: TransferDialog;

  /** Opens the panel on a producer's message, the selected producer's, or the last draft. */
  openExplain: (producerId?: string | null) => void;
  closeExplain: () => void;
  editExplainMessage: (patch: Partial<ExplainDraft>) => void;
  setExplainComparison: (comparison: BrokerComparison | null) => void;
  openTransferDialog: (dialog: TransferDialog) => void;
}

export function headerRows(headers: Producer['headers']): HeaderRow[] {
  return Object.entries(headers ?? {}).map(([key, value]) => ({
    key,
    value: typeof value === 'string' ? value : JSON.stringify(value),
  }));
}

/** Rows with a name, as a header table; later rows win, as they would in a typed map. */
export function headerRecord(rows: readonly HeaderRow[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (const row of rows) {
    const key = row.key.trim();
    if (key !== '') record[key] = row.value;
  }
  return record;
}

function firstExchange(topology: Topology): string {
  return topology.exchanges[0]?.name ?? '';
}

export const createExplainSlice: StateCreator<WarrenState, [], [], ExplainSlice> = (set, get) => ({
  explainOpen: false,
  explainProducerId: null,
  explainDraft: { exchange: '', routingKey: '', headers: [], expiration: '', mandatory: false },
  explainComparison: null,
  transferDialog: null,

  openExplain: (producerId) => {
    const { topology, selectedNodes, explainDraft, explainProducerId, explainComparison } = get();
    const wanted =
      producerId ??
      selectedNodes.findLast((id) => topology.producers.some((p) => p.id === id)) ??
      explainProducerId;
    const producer = topology.producers.find((p) => p.id === wanted);
    if (producer) {
      set({
        explainOpen: true,
        explainProducerId: producer.id,
        explainComparison: producer.id === explainProducerId ? explainComparison : null,
        explainDraft: {
          exchange: producer.exchange,
          routingKey: producer.routingKey,
          headers: headerRows(producer.headers),
          expiration: explainDraft.expiration,
          mandatory: producer.mandatory,
        },
        transferDialog: null,
      });
      return;
    }
    // Without a producer, start from the first drawn exchange (the default exchange is rarely
    // what a learner means to ask about) unless the last draft chose one that still exists.
    const untouched = explainDraft.exchange === '' && explainDraft.routingKey === '';
    const exists =
      explainDraft.exchange === '' ||
      explainDraft.exchange.startsWith('amq.') ||
      topology.exchanges.some((x) => x.name === explainDraft.exchange);
    set({
      explainOpen: true,
      explainProducerId: null,
      explainComparison: null,
      explainDraft:
        untouched || !exists
          ? { ...explainDraft, exchange: firstExchange(topology) }
          : explainDraft,
      transferDialog: null,
    });
  },

  closeExplain: () => set({ explainOpen: false }),

  editExplainMessage: (patch) => {
    const { explainDraft, explainProducerId, topology } = get();
    set({ explainDraft: { ...explainDraft, ...patch } });
    const producer = topology.producers.find((p) => p.id === explainProducerId);
    if (!producer) return;
    // The panel and the producer describe one message: what is explained is what Send sends.
    const update: Parameters<WarrenState['updateProducer']>[1] = {};
    if (patch.exchange !== undefined) update.exchange = patch.exchange;
    if (patch.routingKey !== undefined) update.routingKey = patch.routingKey;
    if (patch.mandatory !== undefined) update.mandatory = patch.mandatory;
    if (patch.headers !== undefined) {
      const headers = headerRecord(patch.headers);
      update.headers = Object.keys(headers).length > 0 ? headers : undefined;
    }
    if (Object.keys(update).length > 0) get().updateProducer(producer.id, update);
  },

  setExplainComparison: (comparison) => set({ explainComparison: comparison }),

  openTransferDialog: (dialog) => set({ transferDialog: dialog }),
});
