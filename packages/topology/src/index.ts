export * from './model';
export * from './validate';
export * from './definitions';
export * from './layout';
