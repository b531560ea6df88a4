export { ProducerRuntime, MAX_SEND_COUNT, type ProducerHost } from './producer-runtime';
export {
  ProducerConnectionError,
  ProducerNotFoundError,
  ProducerSettingsError,
} from './producer-errors';
