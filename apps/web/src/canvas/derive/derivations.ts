import type { ExplainMessage, Topology, TopologyIssue } from '@warren/topology';
import type { DerivationInputs } from '../../canvas-inputs';
import {
  explainedArea,
  explainForm,
  explainMessage,
  explainSafely,
  routeHighlight,
  type ExplainForm,
  type ExplainOutcome,
  type RouteHighlight,
} from './explain-route';
import { createFlowEdges } from './flow-edges';
import { createFlowNodes } from './flow-nodes';
import { memoOn } from './memo';
import { loadedValidator, loadValidator } from './validator-loader';

const noIssues: TopologyIssue[] = [];

/**
 * Everything the canvas and the panels derive from one store, as selectors with caches of
 * their own. The store makes one set when it is made, so two stores never share a result.
 */
export function createDerivations() {
  const flowNodes = createFlowNodes();
  const flowEdges = createFlowEdges();

  const form = memoOn(
    (s: DerivationInputs) => [s.topology.producers, s.explainProducerId, s.explainDraft],
    (s): ExplainForm => explainForm(s.topology, s.explainProducerId, s.explainDraft),
  );

  let lastForm: ExplainForm | undefined;
  let lastKey = '';
  let message: ExplainMessage | undefined;
  const messageOf = (s: DerivationInputs): ExplainMessage => {
    const current = form(s);
    if (message && current === lastForm) return message;
    const next = explainMessage(current);
    const key = JSON.stringify(next);
    lastForm = current;
    // Equal messages keep one identity, so an unrelated edit does not explain again.
    if (!message || key !== lastKey) {
      lastKey = key;
      message = next;
    }
    return message;
  };

  const explanation = memoOn(
    (s: DerivationInputs) => [s.topology, messageOf(s)],
    (s): ExplainOutcome => explainSafely(s.topology, messageOf(s)),
  );

  const highlight = memoOn(
    (s: DerivationInputs) => [explanation(s), s.explainProducerId],
    (s): RouteHighlight | null => {
      const outcome = explanation(s);
      return outcome.ok
        ? routeHighlight(s.topology, outcome.explanation, s.explainProducerId)
        : null;
    },
  );

  return {
    /** React Flow's nodes: the document's, then those of clients outside Warren. */
    flowNodes,
    /** React Flow's edges: publish, consume, bindings, relations and outside lines. */
    flowEdges,
    /** The message in the explain panel, with its linked producer's fields as the truth. */
    explainForm: form,
    /** That message as the explainer takes it; equal messages keep one identity. */
    explainMessage: messageOf,
    /** The route the explainer predicts for it, or the sentence saying why it could not. */
    explanation,
    /** Which nodes and edges the route lights up; null while the panel is closed. */
    routeHighlight: (s: DerivationInputs): RouteHighlight | null =>
      s.explainOpen ? highlight(s) : null,
    /** The ids of the nodes the explanation talks about, joined, so it compares by value. */
    explainedArea: (s: DerivationInputs): string => {
      if (!s.explainOpen) return '';
      const outcome = explanation(s);
      return outcome.ok ? explainedArea(s.topology, outcome.explanation, s.explainProducerId) : '';
    },
    /**
     * What the validator says about the document as it is now, so a field is marked while it
     * is typed rather than after Apply. Computed once per document version; nothing until the
     * validator has been fetched (asking starts the fetch).
     */
    documentIssues: memoOn(
      (s: DerivationInputs) => [s.topology, loadedValidator()],
      (s): TopologyIssue[] => {
        const parse = loadedValidator();
        if (!parse) {
          void loadValidator();
          return noIssues;
        }
        const result = parse(s.topology);
        return result.ok ? noIssues : result.issues;
      },
    ),
    /** The server's own copy of the document, which it validated when it took it. */
    appliedTopology: memoOn(
      (s: DerivationInputs) => [s.baselineJson],
      (s): Topology | undefined =>
        s.baselineJson === '' ? undefined : (JSON.parse(s.baselineJson) as Topology),
    ),
  };
}

export type Derivations = ReturnType<typeof createDerivations>;
