export * from './errors';
export * from './http';
export * from './events';
export * from './message-details';
export * from './frames';
export * from './close-codes';
