import { EventEmitter } from 'eventemitter3';

type Names<E extends object> = EventEmitter.EventNames<E>;
type Listener<E extends object, T extends Names<E>> = EventEmitter.EventListener<E, T>;

/**
 * @internal An `EventEmitter` that tells its subclass whenever a listener is added or removed,
 * so that a hot path can test one boolean field instead of asking `listenerCount` per call.
 */
export abstract class ObservedEmitter<E extends object> extends EventEmitter<E> {
  /** Called after every change to the listeners. */
  protected abstract listenersChanged(): void;

  override on<T extends Names<E>>(event: T, fn: Listener<E, T>, context?: unknown): this {
    super.on(event, fn, context);
    this.listenersChanged();
    return this;
  }

  override addListener<T extends Names<E>>(event: T, fn: Listener<E, T>, context?: unknown): this {
    return this.on(event, fn, context);
  }

  override once<T extends Names<E>>(event: T, fn: Listener<E, T>, context?: unknown): this {
    super.once(event, fn, context);
    this.listenersChanged();
    return this;
  }

  override removeListener<T extends Names<E>>(
    event: T,
    fn?: Listener<E, T>,
    context?: unknown,
    once?: boolean,
  ): this {
    super.removeListener(event, fn, context, once);
    this.listenersChanged();
    return this;
  }

  override off<T extends Names<E>>(
    event: T,
    fn?: Listener<E, T>,
    context?: unknown,
    once?: boolean,
  ): this {
    return this.removeListener(event, fn, context, once);
  }

  override removeAllListeners(event?: Names<E>): this {
    super.removeAllListeners(event);
    this.listenersChanged();
    return this;
  }
}
