import {
  addNode,
  addPolicy,
  connectNodes,
  deleteElements,
  deletePolicy,
  emptyHistory,
  emptyTopology,
  findElement,
  mapHistory,
  moveNode,
  moveNodes,
  nameProblem,
  policyNameProblem,
  recordEdit,
  redoEdit,
  renameNode,
  undoEdit,
  updateBinding,
  updateConsumer,
  updateExchange,
  updatePolicy,
  updateProducer,
  updateQueue,
  type EditHistory,
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

/** Keystrokes typed into the same fields of one object make one undo step. */
/**
 * Whether the document holds edits the server has not answered yet: unsaved, or changed since a
 * PUT still on its way (the server's echo of that PUT must not undo them, even when they bring
 * the document back to the last saved one, as an Undo or a Tidy after a move can).
 */
export function hasLocalEdits(
  s: Pick<WarrenState, 'unsaved' | 'sendingJson' | 'topology'>,
): boolean {
  return s.unsaved || (s.sendingJson !== null && JSON.stringify(s.topology) !== s.sendingJson);
}

function fieldGroup(id: string, patch: object): string {
  return `fields:${id}:${Object.keys(patch).sort().join(',')}`;
}

/** Outside clients declared an exchange or queue the previous copy did not have. */
function addsObjects(names: { before: readonly string[]; after: readonly string[] }): boolean {
  const before = new Set(names.before);
  return names.after.some(
    (key) => !before.has(key) && (key.startsWith('exchange:') || key.startsWith('queue:')),
  );
}

function compare(topology: Topology, baselineJson: string, baselineBrokerJson: string) {
  const unsaved = JSON.stringify(topology) !== baselineJson;
  return { unsaved, dirty: unsaved && brokerJson(topology) !== baselineBrokerJson };
}

export const createDocumentSlice: StateCreator<WarrenState, [], [], DocumentSlice> = (set, get) => {
  /**
   * Puts `next` in place as a local change. `record` says how it enters the undo history:
   * in a step of its own, folded into the step of its `group`, or not at all (undo, redo).
   */
  const commit = (
    next: Topology,
    extra: Partial<WarrenState>,
    record: { group?: string } | false,
    history?: EditHistory,
  ) => {
    const { baselineJson, baselineBrokerJson, applyOutcome, topology: previous } = get();
    // After a failed Apply the status says so until the user changes what Apply would send.
    const outcome =
      applyOutcome === 'failed' && brokerJson(next) !== brokerJson(previous)
        ? { applyOutcome: 'none' as const }
        : {};
    const changed = next !== previous && JSON.stringify(next) !== JSON.stringify(previous);
    const recorded =
      record !== false && changed
        ? { history: recordEdit(get().history, previous, { ...record, at: Date.now() }) }
        : {};
    set({
      topology: next,
      ...compare(next, baselineJson, baselineBrokerJson),
      ...outcome,
      ...recorded,
      ...(history && { history }),
      ...extra,
    });
  };

  /** Every local edit goes through here, so `dirty` can never disagree with the document. */
  const edit = (next: Topology, extra: Partial<WarrenState> = {}, group?: string) => {
    // A diagram opened through its view link is looked at, never changed.
    if (get().viewing) return;
    if (next === get().topology && Object.keys(extra).length === 0) return;
    commit(next, extra, group === undefined ? {} : { group });
  };

  /** Undo or redo: the document it gives, with the selection of what still exists. */
  const travel = (step: typeof undoEdit) => {
    if (get().viewing) return;
    const { history, topology, selectedNodes, selectedEdges } = get();
    const result = step(history, topology);
    if (!result) return;
    const exists = (id: string) => findElement(result.topology, id) !== undefined;
    commit(
      result.topology,
      {
        selectedNodes: selectedNodes.filter(exists),
        selectedEdges: selectedEdges.filter(exists),
        dragPositions: {},
      },
      false,
      result.history,
    );
  };

  return {
    topology: emptyTopology(),
    baselineJson: emptyJson,
    baselineBrokerJson: brokerJson(emptyTopology()),
    dirty: false,
    unsaved: false,
    history: emptyHistory(),

    loadServerTopology: (topology, options = {}) => {
      const baselineJson = JSON.stringify(topology);
      const baselineBrokerJson = brokerJson(topology);
      const { topology: local, baselineJson: previousJson, history } = get();
      const names = options.outsideNames;
      // What outside clients did holds in every step of the history too, so Undo does not
      // delete what a client declared, nor bring back what it deleted.
      const previous = names && (JSON.parse(previousJson) as Topology);
      const follow = (t: Topology) =>
        names && previous ? followOutsideChanges(t, previous, topology, names) : t;
      const arrived = names ? addsObjects(names) : false;
      const fit = arrived ? { fitRequest: get().fitRequest + 1 } : {};
      if (options.keepLocalEdits) {
        const next = follow(local);
        set({
          ...(next !== local && { topology: next }),
          baselineJson,
          baselineBrokerJson,
          ...compare(next, baselineJson, baselineBrokerJson),
          ...(names && { history: mapHistory(history, follow) }),
          ...fit,
        });
        return;
      }
      set({
        topology,
        baselineJson,
        baselineBrokerJson,
        dirty: false,
        unsaved: false,
        // Another diagram altogether (no word about local edits: a session or a saved diagram
        // opened) starts a history of its own; an Apply's reply or a hello keeps it.
        history:
          options.keepLocalEdits === undefined
            ? emptyHistory()
            : names
              ? mapHistory(history, follow)
              : history,
        ...fit,
      });
    },

    addNode: (kind, position, exchangeType) => {
      const { topology, id } = addNode(get().topology, kind, position, exchangeType);
      edit(topology, { selectedNodes: [id], selectedEdges: [] });
      return id;
    },
    rename: (id, name) => {
      const topology = get().topology;
      if (nameProblem(topology, id, name) !== undefined) return;
      edit(renameNode(topology, id, name), {}, `rename:${id}`);
    },
    updateExchange: (id, patch) =>
      edit(updateExchange(get().topology, id, patch), {}, fieldGroup(id, patch)),
    updateQueue: (id, patch) =>
      edit(updateQueue(get().topology, id, patch), {}, fieldGroup(id, patch)),
    updateProducer: (id, patch) =>
      edit(updateProducer(get().topology, id, patch), {}, fieldGroup(id, patch)),
    updateConsumer: (id, patch) =>
      edit(updateConsumer(get().topology, id, patch), {}, fieldGroup(id, patch)),
    updateBinding: (id, patch) =>
      edit(updateBinding(get().topology, id, patch), {}, fieldGroup(id, patch)),
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
    moveNodes: (positions, group) => edit(moveNodes(get().topology, positions), {}, group),
    undo: () => travel(undoEdit),
    redo: () => travel(redoEdit),
    addPolicy: () => {
      const { topology, id } = addPolicy(get().topology);
      edit(topology);
      return id;
    },
    updatePolicy: (id, patch) => {
      const topology = get().topology;
      if (patch.name !== undefined && policyNameProblem(topology, id, patch.name)) return;
      edit(updatePolicy(topology, id, patch), {}, fieldGroup(id, patch));
    },
    deletePolicy: (id) => edit(deletePolicy(get().topology, id)),
    addPasted: (topology, nodes, edges) =>
      edit(topology, { selectedNodes: nodes, selectedEdges: edges }),
    // A diagram that arrives whole (an import, a file, a lesson) is shown whole.
    replaceTopology: (topology) =>
      edit(topology, {
        selectedNodes: [],
        selectedEdges: [],
        dragPositions: {},
        fitRequest: get().fitRequest + 1,
      }),
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
