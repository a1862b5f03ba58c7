/** Anything that holds a resource has one owner and a dispose (VS Code's Disposable). */
export interface Disposable {
  dispose(): void | Promise<void>;
}

/** Owns several disposables and disposes them in reverse order of adding. */
export class DisposableStore implements Disposable {
  private readonly items: Disposable[] = [];
  private disposed = false;

  add<T extends Disposable>(item: T): T {
    if (this.disposed) {
      void item.dispose();
      return item;
    }
    this.items.push(item);
    return item;
  }

  addFn(fn: () => void | Promise<void>): void {
    this.add({ dispose: fn });
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const errors: unknown[] = [];
    for (const item of this.items.splice(0).reverse()) {
      try {
        await item.dispose();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length) throw new AggregateError(errors, 'Some resources failed to dispose');
  }
}
