import type { Topology } from '@warren/topology';
import type { StateCreator } from 'zustand';
import { headerRecord, headerRows } from '../canvas/derive/explain-route';
import type { ExplainSlice, WarrenState } from './state';

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
