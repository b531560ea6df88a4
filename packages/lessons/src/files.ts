/** The folder of lesson files (`NN-name.json`), read by the server at start. */
export const LESSONS_DIRECTORY = new URL('../lessons/', import.meta.url);
