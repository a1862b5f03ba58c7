import { ManagedChild, type ChildState, type ManagedChildOptions } from './managed-child.js';

export interface ChildInfo {
  name: string;
  pid: number | undefined;
  /** The child leads its own process group, so the group id is its pid. */
  processGroup: number | undefined;
  state: ChildState;
}

/**
 * The one owner of every child process the engine starts. Stopping kills
 * whole process groups; if the workbench process exits without disposing
 * (an uncaught error, process.exit), the exit hook still kills every group.
 */
export class ChildRegistry {
  private readonly children = new Set<ManagedChild<any, any>>();
  private readonly killOnExit = () => {
    for (const child of this.children) child.killGroup('SIGKILL');
  };
  private disposed = false;

  constructor() {
    process.on('exit', this.killOnExit);
  }

  spawn<In, Out>(options: ManagedChildOptions<In>): ManagedChild<In, Out> {
    if (this.disposed) throw new Error('the child registry is disposed');
    const child = new ManagedChild<In, Out>(options);
    this.children.add(child);
    void child.closed.then(() => this.children.delete(child));
    return child;
  }

  list(): ChildInfo[] {
    return [...this.children].map((child) => ({
      name: child.name,
      pid: child.pid,
      processGroup: child.pid,
      state: child.state,
    }));
  }

  /** Kills every child's group and waits until each has closed. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const closing = [...this.children].map((child) => child.stop(0));
    await Promise.allSettled(closing);
    process.off('exit', this.killOnExit);
  }
}
