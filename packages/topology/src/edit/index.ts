/**
 * Pure edits of the diagram document: every canvas gesture and inspector field ends up as one
 * of these, and the server can apply the same rules. Each returns a new document and leaves
 * the one it was given alone.
 */
export * from './ids';
export * from './elements';
export * from './add-node';
export * from './move-node';
export * from './rename-node';
export * from './update';
export * from './connect-nodes';
export * from './delete-elements';
export * from './policies';
export * from './history';
export * from './copy-paste';
export * from './align';
