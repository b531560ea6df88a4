import { useDeclaredOutside } from '../../store/selectors';

/** Marks an exchange or queue of the diagram that a client outside Warren declared. */
export function OutsideBadge({ kind, name }: { kind: 'exchange' | 'queue'; name: string }) {
  const outside = useDeclaredOutside(kind, name);
  if (!outside) return null;
  return (
    <div
      className="outside-note"
      title={`Declared on the broker by a client outside Warren, not by this diagram's Apply`}
    >
      <span className="outside-badge" data-testid={`outside-badge-${name}`}>
        outside
      </span>
      declared elsewhere
    </div>
  );
}
