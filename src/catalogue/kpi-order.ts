/**
 * The order derived KPIs are evaluated in: each after the KPIs it uses, or the first cycle found.
 * A depth-first search with its own stack (not recursion), so a long chain of derived KPIs cannot
 * overflow the call stack; linear in the number of KPIs and uses.
 */

export interface KpiUses {
  id: string;
  /** The ids of the KPIs its formula uses. */
  uses: readonly string[];
}

export function evaluationOrder(kpis: readonly KpiUses[]): { order: string[] } | { cycle: string[] } {
  const usesOf = new Map(kpis.map((k) => [k.id, k.uses]));
  const state = new Map<string, 'visiting' | 'done'>();
  const order: string[] = [];
  /** The path of the search: each KPI with the position of the next use to visit. */
  const path: { id: string; uses: readonly string[]; next: number }[] = [];
  const enter = (id: string) => {
    state.set(id, 'visiting');
    path.push({ id, uses: usesOf.get(id) ?? [], next: 0 });
  };
  for (const kpi of kpis) {
    if (state.has(kpi.id)) continue;
    enter(kpi.id);
    while (path.length > 0) {
      const top = path[path.length - 1]!;
      if (top.next === top.uses.length) {
        path.pop();
        state.set(top.id, 'done');
        order.push(top.id);
        continue;
      }
      const dep = top.uses[top.next++]!;
      const s = state.get(dep);
      if (s === 'done') continue;
      if (s === 'visiting') {
        const ids = path.map((p) => p.id);
        return { cycle: [...ids.slice(ids.indexOf(dep)), dep] };
      }
      enter(dep);
    }
  }
  return { order };
}
