import type { Static, TSchema } from 'typebox';

/**
 * What a response schema of the server delivers to the browser: the route's own TypeBox type (so
 * a response type is never written twice), with timestamps as the ISO 8601 text JSON carries.
 * The web app imports server schemas with `import type` only; nothing of the server is bundled.
 */
export type Wire<T> = T extends Date
  ? string
  : T extends readonly unknown[]
    ? { -readonly [K in keyof T]: Wire<T[K]> }
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;
export type Out<S extends TSchema> = Wire<Static<S>>;
