// The one runtime list of the core's error codes, generated from the Rust enum into
// bindings.ts; nothing else in the UI lists them.
export { ERROR_CODES } from './bindings';
