import type { ReactNode } from 'react';

/** The top line of a node: its kind's glyph and word, then what the node adds (badges, status). */
export function NodeHeader({
  icon,
  kind,
  children,
}: {
  icon: ReactNode;
  kind: string;
  children?: ReactNode;
}) {
  return (
    <div className="node__header">
      <span className="node__icon">{icon}</span>
      <span className="node__kind">{kind}</span>
      {children}
    </div>
  );
}
