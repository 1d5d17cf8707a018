"""Seeded node positions for the network view, computed once in Python so every load shows the same picture.

Two layouts:
- `force_layout`: Fruchterman-Reingold per connected component, then the components packed in rows (the
  largest first). Repulsion is exact for small components and limited to a grid neighbourhood (the
  grid variant of the FR paper) for large ones, so 5,000 nodes take seconds rather than minutes.
- `geo_layout`: places at their longitude/latitude (equirectangular, scaled to the force layout's size);
  every other node beside what it links to, so an attack sits by its place.

Both are pure functions of the graph and the seed: same input, same positions.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Hashable, Mapping, Sequence

import networkx as nx
import numpy as np

EXACT_UP_TO = 700  # components up to this size get exact all-pairs repulsion (700^2 pairs is a few ms)
SPACING = 100.0  # ideal edge length, in vis-network canvas units (nodes are drawn 7 to 30 across)
_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))  # successive points of a sunflower spiral never line up


def _iterations(n: int) -> int:
    # small components settle in few steps; many of them (people quoted once) would otherwise cost the most
    return 40 if n <= 10 else 100 if n <= 100 else 120 if n <= EXACT_UP_TO else 60


def _scatter(index: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Sum 2-D `values` into n rows by `index` (bincount is far faster than np.add.at)."""
    return np.stack([np.bincount(index, values[:, 0], n), np.bincount(index, values[:, 1], n)], axis=1)


# x and y are handled as separate arrays below: numpy reduces a length-2 last axis slowly

def _repulsion_exact(pos: np.ndarray, k: float, mass: np.ndarray) -> np.ndarray:
    dx = pos[:, 0, None] - pos[None, :, 0]
    dy = pos[:, 1, None] - pos[None, :, 1]
    f = mass[None, :] * (k * k) / np.maximum(dx * dx + dy * dy, 1e-4 * k * k)
    return np.stack([(f * dx).sum(1), (f * dy).sum(1)], axis=1)


def _repulsion_grid(pos: np.ndarray, k: float, weight: np.ndarray) -> np.ndarray:
    """Repulsion, exact from the nodes of the 3x3 cells around a node and from the centre of mass of every
    farther cell (a one-level Barnes-Hut). With G cells a side, G = (9n)^(1/4) balances the two parts at
    about 2 n^1.5 pairs instead of n^2 (5,000 nodes: 2 M pairs, not 25 M)."""
    n = len(pos)
    side = max(2.0, round((9 * n) ** 0.25))
    extent = float((pos.max(0) - pos.min(0)).max())
    cell = max(2.0 * k, extent / side)
    ij = np.floor(pos / cell).astype(np.int64)
    ij -= ij.min(0)
    width = int(ij[:, 1].max()) + 3
    key = (ij[:, 0] + 1) * width + (ij[:, 1] + 1)
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    disp = np.zeros_like(pos)
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            target = key + dx * width + dy
            start = np.searchsorted(sorted_key, target, side="left")
            end = np.searchsorted(sorted_key, target, side="right")
            counts = end - start
            total = int(counts.sum())
            if total == 0:
                continue
            i = np.repeat(np.arange(n), counts)
            offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
            j = order[np.repeat(start, counts) + offsets]
            keep = i != j
            i, j = i[keep], j[keep]
            dx_, dy_ = pos[i, 0] - pos[j, 0], pos[i, 1] - pos[j, 1]
            f = weight[j] * (k * k) / np.maximum(dx_ * dx_ + dy_ * dy_, 1e-4 * k * k)
            disp[:, 0] += np.bincount(i, f * dx_, n)
            disp[:, 1] += np.bincount(i, f * dy_, n)
    cells, inverse = np.unique(key, return_inverse=True)
    mass = np.bincount(inverse, weight, minlength=len(cells))
    centre = _scatter(inverse, pos * weight[:, None], len(cells)) / mass[:, None]
    cx, cy = cells // width, cells % width
    kx, ky = key // width, key % width
    for s in range(0, n, 512):  # far cells, in slices of nodes to bound memory
        dx_ = pos[s:s + 512, 0, None] - centre[None, :, 0]
        dy_ = pos[s:s + 512, 1, None] - centre[None, :, 1]
        far = (np.abs(kx[s:s + 512, None] - cx[None, :]) > 1) | (np.abs(ky[s:s + 512, None] - cy[None, :]) > 1)
        f = far * mass[None, :] * (k * k) / np.maximum(dx_ * dx_ + dy_ * dy_, 1e-4 * k * k)
        disp[s:s + 512, 0] += (f * dx_).sum(1)
        disp[s:s + 512, 1] += (f * dy_).sum(1)
    return disp


