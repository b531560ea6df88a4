import {
  addNode,
  addPolicy,
  connectNodes,
  deleteElements,
  deletePolicy,
  emptyTopology,
  moveNode,
  nameProblem,
  policyNameProblem,
  renameNode,
  updateBinding,
  updateConsumer,
  updateExchange,
  updatePolicy,
  updateProducer,
  updateQueue,
  type Topology,
} from '@warren/topology';
import type { StateCreator } from 'zustand';
import { loadLayout } from '../canvas/derive/layout-loader';
import { followOutsideChanges } from './document-outside';
import type { DocumentSlice, WarrenState } from './state';

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
    // A diagram opened through its view link is looked at, never changed.
    if (get().viewing) return;
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
      const { topology, id } = addNode(get().topology, kind, position, exchangeType);
      edit(topology, { selectedNodes: [id], selectedEdges: [] });
      return id;
    },
    rename: (id, name) => {
      const topology = get().topology;
      if (nameProblem(topology, id, name) !== undefined) return;
      edit(renameNode(topology, id, name));
    },
    updateExchange: (id, patch) => edit(updateExchange(get().topology, id, patch)),
    updateQueue: (id, patch) => edit(updateQueue(get().topology, id, patch)),
    updateProducer: (id, patch) => edit(updateProducer(get().topology, id, patch)),
    updateConsumer: (id, patch) => edit(updateConsumer(get().topology, id, patch)),
    updateBinding: (id, patch) => edit(updateBinding(get().topology, id, patch)),
    connect: (sourceId, targetId) => {
      const { topology, edgeId } = connectNodes(get().topology, sourceId, targetId);
      edit(topology, edgeId === undefined ? {} : { selectedEdges: [edgeId], selectedNodes: [] });
    },
    deleteElements: (ids) => {
      if (ids.length === 0) return;
      const gone = new Set(ids);
      const { selectedNodes, selectedEdges } = get();
      edit(deleteElements(get().topology, ids), {
        selectedNodes: selectedNodes.filter((id) => !gone.has(id)),
        selectedEdges: selectedEdges.filter((id) => !gone.has(id)),
      });
    },
    moveNode: (id, position) => edit(moveNode(get().topology, id, position)),
    addPolicy: () => {
      const { topology, id } = addPolicy(get().topology);
      edit(topology);
      return id;
    },
    updatePolicy: (id, patch) => {
      const topology = get().topology;
      if (patch.name !== undefined && policyNameProblem(topology, id, patch.name)) return;
      edit(updatePolicy(topology, id, patch));
    },
    deletePolicy: (id) => edit(deletePolicy(get().topology, id)),
    replaceTopology: (topology) =>
      edit(topology, { selectedNodes: [], selectedEdges: [], dragPositions: {} }),
    tidy: async () => {
      if (get().viewing) return;
      const layout = await loadLayout();
      const { topology, measured, fitRequest } = get();
      const sizes = Object.fromEntries(
        Object.entries(measured).map(([id, size]) => [
          id,
          { width: size.width, height: size.height },
        ]),
      );
      edit(layout(topology, { all: true, sizes }), {
        dragPositions: {},
        fitRequest: fitRequest + 1,
      });
    },
  };
};
