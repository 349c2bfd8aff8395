// wait_var_event / wake_up_var: the sleep of a layout break and the wake-up page_free sends.
import { describe, expect, it } from 'vitest';
import { Driver, fsTask } from '../testing.ts';
import { type Step, at } from './sched.ts';
import { VarWaitTable, WaitQueue, prepareToWaitVar, waitVarEvent, wakeUpVar } from './wait.ts';

describe('wait_var_event / wake_up_var', () => {
  it('wakes only the tasks waiting on that variable, and marks them woken', () => {
    const table = new VarWaitTable();
    const [a, b] = [fsTask('t1'), fsTask('t2')];
    const va = {};
    const vb = {};
    prepareToWaitVar(table, va, a);
    prepareToWaitVar(table, vb, b);
    wakeUpVar(table, va);
    expect(a.state).toBe('running');
    expect(a.woken).toBe(true);
    expect(b.state).toBe('sleeping');
    expect(table.waitersOf(vb)).toEqual(['t2']);
    expect(table.waitersOf(va)).toEqual([]);
  });

  it('does not sleep when the condition already holds', () => {
    const table = new VarWaitTable();
    const t = fsTask();
    const v = {};
    const d = new Driver(
      t,
      waitVarEvent(
        table,
        t,
        v,
        () => true,
        'BreakLayoutsWait',
        () => {
          throw new Error('cmd must not run');
        },
      ),
    );
    d.step();
    expect(d.done).toBe(true);
    expect(table.waitersOf(v)).toEqual([]);
  });

  it('sleeps at the point after cmd drops its lock, until woken, then tests the condition again', () => {
    const table = new VarWaitTable();
    const t = fsTask();
    const v = {};
    let idle = false;
    const log: string[] = [];
    function* cmd(): Step {
      log.push('unlock');
      yield at('BreakLayoutsRelock');
      log.push('relock');
    }
    const d = new Driver(
      t,
      waitVarEvent(table, t, v, () => idle, 'BreakLayoutsWait', cmd),
    );
    expect(d.step()).toBe('BreakLayoutsWait');
    expect(t.state).toBe('sleeping');
    expect(d.next).toBe('BreakLayoutsRelock');
    expect(log).toEqual(['unlock']);
    idle = true;
    wakeUpVar(table, v);
    expect(t.state).toBe('running');
    expect(d.step()).toBe('BreakLayoutsRelock');
    expect(d.step()).toBe('BreakLayoutsWait');
    expect(d.done).toBe(true);
    expect(log).toEqual(['unlock', 'relock']);
  });

  it('stays asleep forever if nobody calls wake_up_var, even once the condition holds', () => {
    const table = new VarWaitTable();
    const t = fsTask();
    let idle = false;
    const d = new Driver(
      t,
      waitVarEvent(
        table,
        t,
        {},
        () => idle,
        'BreakLayoutsWait',
        function* () {
          yield at('BreakLayoutsRelock');
        },
      ),
    );
    d.step();
    idle = true;
    expect(t.state).toBe('sleeping');
  });

  it('wakes every waiter of a wait queue', () => {
    const q = new WaitQueue();
    const ts = [fsTask('t1'), fsTask('t2')];
    for (const t of ts) {
      t.state = 'blocked';
      t.waitingOn = q;
      q.add(t);
    }
    q.wakeUpAll();
    expect(ts.map((t) => [t.state, t.woken, t.waitingOn])).toEqual([
      ['running', false, null],
      ['running', false, null],
    ]);
  });
});
