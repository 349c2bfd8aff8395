// rw_semaphore: shared and exclusive holders, real waiters, and the wake-ups that let them retry.
import { describe, expect, it } from 'vitest';
import { Driver, userTask } from '../testing.ts';
import { RwSemaphore, downRead, downWrite } from './rwsem.ts';
import { Task } from './sched.ts';

function tasks(n: number): Task[] {
  return Array.from({ length: n }, (_, i) => userTask(`u${i + 1}`));
}

describe('rw_semaphore', () => {
  it('lets readers share the lock', () => {
    const sem = new RwSemaphore('m');
    const ts = tasks(2);
    const a = new Driver(ts[0]!, downRead(sem, ts[0]!, 'FaultLockShared'), ts);
    const b = new Driver(ts[1]!, downRead(sem, ts[1]!, 'FaultLockShared'), ts);
    a.step();
    expect(ts[1]!.state).toBe('running');
    b.step();
    expect(sem.readers.map((t) => t.id)).toEqual(['u1', 'u2']);
  });

  it('blocks a writer until the last reader leaves, and up_read wakes it', () => {
    const sem = new RwSemaphore('m');
    const ts = tasks(3);
    new Driver(ts[0]!, downRead(sem, ts[0]!, 'FaultLockShared'), ts).step();
    new Driver(ts[1]!, downRead(sem, ts[1]!, 'FaultLockShared'), ts).step();
    const w = new Driver(ts[2]!, downWrite(sem, ts[2]!, 'FsLockMmap'), ts);
    expect(ts[2]!.state).toBe('blocked');
    expect(sem.waitList.ids()).toEqual(['u3']);
    sem.upRead(ts[0]!);
    expect(ts[2]!.state).toBe('blocked'); // one reader still in: nobody was woken
    sem.upRead(ts[1]!);
    expect(ts[2]!.state).toBe('running');
    w.step();
    expect(sem.owner).toBe(ts[2]);
  });

  it('blocks readers while a writer holds it, and up_write wakes them all', () => {
    const sem = new RwSemaphore('m');
    const ts = tasks(3);
    new Driver(ts[0]!, downWrite(sem, ts[0]!, 'FsLockMmap'), ts).step();
    new Driver(ts[1]!, downRead(sem, ts[1]!, 'FaultLockShared'), ts);
    new Driver(ts[2]!, downRead(sem, ts[2]!, 'FaultLockShared'), ts);
    expect(ts.map((t) => t.state)).toEqual(['idle', 'blocked', 'blocked']);
    sem.upWrite(ts[0]!);
    expect(ts.map((t) => t.state)).toEqual(['idle', 'running', 'running']);
    expect(sem.waitList.length).toBe(0);
  });

  it('puts a woken waiter back to sleep when another task took the lock first', () => {
    const sem = new RwSemaphore('m');
    const ts = tasks(3);
    new Driver(ts[0]!, downWrite(sem, ts[0]!, 'FsLockMmap'), ts).step();
    const b = new Driver(ts[1]!, downWrite(sem, ts[1]!, 'FsLockMmap'), ts);
    new Driver(ts[2]!, downWrite(sem, ts[2]!, 'FsLockMmap'), ts);
    sem.upWrite(ts[0]!);
    b.step();
    expect(ts[2]!.state).toBe('blocked');
    expect(sem.waitList.ids()).toEqual(['u3']);
  });

  it('admits a reader while a writer waits for readers to drain (no writer preference, as in the spec)', () => {
    const sem = new RwSemaphore('m');
    const ts = tasks(3);
    new Driver(ts[0]!, downRead(sem, ts[0]!, 'FaultLockShared'), ts).step();
    new Driver(ts[1]!, downWrite(sem, ts[1]!, 'FsLockMmap'), ts);
    const r = new Driver(ts[2]!, downRead(sem, ts[2]!, 'FaultLockShared'), ts);
    expect(ts[2]!.state).toBe('running');
    r.step();
    expect(sem.readers).toHaveLength(2);
  });

  it('refuses unbalanced releases', () => {
    const sem = new RwSemaphore('m');
    const [a] = tasks(1);
    expect(() => sem.upRead(a!)).toThrow(/does not hold/);
    expect(() => sem.upWrite(a!)).toThrow(/held by nobody/);
  });
});
