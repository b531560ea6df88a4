import { Glyph, Stroke } from '../canvas/nodes/NodeIcons';
import { useWarren, type WarrenState } from '../store/store';

const selectPolicyCount = (s: WarrenState) => s.topology.policies?.length ?? 0;
const selectOpen = (s: WarrenState) => s.policiesOpen;

/** Opens and closes the policies panel; shows how many policies the diagram has. */
export function PoliciesButton() {
  const count = useWarren(selectPolicyCount);
  const open = useWarren(selectOpen);
  return (
    <button
      type="button"
      className={`tool-button ${open ? 'is-active' : ''}`}
      data-testid="policies-open"
      aria-pressed={open}
      title="Policies set arguments on every queue or exchange whose name matches a pattern"
      onClick={() => useWarren.getState().setPoliciesOpen(!open)}
    >
      <Glyph>
        <Stroke d="M4 5h12M4 10h12M4 15h7" />
      </Glyph>
      Policies
      {count > 0 && <span className="toolbar-button__count">{count}</span>}
    </button>
  );
}
