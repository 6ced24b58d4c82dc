"""One-to-one links that maximise the total confidence (a maximum-weight bipartite matching).

The candidate graph is sparse (each task has a handful of candidates above the
decision threshold), so it is cut into connected components and each is solved
on its own: a component with one task on a side takes its strongest edge; a small
one is solved exactly here (the Hungarian method, shortest augmenting paths);
a large one by scipy's sparse assignment (imported only then). Each component is
laid out in one canonical orientation and order (by the tasks' keys), so that the
mirror problem (B against A) is the same computation and gives the mirror answer.
"""

from __future__ import annotations

from typing import Callable


def _components(edges: dict[tuple[int, int], float]) -> list[list[tuple[int, int]]]:
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(x: tuple[str, int]) -> tuple[str, int]:
        root = x
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for i, j in edges:
        a, b = find(("p", i)), find(("c", j))
        if a != b:
            parent[max(a, b)] = min(a, b)
    comps: dict[tuple[str, int], list[tuple[int, int]]] = {}
    for e in edges:
        comps.setdefault(find(("p", e[0])), []).append(e)
    return list(comps.values())


def hungarian(cost: list[list[float]]) -> list[int]:
    """Minimum-cost assignment of every row to a distinct column (rows <= columns).

    Returns the column of each row. O(n^2 m), exact."""
    n, m = len(cost), len(cost[0])
    inf = float("inf")
    u = [0.0] * (n + 1)
    v = [0.0] * (m + 1)
    p = [0] * (m + 1)
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0 = p[j0]
            row = cost[i0 - 1]
            ui = u[i0]
            delta, j1 = inf, 0
            for j in range(1, m + 1):
                if not used[j]:
                    cur = row[j - 1] - ui - v[j]
                    if cur < minv[j]:
                        minv[j] = cur
                        way[j] = j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while True:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
            if j0 == 0:
                break
    out = [-1] * n
    for j in range(1, m + 1):
        if p[j]:
            out[p[j] - 1] = j - 1
    return out


def _sparse(rows: list, cols: list, w: dict[tuple[int, int], float]) -> list[tuple[int, int]]:
    """Large components: scipy's LAPJVsp on the sparse graph, each row with a private dummy column."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    n, m = len(rows), len(cols)
    ri = {r: k for k, r in enumerate(rows)}
    ci = {c: k for k, c in enumerate(cols)}
    r_idx, c_idx, data = [], [], []
    for (a, b), x in w.items():
        r_idx.append(ri[a])
        c_idx.append(ci[b])
        data.append(2.0 - x)
    for k in range(n):  # leaving a row unlinked costs 2 (a link costs 2 - confidence)
        r_idx.append(k)
        c_idx.append(m + k)
        data.append(2.0)
    g = csr_matrix((np.array(data), (np.array(r_idx), np.array(c_idx))), shape=(n, m + n))
    rr, cc = min_weight_full_bipartite_matching(g)
    return [(rows[a], cols[b]) for a, b in zip(rr.tolist(), cc.tolist()) if b < m]


def assign(edges: dict[tuple[int, int], float], p_order: Callable[[int], tuple], c_order: Callable[[int], tuple], exact_limit: int = 64) -> list[tuple[int, int]]:
    """The one-to-one subset of ``edges`` ((parent, child) -> weight > 0) with the largest total weight.

    ``p_order``/``c_order`` give each task a sort key that does not depend on the
    direction of the comparison (its text key, then its position)."""
    out: list[tuple[int, int]] = []
    for comp in _components(edges):
        ps = sorted({i for i, _ in comp}, key=p_order)
        cs = sorted({j for _, j in comp}, key=c_order)
        if len(ps) == 1:  # a star: the strongest edge (on a tie, the leaf whose key sorts first)
            out.append(min(comp, key=lambda e: (-edges[e], c_order(e[1]))))
            continue
        if len(cs) == 1:
            out.append(min(comp, key=lambda e: (-edges[e], p_order(e[0]))))
            continue
        # canonical orientation: rows are the smaller side; on a tie, the side whose first key sorts first
        flip = (len(cs), [c_order(j) for j in cs]) < (len(ps), [p_order(i) for i in ps])
        rows, cols = (cs, ps) if flip else (ps, cs)
        w = {((j, i) if flip else (i, j)): edges[(i, j)] for i, j in comp}
        if len(cols) <= exact_limit:
            ci = {c: k for k, c in enumerate(cols)}
            cost = [[2.0] * len(cols) for _ in rows]
            for k, r in enumerate(rows):
                for c in cols:
                    x = w.get((r, c))
                    if x is not None:
                        cost[k][ci[c]] = 2.0 - x
            sol = [(rows[k], cols[col]) for k, col in enumerate(hungarian(cost)) if col >= 0 and (rows[k], cols[col]) in w]
        else:
            sol = _sparse(rows, cols, w)
        out.extend((b, a) if flip else (a, b) for a, b in sol)
    return out

