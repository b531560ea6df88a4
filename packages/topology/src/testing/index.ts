export * from './arbitraries';
export * from './builders';
