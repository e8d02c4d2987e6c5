/**
 * A method decorator in both forms: a TC39 standard decorator (TypeScript 5's default) and a
 * legacy `experimentalDecorators` one (NestJS, TypeORM), told apart by their arguments.
 */
export interface MethodDecorator {
  /** Standard form: `(method, context)`. */
  <This, Args extends unknown[], R>(
    method: (this: This, ...args: Args) => R,
    context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => R>,
  ): (this: This, ...args: Args) => R;
  /** Legacy form: `(prototype, propertyKey, descriptor)`. */
  <T>(
    target: object,
    propertyKey: string | symbol,
    descriptor: TypedPropertyDescriptor<T>,
  ): TypedPropertyDescriptor<T>;
}

function isStandardContext(value: unknown): value is DecoratorContext {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { kind?: unknown }).kind === 'string'
  );
}

/**
 * Builds a decorator of both forms from `wrap(method, name)`, which answers the method to install
 * in its place. `invalid(what)` makes the error for a decorator put on something that is not a
 * method (`a class field 'x'`, `an accessor 'y'`).
 */
export function methodDecorator(
  wrap: (method: unknown, name: string) => unknown,
  invalid: (what: string) => Error,
): MethodDecorator {
  function decorate(
    value: unknown,
    contextOrKey: unknown,
    descriptor?: PropertyDescriptor,
  ): unknown {
    if (isStandardContext(contextOrKey)) {
      if (contextOrKey.kind !== 'method') {
        throw invalid(`a class ${contextOrKey.kind} '${String(contextOrKey.name)}'`);
      }
      return wrap(value, String(contextOrKey.name));
    }
    if (descriptor === undefined || typeof descriptor.value !== 'function') {
      const what = descriptor === undefined ? 'a property' : 'an accessor';
      throw invalid(`${what} '${String(contextOrKey)}'`);
    }
    return { ...descriptor, value: wrap(descriptor.value, String(contextOrKey)) };
  }
  return decorate as MethodDecorator;
}
