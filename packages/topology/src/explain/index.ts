export * from './types';
export { createExplainer, explainRoute } from './explain';
export { brokerEquals, formatValue } from './headers';
export { topicWords } from './topic';