def _relax(pos: np.ndarray, edges: np.ndarray, fixed: np.ndarray | None, iterations: int, k: float,
           mass: np.ndarray | None = None) -> np.ndarray:
    """Fruchterman-Reingold steps with linear cooling and a weak pull to the centre (keeps leaves close)."""
    n = len(pos)
    if n < 2:
        return pos
    side = math.sqrt(n) * k
    temperature = side / 8
    cool = temperature / (iterations + 1)
    exact = n <= EXACT_UP_TO
    src, dst = (edges[:, 0], edges[:, 1]) if len(edges) else (np.zeros(0, int), np.zeros(0, int))
    # ForceAtlas2's idea: a node repels in proportion to its degree + 1, so hubs push each other (and
    # their leaves) apart instead of piling up in the middle
    if mass is None:
        mass = 1.0 + np.bincount(src, minlength=n) + np.bincount(dst, minlength=n)
    for _ in range(iterations):
        disp = _repulsion_exact(pos, k, mass) if exact else _repulsion_grid(pos, k, mass)
        if len(src):
            dv = pos[src] - pos[dst]
            dist = np.sqrt(dv[:, 0] * dv[:, 0] + dv[:, 1] * dv[:, 1]) + 1e-9
            f = dv * (dist / k)[:, None]
            disp += _scatter(dst, f, n) - _scatter(src, f, n)
        disp -= (pos - pos.mean(0)) * (0.02 * k / side)
        if fixed is not None:
            disp[fixed] = 0.0
        length = np.sqrt(disp[:, 0] * disp[:, 0] + disp[:, 1] * disp[:, 1]) + 1e-12
        pos = pos + disp * (np.minimum(length, temperature) / length)[:, None]
        temperature -= cool
    return pos


def _component_layout(g: nx.Graph, nodes: list, rng: np.random.Generator) -> np.ndarray:
    """One connected component. Nodes with one neighbour (a place attacked once, a quote's statement) are
    left out of the simulation and set around their neighbour afterwards, in a fan turned away from the
    rest of the graph: fewer nodes to relax (a quarter fewer at 5,000 nodes) and tidier hubs."""
    n = len(nodes)
    if n <= 2:  # one node, or a pair one edge apart
        return np.array([[0.0, 0.0], [SPACING, 0.0]])[:n]
    leaves = {v: next(iter(g[v])) for v in nodes if g.degree(v) == 1} if n > 10 else {}
    core = [v for v in nodes if v not in leaves]
    index = {v: i for i, v in enumerate(core)}
    edges = np.array([(index[u], index[v]) for u, v in g.subgraph(core).edges() if u != v],
                     dtype=np.int64).reshape(-1, 2)
    mass = np.array([1.0 + g.degree(v) for v in core])  # a hub keeps the weight of its leaves
    pos = (rng.random((len(core), 2)) - 0.5) * math.sqrt(n) * SPACING
    pos = _relax(pos, edges, None, _iterations(len(core)), SPACING, mass)
    if not leaves:
        return pos
    out = np.zeros((n, 2))
    where = {v: i for i, v in enumerate(nodes)}
    for v, i in index.items():
        out[where[v]] = pos[i]
    fans: dict = {}
    for leaf, parent in leaves.items():
        fans.setdefault(parent, []).append(leaf)
    for parent, fan in fans.items():
        centre = pos[index[parent]]
        others = [pos[index[u]] for u in g[parent] if u in index]
        away = centre - np.mean(others, axis=0) if others else np.array([1.0, 0.0])
        heading = math.atan2(away[1], away[0])
        span = 2 * math.pi * (1 - 1 / len(fan)) if not others else min(1.5 * math.pi, 0.6 * len(fan))
        radius = max(SPACING, 0.9 * SPACING * len(fan) / max(span, 1e-9))
        for j, leaf in enumerate(fan):
            angle = heading + (span * (j / (len(fan) - 1) - 0.5) if len(fan) > 1 else 0.0)
            out[where[leaf]] = centre + radius * np.array([math.cos(angle), math.sin(angle)])
    return out


