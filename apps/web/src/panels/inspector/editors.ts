/** The inspector's editors, one chunk fetched when something is first selected. */
export { BindingInspector } from './BindingInspector';
export { ConsumeInspector, ConsumerInspector } from './ConsumerInspector';
export { ExchangeInspector } from './ExchangeInspector';
export { ProducerInspector, PublishInspector } from './ProducerInspector';
export { QueueInspector } from './QueueInspector';
