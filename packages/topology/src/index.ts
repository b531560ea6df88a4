export * from './model';
export * from './validate';
export * from './definitions';
export * from './layout';
export * from './diff';
export * from './paths';
