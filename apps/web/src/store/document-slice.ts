import { emptyTopology, type ExchangeType, type Position, type Topology } from '@warren/topology';
import type { StateCreator } from 'zustand';
import * as ops from './document-ops';
import { followOutsideChanges, type OutsideNamesChange } from './document-outside';
import type { WarrenState } from './store';

/** The diagram being edited. It is the source of truth; canvas nodes and edges derive from it. */
export interface DocumentSlice {
  topology: Topology;
  /** The document as the server last confirmed it, serialized for cheap comparison. */
  baselineJson: string;
  /** Only the parts of that document the broker sees, serialized. */
  baselineBrokerJson: string;
  /** Apply would change something on the broker: exchanges, queues or bindings differ. */
  dirty: boolean;
  /** The document differs from the server's copy at all (also in positions or producers). */
  unsaved: boolean;

  /**
   * Takes the server's copy of the document (session load, hello, apply reply). With
   * `keepLocalEdits` it only becomes the new baseline and the local document stays, with what
   * clients outside Warren declared or deleted since (`outsideNames` before and after) carried
   * into it, so Apply neither deletes the one nor declares the other again.
   */
  loadServerTopology: (
    topology: Topology,
    options?: { keepLocalEdits?: boolean; outsideNames?: OutsideNamesChange },
  ) => void;
  addNode: (kind: ops.NodeKind, position: Position, exchangeType?: ExchangeType) => string;
  rename: (id: string, name: string) => void;
  updateExchange: (id: string, patch: Parameters<typeof ops.updateExchange>[2]) => void;
  updateQueue: (id: string, patch: Parameters<typeof ops.updateQueue>[2]) => void;
  updateProducer: (id: string, patch: Parameters<typeof ops.updateProducer>[2]) => void;
  updateConsumer: (id: string, patch: Parameters<typeof ops.updateConsumer>[2]) => void;
  updateBinding: (id: string, patch: Parameters<typeof ops.updateBinding>[2]) => void;
  connect: (sourceId: string, targetId: string) => void;
  deleteElements: (ids: string[]) => void;
  moveNode: (id: string, position: Position) => void;
  addPolicy: () => string;
  updatePolicy: (id: string, patch: Parameters<typeof ops.updatePolicy>[2]) => void;
  deletePolicy: (id: string) => void;
  /** Puts a whole new diagram in place (an import); Apply then sends it as usual. */
  replaceTopology: (topology: Topology) => void;
}

/**
 * What the broker is told about (exchanges, queues, bindings, policies) and the consumers
 * that take messages from it: positions, producers and the diagram's name are Warren's own,
 * so changing them needs no Apply. A consumer waits for Apply like a queue does, so drawing
 * one never starts taking messages behind the learner's back.
 */
export function brokerJson(topology: Topology): string {
  return JSON.stringify({
    exchanges: topology.exchanges.map(({ position: _p, ...exchange }) => exchange),
    queues: topology.queues.map(({ position: _p, ...queue }) => queue),
    bindings: topology.bindings,
    policies: topology.policies ?? [],
    consumers: (topology.consumers ?? []).map(({ position: _p, ...consumer }) => consumer),
  });
}

const emptyJson = JSON.stringify(emptyTopology());

function compare(topology: Topology, baselineJson: string, baselineBrokerJson: string) {
  const unsaved = JSON.stringify(topology) !== baselineJson;
  return { unsaved, dirty: unsaved && brokerJson(topology) !== baselineBrokerJson };
}

export const createDocumentSlice: StateCreator<WarrenState, [], [], DocumentSlice> = (set, get) => {
  /** Every local edit goes through here, so `dirty` can never disagree with the document. */
  const edit = (next: Topology, extra: Partial<WarrenState> = {}) => {
    if (next === get().topology && Object.keys(extra).length === 0) return;
    const { baselineJson, baselineBrokerJson, applyOutcome, topology: previous } = get();
    // After a failed Apply the status says so until the user changes what Apply would send.
    const outcome =
      applyOutcome === 'failed' && brokerJson(next) !== brokerJson(previous)
        ? { applyOutcome: 'none' as const }
        : {};
    set({
      topology: next,
      ...compare(next, baselineJson, baselineBrokerJson),
      ...outcome,
      ...extra,
    });
  };

  return {
    topology: emptyTopology(),
    baselineJson: emptyJson,
    baselineBrokerJson: brokerJson(emptyTopology()),
    dirty: false,
    unsaved: false,

    loadServerTopology: (topology, options = {}) => {
      const baselineJson = JSON.stringify(topology);
      const baselineBrokerJson = brokerJson(topology);
      if (options.keepLocalEdits) {
        const { topology: local, baselineJson: previousJson } = get();
        const next = options.outsideNames
          ? followOutsideChanges(
              local,
              JSON.parse(previousJson) as Topology,
              topology,
              options.outsideNames,
            )
          : local;
        set({
          ...(next !== local && { topology: next }),
          baselineJson,
          baselineBrokerJson,
          ...compare(next, baselineJson, baselineBrokerJson),
        });
        return;
      }
      set({ topology, baselineJson, baselineBrokerJson, dirty: false, unsaved: false });
    },

    addNode: (kind, position, exchangeType) => {
      const { topology, id } = ops.addNode(get().topology, kind, position, exchangeType);
      edit(topology, { selectedNodes: [id], selectedEdges: [] });
      return id;
    },
    rename: (id, name) => {
      const topology = get().topology;
      if (ops.nameProblem(topology, id, name) !== undefined) return;
      edit(ops.rename(topology, id, name));
    },
    updateExchange: (id, patch) => edit(ops.updateExchange(get().topology, id, patch)),
    updateQueue: (id, patch) => edit(ops.updateQueue(get().topology, id, patch)),
    updateProducer: (id, patch) => edit(ops.updateProducer(get().topology, id, patch)),
    updateConsumer: (id, patch) => edit(ops.updateConsumer(get().topology, id, patch)),
    updateBinding: (id, patch) => edit(ops.updateBinding(get().topology, id, patch)),
    connect: (sourceId, targetId) => {
      const { topology, edgeId } = ops.connect(get().topology, sourceId, targetId);
      edit(topology, edgeId === undefined ? {} : { selectedEdges: [edgeId], selectedNodes: [] });
    },
    deleteElements: (ids) => {
      if (ids.length === 0) return;
      const gone = new Set(ids);
      const { selectedNodes, selectedEdges } = get();
      edit(ops.deleteElements(get().topology, ids), {
        selectedNodes: selectedNodes.filter((id) => !gone.has(id)),
        selectedEdges: selectedEdges.filter((id) => !gone.has(id)),
      });
    },
    moveNode: (id, position) => edit(ops.moveNode(get().topology, id, position)),
    addPolicy: () => {
      const { topology, id } = ops.addPolicy(get().topology);
      edit(topology);
      return id;
    },
    updatePolicy: (id, patch) => {
      const topology = get().topology;
      if (patch.name !== undefined && ops.policyNameProblem(topology, id, patch.name)) return;
      edit(ops.updatePolicy(topology, id, patch));
    },
    deletePolicy: (id) => edit(ops.deletePolicy(get().topology, id)),
    replaceTopology: (topology) =>
      edit(topology, { selectedNodes: [], selectedEdges: [], dragPositions: {} }),
  };
};
