import { parseTopology, type Topology, type TopologyIssue } from '@warren/topology';
import { useCallback, useMemo } from 'react';
import { fieldProblems, pathOfElement } from '../../store/document-ops';
import { useElementErrors } from '../../store/selectors';
import { useWarren, type WarrenState } from '../../store/store';

const noIssues: TopologyIssue[] = [];

/**
 * What the validator says about the document as it is now, so a field is marked while it is
 * typed rather than after Apply. Computed once per document version.
 */
export const selectDocumentIssues = (() => {
  let last: Topology | undefined;
  let issues: TopologyIssue[] = noIssues;
  return (s: WarrenState): TopologyIssue[] => {
    if (s.topology !== last) {
      last = s.topology;
      const result = parseTopology(s.topology);
      issues = result.ok ? noIssues : result.issues;
    }
    return issues;
  };
})();

/**
 * Problems inside the object `id` by field (see `fieldProblems`): the validator's, and those
 * of the last Apply that point at a field. Apply problems about the object as a whole are
 * shown by the inspector's error box instead.
 */
export function useFieldProblems(id: string): Map<string, string[]> {
  const issues = useWarren(selectDocumentIssues);
  const applied = useElementErrors(id);
  const path = useWarren(useCallback((s: WarrenState) => pathOfElement(s.topology, id), [id]));
  return useMemo(() => {
    if (path === undefined) return new Map<string, string[]>();
    const located = applied.filter((p) => p.path !== undefined && p.path.startsWith(`${path}/`));
    return fieldProblems([...issues, ...located], path);
  }, [issues, applied, path]);
}
