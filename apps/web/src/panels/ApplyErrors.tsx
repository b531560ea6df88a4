import { applyTopology } from '../live/commands';
import { findElement } from '@warren/topology';
import { selectApplyProblems, selectCanRecreate } from '../store/selectors';
import { useWarren, type WarrenState } from '../store/store';

const selectTopology = (s: WarrenState) => s.topology;

/** Every problem of the last Apply in one list; clicking one selects the node or edge at fault. */
export function ApplyErrors() {
  const problems = useWarren(selectApplyProblems);
  const topology = useWarren(selectTopology);
  const canRecreate = useWarren(selectCanRecreate);
  if (problems.length === 0) return null;
  const describe = (id: string | undefined) => {
    if (id === undefined) return undefined;
    const element = findElement(topology, id);
    if (!element) return undefined;
    if (element.kind === 'binding') return `${element.item.source} → ${element.item.destination}`;
    if (element.kind === 'publish') return `${element.item.name} → ${element.item.exchange}`;
    return element.item.name;
  };
  const focus = (id: string | undefined) => {
    if (id === undefined) return;
    const element = findElement(useWarren.getState().topology, id);
    if (!element) return;
    const isEdge = element.kind === 'binding' || element.kind === 'publish';
    useWarren.getState().select(isEdge ? { edges: [id] } : { nodes: [id] });
  };
  return (
    <section className="apply-errors" data-testid="apply-errors" aria-label="Problems">
      <h2 className="apply-errors__title">
        {problems.length === 1 ? '1 problem' : `${problems.length} problems`} from the last Apply
      </h2>
      <ul>
        {problems.map((p, i) => {
          const where = describe(p.elementId);
          return (
            <li key={i}>
              <button
                type="button"
                onClick={() => focus(p.elementId)}
                disabled={where === undefined}
                title={p.brokerMessage ?? p.path}
              >
                {where !== undefined && <span className="apply-errors__where">{where}</span>}
                <span className="apply-errors__message">{p.message}</span>
              </button>
            </li>
          );
        })}
      </ul>
      {canRecreate && (
        <div className="apply-errors__recreate">
          <button
            type="button"
            data-testid="apply-recreate"
            onClick={() => void applyTopology({ recreate: true })}
          >
            Delete and re-declare them
          </button>
          <span>Their messages are lost.</span>
        </div>
      )}
    </section>
  );
}
