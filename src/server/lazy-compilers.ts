import AjvCompiler from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';

/**
 * Fastify's own schema compilers, compiling each route's validator and serializer on its first use
 * instead of at start. With ~150 routes, compiling everything took ~0.5 s of every `brujula serve`
 * (measured with --cpu-prof: ajv + fast-json-stringify); a route's first request now pays its own
 * few milliseconds. The tests exercise the routes, so a broken schema still fails there.
 */
type Compile<A, F> = (route: A) => F;

function lazy<A, F extends (...args: never[]) => unknown>(compile: Compile<A, F>): Compile<A, F> {
  return (route) => {
    let fn: F | undefined;
    const wrapper = ((...args: Parameters<F>) => {
      fn ??= compile(route);
      const result = fn(...args);
      // Fastify reads the failed validation's details from the function's `errors`.
      (wrapper as unknown as { errors: unknown }).errors = (fn as unknown as { errors: unknown }).errors;
      return result;
    }) as unknown as F;
    return wrapper;
  };
}

const validatorBuilder = AjvCompiler();
const serializerBuilder = SerializerSelector();

export const lazyCompilers = {
  buildValidator: (externalSchemas: unknown, options: unknown) =>
    lazy((validatorBuilder as (s: unknown, o: unknown) => Compile<unknown, (d: unknown) => unknown>)(externalSchemas, options)),
  buildSerializer: (externalSchemas: unknown, options: unknown) =>
    lazy((serializerBuilder as (s: unknown, o: unknown) => Compile<unknown, (d: unknown) => string>)(externalSchemas, options)),
};
