import { fieldProblems, pathOfElement } from '@warren/topology';
import { useCallback, useMemo, useSyncExternalStore } from 'react';
import { loadedValidator, onValidatorLoaded } from '../../canvas/derive/validator-loader';
import { useElementErrors } from '../../store/selectors';
import { useWarren, type WarrenState } from '../../store/store';

const { derived } = useWarren;

/**
 * Problems inside the object `id` by field (see `fieldProblems`): the validator's, and those
 * of the last Apply that point at a field. Apply problems about the object as a whole are
 * shown by the inspector's error box instead.
 */
export function useFieldProblems(id: string): Map<string, string[]> {
  // Re-reads the issues when the validator arrives (the first inspector opened fetches it).
  useSyncExternalStore(onValidatorLoaded, loadedValidator);
  const issues = useWarren(derived.documentIssues);
  const applied = useElementErrors(id);
  const path = useWarren(useCallback((s: WarrenState) => pathOfElement(s.topology, id), [id]));
  return useMemo(() => {
    if (path === undefined) return new Map<string, string[]>();
    const located = applied.filter((p) => p.path !== undefined && p.path.startsWith(`${path}/`));
    return fieldProblems([...issues, ...located], path);
  }, [issues, applied, path]);
}
