/*
 * Reading documents against the schema: the entry point for code that loads the validator on
 * demand (the browser), apart from the rest of the package.
 */
export { parseTopology, type ParseResult, type TopologyIssue } from './validate';
export { openDocument, type OpenedDocument } from './document-version';
