import type { ApplyProblem } from '../../store/state';

/** The broker's or the validator's complaint about this node, on the node itself. */
export function NodeErrors({ name, errors }: { name: string; errors: ApplyProblem[] }) {
  if (errors.length === 0) return null;
  const title = errors.map((e) => e.brokerMessage ?? e.message).join('\n');
  return (
    <div className="node__error" data-testid={`node-error-${name}`} title={title} role="alert">
      <span className="node__error-text">{errors.map((e) => e.message).join(' ')}</span>
    </div>
  );
}
