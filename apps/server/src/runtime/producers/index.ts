export { ProducerRuntime, type ProducerHost } from './producer-runtime';
export {
  ProducerConnectionError,
  ProducerNotFoundError,
  ProducerSettingsError,
} from './producer-errors';