def _pack(blocks: list[np.ndarray]) -> list[np.ndarray]:
    """Place component layouts in rows, largest first, as wide as the largest (or a square, if wider)."""
    sized = []
    for b in blocks:
        lo, hi = b.min(0), b.max(0)
        sized.append((b - lo, hi - lo + SPACING))
    row_width = max(max(s[1][0] for s in sized), math.sqrt(sum(float(s[1][0] * s[1][1]) for s in sized)))
    out, x, y, row_h = [], 0.0, 0.0, 0.0
    for b, (w, h) in sized:
        if x > 0 and x + w > row_width:
            x, y, row_h = 0.0, y + row_h, 0.0
        out.append(b + np.array([x, y]))
        x += w
        row_h = max(row_h, h)
    return out


def force_layout(g: nx.Graph, seed: int = 7) -> dict[Hashable, tuple[float, float]]:
    """Positions for every node of `g` (directions and parallel edges ignored), centred on the origin."""
    simple = nx.Graph(g)
    if simple.number_of_nodes() == 0:
        return {}
    rng = np.random.default_rng(seed)
    comps = sorted((sorted(c, key=str) for c in nx.connected_components(simple)), key=lambda c: (-len(c), str(c[0])))
    blocks = _pack([_component_layout(simple, c, rng) for c in comps])
    pos = {v: p for c, b in zip(comps, blocks) for v, p in zip(c, b)}
    centre = np.mean(np.array(list(pos.values())), axis=0)
    return {v: (round(float(p[0] - centre[0]), 1), round(float(p[1] - centre[1]), 1)) for v, p in pos.items()}


@dataclass(frozen=True)
class GeoLayout:
    """Map positions, and the graticule (meridians and parallels) to draw behind them."""
    positions: dict[Hashable, tuple[float, float]]
    lines: list[tuple[str, float, float, float, float]]  # label, x1, y1, x2, y2


