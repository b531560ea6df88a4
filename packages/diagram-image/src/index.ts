export * from './png-text';
export * from './scene';
export * from './svg';
