import { useMemo } from 'react';
import { useWarren } from '../../store/store';

/**
 * Lights up the nodes on the explained route and dims the rest, by styling React Flow's node
 * wrappers through their `data-id`, so no node component re-renders for it. Edges on a route
 * style themselves through `useRouteHighlight`; the others (consumers', outside clients') dim.
 */
export function RouteHighlightStyle() {
  const highlight = useWarren(useWarren.derived.routeHighlight);
  const css = useMemo(() => {
    if (!highlight) return '';
    const rules = [
      '.react-flow__node { opacity: 0.32; transition: opacity 0.2s; }',
      // Edges that are never on a route (consumers', outside clients') carry no route class.
      '.react-flow__edge:not(:has(.route-mark)) { opacity: 0.25; }',
    ];
    for (const [id, mark] of highlight.nodes) {
      const node = `.react-flow__node[data-id="${CSS.escape(id)}"]`;
      rules.push(`${node} { opacity: 1; }`);
      rules.push(`${node} > .node { box-shadow: var(--route-glow-${mark}); }`);
    }
    return rules.join('\n');
  }, [highlight]);
  if (css === '') return null;
  return <style>{css}</style>;
}
