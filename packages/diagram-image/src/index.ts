export * from './scene';
export * from './svg';
