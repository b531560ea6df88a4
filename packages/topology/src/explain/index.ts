export * from './types';
export { createExplainer, explainRoute } from './explain';
export { brokerEquals, formatValue } from './field-values';
export { topicWords } from './exchange-types/topic-pattern';