def geo_layout(g: nx.Graph, coords: Mapping[Hashable, tuple[float, float]], seed: int = 7,
               width: float | None = None, base: Mapping[Hashable, tuple[float, float]] | None = None) -> GeoLayout:
    """Places with (lat, long) where they are on a map; each other node beside the placed nodes it links to
    (breadth-first from the places), the nodes that share a spot on a spiral around it. No simulation: the
    map is the layout, and it costs one pass over the graph.

    `coords` maps a node to (latitude, longitude). Screen y grows downwards, so north is up. Components
    with no located node go below the map, as `base` (the network layout, if given) has them, or laid out
    anew. Empty when nothing has coordinates.
    """
    simple = nx.Graph(g)
    located = [v for v in sorted(simple, key=str) if v in coords]
    if not located:
        return GeoLayout({}, [])
    n = simple.number_of_nodes()
    width = width or max(1200.0, math.sqrt(n) * SPACING * 2)
    lat = np.array([coords[v][0] for v in located])
    lon = np.array([coords[v][1] for v in located])
    mid = math.cos(math.radians(float(lat.mean())))  # equirectangular, true to scale at the mean latitude
    x0, y0 = float(lon.min()) * mid, -float(lat.max())
    span = max(float(lon.max() - lon.min()) * mid, float(lat.max() - lat.min()), 1e-6)
    scale = width / span

    def project(la: float, lo: float) -> tuple[float, float]:
        return (lo * mid - x0) * scale, (-la - y0) * scale

    anchor = {v: project(*coords[v]) for v in located}
    reach = set().union(*(nx.node_connected_component(simple, v) for v in located))
    placed = dict(anchor)
    layer = list(located)
    while layer:  # breadth-first from the places: a node goes beside the placed nodes it links to
        homes: dict[tuple[float, float], list] = {}
        for u in sorted({u for v in layer for u in simple[v] if u not in placed}, key=str):
            near = np.mean([placed[w] for w in simple[u] if w in placed], axis=0)
            homes.setdefault((round(float(near[0]), 1), round(float(near[1]), 1)), []).append(u)
        for home, group in homes.items():  # the nodes sharing a home on a sunflower spiral around it
            for i, u in enumerate(group, 1):
                r, angle = 0.5 * SPACING * math.sqrt(i + 1), i * _GOLDEN_ANGLE
                placed[u] = (home[0] + r * math.cos(angle), home[1] + r * math.sin(angle))
        layer = [u for group in homes.values() for u in group]
    nodes = sorted(reach, key=str)
    pos = np.array([placed[v] for v in nodes])
    out = {v: (round(float(p[0]), 1), round(float(p[1]), 1)) for v, p in zip(nodes, pos)}
    lines = _graticule(project, float(lat.min()), float(lat.max()), float(lon.min()), float(lon.max()))
    rest = [v for v in simple if v not in reach]
    if rest:  # whole components without a located node: their network layout, moved below the map
        side = {v: base[v] for v in rest} if base else force_layout(simple.subgraph(rest), seed)
        top = max(max(p[1] for p in out.values()), max(max(y1, y2) for _l, _x1, y1, _x2, y2 in lines)) + 2 * SPACING
        low = min(p[1] for p in side.values())
        left = min(p[0] for p in side.values())
        out.update({v: (round(p[0] - left, 1), round(p[1] - low + top, 1)) for v, p in side.items()})
    return GeoLayout(out, lines)


def _graticule(project, lat_lo: float, lat_hi: float, lon_lo: float, lon_hi: float):
    """Meridians and parallels at a round step (1, 2, 5, 10... degrees) over the located area, with a margin."""
    span = max(lat_hi - lat_lo, lon_hi - lon_lo, 0.5)
    step = next(s for s in (0.5, 1, 2, 5, 10, 20, 30, 45) if span / s <= 8) if span <= 240 else 60
    lat_lo, lat_hi = math.floor(lat_lo / step - 1) * step, math.ceil(lat_hi / step + 1) * step
    lon_lo, lon_hi = math.floor(lon_lo / step - 1) * step, math.ceil(lon_hi / step + 1) * step
    lines = []
    for i in range(int(round((lat_hi - lat_lo) / step)) + 1):
        la = lat_lo + i * step
        (x1, y1), (x2, y2) = project(la, lon_lo), project(la, lon_hi)
        lines.append((f"{abs(la):g}\u00b0{'N' if la >= 0 else 'S'}", round(x1, 1), round(y1, 1), round(x2, 1), round(y2, 1)))
    for i in range(int(round((lon_hi - lon_lo) / step)) + 1):
        lo = lon_lo + i * step
        (x1, y1), (x2, y2) = project(lat_hi, lo), project(lat_lo, lo)
        lines.append((f"{abs(lo):g}\u00b0{'E' if lo >= 0 else 'W'}", round(x1, 1), round(y1, 1), round(x2, 1), round(y2, 1)))
    return lines


def ranks(g: nx.Graph, tie: Mapping[Hashable, float] | None = None) -> dict[Hashable, int]:
    """0 for the most connected node, 1 for the next...: degree among distinct neighbours, then `tie`."""
    simple = nx.Graph(g)
    tie = tie or {}
    order: Sequence = sorted(simple, key=lambda v: (-simple.degree(v), -tie.get(v, 0), str(v)))
    return {v: i for i, v in enumerate(order)}
