export * from './agreement';
export * from './cases';
export * from './management-api';
export * from './materialized';
export * from './run';
export * from './warren-api';
export * from './outside-declared';
