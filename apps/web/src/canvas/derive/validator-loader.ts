import type { parseTopology } from '@warren/topology/documents';
import { lazyModule } from './lazy-module';

/*
 * The document validator (with the schema library it checks against) is fetched the first
 * time an inspector asks what is wrong with a field; the canvas alone never needs it, and the
 * server validates every document it takes.
 */

export type Validator = typeof parseTopology;

const validator = lazyModule<Validator>(() =>
  import('@warren/topology/documents').then((module) => module.parseTopology),
);

/** The validator, once fetched. */
export const loadedValidator = validator.loaded;
/** Fetches the validator (once). */
export const loadValidator = validator.load;
/** Calls `listener` when the validator arrives. */
export const onValidatorLoaded = validator.onLoaded;
